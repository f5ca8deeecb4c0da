/**
 * Learning-rate schedules, stepping like PyTorch's: constructing one sets
 * each group's lr to its value at step 0, and every `step()` advances one
 * step (an epoch or a batch, as the caller decides) and writes the new lr into
 * the optimiser's groups. Values come from closed forms of the step count, so
 * they do not drift; unlike PyTorch's chainable forms, two schedules on one
 * optimiser do not compose (use one of the combined schedules below).
 *
 * A subclass sets its fields and then calls `this.start(lastEpoch)` at the
 * end of its constructor (JS initialises subclass fields only after the base
 * constructor returns, so the base cannot take the first step itself).
 */

import { checkOptions, describeValue } from '../util/options.js';

/** What a schedule needs of an optimiser: its groups' learning rates (and momentum, for OneCycle). */
export interface SchedulableOptimizer {
  paramGroups: { lr: number; initialLr?: number; momentum?: number; betas?: [number, number] }[];
}

/** A schedule's saved position and settings (plain JSON). */
export type SchedulerStateDict = Record<string, unknown>;

export abstract class LRScheduler {
  /** Steps taken; 0 after construction. */
  lastEpoch = -1;
  /** Each group's starting lr (its `initialLr`). */
  baseLrs: number[] = [];
  /** The lrs set by the latest step. */
  lastLr: number[] = [];
  readonly #optimizer: SchedulableOptimizer;

  constructor(optimizer: SchedulableOptimizer) {
    this.#optimizer = optimizer;
  }

  get optimizer(): SchedulableOptimizer {
    return this.#optimizer;
  }

  /**
   * Record the starting lrs and take the first step. With lastEpoch = −1 (a
   * fresh run) each group's current lr becomes its `initialLr` unless a
   * schedule set one already; to resume at a step, the groups must carry it.
   */
  protected start(lastEpoch = -1): void {
    const groups = this.#optimizer.paramGroups;
    groups.forEach((g, i) => {
      if (lastEpoch === -1) g.initialLr ??= g.lr;
      else if (g.initialLr === undefined) throw new Error(`${this.constructor.name}: param group ${i} has no initialLr, needed to resume at step ${lastEpoch}`);
    });
    this.baseLrs = groups.map((g) => g.initialLr!);
    this.lastEpoch = lastEpoch;
    this.step();
  }

  /** The lr of group `i` (starting at `baseLr`) at step `epoch`. */
  protected abstract lrAt(epoch: number, baseLr: number, i: number): number;

  /** Advance one step and set every group's lr. */
  step(): void {
    this.lastEpoch++;
    this.lastLr = this.#optimizer.paramGroups.map((g, i) => (g.lr = this.lrAt(this.lastEpoch, this.baseLrs[i], i)));
  }

  /** The lrs set by the latest step, one per group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Position and settings; with the optimiser's state dict this resumes a run exactly. */
  stateDict(): SchedulerStateDict {
    return structuredClone(Object.fromEntries(Object.entries(this).filter(([, v]) => typeof v !== 'function')));
  }

  /** Restore a state saved from a schedule of the same kind. */
  loadStateDict(sd: SchedulerStateDict): void {
    const own = new Set(Object.keys(this.stateDict()));
    const unknown = Object.keys(sd).filter((k) => !own.has(k));
    if (unknown.length) throw new Error(`${this.constructor.name}.loadStateDict: unknown keys ${unknown.map((k) => `'${k}'`).join(', ')}`);
    Object.assign(this, structuredClone(sd));
  }
}

export interface StepLROptions {
  /** Steps between decays. */
  stepSize: number;
  /** Decay factor (default 0.1). */
  gamma?: number;
  lastEpoch?: number;
}

