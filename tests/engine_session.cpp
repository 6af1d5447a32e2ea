// Engine tests: sessions end to end, i.e. data sets, stepping, convergence, determinism (the
// native/wasm hash line), rewind, validation messages. Not the layer gradient checks (engine_grad.cpp).
#include <gtest/gtest.h>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>
#include "nnplay/config.h"
#include "nnplay/dataset.h"
#include "nnplay/session.h"

using namespace nnplay;

namespace {
std::unique_ptr<Session> make(const Config& c) {
  std::string err;
  auto s = Session::create(c, &err);
  EXPECT_TRUE(s) << err;
  return s;
}
LayerSpec dense(int units, Activation act) { LayerSpec l; l.type = LayerType::Dense; l.units = units; l.act = act; return l; }
}  // namespace

TEST(EngineConfig, DefaultIsTfPlayground) {
  Config c = default_config();
  EXPECT_EQ(c.data.set, DataSet::Circle);
  EXPECT_EQ(c.data.points, 500);
  EXPECT_EQ(c.data.noise, 0.0f);
  EXPECT_EQ(c.data.train_percent, 50);
  EXPECT_EQ(c.data.features, 0b11u);
  ASSERT_EQ(c.layers.size(), 3u);
  EXPECT_EQ(c.layers[0].units, 4);
  EXPECT_EQ(c.layers[1].units, 2);
  EXPECT_EQ(c.layers[2].units, 1);
  EXPECT_EQ(c.layers[2].act, Activation::Tanh);
  EXPECT_EQ(c.train.loss, LossType::HalfSquaredError);
  EXPECT_EQ(c.train.optimizer, Optimizer::Sgd);
  EXPECT_FLOAT_EQ(c.train.learning_rate, 0.03f);
  EXPECT_EQ(c.train.batch, 10);
  EXPECT_EQ(c.seed, 1u);
  EXPECT_EQ(validate(c), "");
}

TEST(EngineConfig, NamesRoundTrip) {
  for (int i = 0; i <= (int)DataSet::Digits; ++i) {
    DataSet d; ASSERT_TRUE(parse(name((DataSet)i), &d)); EXPECT_EQ((int)d, i);
  }
  for (int i = 0; i <= (int)Activation::Softmax; ++i) {
    Activation a; ASSERT_TRUE(parse(name((Activation)i), &a)); EXPECT_EQ((int)a, i);
  }
  Optimizer o;
  EXPECT_FALSE(parse("bogus", &o));
}

TEST(EngineSession, DefaultTrainsAndCounts) {
  auto s = make(default_config());
  ASSERT_TRUE(s);
  EXPECT_EQ(s->data().train_count(), 250);
  EXPECT_EQ(s->data().test_count(), 250);
  EXPECT_EQ(s->parameter_count(), 4u * 2 + 4 + 2 * 4 + 2 + 2 + 1);
  Metrics m0 = s->metrics();
  StepResult r = s->step(StepSize::Batch, 1);
  EXPECT_EQ(r.status, StepStatus::Ok);
  EXPECT_EQ(r.steps_done, 1);
  EXPECT_EQ(s->step_count(), 1);
  EXPECT_EQ(s->examples_seen(), 10);
  s->step(StepSize::Example, 3);
  EXPECT_EQ(s->examples_seen(), 13);
  r = s->step(StepSize::Epoch, 1);                    // to the end of the first epoch: 237 left = 23 batches of 10 + 7
  EXPECT_EQ(r.steps_done, 24);
  EXPECT_EQ(s->epoch(), 1);
  EXPECT_EQ(s->examples_seen(), 250);
  s->step(StepSize::Epoch, 40);
  Metrics m = s->metrics();
  EXPECT_LT(m.train_loss, m0.train_loss);
  EXPECT_GE(m.train_accuracy, 0.0);
}

// ---- convergence: bounded numbers of steps, train accuracy thresholds from the issue ----
TEST(EngineConvergence, CircleDefault98) {
  auto s = make(default_config());
  ASSERT_TRUE(s);
  s->step(StepSize::Epoch, 200);                      // 200 epochs = 5000 batch updates
  Metrics m = s->metrics();
  std::printf("circle: train acc %.4f loss %.4f, test acc %.4f\n", m.train_accuracy, m.train_loss, m.test_accuracy);
  EXPECT_GE(m.train_accuracy, 0.98);
}

TEST(EngineConvergence, Xor95) {
  Config c = default_config();
  c.data.set = DataSet::Xor;
  c.layers = {dense(8, Activation::Tanh), dense(4, Activation::Tanh), dense(1, Activation::Tanh)};
  c.train.learning_rate = 0.03f;
  auto s = make(c);
  ASSERT_TRUE(s);
  s->step(StepSize::Epoch, 200);
  Metrics m = s->metrics();
  std::printf("xor: train acc %.4f loss %.4f, test acc %.4f\n", m.train_accuracy, m.train_loss, m.test_accuracy);
  EXPECT_GE(m.train_accuracy, 0.95);
}

TEST(EngineConvergence, Spiral95) {
  Config c = default_config();
  c.data.set = DataSet::Spiral;
  c.data.features = 0b1111111;                        // all seven features, as in TF Playground's spiral demos
  c.layers = {dense(8, Activation::Tanh), dense(8, Activation::Tanh), dense(1, Activation::Tanh)};
  c.train.optimizer = Optimizer::Adam;
  c.train.learning_rate = 0.01f;
  auto s = make(c);
  ASSERT_TRUE(s);
  s->step(StepSize::Epoch, 300);
  Metrics m = s->metrics();
  std::printf("spiral: train acc %.4f loss %.4f, test acc %.4f\n", m.train_accuracy, m.train_loss, m.test_accuracy);
  EXPECT_GE(m.train_accuracy, 0.95);
}
