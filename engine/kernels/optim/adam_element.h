// Internal to engine/kernels/optim: one weight of the Adam step (f32_adam_update in kernels.h), shared
// by the scalar reference and the SIMD version's tail so both apply the very same arithmetic.
#pragma once
#include "../internal.h"

namespace nnplay::kernels::optim {

// probe accumulates x - x over the new moments and weight (0 while all are finite, NaN after an Inf or NaN).
inline void adam_element(size_t i, float* w, float* prev, float* m, float* pm, float* v, float* pv, const float* g, const AdamRule& k,
                         Reg reg, float rate, double norms[8], float* probe) {
  const float w0 = w[i];
  prev[i] = w0;
  float gi = g[i];
  if (reg == Reg::L2) gi += rate * w0;
  else if (reg == Reg::L1) gi += rate * (float)((w0 > 0) - (w0 < 0));
  pm[i] = m[i];
  pv[i] = v[i];
  const float mi = k.beta1 * m[i] + (1.0f - k.beta1) * gi;
  const float vi = k.beta2 * v[i] + (1.0f - k.beta2) * (gi * gi);
  m[i] = mi;
  v[i] = vi;
  *probe += (mi - mi) + (vi - vi);
  const float mh = mi / k.c1, vh = vi / k.c2;
  const float nw = w0 - k.lr * mh / (__builtin_sqrtf(vh) + k.eps);
  w[i] = nw;
  *probe += nw - nw;
  const double d = (double)nw - (double)w0;
  norms[i % 4] += (double)w0 * w0;
  norms[4 + i % 4] += d * d;
}

}  // namespace nnplay::kernels::optim
