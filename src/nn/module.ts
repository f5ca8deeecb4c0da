/**
 * Module: the base of every layer and model. A module is plain data: its
 * parameters, buffers and submodules are found by walking its fields, so there
 * is nothing to register and tree surgery (swap a block, prune a layer) is
 * ordinary assignment.
 *
 * What the walk sees, field by field in declaration order:
 *  - a `Parameter` or `Buffer` (skipped when null);
 *  - a `Module` (a child);
 *  - an array (a numbered container: `blocks.0.fc.weight`), nested arrays too.
 * Everything else (numbers, configs, generators, plain tensors) is ignored.
 * Hold a module you do not own (a teacher, a parent) in an ES `#private` field
 * so the walk does not treat it as a child.
 *
 * Names follow PyTorch, so a PyTorch `state_dict` loads unchanged: a
 * camelCase field becomes snake_case (`runningMean` → `running_mean`), and a
 * module class whose PyTorch names differ otherwise lists them in the static
 * `stateNames` (`static stateNames = { gammaScale: 'gamma' }`). Within one
 * module, parameters come first, then buffers, then children — PyTorch's
 * `state_dict` order.
 */
import { noGrad } from '../autograd/mode.js';
import { shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, describeValue } from '../util/options.js';
import { Buffer, Parameter } from './parameter.js';

/** Name → tensor, in PyTorch's key format (`layers.0.weight`). */
export type StateDict = Record<string, Tensor>;

export interface LoadStateDictOptions {
  /** Report missing and unexpected keys as errors (default true). Shape mismatches are always errors. */
  strict?: boolean;
}

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/**
 * The default field → state-dict name rule: snake_case of a camelCase name
 * (`runningMean` → `running_mean`, `tokenMLPNorm` → `token_mlp_norm`, `fc1` → `fc1`).
 */
