/**
 * Reverse-mode differentiation over the graph recorded by ops (each output
 * tensor keeps a GradNode naming its inputs and its backward rule).
 */
import type { Tensor } from '../tensor/tensor.js';
import { shapeStr, sameShape } from '../tensor/shape.js';
import { checkOptions, describeValue } from '../util/options.js';
import { enableGrad, noGrad } from './mode.js';
import type { GradNode } from './node.js';

export interface BackwardOptions {
  /** Record the backward pass itself so the gradients can be differentiated again (implies `retainGraph`). */
  createGraph?: boolean;
  /**
   * Keep the graph usable for another backward pass (default: `createGraph`).
   * Without it a graph can be backpropagated through once, as in PyTorch.
   */
  retainGraph?: boolean;
}

const BACKWARD_OPTIONS = ['createGraph', 'retainGraph'] as const;

/** Tensors reachable from `roots` through recorded nodes, inputs before outputs. */
function topoOrder(roots: readonly Tensor[]): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // Iterative DFS: deep graphs (long recurrences, many layers) must not overflow the stack.
  const stack: [Tensor, number][] = [];
  for (const r of roots) {
    if (visited.has(r)) continue;
    visited.add(r);
    stack.push([r, 0]);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const inputs = top[0]._node?.inputs ?? [];
      if (top[1] < inputs.length) {
        const next = inputs[top[1]++];
        if (next.requiresGrad && !visited.has(next)) {
          visited.add(next);
          stack.push([next, 0]);
        }
      } else {
        order.push(top[0]);
        stack.pop();
      }
    }
  }
  return order;
}

const releasedRule = (): never => {
  throw new Error('internal: a released graph node was run');
};

function release(node: GradNode): void {
  node.released = true;
  node.backward = releasedRule;
}

/**
 * Tensors in `order` whose node must run for a gradient to reach one of
 * `targets`: those with a target among their ancestors. (`order` lists inputs
 * before outputs, so one forward sweep suffices.)
 */
function needed(order: readonly Tensor[], targets: readonly Tensor[]): Set<Tensor> {
  const isTarget = new Set(targets);
  const need = new Set<Tensor>();
  for (const t of order) {
    if (t._node?.inputs.some((inp) => isTarget.has(inp) || need.has(inp))) need.add(t);
  }
  return need;
}

/**
 * Propagate `seeds` (one per root) backwards; returns the gradient of every
 * tensor reached. With `targets`, only the nodes between the roots and the
 * targets run (as torch.autograd.grad), so the rest of the graph is neither
 * computed nor released.
 */
export function propagate(
  roots: readonly Tensor[],
  seeds: readonly Tensor[],
  opts: BackwardOptions = {},
  targets?: readonly Tensor[],
  caller = 'backward',
): Map<Tensor, Tensor> {
  const run = opts.createGraph ? enableGrad : noGrad;
  const retain = opts.retainGraph ?? opts.createGraph ?? false;
  // Nodes run by this pass; released only once the whole pass succeeded, so
  // a pass that throws leaves the graph as it found it.
  const ran: GradNode[] = [];
  const grads = run(() => {
    const grads = new Map<Tensor, Tensor>();
    const accumulate = (t: Tensor, g: Tensor): void => {
      const prev = grads.get(t);
      grads.set(t, prev ? prev.add(g) : g);
    };
    roots.forEach((r, i) => {
      const s = seeds[i];
      if (!sameShape(s.shape, r.shape)) {
        throw new Error(`backward: gradient of shape ${shapeStr(s.shape)} given for an output of shape ${shapeStr(r.shape)}`);
      }
      accumulate(r, s);
    });
    const order = topoOrder(roots);
    const need = targets ? needed(order, targets) : null;
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const node = t._node;
      const g = grads.get(t);
      if (!node || !g || (need && !need.has(t))) continue;
      if (node.released) {
        throw new Error(
          `${caller}: the graph through '${node.op}' was already used by an earlier backward pass and has been released; ` +
            'pass { retainGraph: true } to the first backward() or grad() to backpropagate through it again, or recompute the forward pass',
        );
      }
      const inGrads = node.backward(g);
      ran.push(node);
      node.inputs.forEach((inp, k) => {
        const ig = inGrads[k];
        if (!ig || !inp.requiresGrad) return;
        if (!sameShape(ig.shape, inp.shape)) {
          throw new Error(`internal: backward of '${node.op}' gave a gradient of shape ${shapeStr(ig.shape)} for input ${k} of shape ${shapeStr(inp.shape)}`);
        }
        accumulate(inp, ig.dtype === inp.dtype ? ig : ig.to(inp.dtype));
      });
    }
    return grads;
  });
  if (!retain) for (const node of ran) release(node);
  return grads;
}

