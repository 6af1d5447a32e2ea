// LeNet-shape tests on the generated image sets through the public Session API: the layer
// shapes and parameter counts of LeNet-5 (with and without padding) on Digits, and a tiny CNN
// that learns Shapes and Digits. Not the conv/pool gradient checks (the engine's tests).
#include <gtest/gtest.h>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include "nnplay/config.h"
#include "nnplay/dataset.h"
#include "nnplay/session.h"
#include "../engine/test_util.h"

using namespace nnplay;

namespace {

LayerSpec conv(int filters, int kernel, int pad, Activation act) {
  LayerSpec l;
  l.type = LayerType::Conv; l.filters = filters; l.kernel = kernel; l.stride = 1; l.pad = pad; l.act = act;
  return l;
}
LayerSpec pool(LayerType t) { LayerSpec l; l.type = t; l.pool = 2; l.pool_stride = 2; return l; }
LayerSpec flatten() { LayerSpec l; l.type = LayerType::Flatten; return l; }
LayerSpec dense(int units, Activation act) { LayerSpec l; l.type = LayerType::Dense; l.units = units; l.act = act; return l; }

// The training both CNNs here use: softmax cross-entropy, Adam at `lr`, He init, batches of 32.
void cnn_training(Config* c, float lr) {
  c->train = TrainSpec{LossType::SoftmaxCrossEntropy, Optimizer::Adam, lr};
  c->train.init = Init::He;
  c->train.batch = 32;
}

// LeNet-5: conv 6@5x5, pool, conv 16@5x5, pool, dense 120, 84, 10 (softmax).
Config lenet5(int pad1, DataSet set, int points) {
  Config c = default_config();
  c.data.set = set;
  c.data.points = points;
  c.data.train_percent = 80;
  c.layers = {conv(6, 5, pad1, Activation::Relu), pool(LayerType::MaxPool), conv(16, 5, 0, Activation::Relu),
              pool(LayerType::MaxPool), flatten(), dense(120, Activation::Relu), dense(84, Activation::Relu),
              dense(10, Activation::Softmax)};
  cnn_training(&c, 0.002f);
  return c;
}

void expect_shape(const LayerTrace& t, int c0, int c1, int c2, int o0, int o1, int o2, int layer) {
  EXPECT_EQ(t.in_shape[0], c0) << "layer " << layer;
  EXPECT_EQ(t.in_shape[1], c1) << "layer " << layer;
  EXPECT_EQ(t.in_shape[2], c2) << "layer " << layer;
  EXPECT_EQ(t.out_shape[0], o0) << "layer " << layer;
  EXPECT_EQ(t.out_shape[1], o1) << "layer " << layer;
  EXPECT_EQ(t.out_shape[2], o2) << "layer " << layer;
}

}  // namespace

// The classic LeNet-5 on 28x28: padding 2 keeps 28x28 after conv 1, so 16x5x5 = 400 reach dense 120.
TEST(ImagesLeNet, LeNet5ShapesAndParameterCountOnDigits) {
  std::string err;
  auto s = Session::create(lenet5(2, DataSet::Digits, 200), &err);
  ASSERT_TRUE(s) << err;
  ASSERT_EQ(s->layer_count(), 8);
  EXPECT_EQ(s->data().input_shape[0], 1);
  EXPECT_EQ(s->data().input_shape[1], 28);
  EXPECT_EQ(s->data().input_shape[2], 28);
  EXPECT_EQ(s->data().outputs, 10);
  expect_shape(s->trace(0), 1, 28, 28, 6, 28, 28, 0);
  expect_shape(s->trace(1), 6, 28, 28, 6, 14, 14, 1);
  expect_shape(s->trace(2), 6, 14, 14, 16, 10, 10, 2);
  expect_shape(s->trace(3), 16, 10, 10, 16, 5, 5, 3);
  expect_shape(s->trace(4), 16, 5, 5, 400, 1, 1, 4);
  expect_shape(s->trace(5), 400, 1, 1, 120, 1, 1, 5);
  expect_shape(s->trace(6), 120, 1, 1, 84, 1, 1, 6);
  expect_shape(s->trace(7), 84, 1, 1, 10, 1, 1, 7);
  const LayerTrace& c1 = s->trace(0);
  ASSERT_EQ(c1.w.rank, 4);
  EXPECT_EQ(c1.w.shape[0], 6); EXPECT_EQ(c1.w.shape[1], 1); EXPECT_EQ(c1.w.shape[2], 5); EXPECT_EQ(c1.w.shape[3], 5);
  EXPECT_EQ(s->trace(2).w.size(), 16u * 6u * 25u);
  EXPECT_EQ(s->trace(5).w.size(), 120u * 400u);
  EXPECT_EQ(s->parameter_count(), (6u * 25 + 6) + (16u * 6 * 25 + 16) + (400u * 120 + 120) + (120u * 84 + 84) + (84u * 10 + 10));
  EXPECT_EQ(s->parameter_count(), 61706u);
  // One batch step fills the batch trace with its shapes: (B, C, P, Q) for conv.
  ASSERT_EQ(s->step(StepSize::Batch, 1).status, StepStatus::Ok);
  const LayerTrace& t = s->trace(0);
  expect_shape(t.a, {32, 6, 28, 28});
  ASSERT_NE(s->trace(1).argmax, nullptr);              // max-pool routing is exposed
}