export function camelToSnake(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = Module<any[], any>;

/** A node of the walk: a module or an array standing for a numbered container. */
type Node = AnyModule | readonly unknown[];

interface Contents {
  params: [string, Parameter][];
  buffers: [string, Buffer][];
  children: [string, Node][];
}

function contents(node: Node): Contents {
  const entries = node instanceof Module ? node.namedFields() : node.map((v, i): [string, unknown] => [String(i), v]);
  const out: Contents = { params: [], buffers: [], children: [] };
  for (const [name, v] of entries) {
    if (v instanceof Parameter) out.params.push([name, v]);
    else if (v instanceof Buffer) out.buffers.push([name, v]);
    else if (v instanceof Module || Array.isArray(v)) out.children.push([name, v as Node]);
  }
  return out;
}

interface Visit {
  /** Parameters and buffers with their full names. */
  tensor?: (name: string, t: Parameter | Buffer) => void;
  /** Every module (not arrays) with its full name; '' is the root. */
  module?: (name: string, m: AnyModule) => void;
}

/** Depth-first walk in state-dict order; a field that leads back to an enclosing module is an error. */
function walk(node: Node, prefix: string, visit: Visit, path: Set<Node> = new Set()): void {
  if (path.has(node)) {
    throw new Error(`Module: '${prefix}' refers back to an enclosing module (a cycle); hold such references in #private fields`);
  }
  path.add(node);
  if (node instanceof Module) visit.module?.(prefix, node);
  const c = contents(node);
  const full = (name: string): string => (prefix ? `${prefix}.${name}` : name);
  if (visit.tensor) {
    for (const [n, p] of c.params) visit.tensor(full(n), p);
    for (const [n, b] of c.buffers) visit.tensor(full(n), b);
  }
  for (const [n, child] of c.children) walk(child, full(n), visit, path);
  path.delete(node);
}

/**
 * Base class of layers and models. Subclasses declare their parameters,
 * buffers and submodules as fields and implement `forward`.
 * @example
 * class Mlp extends Module<[Tensor], Tensor> {
 *   fc1 = new Linear(4, 16);
 *   fc2 = new Linear(16, 2);
 *   forward(x: Tensor): Tensor { return this.fc2.forward(this.fc1.forward(x).gelu()); } // [B, 4] → [B, 2]
 * }
 * new Mlp().stateDict(); // { 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias' }
 */
export abstract class Module<I extends unknown[] = unknown[], O = unknown> {
  /** Field name → PyTorch name, where the snake_case rule does not give it. */
  static stateNames: Readonly<Record<string, string>> = {};

  /** Training mode (dropout active, batch statistics); set by `train()` / `eval()`. */
  training = true;

  abstract forward(...args: I): O;

  /**
   * This module's own fields with their state-dict names. Containers
   * (Sequential, ModuleList, ModuleDict) override this to name their items.
   */
  namedFields(): [string, unknown][] {
    const names = (this.constructor as typeof Module).stateNames;
    return Object.entries(this).map(([k, v]): [string, unknown] => [names[k] ?? camelToSnake(k), v]);
  }

  /** Parameters with their state-dict names, each once (a shared parameter keeps its first name). */
  namedParameters(): [string, Parameter][] {
    const seen = new Set<Tensor>();
    const out: [string, Parameter][] = [];
    walk(this, '', {
      tensor: (n, t) => {
        if (t instanceof Parameter && !seen.has(t)) {
          seen.add(t);
          out.push([n, t]);
        }
      },
    });
    return out;
  }

  /** Parameters in PyTorch's order (the order optimisers index them by). */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Buffers (persistent or not) with their names, each once. */
  namedBuffers(): [string, Buffer][] {
    const seen = new Set<Tensor>();
    const out: [string, Buffer][] = [];
    walk(this, '', {
      tensor: (n, t) => {
        if (t instanceof Buffer && !seen.has(t)) {
          seen.add(t);
          out.push([n, t]);
        }
      },
    });
    return out;
  }

  buffers(): Buffer[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  /** This module and every descendant, each once; the root is named ''. */
  namedModules(): [string, AnyModule][] {
    const seen = new Set<AnyModule>();
    const out: [string, AnyModule][] = [];
    walk(this, '', {
      module: (n, m) => {
        if (!seen.has(m)) {
          seen.add(m);
          out.push([n, m]);
        }
      },
    });
    return out;
  }

  modules(): AnyModule[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Direct submodules (those inside array fields too, named `blocks.0`). */
  namedChildren(): [string, AnyModule][] {
    const out: [string, AnyModule][] = [];
    const collect = (node: Node, prefix: string): void => {
      for (const [n, c] of contents(node).children) {
        const name = prefix ? `${prefix}.${n}` : n;
        if (c instanceof Module) out.push([name, c]);
        else collect(c, name);
      }
    };
    collect(this, '');
    return out;
  }

  children(): AnyModule[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** Set training mode on this module and all descendants. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: dropout off, BatchNorm uses running statistics. */
  eval(): this {
    return this.train(false);
  }

  /** Call `fn` on every descendant, then on this module (PyTorch's order); e.g. custom initialisation. */
  apply(fn: (m: AnyModule) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  /** Number of parameter elements (shared parameters counted once). */
  numParameters({ trainableOnly = false }: { trainableOnly?: boolean } = {}): number {
    return this.parameters().reduce((n, p) => n + (trainableOnly && !p.requiresGrad ? 0 : p.size), 0);
  }

  /** Drop every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Freeze (false) or unfreeze (true) every parameter. */
  requiresGrad_(flag = true): this {
    for (const p of this.parameters()) p.requiresGrad = flag;
    return this;
  }

  /**
   * A snapshot of every parameter and persistent buffer under PyTorch's names
   * (copies: later training does not change it). A shared tensor appears
   * under each of its names, as in PyTorch.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, t] of this.liveState()) out[name] = noGrad(() => t.detach().clone());
    return out;
  }

  /**
   * Copy `sd` into this module's parameters and buffers in place (their
   * identity, and so an optimiser's hold on them, is kept). Nothing is
   * written unless the whole dict fits: a shape mismatch is always an error,
   * and so are missing and unexpected keys unless `strict: false`.
   * @returns the keys that were missing from `sd` and those `sd` had in excess.
   */
  loadStateDict(sd: StateDict | ReadonlyMap<string, Tensor>, opts: LoadStateDictOptions = {}): LoadStateDictResult {
    const where = `loadStateDict (${this.constructor.name})`;
    checkOptions(where, opts, ['strict']);
    const { strict = true } = opts;
    if (sd === null || typeof sd !== 'object' || Array.isArray(sd) || sd instanceof Tensor) {
      throw new TypeError(`${where}: expected a state dict (an object or Map from names to tensors), got ${describeValue(sd)}`);
    }
    const given: ReadonlyMap<string, unknown> = sd instanceof Map ? sd : new Map(Object.entries(sd as StateDict));
    const own = this.liveState();
    const ownNames = new Set(own.map(([n]) => n));
    const missingKeys = own.map(([n]) => n).filter((n) => !given.has(n));
    const unexpectedKeys = [...given.keys()].filter((n) => !ownNames.has(n));
    const problems: string[] = [];
    for (const [name, t] of own) {
      const src = given.get(name);
      if (given.has(name) && !(src instanceof Tensor)) {
        const hint = ArrayBuffer.isView(src) ? ` (wrap it: tensor(data, { shape: ${shapeStr(t.shape)} }))` : '';
        problems.push(`'${name}' is ${describeValue(src)}, not a tensor${hint}`);
      } else if (src instanceof Tensor && !sameShapeOf(src, t)) {
        problems.push(`size mismatch for '${name}': the state dict has ${shapeStr(src.shape)}, the module has ${shapeStr(t.shape)}`);
      }
    }
    if (strict) {
      for (const n of missingKeys) problems.push(`missing key '${n}'`);
      for (const n of unexpectedKeys) problems.push(`unexpected key '${n}'`);
    }
    if (problems.length) {
      throw new Error(`loadStateDict (${this.constructor.name}): ${problems.length} problem${problems.length > 1 ? 's' : ''}:\n  ${problems.join('\n  ')}`);
    }
    for (const [name, t] of own) {
      const src = given.get(name) as Tensor | undefined;
      // TypedArray.set converts between element types (an int64 counter read as float, say).
      if (src) t.data.set(src.data);
    }
    return { missingKeys, unexpectedKeys };
  }

  /** Extra text inside this module's line of `toString()` (its sizes and options). */
  extraRepr(): string {
    return '';
  }

  /** A tree of the module and its children, as PyTorch prints modules. */
  toString(): string {
    const kids = this.namedChildren();
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (!kids.length) return `${head})`;
    const lines = kids.map(([n, m]) => `  (${n}): ${m.toString().replace(/\n/g, '\n  ')}`);
    return `${head}\n${lines.join('\n')}\n)`;
  }

  /** Parameters and persistent buffers under every name they have (not deduplicated). */
  private liveState(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    walk(this, '', {
      tensor: (n, t) => {
        if (t instanceof Buffer && !t.persistent) return;
        out.push([n, t]);
      },
    });
    return out;
  }
}

function sameShapeOf(a: Tensor, b: Tensor): boolean {
  return a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}
