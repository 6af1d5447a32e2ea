// Internal to engine/kernels/conv: what the SIMD conv files share (sizes, row copies, padding) and
// the direct stride-1 kernels that f32_conv2d__wasmsimd.cpp chooses between. Not for the engine.
//
// A lesson that shapes these files, measured under V8: keep each hot loop nest in a function of its
// own. V8 has 15 usable xmm registers (xmm15 is its scratch) and loads a loop body's operands first,
// so a tile needs accumulators + its loaded operands + 1 <= 15; and a function that holds several
// such loop nests (inlined tiles) got 2-3x slower code. binaryen inlines a function with a single
// call site whatever clang was told, so tile functions are called through tables or from several sites.
#pragma once
#include <cstddef>
#include "../internal.h"
#include "../simd.h"

namespace nnplay::kernels::conv {

inline size_t ckk_of(const ConvShape& sh) { return static_cast<size_t>(sh.C) * sh.k * sh.k; }
inline size_t pos_of(const ConvShape& sh) { return static_cast<size_t>(sh.OH()) * sh.OW(); }  // OH OW
inline size_t xin_of(const ConvShape& sh) { return static_cast<size_t>(sh.C) * sh.H * sh.W; }
inline size_t yout_of(const ConvShape& sh) { return static_cast<size_t>(sh.F) * pos_of(sh); }
inline size_t padded_floats(const ConvShape& sh) { return static_cast<size_t>(sh.C) * (sh.H + 2 * sh.pad) * (sh.W + 2 * sh.pad); }
inline bool pointwise(const ConvShape& sh) { return sh.k == 1 && sh.s == 1 && sh.pad == 0; }

// Rows are short (a few dozen floats): an inline copy, not a memcpy call per row.
inline void copy_row(float* dst, const float* src, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(dst + i, wasm_v128_load(src + i));
  for (; i < n; i++) dst[i] = src[i];
}

// Copies one image x into dst as (C, H+2pad, W+2pad) with zero borders; the borders are the same for
// every image, so they are written only when `borders`.
void pad_into(const ConvShape& sh, float* dst, const float* x, bool borders);

// Direct forward of one image (f32_conv2d_direct__wasmsimd.cpp): y (F, OH, OW) = w ⋆ xp + bias, and
// a = act(y) when a is not null and act_has_vec(act). xp is the padded input (C, H+2pad, W+2pad)
// with at least 4 readable floats after it. Stride 1.
void direct_forward(const ConvShape& sh, ConvTile t, float* y, float* a, Act act, float leak, const float* xp, const float* w,
                    const float* bias);

// Direct backward-filter over n images (f32_conv2d_filter__wasmsimd.cpp); stride 1.
size_t filter_workspace_floats(const ConvShape& sh);
void backward_filter_direct(const ConvShape& sh, size_t n, float* dw, float* dbias, const float* dy, const float* x, float* work);

// Direct backward-data over n images (f32_conv2d_data__wasmsimd.cpp); stride 1; dx is overwritten.
size_t data_workspace_floats(const ConvShape& sh);
void backward_data_direct(const ConvShape& sh, size_t n, float* dx, const float* dy, const float* w, float* work);

}  // namespace nnplay::kernels::conv
