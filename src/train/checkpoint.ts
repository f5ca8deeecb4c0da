/**
 * Training checkpoints: one safetensors file holding the model's state dict
 * (under `model.`), the optimiser's per-parameter state tensors (under
 * `optim.`), and, as JSON in the metadata, everything else a resumed run
 * needs to continue exactly as an uninterrupted one — optimiser
 * hyperparameters and step counts, the schedule, the data loader's shuffle
 * state, every random generator the model uses, the epoch and the caller's
 * own progress record. Saved atomically.
 */
import { existsSync } from 'node:fs';
import { loadSafetensorsFile, saveSafetensors } from '../io/index.js';
import type { DataLoader, DataLoaderState } from '../data/index.js';
import type { AnyModule } from '../nn/module.js';
import type { Optimizer, OptimizerStateDict } from '../optim/index.js';
import type { LRScheduler, SchedulerStateDict } from '../optim/schedules.js';
import { defaultGenerator, Generator, type GeneratorState } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';

export interface TrainingState {
  model: AnyModule;
  optimizer?: Optimizer;
  scheduler?: LRScheduler | null;
  loader?: DataLoader | null;
}

interface CheckpointMeta {
  format: 'mlpkit-checkpoint-1';
  epoch: number;
  optimizer: { paramGroups: OptimizerStateDict['paramGroups']; scalars: Record<string, Record<string, number>> } | null;
  scheduler: SchedulerStateDict | null;
  loader: DataLoaderState | null;
  /** The default generator, then each distinct generator found in the model's fields, in walk order. */
  generators: GeneratorState[];
  progress: unknown;
}

/** Generators the model draws from (e.g. dropout masks), in a stable order, each once. */
function modelGenerators(model: AnyModule): Generator[] {
  const found: Generator[] = [defaultGenerator];
  for (const m of model.modules()) {
    for (const v of Object.values(m)) if (v instanceof Generator && !found.includes(v)) found.push(v);
  }
  return found;
}

/** Save a checkpoint after `epoch` (1-based count of finished epochs). */
export function saveCheckpoint(path: string, state: TrainingState, epoch: number, progress: unknown = null): void {
  const tensors: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(state.model.stateDict())) tensors[`model.${k}`] = v;
  let optimizer: CheckpointMeta['optimizer'] = null;
  if (state.optimizer) {
    const sd = state.optimizer.stateDict();
    const scalars: Record<string, Record<string, number>> = {};
    for (const [i, st] of Object.entries(sd.state)) {
      for (const [k, v] of Object.entries(st)) {
        if (v instanceof Tensor) tensors[`optim.${i}.${k}`] = v;
        else (scalars[i] ??= {})[k] = v;
      }
    }
    optimizer = { paramGroups: sd.paramGroups, scalars };
  }
  const meta: CheckpointMeta = {
    format: 'mlpkit-checkpoint-1',
    epoch,
    optimizer,
    scheduler: state.scheduler?.stateDict() ?? null,
    loader: state.loader?.stateDict() ?? null,
    generators: modelGenerators(state.model).map((g) => g.getState()),
    progress,
  };
  saveSafetensors(path, tensors, { mlpkit: JSON.stringify(meta) });
}

/** The model's state dict inside a checkpoint's tensors (the `model.`-prefixed entries). */
export function modelStateOf(tensors: Record<string, Tensor>): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(tensors).filter(([k]) => k.startsWith('model.')).map(([k, v]) => [k.slice(6), v]));
}

/**
 * Restore a checkpoint into live objects built the same way as when it was
 * saved. Returns the epoch it was saved after and the caller's progress record.
 */
export function loadCheckpoint(path: string, state: TrainingState): { epoch: number; progress: unknown } {
  const { tensors, metadata } = loadSafetensorsFile(path, { keepFloat64: true });
  if (!metadata.mlpkit) throw new Error(`${path}: not an mlpkit checkpoint (no 'mlpkit' metadata; a plain weights file loads with loadStateDict)`);
  let meta: CheckpointMeta;
  try {
    meta = JSON.parse(metadata.mlpkit) as CheckpointMeta;
  } catch (e) {
    throw new Error(`${path}: checkpoint metadata is not valid JSON (${(e as Error).message})`);
  }
  if (meta.format !== 'mlpkit-checkpoint-1') throw new Error(`${path}: unknown checkpoint format '${String(meta.format)}'`);
  const modelSd = modelStateOf(tensors);
  const optimTensors: Record<string, Record<string, Tensor>> = {};
  for (const [k, v] of Object.entries(tensors)) {
    if (k.startsWith('optim.')) {
      const [, i, ...rest] = k.split('.');
      (optimTensors[i] ??= {})[rest.join('.')] = v;
    }
  }
  state.model.loadStateDict(modelSd);
  if (state.optimizer) {
    if (!meta.optimizer) throw new Error(`${path}: the checkpoint has no optimiser state to resume from`);
    const st: OptimizerStateDict['state'] = {};
    const ids = new Set([...Object.keys(meta.optimizer.scalars), ...Object.keys(optimTensors)]);
    for (const i of ids) st[Number(i)] = { ...(meta.optimizer.scalars[i] ?? {}), ...(optimTensors[i] ?? {}) };
    state.optimizer.loadStateDict({ state: st, paramGroups: meta.optimizer.paramGroups });
  }
  if (state.scheduler && meta.scheduler) state.scheduler.loadStateDict(meta.scheduler);
  if (state.loader && meta.loader) state.loader.loadStateDict(meta.loader);
  const gens = modelGenerators(state.model);
  if (gens.length !== meta.generators.length) {
    throw new Error(`${path}: the checkpoint saved ${meta.generators.length} random generators but the model uses ${gens.length}`);
  }
  gens.forEach((g, i) => g.setState(meta.generators[i]));
  return { epoch: meta.epoch, progress: meta.progress };
}

/**
 * Load weights into a model: a plain state dict, or the model part of an
 * mlpkit checkpoint (its optimiser, schedule and random-generator states are
 * for resuming training, not for using the weights).
 * @example loadWeights(model, 'runs/mlp-mnist/best.safetensors');
 */
export function loadWeights(model: AnyModule, path: string): void {
  if (!existsSync(path)) throw new Error(`weights file '${path}' does not exist`);
  const { tensors, metadata } = loadSafetensorsFile(path);
  model.loadStateDict(metadata.mlpkit ? modelStateOf(tensors) : tensors);
}
