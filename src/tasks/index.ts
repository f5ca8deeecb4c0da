/**
 * Tasks end to end — data, model, recipe, training, evaluation, run-folder
 * artefacts — as library calls. `mlpkit train --task NAME` and `mlpkit eval`
 * are thin wrappers over them.
 * @example
 * import { tasks } from 'mlpkit';
 * await tasks.classify.run({ model: 'mlp', data: 'mnist', epochs: 1 });
 * await tasks.forecast.run({ model: 'timemixer', data: 'ETTh1', predLen: 96 });
 * await tasks.evaluateRun('runs/timemixer-ETTh1-96-96'); // whichever task wrote it
 */
import { classify } from './classify.js';
import { forecast } from './forecast.js';
import { getTask, readRunConfig, registerTask, taskOfRun, type EvaluateOptions } from './task.js';

registerTask(classify);
registerTask(forecast);

export { classify, evaluateWeights, CLASSIFY_DATASETS, CLASSIFY_MONITORS } from './classify.js';
export type { ClassifyOptions, ClassifyResult, ClassifyEvaluation, ClassifyWeights } from './classify.js';
export { forecast } from './forecast.js';
export type { ForecastOptions, ForecastResult, ForecastMetrics } from './forecast.js';
export { RECIPES, recipeFor } from './forecast_recipes.js';
export type { ForecastRecipe, FamilyRecipe, DataKeys } from './forecast_recipes.js';
export { getTask as get, listTasks as list, registerTask as register, readRunConfig, taskOfRun } from './task.js';
export type { Task, AnyTask, TaskOptions, EvaluateOptions } from './task.js';

/**
 * Score a run folder's weights again with the task that wrote it.
 * @example const m = await evaluateRun('runs/mlp-mnist'); // { loss, accuracy, top5 }
 */
export async function evaluateRun(runDir: string, options?: EvaluateOptions): Promise<unknown> {
  return getTask(taskOfRun(readRunConfig(runDir))).evaluate(runDir, options);
}
