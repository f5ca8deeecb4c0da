/** Helpers the zoo scripts in bench/ share: integer flags and a registered model with a batch of inputs. */
import { models, randn } from '../dist/index.js';

/** Remove `name N` from args and return N (a positive integer), or `fallback` when absent. */
export function intFlag(args, name, fallback) {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(args.splice(i, 2)[1]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
}

/** A registered model with its default config and a random batch of its (first) input. */
export function zooModel(name, batch) {
  const entry = models.get(name);
  const config = models.resolveConfig(name, {});
  return { model: entry.create(config), input: randn([batch, ...entry.inputs(config)[0].shape]) };
}
