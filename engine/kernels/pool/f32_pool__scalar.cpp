// Max and average pooling scalar references, one image (C,H,W), window p, stride s, no padding.
// Max: the first strictly greater value in window order (ky, kx) wins, so ties go to the first.
#include "../internal.h"

namespace nnplay::kernels {

void f32_maxpool_forward__scalar(const PoolShape& sh, float* y, int32_t* argmax, const float* x) {
  const int OH = sh.OH(), OW = sh.OW();
  for (int c = 0; c < sh.C; c++)
    for (int oy = 0; oy < OH; oy++)
      for (int ox = 0; ox < OW; ox++) {
        int32_t bi = (c * sh.H + oy * sh.s) * sh.W + ox * sh.s;
        float best = x[bi];
        for (int ky = 0; ky < sh.p; ky++)
          for (int kx = 0; kx < sh.p; kx++) {
            const int32_t i = (c * sh.H + oy * sh.s + ky) * sh.W + ox * sh.s + kx;
            if (x[i] > best) { best = x[i]; bi = i; }
          }
        const size_t o = (static_cast<size_t>(c) * OH + oy) * OW + ox;
        y[o] = best;
        argmax[o] = bi;
      }
}

// dx[argmax[o]] += dy[o], outputs o in order (overlapping windows add in that order).
void f32_maxpool_backward__scalar(const PoolShape& sh, float* dx, const float* dy, const int32_t* argmax) {
  const size_t n = static_cast<size_t>(sh.C) * sh.OH() * sh.OW();
  for (size_t o = 0; o < n; o++) dx[argmax[o]] += dy[o];
}

// y = (sum over (ky, kx) in order, from 0) / (p*p)
void f32_avgpool_forward__scalar(const PoolShape& sh, float* y, const float* x) {
  const int OH = sh.OH(), OW = sh.OW();
  const float area = static_cast<float>(sh.p * sh.p);
  for (int c = 0; c < sh.C; c++)
    for (int oy = 0; oy < OH; oy++)
      for (int ox = 0; ox < OW; ox++) {
        float s = 0.0f;
        for (int ky = 0; ky < sh.p; ky++)
          for (int kx = 0; kx < sh.p; kx++) s += x[(static_cast<size_t>(c) * sh.H + oy * sh.s + ky) * sh.W + ox * sh.s + kx];
        y[(static_cast<size_t>(c) * OH + oy) * OW + ox] = s / area;
      }
}

// g = dy / (p*p); dx += g over the window, outputs in order then (ky, kx) in order.
void f32_avgpool_backward__scalar(const PoolShape& sh, float* dx, const float* dy) {
  const int OH = sh.OH(), OW = sh.OW();
  const float area = static_cast<float>(sh.p * sh.p);
  for (int c = 0; c < sh.C; c++)
    for (int oy = 0; oy < OH; oy++)
      for (int ox = 0; ox < OW; ox++) {
        const float g = dy[(static_cast<size_t>(c) * OH + oy) * OW + ox] / area;
        for (int ky = 0; ky < sh.p; ky++)
          for (int kx = 0; kx < sh.p; kx++) dx[(static_cast<size_t>(c) * sh.H + oy * sh.s + ky) * sh.W + ox * sh.s + kx] += g;
      }
}

}  // namespace nnplay::kernels
