/** `mlpkit run`: build a registered model, load weights, run forward on named inputs, write named outputs. */
import { existsSync } from 'node:fs';
import { loadSafetensors, saveSafetensors } from '../io/index.js';
import * as models from '../models/index.js';
import { noGrad } from '../autograd/mode.js';
import { shapeStr } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Command } from './command.js';
import { collectSets, modelConfig, parse } from './args.js';
import { loadWeights } from '../train/checkpoint.js';

export const runCommand: Command = {
  summary: 'run a model on inputs from a safetensors file and write its outputs',
  usage: [
    'Usage: mlpkit run MODEL --weights W.safetensors --input IN.safetensors --output OUT.safetensors',
    '                  [--config cfg.json] [--set key=value ...]',
    '',
    'Builds MODEL with the config, loads the weights (a state dict with the reference names,',
    'or an mlpkit checkpoint), runs forward in eval mode on the input tensors named as in',
    '`mlpkit info MODEL` (a file with a single tensor may use any name) and writes the outputs',
    'under their names.',
  ].join('\n'),
  run(argv) {
    const { rest, sets } = collectSets(argv);
    const { values: v, positionals } = parse('run', rest, { config: { type: 'string' }, weights: { type: 'string' }, input: { type: 'string' }, output: { type: 'string' } }, true);
    if (positionals.length !== 1) throw new Error('expected exactly one model name (see `mlpkit models`)');
    for (const k of ['weights', 'input', 'output']) if (!v[k]) throw new Error(`--${k} is required`);
    const name = positionals[0];
    const entry = models.get(name);
    const config = models.resolveConfig(name, modelConfig(v, sets));
    const model = entry.create(config);
    loadWeights(model, String(v.weights));
    if (!existsSync(String(v.input))) throw new Error(`input file '${String(v.input)}' does not exist`);
    const given = loadSafetensors(String(v.input));
    const specs = entry.inputs(config);
    const names = Object.keys(given);
    const inputs: Tensor[] = specs.map((s) => {
      const t = given[s.name] ?? (specs.length === 1 && names.length === 1 ? given[names[0]] : undefined);
      if (!t) throw new Error(`input file '${String(v.input)}' has no tensor '${s.name}' (it has ${names.join(', ') || 'none'})`);
      const per = t.shape.slice(1);
      if (per.length !== s.shape.length || per.some((d, i) => d !== s.shape[i])) {
        throw new Error(`input '${s.name}' has shape ${shapeStr(t.shape)} but ${name} expects [B, ${s.shape.join(', ')}]`);
      }
      return t;
    });
    model.eval();
    const outs = [noGrad(() => model.forward(...inputs))];
    const outNames = entry.outputs(config).map((o) => o.name);
    const record: Record<string, Tensor> = {};
    outs.forEach((t, i) => {
      record[outNames[i] ?? `output${i}`] = t;
    });
    saveSafetensors(String(v.output), record, { model: name, config: JSON.stringify(config) });
    for (const [k, t] of Object.entries(record)) console.log(`${k} ${shapeStr(t.shape)} → ${String(v.output)}`);
    return 0;
  },
};
