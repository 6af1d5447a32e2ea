// Bias add and bias gradients, SIMD128. Sums keep the scalar references' order (rows, or pixels,
// in order) lane by lane, so the results are bit-identical; tails use the same scalar operations.
#include "../internal.h"
#include "../simd.h"

namespace nnplay::kernels {

void f32_bias_add__wasmsimd(size_t rows, size_t cols, float* y, size_t ldy, const float* bias) {
  for (size_t r = 0; r < rows; r++) {
    float* yr = y + r * ldy;
    size_t c = 0;
    for (; c + 4 <= cols; c += 4) wasm_v128_store(yr + c, wasm_f32x4_add(wasm_v128_load(yr + c), wasm_v128_load(bias + c)));
    for (; c < cols; c++) yr[c] += bias[c];
  }
}

void f32_bias_grad__wasmsimd(size_t rows, size_t cols, float* dbias, const float* dy, size_t ldy, bool accumulate) {
  size_t c = 0;
  for (; c + 8 <= cols; c += 8) {
    v128_t a0 = accumulate ? wasm_v128_load(dbias + c) : wasm_f32x4_splat(0.0f);
    v128_t a1 = accumulate ? wasm_v128_load(dbias + c + 4) : wasm_f32x4_splat(0.0f);
    for (size_t r = 0; r < rows; r++) {
      a0 = wasm_f32x4_add(a0, wasm_v128_load(dy + r * ldy + c));
      a1 = wasm_f32x4_add(a1, wasm_v128_load(dy + r * ldy + c + 4));
    }
    wasm_v128_store(dbias + c, a0);
    wasm_v128_store(dbias + c + 4, a1);
  }
  for (; c + 4 <= cols; c += 4) {
    v128_t a = accumulate ? wasm_v128_load(dbias + c) : wasm_f32x4_splat(0.0f);
    for (size_t r = 0; r < rows; r++) a = wasm_f32x4_add(a, wasm_v128_load(dy + r * ldy + c));
    wasm_v128_store(dbias + c, a);
  }
  if (c < cols) f32_bias_grad__scalar(rows, cols - c, dbias + c, dy + c, ldy, accumulate);
}

void f32_channel_bias_add__wasmsimd(size_t C, size_t HW, float* y, const float* bias) {
  for (size_t c = 0; c < C; c++) {
    float* yc = y + c * HW;
    const v128_t b = wasm_f32x4_splat(bias[c]);
    size_t i = 0;
    for (; i + 8 <= HW; i += 8) {
      wasm_v128_store(yc + i, wasm_f32x4_add(wasm_v128_load(yc + i), b));
      wasm_v128_store(yc + i + 4, wasm_f32x4_add(wasm_v128_load(yc + i + 4), b));
    }
    for (; i + 4 <= HW; i += 4) wasm_v128_store(yc + i, wasm_f32x4_add(wasm_v128_load(yc + i), b));
    for (; i < HW; i++) yc[i] += bias[c];
  }
}

// Four channels at a time, one per lane: 4x4 blocks are transposed so each lane still adds its
// own channel's pixels one by one in order (a horizontal sum would change the order).
void f32_channel_bias_grad__wasmsimd(size_t C, size_t HW, float* dbias, const float* dy) {
  size_t c = 0;
  for (; c + 4 <= C; c += 4) {
    const float* d0 = dy + c * HW;
    const float *d1 = d0 + HW, *d2 = d1 + HW, *d3 = d2 + HW;
    v128_t s = wasm_f32x4_splat(0.0f);
    size_t i = 0;
    for (; i + 4 <= HW; i += 4) {
      const v128_t r0 = wasm_v128_load(d0 + i), r1 = wasm_v128_load(d1 + i), r2 = wasm_v128_load(d2 + i), r3 = wasm_v128_load(d3 + i);
      const v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
      const v128_t t2 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
      s = wasm_f32x4_add(s, wasm_i64x2_shuffle(t0, t1, 0, 2));  // pixel i of channels c..c+3
      s = wasm_f32x4_add(s, wasm_i64x2_shuffle(t0, t1, 1, 3));  // pixel i+1
      s = wasm_f32x4_add(s, wasm_i64x2_shuffle(t2, t3, 0, 2));  // pixel i+2
      s = wasm_f32x4_add(s, wasm_i64x2_shuffle(t2, t3, 1, 3));  // pixel i+3
    }
    for (; i < HW; i++) s = wasm_f32x4_add(s, wasm_f32x4_make(d0[i], d1[i], d2[i], d3[i]));
    wasm_v128_store(dbias + c, wasm_f32x4_add(wasm_v128_load(dbias + c), s));
  }
  if (c < C) f32_channel_bias_grad__scalar(C - c, HW, dbias + c, dy + c * HW);
}

}  // namespace nnplay::kernels
