// Single-precision GEMM: C = op(A)·op(B), C row-major and overwritten.
//
// The classic Goto/BLIS structure. B is packed by blocks of KC × NC into
// panels NR columns wide (shared by the threads), A by blocks of MC × KC into
// panels MR rows tall (one buffer per thread); an MR × NR register-blocked
// micro-kernel then runs over the packed panels. Packing reads any layout
// (both transposes), so the micro-kernel only ever sees one. Edge panels are
// zero-padded, so the micro-kernel always computes a full tile.
//
// Threads split the rows of C (B block packed cooperatively, two barriers per
// KC step), or its columns when C has too few rows for that, or whole
// matrices of a batch when each product is small.
#include <stdlib.h>

#include "kernels.h"
#include "pool.h"
#include "simd.h"

namespace MLPK_NS {
namespace {

constexpr int NR = 2 * VL;                // two vectors of C columns
constexpr int MR = VL == 16 ? 14 : 6;     // rows: 2·MR accumulators + 3 registers ≤ register file
constexpr int64_t KC = 256;               // a KC × NR panel of B stays in L1/L2 while A panels stream
constexpr int64_t MC = MR * 12;           // an MC × KC block of A stays in L2
constexpr int64_t NC = NR * 128;          // a KC × NC block of B stays in L3

// Products with fewer multiply-adds than this skip packing altogether.
constexpr double kSmallMacs = 8 * 8 * 8 * 8;
// Multiply-adds per thread below which another thread does not pay.
constexpr double kGrainMacs = 1 << 17;

struct View {
  const float* p;
  int64_t rs, cs;  // element (i, j) is p[i·rs + j·cs]
  MLPK_INLINE float at(int64_t i, int64_t j) const { return p[i * rs + j * cs]; }
};

// ------------------------------------------------------------------ packing

// A block rows [i0, i0+mc) × cols [k0, k0+kc) into MR-row panels, k-major: dst[panel][k][r].
void pack_a(const View& A, int64_t i0, int64_t mc, int64_t k0, int64_t kc, float* dst) {
  for (int64_t ip = 0; ip < mc; ip += MR) {
    const int rows = static_cast<int>(mc - ip < MR ? mc - ip : MR);
    float* d = dst + ip * kc;
    if (A.rs == 1) {
      // Stored transposed: the MR values of one k are contiguous.
      for (int64_t k = 0; k < kc; k++) {
        const float* src = A.p + (k0 + k) * A.cs + i0 + ip;
        float* o = d + k * MR;
        for (int r = 0; r < rows; r++) o[r] = src[r];
        for (int r = rows; r < MR; r++) o[r] = 0.0f;
      }
    } else {
      for (int r = 0; r < rows; r++) {
        const float* src = A.p + (i0 + ip + r) * A.rs + k0 * A.cs;
        for (int64_t k = 0; k < kc; k++) d[k * MR + r] = src[k * A.cs];
      }
      for (int r = rows; r < MR; r++) {
        for (int64_t k = 0; k < kc; k++) d[k * MR + r] = 0.0f;
      }
    }
  }
}

// B panels [p0, p1) (NR columns each) of the block rows [k0, k0+kc) × cols [j0, j0+nc): dst[panel][k][c].
void pack_b(const View& B, int64_t k0, int64_t kc, int64_t j0, int64_t nc, int64_t p0, int64_t p1, float* dst) {
  for (int64_t pn = p0; pn < p1; pn++) {
    const int64_t jp = pn * NR;
    const int cols = static_cast<int>(nc - jp < NR ? nc - jp : NR);
    float* d = dst + jp * kc;
    if (B.cs == 1) {
      for (int64_t k = 0; k < kc; k++) {
        const float* src = B.p + (k0 + k) * B.rs + j0 + jp;
        float* o = d + k * NR;
        if (cols == NR) {
          vstore(o, vload(src));
          vstore(o + VL, vload(src + VL));
        } else {
          for (int c = 0; c < cols; c++) o[c] = src[c];
          for (int c = cols; c < NR; c++) o[c] = 0.0f;
        }
      }
    } else {
      for (int c = 0; c < cols; c++) {
        const float* src = B.p + k0 * B.rs + (j0 + jp + c) * B.cs;
        for (int64_t k = 0; k < kc; k++) d[k * NR + c] = src[k * B.rs];
      }
      for (int c = cols; c < NR; c++) {
        for (int64_t k = 0; k < kc; k++) d[k * NR + c] = 0.0f;
      }
    }
  }
}

// ------------------------------------------------------------------ micro-kernel

// C[0:mr, 0:nr] (+)= Apanel (kc × MR) · Bpanel (kc × NR).
void micro(int64_t kc, const float* __restrict A, const float* __restrict B, float* C, int64_t ldc,
           bool accumulate, int mr, int nr) {
  vf c0[MR], c1[MR];
#pragma GCC unroll 16
  for (int i = 0; i < MR; i++) c0[i] = c1[i] = vf{};
  for (int64_t k = 0; k < kc; k++) {
    const vf b0 = vload(B), b1 = vload(B + VL);
#pragma GCC unroll 16
    for (int i = 0; i < MR; i++) {
      const vf a = vsplat(A[i]);
      c0[i] += a * b0;
      c1[i] += a * b1;
    }
    A += MR;
    B += NR;
  }
  if (mr == MR && nr == NR) {
#pragma GCC unroll 16
    for (int i = 0; i < MR; i++) {
      float* row = C + i * ldc;
      if (accumulate) {
        vstore(row, vload(row) + c0[i]);
        vstore(row + VL, vload(row + VL) + c1[i]);
      } else {
        vstore(row, c0[i]);
        vstore(row + VL, c1[i]);
      }
    }
    return;
  }
  for (int i = 0; i < mr; i++) {
    float tile[NR];
    vstore(tile, c0[i]);
    vstore(tile + VL, c1[i]);
    float* row = C + i * ldc;
    for (int j = 0; j < nr; j++) row[j] = accumulate ? row[j] + tile[j] : tile[j];
  }
}

// ------------------------------------------------------------------ buffers

float* grow(float** buf, int64_t* cap, int64_t need) {
  if (*cap < need) {
    free(*buf);
    *buf = static_cast<float*>(aligned_alloc(64, static_cast<size_t>((need * 4 + 63) / 64 * 64)));
    *cap = need;
  }
  return *buf;
}

// Each OS thread keeps its own A buffer; the calling thread owns the shared B buffer.
thread_local float* t_pack_a = nullptr;
thread_local int64_t t_pack_a_cap = 0;
thread_local float* t_pack_b = nullptr;
thread_local int64_t t_pack_b_cap = 0;

// ------------------------------------------------------------------ drivers

/** Unpacked loops for tiny products (packing would cost more than the arithmetic). */
void gemm_small(float* C, const View& A, const View& B, int64_t m, int64_t n, int64_t k) {
  for (int64_t i = 0; i < m; i++) {
    float* c = C + i * n;
    for (int64_t j = 0; j < n; j++) c[j] = 0.0f;
    for (int64_t kk = 0; kk < k; kk++) {
      const float a = A.at(i, kk);
      if (B.cs == 1) {
        const float* b = B.p + kk * B.rs;
        for (int64_t j = 0; j < n; j++) c[j] += a * b[j];
      } else {
        for (int64_t j = 0; j < n; j++) c[j] += a * B.at(kk, j);
      }
    }
  }
}

struct Gemm {
  View A, B;
  float* C;
  int64_t m, n, k;
  float* pack_b;  // shared KC × NC block
  bool split_rows;
};

/** Thread tid's share of one product. */
void gemm_part(const Gemm& g, int tid, int nth) {
  float* pa = grow(&t_pack_a, &t_pack_a_cap, MC * KC);
  int64_t m0 = 0, m1 = g.m;
  if (g.split_rows) mlpk::pool_split(g.m, tid, nth, MR, &m0, &m1);
  for (int64_t jc = 0; jc < g.n; jc += NC) {
    const int64_t nc = g.n - jc < NC ? g.n - jc : NC;
    const int64_t panels = (nc + NR - 1) / NR;
    // With a column split each thread packs and uses only its own panels.
    int64_t p0, p1;
    mlpk::pool_split(panels, tid, nth, 1, &p0, &p1);
    for (int64_t pc = 0; pc < g.k; pc += KC) {
      const int64_t kc = g.k - pc < KC ? g.k - pc : KC;
      pack_b(g.B, pc, kc, jc, nc, p0, p1, g.pack_b);
      if (g.split_rows) mlpk::pool_barrier(nth);
      const int64_t q0 = g.split_rows ? 0 : p0, q1 = g.split_rows ? panels : p1;
      for (int64_t ic = m0; ic < m1; ic += MC) {
        const int64_t mc = m1 - ic < MC ? m1 - ic : MC;
        pack_a(g.A, ic, mc, pc, kc, pa);
        for (int64_t q = q0; q < q1; q++) {
          const int64_t jr = q * NR;
          const int nr = static_cast<int>(nc - jr < NR ? nc - jr : NR);
          for (int64_t ir = 0; ir < mc; ir += MR) {
            const int mr = static_cast<int>(mc - ir < MR ? mc - ir : MR);
            micro(kc, pa + ir * kc, g.pack_b + jr * kc, g.C + (ic + ir) * g.n + jc + jr, g.n, pc > 0, mr, nr);
          }
        }
      }
      if (g.split_rows) mlpk::pool_barrier(nth);  // the B block is about to be overwritten
    }
  }
}

void gemm_one(float* C, const View& A, const View& B, int64_t m, int64_t n, int64_t k, int nth) {
  if (static_cast<double>(m) * n * k <= kSmallMacs) return gemm_small(C, A, B, m, n, k);
  const int64_t nc = n < NC ? n : NC;
  Gemm g{A, B, C, m, n, k, nullptr, true};
  g.pack_b = grow(&t_pack_b, &t_pack_b_cap, ((nc + NR - 1) / NR * NR) * KC);
  if (nth <= 1) return gemm_part(g, 0, 1);
  // Split rows when every thread gets a few MR-row panels, else columns.
  g.split_rows = m >= static_cast<int64_t>(nth) * MR * 4 || (n + NR - 1) / NR < nth;
  mlpk::pool_run(nth, [](void* c, int tid, int nth) { gemm_part(*static_cast<Gemm*>(c), tid, nth); }, &g);
}

struct Batched {
  const float* a;
  const float* b;
  float* c;
  const mlpk::GemmParams* p;
};

void gemm_batch_range(const Batched& t, int64_t b0, int64_t b1) {
  const mlpk::GemmParams& p = *t.p;
  for (int64_t bi = b0; bi < b1; bi++) {
    View A{t.a + bi * p.a_batch_stride, p.trans_a ? 1 : p.k, p.trans_a ? p.m : 1};
    View B{t.b + bi * p.b_batch_stride, p.trans_b ? 1 : p.n, p.trans_b ? p.k : 1};
    gemm_one(t.c + bi * p.m * p.n, A, B, p.m, p.n, p.k, 1);
  }
}

}  // namespace

void gemm_f32(float* c, const float* a, const float* b, const mlpk::GemmParams& p) {
  const double macs = static_cast<double>(p.m) * p.n * p.k;
  const int nth = mlpk::pool_threads_for(macs * p.batch, kGrainMacs);
  Batched t{a, b, c, &p};
  if (nth > 1 && p.batch >= 2 * nth && macs < 64 * kGrainMacs) {
    // Many small products: whole matrices per thread.
    mlpk::pool_run(nth, [](void* ctx, int tid, int nth) {
      auto* t = static_cast<Batched*>(ctx);
      int64_t b0, b1;
      mlpk::pool_split(t->p->batch, tid, nth, 1, &b0, &b1);
      gemm_batch_range(*t, b0, b1);
    }, &t);
    return;
  }
  for (int64_t bi = 0; bi < p.batch; bi++) {
    View A{a + bi * p.a_batch_stride, p.trans_a ? 1 : p.k, p.trans_a ? p.m : 1};
    View B{b + bi * p.b_batch_stride, p.trans_b ? 1 : p.n, p.trans_b ? p.k : 1};
    gemm_one(c + bi * p.m * p.n, A, B, p.m, p.n, p.k, mlpk::pool_threads_for(macs, kGrainMacs));
  }
}

}  // namespace MLPK_NS
