// conv2d scalar references over a batch of images. They define the summation orders (kernels.h)
// that the SIMD versions (direct kernels, im2col + GEMM) reproduce bit for bit. Padding taps are
// multiplied in as x = 0 (not skipped) exactly as an im2col column of zeros would be.
#include "../internal.h"

namespace nnplay::kernels {

// x (C,H,W) with zero padding: x value at padded coordinates (iy, ix) or 0 outside.
static inline float xat(const ConvShape& sh, const float* x, int c, int iy, int ix) {
  if (iy < 0 || ix < 0 || iy >= sh.H || ix >= sh.W) return 0.0f;
  return x[(static_cast<size_t>(c) * sh.H + iy) * sh.W + ix];
}

// y (n,F,OH,OW)[r][f][oy][ox] = (sum over c, ky, kx in order, from 0, of w[f][c][ky][kx] * x) + bias[f];
// then, when a is not null, a = act(y) for each image's outputs (f32_act_forward__scalar).
void f32_conv2d_forward__scalar(const ConvShape& sh, size_t n, float* y, float* a, Act act, float leak, const float* x,
                                const float* w, const float* bias, float* work) {
  (void)work;
  const int OH = sh.OH(), OW = sh.OW(), k = sh.k;
  const size_t xin = static_cast<size_t>(sh.C) * sh.H * sh.W, yout = static_cast<size_t>(sh.F) * OH * OW;
  for (size_t r = 0; r < n; r++, x += xin, y += yout) {
    for (int f = 0; f < sh.F; f++)
      for (int oy = 0; oy < OH; oy++)
        for (int ox = 0; ox < OW; ox++) {
          float acc = 0.0f;
          for (int c = 0; c < sh.C; c++)
            for (int ky = 0; ky < k; ky++)
              for (int kx = 0; kx < k; kx++)
                acc += w[((static_cast<size_t>(f) * sh.C + c) * k + ky) * k + kx] *
                       xat(sh, x, c, oy * sh.s + ky - sh.pad, ox * sh.s + kx - sh.pad);
          if (bias) acc += bias[f];
          y[(static_cast<size_t>(f) * OH + oy) * OW + ox] = acc;
        }
    if (a) f32_act_forward__scalar(yout, act, leak, a + r * yout, y);
  }
}

// dx (n,C,H,W) starts from 0; then for (c, ky, kx) in order, for (oy, ox) in order: v = sum over f
// in order, from 0, of w[f][c][ky][kx] * dy[f][oy][ox]; dx[c][oy*s+ky-pad][ox*s+kx-pad] += v when
// inside the image. So each dx element adds its taps' sums in (ky, kx) order. dx is overwritten.
void f32_conv2d_backward_data__scalar(const ConvShape& sh, size_t n, float* dx, const float* dy, const float* w, float* work) {
  (void)work;
  const int OH = sh.OH(), OW = sh.OW(), k = sh.k;
  const size_t xin = static_cast<size_t>(sh.C) * sh.H * sh.W, yout = static_cast<size_t>(sh.F) * OH * OW;
  for (size_t r = 0; r < n; r++, dx += xin, dy += yout) {
    for (size_t i = 0; i < xin; i++) dx[i] = 0.0f;
    for (int c = 0; c < sh.C; c++)
      for (int ky = 0; ky < k; ky++)
        for (int kx = 0; kx < k; kx++)
          for (int oy = 0; oy < OH; oy++)
            for (int ox = 0; ox < OW; ox++) {
              float v = 0.0f;
              for (int f = 0; f < sh.F; f++)
                v += w[((static_cast<size_t>(f) * sh.C + c) * k + ky) * k + kx] * dy[(static_cast<size_t>(f) * OH + oy) * OW + ox];
              const int iy = oy * sh.s + ky - sh.pad, ix = ox * sh.s + kx - sh.pad;
              if (iy >= 0 && ix >= 0 && iy < sh.H && ix < sh.W) dx[(static_cast<size_t>(c) * sh.H + iy) * sh.W + ix] += v;
            }
  }
}

// dw[f][c][ky][kx] = dw + (image 0: dy[f][0][0] * x.. + dy[f][0][1] * x.. + ...) + (image 1: ...) ...
// (images, then (oy, ox), in order, from dw); dbias[f] += (sum over (oy, ox) in order, from 0, of
// dy[f]), one image after the other, when dbias is not null.
void f32_conv2d_backward_filter__scalar(const ConvShape& sh, size_t n, float* dw, float* dbias, const float* dy, const float* x,
                                        float* work) {
  (void)work;
  const int OH = sh.OH(), OW = sh.OW(), k = sh.k;
  const size_t xin = static_cast<size_t>(sh.C) * sh.H * sh.W, yout = static_cast<size_t>(sh.F) * OH * OW;
  for (int f = 0; f < sh.F; f++)
    for (int c = 0; c < sh.C; c++)
      for (int ky = 0; ky < k; ky++)
        for (int kx = 0; kx < k; kx++) {
          float& d = dw[((static_cast<size_t>(f) * sh.C + c) * k + ky) * k + kx];
          float acc = d;
          for (size_t r = 0; r < n; r++) {
            const float* xr = x + r * xin;
            const float* dyr = dy + r * yout;
            for (int oy = 0; oy < OH; oy++)
              for (int ox = 0; ox < OW; ox++)
                acc += dyr[(static_cast<size_t>(f) * OH + oy) * OW + ox] * xat(sh, xr, c, oy * sh.s + ky - sh.pad, ox * sh.s + kx - sh.pad);
          }
          d = acc;
        }
  if (dbias)
    for (size_t r = 0; r < n; r++) f32_channel_bias_grad__scalar(sh.F, static_cast<size_t>(OH) * OW, dbias, dy + r * yout);
}

}  // namespace nnplay::kernels