/** lr = base · γ^⌊step / stepSize⌋. */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: SchedulableOptimizer, opts: StepLROptions) {
    super(optimizer);
    checkOptions('StepLR', opts, ['stepSize', 'gamma', 'lastEpoch']);
    const { stepSize, gamma = 0.1, lastEpoch = -1 } = opts;
    if (!(Number.isInteger(stepSize) && stepSize > 0)) throw new RangeError(`StepLR: stepSize must be a positive integer, got ${stepSize}`);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.start(lastEpoch);
  }

  protected lrAt(epoch: number, base: number): number {
    return base * this.gamma ** Math.floor(epoch / this.stepSize);
  }
}

export interface MultiStepLROptions {
  /** Steps at which the lr is multiplied by gamma. */
  milestones: number[];
  gamma?: number;
  lastEpoch?: number;
}

/** lr = base · γ^(number of milestones ≤ step). */
export class MultiStepLR extends LRScheduler {
  milestones: number[];
  gamma: number;

  constructor(optimizer: SchedulableOptimizer, opts: MultiStepLROptions) {
    super(optimizer);
    checkOptions('MultiStepLR', opts, ['milestones', 'gamma', 'lastEpoch']);
    const { milestones, gamma = 0.1, lastEpoch = -1 } = opts;
    if (!Array.isArray(milestones)) throw new TypeError(`MultiStepLR: milestones must be an array of step numbers, got ${describeValue(milestones)}`);
    this.milestones = [...milestones].sort((a, b) => a - b);
    this.gamma = gamma;
    this.start(lastEpoch);
  }

  protected lrAt(epoch: number, base: number): number {
    return base * this.gamma ** this.milestones.filter((m) => m <= epoch).length;
  }
}

export interface ExponentialLROptions {
  gamma: number;
  lastEpoch?: number;
}

/** lr = base · γ^step. */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: SchedulableOptimizer, opts: ExponentialLROptions) {
    super(optimizer);
    checkOptions('ExponentialLR', opts, ['gamma', 'lastEpoch']);
    const { gamma, lastEpoch = -1 } = opts;
    if (typeof gamma !== 'number') throw new TypeError(`ExponentialLR: gamma must be a number, got ${describeValue(gamma)}`);
    this.gamma = gamma;
    this.start(lastEpoch);
  }

  protected lrAt(epoch: number, base: number): number {
    return base * this.gamma ** epoch;
  }
}

export interface LinearLROptions {
  startFactor?: number;
  endFactor?: number;
  totalIters?: number;
  lastEpoch?: number;
}

/** lr = base · (startFactor + (endFactor − startFactor) · min(step, totalIters)/totalIters): torch's LinearLR, a linear warm-up. */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(optimizer: SchedulableOptimizer, opts: LinearLROptions = {}) {
    super(optimizer);
    checkOptions('LinearLR', opts, ['startFactor', 'endFactor', 'totalIters', 'lastEpoch']);
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5, lastEpoch = -1 } = opts;
    if (!(startFactor > 0 && startFactor <= 1)) throw new RangeError(`LinearLR: startFactor must be in (0, 1], got ${startFactor}`);
    if (!(endFactor >= 0 && endFactor <= 1)) throw new RangeError(`LinearLR: endFactor must be in [0, 1], got ${endFactor}`);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.start(lastEpoch);
  }

  protected lrAt(epoch: number, base: number): number {
    return base * (this.startFactor + ((this.endFactor - this.startFactor) * Math.min(this.totalIters, epoch)) / this.totalIters);
  }
}

export interface CosineAnnealingLROptions {
  /** Steps from the base lr down to etaMin. */
  tMax: number;
  etaMin?: number;
  lastEpoch?: number;
}

/**
 * Cosine annealing (Loshchilov & Hutter, 2017, without restarts):
 * lr = ηmin + (base − ηmin)·(1 + cos(π·step/tMax))/2. Past tMax it rises
 * again, as PyTorch's does.
 */
export class CosineAnnealingLR extends LRScheduler {
  tMax: number;
  etaMin: number;

  constructor(optimizer: SchedulableOptimizer, opts: CosineAnnealingLROptions) {
    super(optimizer);
    checkOptions('CosineAnnealingLR', opts, ['tMax', 'etaMin', 'lastEpoch']);
    const { tMax, etaMin = 0, lastEpoch = -1 } = opts;
    if (!(tMax > 0)) throw new RangeError(`CosineAnnealingLR: tMax must be positive, got ${tMax}`);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.start(lastEpoch);
  }

