// The SGD step's scalar reference: the update rule, the copy for a revert, the norms by i mod 4.
#include "../internal.h"

namespace nnplay::kernels {

bool f32_sgd_update__scalar(size_t n, float* w, float* prev, const float* g, float lr, Reg reg, float rate, double norms[8]) {
  float probe = 0.0f;  // x - x is 0 for finite x and NaN for Inf/NaN; the sum stays NaN once one appears
  NNPLAY_SCALAR_LOOP
  for (size_t i = 0; i < n; i++) {
    const float w0 = w[i];
    prev[i] = w0;
    float gi = g[i];
    if (reg == Reg::L2) gi += rate * w0;
    else if (reg == Reg::L1) gi += rate * (float)((w0 > 0) - (w0 < 0));
    const float nw = w0 - lr * gi;
    w[i] = nw;
    probe += nw - nw;
    const double d = (double)nw - (double)w0;
    norms[i % 4] += (double)w0 * w0;
    norms[4 + i % 4] += d * d;
  }
  return probe == 0.0f;
}

}  // namespace nnplay::kernels
