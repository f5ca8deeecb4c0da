#include "pool.h"

#include <sched.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace mlpk {
namespace {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// About 30 µs of spinning before a worker sleeps: longer than the JavaScript
// between two kernels of a training step, short enough not to hold a core
// that other processes want.
constexpr int kSpinIterations = 12000;

struct Pool {
  std::vector<std::thread> workers;  // detached; the process ends them
  std::atomic<uint64_t> generation{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::condition_variable cv;
  // The current job. Fields are written before `generation` is bumped and
  // stay valid until every worker that entered the job has left it (`active`).
  TaskFn fn = nullptr;
  void* ctx = nullptr;
  int64_t ntasks = 0;
  int participants = 1;  // workers with id < participants take part
  std::atomic<int64_t> next{0};
  std::atomic<int64_t> done{0};
  std::atomic<bool> closed{true};
  std::atomic<int> active{0};
};

// Leaked on purpose: detached workers may still read it while the process exits.
Pool* g_pool = nullptr;
int g_threads = 0;
std::mutex g_job_mu;  // one job at a time (several JS threads may load the addon)
thread_local bool t_in_job = false;

void claim_tasks(Pool* p) {
  int64_t i;
  while ((i = p->next.fetch_add(1, std::memory_order_relaxed)) < p->ntasks) {
    p->fn(p->ctx, i);
    p->done.fetch_add(1, std::memory_order_release);
  }
}

void worker_main(Pool* p, int id) {
  t_in_job = true;  // kernels run by a worker never start a nested job
  uint64_t seen = 0;
  for (;;) {
    uint64_t g;
    int spins = 0;
    while ((g = p->generation.load(std::memory_order_acquire)) == seen) {
      if (++spins < kSpinIterations) {
        cpu_relax();
        continue;
      }
      std::unique_lock<std::mutex> lk(p->mu);
      p->cv.wait(lk, [&] { return p->generation.load(std::memory_order_acquire) != seen; });
    }
    seen = g;
    if (p->stop.load(std::memory_order_acquire)) return;
    if (id >= p->participants) continue;
    // Enter, then check the job is still open: a worker that wakes after the
    // caller has finished every task must not touch the (gone) job.
    p->active.fetch_add(1, std::memory_order_seq_cst);
    if (!p->closed.load(std::memory_order_seq_cst) && p->generation.load(std::memory_order_seq_cst) == g) claim_tasks(p);
    p->active.fetch_sub(1, std::memory_order_release);
  }
}

void stop_pool(Pool* p) {
  if (!p) return;
  p->stop.store(true, std::memory_order_release);
  {
    std::lock_guard<std::mutex> lk(p->mu);
    p->generation.fetch_add(1, std::memory_order_acq_rel);
  }
  p->cv.notify_all();
  for (auto& t : p->workers) t.join();
}

Pool* ensure_pool(int n) {
  if (g_pool && static_cast<int>(g_pool->workers.size()) == n - 1) return g_pool;
  stop_pool(g_pool);  // its threads have exited; the object itself is leaked
  g_pool = new Pool();
  for (int i = 1; i < n; i++) g_pool->workers.emplace_back(worker_main, g_pool, i);
  return g_pool;
}

// Wait politely: spin a little, then give the core away (the thread we wait
// for may be waiting for this very core).
template <class Ready>
void wait_until(Ready ready) {
  for (int spins = 0; !ready(); spins++) {
    if (spins < 2000) cpu_relax();
    else sched_yield();
  }
}

}  // namespace

int pool_cpu_count() {
#if defined(__linux__)
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    int c = CPU_COUNT(&set);
    if (c > 0) return c;
  }
#endif
  unsigned h = std::thread::hardware_concurrency();
  return h > 0 ? static_cast<int>(h) : 1;
}

int pool_threads() {
  if (g_threads == 0) g_threads = pool_cpu_count();
  return g_threads;
}

void pool_set_threads(int n) {
  std::lock_guard<std::mutex> lk(g_job_mu);
  g_threads = n < 1 ? 1 : n;
}

void pool_for(int64_t ntasks, TaskFn fn, void* ctx) {
  const int threads = pool_threads();
  std::unique_lock<std::mutex> job_lock(g_job_mu, std::defer_lock);
  if (ntasks <= 1 || threads <= 1 || t_in_job || !job_lock.try_lock()) {
    for (int64_t i = 0; i < ntasks; i++) fn(ctx, i);
    return;
  }
  Pool* p = ensure_pool(threads);
  p->fn = fn;
  p->ctx = ctx;
  p->ntasks = ntasks;
  p->participants = static_cast<int>(ntasks < threads ? ntasks : threads);
  p->next.store(0, std::memory_order_relaxed);
  p->done.store(0, std::memory_order_relaxed);
  p->closed.store(false, std::memory_order_seq_cst);
  {
    // Taking the lock orders this wake-up against a worker about to sleep.
    std::lock_guard<std::mutex> lk(p->mu);
    p->generation.fetch_add(1, std::memory_order_acq_rel);
  }
  p->cv.notify_all();
  t_in_job = true;
  claim_tasks(p);
  t_in_job = false;
  wait_until([&] { return p->done.load(std::memory_order_acquire) == ntasks; });
  p->closed.store(true, std::memory_order_seq_cst);
  wait_until([&] { return p->active.load(std::memory_order_seq_cst) == 0; });
}

}  // namespace mlpk