  protected lrAt(epoch: number, base: number): number {
    return this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * epoch) / this.tMax))) / 2;
  }
}

/** lr = base · fn(step) (torch's LambdaLR). The function is not saved in the state dict. */
export class LambdaLR extends LRScheduler {
  readonly #fn: (step: number, group: number) => number;

  constructor(optimizer: SchedulableOptimizer, fn: (step: number, group: number) => number, opts: { lastEpoch?: number } = {}) {
    super(optimizer);
    checkOptions('LambdaLR', opts, ['lastEpoch']);
    if (typeof fn !== 'function') throw new TypeError(`LambdaLR: expected a function (step, group) => factor, got ${describeValue(fn)}`);
    const { lastEpoch = -1 } = opts;
    this.#fn = fn;
    this.start(lastEpoch);
  }

  protected lrAt(epoch: number, base: number, i: number): number {
    return base * this.#fn(epoch, i);
  }
}

const cosineFactor = (progress: number): number => (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, progress)))) / 2;

export interface WarmupCosineLROptions {
  warmupSteps: number;
  totalSteps: number;
  etaMin?: number;
  /** The warm-up starts at base·warmupStartFactor (default 0). */
  warmupStartFactor?: number;
  lastEpoch?: number;
}

/**
 * Linear warm-up then cosine decay (the usual transformer schedule): from
 * base·warmupStartFactor to base over warmupSteps, then
 * ηmin + (base − ηmin)·(1 + cos(π·progress))/2 until totalSteps, ηmin after.
 */
export class WarmupCosineLR extends LRScheduler {
  warmupSteps: number;
  totalSteps: number;
  etaMin: number;
  warmupStartFactor: number;

  constructor(optimizer: SchedulableOptimizer, opts: WarmupCosineLROptions) {
    super(optimizer);
    checkOptions('WarmupCosineLR', opts, ['warmupSteps', 'totalSteps', 'etaMin', 'warmupStartFactor', 'lastEpoch']);
    const { warmupSteps, totalSteps, etaMin = 0, warmupStartFactor = 0, lastEpoch = -1 } = opts;
    if (!(warmupSteps >= 0 && totalSteps > warmupSteps)) throw new RangeError(`WarmupCosineLR: need 0 ≤ warmupSteps < totalSteps, got ${warmupSteps} and ${totalSteps}`);
    this.warmupSteps = warmupSteps;
    this.totalSteps = totalSteps;
    this.etaMin = etaMin;
    this.warmupStartFactor = warmupStartFactor;
    this.start(lastEpoch);
  }

  protected lrAt(epoch: number, base: number): number {
    if (epoch < this.warmupSteps) return base * (this.warmupStartFactor + ((1 - this.warmupStartFactor) * epoch) / this.warmupSteps);
    const progress = (epoch - this.warmupSteps) / (this.totalSteps - this.warmupSteps);
    return this.etaMin + (base - this.etaMin) * cosineFactor(progress);
  }
}

export type DecayShape = 'linear' | 'cosine' | 'sqrt';

export interface WarmupStableDecayLROptions {
  warmupSteps: number;
  stableSteps: number;
  decaySteps: number;
  etaMin?: number;
  decayShape?: DecayShape;
  lastEpoch?: number;
}

/**
 * Warmup-stable-decay ("trapezoidal"; Hu et al., 2024, MiniCPM): linear
 * warm-up from 0 over warmupSteps, constant base for stableSteps, then decay
 * to ηmin over decaySteps — linearly, by cosine, or as 1 − √progress
 * (Hägele et al., 2024) — and ηmin after.
 */
export class WarmupStableDecayLR extends LRScheduler {
  warmupSteps: number;
  stableSteps: number;
  decaySteps: number;
  etaMin: number;
  decayShape: DecayShape;

