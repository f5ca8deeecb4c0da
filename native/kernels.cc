// Elementwise, comparison, select and reduction kernels on float32, compiled
// once per ISA level (see simd.h). Large inputs are split among the pool's
// threads; the thresholds keep small tensors on the calling thread, where a
// wake-up would cost more than the work.
#include <math.h>
#include <stdlib.h>

#include "kernels.h"
#include "pool.h"
#include "simd.h"
#include "strided.h"
#include "vmath.h"

namespace MLPK_NS {
namespace {

using mlpk::Strided;

// Elements per thread below which splitting does not pay (cheap ops / transcendental ops).
constexpr double kGrainCheap = 1 << 15;
constexpr double kGrainHeavy = 1 << 12;

// ------------------------------------------------------------------ unary

template <class F>
void unary_range(F f, float* out, const float* a, int64_t i, int64_t n) {
  for (; i + VL <= n; i += VL) vstore(out + i, f(vload(a + i)));
  if (i < n) {
    // The tail goes through the same vector code so that every element is computed alike.
    float buf[VL] = {};
    for (int64_t j = i; j < n; j++) buf[j - i] = a[j];
    vf r = f(vload(buf));
    for (int64_t j = i; j < n; j++) out[j] = r[j - i];
  }
}

template <class F>
void scalar_range(F f, float* out, const float* a, int64_t i, int64_t n) {
  for (; i < n; i++) out[i] = f(a[i]);
}

struct UnaryTask {
  int op;
  float* out;
  const float* a;
  int64_t n;
  int64_t ntasks;
};

void unary_span(int op, float* out, const float* a, int64_t n) {
  switch (static_cast<mlpk::UnaryOp>(op)) {
    case mlpk::U_NEG: return unary_range([](vf x) { return -x; }, out, a, 0, n);
    case mlpk::U_ABS: return unary_range([](vf x) { return vabs(x); }, out, a, 0, n);
    case mlpk::U_SIGN:
      return unary_range([](vf x) {
        // sign keeps ±0 and NaN, as the reference does.
        return vsel(x > 0.0f, vsplat(1.0f), vsel(x < 0.0f, vsplat(-1.0f), x));
      }, out, a, 0, n);
    case mlpk::U_EXP: return unary_range([](vf x) { return vexp(x); }, out, a, 0, n);
    case mlpk::U_LOG: return unary_range([](vf x) { return vlog(x); }, out, a, 0, n);
    case mlpk::U_LOG1P: return scalar_range([](float x) { return log1pf(x); }, out, a, 0, n);
    case mlpk::U_EXPM1: return scalar_range([](float x) { return expm1f(x); }, out, a, 0, n);
    case mlpk::U_SQRT: return scalar_range([](float x) { return sqrtf(x); }, out, a, 0, n);
    case mlpk::U_RSQRT: return scalar_range([](float x) { return 1.0f / sqrtf(x); }, out, a, 0, n);
    case mlpk::U_RECIPROCAL: return unary_range([](vf x) { return 1.0f / x; }, out, a, 0, n);
    case mlpk::U_SIN: return scalar_range([](float x) { return sinf(x); }, out, a, 0, n);
    case mlpk::U_COS: return scalar_range([](float x) { return cosf(x); }, out, a, 0, n);
    case mlpk::U_TANH: return unary_range([](vf x) { return vtanh(x); }, out, a, 0, n);
    case mlpk::U_SIGMOID: return unary_range([](vf x) { return vsigmoid(x); }, out, a, 0, n);
    case mlpk::U_ERF: return unary_range([](vf x) { return verf(x); }, out, a, 0, n);
    case mlpk::U_RELU:
      // NaN stays NaN (x > 0 is false for NaN, so select on "not ≤ 0").
      return unary_range([](vf x) { return vsel(x <= 0.0f, vf{}, x); }, out, a, 0, n);
    case mlpk::U_FLOOR: return scalar_range([](float x) { return floorf(x); }, out, a, 0, n);
    case mlpk::U_CEIL: return scalar_range([](float x) { return ceilf(x); }, out, a, 0, n);
    case mlpk::U_ROUND: return scalar_range([](float x) { return nearbyintf(x); }, out, a, 0, n);
    case mlpk::U_GELU: return unary_range([](vf x) { return 0.5f * x * (1.0f + verf(x * 0.70710678118654752f)); }, out, a, 0, n);
  }
}

bool heavy_unary(int op) {
  return op != mlpk::U_NEG && op != mlpk::U_ABS && op != mlpk::U_RELU && op != mlpk::U_SIGN;
}

void unary_f32(int op, float* out, const float* a, int64_t n) {
  UnaryTask t{op, out, a, n, mlpk::pool_tasks_for(static_cast<double>(n), heavy_unary(op) ? kGrainHeavy : kGrainCheap, n / 64 + 1)};
  if (t.ntasks <= 1) return unary_span(op, out, a, n);
  mlpk::pool_for(t.ntasks, [](void* c, int64_t i) {
    auto* t = static_cast<UnaryTask*>(c);
    int64_t b, e;
    mlpk::pool_chunk(t->n, i, t->ntasks, 64, &b, &e);
    if (e > b) unary_span(t->op, t->out + b, t->a + b, e - b);
  }, &t);
}

// ------------------------------------------------------------------ binary

struct AddF { vf v(vf a, vf b) const { return a + b; } float s(float a, float b) const { return a + b; } };
struct SubF { vf v(vf a, vf b) const { return a - b; } float s(float a, float b) const { return a - b; } };
struct MulF { vf v(vf a, vf b) const { return a * b; } float s(float a, float b) const { return a * b; } };
struct DivF { vf v(vf a, vf b) const { return a / b; } float s(float a, float b) const { return a / b; } };
struct MaxF {
  vf v(vf a, vf b) const { return vmaxnan(a, b); }  // a NaN on either side wins
  float s(float a, float b) const { return (a != a || b != b) ? a + b : (a > b ? a : b); }
};
struct MinF {
  vf v(vf a, vf b) const { return vminnan(a, b); }
  float s(float a, float b) const { return (a != a || b != b) ? a + b : (a < b ? a : b); }
};
struct PowF {
  vf v(vf a, vf b) const {
    vf r;
    for (int i = 0; i < VL; i++) r[i] = s(a[i], b[i]);
    return r;
  }
  // JavaScript's Math.pow (the reference) differs from C's pow in two places: 1^NaN and (±1)^±inf are NaN.
  float s(float a, float b) const {
    if (b != b || ((a == 1.0f || a == -1.0f) && __builtin_isinf(b))) return __builtin_nanf("");
    return static_cast<float>(pow(static_cast<double>(a), static_cast<double>(b)));
  }
};

/**
 * g·gelu'(x) = g·(Φ(x) + x·φ(x)) for the fused GELU backward. erf's large
 * branch already computes e^{−x²/2} (its argument is x/√2), which is φ up to
 * 1/√(2π) (0 past |x| = 6√2, where x·φ(x) < 1e-14).
 */
struct GeluBackwardF {
  vf v(vf g, vf x) const {
    vf gauss;
    const vf cdf = 0.5f * (1.0f + verf_gauss(x * 0.70710678118654752f, &gauss));
    return g * (cdf + x * gauss * 0.39894228040143268f);
  }
  float s(float g, float x) const {
    const vf r = v(vsplat(g), vsplat(x));
    return r[0];
  }
};

template <class F>
MLPK_INLINE void binary_row(F f, float* o, const float* a, const float* b, int64_t n, int64_t sa, int64_t sb) {
  int64_t i = 0;
  if (sa == 1 && sb == 1) {
    for (; i + VL <= n; i += VL) vstore(o + i, f.v(vload(a + i), vload(b + i)));
    for (; i < n; i++) o[i] = f.s(a[i], b[i]);
  } else if (sa == 1 && sb == 0) {
    const float y = *b;
    const vf vy = vsplat(y);
    for (; i + VL <= n; i += VL) vstore(o + i, f.v(vload(a + i), vy));
    for (; i < n; i++) o[i] = f.s(a[i], y);
  } else if (sa == 0 && sb == 1) {
    const float x = *a;
    const vf vx = vsplat(x);
    for (; i + VL <= n; i += VL) vstore(o + i, f.v(vx, vload(b + i)));
    for (; i < n; i++) o[i] = f.s(x, b[i]);
  } else {
    for (; i < n; i++) o[i] = f.s(a[i * sa], b[i * sb]);
  }
}

template <class F>
struct BinaryTask {
  F f;
  float* out;
  const float* a;
  const float* b;
  const Strided* s;
  int64_t units, ntasks;

