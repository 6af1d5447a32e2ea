// Engine tests: gradients. A double-precision reference forward written here (independent of the
// engine), central finite differences on it, compared with the engine's backward for every layer,
// activation and loss; the lecture's closed forms; a hand-worked 2-2-1 network. Kinks excluded.
#include <gtest/gtest.h>
#include <cmath>
#include <cstdio>
#include <vector>
#include "nnplay/session.h"
#include "src/detmath.h"
#include "src/net.h"

using namespace nnplay;
using nnplay::detail::LayerPlan;
using nnplay::detail::Net;
using nnplay::detail::Workspace;

namespace {

// ---- the reference: per example, in double; x (N) flat, layers from the engine's plan ----
double act_d(Activation a, double z, double leak) {
  switch (a) {
    case Activation::Sigmoid: return 1.0 / (1.0 + std::exp(-z));
    case Activation::Tanh: return std::tanh(z);
    case Activation::Relu: return z > 0 ? z : 0;
    case Activation::LeakyRelu: return z > 0 ? z : leak * z;
    case Activation::Step: return z > 0 ? 1 : 0;
    case Activation::Elu: return z > 0 ? z : std::expm1(z);
    case Activation::Gelu: return 0.5 * z * (1 + std::tanh(0.7978845608028654 * (z + 0.044715 * z * z * z)));
    case Activation::Silu: return z / (1 + std::exp(-z));
    default: return z;
  }
}

// Returns the output activation (and the output pre-activation in *zout).
std::vector<double> ref_forward(const std::vector<LayerPlan>& plan, const std::vector<double>& p,
                                std::vector<double> x, std::vector<double>* zout) {
  for (const LayerPlan& L : plan) {
    std::vector<double> z((size_t)L.nout, 0.0);
    const double* w = p.data() + L.w_off;
    const double* b = p.data() + L.b_off;
    switch (L.spec.type) {
      case LayerType::Dense:
        for (int o = 0; o < L.nout; ++o) {
          double s = b[o];
          for (int i = 0; i < L.nin; ++i) s += w[(size_t)o * L.nin + i] * x[i];
          z[o] = s;
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
                    s += w[(((size_t)f * c.C + ch) * c.k + u) * c.k + v] * x[((size_t)ch * c.H + iy) * c.W + ix];
                  }
              z[((size_t)f * P + py) * Q + qx] = s;
            }
        break;
      }
      case LayerType::MaxPool: case LayerType::AvgPool: {
        const auto& c = L.pool;
        const int P = c.OH(), Q = c.OW();
        for (int ch = 0; ch < c.C; ++ch)
          for (int py = 0; py < P; ++py)
            for (int qx = 0; qx < Q; ++qx) {
              double m = -1e300, s = 0;
              for (int u = 0; u < c.p; ++u)
                for (int v = 0; v < c.p; ++v) {
                  double t = x[((size_t)ch * c.H + py * c.s + u) * c.W + qx * c.s + v];
                  m = t > m ? t : m;
                  s += t;
                }
              z[((size_t)ch * P + py) * Q + qx] = L.spec.type == LayerType::MaxPool ? m : s / (c.p * c.p);
            }
        break;
      }
      case LayerType::Flatten:
        z = x;
        break;
      case LayerType::BatchNorm: case LayerType::Dropout:  // not in this reference (tests/engine_layers_grad.cpp has them)
        ADD_FAILURE() << "the dense/conv reference has no batch norm or dropout";
        break;
    }
    std::vector<double> a = z;
    const bool has_act = L.spec.type == LayerType::Dense || L.spec.type == LayerType::Conv;
    if (has_act && L.spec.act == Activation::Softmax) {
      double m = z[0], s = 0;
      for (double t : z) m = t > m ? t : m;
      for (size_t i = 0; i < z.size(); ++i) { a[i] = std::exp(z[i] - m); s += a[i]; }
      for (double& t : a) t /= s;
    } else if (has_act) {
      for (size_t i = 0; i < z.size(); ++i) a[i] = act_d(L.spec.act, z[i], L.spec.leak);
    }
    if (zout) *zout = z;
    x = a;
  }
  return x;
}

double ref_loss(const Net& net, const std::vector<double>& p, const std::vector<float>& X,
                const std::vector<float>& T, int B) {
  const int I = net.input_size(), O = net.outputs();
  double sum = 0;
  for (int r = 0; r < B; ++r) {
    std::vector<double> x(X.begin() + (size_t)r * I, X.begin() + (size_t)(r + 1) * I);
    std::vector<double> z;
    std::vector<double> y = ref_forward(net.plan, p, x, &z);
    double e = 0;
    if (net.loss == LossType::SoftmaxCrossEntropy) {
      for (int o = 0; o < O; ++o) if (T[(size_t)r * O + o] > 0) e -= T[(size_t)r * O + o] * std::log(y[o]);
    } else {
      for (int o = 0; o < O; ++o) { double d = y[o] - T[(size_t)r * O + o]; e += d * d; }
      if (net.loss == LossType::HalfSquaredError) e *= 0.5;
    }
    sum += e;
  }
  return sum / B;
}

