// The SGD step, SIMD128: four weights at a time, the norms as two f64x2 partial sums each (lanes
// 0-1 and 2-3 of every group of four: the scalar reference's i mod 4 sums), the tail as scalar.
#include "../simd.h"
#include "sgd_element.h"

namespace nnplay::kernels {

bool f32_sgd_update__wasmsimd(size_t n, float* w, float* prev, const float* g, float lr, Reg reg, float rate, double norms[8]) {
  const v128_t vlr = wasm_f32x4_splat(lr), vrate = wasm_f32x4_splat(rate), one = wasm_f32x4_splat(1.0f);
  v128_t probe = wasm_f32x4_splat(0.0f);
  v128_t w2lo = wasm_f64x2_make(norms[0], norms[1]), w2hi = wasm_f64x2_make(norms[2], norms[3]);
  v128_t d2lo = wasm_f64x2_make(norms[4], norms[5]), d2hi = wasm_f64x2_make(norms[6], norms[7]);
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t w0 = wasm_v128_load(w + i);
    wasm_v128_store(prev + i, w0);
    v128_t gi = wasm_v128_load(g + i);
    if (reg == Reg::L2) {
      gi = wasm_f32x4_add(gi, wasm_f32x4_mul(vrate, w0));
    } else if (reg == Reg::L1) {  // sign as (w > 0) - (w < 0): 0 for zeros and NaN
      const v128_t s = wasm_f32x4_sub(wasm_v128_and(wasm_f32x4_gt(w0, wasm_f32x4_splat(0.0f)), one),
                                      wasm_v128_and(wasm_f32x4_lt(w0, wasm_f32x4_splat(0.0f)), one));
      gi = wasm_f32x4_add(gi, wasm_f32x4_mul(vrate, s));
    }
    const v128_t nw = wasm_f32x4_sub(w0, wasm_f32x4_mul(vlr, gi));
    wasm_v128_store(w + i, nw);
    probe = wasm_f32x4_add(probe, wasm_f32x4_sub(nw, nw));
    const v128_t wl = wasm_f64x2_promote_low_f32x4(w0), wh = wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(w0, w0, 1, 0));
    const v128_t nl = wasm_f64x2_promote_low_f32x4(nw), nh = wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(nw, nw, 1, 0));
    const v128_t dl = wasm_f64x2_sub(nl, wl), dh = wasm_f64x2_sub(nh, wh);
    w2lo = wasm_f64x2_add(w2lo, wasm_f64x2_mul(wl, wl));
    w2hi = wasm_f64x2_add(w2hi, wasm_f64x2_mul(wh, wh));
    d2lo = wasm_f64x2_add(d2lo, wasm_f64x2_mul(dl, dl));
    d2hi = wasm_f64x2_add(d2hi, wasm_f64x2_mul(dh, dh));
  }
  norms[0] = wasm_f64x2_extract_lane(w2lo, 0); norms[1] = wasm_f64x2_extract_lane(w2lo, 1);
  norms[2] = wasm_f64x2_extract_lane(w2hi, 0); norms[3] = wasm_f64x2_extract_lane(w2hi, 1);
  norms[4] = wasm_f64x2_extract_lane(d2lo, 0); norms[5] = wasm_f64x2_extract_lane(d2lo, 1);
  norms[6] = wasm_f64x2_extract_lane(d2hi, 0); norms[7] = wasm_f64x2_extract_lane(d2hi, 1);
  // Lanes hold NaN for a non-finite weight: fold them into one float probe for the tail.
  float p = wasm_f32x4_extract_lane(probe, 0) + wasm_f32x4_extract_lane(probe, 1) + wasm_f32x4_extract_lane(probe, 2) +
            wasm_f32x4_extract_lane(probe, 3);
  for (; i < n; i++) optim::sgd_element(i, w, prev, g, lr, reg, rate, norms, &p);
  return p == 0.0f;
}

}  // namespace nnplay::kernels
