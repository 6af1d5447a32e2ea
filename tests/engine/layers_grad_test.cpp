// Engine tests: batch norm and dropout gradients (and the new activations inside networks). A
// double-precision reference forward over the WHOLE batch (batch norm couples the rows), written
// here independently of the engine; central finite differences on it against the engine's
// backward, in training mode (batch statistics, dropout masks) and in inference mode (running
// statistics). Also the running-statistics update and the one-example batch.
#include <gtest/gtest.h>
#include <cmath>
#include <vector>
#include "nnplay/config.h"
#include "src/detmath.h"
#include "src/layers/layers.h"
#include "src/net.h"

using namespace nnplay;
using nnplay::detail::LayerPlan;
using nnplay::detail::Net;
using nnplay::detail::Pass;
using nnplay::detail::Workspace;

namespace {

double act_d(Activation a, double z, double leak) {
  switch (a) {
    case Activation::Sigmoid: return 1.0 / (1.0 + std::exp(-z));
    case Activation::Tanh: return std::tanh(z);
    case Activation::Relu: return z > 0 ? z : 0;
    case Activation::LeakyRelu: return z > 0 ? z : leak * z;
    case Activation::Elu: return z > 0 ? z : std::expm1(z);
    case Activation::Gelu: return 0.5 * z * (1 + std::tanh(0.7978845608028654 * (z + 0.044715 * z * z * z)));
    case Activation::Silu: return z / (1 + std::exp(-z));
    default: return z;
  }
}

struct Mode {
  bool train = true;
  std::vector<float> state;                            // running statistics (inference reads them)
  uint64_t key = 0;                                    // dropout masks (training)
};

// Forward of the whole batch X (B, I) in double; returns the output activations (B, O).
std::vector<double> ref_forward(const Net& net, const std::vector<double>& p, const std::vector<float>& X, int B,
                                const Mode& m) {
  std::vector<double> x(X.begin(), X.end());
  for (size_t l = 0; l < net.plan.size(); ++l) {
    const LayerPlan& L = net.plan[l];
    const int N = L.nout, I = L.nin;
    std::vector<double> z((size_t)B * N, 0.0), y;
    const double* w = p.data() + L.w_off;
    const double* b = p.data() + L.b_off;
    for (int r = 0; r < B; ++r) {
      const double* xr = x.data() + (size_t)r * I;
      double* zr = z.data() + (size_t)r * N;
      switch (L.spec.type) {
        case LayerType::Dense:
          for (int o = 0; o < N; ++o) {
            double s = b[o];
            for (int i = 0; i < I; ++i) s += w[(size_t)o * I + i] * xr[i];
            zr[o] = s;
          }
          break;
        case LayerType::Conv: {
          const auto& c = L.conv;
          const int P = c.OH(), Q = c.OW();
          for (int f = 0; f < c.F; ++f)
            for (int py = 0; py < P; ++py)
              for (int qx = 0; qx < Q; ++qx) {
                double s = b[f];
                for (int ch = 0; ch < c.C; ++ch)
                  for (int u = 0; u < c.k; ++u)
                    for (int v = 0; v < c.k; ++v) {
                      const int iy = py * c.s + u - c.pad, ix = qx * c.s + v - c.pad;
                      if (iy < 0 || ix < 0 || iy >= c.H || ix >= c.W) continue;
                      s += w[(((size_t)f * c.C + ch) * c.k + u) * c.k + v] * xr[((size_t)ch * c.H + iy) * c.W + ix];
                    }
                zr[((size_t)f * P + py) * Q + qx] = s;
              }
          break;
        }
        case LayerType::MaxPool: case LayerType::AvgPool: {
          const auto& c = L.pool;
          const int P = c.OH(), Q = c.OW();
          for (int ch = 0; ch < c.C; ++ch)
            for (int py = 0; py < P; ++py)
              for (int qx = 0; qx < Q; ++qx) {
                double mx = -1e300, s = 0;
                for (int u = 0; u < c.p; ++u)
                  for (int v = 0; v < c.p; ++v) {
                    const double t = xr[((size_t)ch * c.H + py * c.s + u) * c.W + qx * c.s + v];
                    mx = t > mx ? t : mx;
                    s += t;
                  }
                zr[((size_t)ch * P + py) * Q + qx] = L.spec.type == LayerType::MaxPool ? mx : s / (c.p * c.p);
              }
          break;
        }
        default:                                       // flatten, dropout (z = input), batch norm (below)
          for (int i = 0; i < N; ++i) zr[i] = xr[i];
          break;
      }
    }
    std::vector<double> a = z;
    if (L.spec.type == LayerType::BatchNorm) {
      // z = x^ per channel over the batch (training) or from the running statistics (inference).
      const int C = L.in[0], S = L.in[1] * L.in[2];
      for (int c = 0; c < C; ++c) {
        double mean = 0, var = 0;
        if (m.train) {
          for (int r = 0; r < B; ++r) for (int s = 0; s < S; ++s) mean += x[(size_t)r * N + c * S + s];
          mean /= (double)B * S;
          for (int r = 0; r < B; ++r) for (int s = 0; s < S; ++s) { double d = x[(size_t)r * N + c * S + s] - mean; var += d * d; }
          var /= (double)B * S;
        } else {
          mean = m.state[L.s_off + c];
          var = m.state[L.s_off + C + c];
        }
        for (int r = 0; r < B; ++r)
          for (int s = 0; s < S; ++s) {
            const size_t i = (size_t)r * N + c * S + s;
            z[i] = (x[i] - mean) / std::sqrt(var + kBatchNormEpsilon);
            a[i] = act_d(L.spec.act, w[c] * z[i] + b[c], L.spec.leak);
          }
      }
    } else if (L.spec.type == LayerType::Dropout) {
      if (m.train)
        for (size_t i = 0; i < a.size(); ++i) a[i] = z[i] * detail::dropout_mask(m.key, (int)l, i, L.spec.rate);
    } else if (L.spec.type == LayerType::Dense || L.spec.type == LayerType::Conv) {
      if (L.spec.act == Activation::Softmax) {
        for (int r = 0; r < B; ++r) {
          double mx = -1e300, s = 0;
          for (int o = 0; o < N; ++o) mx = std::max(mx, z[(size_t)r * N + o]);
          for (int o = 0; o < N; ++o) { a[(size_t)r * N + o] = std::exp(z[(size_t)r * N + o] - mx); s += a[(size_t)r * N + o]; }
          for (int o = 0; o < N; ++o) a[(size_t)r * N + o] /= s;
        }
      } else {
        for (size_t i = 0; i < a.size(); ++i) a[i] = act_d(L.spec.act, z[i], L.spec.leak);
      }
    }
    x = a;
  }
  return x;
}

double ref_loss(const Net& net, const std::vector<double>& p, const std::vector<float>& X, const std::vector<float>& T,
                int B, const Mode& m) {
  const std::vector<double> y = ref_forward(net, p, X, B, m);
  const int O = net.outputs();
  double sum = 0;
  for (int r = 0; r < B; ++r) {
    double e = 0;
    for (int o = 0; o < O; ++o) {
      const double t = T[(size_t)r * O + o], v = y[(size_t)r * O + o];
      if (net.loss == LossType::SoftmaxCrossEntropy) { if (t > 0) e -= t * std::log(v); }
      else e += (v - t) * (v - t);
    }
    sum += net.loss == LossType::HalfSquaredError ? 0.5 * e : e;
  }
  return sum / B;
}

LayerSpec dense(int u, Activation a) { LayerSpec l; l.type = LayerType::Dense; l.units = u; l.act = a; return l; }
LayerSpec conv(int f, int k, int s, int pad, Activation a) {
  LayerSpec l; l.type = LayerType::Conv; l.filters = f; l.kernel = k; l.stride = s; l.pad = pad; l.act = a; return l;
}
LayerSpec pool(LayerType t, int p, int s) { LayerSpec l; l.type = t; l.pool = p; l.pool_stride = s; return l; }
LayerSpec flatten() { LayerSpec l; l.type = LayerType::Flatten; return l; }
LayerSpec bn(Activation a = Activation::Linear) { LayerSpec l; l.type = LayerType::BatchNorm; l.act = a; return l; }
LayerSpec dropout(float p) { LayerSpec l; l.type = LayerType::Dropout; l.rate = p; return l; }

struct Case {
  int in[3];
  std::vector<LayerSpec> layers;
  LossType loss;
  bool classification;
  int B;
};

// The engine's forward+backward in `mode` against central differences of the reference, for
// every parameter (kinks skipped as in engine_grad.cpp: the quotient changes with h). Returns
// the engine's gradients.
std::vector<float> check(const Case& c, uint64_t seed, Mode mode) {
  Net net;
  EXPECT_EQ(net.setup(c.in, c.layers, c.loss, c.classification, c.B), "");
  Workspace ws;
  net.make_workspace(&ws, c.B);
  det::Rng r(seed);
  std::vector<float> params(net.param_count), grads(net.param_count, 7.0f);
  for (float& v : params) v = (float)r.range(-0.8, 0.8);
  for (const LayerPlan& L : net.plan)                 // gamma around 1, so the normalized values matter
    if (L.spec.type == LayerType::BatchNorm)
      for (size_t i = 0; i < L.nw; ++i) params[L.w_off + i] = (float)r.range(0.5, 1.5);
  if (mode.state.empty()) {
    mode.state.assign(net.state_count, 0.0f);
    for (const LayerPlan& L : net.plan)
      for (size_t i = 0; i < L.ns; ++i) mode.state[L.s_off + i] = i < L.ns / 2 ? (float)r.range(-0.3, 0.3) : (float)r.range(0.2, 2.0);
  }
  const int I = net.input_size(), O = net.outputs();
  std::vector<float> X((size_t)c.B * I), labels(c.B);
  for (float& v : X) v = (float)r.range(-1, 1);
  for (int i = 0; i < c.B; ++i)
    labels[i] = c.classification ? (float)(O > 1 ? (int)r.below(O) : (int)r.below(2)) : (float)r.range(-1, 1);
  std::vector<float> state = mode.state;
  Pass pass;
  pass.train = mode.train;
  pass.state = state.data();
  pass.noise = mode.key;
  net.forward(ws, params.data(), X.data(), c.B, pass);
  net.encode_targets(ws, labels.data(), c.B);
  const double loss = net.loss_and_output_grad(ws);
  net.backward(ws, params.data(), grads.data());
  std::vector<float> T(ws.target.begin(), ws.target.begin() + (size_t)c.B * O);
  std::vector<double> p(params.begin(), params.end());
  EXPECT_NEAR(loss, ref_loss(net, p, X, T, c.B, mode), 1e-5 * (1 + std::fabs(loss)));
  int skipped = 0, checked = 0;
  for (size_t j = 0; j < p.size(); ++j) {
    auto fd = [&](double h) {
      std::vector<double> q = p;
      q[j] = p[j] + h; const double lp = ref_loss(net, q, X, T, c.B, mode);
      q[j] = p[j] - h; const double lm = ref_loss(net, q, X, T, c.B, mode);
      return (lp - lm) / (2 * h);
    };
    const double g1 = fd(1e-5), g2 = fd(5e-6);
    if (std::fabs(g1 - g2) > 1e-6 * (1 + std::fabs(g1))) { ++skipped; continue; }
    ++checked;
    const double g = grads[j];
    EXPECT_LE(std::fabs(g - g1), 2e-4 * std::max(std::fabs(g1), std::fabs(g)) + 2e-6)
        << "parameter " << j << ": engine " << g << " vs finite difference " << g1;
  }
  EXPECT_LE(skipped * 10, (int)p.size()) << skipped << " of " << p.size() << " parameters at a kink";
  EXPECT_GT(checked, 0);
  return grads;
}

Mode training(uint64_t key = 0) { Mode m; m.train = true; m.key = key; return m; }
Mode inference() { Mode m; m.train = false; return m; }

}  // namespace

