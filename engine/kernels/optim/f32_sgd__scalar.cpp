// The SGD step's scalar reference: the update rule, the copy for a revert, the norms by i mod 4.
#include "sgd_element.h"

namespace nnplay::kernels {

bool f32_sgd_update__scalar(size_t n, float* w, float* prev, const float* g, float lr, Reg reg, float rate, double norms[8]) {
  float probe = 0.0f;  // x - x is 0 for finite x and NaN for Inf/NaN; the sum stays NaN once one appears
  NNPLAY_SCALAR_LOOP
  for (size_t i = 0; i < n; i++) optim::sgd_element(i, w, prev, g, lr, reg, rate, norms, &probe);
  return probe == 0.0f;
}

}  // namespace nnplay::kernels
