// Batch normalization over a batch, forward and backward (layers.h); the layer math only.
// Not the running statistics' storage (session.cpp) nor the activation kernels (it calls them).
//
// x is (B, C, S) row-major; each channel c is normalized over its M = B*S values x[r][c][s].
// Summation order, fixed and the same natively and in wasm: every per-channel sum (mean,
// variance, the backward sums) runs in double, starting from 0, over r = 0..B-1 (outer) and
// s = 0..S-1 (inner), in order. Per element, x^ and y are float operations, dx is computed in
// double and rounded once; no FMA anywhere (-ffp-contract=off).
#include <cmath>
#include "layers.h"

namespace nnplay::detail {
namespace k = nnplay::kernels;

namespace {
struct Shape {
  int C, S;
  size_t at(int r, int c) const { return ((size_t)r * C + c) * S; }  // start of x[r][c][.]
};
Shape shape_of(const LayerPlan& p) { return Shape{p.in[0], p.in[1] * p.in[2]}; }
bool has_fn(const LayerPlan& p) { return p.spec.act != Activation::Linear; }
}  // namespace

void batchnorm_forward(const LayerPlan& p, Workspace::Layer& L, const float* x, int B, const float* gamma,
                       const float* beta, float* state, bool train) {
  const Shape sh = shape_of(p);
  const int C = sh.C, S = sh.S;
  const double M = (double)B * S;
  const double eps = kBatchNormEpsilon, mom = kBatchNormMomentum;
  float* rmean = state ? state + p.s_off : nullptr;
  float* rvar = state ? state + p.s_off + C : nullptr;
  float* xh = L.z.data();
  float* y = has_fn(p) ? L.pre.data() : L.a.data();
  for (int c = 0; c < C; ++c) {
    float mean, istd;
    if (train) {
      double sum = 0;
      for (int r = 0; r < B; ++r)
        for (int s = 0; s < S; ++s) sum += x[sh.at(r, c) + s];
      const double mu = sum / M;
      double sq = 0;
      for (int r = 0; r < B; ++r)
        for (int s = 0; s < S; ++s) {
          const double d = (double)x[sh.at(r, c) + s] - mu;
          sq += d * d;
        }
      mean = (float)mu;
      istd = (float)(1.0 / std::sqrt(sq / M + eps));   // the biased variance normalizes
      if (state) {                                     // the unbiased one is tracked (PyTorch's convention)
        const double unbiased = M > 1 ? sq / (M - 1) : sq / M;
        rmean[c] = (float)((1.0 - mom) * (double)rmean[c] + mom * mu);
        rvar[c] = (float)((1.0 - mom) * (double)rvar[c] + mom * unbiased);
      }
    } else {
      mean = rmean ? rmean[c] : 0.0f;
      istd = (float)(1.0 / std::sqrt((rvar ? (double)rvar[c] : 1.0) + eps));
    }
    L.mean[c] = mean;
    L.istd[c] = istd;
    const float g = gamma[c], b = beta[c];
    for (int r = 0; r < B; ++r) {
      const size_t o = sh.at(r, c);
      for (int s = 0; s < S; ++s) {
        const float v = (x[o + s] - mean) * istd;
        xh[o + s] = v;
        y[o + s] = g * v + b;
      }
    }
  }
  if (has_fn(p)) k::f32_act_forward((size_t)B * p.nout, kact(p.spec.act), p.spec.leak, L.a.data(), y);
}

void batchnorm_backward(const LayerPlan& p, Workspace::Layer& L, int B, const float* gamma, float* dgamma,
                        float* dbeta, float* dx, bool train) {
  const Shape sh = shape_of(p);
  const int C = sh.C, S = sh.S;
  const double M = (double)B * S;
  // dy = dE/dy (y = gamma x^ + beta), through the activation; kept in dz, then scaled into dE/dx^.
  float* d = L.dz.data();
  const float* xh = L.z.data();
  k::f32_act_backward((size_t)B * p.nout, kact(p.spec.act), p.spec.leak, d, L.da.data(),
                      has_fn(p) ? L.pre.data() : nullptr, L.a.data());
  for (int c = 0; c < C; ++c) {
    const float g = gamma[c], istd = L.istd[c];
    // Pass 1: dgamma = sum dy x^, dbeta = sum dy; dx^ = gamma dy (kept in dz) and its sums
    // s1 = sum dx^, s2 = sum dx^ x^ over the float dx^ values, all in the fixed order.
    double sdy = 0, sdyx = 0, s1 = 0, s2 = 0;
    for (int r = 0; r < B; ++r)
      for (int s = 0; s < S; ++s) {
        const size_t i = sh.at(r, c) + s;
        sdy += d[i];
        sdyx += (double)d[i] * (double)xh[i];
        const float dxh = g * d[i];
        d[i] = dxh;
        s1 += dxh;
        s2 += (double)dxh * (double)xh[i];
      }
    dbeta[c] = (float)sdy;
    dgamma[c] = (float)sdyx;
    if (!dx) continue;
    // Pass 2. Training: dx = istd (dx^ - mean(dx^) - x^ mean(dx^ x^)), as the batch statistics
    // depend on every x. Inference: dx = istd dx^.
    const double m1 = s1 / M, m2 = s2 / M;
    for (int r = 0; r < B; ++r) {
      const size_t o = sh.at(r, c);
      for (int s = 0; s < S; ++s)
        dx[o + s] = train ? (float)((double)istd * ((double)d[o + s] - m1 - (double)xh[o + s] * m2)) : d[o + s] * istd;
    }
  }
}

}  // namespace nnplay::detail
