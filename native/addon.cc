// N-API entry points of the native backend.
//
// Keeping the call path lean matters as much as the kernels: a training step
// makes thousands of calls. So the JavaScript side passes only typed arrays
// and small integers as arguments; shapes, strides and sizes go through one
// Float64Array "parameter block" that JavaScript fills and this side reads in
// place (registered once at init), which avoids building a JS array per call.
//
// Every entry point checks the typed-array kinds and that every strided access
// stays inside its array, so a bad call throws instead of crashing the process.
#include <napi.h>

#include <cmath>
#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "kernels.h"
#include "movement.h"
#include "pool.h"
#include "random.h"
#include "seam_table.h"

namespace {

using mlpk::Strided;

const mlpk::IsaKernels* g_k = nullptr;
// The parameter block of the JavaScript thread making the call. Thread-local,
// because each worker_thread that loads the addon registers its own block; the
// block is only read on that thread, before any work reaches the pool.
thread_local const double* g_params = nullptr;
thread_local size_t g_params_len = 0;
thread_local napi_ref g_params_ref = nullptr;  // keeps the block alive

const mlpk::IsaKernels* pick_isa() {
#if defined(MLPK_HAVE_X86_64_V4) || defined(MLPK_HAVE_X86_64_V3)
  __builtin_cpu_init();
#endif
#if defined(MLPK_HAVE_X86_64_V4)
  if (__builtin_cpu_supports("x86-64-v4")) return &mlpk_x86_64_v4::kTable;
#endif
#if defined(MLPK_HAVE_X86_64_V3)
  if (__builtin_cpu_supports("x86-64-v3")) return &mlpk_x86_64_v3::kTable;
#endif
  return &mlpk_generic::kTable;
}

// ------------------------------------------------------------------ argument helpers

struct Args {
  static constexpr size_t kMax = 12;  // the most arguments any export takes
  napi_env env;
  napi_value v[kMax];
  size_t n = kMax;
  bool ok = true;