/** `tensor.backward()`: accumulate gradients into `.grad` of leaves (and of tensors marked `retainGrad()`). */
export function backward(root: Tensor, seed: Tensor | undefined, opts: BackwardOptions = {}): void {
  checkOptions('backward', opts, BACKWARD_OPTIONS);
  if (seed !== undefined && !isTensor(seed)) {
    throw new TypeError(`backward: the gradient must be a tensor shaped like the output ${shapeStr(root.shape)}, got ${describeValue(seed)}`);
  }
  if (!root.requiresGrad) throw new Error('backward: the tensor does not require grad and has no grad history');
  let s = seed;
  if (!s) {
    if (root.size !== 1) {
      throw new Error(`backward: a gradient must be given for a non-scalar output of shape ${shapeStr(root.shape)}`);
    }
    s = root.onesLike();
  }
  const grads = propagate([root], [s], opts);
  const keep = opts.createGraph ? enableGrad : noGrad;
  keep(() => {
    for (const [t, g] of grads) {
      if (t._node && !t.retainsGrad) continue;
      const gg = opts.createGraph ? g : g.detach();
      t.grad = t.grad ? t.grad.add(gg) : gg;
    }
  });
}

/** Duck-typed so this module needs no runtime import of Tensor (which imports it). */
const isTensor = (v: unknown): v is Tensor => typeof v === 'object' && v !== null && 'shape' in v && 'data' in v && 'dtype' in v;

export interface GradOptions extends BackwardOptions {
  /** Seed gradients, one per output (required for non-scalar outputs). */
  gradOutputs?: Tensor | readonly Tensor[];
  /** Return null (instead of throwing) for inputs the outputs do not depend on. */
  allowUnused?: boolean;
}

/**
 * Gradients of `outputs` with respect to `inputs`, without touching `.grad`
 * (like `torch.autograd.grad`). With `createGraph` the results are themselves
 * differentiable.
 * @example
 * const x = tensor([2], { requiresGrad: true });
 * const [dy] = grad(x.pow(3), [x], { createGraph: true });   // 3x² = 12
 * const [d2y] = grad(dy, [x]);                               // 6x = 12
 */
export function grad(outputs: Tensor | readonly Tensor[], inputs: readonly Tensor[], opts: GradOptions = {}): (Tensor | null)[] {
  checkOptions('grad', opts, [...BACKWARD_OPTIONS, 'gradOutputs', 'allowUnused']);
  const outs = Array.isArray(outputs) ? (outputs as readonly Tensor[]) : [outputs as Tensor];
  const given = opts.gradOutputs === undefined ? [] : Array.isArray(opts.gradOutputs) ? opts.gradOutputs : [opts.gradOutputs];
  const seeds = outs.map((o, i) => {
    if (!o.requiresGrad) throw new Error(`grad: output ${i} does not require grad and has no grad history`);
    if (given[i]) return given[i];
    if (o.size !== 1) throw new Error(`grad: gradOutputs must be given for non-scalar output ${i} of shape ${shapeStr(o.shape)}`);
    return o.onesLike();
  });
  inputs.forEach((t, i) => {
    if (!t.requiresGrad) throw new Error(`grad: input ${i} does not require grad`);
  });
  const grads = propagate(outs, seeds, opts, inputs, 'grad');
  return inputs.map((t, i) => {
    const g = grads.get(t);
    if (g) return opts.createGraph ? g : g.detach();
    if (opts.allowUnused) return null;
    throw new Error(`grad: input ${i} was not used to compute the outputs (pass allowUnused: true to get null)`);
  });
}
