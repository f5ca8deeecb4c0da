// Single-precision GEMM: C = op(A)·op(B), C row-major and overwritten.
//
// The classic Goto/BLIS structure. B is packed by blocks of KC × NC into
// panels NR columns wide (shared by the threads), A by blocks of MC × KC into
// panels MR rows tall (one buffer per thread); an MR × NR register-blocked
// micro-kernel then runs over the packed panels. Packing reads any layout
// (both transposes), so the micro-kernel only ever sees one. Edge panels are
// zero-padded, so the micro-kernel always computes a full tile.
//
// Threads share the work as tasks claimed from a counter (see pool.h): first
// the panels of B, then tiles of C (row strips, cut into column groups too when
// C has few rows), or whole matrices of a batch when each product is small.
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
constexpr int64_t kPackedB = 1 << 20;     // floats of packed B per column block (4 MiB, in L3)
constexpr int64_t kTileBFloats = 1 << 17; // floats of B panels one tile sweeps per strip (512 KiB, in L2)

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
      // Stored transposed (the weights of a Linear layer): NR source rows,
      // each contributing one value per k. Read KT consecutive k's of every
      // row as one vector (a whole cache line) and transpose the NR × KT block
      // through a small buffer: reading one value per row per k instead keeps
      // NR lines live at once, and when the rows lie a multiple of 2 KiB apart
      // (K = 512, 1024, 2048, …) those lines share a few L1 sets and evict each
      // other before their next value is read.
      constexpr int KT = VL;
      const float* src[NR];
      for (int c = 0; c < NR; c++) src[c] = B.p + k0 * B.rs + (j0 + jp + (c < cols ? c : 0)) * B.cs;
      int64_t k = 0;
      if (B.rs == 1) {
        alignas(64) float tile[KT][NR];
        for (; k + KT <= kc; k += KT) {
#pragma GCC unroll 4
          for (int c = 0; c < NR; c++) {
            const vf v = vload(src[c] + k);
#pragma GCC unroll 16
            for (int t = 0; t < KT; t++) tile[t][c] = v[t];
          }
          for (int t = 0; t < KT; t++) {
            float* o = d + (k + t) * NR;
            vstore(o, vload(tile[t]));
            vstore(o + VL, vload(tile[t] + VL));
          }
        }
      }
      for (; k < kc; k++) {
        float* o = d + k * NR;
        const int64_t kk = k * B.rs;
#pragma GCC unroll 32
        for (int c = 0; c < NR; c++) o[c] = src[c][kk];
      }
      if (cols < NR) {
        for (int64_t kz = 0; kz < kc; kz++)
          for (int c = cols; c < NR; c++) d[kz * NR + c] = 0.0f;
      }
    }
  }
}

// ------------------------------------------------------------------ micro-kernel

/**
 * Write (or add) the MR × NR accumulators to C, clipped to mr × nr at the
 * edges; `bias` (NR values for these columns, or null) is added to each row.
 */
