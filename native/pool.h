// A persistent thread pool for the kernels. The calling (JavaScript) thread
// takes part, so a pool of n threads keeps n − 1 workers.
//
// Work is a list of independent tasks claimed one at a time from a shared
// counter, not a fixed share per thread: when a worker is descheduled (a busy
// machine, other processes on the same cores) the other threads simply take
// its tasks, instead of waiting for it at a barrier — the failure that makes
// statically partitioned thread pools slower with two threads than with one on
// a loaded two-core machine. Workers spin briefly after each job before
// sleeping, so back-to-back kernels (a training step) do not pay a wake-up each.
#pragma once

#include <cstdint>

namespace mlpk {

typedef void (*TaskFn)(void* ctx, int64_t task);

/** Threads a kernel may use (MLPKIT_THREADS, default: the CPUs this process may run on). */
int pool_threads();
void pool_set_threads(int n);
/** CPUs available to this process. */
int pool_cpu_count();

/** Run fn(ctx, i) for every i in [0, ntasks) on up to pool_threads() threads; returns when all are done. */
void pool_for(int64_t ntasks, TaskFn fn, void* ctx);

/** Number of tasks to cut `work` units into, each at least `grain` units (1 when one thread should do it all). */
inline int64_t pool_tasks_for(double work, double grain, int64_t max_tasks) {
  if (pool_threads() <= 1 || work < 2 * grain) return 1;
  int64_t t = static_cast<int64_t>(work / grain);
  // A few tasks per thread is enough to balance a thread that falls behind.
  const int64_t cap = static_cast<int64_t>(pool_threads()) * 8;
  if (t > cap) t = cap;
  return t < max_tasks ? t : max_tasks;
}

/** [begin, end) of task `i` of `ntasks` over n items, in multiples of `align`. */
inline void pool_chunk(int64_t n, int64_t i, int64_t ntasks, int64_t align, int64_t* begin, int64_t* end) {
  const int64_t units = (n + align - 1) / align;
  const int64_t lo = units * i / ntasks * align;
  const int64_t hi = units * (i + 1) / ntasks * align;
  *begin = lo < n ? lo : n;
  *end = hi < n ? hi : n;
}

}  // namespace mlpk
