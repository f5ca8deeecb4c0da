/** `mlpkit models` and `mlpkit info MODEL`: the registry, parameter counts and FLOPs. */
import { randint, randn } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { countFlops } from '../tools/flops.js';
import * as models from '../models/index.js';
import { withoutInit } from '../nn/init.js';
import { PARAM_COUNTS } from '../models/param_counts.js';
import { formatCount } from '../train/progress.js';
import type { Command } from './command.js';
import { collectSets, modelConfig, parse } from './args.js';

const countParams = (m: models.RegisteredModel): number => m.parameters().reduce((n, p) => n + p.size, 0);

/** A batch of one random example per input of a registered model. */
export function exampleInputs(entry: models.ModelEntry, config: models.ModelConfig, batch = 1) {
  return entry.inputs(config).map((i) =>
    i.dtype === 'int32' ? randint(0, i.high ?? 2, [batch, ...i.shape]) : randn([batch, ...i.shape]),
  );
}

export const modelsCommand: Command = {
  summary: 'list the registered models with their parameter counts',
  usage: [
    'Usage: mlpkit models [--family NAME] [--no-params]',
    '',
    'Lists every registered model: name, family, parameters and a description.',
    '  --family NAME   only this family',
    '  --no-params     leave out the parameter counts',
  ].join('\n'),
  run(args) {
    const { values } = parse('models', args, { family: { type: 'string' }, 'no-params': { type: 'boolean' } });
    const list = models.list().filter((e) => !values.family || e.family === values.family);
    if (list.length === 0) throw new Error(`no models in family '${String(values.family)}'`);
    // Counts come from the table written by scripts/count-params.mjs; a model registered
    // elsewhere is built (without random initialisation, which would dominate) to count them.
    const paramsOf = (e: models.ModelEntry): number => PARAM_COUNTS[e.name] ?? countParams(withoutInit(() => e.create(e.defaults)));
    const rows = list.map((e) => [e.name, e.family, values['no-params'] ? '' : formatCount(paramsOf(e)), e.description]);
    const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length), ['name', 'family', 'params'][c].length));
    console.log(['name', 'family', 'params'].map((h, c) => h.padEnd(widths[c])).join('  ') + '  description');
    for (const r of rows) console.log(`${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padStart(widths[2])}  ${r[3]}`);
    return 0;
  },
};

export const infoCommand: Command = {
  summary: 'parameters, FLOPs per sample, inputs and outputs of one model',
  usage: [
    'Usage: mlpkit info MODEL [--config cfg.json] [--set key=value ...]',
    '',
    'Builds MODEL with its defaults (overridden by the config) and prints its config,',
    'parameter count, FLOPs per sample (2 × multiply-adds of its matmuls and convolutions),',
    'input and output shapes, and the paper it implements.',
  ].join('\n'),
  run(argv) {
    const { rest, sets } = collectSets(argv);
    const { values, positionals } = parse('info', rest, { config: { type: 'string' } }, true);
    if (positionals.length !== 1) throw new Error('expected exactly one model name (see `mlpkit models`)');
    const name = positionals[0];
    const entry = models.get(name);
    const config = models.resolveConfig(name, modelConfig(values, sets));
    const model = entry.create(config);
    model.eval();
    const inputs = exampleInputs(entry, config);
    let out: Tensor | undefined;
    const flops = countFlops(() => {
      out = model.forward(...inputs);
    });
    console.log(`${name}  (${entry.family})`);
    console.log(`  paper       ${entry.paper}`);
    console.log(`  parameters  ${countParams(model).toLocaleString('en-US')} (${formatCount(countParams(model))})`);
    console.log(`  FLOPs       ${formatCount(flops)} per sample`);
    entry.inputs(config).forEach((i) => console.log(`  input       ${i.name} [B, ${i.shape.join(', ')}] ${i.dtype ?? 'float32'}`));
    const [output] = entry.outputs(config);
    console.log(`  output      ${output.name} [B, ${out!.shape.slice(1).join(', ')}]`);
    console.log(`  config      ${JSON.stringify(config)}`);
    return 0;
  },
};