  Args(napi_env e, napi_callback_info info, size_t want) : env(e) {
    if (want > kMax) fail("internal: too many arguments for the argument helper");
    else if (napi_get_cb_info(e, info, &n, v, nullptr, nullptr) != napi_ok || n < want) fail("expected more arguments");
    if (!g_params) fail("the native backend was not initialised (call init first)");
  }
  void fail(const char* msg) {
    if (ok) napi_throw_type_error(env, nullptr, msg);
    ok = false;
  }
  int32_t i32(size_t i) {
    int32_t x = 0;
    if (ok && napi_get_value_int32(env, v[i], &x) != napi_ok) fail("expected an integer argument");
    return x;
  }
  /** Data pointer and length of typed array argument i; `want` is its kind or -1 for any. */
  void* array(size_t i, int want, size_t* length, napi_typedarray_type* kind = nullptr) {
    if (!ok) return nullptr;
    napi_typedarray_type t;
    void* data = nullptr;
    if (napi_get_typedarray_info(env, v[i], &t, length, &data, nullptr, nullptr) != napi_ok) {
      fail("expected a typed array argument");
      return nullptr;
    }
    if (want >= 0 && t != want) {
      fail("typed array of the wrong kind");
      return nullptr;
    }
    if (kind) *kind = t;
    return data;
  }
};

// Parameters are small integers stored as doubles (PD: read as a double). Fixed layouts are read by
// slot name (S::matmul::k), the names and positions coming from src/backend/native/seam.ts.
namespace S = mlpk::slot;
inline int64_t P(size_t i) { return static_cast<int64_t>(g_params[i]); }
inline double PD(size_t i) { return g_params[i]; }

/** Read nd, shape and nops stride vectors (operands 1..nops) from the block; false if malformed. */
bool read_strided(Strided& s, int nops, size_t* next) {
  const int64_t nd = P(0);
  if (nd < 0 || nd > mlpk::kMaxDims || static_cast<size_t>(1 + nd * (1 + nops)) > g_params_len) return false;
  s.nd = static_cast<int>(nd);
  for (int d = 0; d < s.nd; d++) {
    s.shape[d] = P(1 + d);
    if (s.shape[d] < 0) return false;
    s.strides[0][d] = 0;
  }
  for (int k = 1; k <= nops; k++) {
    for (int d = 0; d < s.nd; d++) s.strides[k][d] = P(1 + k * nd + d);
  }
  for (int k = nops + 1; k < 4; k++) {
    for (int d = 0; d < s.nd; d++) s.strides[k][d] = 0;
  }
  if (next) *next = static_cast<size_t>(1 + nd * (1 + nops));
  return true;
}

int64_t numel(const Strided& s) {
  int64_t n = 1;
  for (int d = 0; d < s.nd; d++) n *= s.shape[d];
  return n;
}

/** True when every position of s.shape read through operand k's strides from `offset` lies in [0, len). */
bool in_bounds(const Strided& s, int k, int64_t offset, size_t len) {
  if (numel(s) == 0) return true;
  int64_t lo = offset, hi = offset;
  for (int d = 0; d < s.nd; d++) {
    const int64_t span = s.strides[k][d] * (s.shape[d] - 1);
    if (span < 0) lo += span;
    else hi += span;
  }
  return lo >= 0 && hi < static_cast<int64_t>(len);
}

napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

int elsize_of(napi_typedarray_type t) {
  switch (t) {
    case napi_uint8_array: case napi_int8_array: case napi_uint8_clamped_array: return 1;
    case napi_float32_array: case napi_int32_array: case napi_uint32_array: return 4;
    case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: return 8;
    default: return 0;
  }
}

// ------------------------------------------------------------------ entry points

// unary(op, out: Float32Array, a: Float32Array)
napi_value Unary(napi_env env, napi_callback_info info) {
  Args g(env, info, 3);
  const int op = g.i32(0);
  size_t no = 0, na = 0;
  auto* out = static_cast<float*>(g.array(1, napi_float32_array, &no));
  auto* a = static_cast<const float*>(g.array(2, napi_float32_array, &na));
  if (g.ok && (no != na || op < 0 || op >= mlpk::kUnaryOps)) g.fail("unary: bad operation or lengths");
  if (g.ok) g_k->unary_f32(op, out, a, static_cast<int64_t>(no));
  return nullptr;
}

// binary(op, out, a, b) with nd, shape, aStrides, bStrides in the block; op ≥ kCompareBase is a comparison.
napi_value Binary(napi_env env, napi_callback_info info) {
  Args g(env, info, 4);
  const int op = g.i32(0);
  const bool cmp = op >= mlpk::kCompareBase;
  size_t no = 0, na = 0, nb = 0;
  void* out = g.array(1, cmp ? napi_uint8_array : napi_float32_array, &no);
  auto* a = static_cast<const float*>(g.array(2, napi_float32_array, &na));
  auto* b = static_cast<const float*>(g.array(3, napi_float32_array, &nb));
  if (!g.ok) return nullptr;
  Strided s;
  if (!read_strided(s, 2, nullptr) || static_cast<size_t>(numel(s)) != no || !in_bounds(s, 1, 0, na) ||
      !in_bounds(s, 2, 0, nb) || (cmp ? op - mlpk::kCompareBase >= mlpk::kCompareOps : (op < 0 || op >= mlpk::kArithOps))) {
    g.fail("binary: bad operation, shape or strides");
    return nullptr;
  }
  if (mlpk::collapse(s, 3) == 0) return nullptr;
  if (cmp) g_k->compare_f32(op - mlpk::kCompareBase, static_cast<uint8_t*>(out), a, b, s);
  else g_k->binary_f32(op, static_cast<float*>(out), a, b, s);
  return nullptr;
}

// where(out, cond: Uint8Array, a, b) with nd, shape, cStrides, aStrides, bStrides in the block.
napi_value Where(napi_env env, napi_callback_info info) {
  Args g(env, info, 4);
  size_t no = 0, nc = 0, na = 0, nb = 0;
  auto* out = static_cast<float*>(g.array(0, napi_float32_array, &no));
  auto* c = static_cast<const uint8_t*>(g.array(1, napi_uint8_array, &nc));
  auto* a = static_cast<const float*>(g.array(2, napi_float32_array, &na));
  auto* b = static_cast<const float*>(g.array(3, napi_float32_array, &nb));
  if (!g.ok) return nullptr;
  Strided s;
  if (!read_strided(s, 3, nullptr) || static_cast<size_t>(numel(s)) != no || !in_bounds(s, 1, 0, nc) ||
      !in_bounds(s, 2, 0, na) || !in_bounds(s, 3, 0, nb)) {
    g.fail("where: bad shape or strides");
    return nullptr;
  }
  if (mlpk::collapse(s, 4) == 0) return nullptr;
  g_k->where_f32(out, c, a, b, s);
  return nullptr;
}

// reduce(op, out, a) with outer, n, inner in the block; argmax/argmin write an Int32Array.
napi_value Reduce(napi_env env, napi_callback_info info) {
  Args g(env, info, 3);
  const int op = g.i32(0);
  const bool arg = op == mlpk::R_ARGMAX || op == mlpk::R_ARGMIN;
  size_t no = 0, na = 0;
  void* out = g.array(1, arg ? napi_int32_array : napi_float32_array, &no);
  auto* a = static_cast<const float*>(g.array(2, napi_float32_array, &na));
  if (!g.ok) return nullptr;
  const int64_t outer = P(S::reduce::outer), n = P(S::reduce::n), inner = P(S::reduce::inner);
  if (op < 0 || op >= mlpk::kReduceOps || outer < 0 || n < 0 || inner < 0 ||
      static_cast<size_t>(outer * inner) != no || static_cast<size_t>(outer * n * inner) != na || (arg && n == 0)) {
    g.fail("reduce: bad operation or sizes");
    return nullptr;
  }
  if (no == 0) return nullptr;
  if (n == 0) {
    // Only sum reaches here: the empty sum is 0.
    std::memset(out, 0, no * sizeof(float));
    return nullptr;
  }
  g_k->reduce_f32(op, out, a, outer, n, inner);
  return nullptr;
}

// matmul(out, a, b[, bias]) with batch, m, k, n, transA, transB, aBatchStride, bBatchStride, hasBias in the block.
napi_value Matmul(napi_env env, napi_callback_info info) {
  Args g(env, info, 3);
  size_t no = 0, na = 0, nb = 0;
  auto* out = static_cast<float*>(g.array(0, napi_float32_array, &no));
  auto* a = static_cast<const float*>(g.array(1, napi_float32_array, &na));
  auto* b = static_cast<const float*>(g.array(2, napi_float32_array, &nb));
  if (!g.ok) return nullptr;
  namespace L = S::matmul;
  mlpk::GemmParams p{P(L::batch), P(L::m), P(L::k), P(L::n), P(L::transA) != 0, P(L::transB) != 0,
                     P(L::aBatchStride), P(L::bBatchStride), nullptr};
  if (P(L::hasBias) != 0) {
    // matmul(out, a, b, bias): a bias of n values added to every row.
    size_t nbias = 0;
    p.bias = static_cast<const float*>(g.array(3, napi_float32_array, &nbias));
    if (!g.ok) return nullptr;
    if (static_cast<int64_t>(nbias) != p.n) {
      g.fail("matmul: the bias does not have n elements");
      return nullptr;
    }
  }
  const bool sizes_ok = p.batch >= 0 && p.m >= 0 && p.k >= 0 && p.n >= 0 && p.a_batch_stride >= 0 && p.b_batch_stride >= 0;
  const auto last = [](int64_t batch, int64_t stride, int64_t size) { return batch == 0 ? 0 : (batch - 1) * stride + size; };
  if (!sizes_ok || static_cast<size_t>(p.batch * p.m * p.n) != no ||
      static_cast<size_t>(last(p.batch, p.a_batch_stride, p.m * p.k)) > na ||
      static_cast<size_t>(last(p.batch, p.b_batch_stride, p.k * p.n)) > nb) {
    g.fail("matmul: sizes do not match the arrays");
    return nullptr;
  }
  if (no == 0) return nullptr;
  if (p.k == 0) {
    for (size_t e = 0; e < no; e++) out[e] = p.bias ? p.bias[e % p.n] : 0.0f;
    return nullptr;
  }
  g_k->gemm_f32(out, a, b, p);
  return nullptr;
}

// stridedCopy(out, a) with nd, shape, aStrides, aOffset in the block; any element size.
napi_value StridedCopy(napi_env env, napi_callback_info info) {
  Args g(env, info, 2);
  size_t no = 0, na = 0;
  napi_typedarray_type to, ta;
  void* out = g.array(0, -1, &no, &to);
  const void* a = g.array(1, -1, &na, &ta);
  if (!g.ok) return nullptr;
  Strided s;
  size_t e = 0;
  if (to != ta || elsize_of(to) == 0 || !read_strided(s, 1, &e) || static_cast<size_t>(numel(s)) != no ||
      !in_bounds(s, 1, P(e), na)) {
    g.fail("stridedCopy: bad arrays, shape or strides");
    return nullptr;
  }
  mlpk::strided_copy(elsize_of(to), out, a, P(e), s);
  return nullptr;
}

// stridedScatterAdd(out, src) with nd, srcShape, outStrides, outOffset in the block.
napi_value StridedScatterAdd(napi_env env, napi_callback_info info) {
  Args g(env, info, 2);
  size_t no = 0, ns = 0;
  auto* out = static_cast<float*>(g.array(0, napi_float32_array, &no));
  auto* src = static_cast<const float*>(g.array(1, napi_float32_array, &ns));
  if (!g.ok) return nullptr;
  Strided s;
  size_t e = 0;
  if (!read_strided(s, 1, &e) || static_cast<size_t>(numel(s)) != ns || !in_bounds(s, 1, P(e), no)) {
    g.fail("stridedScatterAdd: bad shape or strides");
    return nullptr;
  }
  mlpk::strided_scatter_add_f32(out, P(e), s, src);
  return nullptr;
}

/** True when every index lies in [0, size). */
bool indices_ok(const int32_t* idx, size_t n, int64_t size) {
  for (size_t i = 0; i < n; i++) {
    if (idx[i] < 0 || idx[i] >= size) return false;
  }
  return true;
}

// gather(out, a, idx) with nd, outShape, aStrides (axis stride zeroed), axisStride in the block.
// scatterAdd(out, src, idx) likewise with out's strides; `scatter` picks which.
napi_value GatherOrScatter(napi_env env, napi_callback_info info, bool scatter) {
  Args g(env, info, 3);
  size_t n0 = 0, n1 = 0, ni = 0;
  napi_typedarray_type t0, t1;
  void* x0 = g.array(0, scatter ? napi_float32_array : -1, &n0, &t0);
  void* x1 = g.array(1, scatter ? napi_float32_array : -1, &n1, &t1);
  auto* idx = static_cast<const int32_t*>(g.array(2, napi_int32_array, &ni));
  if (!g.ok) return nullptr;
  Strided s;
  size_t e = 0;
  const size_t dense_len = scatter ? n1 : n0;
  if (t0 != t1 || elsize_of(t0) == 0 || !read_strided(s, 1, &e) || static_cast<size_t>(numel(s)) != ni || dense_len != ni) {
    g.fail(scatter ? "scatterAdd: bad arrays or shape" : "gather: bad arrays or shape");
    return nullptr;
  }
  // Each access is checked against the strided array's length (the front end has
  // already checked the indices against the axis; this only guards memory).
  const bool ok = scatter ? mlpk::scatter_add_f32(static_cast<float*>(x0), n0, static_cast<const float*>(x1), idx, s, P(e))
                          : mlpk::gather(elsize_of(t0), x0, x1, n1, idx, s, P(e));
  if (!ok) g.fail(scatter ? "scatterAdd: an index reaches outside the output" : "gather: an index reaches outside the input");
  return nullptr;
}
napi_value Gather(napi_env env, napi_callback_info info) { return GatherOrScatter(env, info, false); }
napi_value ScatterAdd(napi_env env, napi_callback_info info) { return GatherOrScatter(env, info, true); }

// indexSelect(out, a, idx) / indexAdd(out, src, idx) with outer, n (of a / of out), inner in the block.
napi_value IndexOp(napi_env env, napi_callback_info info, bool add) {
  Args g(env, info, 3);
  size_t n0 = 0, n1 = 0, ni = 0;
  napi_typedarray_type t0, t1;
  void* x0 = g.array(0, add ? napi_float32_array : -1, &n0, &t0);
  const void* x1 = g.array(1, add ? napi_float32_array : -1, &n1, &t1);
  auto* idx = static_cast<const int32_t*>(g.array(2, napi_int32_array, &ni));
  if (!g.ok) return nullptr;
  const int64_t outer = P(S::index::outer), nbig = P(S::index::n), inner = P(S::index::inner);
  const int64_t nidx = static_cast<int64_t>(ni);
  const size_t big = static_cast<size_t>(outer * nbig * inner), small = static_cast<size_t>(outer * nidx * inner);
  const bool ok = t0 == t1 && elsize_of(t0) != 0 && outer >= 0 && nbig >= 0 && inner >= 0 &&
                  (add ? n0 == big && n1 == small : n0 == small && n1 == big) &&
                  (outer * inner == 0 || indices_ok(idx, ni, nbig));
  if (!ok) {
    g.fail(add ? "indexAdd: bad sizes or index out of range" : "indexSelect: bad sizes or index out of range");
    return nullptr;
  }
  if (add) mlpk::index_add_f32(static_cast<float*>(x0), static_cast<const float*>(x1), idx, nidx, outer, nbig, inner);
  else mlpk::index_select(elsize_of(t0), x0, x1, idx, nidx, outer, nbig, inner);
  return nullptr;
}
napi_value IndexSelect(napi_env env, napi_callback_info info) { return IndexOp(env, info, false); }
napi_value IndexAdd(napi_env env, napi_callback_info info) { return IndexOp(env, info, true); }

// cumsum(out, a) with outer, n, inner in the block.
napi_value Cumsum(napi_env env, napi_callback_info info) {
  Args g(env, info, 2);
  size_t no = 0, na = 0;
  auto* out = static_cast<float*>(g.array(0, napi_float32_array, &no));
  auto* a = static_cast<const float*>(g.array(1, napi_float32_array, &na));
  if (!g.ok) return nullptr;
  const int64_t outer = P(S::cumsum::outer), n = P(S::cumsum::n), inner = P(S::cumsum::inner);
  if (outer < 0 || n < 0 || inner < 0 || static_cast<size_t>(outer * n * inner) != no || no != na) {
    g.fail("cumsum: bad sizes");
    return nullptr;
  }
  mlpk::cumsum_f32(out, a, outer, n, inner);
  return nullptr;
}

// layerNorm(out, mean, rstd, x, w, b) with rows, cols, eps, hasWeight, hasBias in the block
// (w and b are ignored unless flagged; pass any Float32Array).
napi_value LayerNorm(napi_env env, napi_callback_info info) {
  Args g(env, info, 6);
  size_t no = 0, nm = 0, nr = 0, nx = 0, nw = 0, nb = 0;
  auto* out = static_cast<float*>(g.array(0, napi_float32_array, &no));
  auto* mean = static_cast<float*>(g.array(1, napi_float32_array, &nm));
  auto* rstd = static_cast<float*>(g.array(2, napi_float32_array, &nr));
  auto* x = static_cast<const float*>(g.array(3, napi_float32_array, &nx));
  auto* w = static_cast<const float*>(g.array(4, napi_float32_array, &nw));
  auto* b = static_cast<const float*>(g.array(5, napi_float32_array, &nb));
  if (!g.ok) return nullptr;
  namespace L = S::layerNorm;
  const int64_t rows = P(L::rows), cols = P(L::cols);
  const bool hw = P(L::hasWeight) != 0, hb = P(L::hasBias) != 0;
  if (rows < 0 || cols <= 0 || static_cast<size_t>(rows * cols) != no || nx != no || nm != static_cast<size_t>(rows) ||
      nr != static_cast<size_t>(rows) || (hw && nw != static_cast<size_t>(cols)) || (hb && nb != static_cast<size_t>(cols))) {
    g.fail("layerNorm: sizes do not match the arrays");
    return nullptr;
  }
  g_k->layer_norm_f32(out, mean, rstd, x, hw ? w : nullptr, hb ? b : nullptr, rows, cols, static_cast<float>(PD(L::eps)));
  return nullptr;
}

// layerNormBackward(dx, dw, db, g, x, mean, rstd, w) with rows, cols, hasDw, hasDb, hasWeight in the block.
napi_value LayerNormBackward(napi_env env, napi_callback_info info) {
  Args g(env, info, 8);
  size_t ndx = 0, ndw = 0, ndb = 0, ng = 0, nx = 0, nm = 0, nr = 0, nw = 0;
  auto* dx = static_cast<float*>(g.array(0, napi_float32_array, &ndx));
  auto* dw = static_cast<float*>(g.array(1, napi_float32_array, &ndw));
  auto* db = static_cast<float*>(g.array(2, napi_float32_array, &ndb));
  auto* gr = static_cast<const float*>(g.array(3, napi_float32_array, &ng));
  auto* x = static_cast<const float*>(g.array(4, napi_float32_array, &nx));
  auto* mean = static_cast<const float*>(g.array(5, napi_float32_array, &nm));
  auto* rstd = static_cast<const float*>(g.array(6, napi_float32_array, &nr));
  auto* w = static_cast<const float*>(g.array(7, napi_float32_array, &nw));
  if (!g.ok) return nullptr;
  namespace L = S::layerNormBackward;
  const int64_t rows = P(L::rows), cols = P(L::cols);
  const bool hdw = P(L::hasDw) != 0, hdb = P(L::hasDb) != 0, hw = P(L::hasWeight) != 0;
  const size_t n = static_cast<size_t>(rows * cols), c = static_cast<size_t>(cols), r = static_cast<size_t>(rows);
  if (rows < 0 || cols <= 0 || ndx != n || ng != n || nx != n || nm != r || nr != r || (hdw && ndw != c) ||
      (hdb && ndb != c) || (hw && nw != c)) {
    g.fail("layerNormBackward: sizes do not match the arrays");
    return nullptr;
  }
  g_k->layer_norm_backward_f32(dx, hdw ? dw : nullptr, hdb ? db : nullptr, gr, x, mean, rstd, hw ? w : nullptr, rows, cols);
  return nullptr;
}

// adamStep(p, g, m, v) with beta1, beta2, stepSize, invBc2Sqrt, eps, l2, shrink, sign in the block.
napi_value AdamStep(napi_env env, napi_callback_info info) {
  Args g(env, info, 4);
  size_t np = 0, ng = 0, nm = 0, nv = 0;
  auto* p = static_cast<float*>(g.array(0, napi_float32_array, &np));
  auto* gr = static_cast<const float*>(g.array(1, napi_float32_array, &ng));
  auto* m = static_cast<float*>(g.array(2, napi_float32_array, &nm));
  auto* v = static_cast<float*>(g.array(3, napi_float32_array, &nv));
  if (!g.ok) return nullptr;
  if (ng != np || nm != np || nv != np) {
    g.fail("adamStep: parameter, gradient and moment arrays differ in length");
    return nullptr;
  }
  namespace L = S::adamStep;
  const mlpk::AdamParams h{PD(L::beta1), PD(L::beta2), PD(L::stepSize), PD(L::invBc2Sqrt),
                           PD(L::eps),   PD(L::l2),    PD(L::shrink),   PD(L::sign)};
  g_k->adam_f32(p, gr, m, v, static_cast<int64_t>(np), h);
  return nullptr;
}

// mlpForward(out, x, w1, b1, w2, b2, keep) with rows, c, f, o, hasB1, hasB2, hasKeep, scale in the block
// (b1, b2 and keep are ignored unless flagged; pass any Float32Array). keep is a Uint8Array.
napi_value MlpForward(napi_env env, napi_callback_info info) {
  Args g(env, info, 7);
  namespace L = S::mlpForward;
  const bool hb1 = P(L::hasB1) != 0, hb2 = P(L::hasB2) != 0, hm = P(L::hasKeep) != 0;
  size_t n[7] = {};
  float* a[7];
  for (size_t i = 0; i < 6; i++) a[i] = static_cast<float*>(g.array(i, napi_float32_array, &n[i]));
  const auto* keep = static_cast<const uint8_t*>(g.array(6, hm ? napi_uint8_array : -1, &n[6]));
  if (!g.ok) return nullptr;
  const int64_t rows = P(L::rows), c = P(L::c), f = P(L::f), o = P(L::o);
  if (rows < 0 || c <= 0 || f <= 0 || o <= 0 || n[0] != static_cast<size_t>(rows * o) || n[1] != static_cast<size_t>(rows * c) ||
      n[2] != static_cast<size_t>(f * c) || (hb1 && n[3] != static_cast<size_t>(f)) || n[4] != static_cast<size_t>(o * f) ||
      (hb2 && n[5] != static_cast<size_t>(o)) || (hm && n[6] != static_cast<size_t>(rows * f))) {
    g.fail("mlpForward: sizes do not match the arrays");
    return nullptr;
  }
  if (!g_k->mlp_forward_f32(a[0], a[1], a[2], hb1 ? a[3] : nullptr, a[4], hb2 ? a[5] : nullptr, hm ? keep : nullptr,
                            static_cast<float>(PD(L::scale)), rows, c, f, o))
    g.fail("mlpForward: out of memory");
  return nullptr;
}

// mlpBackward(dx, dw1, db1, dw2, db2, g, x, w1, b1, w2, keep) with rows, c, f, o, hasDw1, hasDb1, hasDw2, hasDb2,
// hasB1, hasKeep, scale in the block.
napi_value MlpBackward(napi_env env, napi_callback_info info) {
  Args g(env, info, 11);
  namespace L = S::mlpBackward;
  const bool hdw1 = P(L::hasDw1) != 0, hdb1 = P(L::hasDb1) != 0, hdw2 = P(L::hasDw2) != 0, hdb2 = P(L::hasDb2) != 0,
             hb1 = P(L::hasB1) != 0, hm = P(L::hasKeep) != 0;
  size_t n[11] = {};
  float* a[11];
  for (size_t i = 0; i < 10; i++) a[i] = static_cast<float*>(g.array(i, napi_float32_array, &n[i]));
  const auto* keep = static_cast<const uint8_t*>(g.array(10, hm ? napi_uint8_array : -1, &n[10]));
  if (!g.ok) return nullptr;
  const int64_t rows = P(L::rows), c = P(L::c), f = P(L::f), o = P(L::o);
  const auto is = [](size_t got, int64_t want) { return got == static_cast<size_t>(want); };
  if (rows < 0 || c <= 0 || f <= 0 || o <= 0 || !is(n[0], rows * c) || (hdw1 && !is(n[1], f * c)) || (hdb1 && !is(n[2], f)) ||
      (hdw2 && !is(n[3], o * f)) || (hdb2 && !is(n[4], o)) || !is(n[5], rows * o) || !is(n[6], rows * c) ||
      !is(n[7], f * c) || (hb1 && !is(n[8], f)) || !is(n[9], o * f) || (hm && !is(n[10], rows * f))) {
    g.fail("mlpBackward: sizes do not match the arrays");
    return nullptr;
  }
  if (!g_k->mlp_backward_f32(a[0], hdw1 ? a[1] : nullptr, hdb1 ? a[2] : nullptr, hdw2 ? a[3] : nullptr, hdb2 ? a[4] : nullptr,
                             a[5], a[6], a[7], hb1 ? a[8] : nullptr, a[9], hm ? keep : nullptr, static_cast<float>(PD(L::scale)),
                             rows, c, f, o))
    g.fail("mlpBackward: out of memory");
  return nullptr;
}

// bernoulliFill(out, state) with threshold, value in the block; out is a Float32Array or a Uint8Array;
// state (Uint32Array of 4) advances in place.
napi_value BernoulliFill(napi_env env, napi_callback_info info) {
  Args g(env, info, 2);
  size_t no = 0, ns = 0;
  napi_typedarray_type kind;
  void* out = g.array(0, -1, &no, &kind);
  auto* s = static_cast<uint32_t*>(g.array(1, napi_uint32_array, &ns));
  if (!g.ok) return nullptr;
  if (ns != 4 || (kind != napi_float32_array && kind != napi_uint8_array)) {
    g.fail("bernoulliFill: expects a Float32Array or Uint8Array and a generator state of 4 words");
    return nullptr;
  }
  namespace L = S::bernoulliFill;
  if (kind == napi_float32_array)
    mlpk::bernoulli_fill_f32(static_cast<float*>(out), static_cast<int64_t>(no), s, PD(L::threshold), static_cast<float>(PD(L::value)));
  else
    mlpk::bernoulli_fill_u8(static_cast<uint8_t*>(out), static_cast<int64_t>(no), s, PD(L::threshold), static_cast<uint8_t>(PD(L::value)));
  return nullptr;
}

int dtype_code(napi_typedarray_type t) {
  switch (t) {
    case napi_float32_array: return 0;
    case napi_float64_array: return 1;
    case napi_int32_array: return 2;
    case napi_uint8_array: return 3;
    default: return -1;
  }
}

// cast(out, a): between any two of Float32Array, Float64Array, Int32Array, Uint8Array (bool).
napi_value Cast(napi_env env, napi_callback_info info) {
  Args g(env, info, 2);
  size_t no = 0, na = 0;
  napi_typedarray_type to, ta;
  void* out = g.array(0, -1, &no, &to);
  const void* a = g.array(1, -1, &na, &ta);
  if (!g.ok) return nullptr;
  if (no != na || dtype_code(to) < 0 || dtype_code(ta) < 0) {
    g.fail("cast: bad arrays");
    return nullptr;
  }
  mlpk::cast(dtype_code(to), out, dtype_code(ta), a, static_cast<int64_t>(no));
  return nullptr;
}

// ------------------------------------------------------------------ setup

Napi::Value Init(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    Napi::TypeError::New(env, "init: expected the Float64Array parameter block").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  auto block = info[0].As<Napi::Float64Array>();
  if (g_params_ref) napi_delete_reference(env, g_params_ref);
  napi_create_reference(env, block, 1, &g_params_ref);
  g_params = block.Data();
  g_params_len = block.ElementLength();
  return env.Undefined();
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("isa", g_k->name);
  o.Set("threads", mlpk::pool_threads());
  o.Set("cpus", mlpk::pool_cpu_count());
  return o;
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsNumber()) {
    Napi::TypeError::New(info.Env(), "setThreads: expected a number").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  mlpk::pool_set_threads(info[0].As<Napi::Number>().Int32Value());
  return Napi::Number::New(info.Env(), mlpk::pool_threads());
}

void add_raw(Napi::Env env, Napi::Object exports, const char* name, napi_callback cb) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, nullptr, &fn);
  exports.Set(name, Napi::Value(env, fn));
}

