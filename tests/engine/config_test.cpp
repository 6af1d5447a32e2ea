// Engine tests: every invalid configuration comes back as a message naming the offending part,
// from validate() and from Session::create() alike; nothing aborts.
#include <gtest/gtest.h>
#include <cmath>
#include <functional>
#include <string>
#include "nnplay/config.h"
#include "nnplay/session.h"

using namespace nnplay;

namespace {
LayerSpec dense(int u, Activation a) { LayerSpec l; l.units = u; l.act = a; return l; }
LayerSpec conv(int f, int k) { LayerSpec l; l.type = LayerType::Conv; l.filters = f; l.kernel = k; l.act = Activation::Relu; return l; }
LayerSpec pool(int p) { LayerSpec l; l.type = LayerType::MaxPool; l.pool = p; l.pool_stride = p; return l; }
Config image_config() {
  Config c = default_config();
  c.data.set = DataSet::Digits;
  c.data.points = 50;
  c.layers = {conv(4, 5), pool(2), dense(10, Activation::Softmax)};
  c.train.loss = LossType::SoftmaxCrossEntropy;
  return c;
}
struct Bad { const char* what; std::function<void(Config&)> edit; bool image; const char* expect; };
}  // namespace

TEST(EngineValidate, EveryInvalidConfigHasItsMessage) {
  const float nan = std::nanf("");
  const std::vector<Bad> cases = {
      {"zero-size layer", [](Config& c) { c.layers[0].units = 0; }, false, "layer 1 (dense): 0 units"},
      {"units beyond limit", [](Config& c) { c.layers[1].units = kMaxUnits + 1; }, false, "layer 2 (dense): 1025 units"},
      {"no layers", [](Config& c) { c.layers.clear(); }, false, "layers: the network needs"},
      {"too many layers", [](Config& c) { c.layers.insert(c.layers.begin(), 20, dense(2, Activation::Tanh)); }, false, "beyond the limit of 16"},
      {"wrong output units", [](Config& c) { c.layers.back().units = 3; }, false, "layer 3 (output): 3 units, but the data set needs 1"},
      {"output not dense", [](Config& c) { c.layers.pop_back(); }, true, "layer 2 (output): the output layer must be dense, it is maxpool"},
      {"kernel larger than input", [](Config& c) { c.layers[0].kernel = 29; }, true, "layer 1 (conv): kernel 29x29 is larger than its input 28x28"},
      {"kernel larger after pooling", [](Config& c) { c.layers.insert(c.layers.begin() + 2, conv(2, 13)); }, true, "layer 3 (conv): kernel 13x13 is larger than its input 12x12"},
      {"pool larger than input", [](Config& c) { c.layers[1].pool = 30; }, true, "layer 2 (maxpool): window 30x30 is larger than its input 24x24"},
      {"zero filters", [](Config& c) { c.layers[0].filters = 0; }, true, "layer 1 (conv): 0 filters"},
      {"conv on flat input", [](Config& c) { c.layers.insert(c.layers.begin(), conv(2, 1)); }, false, "layer 1 (conv): needs an image input"},
      {"conv after dense", [](Config& c) { c.layers.insert(c.layers.begin(), dense(8, Activation::Relu)); }, true, "layer 2 (conv): needs an image input"},
      {"bad padding", [](Config& c) { c.layers[0].pad = 5; }, true, "layer 1 (conv): padding 5"},
      {"softmax hidden", [](Config& c) { c.layers[0].act = Activation::Softmax; }, false, "layer 1 (dense): softmax is only allowed on the output layer"},
      {"softmax without ce", [](Config& c) { c.train.loss = LossType::HalfSquaredError; }, true, "softmax output layer trains with softmaxce"},
      {"ce without softmax", [](Config& c) { c.train.loss = LossType::SoftmaxCrossEntropy; }, false, "softmax cross-entropy needs a softmax output"},
      {"NaN learning rate", [nan](Config& c) { c.train.learning_rate = nan; }, false, "train.learning_rate is NaN"},
      {"negative learning rate", [](Config& c) { c.train.learning_rate = -1; }, false, "train.learning_rate must be in [0, 10]"},
      {"infinite momentum", [](Config& c) { c.train.momentum = INFINITY; }, false, "train.momentum is infinite"},
      {"NaN beta2", [nan](Config& c) { c.train.beta2 = nan; }, false, "train.beta2 is NaN"},
      {"NaN reg rate", [nan](Config& c) { c.train.reg_rate = nan; }, false, "train.reg_rate is NaN"},
      {"NaN leak", [nan](Config& c) { c.layers[0].act = Activation::LeakyRelu; c.layers[0].leak = nan; }, false, "layer 1 (dense): leak is NaN"},
      {"NaN noise", [nan](Config& c) { c.data.noise = nan; }, false, "data.noise is NaN"},
      {"noise beyond", [](Config& c) { c.data.noise = 80; }, false, "data.noise must be in [0, 50]"},
      {"batch zero", [](Config& c) { c.train.batch = 0; }, false, "train.batch must be in [1, 1024], got 0"},
      {"batch beyond", [](Config& c) { c.train.batch = 5000; }, false, "train.batch must be in [1, 1024], got 5000"},
      {"points beyond", [](Config& c) { c.data.points = 100000; }, false, "data.points must be in [10, 5000]"},
      {"split", [](Config& c) { c.data.train_percent = 95; }, false, "data.train_percent"},
      {"classes", [](Config& c) { c.data.set = DataSet::Blobs; c.data.classes = 9; }, false, "data.classes must be in [3, 6] for blobs, got 9"},
      {"no features", [](Config& c) { c.data.features = 0; }, false, "data.features: no input feature"},
      {"user set empty", [](Config& c) { c.data.set = DataSet::User; }, false, "data.user_points: the user data set has no points"},
      {"user NaN point", [nan](Config& c) { c.data.user_points = {Point{nan, 0, 1}}; }, false, "data.user_points[0] has a NaN"},
      {"user bad label", [](Config& c) { c.data.user_points = {Point{1, 0, 3}}; }, false, "data.user_points[0] has label 3"},
      {"perceptron hidden", [](Config& c) { c.train.optimizer = Optimizer::Perceptron; }, false, "perceptron rule trains a single dense layer"},
      {"parameters beyond", [](Config& c) { c.layers = {dense(1024, Activation::Relu), dense(1024, Activation::Relu), dense(1024, Activation::Relu),
                                                        dense(1024, Activation::Relu), dense(1024, Activation::Relu), dense(1, Activation::Tanh)}; }, false, "layer 5 (dense): the network reaches 4201472 parameters, beyond the limit 4000000"},
      {"activations beyond", [](Config& c) { c.layers.insert(c.layers.begin(), conv(1024, 1)); c.train.batch = 1024; }, true, "floats of activations, beyond the limit"},
      {"enum garbage", [](Config& c) { c.train.optimizer = (Optimizer)77; }, false, "train.optimizer: unknown optimizer"},
      {"act garbage", [](Config& c) { c.layers[0].act = (Activation)99; }, false, "layer 1 (dense): unknown activation"},
  };
  for (const Bad& b : cases) {
    SCOPED_TRACE(b.what);
    Config c = b.image ? image_config() : default_config();
    ASSERT_EQ(validate(c), "");
    b.edit(c);
    const std::string m = validate(c);
    EXPECT_NE(m.find(b.expect), std::string::npos) << "got: '" << m << "'";
    std::string err;
    auto s = Session::create(c, &err);
    EXPECT_FALSE(s);
    EXPECT_EQ(err, m);
  }
}

