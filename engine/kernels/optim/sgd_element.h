// Internal to engine/kernels/optim: one weight of the SGD step (f32_sgd_update in kernels.h), shared
// by the scalar reference and the SIMD version's tail so both apply the very same arithmetic.
#pragma once
#include "../internal.h"

namespace nnplay::kernels::optim {

// probe accumulates nw - nw (0 while every new weight is finite, NaN after an Inf or NaN).
inline void sgd_element(size_t i, float* w, float* prev, const float* g, float lr, Reg reg, float rate, double norms[8],
                        float* probe) {
  const float w0 = w[i];
  prev[i] = w0;
  float gi = g[i];
  if (reg == Reg::L2) gi += rate * w0;
  else if (reg == Reg::L1) gi += rate * (float)((w0 > 0) - (w0 < 0));
  const float nw = w0 - lr * gi;
  w[i] = nw;
  *probe += nw - nw;
  const double d = (double)nw - (double)w0;
  norms[i % 4] += (double)w0 * w0;
  norms[4 + i % 4] += d * d;
}

}  // namespace nnplay::kernels::optim
