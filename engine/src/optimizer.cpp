// The parameter update of one training step as a single pass over the parameters (see optimizer.h).
#include "optimizer.h"
#include <cmath>
#include "kernels/kernels.h"

namespace nnplay::detail {
namespace {

struct Rule { float lr, mu, rate, beta1, beta2, eps, c1, c2; };

// One contiguous run of parameters [off, off+n) under momentum or Nesterov O, with regularization R.
// v1: the per-parameter velocity; pv1 its copy. (SGD and Adam run in SIMD kernels, kernels.h.)
template <Optimizer O, Regularization R>
void sweep(size_t off, size_t n, const Rule& k, float* w, const float* g, float* v1, float* pw, float* pv1, UpdateSums& s) {
  static_assert(O == Optimizer::Momentum || O == Optimizer::Nesterov, "SGD and Adam run in kernels::f32_sgd_update / f32_adam_update");
  double w2 = 0, d2 = 0;
  float probe = 0;  // x - x is 0 for finite x and NaN for Inf/NaN; the sum stays NaN once one appears
  for (size_t i = off; i < off + n; ++i) {
    const float w0 = w[i];
    pw[i] = w0;
    float gi = g[i];
    if constexpr (R == Regularization::L2) gi += k.rate * w0;
    if constexpr (R == Regularization::L1) gi += k.rate * (float)((w0 > 0) - (w0 < 0));
    pv1[i] = v1[i];
    const float v = k.mu * v1[i] + gi;
    v1[i] = v;
    probe += v - v;
    const float nw = O == Optimizer::Momentum ? w0 - k.lr * v : w0 - k.lr * (gi + k.mu * v);
    w[i] = nw;
    probe += nw - nw;
    const double d = (double)nw - (double)w0;
    w2 += (double)w0 * w0;
    d2 += d * d;
  }
  s.w2 += w2;
  s.d2 += d2;
  s.finite = s.finite && probe == 0.0f;
}

template <Optimizer O>
void sweep_reg(Regularization r, size_t off, size_t n, const Rule& k, float* w, const float* g, float* v1, float* pw, float* pv1,
               UpdateSums& s) {
  switch (r) {
    case Regularization::L1: sweep<O, Regularization::L1>(off, n, k, w, g, v1, pw, pv1, s); break;
    case Regularization::L2: sweep<O, Regularization::L2>(off, n, k, w, g, v1, pw, pv1, s); break;
    default: sweep<O, Regularization::None>(off, n, k, w, g, v1, pw, pv1, s); break;
  }
}

}  // namespace

UpdateSums apply_update(const TrainSpec& t, const std::vector<LayerPlan>& plan, float* w, const float* g,
                        std::vector<float>& opt, float* prev_w, std::vector<float>& prev_opt) {
  const size_t P = opt.size() >= 2 && t.optimizer == Optimizer::Adam ? (opt.size() - 2) / 2 : opt.size();
  Rule k{t.learning_rate, t.momentum, t.reg_rate, t.beta1, t.beta2, t.epsilon, 1, 1};
  float* v1 = opt.data();
  float* pv1 = prev_opt.data();
  float* v2 = nullptr;
  float* pv2 = nullptr;
  if (t.optimizer == Optimizer::Adam) {
    v2 = v1 + P;
    pv2 = pv1 + P;
    prev_opt[2 * P] = opt[2 * P];
    prev_opt[2 * P + 1] = opt[2 * P + 1];
    const float b1t = opt[2 * P] * t.beta1, b2t = opt[2 * P + 1] * t.beta2;
    opt[2 * P] = b1t;
    opt[2 * P + 1] = b2t;
    k.c1 = 1.0f - b1t;  // bias corrections 1 - beta^t
    k.c2 = 1.0f - b2t;
  }
  UpdateSums s;
  for (const LayerPlan& p : plan) {
    for (int part = 0; part < 2; ++part) {
      const size_t off = part == 0 ? p.w_off : p.b_off, n = part == 0 ? p.nw : p.nb;
      if (n == 0) continue;
      // L1/L2 act on weights only: not on biases, nor on batch norm's gamma (its scale is free).
      const Regularization r = part == 0 && t.reg_rate != 0.0f && p.spec.type != LayerType::BatchNorm ? t.reg : Regularization::None;
      switch (t.optimizer) {
        case Optimizer::Momentum: sweep_reg<Optimizer::Momentum>(r, off, n, k, w, g, v1, prev_w, pv1, s); break;
        case Optimizer::Nesterov: sweep_reg<Optimizer::Nesterov>(r, off, n, k, w, g, v1, prev_w, pv1, s); break;
        default: {                                     // SGD, the perceptron and Adam: the SIMD kernels
          const kernels::Reg kr = r == Regularization::L1 ? kernels::Reg::L1 : r == Regularization::L2 ? kernels::Reg::L2 : kernels::Reg::None;
          double norms[8] = {0, 0, 0, 0, 0, 0, 0, 0};
          bool ok;
          if (t.optimizer == Optimizer::Adam) {
            const kernels::AdamRule a{k.lr, k.beta1, k.beta2, k.eps, k.c1, k.c2};
            ok = kernels::f32_adam_update(n, w + off, prev_w + off, v1 + off, pv1 + off, v2 + off, pv2 + off, g + off, a, kr, t.reg_rate, norms);
          } else {
            ok = kernels::f32_sgd_update(n, w + off, prev_w + off, g + off, t.learning_rate, kr, t.reg_rate, norms);
          }
          s.w2 += (norms[0] + norms[1]) + (norms[2] + norms[3]);
          s.d2 += (norms[4] + norms[5]) + (norms[6] + norms[7]);
          s.finite = s.finite && ok;
          break;
        }
      }
    }
  }
  return s;
}

}  // namespace nnplay::detail
