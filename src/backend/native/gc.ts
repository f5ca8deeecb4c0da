/**
 * V8's garbage collector, set for the native backend's allocation pattern.
 *
 * Training: a step allocates hundreds of megabytes of op results outside the
 * JS heap; V8 answers that external-memory pressure with a marking cycle every
 * few tens of milliseconds. Marked concurrently, each cycle needs helper
 * threads on cores the kernels are using, and meanwhile the main thread runs
 * with the marking write barrier on: steps of PatchTSMixer took 1.5× as long
 * (bench/README.md). On a JS heap this small, marking on the main thread is a
 * pause of a few milliseconds. So loading the addon turns concurrent marking
 * off. MLPKIT_GC_TUNING=0 leaves V8's default alone (as MLPKIT_MALLOC_TUNING=0
 * does glibc's, native/addon.cc).
 *
 * Inference: without a graph, every op result is garbage as soon as the next
 * op has read it, and large evaluation batches make it faster than marking on
 * the main thread keeps up with: a validation pass of mixer_tiny_28 at batch
 * 1000 peaked at ≈ 1.0–1.1 GiB RSS (3–4 GiB after training steps) against
 * 340 MiB with concurrent marking. `withInferenceGc` turns it back on for the
 * length of an evaluation pass.
 */

let gc: (() => void) | null = null;
let v8: typeof import('node:v8') | null = null;
/** Nesting depth of withInferenceGc (only the outermost switches). */
let depth = 0;

/**
 * Switch a V8 flag that the marker reads. The flag must not change under a
 * marking cycle in progress (V8 would not join its concurrent markers): one
 * full collection first finishes any cycle.
 */
function switchMarking(concurrent: boolean): void {
  gc!();
  v8!.setFlagsFromString(concurrent ? '--concurrent-marking' : '--no-concurrent-marking');
}

/** Called once when the addon loads. */
export function tuneGcForTraining(proc: NodeJS.Process): void {
  if (proc.env.MLPKIT_GC_TUNING === '0' || gc) return;
  v8 = proc.getBuiltinModule('node:v8') as typeof import('node:v8');
  const vm = proc.getBuiltinModule('node:vm') as typeof import('node:vm');
  // Take V8's gc function through a throwaway context, so no global `gc` appears,
  // and turn exposure off again so contexts made later get none either.
  v8.setFlagsFromString('--expose-gc');
  gc = vm.runInNewContext('gc') as () => void;
  v8.setFlagsFromString('--no-expose-gc');
  switchMarking(false);
}

/** True while the training setting (concurrent marking off) is in force. */
export function gcTunedForTraining(): boolean {
  return gc !== null && depth === 0;
}

/**
 * Run `fn` (an evaluation pass: many large forward passes without a graph)
 * with V8's concurrent marking on, then restore the training setting. A no-op
 * wrapper where the setting was never changed (MLPKIT_GC_TUNING=0, or the
 * native backend is not loaded). Costs two full collections.
 */
export function withInferenceGc<T>(fn: () => T): T {
  if (!gc) return fn();
  if (depth++ === 0) switchMarking(true);
  try {
    return fn();
  } finally {
    if (--depth === 0) switchMarking(false);
  }
}
