// Kernels that move, index, convert or scan data. Memory-bound and
// ISA-independent, so they are compiled once with the baseline flags. Copies
// are generic over the element size (1, 4 or 8 bytes), so they serve every dtype.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels.h"

namespace mlpk {

/** out[pos] = a[offset + pos·strides] over s.shape; elsize 1, 4 or 8 bytes. */
void strided_copy(int elsize, void* out, const void* a, int64_t offset, Strided s);

/** out[offset + pos·strides] += src[pos] in row-major order (overlaps accumulate). */
void strided_scatter_add_f32(float* out, int64_t offset, Strided s, const float* src);

/**
 * out[pos] = a[pos·strides + idx[pos]·axisStride] (the axis's own stride is 0 in
 * `s`). Returns false, stopping early, if an access would leave a[0, alen).
 */
bool gather(int elsize, void* out, const void* a, size_t alen, const int32_t* idx, Strided s, int64_t axis_stride);

/** out[pos·strides + idx[pos]·axisStride] += src[pos]; false if an access would leave out[0, outlen). */
bool scatter_add_f32(float* out, size_t outlen, const float* src, const int32_t* idx, Strided s, int64_t axis_stride);

void index_select(int elsize, void* out, const void* a, const int32_t* idx, int64_t nidx,
                  int64_t outer, int64_t na, int64_t inner);
void index_add_f32(float* out, const float* src, const int32_t* idx, int64_t nidx,
                   int64_t outer, int64_t nout, int64_t inner);

/** Inclusive prefix sum along n of [outer, n, inner], accumulated in double as the reference does. */
void cumsum_f32(float* out, const float* a, int64_t outer, int64_t n, int64_t inner);

/** Dtype codes: 0 float32, 1 float64, 2 int32, 3 bool (uint8). */
void cast(int to, void* out, int from, const void* a, int64_t n);

}  // namespace mlpk
