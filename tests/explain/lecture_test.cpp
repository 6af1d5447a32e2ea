// Explain tests, backprop: the lecture's 2-layer sigmoid walk-through (closed forms == chain
// products == the engine's gradient == numeric gradients; the 1/2 convention; the update) and the
// formula panel / conv explainer on dense and conv networks. Standalone tutorial helpers: helpers_test.cpp.
// Tolerances: chain products vs the engine: bit-identical (EXPECT_EQ). Closed forms (double) vs the
// float chain: relative 2e-6. Analytic vs numeric (double central difference): relative 1e-3 of
// max(|numeric|, 1e-4) for the float engine values (float forward rounding dominates).
#include <gtest/gtest.h>
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>
#include "nnplay/config.h"
#include "nnplay/dataset.h"
#include "nnplay/explain.h"
#include "src/detmath.h"
#include "nnplay/session.h"

namespace {
using namespace nnplay;
using namespace nnplay::explain;

LayerSpec dense(int units, Activation act) { LayerSpec l; l.type = LayerType::Dense; l.units = units; l.act = act; return l; }
LayerSpec conv(int filters, int k, int stride, int pad, Activation act) {
  LayerSpec l; l.type = LayerType::Conv; l.filters = filters; l.kernel = k; l.stride = stride; l.pad = pad; l.act = act; return l;
}
LayerSpec pool(LayerType t, int p, int s) { LayerSpec l; l.type = t; l.pool = p; l.pool_stride = s; return l; }
LayerSpec flatten() { LayerSpec l; l.type = LayerType::Flatten; return l; }

// Test data from the engine's splitmix64 (detmath.h), as doubles in (a, b).
struct Rand {
  det::Rng r;
  explicit Rand(uint64_t seed) : r(seed) {}
  double uniform(double a, double b) { return r.range(a, b); }
  int below(int n) { return (int)r.below((uint32_t)n); }
};

// A config on generated 2-D data with uniform random init in (-r, r).
Config config2d(DataSet set, std::vector<LayerSpec> layers, LossType loss, uint64_t seed, float r = 1.5f) {
  Config c = default_config();
  c.data.set = set;
  c.data.points = 60;
  c.layers = std::move(layers);
  c.train.loss = loss;
  c.train.init = Init::Uniform;
  c.train.init_range = r;
  c.train.learning_rate = 0.3f;
  c.train.batch = 5;
  c.seed = seed;
  return c;
}

std::unique_ptr<Session> make(const Config& c) {
  std::string err;
  auto s = Session::create(c, &err);
  EXPECT_TRUE(s) << err;
  return s;
}
std::unique_ptr<Session> make(const Config& c, Dataset d) {
  std::string err;
  auto s = Session::create(c, std::move(d), &err);
  EXPECT_TRUE(s) << err;
  return s;
}

// Random biases too (the engine starts them at 0), so every term of the chain is exercised.
void randomize_biases(Session& s, Rand& r) {
  for (int l = 0; l < s.layer_count(); ++l) {
    const size_t nb = s.trace(l).b.size();
    for (size_t i = 0; i < nb; ++i) {
      std::string e;
      ASSERT_TRUE(s.set_weight(l, true, i, (float)r.uniform(-0.8, 0.8), &e)) << e;
    }
  }
}

// A hand-made data set: n examples of shape (C,H,W) with values in (-1, 1), labels 0..classes-1
// (classes 0: regression targets in (-1, 1)).
Dataset images(int n, int C, int H, int W, int classes, Rand& r) {
  Dataset d;
  d.input_shape[0] = C; d.input_shape[1] = H; d.input_shape[2] = W;
  d.input_size = C * H * W;
  d.classification = classes > 0;
  d.outputs = classes > 2 ? classes : 1;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < d.input_size; ++j) d.train_x.push_back((float)r.uniform(-1, 1));
    d.train_y.push_back(classes > 0 ? (float)r.below(classes) : (float)r.uniform(-1, 1));
  }
  d.test_x = d.train_x;
  d.test_y = d.train_y;
  return d;
}

