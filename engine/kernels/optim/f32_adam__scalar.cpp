// The Adam step's scalar reference: the update rule, the copies for a revert, the norms by i mod 4.
#include "adam_element.h"

namespace nnplay::kernels {

bool f32_adam_update__scalar(size_t n, float* w, float* prev, float* m, float* pm, float* v, float* pv, const float* g,
                             const AdamRule& k, Reg reg, float rate, double norms[8]) {
  float probe = 0.0f;  // x - x is 0 for finite x and NaN for Inf/NaN; the sum stays NaN once one appears
  NNPLAY_SCALAR_LOOP
  for (size_t i = 0; i < n; i++) optim::adam_element(i, w, prev, m, pm, v, pv, g, k, reg, rate, norms, &probe);
  return probe == 0.0f;
}

}  // namespace nnplay::kernels