/**
 * Tensor storage is malloc'd by V8 for every op result. With glibc's default
 * policy each block of more than a few hundred KiB is a fresh mmap, so every
 * large op result page-faults and the kernel zeroes it page by page (in a
 * Mixer training step that was over a quarter of all CPU time). Serving such
 * blocks from the heap and keeping freed memory for reuse turns that into
 * reuse of warm memory. MLPKIT_MALLOC_TUNING=0 leaves the defaults alone.
 */
void tune_malloc() {
#if defined(__GLIBC__)
  const char* env = std::getenv("MLPKIT_MALLOC_TUNING");
  if (env && std::strcmp(env, "0") == 0) return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);   // glibc's maximum on 64-bit
  mallopt(M_TRIM_THRESHOLD, 256 << 20);  // return memory to the OS only past 256 MiB free at the top
#endif
}

Napi::Object Module(Napi::Env env, Napi::Object exports) {
  tune_malloc();
  g_k = pick_isa();
  exports.Set("init", Napi::Function::New(env, Init));
  exports.Set("info", Napi::Function::New(env, Info));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("seam", Napi::Function::New(env, mlpk::SeamTable));
  add_raw(env, exports, "unary", Unary);
  add_raw(env, exports, "binary", Binary);
  add_raw(env, exports, "where", Where);
  add_raw(env, exports, "reduce", Reduce);
  add_raw(env, exports, "matmul", Matmul);
  add_raw(env, exports, "stridedCopy", StridedCopy);
  add_raw(env, exports, "stridedScatterAdd", StridedScatterAdd);
  add_raw(env, exports, "gather", Gather);
  add_raw(env, exports, "scatterAdd", ScatterAdd);
  add_raw(env, exports, "indexSelect", IndexSelect);
  add_raw(env, exports, "indexAdd", IndexAdd);
  add_raw(env, exports, "cumsum", Cumsum);
  add_raw(env, exports, "cast", Cast);
  add_raw(env, exports, "adamStep", AdamStep);
  add_raw(env, exports, "layerNorm", LayerNorm);
  add_raw(env, exports, "layerNormBackward", LayerNormBackward);
  add_raw(env, exports, "mlpForward", MlpForward);
  add_raw(env, exports, "bernoulliFill", BernoulliFill);
  add_raw(env, exports, "mlpBackward", MlpBackward);
  return exports;
}

}  // namespace

NODE_API_MODULE(mlpkit_native, Module)