TEST(LayersGrad, BatchNormAfterDense) {
  const Case c{{3, 1, 1}, {dense(5, Activation::Linear), bn(Activation::Tanh), dense(4, Activation::Gelu), bn(),
                           dense(2, Activation::Linear)}, LossType::HalfSquaredError, false, 6};
  check(c, 41, training());
  check(c, 42, inference());
}

TEST(LayersGrad, BatchNormAfterConvPerChannel) {
  const Case c{{2, 7, 7}, {conv(3, 3, 1, 1, Activation::Linear), bn(Activation::Elu), pool(LayerType::MaxPool, 2, 2),
                           conv(2, 2, 1, 0, Activation::Silu), bn(), flatten(), dense(3, Activation::Softmax)},
               LossType::SoftmaxCrossEntropy, true, 3};
  check(c, 51, training());
  check(c, 52, inference());
  // batch norm straight on the input image, and before an average pool
  const Case d{{1, 6, 6}, {bn(Activation::Sigmoid), conv(2, 3, 1, 0, Activation::Tanh), bn(Activation::Gelu),
                           pool(LayerType::AvgPool, 2, 2), dense(1, Activation::Linear)}, LossType::SquaredError, false, 4};
  check(d, 53, training());
}

TEST(LayersGrad, DropoutMasksAndBatchNorm) {
  const Case c{{4, 1, 1}, {dense(6, Activation::Tanh), dropout(0.5f), dense(5, Activation::Silu), bn(Activation::Tanh),
                           dropout(0.25f), dense(1, Activation::Sigmoid)}, LossType::SquaredError, true, 5};
  check(c, 61, training(0x1234));
  check(c, 62, training(0x9876));
  check(c, 63, inference());                          // dropout passes through
  // conv feature maps through dropout
  const Case d{{1, 6, 6}, {conv(2, 3, 1, 0, Activation::Elu), dropout(0.4f), flatten(), dense(2, Activation::Softmax)},
               LossType::SoftmaxCrossEntropy, true, 2};
  check(d, 64, training(77));
}