// |a - ref| <= rel * |ref|: relative error, no absolute slack.
::testing::AssertionResult near_rel(double a, double ref, double rel) {
  if (std::fabs(a - ref) <= rel * std::fabs(ref)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << a << " vs " << ref << " (rel " << std::fabs(a - ref) / std::fabs(ref) << " > " << rel << ")";
}
// Loose check for numeric gradients: relative error, with a floor on the scale for near-zero values.
::testing::AssertionResult near_num(double a, double num, double rel, double floor) {
  const double scale = std::fmax(std::fabs(num), floor);
  if (std::fabs(a - num) <= rel * scale) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << a << " vs numeric " << num << " (err " << std::fabs(a - num) / scale << " of scale " << scale << ")";
}


std::unique_ptr<Session> lecture_session(uint64_t seed, int m, LossType loss) {
  auto s = make(config2d(DataSet::Circle, {dense(m, Activation::Sigmoid), dense(1, Activation::Sigmoid)}, loss, seed));
  if (!s) return s;
  Rand r(seed * 77 + 1);
  randomize_biases(*s, r);
  return s;
}

// Checks every relation of one lecture walk-through.
void check_lecture(const LectureBackprop& f) {
  const int n = f.n, m = f.m;
  ASSERT_EQ(f.x.size(), (size_t)n + 1);
  EXPECT_EQ(f.x[0], 1.0);
  EXPECT_EQ(f.b[0], 1.0);
  // forward relations (double from the engine's floats; the engine sums in float)
  for (int j = 1; j <= m; ++j) {
    double a = f.w.at(0, j);
    for (int i = 1; i <= n; ++i) a += f.w.at(i, j) * f.x[i];
    EXPECT_NEAR(f.a[j], a, 1e-5 * (1 + std::fabs(a)));
    EXPECT_NEAR(f.b[j], 1 / (1 + std::exp(-f.a[j])), 1e-6);
  }
  double c = f.v[0];
  for (int j = 1; j <= m; ++j) c += f.v[j] * f.b[j];
  EXPECT_NEAR(f.c, c, 1e-5 * (1 + std::fabs(c)));
  EXPECT_NEAR(f.zt, 1 / (1 + std::exp(-f.c)), 1e-6);
  EXPECT_TRUE(f.z == 0.0 || f.z == 1.0);
  for (const LectureGrads* g : {&f.square, &f.half}) {
    const double K = g->loss == LossType::SquaredError ? 2 : 1;
    EXPECT_DOUBLE_EQ(g->E, (K / 2) * (f.zt - f.z) * (f.zt - f.z));
    for (int j = 0; j <= m; ++j) {
      EXPECT_TRUE(near_rel(g->dv[j], g->dv_closed[j], 2e-6)) << "dv_" << j;
      EXPECT_TRUE(near_num(g->dv[j], g->dv_numeric[j], 1e-3, 1e-4)) << "dv_" << j;
      if (g->has_engine) EXPECT_EQ(g->dv[j], g->dv_engine[j]) << "dv_" << j;
    }
    for (int j = 1; j <= m; ++j)
      for (int i = 0; i <= n; ++i) {
        EXPECT_TRUE(near_rel(g->dw.at(i, j), g->dw_closed.at(i, j), 2e-6)) << "dw_" << i << j;
        EXPECT_TRUE(near_num(g->dw.at(i, j), g->dw_numeric.at(i, j), 1e-3, 1e-4)) << "dw_" << i << j;
        if (g->has_engine) EXPECT_EQ(g->dw.at(i, j), g->dw_engine.at(i, j)) << "dw_" << i << j;
        EXPECT_EQ(g->w_new.at(i, j), (double)((float)f.w.at(i, j) - (float)f.alpha * (float)g->dw.at(i, j)));
      }
    if (g->has_engine) {
      EXPECT_EQ(g->dE_dzt, g->engine_dE_dzt);
      EXPECT_EQ(g->dE_dc, g->engine_dE_dc);
      for (int j = 1; j <= m; ++j) {
        EXPECT_EQ(g->dE_db[j], g->engine_dE_db[j]);
        EXPECT_EQ(g->dE_da[j], g->engine_dE_da[j]);
      }
    }
  }
  EXPECT_EQ(f.used().has_engine, true);
  // The 1/2 convention: the factor 2 disappears, exactly (scaling by 2 is exact in binary).
  EXPECT_EQ(f.square.E, 2 * f.half.E);
  EXPECT_EQ(f.square.dE_dzt, 2 * f.half.dE_dzt);
  for (int j = 0; j <= m; ++j) {
    EXPECT_EQ(f.square.dv[j], 2 * f.half.dv[j]);
    EXPECT_TRUE(near_num(f.square.dv_numeric[j], 2 * f.half.dv_numeric[j], 1e-6, 1e-6));
  }
  for (int j = 1; j <= m; ++j)
    for (int i = 0; i <= n; ++i) EXPECT_EQ(f.square.dw.at(i, j), 2 * f.half.dw.at(i, j));
}
}  // namespace