  constructor(optimizer: SchedulableOptimizer, opts: WarmupStableDecayLROptions) {
    super(optimizer);
    checkOptions('WarmupStableDecayLR', opts, ['warmupSteps', 'stableSteps', 'decaySteps', 'etaMin', 'decayShape', 'lastEpoch']);
    const { warmupSteps, stableSteps, decaySteps, etaMin = 0, decayShape = 'linear', lastEpoch = -1 } = opts;
    if (!['linear', 'cosine', 'sqrt'].includes(decayShape)) throw new Error(`WarmupStableDecayLR: decayShape must be 'linear', 'cosine' or 'sqrt', got ${describeValue(decayShape)}`);
    if (![warmupSteps, stableSteps, decaySteps].every((n) => Number.isInteger(n) && n >= 0)) {
      throw new RangeError(`WarmupStableDecayLR: step counts must be non-negative integers, got ${warmupSteps}, ${stableSteps}, ${decaySteps}`);
    }
    this.warmupSteps = warmupSteps;
    this.stableSteps = stableSteps;
    this.decaySteps = decaySteps;
    this.etaMin = etaMin;
    this.decayShape = decayShape;
    this.start(lastEpoch);
  }

  protected lrAt(epoch: number, base: number): number {
    if (epoch < this.warmupSteps) return (base * epoch) / this.warmupSteps;
    const decayStart = this.warmupSteps + this.stableSteps;
    if (epoch < decayStart) return base;
    if (epoch >= decayStart + this.decaySteps) return this.etaMin;
    const p = (epoch - decayStart) / this.decaySteps;
    const f = this.decayShape === 'linear' ? 1 - p : this.decayShape === 'cosine' ? cosineFactor(p) : 1 - Math.sqrt(p);
    return this.etaMin + (base - this.etaMin) * f;
  }
}

export interface OneCycleOptions {
  /** Peak lr, one for all groups or one per group. */
  maxLr: number | number[];
  /** Total steps; or give epochs and stepsPerEpoch. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the lr. Default 0.3. */
  pctStart?: number;
  annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum (SGD's momentum or Adam's β₁) inversely to the lr. Default true. */
  cycleMomentum?: boolean;
  baseMomentum?: number;
  maxMomentum?: number;
  /** Starting lr = maxLr / divFactor. Default 25. */
  divFactor?: number;
  /** Final lr = starting lr / finalDivFactor. Default 1e4. */
  finalDivFactor?: number;
  /** Go back down to the starting lr before annealing to the final one (fast.ai's variant). */
  threePhase?: boolean;
  lastEpoch?: number;
}

const ONE_CYCLE_OPTIONS: readonly (keyof OneCycleOptions)[] = [
  'maxLr', 'totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy', 'cycleMomentum',
  'baseMomentum', 'maxMomentum', 'divFactor', 'finalDivFactor', 'threePhase', 'lastEpoch',
];

interface Phase {
  endStep: number;
  lr: ['initial' | 'max' | 'min', 'initial' | 'max' | 'min'];
  momentum: ['max' | 'base', 'max' | 'base'];
}

