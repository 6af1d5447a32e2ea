// conv2d direct backward-filter, SIMD128, stride 1, over a batch: dw[f][c][ky][kx] += dy[f][p] *
// xp[c][oy + ky][ox + kx] for the images, then the positions p = (oy, ox), in order, starting from
// dw: the sums of f32_conv2d_backward_filter__scalar, bit for bit (on the zero-padded input the
// padding taps add dy * 0 too). Lanes run over filters: dyT (positions, Fp) holds a chunk of images'
// dy transposed, F rounded up to 4 with zero lanes. A tile is a group of T taps (c, ky, kx) x 4 FV
// filters: T FV accumulators, kept in registers across all the chunk's images; per position FV
// loads of dyT and T splats of x. Groups of 4 taps x 8 filters (8 accumulators + 2 + 4 operands + 1
// <= 15 registers); 5 taps x 8 filters spilled two accumulators to the stack (1.6x slower); 6 taps
// when a group has only 4 filters. Not the GEMM path (f32_conv2d__wasmsimd.cpp).
#include <algorithm>
#include "conv_internal.h"

namespace nnplay::kernels::conv {
namespace {

constexpr int kMaxTaps = 6;
inline int max_taps(int FV) { return FV == 2 ? 4 : kMaxTaps; }

// acc (T FV vectors) += over the chunk's positions; off[t]: tap t's offset in a padded image, xs
// the image stride. One loop nest per function (conv_internal.h).
template <int T, int FV>
__attribute__((noinline)) void taps(int OH, int OW, size_t imgs, size_t xs, size_t wp, size_t Fp, const float* dyT, const float* xp,
                                    const size_t* off, v128_t* acc_io) {
  v128_t acc[T][FV];
  for (int t = 0; t < T; t++)
    for (int v = 0; v < FV; v++) acc[t][v] = acc_io[t * FV + v];
  const float* dt = dyT;
  for (size_t img = 0; img < imgs; img++) {
    const float* xr[T];
    for (int t = 0; t < T; t++) xr[t] = xp + img * xs + off[t];
    for (int oy = 0; oy < OH; oy++) {
      for (int ox = 0; ox < OW; ox++, dt += Fp) {
        v128_t dv[FV];
        for (int v = 0; v < FV; v++) dv[v] = wasm_v128_load(dt + 4 * v);
        for (int t = 0; t < T; t++) {
          const v128_t a = wasm_v128_load32_splat(xr[t] + ox);
          for (int v = 0; v < FV; v++) acc[t][v] = wasm_f32x4_add(acc[t][v], wasm_f32x4_mul(a, dv[v]));
        }
      }
      for (int t = 0; t < T; t++) xr[t] += wp;
    }
  }
  for (int t = 0; t < T; t++)
    for (int v = 0; v < FV; v++) acc_io[t * FV + v] = acc[t][v];
}

using TapsFn = void (*)(int, int, size_t, size_t, size_t, size_t, const float*, const float*, const size_t*, v128_t*);
// Called through a table: a call site per instantiation would let binaryen inline each one.
template <int FV>
constexpr TapsFn kTaps[kMaxTaps] = {taps<1, FV>, taps<2, FV>, taps<3, FV>, taps<4, FV>, taps<5, FV>, taps<6, FV>};

// Filters f0.. (up to 4 FV of them) of the chunk, the taps in groups of near-equal sizes (25 taps
// at 4 per group: 4,4,4,4,3,3,3): a group of 1 or 2 taps would wait on its accumulators' add latency.
void filter_group(const ConvShape& sh, int f0, int FV, size_t imgs, float* dw, const float* dyT, size_t Fp, const float* xp,
                  size_t wp, size_t cs, size_t xs) {
  const int k = sh.k, nf = std::min(4 * FV, sh.F - f0), most = max_taps(FV);
  const size_t ckk = ckk_of(sh);
  float* d = dw + static_cast<size_t>(f0) * ckk;       // dw[f0][tap]; filter stride ckk
  const size_t groups = (ckk + most - 1) / most, base = ckk / groups, extra = ckk % groups;
  for (size_t g = 0, t0 = 0; g < groups; g++) {
    const int T = static_cast<int>(base + (g < extra ? 1 : 0));
    size_t off[kMaxTaps];
    v128_t acc[kMaxTaps * 2];
    for (int t = 0; t < T; t++) {
      const size_t tap = t0 + t, c = tap / (k * k), ky = tap / k % k, kx = tap % k;
      off[t] = c * cs + ky * wp + kx;
      float v[8] = {};
      for (int j = 0; j < nf; j++) v[j] = d[j * ckk + tap];
      for (int q = 0; q < FV; q++) acc[t * FV + q] = wasm_v128_load(v + 4 * q);
    }
    (FV == 2 ? kTaps<2> : kTaps<1>)[T - 1](sh.OH(), sh.OW(), imgs, xs, wp, Fp, dyT + f0, xp, off, acc);
    for (int t = 0; t < T; t++) {
      float v[8];
      for (int q = 0; q < FV; q++) wasm_v128_store(v + 4 * q, acc[t * FV + q]);
      for (int j = 0; j < nf; j++) d[j * ckk + t0 + t] = v[j];
    }
    t0 += T;
  }
}

// dy (F, P) of one image into dyT rows (P, Fp): 4x4 transposes (rows past F read as zeros), the
// last P % 4 positions one by one. With dbias, also dbias[f] += (sum over p in order, from 0, of
// dy[f][p]) from the transposed rows (lanes = filters): the order of f32_channel_bias_grad.
void transpose_dy(size_t F, size_t P, size_t Fp, float* dyT, const float* dy, float* dbias) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  for (size_t f0 = 0; f0 < Fp; f0 += 4) {
    const float* r0 = f0 < F ? dy + f0 * P : nullptr;
    const float* r1 = f0 + 1 < F ? dy + (f0 + 1) * P : nullptr;
    const float* r2 = f0 + 2 < F ? dy + (f0 + 2) * P : nullptr;
    const float* r3 = f0 + 3 < F ? dy + (f0 + 3) * P : nullptr;
    v128_t s = zero;
    float* o = dyT + f0;
    size_t p = 0;
    for (; p + 4 <= P; p += 4, o += 4 * Fp) {
      const v128_t a = r0 ? wasm_v128_load(r0 + p) : zero, b = r1 ? wasm_v128_load(r1 + p) : zero,
                   c = r2 ? wasm_v128_load(r2 + p) : zero, d = r3 ? wasm_v128_load(r3 + p) : zero;
      const v128_t t0 = wasm_i32x4_shuffle(a, b, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(c, d, 0, 4, 1, 5);
      const v128_t t2 = wasm_i32x4_shuffle(a, b, 2, 6, 3, 7), t3 = wasm_i32x4_shuffle(c, d, 2, 6, 3, 7);
      const v128_t p0 = wasm_i64x2_shuffle(t0, t1, 0, 2), p1 = wasm_i64x2_shuffle(t0, t1, 1, 3);
      const v128_t p2 = wasm_i64x2_shuffle(t2, t3, 0, 2), p3 = wasm_i64x2_shuffle(t2, t3, 1, 3);
      wasm_v128_store(o, p0);
      wasm_v128_store(o + Fp, p1);
      wasm_v128_store(o + 2 * Fp, p2);
      wasm_v128_store(o + 3 * Fp, p3);
      s = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(s, p0), p1), p2), p3);
    }
    for (; p < P; p++, o += Fp) {
      for (size_t j = 0; j < 4; j++) o[j] = f0 + j < F ? dy[(f0 + j) * P + p] : 0.0f;
      s = wasm_f32x4_add(s, wasm_v128_load(o));
    }
    if (dbias) {
      float t[4];
      wasm_v128_store(t, s);
      for (size_t j = 0; j < 4 && f0 + j < F; j++) dbias[f0 + j] += t[j];
    }
  }
}