struct Case {
  int in[3];
  std::vector<LayerSpec> layers;
  LossType loss;
  bool classification;
  int B;
};

LayerSpec dense(int u, Activation a) { LayerSpec l; l.type = LayerType::Dense; l.units = u; l.act = a; return l; }
LayerSpec conv(int f, int k, int s, int pad, Activation a) {
  LayerSpec l; l.type = LayerType::Conv; l.filters = f; l.kernel = k; l.stride = s; l.pad = pad; l.act = a; return l;
}
LayerSpec pool(LayerType t, int p, int s) { LayerSpec l; l.type = t; l.pool = p; l.pool_stride = s; return l; }
LayerSpec flatten() { LayerSpec l; l.type = LayerType::Flatten; return l; }

// Runs the engine's forward+backward and compares every parameter gradient with the central
// difference of the double reference. Parameters whose difference quotient changes with h (a
// kink of ReLU / leaky ReLU / max-pool within reach) are skipped; at most 10% may be.
void check(const Case& c, uint64_t seed) {
  Net net;
  ASSERT_EQ(net.setup(c.in, c.layers, c.loss, c.classification, c.B), "");
  Workspace ws;
  net.make_workspace(&ws, c.B);
  det::Rng r(seed);
  std::vector<float> params(net.param_count), grads(net.param_count);
  for (float& v : params) v = (float)r.range(-0.8, 0.8);
  const int I = net.input_size(), O = net.outputs();
  std::vector<float> X((size_t)c.B * I), labels(c.B);
  for (float& v : X) v = (float)r.range(-1, 1);
  for (int i = 0; i < c.B; ++i)
    labels[i] = c.classification ? (float)(O > 1 ? (int)r.below(O) : (int)r.below(2)) : (float)r.range(-1, 1);
  net.forward(ws, params.data(), X.data(), c.B);
  net.encode_targets(ws, labels.data(), c.B);
  const double loss = net.loss_and_output_grad(ws);
  net.backward(ws, params.data(), grads.data());
  std::vector<float> T(ws.target.begin(), ws.target.begin() + (size_t)c.B * O);
  std::vector<double> p(params.begin(), params.end());
  EXPECT_NEAR(loss, ref_loss(net, p, X, T, c.B), 1e-5 * (1 + std::fabs(loss)));
  int skipped = 0, checked = 0;
  for (size_t j = 0; j < p.size(); ++j) {
    auto fd = [&](double h) {
      std::vector<double> q = p;
      q[j] = p[j] + h; const double lp = ref_loss(net, q, X, T, c.B);
      q[j] = p[j] - h; const double lm = ref_loss(net, q, X, T, c.B);
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
}

}  // namespace

TEST(EngineGrad, DenseEveryActivationHalfSquare) {
  const int in[3] = {3, 1, 1};
  for (Activation a : {Activation::Linear, Activation::Sigmoid, Activation::Tanh, Activation::Relu, Activation::LeakyRelu,
                       Activation::Elu, Activation::Gelu, Activation::Silu}) {
    SCOPED_TRACE(name(a));
    LayerSpec h = dense(5, a);
    h.leak = 0.1f;
    check(Case{{in[0], in[1], in[2]}, {h, dense(4, a), dense(2, Activation::Linear)}, LossType::HalfSquaredError, false, 4}, 11);
  }
}

TEST(EngineGrad, LossesAndOutputActivations) {
  for (LossType l : {LossType::SquaredError, LossType::HalfSquaredError})
    for (Activation a : {Activation::Linear, Activation::Sigmoid, Activation::Tanh, Activation::LeakyRelu}) {
      SCOPED_TRACE(std::string(name(l)) + " " + name(a));
      check(Case{{2, 1, 1}, {dense(3, Activation::Tanh), dense(1, a)}, l, true, 5}, 21);
      check(Case{{2, 1, 1}, {dense(3, Activation::Sigmoid), dense(3, a)}, l, true, 5}, 22);  // one-hot targets
    }
  SCOPED_TRACE("softmax cross-entropy");
  check(Case{{4, 1, 1}, {dense(6, Activation::Tanh), dense(5, Activation::Softmax)}, LossType::SoftmaxCrossEntropy, true, 6}, 23);
  check(Case{{2, 1, 1}, {dense(2, Activation::Softmax)}, LossType::SoftmaxCrossEntropy, true, 3}, 24);
}

TEST(EngineGrad, ConvPoolFlattenDense) {
  // conv (pad 1, stride 1) -> max pool -> conv (stride 2) -> avg pool -> flatten -> dense -> softmax
  check(Case{{2, 9, 9}, {conv(3, 3, 1, 1, Activation::Tanh), pool(LayerType::MaxPool, 2, 2), conv(4, 2, 2, 0, Activation::Sigmoid),
                         pool(LayerType::AvgPool, 2, 1), flatten(), dense(5, Activation::LeakyRelu), dense(3, Activation::Softmax)},
             LossType::SoftmaxCrossEntropy, true, 3}, 31);
  // conv with ReLU straight into dense (implicit flatten), overlapping max pool windows
  check(Case{{1, 7, 8}, {conv(2, 3, 1, 0, Activation::Relu), pool(LayerType::MaxPool, 3, 1), dense(3, Activation::Tanh),
                         dense(1, Activation::Linear)}, LossType::SquaredError, false, 2}, 32);
  // conv stride 2 with padding, average pool with stride > 1
  check(Case{{3, 8, 8}, {conv(2, 3, 2, 1, Activation::Linear), pool(LayerType::AvgPool, 2, 2), dense(2, Activation::Sigmoid)},
             LossType::HalfSquaredError, true, 2}, 33);
}

TEST(EngineGrad, StepNeuronHasZeroGradient) {
  Net net;
  const int in[3] = {2, 1, 1};
  ASSERT_EQ(net.setup(in, {dense(3, Activation::Step), dense(1, Activation::Sigmoid)}, LossType::SquaredError, true, 4), "");
  Workspace ws;
  net.make_workspace(&ws, 4);
  std::vector<float> p(net.param_count, 0.3f), g(net.param_count, 1.0f);
  std::vector<float> x = {0.5f, -1, 1, 2, -0.3f, 0.2f, 1, 1}, y = {1, 0, 1, 0};
  net.forward(ws, p.data(), x.data(), 4);
  net.encode_targets(ws, y.data(), 4);
  net.loss_and_output_grad(ws);
  net.backward(ws, p.data(), g.data());
  for (size_t j = 0; j < net.plan[0].nw + net.plan[0].nb; ++j) EXPECT_EQ(g[j], 0.0f);  // step: flat
  EXPECT_NE(g[net.plan[1].w_off], 0.0f);                                              // the sigmoid layer learns
}

// The lecture's 2-layer sigmoid network (input x_i, hidden b_j = f(a_j), output z~ = f(c), E = (z~ - z)^2):
// dE/dv_j = 2 z~(1-z~)(z~-z) b_j and dE/dw_ij = 2 z~(1-z~)(z~-z) v_j b_j(1-b_j) x_i.
TEST(EngineGrad, LectureClosedForms) {
  det::Rng r(7);
  for (int trial = 0; trial < 20; ++trial) {
    const int n = 1 + (int)r.below(4), m = 1 + (int)r.below(5);
    Net net;
    const int in[3] = {n, 1, 1};
    ASSERT_EQ(net.setup(in, {dense(m, Activation::Sigmoid), dense(1, Activation::Sigmoid)}, LossType::SquaredError, false, 1), "");
    Workspace ws;
    net.make_workspace(&ws, 1);
    std::vector<float> p(net.param_count), g(net.param_count), x(n);
    for (float& v : p) v = (float)r.range(-2, 2);
    for (float& v : x) v = (float)r.range(-2, 2);
    const float z = (float)r.uniform();
    net.forward(ws, p.data(), x.data(), 1);
    net.encode_targets(ws, &z, 1);
    net.loss_and_output_grad(ws);
    net.backward(ws, p.data(), g.data());
    const LayerPlan &h = net.plan[0], &o = net.plan[1];
    std::vector<double> b(m);
    for (int j = 0; j < m; ++j) {
      double a = p[h.b_off + j];
      for (int i = 0; i < n; ++i) a += (double)p[h.w_off + (size_t)j * n + i] * x[i];
      b[j] = 1 / (1 + std::exp(-a));
    }
    double c = p[o.b_off];
    for (int j = 0; j < m; ++j) c += (double)p[o.w_off + j] * b[j];
    const double zt = 1 / (1 + std::exp(-c)), d = 2 * zt * (1 - zt) * (zt - z);
    for (int j = 0; j < m; ++j) {
      const double v = p[o.w_off + j];
      EXPECT_NEAR(g[o.w_off + j], d * b[j], 1e-5 * (1 + std::fabs(d * b[j]))) << "dE/dv_" << j;
      for (int i = 0; i < n; ++i) {
        const double want = d * v * b[j] * (1 - b[j]) * x[i];
        EXPECT_NEAR(g[h.w_off + (size_t)j * n + i], want, 1e-5 * (1 + std::fabs(want))) << "dE/dw_" << i << j;
      }
      EXPECT_NEAR(g[h.b_off + j], d * v * b[j] * (1 - b[j]), 1e-5) << "dE/dw_0" << j;
    }
    EXPECT_NEAR(g[o.b_off], d, 1e-5) << "dE/dv_0";
  }
}

// A 2-2-1 sigmoid network, one example, E = (z~ - z)^2, SGD with alpha = 0.5, through a Session.
// The numbers below were worked out by hand (and checked with a calculator) from:
//   x = (1, 0.5), z = 1; w = [[0.1, 0.2], [-0.3, 0.4]] (row j = hidden unit), w_0 = (0, 0.1);
//   v = (0.5, -0.6), v_0 = 0.2.
TEST(EngineGrad, HandWorkedNetwork) {
  Config c = default_config();
  c.data.set = DataSet::User;
  c.data.user_points = {Point{1.0f, 0.5f, 1.0f}};
  c.layers = {dense(2, Activation::Sigmoid), dense(1, Activation::Sigmoid)};
  c.train.loss = LossType::SquaredError;
  c.train.learning_rate = 0.5f;
  c.train.batch = 1;
  std::string err;
  auto s = Session::create(c, &err);
  ASSERT_TRUE(s) << err;
  const float w[4] = {0.1f, 0.2f, -0.3f, 0.4f}, w0[2] = {0.0f, 0.1f}, v[2] = {0.5f, -0.6f};
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(s->set_weight(0, false, i, w[i], &err)) << err;
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(s->set_weight(0, true, i, w0[i], &err)) << err;
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(s->set_weight(1, false, i, v[i], &err)) << err;
  ASSERT_TRUE(s->set_weight(1, true, 0, 0.2f, &err)) << err;
  ASSERT_EQ(s->step(StepSize::Example).steps_done, 1);
  const LayerTrace& h = s->trace(0);
  const LayerTrace& o = s->trace(1);
  // forward: a = (0.2, 0.0), b = (0.549834, 0.5), c = 0.174917, z~ = 0.543618
  EXPECT_NEAR(h.z.data[0], 0.2, 2e-6);
  EXPECT_NEAR(h.z.data[1], 0.0, 2e-6);
  EXPECT_NEAR(h.a.data[0], 0.549834, 2e-6);
  EXPECT_NEAR(h.a.data[1], 0.5, 2e-6);
  EXPECT_NEAR(o.z.data[0], 0.174917, 2e-6);
  EXPECT_NEAR(o.a.data[0], 0.543618, 2e-6);
  // delta = 2 z~(1-z~)(z~-z) = -0.226454; dE/dv = delta * b; dE/dw_ij = delta v_j b_j(1-b_j) x_i
  EXPECT_NEAR(o.dz.data[0], -0.226454, 2e-6);
  EXPECT_NEAR(o.dw.data[0], -0.124512, 2e-6);
  EXPECT_NEAR(o.dw.data[1], -0.113227, 2e-6);
  EXPECT_NEAR(o.db.data[0], -0.226454, 2e-6);
  EXPECT_NEAR(h.dw.data[0], -0.028026, 2e-6);
  EXPECT_NEAR(h.dw.data[1], -0.014013, 2e-6);
  EXPECT_NEAR(h.dw.data[2], 0.033968, 2e-6);
  EXPECT_NEAR(h.dw.data[3], 0.016984, 2e-6);
  // updated: w - 0.5 * dE/dw
  EXPECT_NEAR(o.w.data[0], 0.5 + 0.5 * 0.124512, 2e-6);
  EXPECT_NEAR(o.w.data[1], -0.6 + 0.5 * 0.113227, 2e-6);
  EXPECT_NEAR(o.b.data[0], 0.2 + 0.5 * 0.226454, 2e-6);
  EXPECT_NEAR(h.w.data[0], 0.1 + 0.5 * 0.028026, 2e-6);
  EXPECT_NEAR(h.w.data[3], 0.4 - 0.5 * 0.016984, 2e-6);
  EXPECT_NEAR(h.b.data[1], 0.1 - 0.5 * 0.033968, 2e-6);
  EXPECT_NEAR(h.db.data[0], -0.028026, 2e-6);
  EXPECT_NEAR(h.db.data[1], 0.033968, 2e-6);
}
