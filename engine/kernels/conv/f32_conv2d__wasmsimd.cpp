// conv2d, SIMD128, one image at a time: im2col + the SIMD GEMM (nn forward, tn backward-data,
// nt backward-filter), the GEMM straight on x for 1x1 stride-1 unpadded kernels (no im2col), or,
// at stride 1, direct kernels: forward (4 filters x 8 output columns in registers, taps read
// straight from the (padded) input rows and the filters) and backward-filter (k taps x 8 filters
// in registers, dy transposed so filters are lanes). The GEMMs sum k in order and the direct
// kernels sum in the same orders (forward: taps (c, ky, kx) from 0; filter: positions from dw),
// so all match the scalar references in f32_conv2d__scalar.cpp bit for bit (the im2col row index
// c*k*k + ky*k + kx is exactly the reference's (c, ky, kx) order): which path runs can never change
// a result, only the time. Backward-data has no direct path: one (forming a dcol row in registers,
// then adding it in tap order) was measured 0.75-0.87x of im2col + GEMM + col2im on LeNet's shapes.
#include <algorithm>
#include <cstring>
#include "../internal.h"
#include "../simd.h"

#if defined(__clang__)
#define NNPLAY_ROLLED_LOOP _Pragma("clang loop unroll(disable)")
#else
#define NNPLAY_ROLLED_LOOP
#endif

