// Vectorised float32 transcendental functions for the hot unary kernels.
//
// Accuracy goal: a few ulp over the whole float range, with IEEE special
// values (NaN in -> NaN out, ±inf, overflow to inf, underflow to 0) so the
// native kernels agree with the reference backend (which computes in float64
// and rounds) within the fixture tolerances. Polynomials are truncated Taylor
// series on small reduced ranges, whose error bound is the first omitted term;
// erf reuses the W. J. Cody rational approximations of the reference backend.
#pragma once

#include "simd.h"

namespace MLPK_NS {

// e^x = 2^n · e^r with n = round(x/ln2), |r| ≤ ln2/2. Degree-7 Taylor on r:
// truncation error r^8/8! < 7e-9 relative. 2^n is applied in two halves so
// that results in the subnormal range (x down to -104) and overflow to inf
// (x ≥ 88.73) both come out right without special cases.
MLPK_INLINE vf vexp(vf x) {
  const vf lo = vsplat(-104.0f), hi = vsplat(89.0f);
  vf xc = vsel(x < lo, lo, x);
  xc = vsel(xc > hi, hi, xc);
  const vf n = vrint_small(xc * 1.44269504088896341f);
  // Cody–Waite split of ln2: the high part has few mantissa bits so n·C1 is exact.
  vf r = xc - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  vf p = vsplat(1.0f / 5040);
  p = p * r + 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const vi ni = toint(n);
  const vi h = ni >> 1;
  const vf s1 = asflt((h + 127) << 23);
  const vf s2 = asflt((ni - h + 127) << 23);
  return (p * s1) * s2;
}

// ln x = e·ln2 + ln m with m ∈ [√½, √2); ln m = 2·atanh(s), s = (m−1)/(m+1),
// |s| ≤ 0.1716, series to s^11: truncation error < 1e-9.
MLPK_INLINE vf vlog(vf x) {
  const vi tiny = x < 1.17549435e-38f;  // subnormal (and ≤ 0, fixed below)
  const vf xs = vsel(tiny, x * 8388608.0f, x);
  const vi bits = asint(xs);
  vi e = ((bits >> 23) & 0xff) - 127;
  e = e - (tiny & isplat(23));
  vf m = asflt((bits & 0x007fffff) | 0x3f800000);
  const vi big = m > 1.41421356f;
  m = vsel(big, m * 0.5f, m);
  e = e - big;  // big lanes are -1: add one to the exponent
  const vf f = m - 1.0f;
  const vf s = f / (f + 2.0f);
  const vf z = s * s;
  vf p = vsplat(2.0f / 11);
  p = p * z + 2.0f / 9;
  p = p * z + 2.0f / 7;
  p = p * z + 2.0f / 5;
  p = p * z + 2.0f / 3;
  p = p * z + 2.0f;
  const vf ef = tofloat(e);
  vf r = ef * 0.693359375f + (ef * -2.12194440e-4f + s * p);
  const vf inf = vsplat(__builtin_inff());
  r = vsel(x == 0.0f, -inf, r);
  r = vsel(x == inf, inf, r);
  r = vsel((x < 0.0f) | visnan(x), vsplat(__builtin_nanf("")), r);
  return r;
}

// tanh: odd Taylor series below 0.4 (error < 2e-9), 1 − 2/(e^{2|x|}+1) above.
MLPK_INLINE vf vtanh(vf x) {
  const vf ax = vabs(x);
  const vf z = x * x;
  vf p = vsplat(21844.0f / 6081075);
  p = p * z - 1382.0f / 155925;
  p = p * z + 62.0f / 2835;
  p = p * z - 17.0f / 315;
  p = p * z + 2.0f / 15;
  p = p * z - 1.0f / 3;
  const vf small = x + x * z * p;
  const vf t = 1.0f - 2.0f / (vexp(ax + ax) + 1.0f);
  const vf large = asflt(asint(t) | (asint(x) & isplat(int32_t(0x80000000))));
  return vsel(ax < 0.4f, small, large);
}

MLPK_INLINE vf vsigmoid(vf x) { return 1.0f / (1.0f + vexp(-x)); }

// erf with W. J. Cody's rational approximations (the same as the reference
// backend): x·P(x²)/Q(x²) below 0.5, 1 − e^{−x²}·P(x)/Q(x) up to 4 and 1 above
// (erfc(4) is below half a float32 ulp of 1). The rounding of x² shifts
// e^{−x²} by at most x²·2⁻²⁴ relative, i.e. < 1e-7 absolute in the result.
//
// verf_gauss also returns exp(−x²) (0 past |x| = 6) through `gauss`, which the
// large branch computes anyway: GELU's derivative needs that Gaussian too.
MLPK_INLINE vf verf_gauss(vf x, vf* gauss) {
  const vf ax = vabs(x);
  const vf t = x * x;
  vf p = vsplat(0.185777706184603153f);
  p = p * t + 3.16112374387056560f;
  p = p * t + 113.864154151050156f;
  p = p * t + 377.485237685302021f;
  p = p * t + 3209.37758913846947f;
  vf q = t + 23.6012909523441209f;
  q = q * t + 244.024637934444173f;
  q = q * t + 1282.61652607737228f;
  q = q * t + 2844.23683333670327f;
  const vf small = x * p / q;

  const vf six = vsplat(6.0f);
  const vf a = vsel(ax > six, six, ax);
  vf P = vsplat(2.15311535474403846e-8f);
  P = P * a + 5.64188496988670089e-1f;
  P = P * a + 8.88314979438837594f;
  P = P * a + 66.1191906371416295f;
  P = P * a + 298.635138197400131f;
  P = P * a + 881.952221241769090f;
  P = P * a + 1712.04761263407058f;
  P = P * a + 2051.07837782607147f;
  P = P * a + 1230.33935479799725f;
  vf Q = a + 15.7449261107098347f;
  Q = Q * a + 117.693950891312499f;
  Q = Q * a + 537.181101862009858f;
  Q = Q * a + 1621.38957456669019f;
  Q = Q * a + 3290.79923573345963f;
  Q = Q * a + 4362.61909014324716f;
  Q = Q * a + 3439.36767414372164f;
  Q = Q * a + 1230.33935480374942f;
  // Past 6, erfc(x) < 3e-17 (erf is ±1 in float32) and e^{−x²} < 3e-16: call both 0,
  // so that a caller's x·gauss is 0 (NaN for x = ±inf), not x·e^{−36}.
  *gauss = vsel(ax > six, vf{}, vexp(-(a * a)));
  const vf erfc = *gauss * (P / Q);
  vf large = 1.0f - erfc;
  large = asflt(asint(large) | (asint(x) & isplat(int32_t(0x80000000))));
  return vsel(ax < 0.5f, small, large);
}

MLPK_INLINE vf verf(vf x) {
  vf gauss;
  return verf_gauss(x, &gauss);
}

}  // namespace MLPK_NS
