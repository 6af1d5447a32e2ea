// Internal to engine/kernels: the constants of our own exp/tanh/sigmoid/gelu, shared by the scalar
// functions (nn_math.cpp) and their SIMD twins (f32_act__wasmsimd.cpp), which apply the very same
// operations in the very same order lane by lane, so both give bit-identical results.
#pragma once

namespace nnplay::kernels::math {

// exp: x = n ln2 + r (Cody-Waite split: n * kLn2Hi is exact for |n| <= 128 since kLn2Hi has 9
// significant bits), e^r by the Cephes degree-6 polynomial, then 2^n as two exact power-of-two
// factors 2^(n>>1) * 2^(n - (n>>1)) so n = 128 and n = -126 stay in the normal range.
constexpr float kExpHi = 88.7228394f;     // above: +inf
constexpr float kExpLo = -87.3365479f;    // below: 0 (we flush what would be subnormal)
constexpr float kLog2e = 1.44269504088896341f;
constexpr float kLn2Hi = 0.693359375f;
constexpr float kLn2Lo = -2.12194440e-4f;
constexpr float kP0 = 1.9875691500e-4f, kP1 = 1.3981999507e-3f, kP2 = 8.3334519073e-3f,
                kP3 = 4.1665795894e-2f, kP4 = 1.6666665459e-1f, kP5 = 5.0000001201e-1f;
// tanh: |x| < kTanhSmall: odd Cephes polynomial x + x z q(z), z = x²; else 1 - 2/(e^{2|x|} + 1) with x's sign.
constexpr float kTanhSmall = 0.625f;
constexpr float kT0 = -5.70498872745e-3f, kT1 = 2.06390887954e-2f, kT2 = -5.37397155531e-2f,
                kT3 = 1.33314422036e-1f, kT4 = -3.33332819422e-1f;

// gelu (tanh approximation): 0.5 x (1 + tanh(u)) = x sigmoid(2u) = x / (1 + e^(-2u)) with
// u = kGeluC0 (x + kGeluC1 x^3), evaluated as kGeluC0 * (x + kGeluC1 * ((x * x) * x)).
// Its derivative s + (x (s (1 - s))) (2 u'), s = 1 / (1 + e^(-2u)), u' = kGeluC0 (1 + kGeluC3 x^2).
constexpr float kGeluC0 = 0.7978845608028654f;         // sqrt(2 / pi)
constexpr float kGeluC1 = 0.044715f;
constexpr float kGeluC3 = 0.134145f;                   // 3 * kGeluC1
// silu: x / (1 + e^-x); derivative s (1 + x (1 - s)), s = 1 / (1 + e^-x). elu: x > 0 ? x : e^x - 1;
// derivative 1 or e^x = y + 1.

}  // namespace nnplay::kernels::math