MLPK_INLINE void store_tile(vf* c0, vf* c1, float* C, int64_t ldc, bool accumulate, int mr, int nr, const float* bias) {
  if (bias) {
    float b[NR] = {};
    for (int j = 0; j < nr; j++) b[j] = bias[j];
    const vf b0 = vload(b), b1 = vload(b + VL);
#pragma GCC unroll 16
    for (int i = 0; i < MR; i++) {
      c0[i] += b0;
      c1[i] += b1;
    }
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
  // Unrolled with constant indices so the accumulators stay in registers
  // (indexing them with a run-time row would force them all to the stack).
#pragma GCC unroll 16
  for (int i = 0; i < MR; i++) {
    if (i < mr) {
      float tile[NR];
      vstore(tile, c0[i]);
      vstore(tile + VL, c1[i]);
      float* row = C + i * ldc;
      for (int j = 0; j < nr; j++) row[j] = accumulate ? row[j] + tile[j] : tile[j];
    }
  }
}

/**
 * C[0:mr, 0:nr] (+)= A (MR × kc) · B (kc × NR, rows ldb apart: NR when packed) (+ bias), with A(i, k) at
 * A[i·si + k·sk]: a packed panel (si = 1, sk = MR), or A read in place when
 * its layout allows — transposed storage (si = 1, sk = lda) or row-major rows
 * (si = lda, sk = 1). In-place reads skip packing, which costs as much as the
 * arithmetic when C has few columns (the token-mixing products of a Mixer).
 */
template <bool kRows>
void micro(int64_t kc, const float* __restrict A, int64_t lda, const float* __restrict B, int64_t ldb, float* C,
           int64_t ldc, bool accumulate, int mr, int nr, const float* bias) {
  vf c0[MR], c1[MR];
#pragma GCC unroll 16
  for (int i = 0; i < MR; i++) c0[i] = c1[i] = vf{};
  if (kRows) {
    const float* r[MR];
#pragma GCC unroll 16
    for (int i = 0; i < MR; i++) r[i] = A + i * lda;
    for (int64_t k = 0; k < kc; k++) {
      const vf b0 = vload(B), b1 = vload(B + VL);
#pragma GCC unroll 16
      for (int i = 0; i < MR; i++) {
        const vf a = vsplat(r[i][k]);
        c0[i] += a * b0;
        c1[i] += a * b1;
      }
      B += ldb;
    }
  } else {
    for (int64_t k = 0; k < kc; k++) {
      const vf b0 = vload(B), b1 = vload(B + VL);
#pragma GCC unroll 16
      for (int i = 0; i < MR; i++) {
        const vf a = vsplat(A[i]);
        c0[i] += a * b0;
        c1[i] += a * b1;
      }
      A += lda;
      B += ldb;
    }
  }
  store_tile(c0, c1, C, ldc, accumulate, mr, nr, bias);
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

/** Σ_k a[k]·b[k] over n contiguous floats, four vector accumulators wide. */
MLPK_INLINE float dot(const float* a, const float* b, int64_t n) {
  vf s0 = vf{}, s1 = vf{}, s2 = vf{}, s3 = vf{};
  int64_t k = 0;
  for (; k + 4 * VL <= n; k += 4 * VL) {
    s0 += vload(a + k) * vload(b + k);
    s1 += vload(a + k + VL) * vload(b + k + VL);
    s2 += vload(a + k + 2 * VL) * vload(b + k + 2 * VL);
    s3 += vload(a + k + 3 * VL) * vload(b + k + 3 * VL);
  }
  for (; k + VL <= n; k += VL) s0 += vload(a + k) * vload(b + k);
  float s = hsum((s0 + s1) + (s2 + s3));
  for (; k < n; k++) s += a[k] * b[k];
  return s;
}

/** y[0:n] += alpha·x[0:n]. */
MLPK_INLINE void axpy(float* y, float alpha, const float* x, int64_t n) {
  int64_t j = 0;
  for (; j + VL <= n; j += VL) vstore(y + j, vload(y + j) + alpha * vload(x + j));
  for (; j < n; j++) y[j] += alpha * x[j];
}

/**
 * Products with a handful of rows or columns (m or n at most kSkinny: a
 * projection to one output, the weight gradient of one) — the packed kernel
 * would pad every tile to MR × NR, doing up to 30× the arithmetic. Here each
 * output is a dot product over contiguous k, or a row of C grows by
 * contiguous axpys; the operand that is not contiguous along the walk is
 * first copied into a contiguous scratch (a few rows or columns).
 */
constexpr int64_t kSkinny = 4;  // one thread: these are cheap once the padding is gone

void gemm_skinny(float* C, const View& A, const View& B, int64_t m, int64_t n, int64_t k) {
  if (m <= n && B.cs == 1) {
    // Few rows, row-major B: C row i = Σ_k A(i, k)·B row k.
    for (int64_t i = 0; i < m; i++) {
      float* c = C + i * n;
      for (int64_t j = 0; j < n; j++) c[j] = 0.0f;
      for (int64_t kk = 0; kk < k; kk++) axpy(c, A.at(i, kk), B.p + kk * B.rs, n);
    }
    return;
  }
  if (m <= n) {
    // Few rows, B's columns contiguous in k: dots, with A's rows made contiguous.
    float* a = grow(&t_pack_a, &t_pack_a_cap, m * k);
    for (int64_t i = 0; i < m; i++)
      for (int64_t kk = 0; kk < k; kk++) a[i * k + kk] = A.at(i, kk);
    for (int64_t i = 0; i < m; i++)
      for (int64_t j = 0; j < n; j++) C[i * n + j] = dot(a + i * k, B.p + j * B.cs, k);
    return;
  }
  // Few columns: B's n columns as contiguous rows of k.
  float* bt = grow(&t_pack_b, &t_pack_b_cap, n * k);
  for (int64_t j = 0; j < n; j++)
    for (int64_t kk = 0; kk < k; kk++) bt[j * k + kk] = B.at(kk, j);
  if (A.cs == 1) {
    // Row-major A: every output is a dot of contiguous rows.
    for (int64_t i = 0; i < m; i++)
      for (int64_t j = 0; j < n; j++) C[i * n + j] = dot(A.p + i * A.rs, bt + j * k, k);
    return;
  }
  // Transposed A (row k of its storage holds A(·, k) contiguously): column j
  // of C grows by axpys over m, in a scratch laid out column by column.
  float* ct = grow(&t_pack_a, &t_pack_a_cap, n * m);
  for (int64_t e = 0; e < n * m; e++) ct[e] = 0.0f;
  for (int64_t kk = 0; kk < k; kk++) {
    const float* arow = A.p + kk * A.cs;
    for (int64_t j = 0; j < n; j++) axpy(ct + j * m, bt[j * k + kk], arow, m);
  }
  for (int64_t i = 0; i < m; i++)
    for (int64_t j = 0; j < n; j++) C[i * n + j] = ct[j * m + i];
}

/**
 * One column block [jc, jc+nc) of a product. All of B's rows for the block are
 * packed first (k blocks × NR panels; B block p at offset p·KC·ncPad), then C
 * is computed in tiles of mt rows × nt panels, each tile looping over k.
 */
struct Block {
  View A, B;
  float* C;
  const float* bias;  // n values, or null
  int64_t m, n, k;
  int64_t jc, nc, panels, kblocks;
  int64_t panel_groups;  // B packing tasks per k block
  int64_t mt, nt, mtiles, ntiles;
  float* pb;
  bool b_in_place;  // full panels read straight from row-major B
};

void pack_b_task(void* ctx, int64_t t) {
  const Block& g = *static_cast<Block*>(ctx);
  const int64_t p = t / g.panel_groups, grp = t % g.panel_groups;
  const int64_t k0 = p * KC, kc = g.k - k0 < KC ? g.k - k0 : KC;
  int64_t q0, q1;
  mlpk::pool_chunk(g.panels, grp, g.panel_groups, 1, &q0, &q1);
  if (g.b_in_place && q0 < g.nc / NR) q0 = g.nc / NR;  // only a ragged last panel needs packing
  if (q0 < q1) pack_b(g.B, k0, kc, g.jc, g.nc, q0, q1, g.pb + k0 * g.panels * NR);
}

void tile_task(void* ctx, int64_t t) {
  const Block& g = *static_cast<Block*>(ctx);
  const int64_t i0 = (t / g.ntiles) * g.mt, q0 = (t % g.ntiles) * g.nt;
  const int64_t i1 = i0 + g.mt < g.m ? i0 + g.mt : g.m, q1 = q0 + g.nt < g.panels ? q0 + g.nt : g.panels;
  if (i0 >= i1 || q0 >= q1) return;
  float* pa = grow(&t_pack_a, &t_pack_a_cap, g.mt * KC);
  // A strip is read in place when few B panels reuse it, so that packing it
  // would cost a good share of the arithmetic: up to 8 panels for a row-major
  // A — unless its rows sit a multiple of 4 KiB apart (lda a multiple of 1024
  // floats: 1024³, 2048³), where all MR rows fall into the same L1 sets and
  // evict each other — and up to 2 for a transposed one (its strip spans kc
  // cache lines). Otherwise it is packed into MR·kc contiguous floats; the
  // ragged last strip always is.
  const bool rows_apart_ok = g.A.cs == 1 && g.A.rs % 1024 != 0;  // row-major, rows not 4 KiB-aliased
  const bool in_place = (rows_apart_ok && q1 - q0 <= 8) || ((g.A.cs == 1 || g.A.rs == 1) && q1 - q0 <= 2);
  const int64_t full_end = in_place ? i0 + (i1 - i0) / MR * MR : i0;
  for (int64_t p = 0; p < g.kblocks; p++) {
    const int64_t k0 = p * KC, kc = g.k - k0 < KC ? g.k - k0 : KC;
    if (full_end < i1) pack_a(g.A, full_end, i1 - full_end, k0, kc, pa);
    const float* pb = g.pb + k0 * g.panels * NR;
    // Strips outside, panels inside: the MR × kc strip of A (the broadcast
    // operand, 14 scalar loads per k) stays in L1 while the B panels (two
    // vector loads per k) stream from L2.
    for (int64_t ir = i0; ir < i1; ir += MR) {
      const bool full = ir < full_end;
      const int mr = static_cast<int>(i1 - ir < MR ? i1 - ir : MR);
      const float* a = full ? g.A.p + ir * g.A.rs + k0 * g.A.cs : pa + (ir - full_end) * kc;
      float* crow = g.C + ir * g.n + g.jc;
      for (int64_t q = q0; q < q1; q++) {
        const int64_t jr = q * NR;
        const int nr = static_cast<int>(g.nc - jr < NR ? g.nc - jr : NR);
        const bool direct = g.b_in_place && nr == NR;
        const float* bp = direct ? g.B.p + k0 * g.B.rs + g.jc + jr : pb + jr * kc;
        const int64_t ldb = direct ? g.B.rs : NR;
        // The bias joins the first k block's sums, as C's initial value would.
        const float* bias = p == 0 && g.bias ? g.bias + g.jc + jr : nullptr;
        if (full && g.A.cs == 1) micro<true>(kc, a, g.A.rs, bp, ldb, crow + jr, g.n, p > 0, MR, nr, bias);
        else if (full) micro<false>(kc, a, g.A.cs, bp, ldb, crow + jr, g.n, p > 0, MR, nr, bias);
        else micro<false>(kc, a, MR, bp, ldb, crow + jr, g.n, p > 0, mr, nr, bias);
      }
    }
  }
}

/** C[i, :] += bias for every row (the unpacked paths add the bias at the end). */
void add_bias(float* C, const float* bias, int64_t m, int64_t n) {
  if (!bias) return;
  for (int64_t i = 0; i < m; i++) axpy(C + i * n, 1.0f, bias, n);
}

void gemm_one(float* C, const View& A, const View& B, const float* bias, int64_t m, int64_t n, int64_t k, bool threaded) {
  if (static_cast<double>(m) * n * k <= kSmallMacs) {
    gemm_small(C, A, B, m, n, k);
    return add_bias(C, bias, m, n);
  }
  if (m <= kSkinny || n <= kSkinny) {
    gemm_skinny(C, A, B, m, n, k);
    return add_bias(C, bias, m, n);
  }
  const int threads = threaded ? mlpk::pool_threads() : 1;
  // With few rows, each B element serves only m multiply-adds: packing it
  // (write, then read back) would cost a good part of that, so a row-major
  // B is read in place (its rows are contiguous runs of NR floats).
  const bool b_in_place = B.cs == 1 && m <= MC;
  // Column blocks small enough that their packed B (k × nc) stays in the
  // last-level cache; B read in place needs no such blocks, and cutting it
  // into them anyway re-packs A once per block (a weight gradient Xᵀ·dY with
  // k = 8192 ran in four column blocks 1.2–1.35× slower than in one).
  int64_t nc_max = b_in_place ? (n + NR - 1) / NR * NR : kPackedB / k / NR * NR;
  if (nc_max < NR) nc_max = NR;
  for (int64_t jc = 0; jc < n; jc += nc_max) {
    Block g{A, B, C, bias, m, n, k, jc, n - jc < nc_max ? n - jc : nc_max, 0, (k + KC - 1) / KC, 1, 0, 0, 0, 0, nullptr, false};
    g.b_in_place = b_in_place;
    g.panels = (g.nc + NR - 1) / NR;
    g.pb = grow(&t_pack_b, &t_pack_b_cap, g.panels * NR * k);
    // Tiles: MC-row strips over the full width; with threads, cut them finer
    // (rows first, then columns) until there are a few tiles per thread.
    const int64_t row_panels = (m + MR - 1) / MR;
    int64_t mtiles = (m + MC - 1) / MC, ntiles = 1;
    const int64_t want = threads > 1 ? 4 * threads : 1;
    while (mtiles * ntiles < want) {
      if (mtiles * 2 <= row_panels / 2) mtiles *= 2;
      else if (ntiles * 2 <= g.panels / 4) ntiles *= 2;
      else break;
    }
    // A tile's B panels (kc × NR floats each) are re-read for every strip: keep them within about half of L2.
    const int64_t max_panels = kTileBFloats / (KC * NR);
    if ((g.panels + ntiles - 1) / ntiles > max_panels) ntiles = (g.panels + max_panels - 1) / max_panels;
    g.mt = ((m + mtiles - 1) / mtiles + MR - 1) / MR * MR;
    g.nt = (g.panels + ntiles - 1) / ntiles;
    g.mtiles = (m + g.mt - 1) / g.mt;
    g.ntiles = (g.panels + g.nt - 1) / g.nt;
    g.panel_groups = threads > 1 ? (g.panels < 2 * threads ? g.panels : 2 * threads) : 1;
    if (threads > 1) {
      mlpk::pool_for(g.kblocks * g.panel_groups, pack_b_task, &g);
      mlpk::pool_for(g.mtiles * g.ntiles, tile_task, &g);
    } else {
      for (int64_t t = 0; t < g.kblocks * g.panel_groups; t++) pack_b_task(&g, t);
      for (int64_t t = 0; t < g.mtiles * g.ntiles; t++) tile_task(&g, t);
    }
  }
}

struct Batched {
  const float* a;
  const float* b;
  float* c;
  const mlpk::GemmParams* p;
};

void batch_task(void* ctx, int64_t bi) {
  const Batched& t = *static_cast<Batched*>(ctx);
  const mlpk::GemmParams& p = *t.p;
  View A{t.a + bi * p.a_batch_stride, p.trans_a ? 1 : p.k, p.trans_a ? p.m : 1};
  View B{t.b + bi * p.b_batch_stride, p.trans_b ? 1 : p.n, p.trans_b ? p.k : 1};
  gemm_one(t.c + bi * p.m * p.n, A, B, p.bias, p.m, p.n, p.k, false);
}

}  // namespace

void gemm_f32(float* c, const float* a, const float* b, const mlpk::GemmParams& p) {
  const double macs = static_cast<double>(p.m) * p.n * p.k;
  const bool threaded = mlpk::pool_threads() > 1 && macs * p.batch >= 2 * kGrainMacs;
  Batched t{a, b, c, &p};
  if (threaded && p.batch >= 4 * mlpk::pool_threads() && macs < 64 * kGrainMacs) {
    // Many small products: whole matrices are the tasks.
    mlpk::pool_for(p.batch, batch_task, &t);
    return;
  }
  for (int64_t bi = 0; bi < p.batch; bi++) {
    View A{a + bi * p.a_batch_stride, p.trans_a ? 1 : p.k, p.trans_a ? p.m : 1};
    View B{b + bi * p.b_batch_stride, p.trans_b ? 1 : p.n, p.trans_b ? p.k : 1};
    gemm_one(c + bi * p.m * p.n, A, B, p.bias, p.m, p.n, p.k, threaded && macs >= 2 * kGrainMacs);
  }
}

}  // namespace MLPK_NS
