/**
 * Containers: Sequential, ModuleList and ModuleDict. Their items are named by
 * position (`0`, `1`, …) or by key, as in PyTorch, so `Sequential` state dicts
 * read `0.weight`, `2.bias`.
 */
import type { Tensor } from '../tensor/tensor.js';
import { Module, type AnyModule } from './module.js';

/** A chain of one-input layers applied in order. */
export class Sequential extends Module<[Tensor], Tensor> {
  readonly #items: Module<[Tensor], Tensor>[];

  constructor(...layers: Module<[Tensor], Tensor>[]) {
    super();
    this.#items = layers;
  }

  override namedFields(): [string, unknown][] {
    return this.#items.map((m, i) => [String(i), m]);
  }

  get length(): number {
    return this.#items.length;
  }

  /** The layer at `i` (negative counts from the end). */
  at(i: number): Module<[Tensor], Tensor> {
    const m = this.#items.at(i);
    if (!m) throw new RangeError(`Sequential: index ${i} is out of range for ${this.#items.length} layers`);
    return m;
  }

  append(layer: Module<[Tensor], Tensor>): this {
    this.#items.push(layer);
    return this;
  }

  [Symbol.iterator](): Iterator<Module<[Tensor], Tensor>> {
    return this.#items[Symbol.iterator]();
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this.#items) y = m.forward(y);
    return y;
  }
}

/** A list of submodules, indexed like an array; it has no forward of its own. */
export class ModuleList<M extends AnyModule = AnyModule> extends Module<never[], never> {
  readonly #items: M[];

  constructor(modules: Iterable<M> = []) {
    super();
    this.#items = [...modules];
  }

  override namedFields(): [string, unknown][] {
    return this.#items.map((m, i) => [String(i), m]);
  }

  get length(): number {
    return this.#items.length;
  }

  at(i: number): M {
    const m = this.#items.at(i);
    if (!m) throw new RangeError(`ModuleList: index ${i} is out of range for ${this.#items.length} modules`);
    return m;
  }

  append(m: M): this {
    this.#items.push(m);
    return this;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.#items[Symbol.iterator]();
  }

  forward(): never {
    throw new Error('ModuleList has no forward: iterate over its modules');
  }
}

/** Submodules by name (the state-dict name is the key, unchanged). */
export class ModuleDict<M extends AnyModule = AnyModule> extends Module<never[], never> {
  readonly #items = new Map<string, M>();

  constructor(modules: Record<string, M> | Iterable<[string, M]> = {}) {
    super();
    const entries = Symbol.iterator in modules ? [...(modules as Iterable<[string, M]>)] : Object.entries(modules);
    for (const [k, m] of entries) this.set(k, m);
  }

  override namedFields(): [string, unknown][] {
    return [...this.#items];
  }

  get size(): number {
    return this.#items.size;
  }

  get(key: string): M {
    const m = this.#items.get(key);
    if (!m) throw new Error(`ModuleDict: no module named '${key}' (have: ${[...this.#items.keys()].join(', ')})`);
    return m;
  }

  has(key: string): boolean {
    return this.#items.has(key);
  }

  set(key: string, m: M): this {
    if (key.includes('.') || key === '') throw new Error(`ModuleDict: key '${key}' must be non-empty and contain no '.'`);
    this.#items.set(key, m);
    return this;
  }

  keys(): IterableIterator<string> {
    return this.#items.keys();
  }

  entries(): IterableIterator<[string, M]> {
    return this.#items.entries();
  }

  forward(): never {
    throw new Error('ModuleDict has no forward: look its modules up by name');
  }
}
