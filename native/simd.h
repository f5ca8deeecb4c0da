// Portable SIMD vocabulary for the kernels, built on GCC/Clang vector
// extensions. kernels.cc, gemm.cc and vmath.h are compiled once per ISA level
// (see binding.gyp); the compiler flags of that build decide the vector width
// here, and MLPK_NS gives every build its own namespace so that inline
// functions of different ISA levels can never be merged by the linker.
#pragma once

#include <cstdint>
#include <cstring>

#if defined(__AVX512F__)
#define MLPK_NS mlpk_x86_64_v4
#define MLPK_ISA_NAME "avx512"
#define MLPK_VL 16
#elif defined(__AVX2__) && defined(__FMA__)
#define MLPK_NS mlpk_x86_64_v3
#define MLPK_ISA_NAME "avx2+fma"
#define MLPK_VL 8
#else
#define MLPK_NS mlpk_generic
#define MLPK_ISA_NAME "generic"
#define MLPK_VL 4
#endif

#define MLPK_INLINE inline __attribute__((always_inline))

namespace MLPK_NS {

constexpr int VL = MLPK_VL;  // float lanes per vector
typedef float vf __attribute__((vector_size(VL * 4)));
typedef int32_t vi __attribute__((vector_size(VL * 4)));

MLPK_INLINE vf vload(const float* p) {
  vf v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
MLPK_INLINE void vstore(float* p, vf v) { std::memcpy(p, &v, sizeof v); }
MLPK_INLINE vf vsplat(float x) { return x - vf{}; }  // x − 0 is exactly x (also for −0), so this folds to a broadcast
MLPK_INLINE vi isplat(int32_t x) { return vi{} + x; }
MLPK_INLINE vi asint(vf x) { return (vi)x; }    // bit reinterpretation
MLPK_INLINE vf asflt(vi x) { return (vf)x; }
// Lane-wise conversions; the loops compile to one conversion instruction.
MLPK_INLINE vf tofloat(vi x) {
  vf r;
  for (int i = 0; i < VL; i++) r[i] = static_cast<float>(x[i]);
  return r;
}
MLPK_INLINE vi toint(vf x) {  // truncates; callers keep |x| < 2^31
  vi r;
  for (int i = 0; i < VL; i++) r[i] = static_cast<int32_t>(x[i]);
  return r;
}
// Lane-wise select: m is a comparison result (all-ones / all-zeros lanes).
MLPK_INLINE vf vsel(vi m, vf a, vf b) { return asflt((m & asint(a)) | (~m & asint(b))); }
MLPK_INLINE vf vabs(vf x) { return asflt(asint(x) & isplat(0x7fffffff)); }
MLPK_INLINE vi visnan(vf x) { return x != x; }
// NaN-propagating max/min (PyTorch semantics).
MLPK_INLINE vf vmaxnan(vf a, vf b) { return vsel(visnan(a) | (a > b), a, b); }
MLPK_INLINE vf vminnan(vf a, vf b) { return vsel(visnan(a) | (a < b), a, b); }
// Round to nearest (ties to even in the default rounding mode) with the 1.5·2^23 trick, |x| < 2^22.
MLPK_INLINE vf vrint_small(vf x) {
  const vf magic = vsplat(12582912.0f);
  return (x + magic) - magic;
}

MLPK_INLINE float hsum(vf v) {
  float s = 0;
  for (int i = 0; i < VL; i++) s += v[i];
  return s;
}

}  // namespace MLPK_NS
