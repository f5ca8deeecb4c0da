// The fused narrow two-layer perceptron, Linear(C→F) → ReLU → dropout mask →
// Linear(F→O), compiled once per ISA level (see simd.h). Meant for narrow
// outer widths (a handful of channels, as in TSMixer's feature mixing): there
// a GEMM has an inner or outer dimension of a few elements and runs far below
// its peak, and the composed op writes and reads several rows × F tensors per
// pass. Here a tile of rows keeps its F-wide hidden activations in L1; the
// backward pass recomputes them instead of storing them.
//
// Layout: x rows×C, W1 F×C (copied transposed, C×F, zero-padded to a whole
// number of vectors), W2 O×F (copied zero-padded), keep rows×F bytes or null
// (a dropped hidden unit is 0, a kept one is multiplied by scale).
#include <stdlib.h>

#include "kernels.h"
#include "pool.h"
#include "simd.h"

namespace MLPK_NS {
namespace {

constexpr int RT = 8;  // rows per tile: one vector accumulator per row

// Rows per task below which splitting does not pay (≈ 20k flops a row for F = 512, C = O = 7).
constexpr double kGrainRows = 64;

MLPK_INLINE int64_t round_up(int64_t n, int64_t m) { return (n + m - 1) / m * m; }

// The dropout factors of VL hidden units from their keep bytes (n of them
// left in the row): scale where kept, 0 where dropped or past the row.
MLPK_INLINE vf keep_factors(const uint8_t* p, int64_t n, float scale) {
  vi k = vi{};
  if (n >= VL) {
    for (int i = 0; i < VL; i++) k[i] = p[i];
  } else {
    for (int64_t i = 0; i < n; i++) k[i] = p[i];
  }
  return vsel(k != vi{}, vsplat(scale), vf{});
}

struct MlpTask {
  const float* x;
  const uint8_t* keep;
  float scale;
  const float* g;     // backward: output gradient rows×O
  float* out;         // forward: rows×O; backward: dx rows×C
  const float* w1t;   // C×Fp
  const float* b1;    // Fp (zeros when the layer has no bias)
  const float* w2;    // O×Fp
  const float* b2;    // O or null
  float* partial;     // backward: per task, C×Fp (dW1ᵀ), O×Fp (dW2), Fp (db1), O (db2)
  int64_t rows, c, f, fp, o, ntasks;
};

MLPK_INLINE int64_t partial_size(const MlpTask& t) { return (t.c + t.o + 1) * t.fp + t.o; }

// Hidden layer of NT ≤ RT rows from r0: a = relu(h)·m and, when d is not
// null, the local derivative d = [h > 0]·m (m: the dropout factors); both NT × Fp.
template <int NT>
MLPK_INLINE void hidden_tile(const MlpTask& t, int64_t r0, float* a, float* d) {
  const int64_t C = t.c, F = t.f, Fp = t.fp;
  for (int64_t j = 0; j < Fp; j += VL) {
    vf acc[NT];
    const vf bias = vload(t.b1 + j);
    for (int r = 0; r < NT; r++) acc[r] = bias;
    for (int64_t k = 0; k < C; k++) {
      const vf w = vload(t.w1t + k * Fp + j);
      for (int r = 0; r < NT; r++) acc[r] += t.x[(r0 + r) * C + k] * w;
    }
    for (int r = 0; r < NT; r++) {
      const vi on = acc[r] > vf{};
      const vf m = t.keep ? keep_factors(t.keep + (r0 + r) * F + j, F - j, t.scale) : vsplat(1.0f);
      vstore(a + r * Fp + j, vsel(on, acc[r] * m, vf{}));
      if (d) vstore(d + r * Fp + j, vsel(on, m, vf{}));
    }
  }
}

// out[r·ostride] = bias + Σ_j w[j]·rows[r·Fp + j] for the NT rows of a tile:
// one output column from a weight row and the tile's F-wide buffers.
template <int NT>
MLPK_INLINE void tile_dots(const float* w, const float* rows, int64_t Fp, float* out, int64_t ostride, float bias) {
  vf acc[NT];
  for (int r = 0; r < NT; r++) acc[r] = vf{};
  for (int64_t j = 0; j < Fp; j += VL) {
    const vf wv = vload(w + j);
    for (int r = 0; r < NT; r++) acc[r] += wv * vload(rows + r * Fp + j);
  }
  for (int r = 0; r < NT; r++) out[r * ostride] = hsum(acc[r]) + bias;
}

template <int NT>
void forward_tile(const MlpTask& t, int64_t r0, float* a) {
  hidden_tile<NT>(t, r0, a, nullptr);
  for (int64_t q = 0; q < t.o; q++) tile_dots<NT>(t.w2 + q * t.fp, a, t.fp, t.out + r0 * t.o + q, t.o, t.b2 ? t.b2[q] : 0.0f);
}

// Backward of one tile: dx rows, and the tile's contributions added to the task's partial sums.
template <int NT>
void backward_tile(const MlpTask& t, int64_t r0, float* a, float* d, float* gh, float* part) {
  hidden_tile<NT>(t, r0, a, d);
  const int64_t C = t.c, Fp = t.fp, O = t.o;
  const float* g = t.g + r0 * O;
  float* dw1t = part;
  float* dw2 = part + C * Fp;
  float* db1 = dw2 + O * Fp;
  float* db2 = db1 + Fp;
  // gh = (g·W2)·d, and db1 += Σ_rows gh
  for (int64_t j = 0; j < Fp; j += VL) {
    vf acc[NT];
    for (int r = 0; r < NT; r++) acc[r] = vf{};
    for (int64_t q = 0; q < O; q++) {
      const vf w = vload(t.w2 + q * Fp + j);
      for (int r = 0; r < NT; r++) acc[r] += g[r * O + q] * w;
    }
    vf sb = vload(db1 + j);
    for (int r = 0; r < NT; r++) {
      const vf v = acc[r] * vload(d + r * Fp + j);
      vstore(gh + r * Fp + j, v);
      sb += v;
    }
    vstore(db1 + j, sb);
  }
  // dW2 += gᵀ·a, db2 += Σ_rows g
  for (int64_t q = 0; q < O; q++) {
    float* w = dw2 + q * Fp;
    for (int64_t j = 0; j < Fp; j += VL) {
      vf acc = vload(w + j);
      for (int r = 0; r < NT; r++) acc += g[r * O + q] * vload(a + r * Fp + j);
      vstore(w + j, acc);
    }
    float s = 0.0f;
    for (int r = 0; r < NT; r++) s += g[r * O + q];
    db2[q] += s;
  }
  // dW1ᵀ += xᵀ·gh
  for (int64_t k = 0; k < C; k++) {
    float* w = dw1t + k * Fp;
    for (int64_t j = 0; j < Fp; j += VL) {
      vf acc = vload(w + j);
      for (int r = 0; r < NT; r++) acc += t.x[(r0 + r) * C + k] * vload(gh + r * Fp + j);
      vstore(w + j, acc);
    }
  }
  // dx = gh·W1
  for (int64_t k = 0; k < C; k++) tile_dots<NT>(t.w1t + k * Fp, gh, Fp, t.out + r0 * C + k, C, 0.0f);
}

// Rows [r0, r1) in tiles of RT, the last rows one at a time.
void run_rows(const MlpTask& t, int64_t r0, int64_t r1, float* part) {
  const int64_t Fp = t.fp;
  float* buf = static_cast<float*>(aligned_alloc(64, static_cast<size_t>(3 * RT * Fp) * sizeof(float)));
  if (!buf) abort();  // a few KiB: failing here means the process is out of memory anyway
  float* a = buf;
  float* d = buf + RT * Fp;
  float* gh = buf + 2 * RT * Fp;
  int64_t r = r0;
  for (; r + RT <= r1; r += RT) part ? backward_tile<RT>(t, r, a, d, gh, part) : forward_tile<RT>(t, r, a);
  for (; r < r1; r++) part ? backward_tile<1>(t, r, a, d, gh, part) : forward_tile<1>(t, r, a);
  free(buf);
}

// Tasks to split the rows into among the pool's threads.
int64_t task_count(int64_t rows, int64_t c, int64_t f, int64_t o, bool backward) {
  const double flops_per_row = static_cast<double>(f) * static_cast<double>(c + o) * (backward ? 6.0 : 2.0);
  const int64_t n = mlpk::pool_tasks_for(static_cast<double>(rows), kGrainRows * (20000.0 / (flops_per_row + 1.0)), (rows + RT - 1) / RT);
  return n < 1 ? 1 : n;
}

// Runs t.ntasks tasks (each backward task with its own partial sums).
void run(MlpTask& t) {
  auto task = [](void* c, int64_t i) {
    auto* t = static_cast<MlpTask*>(c);
    int64_t r0, r1;
    mlpk::pool_chunk(t->rows, i, t->ntasks, RT, &r0, &r1);
    if (r1 > r0) run_rows(*t, r0, r1, t->partial ? t->partial + i * partial_size(*t) : nullptr);
  };
  if (t.ntasks == 1) task(&t, 0);
  else mlpk::pool_for(t.ntasks, task, &t);
}

// Weights in the kernel's layout: W1ᵀ (C×Fp), b1 (Fp), W2 (O×Fp), zero-padded. Returns the block (free it) or null.
float* pack_weights(const float* w1, const float* b1, const float* w2, int64_t C, int64_t F, int64_t Fp, int64_t O) {
  float* p = static_cast<float*>(calloc(static_cast<size_t>((C + 1 + O) * Fp), sizeof(float)));
  if (!p) return nullptr;
  for (int64_t j = 0; j < F; j++)
    for (int64_t k = 0; k < C; k++) p[k * Fp + j] = w1[j * C + k];
  if (b1)
    for (int64_t j = 0; j < F; j++) p[C * Fp + j] = b1[j];
  for (int64_t q = 0; q < O; q++)
    for (int64_t j = 0; j < F; j++) p[(C + 1 + q) * Fp + j] = w2[q * F + j];
  return p;
}

}  // namespace

bool mlp_forward_f32(float* out, const float* x, const float* w1, const float* b1, const float* w2, const float* b2,
                     const uint8_t* keep, float scale, int64_t rows, int64_t c, int64_t f, int64_t o) {
  const int64_t fp = round_up(f, VL);
  float* packed = pack_weights(w1, b1, w2, c, f, fp, o);
  if (!packed) return false;
  MlpTask t{x, keep, scale, nullptr, out, packed, packed + c * fp, packed + (c + 1) * fp, b2, nullptr, rows, c, f, fp, o,
            task_count(rows, c, f, o, false)};
  run(t);
  free(packed);
  return true;
}

bool mlp_backward_f32(float* dx, float* dw1, float* db1, float* dw2, float* db2, const float* g, const float* x,
                      const float* w1, const float* b1, const float* w2, const uint8_t* keep, float scale, int64_t rows,
                      int64_t c, int64_t f, int64_t o) {
  const int64_t fp = round_up(f, VL);
  float* packed = pack_weights(w1, b1, w2, c, f, fp, o);
  if (!packed) return false;
  MlpTask t{x, keep, scale, g, dx, packed, packed + c * fp, packed + (c + 1) * fp, nullptr, nullptr, rows, c, f, fp, o,
            task_count(rows, c, f, o, true)};
  const int64_t psize = partial_size(t);
  t.partial = static_cast<float*>(calloc(static_cast<size_t>(t.ntasks * psize), sizeof(float)));
  if (!t.partial) {
    free(packed);
    return false;
  }
  run(t);
  // Sum the tasks' partials into the gradients, W1's back in F×C order.
  for (int64_t i = 1; i < t.ntasks; i++) {
    float* dst = t.partial;
    const float* src = t.partial + i * psize;
    for (int64_t e = 0; e < psize; e++) dst[e] += src[e];
  }
  const float* p = t.partial;
  if (dw1)
    for (int64_t j = 0; j < f; j++)
      for (int64_t k = 0; k < c; k++) dw1[j * c + k] = p[k * fp + j];
  if (dw2)
    for (int64_t q = 0; q < o; q++)
      for (int64_t j = 0; j < f; j++) dw2[q * f + j] = p[(c + q) * fp + j];
  if (db1)
    for (int64_t j = 0; j < f; j++) db1[j] = p[(c + o) * fp + j];
  if (db2)
    for (int64_t q = 0; q < o; q++) db2[q] = p[(c + o + 1) * fp + q];
  free(t.partial);
  free(packed);
  return true;
}

}  // namespace MLPK_NS
