#include "movement.h"

#include "pool.h"

#include <math.h>
#include <string.h>

namespace mlpk {

int64_t collapse(Strided& s, int nops) {
  int64_t total = 1;
  for (int d = 0; d < s.nd; d++) total *= s.shape[d];
  if (total == 0) return 0;
  // Keep dims of size > 1, merging each into the next kept one when every
  // operand steps over it as over one longer dim.
  int64_t shape[kMaxDims];
  int64_t strides[4][kMaxDims];
  int nd = 0;
  for (int d = 0; d < s.nd; d++) {
    if (s.shape[d] == 1) continue;
    if (nd > 0) {
      bool merge = true;
      for (int k = 0; k < nops; k++) merge = merge && strides[k][nd - 1] == s.strides[k][d] * s.shape[d];
      if (merge) {
        shape[nd - 1] *= s.shape[d];
        for (int k = 0; k < nops; k++) strides[k][nd - 1] = s.strides[k][d];
        continue;
      }
    }
    shape[nd] = s.shape[d];
    for (int k = 0; k < nops; k++) strides[k][nd] = s.strides[k][d];
    nd++;
  }
  if (nd == 0) {
    shape[0] = 1;
    for (int k = 0; k < nops; k++) strides[k][0] = 0;
    nd = 1;
  }
  s.nd = nd;
  for (int d = 0; d < nd; d++) {
    s.shape[d] = shape[d];
    for (int k = 0; k < nops; k++) s.strides[k][d] = strides[k][d];
  }
  return total;
}

namespace {

/** Rows (innermost-dim runs) of a collapsed view. */
int64_t row_count(const Strided& s) {
  int64_t rows = 1;
  for (int d = 0; d < s.nd - 1; d++) rows *= s.shape[d];
  return rows;
}

// Visit rows [r0, r1) of a collapsed view: fn(pos, off1, len, stride1), pos the
// row-major index of the row start and off1 operand 1's offset.
template <class Fn>
void rows2(const Strided& s, int64_t base, int64_t r0, int64_t r1, Fn fn) {
  const int nd = s.nd;
  const int64_t len = s.shape[nd - 1];
  const int64_t st = s.strides[1][nd - 1];
  int64_t idx[kMaxDims] = {};
  int64_t off = base;
  int64_t r = r0;
  for (int d = nd - 2; d >= 0; d--) {
    idx[d] = r % s.shape[d];
    r /= s.shape[d];
    off += idx[d] * s.strides[1][d];
  }
  for (int64_t row = r0; row < r1; row++) {
    fn(row * len, off, len, st);
    for (int d = nd - 2; d >= 0; d--) {
      off += s.strides[1][d];
      if (++idx[d] < s.shape[d]) break;
      off -= s.strides[1][d] * s.shape[d];
      idx[d] = 0;
    }
  }
}

template <class Fn>
void rows2(const Strided& s, int64_t base, Fn fn) {
  rows2(s, base, 0, row_count(s), fn);
}

/**
 * Run fn(r0, r1) over row ranges of `s`, split among threads when the view is
 * large (each row range is independent: the caller guarantees that rows write
 * disjoint elements).
 */
template <class Fn>
void for_row_ranges(const Strided& s, Fn fn) {
  const int64_t rows = row_count(s);
  const double elems = static_cast<double>(rows) * s.shape[s.nd - 1];
  struct Ctx {
    Fn* fn;
    int64_t rows, ntasks;
  } ctx{&fn, rows, pool_tasks_for(elems, 1 << 16, rows)};
  if (ctx.ntasks <= 1) return fn(0, rows);
  pool_for(ctx.ntasks, [](void* c, int64_t i) {
    auto* x = static_cast<Ctx*>(c);
    int64_t r0, r1;
    pool_chunk(x->rows, i, x->ntasks, 1, &r0, &r1);
    if (r1 > r0) (*x->fn)(r0, r1);
  }, &ctx);
}

/** True when no two positions of the view reach the same element of operand 1 (e.g. a permutation). */
bool injective(const Strided& s) {
  int order[kMaxDims];
  for (int d = 0; d < s.nd; d++) order[d] = d;
  // Sort dims by |stride|; each must step past everything the smaller ones span.
  auto mag = [&](int d) { return s.strides[1][d] < 0 ? -s.strides[1][d] : s.strides[1][d]; };
  for (int i = 1; i < s.nd; i++) {
    for (int j = i; j > 0 && mag(order[j]) < mag(order[j - 1]); j--) {
      const int t = order[j];
      order[j] = order[j - 1];
      order[j - 1] = t;
    }
  }
  int64_t span = 0;  // largest offset reachable with the dims seen so far
  for (int i = 0; i < s.nd; i++) {
    const int d = order[i];
    if (s.shape[d] == 1) continue;
    if (mag(d) <= span) return false;
    span += mag(d) * (s.shape[d] - 1);
  }
  return true;
}

template <class T>
void copy_t(T* out, const T* a, int64_t offset, Strided& s) {
  // Walking the output contiguously lets merged dims turn into long rows.
  int64_t st = 1;
  for (int d = s.nd - 1; d >= 0; d--) {
    s.strides[0][d] = st;
    st *= s.shape[d];
  }
  if (collapse(s, 2) == 0) return;
  // Each row writes its own part of the contiguous output, so rows may run in parallel.
  for_row_ranges(s, [&](int64_t r0, int64_t r1) {
    rows2(s, offset, r0, r1, [&](int64_t pos, int64_t off, int64_t len, int64_t stride) {
      T* o = out + pos;
      const T* p = a + off;
      if (stride == 1) {
        memcpy(o, p, static_cast<size_t>(len) * sizeof(T));
      } else if (stride == 0) {
        const T v = *p;
        for (int64_t i = 0; i < len; i++) o[i] = v;
      } else {
        for (int64_t i = 0; i < len; i++) o[i] = p[i * stride];
      }
    });
  });
}

template <class T>
bool gather_t(T* out, const T* a, size_t alen, const int32_t* idx, Strided& s, int64_t axis_stride) {
  int64_t st = 1;
  for (int d = s.nd - 1; d >= 0; d--) {
    s.strides[0][d] = st;
    st *= s.shape[d];
  }
  if (collapse(s, 2) == 0) return true;
  bool ok = true;
  rows2(s, 0, [&](int64_t pos, int64_t off, int64_t len, int64_t stride) {
    for (int64_t i = 0; i < len && ok; i++) {
      const int64_t at = off + i * stride + idx[pos + i] * axis_stride;
      if (at < 0 || static_cast<size_t>(at) >= alen) ok = false;
      else out[pos + i] = a[at];
    }
  });
  return ok;
}

template <class O, class I>
void cast_t(O* out, const I* a, int64_t n) {
  for (int64_t i = 0; i < n; i++) out[i] = static_cast<O>(a[i]);
}

// JavaScript's ToInt32 of Math.trunc(x): NaN and ±inf give 0, others wrap modulo 2^32.
inline int32_t to_int32(double x) {
  if (x > -2147483649.0 && x < 2147483648.0) return static_cast<int32_t>(x);
  if (!isfinite(x)) return 0;
  double m = fmod(trunc(x), 4294967296.0);
  if (m < 0) m += 4294967296.0;
  return static_cast<int32_t>(static_cast<uint32_t>(m));
}

template <class I>
void cast_from(int to, void* out, const I* a, int64_t n) {
  switch (to) {
    case 0: return cast_t(static_cast<float*>(out), a, n);
    case 1: return cast_t(static_cast<double*>(out), a, n);
    case 2: {
      auto* o = static_cast<int32_t*>(out);
      for (int64_t i = 0; i < n; i++) o[i] = to_int32(static_cast<double>(a[i]));
      return;
    }
    case 3: {
      auto* o = static_cast<uint8_t*>(out);
      for (int64_t i = 0; i < n; i++) o[i] = a[i] != 0 ? 1 : 0;  // NaN != 0, as in JS
      return;
    }
  }
}

}  // namespace

void strided_copy(int elsize, void* out, const void* a, int64_t offset, Strided s) {
  switch (elsize) {
    case 1: return copy_t(static_cast<uint8_t*>(out), static_cast<const uint8_t*>(a), offset, s);
    case 4: return copy_t(static_cast<uint32_t*>(out), static_cast<const uint32_t*>(a), offset, s);
    case 8: return copy_t(static_cast<uint64_t*>(out), static_cast<const uint64_t*>(a), offset, s);
  }
}

void strided_scatter_add_f32(float* out, int64_t offset, Strided s, const float* src) {
  int64_t st = 1;
  for (int d = s.nd - 1; d >= 0; d--) {
    s.strides[0][d] = st;
    st *= s.shape[d];
  }
  if (collapse(s, 2) == 0) return;
  auto rows = [&](int64_t r0, int64_t r1) {
    rows2(s, offset, r0, r1, [&](int64_t pos, int64_t off, int64_t len, int64_t stride) {
      float* o = out + off;
      const float* p = src + pos;
      for (int64_t i = 0; i < len; i++) o[i * stride] += p[i];
    });
  };
  // Overlapping windows must accumulate in order, on one thread; a view that
  // reaches each element once (the adjoint of a transpose, a slice) can be split.
  if (injective(s)) for_row_ranges(s, rows);
  else rows(0, row_count(s));
}

bool gather(int elsize, void* out, const void* a, size_t alen, const int32_t* idx, Strided s, int64_t axis_stride) {
  switch (elsize) {
    case 1: return gather_t(static_cast<uint8_t*>(out), static_cast<const uint8_t*>(a), alen, idx, s, axis_stride);
    case 4: return gather_t(static_cast<uint32_t*>(out), static_cast<const uint32_t*>(a), alen, idx, s, axis_stride);
    case 8: return gather_t(static_cast<uint64_t*>(out), static_cast<const uint64_t*>(a), alen, idx, s, axis_stride);
  }
  return false;
}

bool scatter_add_f32(float* out, size_t outlen, const float* src, const int32_t* idx, Strided s, int64_t axis_stride) {
  int64_t st = 1;
  for (int d = s.nd - 1; d >= 0; d--) {
    s.strides[0][d] = st;
    st *= s.shape[d];
  }
  if (collapse(s, 2) == 0) return true;
  bool ok = true;
  rows2(s, 0, [&](int64_t pos, int64_t off, int64_t len, int64_t stride) {
    for (int64_t i = 0; i < len && ok; i++) {
      const int64_t at = off + i * stride + idx[pos + i] * axis_stride;
      if (at < 0 || static_cast<size_t>(at) >= outlen) ok = false;
      else out[at] += src[pos + i];
    }
  });
  return ok;
}

void index_select(int elsize, void* out, const void* a, const int32_t* idx, int64_t nidx,
                  int64_t outer, int64_t na, int64_t inner) {
  const size_t row = static_cast<size_t>(inner) * elsize;
  auto* o = static_cast<uint8_t*>(out);
  const auto* p = static_cast<const uint8_t*>(a);
  for (int64_t q = 0; q < outer; q++) {
    for (int64_t j = 0; j < nidx; j++) {
      memcpy(o + ((q * nidx + j) * row), p + ((q * na + idx[j]) * row), row);
    }
  }
}

void index_add_f32(float* out, const float* src, const int32_t* idx, int64_t nidx,
                   int64_t outer, int64_t nout, int64_t inner) {
  for (int64_t q = 0; q < outer; q++) {
    for (int64_t j = 0; j < nidx; j++) {
      float* o = out + (q * nout + idx[j]) * inner;
      const float* s = src + (q * nidx + j) * inner;
      for (int64_t i = 0; i < inner; i++) o[i] += s[i];
    }
  }
}

void cumsum_f32(float* out, const float* a, int64_t outer, int64_t n, int64_t inner) {
  for (int64_t q = 0; q < outer; q++) {
    for (int64_t i = 0; i < inner; i++) {
      double acc = 0;
      int64_t p = q * n * inner + i;
      for (int64_t j = 0; j < n; j++, p += inner) {
        acc += a[p];
        out[p] = static_cast<float>(acc);
      }
    }
  }
}

void cast(int to, void* out, int from, const void* a, int64_t n) {
  switch (from) {
    case 0: return cast_from(to, out, static_cast<const float*>(a), n);
    case 1: return cast_from(to, out, static_cast<const double*>(a), n);
    case 2: return cast_from(to, out, static_cast<const int32_t*>(a), n);
    case 3: return cast_from(to, out, static_cast<const uint8_t*>(a), n);
  }
}

}  // namespace mlpk