// Images per chunk of the direct backward-filter: its transposed dy and padded x stay within ~192 KiB.
size_t per_image(const ConvShape& sh) { return pos_of(sh) * round_up(static_cast<size_t>(sh.F), 4) + (sh.pad ? padded_floats(sh) : 0); }
size_t chunk_of(const ConvShape& sh) { return std::max<size_t>(1, 49152 / per_image(sh)); }

}  // namespace

size_t filter_workspace_floats(const ConvShape& sh) { return chunk_of(sh) * per_image(sh); }

void backward_filter_direct(const ConvShape& sh, size_t n, float* dw, float* dbias, const float* dy, const float* x, float* work) {
  const size_t P = pos_of(sh), Fp = round_up(static_cast<size_t>(sh.F), 4), yout = sh.F * P, xin = xin_of(sh);
  const size_t wp = static_cast<size_t>(sh.W) + 2 * sh.pad, cs = (static_cast<size_t>(sh.H) + 2 * sh.pad) * wp;
  const size_t chunk = chunk_of(sh);
  float* dyT = work;
  float* xpad = work + chunk * P * Fp;
  for (size_t r0 = 0; r0 < n; r0 += chunk) {
    const size_t imgs = std::min(chunk, n - r0);
    for (size_t i = 0; i < imgs; i++) {
      transpose_dy(sh.F, P, Fp, dyT + i * P * Fp, dy + (r0 + i) * yout, dbias);
      if (sh.pad) pad_into(sh, xpad + i * sh.C * cs, x + (r0 + i) * xin, r0 == 0);
    }
    const float* xp = sh.pad ? xpad : x + r0 * xin;
    const size_t xs = sh.pad ? sh.C * cs : xin;
    for (int f0 = 0; f0 < sh.F; f0 += 8) filter_group(sh, f0, sh.F - f0 > 4 ? 2 : 1, imgs, dw, dyT, Fp, xp, wp, cs, xs);
  }
}

}  // namespace nnplay::kernels::conv

