// The parameter update of one training step as a single pass: the optimizer rule, the copy of the old state that a revert needs, and the sums the divergence checks read.
#pragma once
#include <cstddef>
#include <vector>
#include "net.h"
#include "nnplay/config.h"

namespace nnplay::detail {

struct UpdateSums {
  double w2 = 0, d2 = 0;  // ||w||^2 before the step and ||dw||^2, in double, in a fixed order (per run of parameters)
  bool finite = true;     // every new weight and optimizer value is finite
};

// Applies `t`'s rule to the weights w (P floats) from the gradients g, with opt the optimizer state
// ([v] for momentum/Nesterov, [m, v, beta1^t, beta2^t] for Adam, empty for SGD/perceptron).
// Before changing them it stores w into prev_w and opt into prev_opt (same sizes), so that a
// non-finite step can be reverted. Element by element the arithmetic is that of the reference
// update in float: runs stay bit-identical across builds.
UpdateSums apply_update(const TrainSpec& t, const std::vector<LayerPlan>& plan, float* w, const float* g,
                        std::vector<float>& opt, float* prev_w, std::vector<float>& prev_opt);

}  // namespace nnplay::detail
