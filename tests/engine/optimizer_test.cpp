// Engine tests: optimizers and regularization. Each update is recomputed here from the weights
// before the step and the gradient the trace shows, by the formulas documented in config.h.
#include <gtest/gtest.h>
#include <cmath>
#include <string>
#include <vector>
#include "nnplay/session.h"

using namespace nnplay;

namespace {
LayerSpec dense(int u, Activation a) { LayerSpec l; l.units = u; l.act = a; return l; }

// The gradient of the last step in parameter order, plus a mask of which entries are weights.
void grads_of(const Session& s, std::vector<float>* g, std::vector<bool>* is_w) {
  g->clear(); is_w->clear();
  for (int l = 0; l < s.layer_count(); ++l) {
    const LayerTrace& t = s.trace(l);
    for (size_t i = 0; i < t.dw.size(); ++i) { g->push_back(t.dw.data[i]); is_w->push_back(true); }
    for (size_t i = 0; i < t.db.size(); ++i) { g->push_back(t.db.data[i]); is_w->push_back(false); }
  }
}
}  // namespace

TEST(EngineOptim, UpdatesFollowTheDocumentedFormulas) {
  for (Optimizer o : {Optimizer::Sgd, Optimizer::Momentum, Optimizer::Nesterov, Optimizer::Adam})
    for (Regularization r : {Regularization::None, Regularization::L1, Regularization::L2}) {
      SCOPED_TRACE(std::string(name(o)) + " " + name(r));
      Config c = default_config();
      c.layers = {dense(3, Activation::Tanh), dense(1, Activation::Tanh)};
      c.train.optimizer = o;
      c.train.learning_rate = 0.05f;
      c.train.momentum = 0.8f;
      c.train.beta1 = 0.85f;
      c.train.beta2 = 0.99f;
      c.train.epsilon = 1e-6f;
      c.train.reg = r;
      c.train.reg_rate = 0.01f;
      std::string err;
      auto s = Session::create(c, &err);
      ASSERT_TRUE(s) << err;
      const size_t P = s->parameter_count();
      std::vector<float> w(P), w1(P), g;
      std::vector<bool> is_w;
      std::vector<float> v(P, 0.0f), m(P, 0.0f);
      float b1t = 1, b2t = 1;
      for (int step = 0; step < 6; ++step) {
        s->parameters(w.data());
        ASSERT_EQ(s->step(StepSize::Batch).steps_done, 1);
        s->parameters(w1.data());
        grads_of(*s, &g, &is_w);
        ASSERT_EQ(g.size(), P);
        b1t *= c.train.beta1;
        b2t *= c.train.beta2;
        for (size_t i = 0; i < P; ++i) {
          float gi = g[i];
          if (is_w[i] && r == Regularization::L2) gi += c.train.reg_rate * w[i];
          if (is_w[i] && r == Regularization::L1) gi += c.train.reg_rate * (float)((w[i] > 0) - (w[i] < 0));
          float want = w[i];
          switch (o) {
            case Optimizer::Sgd: want = w[i] - c.train.learning_rate * gi; break;
            case Optimizer::Momentum: v[i] = 0.8f * v[i] + gi; want = w[i] - c.train.learning_rate * v[i]; break;
            case Optimizer::Nesterov: v[i] = 0.8f * v[i] + gi; want = w[i] - c.train.learning_rate * (gi + 0.8f * v[i]); break;
            default: {
              m[i] = 0.85f * m[i] + (1 - 0.85f) * gi;
              v[i] = 0.99f * v[i] + (1 - 0.99f) * (gi * gi);
              const float mh = m[i] / (1 - b1t), vh = v[i] / (1 - b2t);
              want = w[i] - c.train.learning_rate * mh / (std::sqrt(vh) + 1e-6f);
            }
          }
          EXPECT_FLOAT_EQ(w1[i], want) << "parameter " << i << " at step " << step;
        }
      }
      if (o == Optimizer::Adam) {
        const std::vector<float> st = s->optimizer_state();
        ASSERT_EQ(st.size(), 2 * P + 2);
        EXPECT_FLOAT_EQ(st[2 * P], b1t);               // beta1^t kept for the bias correction
        EXPECT_FLOAT_EQ(st[2 * P + 1], b2t);
      }
    }
}

TEST(EngineOptim, AdamFirstStepIsLearningRateSized) {
  // With bias correction the first Adam step moves every weight with a non-zero gradient by
  // almost exactly lr (m^/sqrt(v^) = g/|g|): a wrong correction shows up at once.
  Config c = default_config();
  c.train.optimizer = Optimizer::Adam;
  c.train.learning_rate = 0.01f;
  std::string err;
  auto s = Session::create(c, &err);
  ASSERT_TRUE(s) << err;
  std::vector<float> a(s->parameter_count()), b(s->parameter_count());
  s->parameters(a.data());
  s->step(StepSize::Batch);
  s->parameters(b.data());
  int moved = 0;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) { EXPECT_NEAR(std::fabs(a[i] - b[i]), 0.01f, 1e-4f); ++moved; }
  EXPECT_GT(moved, 10);
}

TEST(EngineOptim, L2ShrinksWeightsL1SparsifiesThem) {
  auto norms = [](Regularization r, float rate) {
    Config c = default_config();
    c.layers = {dense(8, Activation::Tanh), dense(1, Activation::Tanh)};
    c.train.reg = r;
    c.train.reg_rate = rate;
    std::string err;
    auto s = Session::create(c, &err);
    s->step(StepSize::Epoch, 60);
    std::vector<float> p(s->parameter_count());
    s->parameters(p.data());
    double l2 = 0; int small = 0;
    for (size_t i = 0; i < s->trace(0).w.size(); ++i) { const float w = s->trace(0).w.data[i]; l2 += w * w; small += std::fabs(w) < 0.02f; }
    return std::make_pair(l2, small);
  };
  const auto none = norms(Regularization::None, 0), l2 = norms(Regularization::L2, 0.03f), l1 = norms(Regularization::L1, 0.03f);
  EXPECT_LT(l2.first, 0.7 * none.first);
  EXPECT_GT(l1.second, none.second);
}
