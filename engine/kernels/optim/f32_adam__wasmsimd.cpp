// The Adam step, SIMD128: four weights at a time with the scalar reference's operations in the same
// order (division and square root are exact in IEEE, so every lane matches it bit for bit), the
// norms as two f64x2 partial sums each (the reference's i mod 4 sums), the tail as scalar.
#include "../simd.h"
#include "adam_element.h"

namespace nnplay::kernels {

bool f32_adam_update__wasmsimd(size_t n, float* w, float* prev, float* m, float* pm, float* v, float* pv, const float* g,
                               const AdamRule& k, Reg reg, float rate, double norms[8]) {
  const v128_t vlr = wasm_f32x4_splat(k.lr), vrate = wasm_f32x4_splat(rate), one = wasm_f32x4_splat(1.0f);
  const v128_t b1 = wasm_f32x4_splat(k.beta1), b2 = wasm_f32x4_splat(k.beta2);
  const v128_t nb1 = wasm_f32x4_splat(1.0f - k.beta1), nb2 = wasm_f32x4_splat(1.0f - k.beta2);
  const v128_t c1 = wasm_f32x4_splat(k.c1), c2 = wasm_f32x4_splat(k.c2), eps = wasm_f32x4_splat(k.eps);
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
    const v128_t m0 = wasm_v128_load(m + i), v0 = wasm_v128_load(v + i);
    wasm_v128_store(pm + i, m0);
    wasm_v128_store(pv + i, v0);
    const v128_t mi = wasm_f32x4_add(wasm_f32x4_mul(b1, m0), wasm_f32x4_mul(nb1, gi));
    const v128_t vi = wasm_f32x4_add(wasm_f32x4_mul(b2, v0), wasm_f32x4_mul(nb2, wasm_f32x4_mul(gi, gi)));
    wasm_v128_store(m + i, mi);
    wasm_v128_store(v + i, vi);
    probe = wasm_f32x4_add(probe, wasm_f32x4_add(wasm_f32x4_sub(mi, mi), wasm_f32x4_sub(vi, vi)));
    const v128_t mh = wasm_f32x4_div(mi, c1), vh = wasm_f32x4_div(vi, c2);
    const v128_t nw = wasm_f32x4_sub(w0, wasm_f32x4_div(wasm_f32x4_mul(vlr, mh), wasm_f32x4_add(wasm_f32x4_sqrt(vh), eps)));
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
  float p = wasm_f32x4_extract_lane(probe, 0) + wasm_f32x4_extract_lane(probe, 1) + wasm_f32x4_extract_lane(probe, 2) +
            wasm_f32x4_extract_lane(probe, 3);
  for (; i < n; i++) optim::adam_element(i, w, prev, m, pm, v, pv, g, k, reg, rate, norms, &p);
  return p == 0.0f;
}

}  // namespace nnplay::kernels