// Without padding: 24 -> 12 -> 8 -> 4, so 16x4x4 = 256 reach dense 120.
TEST(ImagesLeNet, LeNet5WithoutPaddingShapes) {
  std::string err;
  auto s = Session::create(lenet5(0, DataSet::Digits, 100), &err);
  ASSERT_TRUE(s) << err;
  expect_shape(s->trace(0), 1, 28, 28, 6, 24, 24, 0);
  expect_shape(s->trace(1), 6, 24, 24, 6, 12, 12, 1);
  expect_shape(s->trace(2), 6, 12, 12, 16, 8, 8, 2);
  expect_shape(s->trace(3), 16, 8, 8, 16, 4, 4, 3);
  expect_shape(s->trace(5), 256, 1, 1, 120, 1, 1, 5);
  EXPECT_EQ(s->parameter_count(), 156u + 2416u + (256u * 120 + 120) + 10164u + 850u);
}

// A kernel larger than what is left after the pools is explained, not crashed on.
TEST(ImagesLeNet, InvalidCnnOnImagesIsExplained) {
  Config c = lenet5(0, DataSet::Digits, 100);
  c.layers[2].kernel = 13;                             // 12x12 left after the first pool
  EXPECT_NE(validate(c), "");
  std::string err;
  EXPECT_FALSE(Session::create(c, &err));
  EXPECT_NE(err.find("layer 3"), std::string::npos) << err;
  EXPECT_NE(err.find("larger than its input 12x12"), std::string::npos) << err;
}

// A tiny CNN learns the shapes and the digits from 800 examples each: the images carry what a CNN
// needs. Measured 0.55 (shapes, 7 classes, chance 0.14) and 0.925 (digits) after 3 epochs,
// the same natively and in wasm.
TEST(ImagesLeNet, TinyCnnLearnsShapesAndDigits) {
  for (DataSet set : {DataSet::Shapes, DataSet::Digits}) {
    Config c = default_config();
    c.data.set = set;
    c.data.points = 1000;
    c.data.train_percent = 80;
    c.layers = {conv(8, 5, 0, Activation::Relu), pool(LayerType::MaxPool), conv(16, 5, 0, Activation::Relu),
                pool(LayerType::MaxPool), dense(set == DataSet::Digits ? 10 : 7, Activation::Softmax)};
    cnn_training(&c, 0.003f);
    std::string err;
    auto s = Session::create(c, &err);
    ASSERT_TRUE(s) << err;
    auto t0 = std::chrono::steady_clock::now();
    double before = s->metrics().test_accuracy;
    ASSERT_EQ(s->step(StepSize::Epoch, 3).status, StepStatus::Ok);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    Metrics m = s->metrics();
    std::printf("tiny CNN on %s: test accuracy %.3f -> %.3f after 3 epochs of 800 (%.1f s)\n", name(set), before,
                m.test_accuracy, secs);
    EXPECT_GE(m.test_accuracy, set == DataSet::Digits ? 0.85 : 0.42) << name(set);
  }
}