TEST(EngineValidate, ValidEdgesPass) {
  Config c = default_config();
  c.train.learning_rate = 0;                           // allowed: a frozen network (gradient inspection)
  c.layers = {dense(1, Activation::Sigmoid)};
  EXPECT_EQ(validate(c), "");
  c.layers = {dense(2, Activation::Softmax)};          // two classes through a 2-unit softmax
  c.train.loss = LossType::SoftmaxCrossEntropy;
  EXPECT_EQ(validate(c), "");
  std::string err;
  auto s = Session::create(c, &err);
  ASSERT_TRUE(s) << err;
  s->step(StepSize::Epoch, 20);
  EXPECT_GT(s->metrics().train_accuracy, 0.3);
  std::string e;
  EXPECT_FALSE(s->set_weight(5, false, 0, 1, &e));
  EXPECT_NE(e.find("no layer 5"), std::string::npos);
  EXPECT_FALSE(s->set_weight(0, false, 99, 1, &e));
  EXPECT_NE(e.find("out of range"), std::string::npos);
  EXPECT_FALSE(s->set_weight(0, true, 0, NAN, &e));
  EXPECT_NE(e.find("NaN"), std::string::npos);
}

TEST(EngineValidate, CallerSuppliedData) {
  Dataset d;
  d.input_size = 2; d.input_shape[0] = 2; d.input_shape[1] = 1; d.input_shape[2] = 1;
  d.train_x = {0, 1, 1, 0, 1, 1, 0, 0};
  d.train_y = {1, 1, 0, 0};
  std::string err;
  Config c = default_config();
  auto s = Session::create(c, d, &err);
  ASSERT_TRUE(s) << err;
  s->step(StepSize::Epoch, 5);
  EXPECT_EQ(s->step_count(), 5);
  d.train_y[0] = 7;
  EXPECT_FALSE(Session::create(c, d, &err));
  EXPECT_NE(err.find("class label"), std::string::npos) << err;
  d.train_y[0] = 1;
  d.train_x.pop_back();
  EXPECT_FALSE(Session::create(c, d, &err));
  EXPECT_NE(err.find("different counts"), std::string::npos) << err;
}
