/** `mlpkit run`: build a registered model, load weights, run forward on named inputs, write named outputs. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadSafetensors, saveSafetensors } from '../io/index.js';
import * as models from '../models/index.js';
import { noGrad } from '../autograd/mode.js';
import { shapeStr } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Command } from './command.js';
import { collectSets, modelConfig, parse } from './args.js';
import { loadWeights } from '../train/checkpoint.js';
import { readRunConfig } from '../tasks/task.js';

export const runCommand: Command = {
  summary: 'run a model on inputs from a safetensors file and write its outputs',
  usage: [
    'Usage: mlpkit run MODEL --weights W.safetensors --input IN.safetensors --output OUT.safetensors',
    '                  [--config cfg.json] [--set key=value ...]',
    '       mlpkit run --run-dir DIR --input IN.safetensors --output OUT.safetensors [--weights W.safetensors]',
    '',
    'Builds MODEL with the config, loads the weights (a state dict with the reference names,',
    'or an mlpkit checkpoint), runs forward in eval mode on the input tensors named as in',
    '`mlpkit info MODEL` (a file with a single tensor may use any name) and writes the outputs',
    'under their names. An input may have any shape with the right number of elements per',
    'sample (MNIST images [B, 1, 28, 28] for an MLP taking [B, 784]).',
    '',
    'With --run-dir, the model and its config come from the run folder\'s config.json and the',
    'weights default to its best.safetensors.',
  ].join('\n'),
  run(argv) {
    const { rest, sets } = collectSets(argv);
    const { values: v, positionals } = parse('run', rest, { config: { type: 'string' }, weights: { type: 'string' }, input: { type: 'string' }, output: { type: 'string' }, 'run-dir': { type: 'string' } }, true);
    let name: string;
    let userConfig: Record<string, unknown>;
    let weights = v.weights === undefined ? undefined : String(v.weights);
    if (v['run-dir'] !== undefined) {
      const runDir = String(v['run-dir']);
      if (positionals.length) throw new Error(`give a model name or --run-dir, not both (the run folder '${runDir}' names its model)`);
      const run = readRunConfig(runDir);
      name = String(run.model);
      userConfig = { ...(run.config as Record<string, unknown>), ...modelConfig(v, sets) };
      weights ??= join(runDir, 'best.safetensors');
    } else {
      if (positionals.length !== 1) throw new Error('expected exactly one model name (see `mlpkit models`), or --run-dir');
      name = positionals[0];
      userConfig = modelConfig(v, sets);
    }
    for (const k of ['input', 'output']) if (!v[k]) throw new Error(`--${k} is required`);
    if (!weights) throw new Error('--weights is required (or --run-dir, whose best.safetensors is used)');
    const entry = models.get(name);
    const config = models.resolveConfig(name, userConfig);
    const model = entry.create(config);
    loadWeights(model, weights);
    if (!existsSync(String(v.input))) throw new Error(`input file '${String(v.input)}' does not exist`);
    const given = loadSafetensors(String(v.input));
    const specs = entry.inputs(config);
    const names = Object.keys(given);
    const inputs: Tensor[] = specs.map((s) => {
      const t = given[s.name] ?? (specs.length === 1 && names.length === 1 ? given[names[0]] : undefined);
      if (!t) throw new Error(`input file '${String(v.input)}' has no tensor '${s.name}' (it has ${names.join(', ') || 'none'})`);
      return models.fitToInput(t, s, name);
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
