/** Helpers for the time-series fixture cases written by scripts/gen_timeseries_fixtures.py. */
import { expect } from 'vitest';
import type { AnyModule } from '../../src/nn/module.js';
import type { Tensor } from '../../src/index.js';
import { expectClose, fromFixture, type FixtureTensor, type Tol } from '../helpers.js';

/** One recorded forward + backward of a reference module. */
export interface ModuleCase {
  config: Record<string, unknown>;
  state_dict: Record<string, FixtureTensor>;
  inputs: (FixtureTensor | null)[];
  output: FixtureTensor;
  grad_output: FixtureTensor;
  grad_inputs: (FixtureTensor | null)[];
  grad_params: Record<string, FixtureTensor>;
  training?: boolean;
  state_after?: Record<string, FixtureTensor>;
}

/** The fixture's state dict as tensors. */
export const stateOf = (c: ModuleCase): Record<string, Tensor> => Object.fromEntries(Object.entries(c.state_dict).map(([k, v]) => [k, fromFixture(v)]));

/**
 * Load the case's state dict into `model` (strictly unless `allowMissing`
 * names the only keys the fixture leaves out), run `run` on its inputs,
 * backpropagate the recorded upstream gradient and compare the output and
 * every gradient with PyTorch's.
 */
export function replay(model: AnyModule, c: ModuleCase, run: (inputs: (Tensor | null)[]) => Tensor, tol: Tol, allowMissing: string[] = []): Tensor[] {
  const { missingKeys, unexpectedKeys } = model.loadStateDict(stateOf(c), { strict: allowMissing.length === 0 });
  expect(unexpectedKeys).toEqual([]);
  expect(missingKeys.sort()).toEqual([...allowMissing].sort());
  model.train(c.training ?? true);
  const inputs = c.inputs.map((t) => (t ? fromFixture(t, t.dtype === 'float32') : null));
  const out = run(inputs);
  expectClose(out, fromFixture(c.output), tol, 'output');
  out.backward(fromFixture(c.grad_output));
  c.grad_inputs.forEach((g, i) => {
    if (g) expectClose(inputs[i]!.grad!, fromFixture(g), tol, `grad of input ${i}`);
  });
  const params = new Map(model.namedParameters());
  for (const [name, g] of Object.entries(c.grad_params)) {
    const p = params.get(name);
    expect(p, `parameter ${name}`).toBeDefined();
    expectClose(p!.grad!, fromFixture(g), tol, `grad of ${name}`);
  }
  // Every trainable parameter PyTorch saw a gradient for, and no others.
  const withGrad = [...params].filter(([, p]) => p.grad).map(([n]) => n);
  expect(withGrad.sort()).toEqual(Object.keys(c.grad_params).sort());
  return inputs.filter((t): t is Tensor => t !== null);
}