namespace nnplay::kernels {
namespace {

size_t ckk_of(const ConvShape& sh) { return static_cast<size_t>(sh.C) * sh.k * sh.k; }
size_t n_of(const ConvShape& sh) { return static_cast<size_t>(sh.OH()) * sh.OW(); }
bool pointwise(const ConvShape& sh) { return sh.k == 1 && sh.s == 1 && sh.pad == 0; }

// The ox range [lo, hi) whose input column ix = ox s + kx - pad lies inside [0, W): the same for every oy.
inline void ox_range(const ConvShape& sh, int kx, int* lo, int* hi) {
  const int OW = sh.OW(), s = sh.s, pad = sh.pad;
  int l = 0, h = OW;
  while (l < OW && l * s + kx - pad < 0) l++;
  while (h > l && (h - 1) * s + kx - pad >= sh.W) h--;
  *lo = l;
  *hi = h;
}

// col (C k k, OH OW): col[(c k + ky) k + kx][oy OW + ox] = x[c][oy s + ky - pad][ox s + kx - pad] or 0.
void im2col(const ConvShape& sh, float* col, const float* x) {
  const int OH = sh.OH(), OW = sh.OW(), k = sh.k, s = sh.s, pad = sh.pad;
  for (int c = 0; c < sh.C; c++)
    for (int ky = 0; ky < k; ky++)
      for (int kx = 0; kx < k; kx++) {
        int lo, hi;
        ox_range(sh, kx, &lo, &hi);
        for (int oy = 0; oy < OH; oy++, col += OW) {
          const int iy = oy * s + ky - pad;
          if (iy < 0 || iy >= sh.H) { std::memset(col, 0, sizeof(float) * OW); continue; }
          const float* xr = x + (static_cast<size_t>(c) * sh.H + iy) * sh.W;
          for (int ox = 0; ox < lo; ox++) col[ox] = 0.0f;
          if (s == 1) {  // rows are short (OW floats): an inline copy, not a memcpy call per row
            const float* src = xr + kx - pad;
            int ox = lo;
            for (; ox + 4 <= hi; ox += 4) wasm_v128_store(col + ox, wasm_v128_load(src + ox));
            for (; ox < hi; ox++) col[ox] = src[ox];
          } else {
            for (int ox = lo; ox < hi; ox++) col[ox] = xr[ox * s + kx - pad];
          }
          for (int ox = hi; ox < OW; ox++) col[ox] = 0.0f;
        }
      }
}

// dx[c][iy][ix] += dcol[...], rows (c, ky, kx) then (oy, ox) in order, exactly as the reference.
// Within a row every ox adds into a different dx element, so adding 4 at a time keeps each sum's order.
void col2im_add(const ConvShape& sh, float* dx, const float* col) {
  const int OH = sh.OH(), OW = sh.OW(), k = sh.k, s = sh.s, pad = sh.pad;
  for (int c = 0; c < sh.C; c++)
    for (int ky = 0; ky < k; ky++)
      for (int kx = 0; kx < k; kx++) {
        int lo, hi;
        ox_range(sh, kx, &lo, &hi);
        for (int oy = 0; oy < OH; oy++, col += OW) {
          const int iy = oy * s + ky - pad;
          if (iy < 0 || iy >= sh.H) continue;
          float* dr = dx + (static_cast<size_t>(c) * sh.H + iy) * sh.W;
          if (s == 1) {
            float* d = dr + kx - pad;
            int ox = lo;
            for (; ox + 4 <= hi; ox += 4) wasm_v128_store(d + ox, wasm_f32x4_add(wasm_v128_load(d + ox), wasm_v128_load(col + ox)));
            for (; ox < hi; ox++) d[ox] += col[ox];
          } else {
            for (int ox = lo; ox < hi; ox++) dr[ox * s + kx - pad] += col[ox];
          }
        }
      }
}

// ---- direct forward (stride 1) ----
// One tile: y rows f0..f0+R-1 at (oy, ox0..ox0+nc-1), nc <= 4*NV. xp points at the padded input
// at (c=0, oy, ox0): row stride wp, channel stride cs. w points at filter f0 (rows of ckk taps,
// read in place: packing them per image cost more than it saved, measured on LeNet's conv2).
// Each accumulator lane sums its taps (c, ky, kx) in order from 0, then adds the bias: exactly the reference. Loads may read up to 4*NV-nc floats
// past a row (into the next row or the buffer's slack); those lanes are never stored.
template <int R, int NV>
inline void direct_tile(int C, int k, size_t cs, size_t wp, float* y, size_t ys, const float* xp, const float* w,
                        size_t ckk, const float* bias, size_t nc) {
  v128_t acc[R][NV];
  for (int r = 0; r < R; r++)
    for (int v = 0; v < NV; v++) acc[r][v] = wasm_f32x4_splat(0.0f);
  // Pointers bumped by hand: Emscripten builds with LLVM's loop strength reduction off, so an
  // indexed address (w + r ckk + t) costs its arithmetic at every load. The tap loop stays rolled:
  // unrolled over kx (k known at compile time), LLVM regroups the products by accumulator and keeps
  // the 4 k splats live across the row, more than the 16 xmm registers V8 has: measured 7-12% slower.
  const float* wr[R];
  for (int r = 0; r < R; r++) wr[r] = w + r * ckk;
  const float* xc = xp;
  for (int c = 0; c < C; c++, xc += cs) {
    const float* xr = xc;
    for (int ky = 0; ky < k; ky++, xr += wp) {
      NNPLAY_ROLLED_LOOP
      for (int kx = 0; kx < k; kx++) {
        v128_t b[NV];
        for (int v = 0; v < NV; v++) b[v] = wasm_v128_load(xr + kx + 4 * v);
        for (int r = 0; r < R; r++) {
          const v128_t a = wasm_v128_load32_splat(wr[r] + kx);
          for (int v = 0; v < NV; v++) acc[r][v] = wasm_f32x4_add(acc[r][v], wasm_f32x4_mul(a, b[v]));
        }
      }
      for (int r = 0; r < R; r++) wr[r] += k;
    }
  }
  if (bias)
    for (int r = 0; r < R; r++) {
      const v128_t bv = wasm_v128_load32_splat(bias + r);
      for (int v = 0; v < NV; v++) acc[r][v] = wasm_f32x4_add(acc[r][v], bv);
    }
  if (nc == 4 * NV) {
    for (int r = 0; r < R; r++)
      for (int v = 0; v < NV; v++) wasm_v128_store(y + r * ys + 4 * v, acc[r][v]);
  } else {
    for (int r = 0; r < R; r++) {
      float t[4 * NV];
      for (int v = 0; v < NV; v++) wasm_v128_store(t + 4 * v, acc[r][v]);
      for (size_t j = 0; j < nc; j++) y[r * ys + j] = t[j];
    }
  }
}

void direct_forward(const ConvShape& sh, float* y, const float* xp, size_t wp, size_t cs, const float* w, const float* bias) {
  constexpr int NV = 2, W = 4 * NV;
  const int OH = sh.OH(), OW = sh.OW();
  const size_t ckk = ckk_of(sh), ys = static_cast<size_t>(OH) * OW;
  for (int f0 = 0; f0 < sh.F; f0 += 4) {
    const int R = std::min(4, sh.F - f0);
    const float* wf = w + f0 * ckk;
    const float* bf = bias ? bias + f0 : nullptr;
    for (int oy = 0; oy < OH; oy++)
      for (int ox = 0; ox < OW; ox += W) {
        const size_t nc = std::min(W, OW - ox);
        float* yt = y + f0 * ys + static_cast<size_t>(oy) * OW + ox;
        const float* xt = xp + oy * wp + ox;
        switch (R) {
          case 4: direct_tile<4, NV>(sh.C, sh.k, cs, wp, yt, ys, xt, wf, ckk, bf, nc); break;
          case 3: direct_tile<3, NV>(sh.C, sh.k, cs, wp, yt, ys, xt, wf, ckk, bf, nc); break;
          case 2: direct_tile<2, NV>(sh.C, sh.k, cs, wp, yt, ys, xt, wf, ckk, bf, nc); break;
          default: direct_tile<1, NV>(sh.C, sh.k, cs, wp, yt, ys, xt, wf, ckk, bf, nc); break;
        }
      }
  }
}

// ---- direct backward-filter (stride 1) ----
// dw[f][c][ky][kx] += dy[f][p] * xp[c][oy + ky][ox + kx] for p = (oy, ox) in order, starting from dw:
// the sums of the im2col + GEMM path (on the zero-padded input the padding taps add dy * 0 too).
// Lanes run over filters: dyT (OH OW, F8) holds dy transposed, F rounded up to 8 with zero lanes.
// One tile is a (c, ky) row of K taps x 8 filters: 2K accumulators, K splats of x per position.
template <int K>
void direct_filter_tiles(const ConvShape& sh, float* dw, const float* dyT, size_t F8, const float* xp, size_t wp, size_t cs) {
  const int OH = sh.OH(), OW = sh.OW();
  const size_t kk = static_cast<size_t>(K) * K, ckk = static_cast<size_t>(sh.C) * kk;
  for (int f0 = 0; f0 < sh.F; f0 += 8) {
    const int nf = std::min(8, sh.F - f0);
    for (int c = 0; c < sh.C; c++)
      for (int ky = 0; ky < K; ky++) {
        float* d = dw + static_cast<size_t>(f0) * ckk + c * kk + ky * K;  // dw[f0][c][ky][0]; filter stride ckk
        v128_t acc[K][2];
        for (int kx = 0; kx < K; kx++) {
          float t[8] = {};
          for (int j = 0; j < nf; j++) t[j] = d[j * ckk + kx];
          acc[kx][0] = wasm_v128_load(t);
          acc[kx][1] = wasm_v128_load(t + 4);
        }
        const float* dt = dyT + f0;
        const float* xr = xp + c * cs + ky * wp;
        for (int oy = 0; oy < OH; oy++, xr += wp)
          for (int ox = 0; ox < OW; ox++, dt += F8) {
            const v128_t d0 = wasm_v128_load(dt), d1 = wasm_v128_load(dt + 4);
            for (int kx = 0; kx < K; kx++) {
              const v128_t a = wasm_v128_load32_splat(xr + ox + kx);
              acc[kx][0] = wasm_f32x4_add(acc[kx][0], wasm_f32x4_mul(a, d0));
              acc[kx][1] = wasm_f32x4_add(acc[kx][1], wasm_f32x4_mul(a, d1));
            }
          }
        for (int kx = 0; kx < K; kx++) {
          float t[8];
          wasm_v128_store(t, acc[kx][0]);
          wasm_v128_store(t + 4, acc[kx][1]);
          for (int j = 0; j < nf; j++) d[j * ckk + kx] = t[j];
        }
      }
  }
}

}  // namespace

// The per-shape choice between the direct kernel and im2col + GEMM (conv2d_forward_path in
// internal.h): a rule on the shape alone, so it is deterministic, and both paths give the same bits.
ConvPath conv2d_forward_path(const ConvShape& sh) {
  if (conv_path_override != ConvPath::Auto) return conv_path_override;
  if (pointwise(sh) || sh.s != 1) return ConvPath::Gemm;  // 1x1: the GEMM on x directly; strided taps are not contiguous
  return ConvPath::Direct;
}

// Backward-filter: direct (no im2col, no packing) at stride 1 for k up to 6 (2k accumulators fit
// V8's registers), else im2col + GEMM. Same bits either way; `conv_filter_path_override` is the hook.
ConvPath conv2d_backward_filter_path(const ConvShape& sh) {
  if (conv_filter_path_override != ConvPath::Auto) return conv_filter_path_override;
  if (pointwise(sh) || sh.s != 1 || sh.k > 6) return ConvPath::Gemm;
  return ConvPath::Direct;
}

// Copies x into work as (C, H+2pad, W+2pad) with zero borders and 16 zero floats of slack after it
// (tail loads of the direct forward kernel), when pad > 0 or `always`; returns the input to read.
const float* padded_input(const ConvShape& sh, const float* x, float* work, bool always = false) {
  if (sh.pad == 0 && !always) return x;
  const int Hp = sh.H + 2 * sh.pad, Wp = sh.W + 2 * sh.pad;
  const size_t n = static_cast<size_t>(sh.C) * Hp * Wp;
  std::fill(work, work + n + 16, 0.0f);
  for (int c = 0; c < sh.C; c++)
    for (int iy = 0; iy < sh.H; iy++)
      std::memcpy(work + (static_cast<size_t>(c) * Hp + iy + sh.pad) * Wp + sh.pad, x + (static_cast<size_t>(c) * sh.H + iy) * sh.W,
                  sizeof(float) * sh.W);
  return work;
}

void f32_conv2d_backward_filter_direct__wasmsimd(const ConvShape& sh, float* dw, float* dbias, const float* dy, const float* x, float* work) {
  assert(sh.s == 1 && sh.k <= 6);
  const size_t n = n_of(sh), F8 = round_up(static_cast<size_t>(sh.F), 8);
  float* dyT = work;                                   // (n, F8)
  for (size_t p = 0; p < n; p++) {
    float* row = dyT + p * F8;
    for (int f = 0; f < sh.F; f++) row[f] = dy[f * n + p];
    for (size_t f = sh.F; f < F8; f++) row[f] = 0.0f;
  }
  const float* xp = padded_input(sh, x, work + n * F8);
  const size_t wp = static_cast<size_t>(sh.W) + 2 * sh.pad, cs = (static_cast<size_t>(sh.H) + 2 * sh.pad) * wp;
  switch (sh.k) {
    case 2: direct_filter_tiles<2>(sh, dw, dyT, F8, xp, wp, cs); break;
    case 3: direct_filter_tiles<3>(sh, dw, dyT, F8, xp, wp, cs); break;
    case 4: direct_filter_tiles<4>(sh, dw, dyT, F8, xp, wp, cs); break;
    case 5: direct_filter_tiles<5>(sh, dw, dyT, F8, xp, wp, cs); break;
    case 6: direct_filter_tiles<6>(sh, dw, dyT, F8, xp, wp, cs); break;
    default: direct_filter_tiles<1>(sh, dw, dyT, F8, xp, wp, cs); break;
  }
  if (dbias) f32_channel_bias_grad__wasmsimd(sh.F, n, dbias, dy);
}

// Direct forward at stride 1 on a zero-padded copy of x (or on x itself when no padding is needed
// and no tail load can read past its end).
void f32_conv2d_forward_direct__wasmsimd(const ConvShape& sh, float* y, const float* x, const float* w, const float* bias, float* work) {
  assert(sh.s == 1);
  const int Hp = sh.H + 2 * sh.pad, Wp = sh.W + 2 * sh.pad;
  const float* xp = padded_input(sh, x, work, sh.OW() % 8 != 0);  // a ragged last tile loads past the row
  const size_t cs = static_cast<size_t>(Hp) * Wp;
  direct_forward(sh, y, xp, Wp, cs, w, bias);
}

void f32_conv2d_forward__wasmsimd(const ConvShape& sh, float* y, const float* x, const float* w, const float* bias, float* work) {
  if (conv2d_forward_path(sh) == ConvPath::Direct) return f32_conv2d_forward_direct__wasmsimd(sh, y, x, w, bias, work);
  const size_t ckk = ckk_of(sh), n = n_of(sh);
  const float* col = x;
  float* gw = work;
  if (!pointwise(sh)) {
    im2col(sh, work, x);
    col = work;
    gw = work + ckk * n;
  }
  f32_gemm_nn_4x8__wasmsimd(sh.F, n, ckk, y, n, w, ckk, col, n, false, gw);
  if (bias) f32_channel_bias_add__wasmsimd(sh.F, n, y, bias);
}

void f32_conv2d_backward_data__wasmsimd(const ConvShape& sh, float* dx, const float* dy, const float* w, float* work) {
  const size_t ckk = ckk_of(sh), n = n_of(sh);
  // dcol (C k k, OH OW) = wᵀ dy: w is (F, C k k) = (K, M) for the tn form, K = F summed in order from 0.
  f32_gemm_tn_4x8__wasmsimd(ckk, n, sh.F, work, n, w, ckk, dy, n, false, work + ckk * n);
  col2im_add(sh, dx, work);
}

void f32_conv2d_backward_filter__wasmsimd(const ConvShape& sh, float* dw, float* dbias, const float* dy, const float* x, float* work) {
  if (conv2d_backward_filter_path(sh) == ConvPath::Direct) return f32_conv2d_backward_filter_direct__wasmsimd(sh, dw, dbias, dy, x, work);
  const size_t ckk = ckk_of(sh), n = n_of(sh);
  const float* col = x;
  float* gw = work;
  if (!pointwise(sh)) {
    im2col(sh, work, x);
    col = work;
    gw = work + ckk * n;
  }
  // dw (F, C k k) += dy (F, OH OW) colᵀ: the nt form, K = OH OW summed in order from dw.
  f32_gemm_nt_4x8__wasmsimd(sh.F, ckk, n, dw, ckk, dy, n, col, n, true, gw);
  if (dbias) f32_channel_bias_grad__wasmsimd(sh.F, n, dbias, dy);
}

}  // namespace nnplay::kernels