/**
 * The 1cycle policy (Smith & Topin, 2017) with torch.optim.lr_scheduler.OneCycleLR's
 * defaults and step boundaries: warm up from maxLr/divFactor to maxLr over
 * pctStart of the steps, then anneal to maxLr/(divFactor·finalDivFactor);
 * momentum moves the opposite way between maxMomentum and baseMomentum.
 * Step it once per batch, totalSteps times at most.
 */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  annealStrategy: 'cos' | 'linear';
  cycleMomentum: boolean;
  useBeta1: boolean;
  phases: Phase[];
  /** Per group: the starting, peak and final lr, and the momentum bounds. */
  lrs: { initial: number; max: number; min: number }[];
  momenta: { base: number; max: number }[];

  constructor(optimizer: SchedulableOptimizer, opts: OneCycleOptions) {
    super(optimizer);
    checkOptions('OneCycleLR', opts, ONE_CYCLE_OPTIONS);
    const { pctStart = 0.3, annealStrategy = 'cos', cycleMomentum = true, baseMomentum = 0.85, maxMomentum = 0.95, divFactor = 25, finalDivFactor = 1e4, threePhase = false, lastEpoch = -1 } = opts;
    const total = opts.totalSteps ?? (opts.epochs !== undefined && opts.stepsPerEpoch !== undefined ? opts.epochs * opts.stepsPerEpoch : undefined);
    if (total === undefined || !(Number.isInteger(total) && total > 0)) {
      throw new RangeError(`OneCycleLR: give totalSteps, or epochs and stepsPerEpoch, as positive integers (got ${total})`);
    }
    if (!(pctStart >= 0 && pctStart <= 1)) throw new RangeError(`OneCycleLR: pctStart must be in [0, 1], got ${pctStart}`);
    this.totalSteps = total;
    this.annealStrategy = annealStrategy;
    this.phases = threePhase
      ? [
          { endStep: pctStart * total - 1, lr: ['initial', 'max'], momentum: ['max', 'base'] },
          { endStep: 2 * pctStart * total - 2, lr: ['max', 'initial'], momentum: ['base', 'max'] },
          { endStep: total - 1, lr: ['initial', 'min'], momentum: ['max', 'max'] },
        ]
      : [
          { endStep: pctStart * total - 1, lr: ['initial', 'max'], momentum: ['max', 'base'] },
          { endStep: total - 1, lr: ['max', 'min'], momentum: ['base', 'max'] },
        ];
    const groups = optimizer.paramGroups;
    const maxLrs = typeof opts.maxLr === 'number' ? groups.map(() => opts.maxLr as number) : opts.maxLr;
    if (maxLrs.length !== groups.length) throw new Error(`OneCycleLR: ${maxLrs.length} maxLr values for ${groups.length} param groups`);
    this.lrs = maxLrs.map((max) => ({ initial: max / divFactor, max, min: max / divFactor / finalDivFactor }));
    if (lastEpoch === -1) groups.forEach((g, i) => (g.initialLr = this.lrs[i].initial));
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = groups.every((g) => g.betas !== undefined);
    if (cycleMomentum && !this.useBeta1 && groups.some((g) => g.momentum === undefined)) {
      throw new Error('OneCycleLR: cycleMomentum needs an optimiser with momentum or betas (pass cycleMomentum: false)');
    }
    this.momenta = groups.map(() => ({ base: baseMomentum, max: maxMomentum }));
    this.start(lastEpoch);
  }

  private anneal(start: number, end: number, pct: number): number {
    return this.annealStrategy === 'cos' ? end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
  }

  /** The phase holding `epoch` and how far into it (0…1). */
  private locate(epoch: number): { phase: Phase; pct: number } {
    if (epoch > this.totalSteps) throw new Error(`OneCycleLR: stepped ${epoch} times, but totalSteps is ${this.totalSteps}`);
    let startStep = 0;
    for (let i = 0; i < this.phases.length; i++) {
      const phase = this.phases[i];
      if (epoch <= phase.endStep || i === this.phases.length - 1) return { phase, pct: (epoch - startStep) / (phase.endStep - startStep) };
      // PyTorch starts the next phase at this phase's end step (not one after); kept for identical values.
      startStep = phase.endStep;
    }
    throw new Error('unreachable');
  }

  protected lrAt(epoch: number, _base: number, i: number): number {
    const { phase, pct } = this.locate(epoch);
    const l = this.lrs[i];
    return this.anneal(l[phase.lr[0]], l[phase.lr[1]], pct);
  }

  override step(): void {
    super.step();
    if (!this.cycleMomentum) return;
    const { phase, pct } = this.locate(this.lastEpoch);
    this.optimizer.paramGroups.forEach((g, i) => {
      const m = this.momenta[i];
      const value = this.anneal(m[phase.momentum[0]], m[phase.momentum[1]], pct);
      if (this.useBeta1) g.betas = [value, g.betas![1]];
      else g.momentum = value;
    });
  }
}
