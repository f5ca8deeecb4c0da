/** The task registry: names, lookup, which task wrote a run folder, and the models each task trains. */
import { describe, expect, it } from 'vitest';
import { models, tasks } from '../../src/index.js';

describe('task registry', () => {
  it('holds classify and forecast, each with a description and defaults', () => {
    expect(tasks.list().map((t) => t.name)).toEqual(['classify', 'forecast']);
    expect(tasks.get('classify')).toBe(tasks.classify);
    expect(tasks.get('forecast')).toBe(tasks.forecast);
    expect(tasks.classify.defaults).toMatchObject({ epochs: 5, batchSize: 128, optimizer: 'adamw', schedule: 'cosine' });
    expect(tasks.forecast.defaults).toMatchObject({ predLen: 96, plotWindows: 4 });
    expect(() => tasks.get('translate')).toThrow(/unknown task 'translate' \(known: classify, forecast\)/);
    expect(() => tasks.register(tasks.classify)).toThrow(/registered twice/);
  });

  it('every registered model names a task that exists, and every forecaster has its family recipe', () => {
    const known = tasks.list().map((t) => t.name);
    for (const e of models.list()) {
      expect(known, e.name).toContain(e.task);
      if (e.task === 'forecast') expect(tasks.recipeFor(e.family), e.name).toBeDefined();
    }
  });

  it('tells which task wrote a run folder, for folders written before runs named their task too', () => {
    expect(tasks.taskOfRun({ task: 'forecast' })).toBe('forecast');
    expect(tasks.taskOfRun({ model: 'timemixer', seqLen: 96, predLen: 96 })).toBe('forecast');
    expect(tasks.taskOfRun({ model: 'mlp', data: 'mnist', epochs: 5 })).toBe('classify');
  });

  it('classify checks its options before loading any data', async () => {
    await expect(tasks.classify.run({ model: 'mlp', data: 'mnist', monitor: 'val_auc' as 'val_loss' })).rejects.toThrow(/must be one of val_loss, val_accuracy, got 'val_auc'/);
    await expect(tasks.classify.run({ model: 'mlp', data: 'mnist', valSize: 0, monitor: 'val_accuracy' })).rejects.toThrow(/needs a validation set/);
    await expect(tasks.classify.run({ model: 'mlp', data: 'cifar' })).rejects.toThrow(/unknown dataset 'cifar' \(known: mnist, fashion-mnist/);
    await expect(tasks.evaluateRun('/nonexistent/run')).rejects.toThrow(/run config file '\/nonexistent\/run\/config.json' does not exist/);
  });
});