TEST(ExplainLecture, ClosedFormsEqualChainEqualEngineEqualNumeric) {
  for (uint64_t seed = 1; seed <= 6; ++seed)
    for (LossType loss : {LossType::SquaredError, LossType::HalfSquaredError}) {
      auto s = lecture_session(seed, 2 + (int)seed % 3, loss);
      ASSERT_TRUE(s);
      s->step(StepSize::Batch, (int)seed);  // some training first: weights off their init
      Rand r(seed);
      for (int k = 0; k < 4; ++k) {
        const ExampleRef ex{k == 3, r.below(k == 3 ? s->data().test_count() : s->data().train_count())};
        LectureBackprop f;
        ASSERT_EQ(lecture_backprop(*s, ex, &f), "");
        EXPECT_EQ(f.session_loss, loss);
        EXPECT_EQ(f.n, 2);
        SCOPED_TRACE("seed " + std::to_string(seed) + " example " + std::to_string(ex.index));
        check_lecture(f);
      }
    }
}

TEST(ExplainLecture, MappingAndUpdateMatchAOneExampleEngineStep) {
  // A training set of one example: a one-example step uses exactly it, so the engine's batch
  // gradient (trace dw/db) and its SGD update are checked against the walk-through bit for bit.
  for (uint64_t seed = 1; seed <= 4; ++seed)
    for (LossType loss : {LossType::SquaredError, LossType::HalfSquaredError}) {
      Rand r(seed * 31);
      Dataset d = images(1, 3, 1, 1, 2, r);  // 3 inputs, two-class
      Config c = config2d(DataSet::User, {dense(3, Activation::Sigmoid), dense(1, Activation::Sigmoid)}, loss, seed);
      c.train.learning_rate = 0.7f;
      c.train.batch = 1;
      auto s = make(c, d);
      ASSERT_TRUE(s);
      randomize_biases(*s, r);
      LectureBackprop f;
      ASSERT_EQ(lecture_backprop(*s, ExampleRef{false, 0}, &f), "");
      ASSERT_EQ(f.n, 3);
      ASSERT_EQ(f.m, 3);
      check_lecture(f);
      std::vector<float> p(s->parameter_count());
      s->parameters(p.data());
      const int n = 3, m = 3;
      for (int j = 1; j <= m; ++j) {  // the documented mapping
        for (int i = 1; i <= n; ++i) EXPECT_EQ(f.w.at(i, j), p[(j - 1) * n + (i - 1)]);
        EXPECT_EQ(f.w.at(0, j), p[m * n + (j - 1)]);
        EXPECT_EQ(f.v[j], p[m * n + m + (j - 1)]);
      }
      EXPECT_EQ(f.v[0], p[m * n + 2 * m]);
      ASSERT_EQ(s->step(StepSize::Example, 1).steps_done, 1);
      const LectureGrads& g = f.used();
      const LayerTrace& T0 = s->trace(0);
      const LayerTrace& T1 = s->trace(1);
      EXPECT_EQ(s->metrics().batch_loss, g.E);
      for (int j = 1; j <= m; ++j) {
        for (int i = 1; i <= n; ++i) EXPECT_EQ(T0.dw.data[(j - 1) * n + (i - 1)], g.dw.at(i, j));
        EXPECT_EQ(T0.db.data[j - 1], g.dw.at(0, j));
        EXPECT_EQ(T1.dw.data[j - 1], g.dv[j]);
      }
      EXPECT_EQ(T1.db.data[0], g.dv[0]);
      s->parameters(p.data());
      for (int j = 1; j <= m; ++j) {
        for (int i = 1; i <= n; ++i) EXPECT_EQ(p[(j - 1) * n + (i - 1)], g.w_new.at(i, j));
        EXPECT_EQ(p[m * n + (j - 1)], g.w_new.at(0, j));
        EXPECT_EQ(p[m * n + m + (j - 1)], g.v_new[j]);
      }
      EXPECT_EQ(p[m * n + 2 * m], g.v_new[0]);
    }
}

