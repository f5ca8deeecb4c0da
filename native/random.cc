#include "random.h"

#include <cstring>

namespace mlpk {

static inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

void bernoulli_fill_f32(float* out, int64_t n, uint32_t* s, double threshold, float value) {
  // u < threshold ⟺ u < ⌈threshold⌉ for an integer u; the bound fits 64 bits (threshold ≤ 2³²).
  const double c = threshold <= 0 ? 0 : (threshold > 4294967296.0 ? 4294967296.0 : threshold);
  uint64_t bound = static_cast<uint64_t>(c);
  if (static_cast<double>(bound) < c) bound++;
  uint32_t vbits;
  std::memcpy(&vbits, &value, sizeof vbits);
  uint32_t s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
  for (int64_t i = 0; i < n; i++) {
    const uint32_t u = rotl(s1 * 5u, 7) * 9u;
    const uint32_t t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    // Branch-free select: a dropout mask's draws are unpredictable by design.
    const uint32_t bits = vbits & (0u - static_cast<uint32_t>(u < bound));
    std::memcpy(out + i, &bits, sizeof bits);
  }
  s[0] = s0;
  s[1] = s1;
  s[2] = s2;
  s[3] = s3;
}

}  // namespace mlpk
