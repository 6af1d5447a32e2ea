// Helpers shared by the state tests and the state fuzz targets (so no GoogleTest here): bitwise
// Config comparison after dropping the per-layer fields that do not apply to a layer's type (share
// links do not carry them), and a few valid configurations. Test-only.
#pragma once
#include <cstring>
#include <string>
#include "nnplay/config.h"

namespace nnplay::testing_state {

inline bool bits_eq(float a, float b) { return std::memcmp(&a, &b, 4) == 0; }

inline LayerSpec canon(LayerSpec l) {
  LayerSpec d;
  if (l.type != LayerType::Dense) l.units = d.units;
  if (l.type != LayerType::Conv) { l.filters = d.filters; l.kernel = d.kernel; l.stride = d.stride; l.pad = d.pad; }
  if (l.type != LayerType::MaxPool && l.type != LayerType::AvgPool) { l.pool = d.pool; l.pool_stride = d.pool_stride; }
  if (l.type != LayerType::Dense && l.type != LayerType::Conv && l.type != LayerType::BatchNorm) { l.act = d.act; l.leak = d.leak; }
  if (l.type != LayerType::Dropout) l.rate = d.rate;
  return l;
}

// "" when equal, else the first differing field.
inline std::string config_diff(const Config& a, const Config& b) {
#define NNP_CMP(x) if (!(a.x == b.x)) return #x;
#define NNP_CMPF(x) if (!bits_eq(a.x, b.x)) return #x;
  NNP_CMP(data.set) NNP_CMPF(data.noise) NNP_CMP(data.train_percent) NNP_CMP(data.points) NNP_CMP(data.classes)
  NNP_CMP(data.features) NNP_CMP(data.user_points.size())
  for (size_t i = 0; i < a.data.user_points.size(); ++i) {
    NNP_CMPF(data.user_points[i].x1) NNP_CMPF(data.user_points[i].x2) NNP_CMPF(data.user_points[i].label)
  }
  NNP_CMP(layers.size())
  for (size_t i = 0; i < a.layers.size(); ++i) {
    LayerSpec x = canon(a.layers[i]), y = canon(b.layers[i]);
    if (x.type != y.type || x.units != y.units || x.act != y.act || !bits_eq(x.leak, y.leak) || x.filters != y.filters ||
        x.kernel != y.kernel || x.stride != y.stride || x.pad != y.pad || x.pool != y.pool || x.pool_stride != y.pool_stride ||
        !bits_eq(x.rate, y.rate))
      return "layers[" + std::to_string(i) + "]";
  }
  NNP_CMP(train.loss) NNP_CMP(train.optimizer) NNP_CMPF(train.learning_rate) NNP_CMPF(train.momentum)
  NNP_CMPF(train.beta1) NNP_CMPF(train.beta2) NNP_CMPF(train.epsilon) NNP_CMP(train.reg) NNP_CMPF(train.reg_rate)
  NNP_CMP(train.batch) NNP_CMP(train.init) NNP_CMPF(train.init_range) NNP_CMP(seed)
#undef NNP_CMP
#undef NNP_CMPF
  return "";
}

// A few valid configurations beyond the default: multi-class, regression, a CNN, odd floats.
inline Config multiclass_config() {
  Config c = default_config();
  c.data.set = DataSet::Blobs;
  c.data.classes = 4;
  c.data.noise = 12.5f;
  c.data.features = 0b1111111;
  c.layers = {LayerSpec{}, LayerSpec{}, LayerSpec{}};
  c.layers[0].units = 8; c.layers[0].act = Activation::Relu;
  c.layers[1].units = 5; c.layers[1].act = Activation::LeakyRelu; c.layers[1].leak = 0.2f;
  c.layers[2].units = 4; c.layers[2].act = Activation::Softmax;
  //        loss                           optimizer         lr      mom   beta1  beta2   eps    reg                   rate    batch init
  c.train = {LossType::SoftmaxCrossEntropy, Optimizer::Adam, 0.001f, 0.9f, 0.85f, 0.999f, 1e-8f, Regularization::L2, 0.003f, 17, Init::He};
  c.seed = 18446744073709551615ull;
  return c;
}

inline Config regression_config() {
  Config c = default_config();
  c.data.set = DataSet::RegPlane;
  c.data.train_percent = 70;
  c.data.points = 300;
  c.layers.resize(2);
  c.layers[0].units = 3; c.layers[0].act = Activation::Sigmoid;
  c.layers[1].units = 1; c.layers[1].act = Activation::Linear;
  c.train.loss = LossType::SquaredError;
  c.train.optimizer = Optimizer::Momentum;
  c.train.momentum = 0.5f;
  c.train.init = Init::Uniform;
  c.train.init_range = 0.25f;
  c.seed = 42;
  return c;
}

inline Config user_points_config() {
  Config c = default_config();
  c.data.set = DataSet::User;
  c.data.user_points = {{-0.0f, 1.0e-40f, 0}, {5.9999995f, -6.0f, 1}, {0.1f, 1.17549435e-38f, 1}, {3.14159274f, -2.71828175f, 0}};
  c.train.learning_rate = 0.1f;
  return c;
}

inline Config cnn_config() {
  Config c = default_config();
  c.data.set = DataSet::Digits;
  c.data.points = 200;
  LayerSpec conv; conv.type = LayerType::Conv; conv.filters = 4; conv.kernel = 5; conv.stride = 1; conv.pad = 0; conv.act = Activation::Relu;
  LayerSpec pool; pool.type = LayerType::MaxPool; pool.pool = 2; pool.pool_stride = 2;
  LayerSpec conv2 = conv; conv2.filters = 6; conv2.kernel = 3; conv2.stride = 2; conv2.pad = 1; conv2.act = Activation::LeakyRelu; conv2.leak = 0.05f;
  LayerSpec avg; avg.type = LayerType::AvgPool; avg.pool = 2; avg.pool_stride = 1;
  LayerSpec flat; flat.type = LayerType::Flatten;
  LayerSpec fc; fc.units = 16; fc.act = Activation::Tanh;
  LayerSpec out; out.units = 10; out.act = Activation::Softmax;
  c.layers = {conv, pool, conv2, avg, flat, fc, out};
  c.train.loss = LossType::SoftmaxCrossEntropy;
  c.train.batch = 8;
  return c;
}

}  // namespace nnplay::testing_state