TEST(LayersGrad, DropoutMaskIsAPureFunctionWithItsRate) {
  for (float rate : {0.0f, 0.1f, 0.5f, 0.9f}) {
    long zeros = 0;
    const long n = 200000;
    for (long i = 0; i < n; ++i) {
      const float m = detail::dropout_mask(0xabcdef, 2, (uint64_t)i, rate);
      ASSERT_EQ(m, detail::dropout_mask(0xabcdef, 2, (uint64_t)i, rate));
      if (m == 0.0f) ++zeros;
      else ASSERT_EQ(m, 1.0f / (1.0f - rate));
    }
    EXPECT_NEAR((double)zeros / n, rate, 0.005) << "rate " << rate;
  }
  // Different keys and layers give different masks.
  int same_key = 0, same_layer = 0;
  for (uint64_t i = 0; i < 1000; ++i) {
    same_key += detail::dropout_mask(1, 0, i, 0.5f) == detail::dropout_mask(2, 0, i, 0.5f);
    same_layer += detail::dropout_mask(1, 0, i, 0.5f) == detail::dropout_mask(1, 1, i, 0.5f);
  }
  EXPECT_LT(same_key, 600);
  EXPECT_LT(same_layer, 600);
}

TEST(LayersGrad, RunningStatisticsFollowTheMomentum) {
  Net net;
  const int in[3] = {2, 3, 3};
  ASSERT_EQ(net.setup(in, {conv(3, 2, 1, 0, Activation::Linear), bn(), flatten(), dense(1, Activation::Linear)},
                      LossType::HalfSquaredError, false, 5), "");
  Workspace ws;
  net.make_workspace(&ws, 5);
  det::Rng r(3);
  std::vector<float> params(net.param_count), X(5 * 18), state(net.state_count, -1.0f);
  for (float& v : params) v = (float)r.range(-1, 1);
  for (float& v : X) v = (float)r.range(-2, 2);
  net.init_state(state.data());
  ASSERT_EQ(state.size(), 6u);
  EXPECT_EQ(state[0], 0.0f); EXPECT_EQ(state[3], 1.0f);
  Pass pass;
  pass.train = true;
  pass.state = state.data();
  net.forward(ws, params.data(), X.data(), 5, pass);
  const LayerPlan& L = net.plan[1];
  const int C = 3, S = 4, B = 5;
  const float* x = ws.a(0, net.plan);                 // the conv's output: the batch norm's input (B, C, S)
  for (int c = 0; c < C; ++c) {
    double mean = 0, sq = 0;
    for (int b = 0; b < B; ++b) for (int s = 0; s < S; ++s) mean += x[(size_t)b * C * S + c * S + s];
    mean /= B * S;
    for (int b = 0; b < B; ++b) for (int s = 0; s < S; ++s) { double d = x[(size_t)b * C * S + c * S + s] - mean; sq += d * d; }
    EXPECT_NEAR(state[L.s_off + c], 0.9 * 0.0 + 0.1 * mean, 1e-6) << "running mean " << c;
    EXPECT_NEAR(state[L.s_off + C + c], 0.9 * 1.0 + 0.1 * sq / (B * S - 1), 1e-6) << "running variance (unbiased) " << c;
    // and the batch was normalized: z has mean 0 and (biased) variance var / (var + eps)
    double zm = 0, zv = 0;
    for (int b = 0; b < B; ++b) for (int s = 0; s < S; ++s) zm += ws.layers[1].z[(size_t)b * C * S + c * S + s];
    for (int b = 0; b < B; ++b) for (int s = 0; s < S; ++s) zv += std::pow(ws.layers[1].z[(size_t)b * C * S + c * S + s], 2);
    EXPECT_NEAR(zm / (B * S), 0.0, 1e-6);
    const double var = sq / (B * S);
    EXPECT_NEAR(zv / (B * S), var / (var + kBatchNormEpsilon), 1e-5);
  }
  // Inference leaves the running statistics alone and normalizes with them.
  const std::vector<float> before = state;
  pass.train = false;
  net.forward(ws, params.data(), X.data(), 5, pass);
  EXPECT_EQ(state, before);
  const float z0 = (x[0] - state[L.s_off]) / std::sqrt(state[L.s_off + C] + kBatchNormEpsilon);
  EXPECT_NEAR(ws.layers[1].z[0], z0, 1e-6);
}

TEST(LayersGrad, OneExampleBatchNormalizesFlatUnitsToZero) {
  // A batch of one: every flat unit equals its batch mean, so x^ = 0, the output is beta and the
  // layers before get no gradient through it (but nothing is NaN).
  const Case c{{3, 1, 1}, {dense(4, Activation::Tanh), bn(), dense(1, Activation::Linear)}, LossType::HalfSquaredError, false, 1};
  const std::vector<float> g = check(c, 71, training());
  for (size_t j = 0; j < 16; ++j) EXPECT_EQ(g[j], 0.0f) << "first dense layer, parameter " << j;
  for (float v : g) EXPECT_TRUE(std::isfinite(v));
}