TEST(ExplainLecture, RejectsOtherNetworks) {
  LectureBackprop f;
  auto a = make(config2d(DataSet::Circle, {dense(3, Activation::Tanh), dense(1, Activation::Sigmoid)}, LossType::SquaredError, 1));
  EXPECT_NE(lecture_backprop(*a, ExampleRef{}, &f).find("hidden layer must be dense sigmoid"), std::string::npos);
  auto b = make(config2d(DataSet::Circle, {dense(3, Activation::Sigmoid), dense(2, Activation::Sigmoid), dense(1, Activation::Sigmoid)},
                         LossType::SquaredError, 1));
  EXPECT_NE(lecture_backprop(*b, ExampleRef{}, &f).find("exactly 2 layers"), std::string::npos);
  auto c = lecture_session(1, 2, LossType::SquaredError);
  EXPECT_NE(lecture_backprop(*c, ExampleRef{false, 100000}, &f).find("outside the training set"), std::string::npos);
  EXPECT_EQ(lecture_backprop(*c, ExampleRef{false, 0}, &f), "");
}

// ---- the formula panel ----

namespace {
// Every weight/bias of every layer and every neuron: chain relations and numeric checks.
void check_network(Session& s, ExampleRef ex, int* kinks, int* checked) {
  const LossType loss = s.config().train.loss;
  for (int l = 0; l < s.layer_count(); ++l) {
    const LayerTrace& T = s.trace(l);
    const int units = T.out_shape[0] * T.out_shape[1] * T.out_shape[2];
    for (int u = 0; u < units; ++u) {
      FormulaExplain f;
      ASSERT_EQ(explain_formula(s, ex, Selection{Pick::Neuron, l, u, 0}, 3, &f), "");
      SCOPED_TRACE("layer " + std::to_string(l) + " unit " + std::to_string(u));
      EXPECT_EQ(f.value, f.a);
      const bool fused = f.output_layer && loss == LossType::SoftmaxCrossEntropy;
      if (!fused) EXPECT_EQ((float)f.dE_dz, (float)f.dE_da * (float)f.fprime);  // dE/dz = dE/da · f'(z), as the engine
      if (!f.output_layer) {
        double mag = 0;
        for (const Term& t : f.back.top) mag += std::fabs(t.product);
        mag += std::fabs(f.back.rest_sum);
        EXPECT_NEAR(f.back.sum, f.dE_da, 1e-5 * mag + 1e-30) << "dE/da = sum_k w_k dE/dz_k";
        EXPECT_EQ(f.back.count, (int)f.back.top.size() + f.back.rest_count);
        EXPECT_LE((int)f.back.top.size(), 3);
        for (size_t i = 1; i < f.back.top.size(); ++i)
          EXPECT_GE(std::fabs(f.back.top[i - 1].product), std::fabs(f.back.top[i].product));
      } else {
        EXPECT_EQ(f.back.count, 0);
      }
      for (const NumericCheck* c : {&f.check, &f.check_z}) {
        if (fused && c == &f.check) continue;  // softmax's dE/da is shown, not used
        ++*checked;
        if (c->kink) { ++*kinks; EXPECT_FALSE(c->kink_note.empty()); continue; }
        EXPECT_TRUE(near_num(c->analytic, c->numeric, 1e-3, 1e-4));
      }
    }
    std::vector<NumericCheck> cs;
    ASSERT_EQ(check_layer(s, ex, l, &cs), "");
    EXPECT_EQ(cs.size(), T.w.size() + T.b.size());
    for (size_t i = 0; i < cs.size(); ++i) {
      ++*checked;
      if (cs[i].kink) { ++*kinks; continue; }
      EXPECT_TRUE(near_num(cs[i].analytic, cs[i].numeric, 1e-3, 1e-4)) << "layer " << l << " param " << i;
    }
  }
}
}  // namespace

