/**
 * Seedable pseudo-random numbers: xoshiro128** seeded through splitmix32.
 * Random tensors are generated here in JS, so the same seed gives the same
 * numbers on every backend and every run; the one exception, the bulk
 * Bernoulli fill behind dropout, is a backend kernel that every backend
 * implements as this same stream, bit for bit.
 */
import { getBackend } from '../backend/index.js';

export interface GeneratorState {
  s: [number, number, number, number];
  /** Second Box–Muller normal waiting to be used, or null. */
  spare: number | null;
}

export class Generator {
  private s = new Uint32Array(4);
  private spare: number | null = null;

  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  manualSeed(seed: number): this {
    let x = (Math.trunc(seed) >>> 0) ^ Math.trunc(seed / 2 ** 32);
    for (let i = 0; i < 4; i++) {
      // splitmix32
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    this.spare = null;
    return this;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 random bits. */
  random(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Uniform integer in [low, high). */
  randint(low: number, high: number): number {
    const span = high - low;
    if (span <= 0) throw new RangeError(`randint: empty range [${low}, ${high})`);
    return low + Math.floor(this.random() * span);
  }

  /**
   * Fill `out` with `value` where a uniform draw is below `p` and 0 elsewhere:
   * exactly `out[i] = this.random() < p ? value : 0` in order, as one backend
   * kernel (a dropout mask over millions of elements). Every backend
   * implements the same stream bit for bit.
   */
  bernoulliFill(out: Float32Array | Float64Array | Uint8Array, p: number, value: number): void {
    // random() < p  ⟺  u / 2³² < p  ⟺  u < p·2³² (both sides exact in doubles).
    getBackend().kernels.bernoulliFill(out, this.s, p * 4294967296, value);
  }

  getState(): GeneratorState {
    return { s: [this.s[0], this.s[1], this.s[2], this.s[3]], spare: this.spare };
  }

  setState(state: GeneratorState): this {
    this.s.set(state.s);
    this.spare = state.spare;
    return this;
  }
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/** The generator used when none is passed. */
export const defaultGenerator = new Generator(0);

/** Seed the default generator (like torch.manual_seed). */
export function manualSeed(seed: number): void {
  defaultGenerator.manualSeed(seed);
}
