// Row-wise iteration over a collapsed strided view (see collapse() in
// kernels.h): the innermost dim is one "row" handed to a row kernel, the outer
// dims advance like an odometer. Rows can be split among threads.
#pragma once

#include "kernels.h"
#include "simd.h"

namespace MLPK_NS {

/**
 * Calls row(outPos, off1, off2, off3, len) for rows [r0, r1) of `s` (up to
 * three operands besides the contiguous output), where off_k is operand k's offset
 * at the row start. With a single row (nd == 1) the range is in elements of
 * that row instead, so that one long row can still be split among threads.
 */
template <class Row>
MLPK_INLINE void for_rows(const mlpk::Strided& s, int64_t r0, int64_t r1, Row row) {
  const int nd = s.nd;
  const int64_t len = s.shape[nd - 1];
  if (nd == 1) {
    row(r0, r0 * s.strides[1][0], r0 * s.strides[2][0], r0 * s.strides[3][0], r1 - r0);
    return;
  }
  int64_t idx[mlpk::kMaxDims];
  int64_t o1 = 0, o2 = 0, o3 = 0;
  int64_t r = r0;
  for (int d = nd - 2; d >= 0; d--) {
    idx[d] = r % s.shape[d];
    r /= s.shape[d];
    o1 += idx[d] * s.strides[1][d];
    o2 += idx[d] * s.strides[2][d];
    o3 += idx[d] * s.strides[3][d];
  }
  for (int64_t q = r0; q < r1; q++) {
    row(q * len, o1, o2, o3, len);
    for (int d = nd - 2; d >= 0; d--) {
      o1 += s.strides[1][d];
      o2 += s.strides[2][d];
      o3 += s.strides[3][d];
      if (++idx[d] < s.shape[d]) break;
      o1 -= s.strides[1][d] * s.shape[d];
      o2 -= s.strides[2][d] * s.shape[d];
      o3 -= s.strides[3][d] * s.shape[d];
      idx[d] = 0;
    }
  }
}

/** Number of units for_rows splits: rows, or the elements of a single row. */
MLPK_INLINE int64_t row_units(const mlpk::Strided& s) {
  if (s.nd == 1) return s.shape[0];
  int64_t rows = 1;
  for (int d = 0; d < s.nd - 1; d++) rows *= s.shape[d];
  return rows;
}

}  // namespace MLPK_NS