TEST(ExplainFormula, DenseNetworksEveryActivationAndLoss) {
  struct Case { std::vector<LayerSpec> layers; LossType loss; DataSet set; };
  LayerSpec leaky = dense(4, Activation::LeakyRelu);
  leaky.leak = 0.1f;
  const std::vector<Case> cases = {
      {{dense(4, Activation::Tanh), dense(3, Activation::Relu), dense(1, Activation::Tanh)}, LossType::HalfSquaredError, DataSet::Xor},
      {{leaky, dense(2, Activation::Sigmoid), dense(1, Activation::Sigmoid)}, LossType::SquaredError, DataSet::Circle},
      {{dense(5, Activation::Relu), dense(3, Activation::Softmax)}, LossType::SoftmaxCrossEntropy, DataSet::Blobs},
      {{dense(3, Activation::Tanh), dense(1, Activation::Linear)}, LossType::SquaredError, DataSet::RegPlane},
  };
  int kinks = 0, checked = 0;
  for (size_t ci = 0; ci < cases.size(); ++ci) {
    auto s = make(config2d(cases[ci].set, cases[ci].layers, cases[ci].loss, 10 + ci));
    ASSERT_TRUE(s);
    Rand r(ci + 5);
    randomize_biases(*s, r);
    for (int k = 0; k < 2; ++k) check_network(*s, ExampleRef{false, r.below(s->data().train_count())}, &kinks, &checked);
  }
  EXPECT_GT(checked, 300);
  EXPECT_LT(kinks, checked / 20);
}

TEST(ExplainFormula, WeightChainNumbers) {
  auto s = make(config2d(DataSet::Circle, {dense(4, Activation::Tanh), dense(1, Activation::Tanh)}, LossType::HalfSquaredError, 3));
  ASSERT_TRUE(s);
  Rand r(9);
  randomize_biases(*s, r);
  FormulaExplain f;
  ASSERT_EQ(explain_formula(*s, ExampleRef{false, 7}, Selection{Pick::Weight, 0, 2, 1}, 2, &f), "");
  const LayerTrace& T0 = s->trace(0);
  const LayerTrace& T1 = s->trace(1);
  const float x1 = s->data().train_x[7 * 2 + 1];
  EXPECT_EQ(f.value, T0.w.data[2 * 2 + 1]);
  EXPECT_EQ(f.input, x1);
  EXPECT_EQ(f.unit, 2);
  EXPECT_EQ(f.z, T0.ex_z.data[2]);
  EXPECT_EQ(f.fprime, (double)(1.0f - T0.ex_a.data[2] * T0.ex_a.data[2]));
  EXPECT_EQ(f.dE_dparam, (double)(T0.ex_dz.data[2] * x1));   // dE/dw = dE/dz · a_in
  ASSERT_EQ(f.back.count, 1);                                // one consumer: the output
  EXPECT_EQ(f.back.top[0].j, T1.w.data[2]);
  EXPECT_EQ(f.back.top[0].g, T1.ex_dz.data[0]);
  EXPECT_FALSE(f.check.kink);
  EXPECT_TRUE(near_num(f.dE_dparam, f.check.numeric, 1e-3, 1e-4));
  EXPECT_LT(f.check.rel_error, 1e-3);
  // errors as values
  EXPECT_NE(explain_formula(*s, ExampleRef{}, Selection{Pick::Weight, 5, 0, 0}, 2, &f), "");
  EXPECT_NE(explain_formula(*s, ExampleRef{}, Selection{Pick::Weight, 0, 4, 0}, 2, &f), "");
  EXPECT_NE(explain_formula(*s, ExampleRef{}, Selection{Pick::Weight, 0, 0, 2}, 2, &f), "");
  EXPECT_NE(explain_formula(*s, ExampleRef{true, -1}, Selection{}, 2, &f), "");
}

