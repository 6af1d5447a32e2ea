// Training-step workloads on nnplay::Session for the benchmark (see bench_steps.h).
#include "bench_steps.h"
#include <cstdio>

namespace bench {
namespace {
using namespace nnplay;

LayerSpec dense(int units, Activation act) { LayerSpec l; l.type = LayerType::Dense; l.units = units; l.act = act; return l; }
LayerSpec conv(int filters, int k, Activation act) {
  LayerSpec l; l.type = LayerType::Conv; l.filters = filters; l.kernel = k; l.stride = 1; l.pad = 0; l.act = act; return l;
}
LayerSpec maxpool2() { LayerSpec l; l.type = LayerType::MaxPool; l.pool = 2; l.pool_stride = 2; return l; }
LayerSpec flatten() { LayerSpec l; l.type = LayerType::Flatten; return l; }

// 2,000 generated digits, 80% for training: 50 batches of 32 per epoch, so the step loop walks
// through real, reshuffled data rather than one cached batch.
Config digits_config() {
  Config c = default_config();
  c.data.set = DataSet::Digits;
  c.data.points = 2000;
  c.data.train_percent = 80;
  c.train.loss = LossType::SoftmaxCrossEntropy;
  c.train.optimizer = Optimizer::Sgd;
  c.train.learning_rate = 0.01f;
  c.train.batch = 32;
  c.train.init = Init::He;
  return c;
}
}  // namespace

Config mlp_784_128_10() {
  Config c = digits_config();
  c.layers = {dense(128, Activation::Relu), dense(10, Activation::Softmax)};
  return c;
}

Config lenet5() {
  Config c = digits_config();
  c.layers = {conv(6, 5, Activation::Relu), maxpool2(), conv(16, 5, Activation::Relu), maxpool2(), flatten(),
              dense(120, Activation::Relu), dense(84, Activation::Relu), dense(10, Activation::Softmax)};
  return c;
}

Config lenet5_page() {
  Config c = lenet5();
  c.layers[0].pad = 2;
  c.train.optimizer = Optimizer::Adam;
  c.train.learning_rate = 0.001f;
  return c;
}

Config playground_2_8_8_1() {
  Config c = default_config();
  c.data.set = DataSet::Xor;
  c.data.points = 500;
  c.data.features = 0b11;
  c.layers = {dense(8, Activation::Tanh), dense(8, Activation::Tanh), dense(1, Activation::Tanh)};
  c.train.loss = LossType::SquaredError;
  c.train.optimizer = Optimizer::Sgd;
  c.train.learning_rate = 0.03f;
  c.train.batch = 10;
  return c;
}

SessionStep::SessionStep(const Config& c) : cfg(c) {
  s = Session::create(cfg, &error);
  if (!s) std::fprintf(stderr, "bench: Session::create failed: %s\n", error.c_str());
}

void SessionStep::step() {
  if (s->step(StepSize::Batch, 1).status != StepStatus::Ok) s->reset(cfg.seed + 1 + s->step_count());
}

}  // namespace bench
