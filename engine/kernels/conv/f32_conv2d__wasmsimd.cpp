// conv2d, SIMD128, one image at a time: im2col + the SIMD GEMM (nn forward, tn backward-data,
// nt backward-filter), or the GEMM straight on x for 1x1 stride-1 unpadded kernels (no im2col).
// The GEMMs sum k in order, so these match the scalar references in f32_conv2d__scalar.cpp bit
// for bit: the im2col row index c*k*k + ky*k + kx is exactly the reference's (c, ky, kx) order.
#include <cstring>
#include "../internal.h"

namespace nnplay::kernels {
namespace {

size_t ckk_of(const ConvShape& sh) { return static_cast<size_t>(sh.C) * sh.k * sh.k; }
size_t n_of(const ConvShape& sh) { return static_cast<size_t>(sh.OH()) * sh.OW(); }
bool pointwise(const ConvShape& sh) { return sh.k == 1 && sh.s == 1 && sh.pad == 0; }

// col (C k k, OH OW): col[(c k + ky) k + kx][oy OW + ox] = x[c][oy s + ky - pad][ox s + kx - pad] or 0.
void im2col(const ConvShape& sh, float* col, const float* x) {
  const int OH = sh.OH(), OW = sh.OW(), k = sh.k, s = sh.s, pad = sh.pad;
  for (int c = 0; c < sh.C; c++)
    for (int ky = 0; ky < k; ky++)
      for (int kx = 0; kx < k; kx++)
        for (int oy = 0; oy < OH; oy++, col += OW) {
          const int iy = oy * s + ky - pad;
          if (iy < 0 || iy >= sh.H) { std::memset(col, 0, sizeof(float) * OW); continue; }
          const float* xr = x + (static_cast<size_t>(c) * sh.H + iy) * sh.W;
          // ox range whose ix = ox s + kx - pad lies inside [0, W)
          int lo = 0, hi = OW;
          while (lo < OW && lo * s + kx - pad < 0) lo++;
          while (hi > lo && (hi - 1) * s + kx - pad >= sh.W) hi--;
          for (int ox = 0; ox < lo; ox++) col[ox] = 0.0f;
          if (s == 1) std::memcpy(col + lo, xr + lo + kx - pad, sizeof(float) * (hi - lo));
          else for (int ox = lo; ox < hi; ox++) col[ox] = xr[ox * s + kx - pad];
          for (int ox = hi; ox < OW; ox++) col[ox] = 0.0f;
        }
}

// dx[c][iy][ix] += dcol[...], rows (c, ky, kx) then (oy, ox) in order, exactly as the reference.
void col2im_add(const ConvShape& sh, float* dx, const float* col) {
  const int OH = sh.OH(), OW = sh.OW(), k = sh.k, s = sh.s, pad = sh.pad;
  for (int c = 0; c < sh.C; c++)
    for (int ky = 0; ky < k; ky++)
      for (int kx = 0; kx < k; kx++)
        for (int oy = 0; oy < OH; oy++, col += OW) {
          const int iy = oy * s + ky - pad;
          if (iy < 0 || iy >= sh.H) continue;
          float* dr = dx + (static_cast<size_t>(c) * sh.H + iy) * sh.W;
          int lo = 0, hi = OW;
          while (lo < OW && lo * s + kx - pad < 0) lo++;
          while (hi > lo && (hi - 1) * s + kx - pad >= sh.W) hi--;
          for (int ox = lo; ox < hi; ox++) dr[ox * s + kx - pad] += col[ox];  // element-wise: vectorizing keeps each sum's order
        }
}

}  // namespace

void f32_conv2d_forward__wasmsimd(const ConvShape& sh, float* y, const float* x, const float* w, const float* bias, float* work) {
  const size_t ckk = ckk_of(sh), n = n_of(sh);
  const float* col = x;
  float* gw = work;
  if (!pointwise(sh)) {
    im2col(sh, work, x);
    col = work;
    gw = work + ckk * n;
  }
  f32_gemm_nn_6x8__wasmsimd(sh.F, n, ckk, y, n, w, ckk, col, n, false, gw);
  if (bias) f32_channel_bias_add__wasmsimd(sh.F, n, y, bias);
}

void f32_conv2d_backward_data__wasmsimd(const ConvShape& sh, float* dx, const float* dy, const float* w, float* work) {
  const size_t ckk = ckk_of(sh), n = n_of(sh);
  // dcol (C k k, OH OW) = wᵀ dy: w is (F, C k k) = (K, M) for the tn form, K = F summed in order from 0.
  f32_gemm_tn_6x8__wasmsimd(ckk, n, sh.F, work, n, w, ckk, dy, n, false, work + ckk * n);
  col2im_add(sh, dx, work);
}

void f32_conv2d_backward_filter__wasmsimd(const ConvShape& sh, float* dw, float* dbias, const float* dy, const float* x, float* work) {
  const size_t ckk = ckk_of(sh), n = n_of(sh);
  const float* col = x;
  float* gw = work;
  if (!pointwise(sh)) {
    im2col(sh, work, x);
    col = work;
    gw = work + ckk * n;
  }
  // dw (F, C k k) += dy (F, OH OW) colᵀ: the nt form, K = OH OW summed in order from dw.
  f32_gemm_nt_6x8__wasmsimd(sh.F, ckk, n, dw, ckk, dy, n, col, n, true, gw);
  if (dbias) f32_channel_bias_grad__wasmsimd(sh.F, n, dbias, dy);
}

}  // namespace nnplay::kernels
