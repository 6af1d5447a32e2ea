// Element-wise activations, SIMD128: the vector twins of f32_act__scalar.cpp and nn_math.cpp.
// Each lane performs the scalar code's operations in the same order (both branches computed and
// selected by the same conditions), so results are bit-identical; tails call the scalar code.
#include "../internal.h"
#include "../simd.h"
#include "act_vec.h"
#include "nn_math.h"

namespace nnplay::kernels {
namespace {
using namespace math;

inline v128_t v_exp(v128_t x) {
  const v128_t nan = wasm_f32x4_ne(x, x), hi = wasm_f32x4_gt(x, wasm_f32x4_splat(kExpHi)),
               lo = wasm_f32x4_lt(x, wasm_f32x4_splat(kExpLo));
  const v128_t n = wasm_f32x4_floor(wasm_f32x4_add(wasm_f32x4_mul(x, wasm_f32x4_splat(kLog2e)), wasm_f32x4_splat(0.5f)));
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(kLn2Hi)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(kLn2Lo)));
  const v128_t z = wasm_f32x4_mul(r, r);
  v128_t p = wasm_f32x4_splat(kP0);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(kP1));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(kP2));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(kP3));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(kP4));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(kP5));
  v128_t y = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(p, z), r), wasm_f32x4_splat(1.0f));
  const v128_t e = wasm_i32x4_trunc_sat_f32x4(n), e1 = wasm_i32x4_shr(e, 1), e2 = wasm_i32x4_sub(e, e1);
  const v128_t bias = wasm_i32x4_splat(127);
  y = wasm_f32x4_mul(wasm_f32x4_mul(y, wasm_i32x4_shl(wasm_i32x4_add(e1, bias), 23)), wasm_i32x4_shl(wasm_i32x4_add(e2, bias), 23));
  y = wasm_v128_bitselect(wasm_f32x4_splat(__builtin_inff()), y, hi);
  y = wasm_v128_bitselect(wasm_f32x4_splat(0.0f), y, lo);
  return wasm_v128_bitselect(x, y, nan);
}

inline v128_t v_tanh(v128_t x) {
  const v128_t sign = wasm_v128_and(x, wasm_i32x4_splat(static_cast<int32_t>(0x80000000u)));
  const v128_t ax = wasm_v128_and(x, wasm_i32x4_splat(0x7fffffff));
  const v128_t small = wasm_f32x4_lt(ax, wasm_f32x4_splat(kTanhSmall));
  const v128_t z = wasm_f32x4_mul(x, x);
  v128_t q = wasm_f32x4_splat(kT0);
  q = wasm_f32x4_add(wasm_f32x4_mul(q, z), wasm_f32x4_splat(kT1));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, z), wasm_f32x4_splat(kT2));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, z), wasm_f32x4_splat(kT3));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, z), wasm_f32x4_splat(kT4));
  const v128_t ys = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(q, z), x), x);
  const v128_t e = v_exp(wasm_f32x4_add(ax, ax));
  const v128_t one = wasm_f32x4_splat(1.0f);
  const v128_t t = wasm_f32x4_sub(one, wasm_f32x4_div(wasm_f32x4_splat(2.0f), wasm_f32x4_add(e, one)));
  return wasm_v128_bitselect(ys, wasm_v128_or(t, sign), small);
}

inline v128_t v_sigmoid(v128_t x) {
  const v128_t one = wasm_f32x4_splat(1.0f);
  return wasm_f32x4_div(one, wasm_f32x4_add(one, v_exp(wasm_f32x4_neg(x))));
}

// The twins of nn_eluf, nn_geluf, nn_gelu_gradf, nn_siluf, nn_silu_gradf (nn_math.cpp), op for op.
inline v128_t v_elu(v128_t x) {
  const v128_t neg = wasm_f32x4_sub(v_exp(x), wasm_f32x4_splat(1.0f));
  return wasm_v128_bitselect(x, neg, wasm_f32x4_gt(x, wasm_f32x4_splat(0.0f)));
}
inline v128_t v_gelu_u(v128_t x) {
  const v128_t x3 = wasm_f32x4_mul(wasm_f32x4_mul(x, x), x);
  return wasm_f32x4_mul(wasm_f32x4_splat(kGeluC0), wasm_f32x4_add(x, wasm_f32x4_mul(wasm_f32x4_splat(kGeluC1), x3)));
}
inline v128_t v_gelu(v128_t x) {
  const v128_t u = v_gelu_u(x);
  return wasm_f32x4_div(x, wasm_f32x4_add(wasm_f32x4_splat(1.0f), v_exp(wasm_f32x4_neg(wasm_f32x4_add(u, u)))));
}
inline v128_t v_gelu_grad(v128_t x) {
  const v128_t one = wasm_f32x4_splat(1.0f);
  const v128_t u = v_gelu_u(x);
  const v128_t s = wasm_f32x4_div(one, wasm_f32x4_add(one, v_exp(wasm_f32x4_neg(wasm_f32x4_add(u, u)))));
  const v128_t du = wasm_f32x4_mul(wasm_f32x4_splat(kGeluC0),
                                   wasm_f32x4_add(one, wasm_f32x4_mul(wasm_f32x4_splat(kGeluC3), wasm_f32x4_mul(x, x))));
  const v128_t xs = wasm_f32x4_mul(x, wasm_f32x4_mul(s, wasm_f32x4_sub(one, s)));
  return wasm_f32x4_add(s, wasm_f32x4_mul(xs, wasm_f32x4_add(du, du)));
}
inline v128_t v_silu(v128_t x) {
  return wasm_f32x4_div(x, wasm_f32x4_add(wasm_f32x4_splat(1.0f), v_exp(wasm_f32x4_neg(x))));
}
inline v128_t v_silu_grad(v128_t x) {
  const v128_t one = wasm_f32x4_splat(1.0f);
  const v128_t s = wasm_f32x4_div(one, wasm_f32x4_add(one, v_exp(wasm_f32x4_neg(x))));
  return wasm_f32x4_mul(s, wasm_f32x4_add(one, wasm_f32x4_mul(x, wasm_f32x4_sub(one, s))));
}