TEST(ExplainFormula, KinkIsFlagged) {
  // A ReLU unit whose pre-activation sits exactly at 0: nudging its bias crosses the kink.
  auto s = make(config2d(DataSet::Circle, {dense(2, Activation::Relu), dense(1, Activation::Tanh)}, LossType::HalfSquaredError, 4));
  ASSERT_TRUE(s);
  std::string e;
  for (size_t i = 0; i < 4; ++i) ASSERT_TRUE(s->set_weight(0, false, i, 0.0f, &e));
  ASSERT_TRUE(s->set_weight(0, true, 0, 0.0f, &e));
  ASSERT_TRUE(s->set_weight(0, true, 1, 0.5f, &e));
  FormulaExplain f;
  ASSERT_EQ(explain_formula(*s, ExampleRef{false, 0}, Selection{Pick::Bias, 0, 0, 0}, 2, &f), "");
  EXPECT_EQ(f.z, 0.0);
  EXPECT_TRUE(f.check.kink);
  EXPECT_NE(f.check.kink_note.find("relu"), std::string::npos) << f.check.kink_note;
  ASSERT_EQ(explain_formula(*s, ExampleRef{false, 0}, Selection{Pick::Bias, 0, 1, 0}, 2, &f), "");
  EXPECT_FALSE(f.check.kink) << f.check.kink_note;  // the other unit: z = 0.5, away from the kink

  // A max-pool tie: a 1x1 conv (w = 1, b = 0) copies the input, whose window holds two equal maxima.
  Rand r(3);
  Dataset d = images(1, 1, 2, 2, 0, r);
  d.train_x = {0.5f, 0.1f, 0.5f, 0.2f};
  d.test_x = d.train_x;
  Config c = config2d(DataSet::User, {conv(1, 1, 1, 0, Activation::Linear), pool(LayerType::MaxPool, 2, 2), flatten(),
                                      dense(1, Activation::Linear)}, LossType::HalfSquaredError, 5);
  auto t = make(c, d);
  ASSERT_TRUE(t);
  ASSERT_TRUE(t->set_weight(0, false, 0, 1.0f, &e));
  ASSERT_TRUE(t->set_weight(0, true, 0, 0.0f, &e));
  ASSERT_EQ(explain_formula(*t, ExampleRef{false, 0}, Selection{Pick::Weight, 0, 0, 0}, 2, &f), "");
  EXPECT_TRUE(f.check.kink);
  EXPECT_NE(f.check.kink_note.find("max pool"), std::string::npos) << f.check.kink_note;
  ASSERT_EQ(explain_formula(*t, ExampleRef{false, 0}, Selection{Pick::Weight, 3, 0, 0}, 2, &f), "");
  EXPECT_FALSE(f.check.kink) << f.check.kink_note;  // downstream of the pool: no kink on its path
}

