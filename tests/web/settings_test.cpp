// Tests of the page's settings by key (web/share/settings.cpp): values read as a link reads them,
// and the page's rules: the output follows the problem, hidden layers keep their settings, the
// playground's caps, activations on any network, training-only keys keep the weights.
#include <gtest/gtest.h>
#include "nnplay/state.h"
#include "share/presets.h"
#include "share/settings.h"

using namespace nnplay;
using namespace share;

TEST(Settings, ValuesAndMessagesAreTheLinkReaders) {
  Change r = change_setting(default_config(), "noise", "20");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.config.data.noise, 20.0f);
  EXPECT_FALSE(r.keeps_weights);
  EXPECT_EQ(change_setting(default_config(), "noise", "abc").error, "noise=abc: not a number");
  EXPECT_EQ(change_setting(default_config(), "learningRate", "-1").error, "invalid experiment: train.learning_rate must be in [0, 10], got -1");
  EXPECT_EQ(change_setting(default_config(), "batchSize", "0").error, "batchSize=0: expected an integer 1..1024");
  EXPECT_EQ(change_setting(default_config(), "classes", "9").error, "classes=9: expected an integer 3..6");
  EXPECT_EQ(change_setting(default_config(), "nope", "1").error, "unknown key 'nope' (keys: see web/share/KEYS.md)");
  EXPECT_EQ(change_setting(default_config(), "step", "3").error, "unknown key 'step' (keys: see web/share/KEYS.md)");
}

TEST(Settings, TrainingOnlyKeysKeepTheWeights) {
  for (const char* k : {"learningRate", "batchSize", "regularizationRate"}) {
    Change r = change_setting(default_config(), k, "1");
    ASSERT_EQ(r.error, "") << k;
    EXPECT_TRUE(r.keeps_weights) << k;
  }
  EXPECT_FALSE(change_setting(default_config(), "seed", "7").keeps_weights);
}

TEST(Settings, TheOutputFollowsTheProblem) {
  Change r = change_setting(default_config(), "problem", "multiclass");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.config.data.set, DataSet::Blobs);
  EXPECT_EQ(r.config.layers.back().act, Activation::Softmax);
  EXPECT_EQ(r.config.layers.back().units, 3);
  EXPECT_EQ(r.config.train.loss, LossType::SoftmaxCrossEntropy);
  r = change_setting(r.config, "classes", "5");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.config.layers.back().units, 5);
  EXPECT_EQ(validate(r.config), "");
  r = change_setting(r.config, "dataset", "regplane");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.config.layers.back().act, Activation::Linear);
  EXPECT_EQ(r.config.train.loss, LossType::HalfSquaredError);
  EXPECT_EQ(validate(r.config), "");
  EXPECT_EQ(change_setting(default_config(), "dataset", "user").error, "dataset=user: add points by clicking the output view first");
  EXPECT_EQ(change_setting(default_config(), "problem", "art").error, "problem=art: expected classification, multiclass or regression");
}

TEST(Settings, ClassesClampTheClickedPointsLabels) {
  Config c = default_config();
  c.data.set = DataSet::Blobs;
  c.data.classes = 6;
  fit_output(&c);
  c.data.user_points = {{1, 1, 5}, {0, 0, 2}};
  Change r = change_setting(c, "classes", "3");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.config.data.user_points[0].label, 2.0f);
  EXPECT_EQ(r.config.data.user_points[1].label, 2.0f);
}

TEST(Settings, NetworkShapeKeepsEachLayersSettingsWithinThePlaygroundsCaps) {
  Config c = default_config();
  c.layers[0].act = Activation::Relu;                  // relu, tanh
  Change r = change_setting(c, "networkShape", "5,3,2");
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.config.layers.size(), 4u);
  EXPECT_EQ(r.config.layers[0].act, Activation::Relu);
  EXPECT_EQ(r.config.layers[0].units, 5);
  EXPECT_EQ(r.config.layers[2].act, Activation::Tanh);  // a new layer copies the last hidden one
  EXPECT_EQ(r.config.layers[3].units, 1);              // the output stays
  EXPECT_NE(change_setting(c, "networkShape", "17").error.find("at most 8 hidden layers of 1..16 neurons"), std::string::npos);
  EXPECT_NE(change_setting(c, "networkShape", "1,2,3,4,5,6,7,8,9").error.find("at most 8"), std::string::npos);
  EXPECT_EQ(change_setting(c, "networkShape", "4,x").error, "networkShape=4,x: \"x\": expected units 1..1024");
  r = change_setting(c, "networkShape", "");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.config.layers.size(), 1u);
}

TEST(Settings, ActivationsApplyToAnyNetwork) {
  Change r = change_setting(default_config(), "activation", "sigmoid");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.config.layers[1].act, Activation::Sigmoid);
  EXPECT_EQ(r.config.layers[2].act, Activation::Tanh);  // not the output
  r = change_setting(default_config(), "activation", "relu,linear");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.config.layers[1].act, Activation::Linear);
  EXPECT_NE(change_setting(default_config(), "activation", "softmax").error.find("unknown activation \"softmax\""), std::string::npos);
  EXPECT_NE(change_setting(default_config(), "activation", "relu,relu,relu").error.find("3 activations for 2 hidden layers"), std::string::npos);
  const Config lenet = preset_config("lenet");         // conv layers keep their form
  r = change_setting(lenet, "activation", "tanh");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.config.layers[0].type, LayerType::Conv);
  EXPECT_EQ(r.config.layers[0].act, Activation::Tanh);
  EXPECT_EQ(r.config.layers.back().act, Activation::Softmax);
  r = change_setting(lenet, "learningRate", "0.01");    // and a training key leaves the layers alone
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(layers_text(r.config.layers), layers_text(lenet.layers));
}