  void run(int64_t r0, int64_t r1) const {
    const int64_t sa = s->strides[1][s->nd - 1], sb = s->strides[2][s->nd - 1];
    for_rows(*s, r0, r1, [&](int64_t pos, int64_t oa, int64_t ob, int64_t, int64_t len) {
      binary_row(f, out + pos, a + oa, b + ob, len, sa, sb);
    });
  }
};

template <class F>
void binary_impl(F f, float* out, const float* a, const float* b, const Strided& s, double grain) {
  const int64_t units = row_units(s);
  const double total = static_cast<double>(units) * (s.nd == 1 ? 1 : s.shape[s.nd - 1]);
  BinaryTask<F> t{f, out, a, b, &s, units, mlpk::pool_tasks_for(total, grain, s.nd == 1 ? units / 64 + 1 : units)};
  if (t.ntasks <= 1) return t.run(0, units);
  mlpk::pool_for(t.ntasks, [](void* c, int64_t i) {
    auto* t = static_cast<BinaryTask<F>*>(c);
    int64_t r0, r1;
    mlpk::pool_chunk(t->units, i, t->ntasks, t->s->nd == 1 ? 64 : 1, &r0, &r1);
    if (r1 > r0) t->run(r0, r1);
  }, &t);
}

void binary_f32(int op, float* out, const float* a, const float* b, const Strided& s) {
  switch (static_cast<mlpk::ArithOp>(op)) {
    case mlpk::A_ADD: return binary_impl(AddF{}, out, a, b, s, kGrainCheap);
    case mlpk::A_SUB: return binary_impl(SubF{}, out, a, b, s, kGrainCheap);
    case mlpk::A_MUL: return binary_impl(MulF{}, out, a, b, s, kGrainCheap);
    case mlpk::A_DIV: return binary_impl(DivF{}, out, a, b, s, kGrainCheap);
    case mlpk::A_POW: return binary_impl(PowF{}, out, a, b, s, kGrainHeavy);
    case mlpk::A_MAXIMUM: return binary_impl(MaxF{}, out, a, b, s, kGrainCheap);
    case mlpk::A_MINIMUM: return binary_impl(MinF{}, out, a, b, s, kGrainCheap);
    case mlpk::A_GELU_BACKWARD: return binary_impl(GeluBackwardF{}, out, a, b, s, kGrainHeavy);
  }
}

// ------------------------------------------------------------------ compare / where

template <class C>
void compare_impl(C cmp, uint8_t* out, const float* a, const float* b, const Strided& s) {
  const int64_t sa = s.strides[1][s.nd - 1], sb = s.strides[2][s.nd - 1];
  for_rows(s, 0, row_units(s), [&](int64_t pos, int64_t oa, int64_t ob, int64_t, int64_t len) {
    uint8_t* o = out + pos;
    const float* x = a + oa;
    const float* y = b + ob;
    if (sa == 1 && sb == 1) {
      for (int64_t i = 0; i < len; i++) o[i] = cmp(x[i], y[i]);
    } else if (sa == 1 && sb == 0) {
      const float yy = *y;
      for (int64_t i = 0; i < len; i++) o[i] = cmp(x[i], yy);
    } else {
      for (int64_t i = 0; i < len; i++) o[i] = cmp(x[i * sa], y[i * sb]);
    }
  });
}

void compare_f32(int op, uint8_t* out, const float* a, const float* b, const Strided& s) {
  switch (static_cast<mlpk::CompareOp>(op)) {
    case mlpk::C_EQ: return compare_impl([](float x, float y) -> uint8_t { return x == y; }, out, a, b, s);
    case mlpk::C_NE: return compare_impl([](float x, float y) -> uint8_t { return x != y; }, out, a, b, s);
    case mlpk::C_LT: return compare_impl([](float x, float y) -> uint8_t { return x < y; }, out, a, b, s);
    case mlpk::C_LE: return compare_impl([](float x, float y) -> uint8_t { return x <= y; }, out, a, b, s);
    case mlpk::C_GT: return compare_impl([](float x, float y) -> uint8_t { return x > y; }, out, a, b, s);
    case mlpk::C_GE: return compare_impl([](float x, float y) -> uint8_t { return x >= y; }, out, a, b, s);
  }
}

void where_f32(float* out, const uint8_t* c, const float* a, const float* b, const Strided& s) {
  const int nd = s.nd;
  const int64_t sc = s.strides[1][nd - 1], sa = s.strides[2][nd - 1], sb = s.strides[3][nd - 1];
  for_rows(s, 0, row_units(s), [&](int64_t pos, int64_t oc, int64_t oa, int64_t ob, int64_t len) {
    float* o = out + pos;
    const uint8_t* cc = c + oc;
    const float* x = a + oa;
    const float* y = b + ob;
    if (sc == 1 && sa == 1 && sb == 1) {
      for (int64_t i = 0; i < len; i++) o[i] = cc[i] ? x[i] : y[i];
    } else if (sc == 1 && sa == 1 && sb == 0) {
      const float yy = *y;
      for (int64_t i = 0; i < len; i++) o[i] = cc[i] ? x[i] : yy;
    } else if (sc == 1 && sa == 0 && sb == 1) {
      const float xx = *x;
      for (int64_t i = 0; i < len; i++) o[i] = cc[i] ? xx : y[i];
    } else {
      for (int64_t i = 0; i < len; i++) o[i] = cc[i * sc] ? x[i * sa] : y[i * sb];
    }
  });
}

// ------------------------------------------------------------------ reductions

struct SumR {
  static vf init() { return vf{}; }
  static float sinit() { return 0.0f; }
  static vf v(vf acc, vf x) { return acc + x; }
  static float s(float acc, float x) { return acc + x; }
  static float fold(vf v) { return hsum(v); }
};
struct MaxR {
  static vf init() { return vsplat(-__builtin_inff()); }
  static float sinit() { return -__builtin_inff(); }
  static vf v(vf acc, vf x) { return vsel(visnan(acc), acc, vmaxnan(x, acc)); }
  static float s(float acc, float x) { return (x > acc || x != x) && acc == acc ? x : acc; }
  static float fold(vf v) {
    float r = v[0];
    for (int i = 1; i < VL; i++) r = s(r, v[i]);
    return r;
  }
};
struct MinR {
  static vf init() { return vsplat(__builtin_inff()); }
  static float sinit() { return __builtin_inff(); }
  static vf v(vf acc, vf x) { return vsel(visnan(acc), acc, vminnan(x, acc)); }
  static float s(float acc, float x) { return (x < acc || x != x) && acc == acc ? x : acc; }
  static float fold(vf v) {
    float r = v[0];
    for (int i = 1; i < VL; i++) r = s(r, v[i]);
    return r;
  }
};

/** Reduce n contiguous floats, with four accumulators to hide the add latency. */
template <class R>
float reduce_contig(const float* a, int64_t n) {
  vf acc0 = R::init(), acc1 = R::init(), acc2 = R::init(), acc3 = R::init();
  int64_t j = 0;
  for (; j + 4 * VL <= n; j += 4 * VL) {
    acc0 = R::v(acc0, vload(a + j));
    acc1 = R::v(acc1, vload(a + j + VL));
    acc2 = R::v(acc2, vload(a + j + 2 * VL));
    acc3 = R::v(acc3, vload(a + j + 3 * VL));
  }
  for (; j + VL <= n; j += VL) acc0 = R::v(acc0, vload(a + j));
  acc0 = R::v(R::v(acc0, acc1), R::v(acc2, acc3));
  float r = R::fold(acc0);
  for (; j < n; j++) r = R::s(r, a[j]);
  return r;
}

/** out[i] = reduce over j of a[j·inner + i] for i in [i0, i1). */
template <class R>
void reduce_strided(float* out, const float* a, int64_t n, int64_t inner, int64_t i0, int64_t i1) {
  int64_t i = i0;
  for (; i + VL <= i1; i += VL) {
    vf acc = R::init();
    const float* p = a + i;
    for (int64_t j = 0; j < n; j++, p += inner) acc = R::v(acc, vload(p));
    vstore(out + i, acc);
  }
  for (; i < i1; i++) {
    float acc = R::sinit();
    for (int64_t j = 0; j < n; j++) acc = R::s(acc, a[j * inner + i]);
    out[i] = acc;
  }
}

template <class R>
struct ReduceTask {
  float* out;
  const float* a;
  int64_t outer, n, inner, ntasks;
  const float* row;     // the row being split (few long rows)
  float partial[64];
};

template <class R>
void reduce_rows(const ReduceTask<R>& t, int64_t o0, int64_t o1, int64_t i0, int64_t i1) {
  for (int64_t o = o0; o < o1; o++) {
    if (t.inner == 1) t.out[o] = reduce_contig<R>(t.a + o * t.n, t.n);
    else reduce_strided<R>(t.out + o * t.inner, t.a + o * t.n * t.inner, t.n, t.inner, i0, i1);
  }
}

template <class R>
void reduce_impl(float* out, const float* a, int64_t outer, int64_t n, int64_t inner) {
  const double total = static_cast<double>(outer) * n * inner;
  ReduceTask<R> t{out, a, outer, n, inner, 1, nullptr, {}};
  if (outer >= 2 * mlpk::pool_threads() || total < 2 * kGrainCheap || mlpk::pool_threads() <= 1) {
    // Split the outer slices (or run on this thread).
    t.ntasks = mlpk::pool_tasks_for(total, kGrainCheap, outer);
    if (t.ntasks <= 1) return reduce_rows(t, 0, outer, 0, inner);
    mlpk::pool_for(t.ntasks, [](void* c, int64_t i) {
      auto* t = static_cast<ReduceTask<R>*>(c);
      int64_t o0, o1;
      mlpk::pool_chunk(t->outer, i, t->ntasks, 1, &o0, &o1);
      reduce_rows(*t, o0, o1, 0, t->inner);
    }, &t);
  } else if (inner > 1) {
    // Few outer slices: split each slice's inner positions.
    t.ntasks = mlpk::pool_tasks_for(total, kGrainCheap, (inner + VL - 1) / VL);
    if (t.ntasks <= 1) return reduce_rows(t, 0, outer, 0, inner);
    mlpk::pool_for(t.ntasks, [](void* c, int64_t i) {
      auto* t = static_cast<ReduceTask<R>*>(c);
      int64_t i0, i1;
      mlpk::pool_chunk(t->inner, i, t->ntasks, VL, &i0, &i1);
      if (i1 > i0) reduce_rows(*t, 0, t->outer, i0, i1);
    }, &t);
  } else {
    // Few long contiguous rows: each task reduces a part of the row, then the partials are folded.
    t.ntasks = mlpk::pool_tasks_for(static_cast<double>(n), kGrainCheap, 64);
    for (int64_t o = 0; o < outer; o++) {
      t.row = a + o * n;
      mlpk::pool_for(t.ntasks, [](void* c, int64_t i) {
        auto* t = static_cast<ReduceTask<R>*>(c);
        int64_t j0, j1;
        mlpk::pool_chunk(t->n, i, t->ntasks, 4 * VL, &j0, &j1);
        t->partial[i] = j1 > j0 ? reduce_contig<R>(t->row + j0, j1 - j0) : R::sinit();
      }, &t);
      float r = t.partial[0];
      for (int64_t k = 1; k < t.ntasks; k++) r = R::s(r, t.partial[k]);
      out[o] = r;
    }
  }
}

// ------------------------------------------------------------------ layer norm

struct LayerNormTask {
  float* out;  // forward: y; backward: dx
  float* mean;
  float* rstd;
  const float* x;
  const float* w;
  const float* b;
  const float* g;
  float* partial;  // backward: per task, cols of Σ g·x̂ then cols of Σ g
  int64_t rows, cols, ntasks;
  float eps;
};

// w (or 1 when null) at j..j+VL, and as a scalar.
MLPK_INLINE vf wv(const float* w, int64_t j) { return w ? vload(w + j) : vsplat(1.0f); }
MLPK_INLINE float ws(const float* w, int64_t j) { return w ? w[j] : 1.0f; }

void layer_norm_rows(const LayerNormTask& t, int64_t r0, int64_t r1) {
  const int64_t n = t.cols;
  for (int64_t r = r0; r < r1; r++) {
    const float* x = t.x + r * n;
    float* y = t.out + r * n;
    const float mu = reduce_contig<SumR>(x, n) / static_cast<float>(n);
    vf acc = vf{};
    int64_t j = 0;
    for (; j + VL <= n; j += VL) {
      const vf d = vload(x + j) - mu;
      acc += d * d;
    }
    float ss = hsum(acc);
    for (; j < n; j++) ss += (x[j] - mu) * (x[j] - mu);
    const float rs = 1.0f / sqrtf(ss / static_cast<float>(n) + t.eps);
    t.mean[r] = mu;
    t.rstd[r] = rs;
    for (j = 0; j + VL <= n; j += VL) {
      const vf v = (vload(x + j) - mu) * rs * wv(t.w, j);
      vstore(y + j, t.b ? v + vload(t.b + j) : v);
    }
    for (; j < n; j++) y[j] = (x[j] - mu) * rs * ws(t.w, j) + (t.b ? t.b[j] : 0.0f);
  }
}

void layer_norm_backward_rows(const LayerNormTask& t, int64_t r0, int64_t r1, float* pw, float* pb) {
  const int64_t n = t.cols;
  const float inv_n = 1.0f / static_cast<float>(n);
  for (int64_t r = r0; r < r1; r++) {
    const float* x = t.x + r * n;
    const float* g = t.g + r * n;
    float* dx = t.out + r * n;
    const float mu = t.mean[r], rs = t.rstd[r];
    vf sd = vf{}, sdx = vf{};
    int64_t j = 0;
    for (; j + VL <= n; j += VL) {
      const vf xh = (vload(x + j) - mu) * rs;
      const vf gv = vload(g + j);
      const vf d = gv * wv(t.w, j);
      sd += d;
      sdx += d * xh;
      if (pw) vstore(pw + j, vload(pw + j) + gv * xh);
      if (pb) vstore(pb + j, vload(pb + j) + gv);
    }
    float s1 = hsum(sd), s2 = hsum(sdx);
    for (; j < n; j++) {
      const float xh = (x[j] - mu) * rs;
      const float d = g[j] * ws(t.w, j);
      s1 += d;
      s2 += d * xh;
      if (pw) pw[j] += g[j] * xh;
      if (pb) pb[j] += g[j];
    }
    s1 *= inv_n;
    s2 *= inv_n;
    for (j = 0; j + VL <= n; j += VL) {
      const vf xh = (vload(x + j) - mu) * rs;
      vstore(dx + j, rs * (vload(g + j) * wv(t.w, j) - s1 - xh * s2));
    }
    for (; j < n; j++) dx[j] = rs * (g[j] * ws(t.w, j) - s1 - (x[j] - mu) * rs * s2);
  }
}

void layer_norm_f32(float* out, float* mean, float* rstd, const float* x, const float* w, const float* b,
                    int64_t rows, int64_t cols, float eps) {
  LayerNormTask t{out, mean, rstd, x, w, b, nullptr, nullptr, rows, cols, 1, eps};
  t.ntasks = mlpk::pool_tasks_for(static_cast<double>(rows) * cols, kGrainCheap, rows);
  if (t.ntasks <= 1) return layer_norm_rows(t, 0, rows);
  mlpk::pool_for(t.ntasks, [](void* c, int64_t i) {
    auto* t = static_cast<LayerNormTask*>(c);
    int64_t r0, r1;
    mlpk::pool_chunk(t->rows, i, t->ntasks, 1, &r0, &r1);
    layer_norm_rows(*t, r0, r1);
  }, &t);
}

void layer_norm_backward_f32(float* dx, float* dw, float* db, const float* g, const float* x, const float* mean,
                             const float* rstd, const float* w, int64_t rows, int64_t cols) {
  LayerNormTask t{dx, const_cast<float*>(mean), const_cast<float*>(rstd), x, w, nullptr, g, nullptr, rows, cols, 1, 0.0f};
  t.ntasks = mlpk::pool_tasks_for(static_cast<double>(rows) * cols, kGrainCheap, rows);
  // With several tasks each sums its rows' contributions to dw and db into its
  // own partials, added at the end; one task accumulates straight into dw, db.
  if ((dw || db) && t.ntasks > 1) {
    t.partial = static_cast<float*>(calloc(static_cast<size_t>(t.ntasks * 2 * cols), sizeof(float)));
    if (!t.partial) t.ntasks = 1;
  }
  if (t.ntasks <= 1) {
    for (int64_t j = 0; j < cols; j++) {
      if (dw) dw[j] = 0.0f;
      if (db) db[j] = 0.0f;
    }
    return layer_norm_backward_rows(t, 0, rows, dw, db);
  }
  mlpk::pool_for(t.ntasks, [](void* c, int64_t i) {
    auto* t = static_cast<LayerNormTask*>(c);
    int64_t r0, r1;
    mlpk::pool_chunk(t->rows, i, t->ntasks, 1, &r0, &r1);
    float* pw = t->partial ? t->partial + i * 2 * t->cols : nullptr;
    layer_norm_backward_rows(*t, r0, r1, pw, pw ? pw + t->cols : nullptr);
  }, &t);
  if (!t.partial) return;
  for (int64_t j = 0; j < cols; j++) {
    float sw = 0.0f, sb = 0.0f;
    for (int64_t i = 0; i < t.ntasks; i++) {
      sw += t.partial[i * 2 * cols + j];
      sb += t.partial[i * 2 * cols + cols + j];
    }
    if (dw) dw[j] = sw;
    if (db) db[j] = sb;
  }
  free(t.partial);
}

// ------------------------------------------------------------------ Adam

struct AdamTask {
  float* p;
  const float* g;
  float* m;
  float* v;
  int64_t n, ntasks;
  const mlpk::AdamParams* h;
};

void adam_span(const AdamTask& t, int64_t i, int64_t end) {
  const mlpk::AdamParams& h = *t.h;
  const float b1 = static_cast<float>(h.beta1), b2 = static_cast<float>(h.beta2);
  const float c1 = static_cast<float>(1 - h.beta1), c2 = static_cast<float>(1 - h.beta2);
  const float step = static_cast<float>(h.step_size), ibc = static_cast<float>(h.inv_bc2_sqrt);
  const float eps = static_cast<float>(h.eps), l2 = static_cast<float>(h.l2);
  const float shrink = static_cast<float>(h.shrink), sign = static_cast<float>(h.sign);
  auto one = [&](vf pv, vf gv, vf mv, vf vv, vf* po, vf* mo, vf* vo) {
    const vf gi = sign * gv + l2 * pv;
    *mo = b1 * mv + c1 * gi;
    *vo = b2 * vv + c2 * gi * gi;
    vf s;
    for (int l = 0; l < VL; l++) s[l] = sqrtf((*vo)[l]);  // one vsqrtps
    *po = pv * shrink - step * *mo / (s * ibc + eps);
  };
  for (; i + VL <= end; i += VL) {
    vf po, mo, vo;
    one(vload(t.p + i), vload(t.g + i), vload(t.m + i), vload(t.v + i), &po, &mo, &vo);
    vstore(t.p + i, po);
    vstore(t.m + i, mo);
    vstore(t.v + i, vo);
  }
  for (; i < end; i++) {
    vf po, mo, vo;
    one(vsplat(t.p[i]), vsplat(t.g[i]), vsplat(t.m[i]), vsplat(t.v[i]), &po, &mo, &vo);
    t.p[i] = po[0];
    t.m[i] = mo[0];
    t.v[i] = vo[0];
  }
}

void adam_f32(float* p, const float* g, float* m, float* v, int64_t n, const mlpk::AdamParams& h) {
  AdamTask t{p, g, m, v, n, mlpk::pool_tasks_for(static_cast<double>(n), kGrainCheap, n / 64 + 1), &h};
  if (t.ntasks <= 1) return adam_span(t, 0, n);
  mlpk::pool_for(t.ntasks, [](void* c, int64_t i) {
    auto* t = static_cast<AdamTask*>(c);
    int64_t b, e;
    mlpk::pool_chunk(t->n, i, t->ntasks, 64, &b, &e);
    adam_span(*t, b, e);
  }, &t);
}

// First index of the best value; a NaN wins at once (as the reference backend and PyTorch).
template <bool kMax>
void arg_reduce(int32_t* out, const float* a, int64_t outer, int64_t n, int64_t inner) {
  for (int64_t o = 0; o < outer; o++) {
    for (int64_t i = 0; i < inner; i++) {
      const float* p = a + o * n * inner + i;
      float best = p[0];
      int32_t bi = 0;
      if (best == best) {
        for (int64_t j = 1; j < n; j++) {
          const float x = p[j * inner];
          if (x != x) {
            bi = static_cast<int32_t>(j);
            break;
          }
          if (kMax ? x > best : x < best) {
            best = x;
            bi = static_cast<int32_t>(j);
          }
        }
      }
      out[o * inner + i] = bi;
    }
  }
}

void reduce_f32(int op, void* out, const float* a, int64_t outer, int64_t n, int64_t inner) {
  switch (static_cast<mlpk::ReduceOp>(op)) {
    case mlpk::R_SUM: return reduce_impl<SumR>(static_cast<float*>(out), a, outer, n, inner);
    case mlpk::R_MAX: return reduce_impl<MaxR>(static_cast<float*>(out), a, outer, n, inner);
    case mlpk::R_MIN: return reduce_impl<MinR>(static_cast<float*>(out), a, outer, n, inner);
    case mlpk::R_ARGMAX: return arg_reduce<true>(static_cast<int32_t*>(out), a, outer, n, inner);
    case mlpk::R_ARGMIN: return arg_reduce<false>(static_cast<int32_t*>(out), a, outer, n, inner);
  }
}

}  // namespace

void gemm_f32(float* c, const float* a, const float* b, const mlpk::GemmParams& p);
bool mlp_forward_f32(float* out, const float* x, const float* w1, const float* b1, const float* w2, const float* b2,
                     const uint8_t* keep, float scale, int64_t rows, int64_t c, int64_t f, int64_t o);
bool mlp_backward_f32(float* dx, float* dw1, float* db1, float* dw2, float* db2, const float* g, const float* x,
                      const float* w1, const float* b1, const float* w2, const uint8_t* keep, float scale, int64_t rows,
                      int64_t c, int64_t f, int64_t o);

extern const mlpk::IsaKernels kTable = {
    MLPK_ISA_NAME, unary_f32, binary_f32, compare_f32, where_f32, reduce_f32, gemm_f32, layer_norm_f32, layer_norm_backward_f32, adam_f32,
    mlp_forward_f32, mlp_backward_f32,
};

}  // namespace MLPK_NS
