// nnplay internal header (not public API): deterministic scalar math for the engine, i.e. sin, cos
// and log built from + - * / only, and a seeded splitmix64 PRNG. Not the hot loops (see kernels).
// Why: libm differs between glibc and the wasm libc, and <random>'s distributions differ between
// standard libraries; docs/design.md, contract 1, needs bit-identical results natively and in wasm.
// sqrt is fine from the standard library: IEEE 754 requires it correctly rounded.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

namespace nnplay::det {

inline constexpr double kPi = 3.14159265358979323846;

// sin(x) for |x| < 1e6, absolute error about 1e-15: reduce by 2*pi (two-part constant so the
// reduction is exact enough), then an odd Taylor polynomial on [-pi/4, pi/4] plus quadrant logic.
inline double sin_cos_core(double x, bool want_cos) {
  const double kTwoOverPi = 0.63661977236758134308;
  const double kPio2Hi = 1.57079632673412561417;      // pi/2 split: hi has 33 significant bits
  const double kPio2Lo = 6.07710050650619224932e-11;
  double kq = x * kTwoOverPi;
  double k = (double)(int64_t)(kq < 0 ? kq - 0.5 : kq + 0.5);  // round to nearest quadrant
  double r = (x - k * kPio2Hi) - k * kPio2Lo;          // r in about [-pi/4, pi/4]
  int64_t q = ((int64_t)k) & 3;
  if (want_cos) q = (q + 1) & 3;                       // cos(x) = sin(x + pi/2)
  double r2 = r * r;
  // Taylor to r^17 / r^16: truncation below 1e-17 on [-pi/4, pi/4]; evaluated by Horner, fixed order.
  double s = r * (1.0 + r2 * (-1.0 / 6 + r2 * (1.0 / 120 + r2 * (-1.0 / 5040 + r2 * (1.0 / 362880 +
             r2 * (-1.0 / 39916800 + r2 * (1.0 / 6227020800.0 + r2 * (-1.0 / 1307674368000.0 +
             r2 * (1.0 / 355687428096000.0)))))))));
  double c = 1.0 + r2 * (-0.5 + r2 * (1.0 / 24 + r2 * (-1.0 / 720 + r2 * (1.0 / 40320 +
             r2 * (-1.0 / 3628800 + r2 * (1.0 / 479001600.0 + r2 * (-1.0 / 87178291200.0 +
             r2 * (1.0 / 20922789888000.0))))))));
  switch (q) {
    case 0: return s;
    case 1: return c;
    case 2: return -s;
    default: return -c;
  }
}
inline double sin(double x) { return sin_cos_core(x, false); }
inline double cos(double x) { return sin_cos_core(x, true); }

// Natural log for finite x > 0 (returns -inf at 0, NaN below): x = m * 2^e with m in
// [sqrt(1/2), sqrt(2)), then log m = 2 atanh(s), s = (m-1)/(m+1), |s| < 0.172, series to s^25.
inline double log(double x) {
  if (!(x > 0)) return x == 0 ? -HUGE_VAL : NAN;
  if (x == HUGE_VAL) return x;
  uint64_t bits;
  std::memcpy(&bits, &x, 8);
  int e = 0;
  if ((bits >> 52) == 0) {                             // subnormal: scale up by 2^54 first
    x *= 18014398509481984.0;
    std::memcpy(&bits, &x, 8);
    e = -54;
  }
  e += (int)((bits >> 52) & 0x7ff) - 1023;
  bits = (bits & 0x000fffffffffffffull) | 0x3ff0000000000000ull;  // m in [1, 2)
  double m;
  std::memcpy(&m, &bits, 8);
  if (m > 1.41421356237309504880) { m *= 0.5; e += 1; }
  double s = (m - 1.0) / (m + 1.0), s2 = s * s;
  double t = 0.0;
  for (int n = 25; n >= 3; n -= 2) t = (t + 1.0 / n) * s2;  // Horner, fixed order
  double lm = 2.0 * s * (1.0 + t);
  const double kLn2 = 0.69314718055994530942;
  return (double)e * kLn2 + lm;
}

// splitmix64 (Steele, Lea, Flood 2014): 64-bit state, one add and a mix per draw.
struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed) {}
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return (double)(next() >> 11) * (1.0 / 9007199254740992.0); }  // [0, 1), 53 bits
  double range(double a, double b) { return a + (b - a) * uniform(); }
  uint32_t below(uint32_t n) { return (uint32_t)((next() >> 32) * (uint64_t)n >> 32); }  // [0, n)
  // N(mean, sd^2) by Marsaglia's polar method (TF Playground's normalRandom), with our own log.
  double normal(double mean, double sd) {
    double v1, v2, s2;
    do {
      v1 = 2.0 * uniform() - 1.0;
      v2 = 2.0 * uniform() - 1.0;
      s2 = v1 * v1 + v2 * v2;
    } while (s2 >= 1.0 || s2 == 0.0);
    return mean + sd * (std::sqrt(-2.0 * log(s2) / s2) * v1);
  }
};

// A stream seed for (seed, purpose tag, index): distinct streams for data, init and shuffling.
inline uint64_t stream(uint64_t seed, uint64_t tag, uint64_t index = 0) {
  Rng r(seed ^ (tag * 0xD1B54A32D192ED03ull));
  r.s ^= index * 0x8CB92BA72F3D8DD7ull;
  r.next();
  return r.next();
}

}  // namespace nnplay::det
