/**
 * The Optimizer base: parameter groups with their own hyperparameters,
 * per-parameter state, and a state dict that resumes a run exactly.
 *
 * Updates run every training step, so they are plain loops over each
 * parameter's storage, in place: a parameter keeps its identity (and the
 * module that owns it sees the new values) and no tensors are built per step.
 */
import { allocStorage, type Storage } from '../tensor/dtype.js';
import { shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { closestOption, definedOptions, describeValue } from '../util/options.js';

/** Hyperparameters every optimiser has. */
export interface BaseHyperparameters {
  lr: number;
  weightDecay: number;
}

/**
 * One group: its parameters and hyperparameters. Schedulers write `lr` (and
 * `initialLr`, and OneCycle's momentum) here between steps.
 */
export type ParamGroup<H extends BaseHyperparameters = BaseHyperparameters> = H & {
  params: Tensor[];
  /** The lr a scheduler started from (set by the first scheduler attached). */
  initialLr?: number;
  [extra: string]: unknown;
};

/** A group as given to a constructor: its parameters and any hyperparameters that differ from the defaults. */
export type ParamGroupSpec<H> = Partial<H> & { params: Iterable<Tensor> };

/** What an optimiser is built from: parameters, or groups of them. */
export type Params<H> = Iterable<Tensor> | Iterable<ParamGroupSpec<H>>;

/** Per-parameter state: a step count and named buffers (PyTorch's names: exp_avg, momentum_buffer…). */
export type ParamState = Record<string, number | Storage>;

/**
 * An optimiser's state, in PyTorch's layout: `state` is keyed by the
 * parameter's position across all groups; each group lists its parameters'
 * positions. Tensors are copies.
 */
export interface OptimizerStateDict {
  state: Record<number, Record<string, number | Tensor>>;
  paramGroups: (Record<string, unknown> & { params: number[] })[];
}

/**
 * Throw unless `value` is a number satisfying `ok` (NaN never does). Used by
 * `validate` at construction, never per step.
 */
export function checkNumber(where: string, what: string, value: unknown, ok: (v: number) => boolean, range: string): void {
  if (typeof value !== 'number') throw new TypeError(`${where}: invalid ${what} ${describeValue(value)} (expected a number ${range})`);
  if (!ok(value)) throw new RangeError(`${where}: invalid ${what} ${value} (must be ${range})`);
}

export abstract class Optimizer<H extends BaseHyperparameters = BaseHyperparameters> {
  readonly paramGroups: ParamGroup<H>[] = [];
  /** Per-parameter state, created at a parameter's first update. */
  readonly state = new Map<Tensor, ParamState>();

  constructor(params: Params<H>, readonly defaults: H) {
    if (params == null || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`${this.constructor.name}: expected an iterable of parameters or of parameter groups (e.g. model.parameters()), got ${params?.constructor?.name ?? params}`);
    }
    const list = [...params] as (Tensor | ParamGroupSpec<H>)[];
    if (list.length === 0) throw new Error(`${this.constructor.name}: got an empty parameter list`);
    if (list[0] instanceof Tensor) this.addParamGroup({ params: list as Tensor[] } as unknown as ParamGroupSpec<H>);
    else for (const g of list as ParamGroupSpec<H>[]) this.addParamGroup(g);
  }

  /** Add a group (e.g. layers unfrozen during fine-tuning); missing hyperparameters take the defaults. */
  addParamGroup(spec: ParamGroupSpec<H>): void {
    const params = [...spec.params];
    const name = this.constructor.name;
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new TypeError(`${name}: parameter ${i} of group ${this.paramGroups.length} is not a tensor`);
      if (!p.isLeaf) throw new Error(`${name}: cannot optimise a non-leaf tensor (parameter ${i} of group ${this.paramGroups.length}, shape ${shapeStr(p.shape)})`);
      if (p.dtype !== 'float32' && p.dtype !== 'float64') throw new TypeError(`${name}: parameters must be float32 or float64, got ${p.dtype}`);
    });
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    if (params.some((p) => seen.has(p)) || new Set(params).size !== params.length) {
      throw new Error(`${name}: some parameters appear more than once (in one group or in several)`);
    }
    // Groups may carry extra keys of the caller's (a name, say), as in
    // PyTorch, so only a near miss of a hyperparameter's name is refused.
    const allowed = ['params', ...Object.keys(this.defaults)];
    for (const key of Object.keys(spec)) {
      if (allowed.includes(key)) continue;
      const guess = closestOption(key, allowed);
      if (guess) throw new TypeError(`${name}: unknown option '${key}' in parameter group ${this.paramGroups.length} (did you mean '${guess}'?); valid options: ${allowed.join(', ')}`);
    }
    const group = { ...this.defaults, ...definedOptions(spec), params } as ParamGroup<H>;
    this.validate(group);
    this.paramGroups.push(group);
  }

  /** Check a group's hyperparameters (range errors name the value). */
  protected validate(group: ParamGroup<H>): void {
    const name = this.constructor.name;
    if (group.lr === undefined) throw new TypeError(`${name}: no learning rate given (pass { lr: … })`);
    checkNumber(name, 'learning rate', group.lr, (v) => v >= 0, '≥ 0');
    checkNumber(name, 'weight decay', group.weightDecay, (v) => v >= 0, '≥ 0');
  }

  /**
   * Update one parameter in place. `p` and `g` are the parameter's and its
   * gradient's storage; `state` is this parameter's (empty at the first step).
   */
  protected abstract update(p: Storage, g: Storage, state: ParamState, group: ParamGroup<H>): void;

  /** One update of every parameter that has a gradient (parameters without one are skipped, as in PyTorch). */
  step(): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (!p.grad) continue;
        if (p.grad.size !== p.size) throw new Error(`${this.constructor.name}: gradient ${shapeStr(p.grad.shape)} does not match parameter ${shapeStr(p.shape)}`);
        let st = this.state.get(p);
        if (!st) this.state.set(p, (st = {}));
        this.update(p.data, p.grad.data, st, group);
      }
    }
  }

  /** Drop the gradients of all parameters (the next backward starts from zero). */
  zeroGrad(): void {
    for (const g of this.paramGroups) for (const p of g.params) p.grad = null;
  }

  /** A buffer for state, the size and element type of `p`, zero-filled. */
  protected buffer(p: Storage): Storage {
    return allocStorage(p instanceof Float64Array ? 'float64' : 'float32', p.length);
  }

  /** A snapshot of hyperparameters and state (copies), enough to resume exactly. */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const { params, ...hyper } = g;
      return { ...structuredClone(hyper), params: params.map((p) => (index.set(p, index.size), index.size - 1)) };
    });
    const state: OptimizerStateDict['state'] = {};
    for (const [p, st] of this.state) {
      const i = index.get(p);
      if (i === undefined) continue;
      state[i] = Object.fromEntries(
        Object.entries(st).map(([k, v]) => [k, typeof v === 'number' ? v : new Tensor(v.slice(), p.shape, p.dtype)]),
      );
    }
    return { state, paramGroups };
  }

  /**
   * Restore hyperparameters and state saved by `stateDict` from an optimiser
   * over the same parameters in the same groups. Nothing changes unless the
   * whole dict fits.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const name = this.constructor.name;
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new Error(`${name}.loadStateDict: the state dict has ${sd.paramGroups.length} parameter groups, the optimizer has ${this.paramGroups.length}`);
    }
    const params = this.paramGroups.flatMap((g) => g.params);
    sd.paramGroups.forEach((g, i) => {
      const own = this.paramGroups[i].params.length;
      if (g.params.length !== own) throw new Error(`${name}.loadStateDict: group ${i} has ${g.params.length} parameters in the state dict, ${own} in the optimizer`);
    });
    const restored = new Map<Tensor, ParamState>();
    const savedOrder = sd.paramGroups.flatMap((g) => g.params);
    for (const [key, st] of Object.entries(sd.state)) {
      const pos = savedOrder.indexOf(Number(key));
      if (pos < 0) throw new Error(`${name}.loadStateDict: state for parameter ${key}, which no group lists`);
      const p = params[pos];
      const entry: ParamState = {};
      for (const [k, v] of Object.entries(st)) {
        if (typeof v === 'number') {
          entry[k] = v;
        } else if (v.size !== p.size) {
          throw new Error(`${name}.loadStateDict: '${k}' of parameter ${key} has shape ${shapeStr(v.shape)}, the parameter has ${shapeStr(p.shape)}`);
        } else {
          const buf = this.buffer(p.data);
          buf.set(v.data);
          entry[k] = buf;
        }
      }
      restored.set(p, entry);
    }
    sd.paramGroups.forEach((g, i) => {
      const { params: _ignored, ...hyper } = g;
      Object.assign(this.paramGroups[i], structuredClone(hyper));
    });
    this.state.clear();
    for (const [p, st] of restored) this.state.set(p, st);
  }
}
