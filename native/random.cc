#include "random.h"

#include <cstring>

namespace mlpk {

static inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

// Writes out[i] = bits of value or 0 through store(i, keep-mask), branch-free:
// a dropout mask's draws are unpredictable by design.
template <class Store>
static void fill(int64_t n, uint32_t* s, double threshold, Store store) {
  // u < threshold ⟺ u < ⌈threshold⌉ for an integer u; the bound fits 64 bits (threshold ≤ 2³²).
  const double c = threshold <= 0 ? 0 : (threshold > 4294967296.0 ? 4294967296.0 : threshold);
  uint64_t bound = static_cast<uint64_t>(c);
  if (static_cast<double>(bound) < c) bound++;
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
    store(i, 0u - static_cast<uint32_t>(u < bound));
  }
  s[0] = s0;
  s[1] = s1;
  s[2] = s2;
  s[3] = s3;
}

void bernoulli_fill_f32(float* out, int64_t n, uint32_t* s, double threshold, float value) {
  uint32_t vbits;
  std::memcpy(&vbits, &value, sizeof vbits);
  fill(n, s, threshold, [&](int64_t i, uint32_t keep) {
    const uint32_t bits = vbits & keep;
    std::memcpy(out + i, &bits, sizeof bits);
  });
}

void bernoulli_fill_u8(uint8_t* out, int64_t n, uint32_t* s, double threshold, uint8_t value) {
  fill(n, s, threshold, [&](int64_t i, uint32_t keep) { out[i] = static_cast<uint8_t>(value & keep); });
}

}  // namespace mlpk