template <typename Op>
inline size_t map(size_t n, float* y, const float* x, Op op) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(y + i, op(wasm_v128_load(x + i)));
  return i;
}

}  // namespace

void f32_act_forward__wasmsimd(size_t n, Act a, float leak, float* y, const float* x) {
  const v128_t vleak = wasm_f32x4_splat(leak);
  size_t i = 0;
  switch (a) {
    case Act::Linear: i = map(n, y, x, [](v128_t v) { return v; }); break;
    case Act::Sigmoid: i = map(n, y, x, v_sigmoid); break;
    case Act::Tanh: i = map(n, y, x, v_tanh); break;
    case Act::Relu: i = map(n, y, x, act_relu_vec); break;
    case Act::LeakyRelu: i = map(n, y, x, [&](v128_t v) { return act_leaky_vec(v, vleak); }); break;
    case Act::Step: i = map(n, y, x, act_step_vec); break;
    case Act::Elu: i = map(n, y, x, v_elu); break;
    case Act::Gelu: i = map(n, y, x, v_gelu); break;
    case Act::Silu: i = map(n, y, x, v_silu); break;
  }
  if (i < n) f32_act_forward__scalar(n - i, a, leak, y + i, x + i);
}

void f32_act_backward__wasmsimd(size_t n, Act a, float leak, float* dx, const float* dy, const float* x, const float* y) {
  const v128_t zero = wasm_f32x4_splat(0.0f), vleak = wasm_f32x4_splat(leak), one = wasm_f32x4_splat(1.0f);
  size_t i = 0;
  switch (a) {
    case Act::Linear: i = map(n, dx, dy, [](v128_t v) { return v; }); break;
    case Act::Sigmoid:
      for (; i + 4 <= n; i += 4) {
        const v128_t yv = wasm_v128_load(y + i);
        wasm_v128_store(dx + i, wasm_f32x4_mul(wasm_v128_load(dy + i), wasm_f32x4_mul(yv, wasm_f32x4_sub(one, yv))));
      }
      break;
    case Act::Tanh:
      for (; i + 4 <= n; i += 4) {
        const v128_t yv = wasm_v128_load(y + i);
        wasm_v128_store(dx + i, wasm_f32x4_mul(wasm_v128_load(dy + i), wasm_f32x4_sub(one, wasm_f32x4_mul(yv, yv))));
      }
      break;
    case Act::Relu:
      for (; i + 4 <= n; i += 4)
        wasm_v128_store(dx + i, wasm_v128_and(wasm_v128_load(dy + i), wasm_f32x4_gt(wasm_v128_load(x + i), zero)));
      break;
    case Act::LeakyRelu:
      for (; i + 4 <= n; i += 4) {
        const v128_t d = wasm_v128_load(dy + i);
        wasm_v128_store(dx + i, wasm_v128_bitselect(d, wasm_f32x4_mul(vleak, d), wasm_f32x4_gt(wasm_v128_load(x + i), zero)));
      }
      break;
    case Act::Step:
      for (; i + 4 <= n; i += 4) wasm_v128_store(dx + i, zero);
      break;
    case Act::Elu:
      for (; i + 4 <= n; i += 4) {
        const v128_t d = wasm_v128_load(dy + i);
        const v128_t neg = wasm_f32x4_mul(d, wasm_f32x4_add(wasm_v128_load(y + i), one));
        wasm_v128_store(dx + i, wasm_v128_bitselect(d, neg, wasm_f32x4_gt(wasm_v128_load(x + i), zero)));
      }
      break;
    case Act::Gelu:
      for (; i + 4 <= n; i += 4)
        wasm_v128_store(dx + i, wasm_f32x4_mul(wasm_v128_load(dy + i), v_gelu_grad(wasm_v128_load(x + i))));
      break;
    case Act::Silu:
      for (; i + 4 <= n; i += 4)
        wasm_v128_store(dx + i, wasm_f32x4_mul(wasm_v128_load(dy + i), v_silu_grad(wasm_v128_load(x + i))));
      break;
  }
  if (i < n) f32_act_backward__scalar(n - i, a, leak, dx + i, dy + i, x ? x + i : nullptr, y ? y + i : nullptr);
}

}  // namespace nnplay::kernels
