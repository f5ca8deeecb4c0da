#include "pool.h"

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sched.h>
#endif

namespace mlpk {
namespace {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// About 50 µs of spinning before a worker sleeps: longer than the JavaScript
// between two kernels of a training step, short enough not to steal a core
// from other processes for long.
constexpr int kSpinIterations = 20000;

struct Pool {
  std::vector<std::thread> workers;  // never joined: the process ends them
  std::atomic<uint64_t> generation{0};
  std::atomic<int> remaining{0};
  std::atomic<bool> stop{false};
  TaskFn fn = nullptr;
  void* ctx = nullptr;
  int nth = 1;
  std::mutex mu;
  std::condition_variable cv;
  std::atomic<int> bar_count{0};
  std::atomic<uint32_t> bar_gen{0};
};

// Leaked on purpose: workers may still be reading it while the process exits.
Pool* g_pool = nullptr;
int g_threads = 0;
std::mutex g_run_mu;  // one run at a time (several JS threads may load the addon)
thread_local bool t_in_run = false;

void worker_main(Pool* p, int id) {
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
    if (id < p->nth) {
      t_in_run = true;
      p->fn(p->ctx, id, p->nth);
      t_in_run = false;
      p->remaining.fetch_sub(1, std::memory_order_acq_rel);
    }
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
  stop_pool(g_pool);  // the old pool object is leaked; its threads have exited
  g_pool = new Pool();
  for (int i = 1; i < n; i++) g_pool->workers.emplace_back(worker_main, g_pool, i);
  return g_pool;
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
  std::lock_guard<std::mutex> lk(g_run_mu);
  g_threads = n < 1 ? 1 : n;
}

void pool_run(int nth, TaskFn fn, void* ctx) {
  if (nth <= 1 || t_in_run) {
    fn(ctx, 0, 1);
    return;
  }
  std::unique_lock<std::mutex> run_lock(g_run_mu, std::try_to_lock);
  if (!run_lock.owns_lock()) {
    fn(ctx, 0, 1);
    return;
  }
  if (nth > g_threads) nth = g_threads;
  Pool* p = ensure_pool(g_threads);
  p->fn = fn;
  p->ctx = ctx;
  p->nth = nth;
  p->remaining.store(nth - 1, std::memory_order_relaxed);
  {
    // Taking the lock orders this wake-up against a worker that is about to sleep.
    std::lock_guard<std::mutex> lk(p->mu);
    p->generation.fetch_add(1, std::memory_order_acq_rel);
  }
  p->cv.notify_all();
  t_in_run = true;
  fn(ctx, 0, nth);
  t_in_run = false;
  while (p->remaining.load(std::memory_order_acquire) != 0) cpu_relax();
}

void pool_barrier(int nth) {
  if (nth <= 1) return;
  Pool* p = g_pool;
  uint32_t g = p->bar_gen.load(std::memory_order_acquire);
  if (p->bar_count.fetch_add(1, std::memory_order_acq_rel) == nth - 1) {
    p->bar_count.store(0, std::memory_order_relaxed);
    p->bar_gen.fetch_add(1, std::memory_order_acq_rel);
  } else {
    while (p->bar_gen.load(std::memory_order_acquire) == g) cpu_relax();
  }
}

}  // namespace mlpk
