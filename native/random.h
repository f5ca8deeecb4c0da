// The bulk random fill behind dropout masks: the xoshiro128** stream of
// src/tensor/random.ts (Generator), bit for bit, so a seed draws the same
// mask on every backend.
#pragma once

#include <cstdint>

namespace mlpk {

/**
 * out[i] = value when the i-th 32-bit draw u satisfies u < threshold, else 0,
 * advancing the generator state s[0..3] in place (threshold = p·2³²).
 */
void bernoulli_fill_f32(float* out, int64_t n, uint32_t* s, double threshold, float value);
/** The same into bytes (a bool mask: value 1). */
void bernoulli_fill_u8(uint8_t* out, int64_t n, uint32_t* s, double threshold, uint8_t value);

}  // namespace mlpk