TEST(ExplainFormula, ConvNetworksAndConvExplainer) {
  struct Case { std::vector<LayerSpec> layers; int H; };
  const std::vector<Case> cases = {
      {{conv(2, 3, 1, 1, Activation::Tanh), pool(LayerType::MaxPool, 2, 2), conv(3, 2, 1, 0, Activation::LeakyRelu), flatten(),
        dense(3, Activation::Softmax)}, 6},
      {{conv(3, 3, 2, 1, Activation::Relu), pool(LayerType::AvgPool, 2, 1), flatten(), dense(3, Activation::Softmax)}, 7},
  };
  int kinks = 0, checked = 0;
  for (size_t ci = 0; ci < cases.size(); ++ci) {
    Rand r(100 + ci);
    Dataset d = images(4, 2, cases[ci].H, cases[ci].H, 3, r);
    Config c = config2d(DataSet::User, cases[ci].layers, LossType::SoftmaxCrossEntropy, 20 + ci, 0.8f);
    auto s = make(c, d);
    ASSERT_TRUE(s);
    randomize_biases(*s, r);
    const ExampleRef ex{false, 1};
    check_network(*s, ex, &kinks, &checked);
    // conv explainer vs the engine, every conv layer
    for (int l = 0; l < s->layer_count(); ++l) {
      if (s->trace(l).type != LayerType::Conv) continue;
      ConvProblem pr;
      ASSERT_EQ(conv_problem(*s, ex, l, &pr), "");
      for (int f = 0; f < pr.F; ++f)
        for (int p = 0; p < pr.P(); ++p)
          for (int q = 0; q < pr.Q(); ++q) {
            ConvPixel px;
            ASSERT_EQ(conv_forward_pixel(pr, f, p, q, &px), "");
            ASSERT_TRUE(px.has_engine);
            EXPECT_EQ(px.z, px.engine_z) << "feature map value";
            EXPECT_EQ((int)px.taps.size(), pr.C * pr.k * pr.k);
            EXPECT_EQ(px.taps.back().running, px.sum);
            EXPECT_EQ(px.a, s->trace(l).ex_a.data[(f * pr.P() + p) * pr.Q() + q]);
          }
      // dL/dK for each kernel element == the formula panel's engine-order value and ≈ numeric
      for (int f = 0; f < pr.F; ++f)
        for (int e = 0; e < pr.C * pr.k * pr.k; ++e) {
          KernelGrad g;
          ASSERT_EQ(conv_kernel_grad(pr, f, e / (pr.k * pr.k), (e / pr.k) % pr.k, e % pr.k, &g), "");
          FormulaExplain fx;
          ASSERT_EQ(explain_formula(*s, ex, Selection{Pick::Weight, l, f, e}, 3, &fx), "");
          EXPECT_EQ(g.value, fx.dE_dparam);
          if (!fx.check.kink) EXPECT_TRUE(near_num(g.value, fx.check.numeric, 1e-3, 1e-4));
          FormulaExplain fb;
          ASSERT_EQ(explain_formula(*s, ex, Selection{Pick::Bias, l, f, 0}, 3, &fb), "");
          EXPECT_EQ(g.bias_grad, fb.dE_dparam);
        }
      // dL/dinput == the engine's gradient of the previous layer (none for layer 0)
      EXPECT_EQ(pr.engine_dx.empty(), l == 0);
      for (int cc = 0; cc < pr.C; ++cc)
        for (int iy = 0; iy < pr.H; ++iy)
          for (int ix = 0; ix < pr.W; ++ix) {
            InputGrad g;
            ASSERT_EQ(conv_input_grad(pr, cc, iy, ix, &g), "");
            EXPECT_EQ(g.has_engine, l > 0);
            if (g.has_engine) EXPECT_EQ(g.value, g.engine_value) << cc << "," << iy << "," << ix;
          }
    }
  }
  EXPECT_GT(checked, 200);
  EXPECT_LT(kinks, checked / 10);
}

