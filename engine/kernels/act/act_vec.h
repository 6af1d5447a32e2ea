// Internal to engine/kernels: the element-wise activations on one f32x4 vector, shared by the
// activation kernels and the fused epilogues (conv forward) so both compute the same bits.
// Sigmoid and tanh are not here: they stay in f32_act__wasmsimd.cpp (the epilogues call that kernel).
#pragma once
#include "../kernels.h"
#include "../simd.h"

namespace nnplay::kernels {

// x < 0 ? 0 : x, as a bit select (NaN and -0 pass, as in the scalar reference)
inline v128_t act_relu_vec(v128_t v) { return wasm_v128_bitselect(wasm_f32x4_splat(0.0f), v, wasm_f32x4_lt(v, wasm_f32x4_splat(0.0f))); }
// x < 0 ? leak * x : x
inline v128_t act_leaky_vec(v128_t v, v128_t leak) {
  return wasm_v128_bitselect(wasm_f32x4_mul(leak, v), v, wasm_f32x4_lt(v, wasm_f32x4_splat(0.0f)));
}
// x > 0 ? 1 : 0
inline v128_t act_step_vec(v128_t v) { return wasm_v128_and(wasm_f32x4_splat(1.0f), wasm_f32x4_gt(v, wasm_f32x4_splat(0.0f))); }

// Whether act_vec computes `a` (the piecewise-linear ones); sigmoid and tanh go through the kernel.
inline bool act_has_vec(Act a) { return a == Act::Linear || a == Act::Relu || a == Act::LeakyRelu || a == Act::Step; }
inline v128_t act_vec(Act a, v128_t v, v128_t leak) {
  switch (a) {
    case Act::Relu: return act_relu_vec(v);
    case Act::LeakyRelu: return act_leaky_vec(v, leak);
    case Act::Step: return act_step_vec(v);
    default: return v;
  }
}

}  // namespace nnplay::kernels
