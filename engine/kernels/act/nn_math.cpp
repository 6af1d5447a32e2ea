// Our own expf/tanhf/sigmoidf/eluf/geluf/siluf (docs/design.md, contract 1: libm differs between glibc and wasm's libc).
// Plain float operations only, no FMA (-ffp-contract=off), so every platform gets the same bits.
#include <cmath>
#include <cstdint>
#include <cstring>
#include "../internal.h"
#include "nn_math.h"

namespace nnplay::kernels {
using namespace math;

static inline float pow2i(int32_t e) {  // 2^e for e in [-126, 127], exact
  uint32_t b = static_cast<uint32_t>(e + 127) << 23;
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}

float nn_expf(float x) {
  if (x != x) return x;
  if (x > kExpHi) return INFINITY;
  if (x < kExpLo) return 0.0f;
  float n = std::floor(x * kLog2e + 0.5f);
  float r = x - n * kLn2Hi;
  r = r - n * kLn2Lo;
  float z = r * r;
  float p = kP0;
  p = p * r + kP1;
  p = p * r + kP2;
  p = p * r + kP3;
  p = p * r + kP4;
  p = p * r + kP5;
  float y = (p * z + r) + 1.0f;
  int32_t e = static_cast<int32_t>(n);
  int32_t e1 = e >> 1;  // arithmetic shift (C++20)
  return y * pow2i(e1) * pow2i(e - e1);
}

float nn_tanhf(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, 4);
  uint32_t sign = bits & 0x80000000u, abits = bits & 0x7fffffffu;
  float ax;
  std::memcpy(&ax, &abits, 4);
  if (ax < kTanhSmall) {
    float z = x * x;
    float q = kT0;
    q = q * z + kT1;
    q = q * z + kT2;
    q = q * z + kT3;
    q = q * z + kT4;
    return q * z * x + x;
  }
  float e = nn_expf(ax + ax);
  float t = 1.0f - 2.0f / (e + 1.0f);  // >= 0 here; NaN stays NaN
  uint32_t tb;
  std::memcpy(&tb, &t, 4);
  tb |= sign;
  std::memcpy(&t, &tb, 4);
  return t;
}

float nn_sigmoidf(float x) { return 1.0f / (1.0f + nn_expf(-x)); }

// x > 0 ? x : e^x - 1; a NaN takes the second branch and stays NaN.
float nn_eluf(float x) { return x > 0.0f ? x : nn_expf(x) - 1.0f; }

static inline float gelu_u(float x) { return kGeluC0 * (x + kGeluC1 * ((x * x) * x)); }
float nn_geluf(float x) {
  const float u = gelu_u(x);
  return x / (1.0f + nn_expf(-(u + u)));
}
float nn_gelu_gradf(float x) {
  const float u = gelu_u(x);
  const float s = 1.0f / (1.0f + nn_expf(-(u + u)));
  const float du = kGeluC0 * (1.0f + kGeluC3 * (x * x));
  return s + (x * (s * (1.0f - s))) * (du + du);
}

float nn_siluf(float x) { return x / (1.0f + nn_expf(-x)); }
float nn_silu_gradf(float x) {
  const float s = 1.0f / (1.0f + nn_expf(-x));
  return s * (1.0f + x * (1.0f - s));
}

}  // namespace nnplay::kernels