TEST(ExplainConv, HandWorkedPixel) {
  // 1 channel 3x3 input, one 2x2 kernel, bias 0.5: output (0,1) = 2*1 + 3*0 + 5*(-1) + 6*2 + 0.5.
  ConvProblem pr;
  pr.C = 1; pr.H = 3; pr.W = 3; pr.F = 1; pr.k = 2;
  pr.x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  pr.w = {1, 0, -1, 2};
  pr.b = {0.5f};
  pr.dy = {1, 0, 0, 2};
  ConvPixel px;
  ASSERT_EQ(conv_forward_pixel(pr, 0, 0, 1, &px), "");
  ASSERT_EQ(px.taps.size(), 4u);
  EXPECT_EQ(px.taps[2].iy, 1);
  EXPECT_EQ(px.taps[2].ix, 1);
  EXPECT_EQ(px.taps[2].x, 5.0f);
  EXPECT_EQ(px.taps[2].product, -5.0f);
  EXPECT_EQ(px.taps[2].running, -3.0f);
  EXPECT_EQ(px.sum, 9.0f);
  EXPECT_EQ(px.z, 9.5f);
  // dL/dK[0][0][1][0] = dy(0,0) x(1,0) + dy(1,1) x(2,1) = 4 + 16
  KernelGrad kg;
  ASSERT_EQ(conv_kernel_grad(pr, 0, 0, 1, 0, &kg), "");
  EXPECT_EQ(kg.value, 20.0f);
  EXPECT_EQ(kg.bias_grad, 3.0f);
  // dL/dx(1,1) = w(1,1) dy(0,0) + w(1,0) dy(0,1) + w(0,1) dy(1,0) + w(0,0) dy(1,1) = 2 + 0 + 0 + 2
  InputGrad ig;
  ASSERT_EQ(conv_input_grad(pr, 0, 1, 1, &ig), "");
  EXPECT_EQ(ig.terms.size(), 4u);
  EXPECT_EQ(ig.value, 4.0f);
  EXPECT_FALSE(ig.has_engine);
  pr.w.pop_back();
  EXPECT_NE(conv_forward_pixel(pr, 0, 0, 0, &px), "");
}

TEST(ExplainConv, KernelGradientEqualsAOneExampleEngineStep) {
  // One training example, batch 1: the engine's batch dw/db of the conv layers after a step
  // equal the explainer's dL/dK and dL/db for that example, bit for bit.
  Rand r(77);
  Dataset d = images(1, 2, 5, 5, 3, r);
  Config c = config2d(DataSet::User, {conv(2, 3, 1, 1, Activation::Tanh), conv(2, 2, 2, 0, Activation::Sigmoid), flatten(),
                                      dense(3, Activation::Softmax)}, LossType::SoftmaxCrossEntropy, 8, 0.9f);
  c.train.batch = 1;
  auto s = make(c, d);
  ASSERT_TRUE(s);
  randomize_biases(*s, r);
  std::vector<KernelGrad> want[2];
  for (int l = 0; l < 2; ++l) {
    ConvProblem pr;
    ASSERT_EQ(conv_problem(*s, ExampleRef{false, 0}, l, &pr), "");
    for (int f = 0; f < pr.F; ++f)
      for (int e = 0; e < pr.C * pr.k * pr.k; ++e) {
        KernelGrad g;
        ASSERT_EQ(conv_kernel_grad(pr, f, e / (pr.k * pr.k), (e / pr.k) % pr.k, e % pr.k, &g), "");
        want[l].push_back(g);
      }
  }
  ASSERT_EQ(s->step(StepSize::Example, 1).steps_done, 1);
  for (int l = 0; l < 2; ++l) {
    const LayerTrace& T = s->trace(l);
    ASSERT_EQ(want[l].size(), T.dw.size());
    const size_t per = T.dw.size() / T.db.size();
    for (size_t i = 0; i < want[l].size(); ++i) {
      EXPECT_EQ(want[l][i].value, T.dw.data[i]) << "layer " << l << " w " << i;
      EXPECT_EQ(want[l][i].bias_grad, T.db.data[i / per]);
    }
  }
}
