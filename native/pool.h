// A persistent thread pool for the kernels. The calling (JavaScript) thread
// takes part as thread 0, so a run with n threads wakes n − 1 workers.
// Workers spin briefly after each task before sleeping, so back-to-back
// kernels (the common case in a training step) do not pay a wake-up each.
#pragma once

#include <cstdint>

namespace mlpk {

typedef void (*TaskFn)(void* ctx, int tid, int nth);

/** Threads a kernel may use (MLPKIT_THREADS, default: the CPUs this process may run on). */
int pool_threads();
void pool_set_threads(int n);
/** CPUs available to this process. */
int pool_cpu_count();

/** Run fn(ctx, tid, nth) for tid in [0, nth) and return when all are done. */
void pool_run(int nth, TaskFn fn, void* ctx);

/** Wait until all nth participants of the current run arrive (for multi-phase kernels). */
void pool_barrier(int nth);

/** Threads worth using for `work` units when one thread should get at least `grain`. */
inline int pool_threads_for(double work, double grain) {
  int n = pool_threads();
  if (n <= 1 || work < 2 * grain) return 1;
  int by_work = static_cast<int>(work / grain);
  return by_work < n ? by_work : n;
}

/** [begin, end) of `n` items for thread tid of nth, in chunks that are multiples of `align`. */
inline void pool_split(int64_t n, int tid, int nth, int64_t align, int64_t* begin, int64_t* end) {
  int64_t units = (n + align - 1) / align;
  int64_t lo = units * tid / nth * align;
  int64_t hi = units * (tid + 1) / nth * align;
  *begin = lo < n ? lo : n;
  *end = hi < n ? hi : n;
}

}  // namespace mlpk
