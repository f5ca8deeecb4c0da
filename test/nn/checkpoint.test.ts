/** A PyTorch state_dict saved as safetensors loads unchanged (names, int64 counter) and reproduces torch's output. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { io } from '../../src/index.js';
import { expectClose, fromFixture, loadFixture, type FixtureTensor } from '../helpers.js';
import { Net } from './net.js';

const FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'nn_net.safetensors');
const fx = loadFixture<{ input: FixtureTensor; output: FixtureTensor; keys: string[] }>('nn_net.json');

describe('PyTorch checkpoint', () => {
  it('loads strictly and gives the same evaluation output', () => {
    const sd = io.loadSafetensors(FILE);
    const net = new Net();
    net.loadStateDict(sd);
    expect(Object.keys(net.stateDict())).toEqual(fx.keys);
    expect(net.bn.numBatchesTracked!.item()).toBe(3);
    const y = net.eval().forward(fromFixture(fx.input));
    expectClose(y, fromFixture(fx.output), { atol: 1e-5, rtol: 1e-4 }, 'output');
  });

  it('round-trips through safetensors written by mlpkit', () => {
    const net = new Net();
    net.loadStateDict(io.loadSafetensors(FILE));
    const again = new Net();
    again.loadStateDict(io.parseSafetensors(io.serializeSafetensors(net.stateDict())).tensors);
    const x = fromFixture(fx.input);
    expect(Array.from(again.eval().forward(x).data)).toEqual(Array.from(net.eval().forward(x).data));
  });
});
