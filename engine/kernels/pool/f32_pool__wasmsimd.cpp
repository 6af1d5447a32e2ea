// Max and average pooling, SIMD128: four horizontally adjacent outputs per vector, window taps in
// the scalar order (ky, kx), so values, ties and argmax indices match f32_pool__scalar.cpp exactly.
// The backward passes are scatters whose order matters when windows overlap; wasm has no scatter,
// so they are the scalar loops (the __wasmsimd entries exist so dispatch stays uniform).
#include "../internal.h"
#include "../simd.h"

namespace nnplay::kernels {
namespace {

inline v128_t gather4(const float* p, int s) {
  return s == 1 ? wasm_v128_load(p) : wasm_f32x4_make(p[0], p[s], p[2 * s], p[3 * s]);
}

// The scalar tail: outputs ox0..OW-1 of row (c, oy), as the reference computes them.
void max_tail(const PoolShape& sh, int c, int oy, int ox0, float* y, int32_t* argmax, const float* x) {
  const int OH = sh.OH(), OW = sh.OW();
  for (int ox = ox0; ox < OW; ox++) {
    int32_t bi = (c * sh.H + oy * sh.s) * sh.W + ox * sh.s;
    float best = x[bi];
    for (int ky = 0; ky < sh.p; ky++)
      for (int kx = 0; kx < sh.p; kx++) {
        const int32_t i = (c * sh.H + oy * sh.s + ky) * sh.W + ox * sh.s + kx;
        if (x[i] > best) { best = x[i]; bi = i; }
      }
    y[(c * OH + oy) * OW + ox] = best;
    argmax[(c * OH + oy) * OW + ox] = bi;
  }
}

}  // namespace

void f32_maxpool_forward__wasmsimd(const PoolShape& sh, float* y, int32_t* argmax, const float* x) {
  const int OH = sh.OH(), OW = sh.OW(), s = sh.s;
  const v128_t lane = wasm_i32x4_make(0, s, 2 * s, 3 * s);
  for (int c = 0; c < sh.C; c++)
    for (int oy = 0; oy < OH; oy++) {
      int ox = 0;
      for (; ox + 4 <= OW; ox += 4) {
        const int32_t base = (c * sh.H + oy * s) * sh.W + ox * s;
        v128_t best = gather4(x + base, s), bi = wasm_i32x4_add(wasm_i32x4_splat(base), lane);
        for (int ky = 0; ky < sh.p; ky++)
          for (int kx = 0; kx < sh.p; kx++) {
            const int32_t o = base + ky * sh.W + kx;
            const v128_t v = gather4(x + o, s), gt = wasm_f32x4_gt(v, best);
            best = wasm_v128_bitselect(v, best, gt);
            bi = wasm_v128_bitselect(wasm_i32x4_add(wasm_i32x4_splat(o), lane), bi, gt);
          }
        wasm_v128_store(y + (c * OH + oy) * OW + ox, best);
        wasm_v128_store(argmax + (c * OH + oy) * OW + ox, bi);
      }
      if (ox < OW) max_tail(sh, c, oy, ox, y, argmax, x);
    }
}

void f32_maxpool_backward__wasmsimd(const PoolShape& sh, float* dx, const float* dy, const int32_t* argmax) {
  f32_maxpool_backward__scalar(sh, dx, dy, argmax);
}

void f32_avgpool_forward__wasmsimd(const PoolShape& sh, float* y, const float* x) {
  const int OH = sh.OH(), OW = sh.OW(), s = sh.s;
  const float area = static_cast<float>(sh.p * sh.p);
  const v128_t varea = wasm_f32x4_splat(area);
  for (int c = 0; c < sh.C; c++)
    for (int oy = 0; oy < OH; oy++) {
      int ox = 0;
      for (; ox + 4 <= OW; ox += 4) {
        const size_t base = (static_cast<size_t>(c) * sh.H + oy * s) * sh.W + ox * s;
        v128_t acc = wasm_f32x4_splat(0.0f);
        for (int ky = 0; ky < sh.p; ky++)
          for (int kx = 0; kx < sh.p; kx++) acc = wasm_f32x4_add(acc, gather4(x + base + ky * sh.W + kx, s));
        wasm_v128_store(y + (static_cast<size_t>(c) * OH + oy) * OW + ox, wasm_f32x4_div(acc, varea));
      }
      for (; ox < OW; ox++) {
        float a = 0.0f;
        for (int ky = 0; ky < sh.p; ky++)
          for (int kx = 0; kx < sh.p; kx++) a += x[(static_cast<size_t>(c) * sh.H + oy * s + ky) * sh.W + ox * s + kx];
        y[(static_cast<size_t>(c) * OH + oy) * OW + ox] = a / area;
      }
    }
}

void f32_avgpool_backward__wasmsimd(const PoolShape& sh, float* dx, const float* dy) { f32_avgpool_backward__scalar(sh, dx, dy); }

}  // namespace nnplay::kernels
