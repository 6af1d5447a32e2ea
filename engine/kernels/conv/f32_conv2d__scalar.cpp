// conv2d scalar references, one image at a time. They define the summation orders (kernels.h)
// that the im2col+GEMM and direct SIMD versions reproduce bit for bit. Padding taps are
// multiplied in as x = 0 (not skipped) exactly as an im2col column of zeros would be.
#include "../internal.h"

namespace nnplay::kernels {

// x (C,H,W) with zero padding: x value at padded coordinates (iy, ix) or 0 outside.
static inline float xat(const ConvShape& sh, const float* x, int c, int iy, int ix) {
  if (iy < 0 || ix < 0 || iy >= sh.H || ix >= sh.W) return 0.0f;
  return x[(static_cast<size_t>(c) * sh.H + iy) * sh.W + ix];
}

// y (F,OH,OW)[f][oy][ox] = (sum over c, ky, kx in order, from 0, of w[f][c][ky][kx] * x) + bias[f]
void f32_conv2d_forward__scalar(const ConvShape& sh, float* y, const float* x, const float* w, const float* bias, float* work) {
  (void)work;
  const int OH = sh.OH(), OW = sh.OW(), k = sh.k;
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
}

// For (c, ky, kx) in order, for (oy, ox) in order: v = sum over f in order, from 0, of
// w[f][c][ky][kx] * dy[f][oy][ox]; then dx[c][oy*s+ky-pad][ox*s+kx-pad] += v when inside the image.
void f32_conv2d_backward_data__scalar(const ConvShape& sh, float* dx, const float* dy, const float* w, float* work) {
  (void)work;
  const int OH = sh.OH(), OW = sh.OW(), k = sh.k;
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

// dw[f][c][ky][kx] = dw + dy[f][0][0] * x.. + dy[f][0][1] * x.. + ... ((oy, ox) in order, from dw);
// dbias[f] += (sum over (oy, ox) in order, from 0, of dy[f]) when dbias is not null.
void f32_conv2d_backward_filter__scalar(const ConvShape& sh, float* dw, float* dbias, const float* dy, const float* x, float* work) {
  (void)work;
  const int OH = sh.OH(), OW = sh.OW(), k = sh.k;
  for (int f = 0; f < sh.F; f++)
    for (int c = 0; c < sh.C; c++)
      for (int ky = 0; ky < k; ky++)
        for (int kx = 0; kx < k; kx++) {
          float& d = dw[((static_cast<size_t>(f) * sh.C + c) * k + ky) * k + kx];
          float acc = d;
          for (int oy = 0; oy < OH; oy++)
            for (int ox = 0; ox < OW; ox++)
              acc += dy[(static_cast<size_t>(f) * OH + oy) * OW + ox] * xat(sh, x, c, oy * sh.s + ky - sh.pad, ox * sh.s + kx - sh.pad);
          d = acc;
        }
  if (dbias) f32_channel_bias_grad__scalar(sh.F, static_cast<size_t>(OH) * OW, dbias, dy);
}

}  // namespace nnplay::kernels
