// Tests of the state door (web/share/share.cpp): links, files, tutorial setups and new configs all
// come back as one Opened (session, config, step log, checked UI keys), or as an error with nothing
// opened; caller data and carried weights for the settings path.
#include <gtest/gtest.h>
#include "nnplay/state.h"
#include "share/share.h"

using namespace nnplay;
using namespace share;

namespace {

std::unique_ptr<Session> trained(const Config& c, StepLog* log, int batches, int epochs) {
  std::string e;
  auto s = Session::create(c, &e);
  EXPECT_TRUE(s) << e;
  StepResult r = s->step(StepSize::Batch, batches);
  log->record(StepSize::Batch, batches, r);
  r = s->step(StepSize::Epoch, epochs);
  log->record(StepSize::Epoch, epochs, r);
  return s;
}

}  // namespace

TEST(ShareDoor, LinkReachesTheSendersWeightsAndKeepsItsUiKeys) {
  StepLog log;
  auto s = trained(default_config(), &log, 7, 2);
  LinkExtras x;
  x.log = &log;
  x.ui = {{"stepSize", "batch"}, {"data_hide", "1"}, {"tutorial", "backprop"}};
  const std::string link = make_link(*s, x, false);
  Opened r = open_link("#" + link + "&colour=red");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.session->parameters_hash(), s->parameters_hash());
  EXPECT_EQ(r.session->step_count(), s->step_count());
  EXPECT_TRUE(r.log.replayable());
  EXPECT_EQ(r.log.str(), log.str());
  EXPECT_EQ(r.ui, x.ui);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0], "unknown key \"colour\" ignored");
  // step 0's metrics, for the first point of the loss curves
  ASSERT_TRUE(r.has_start);
  std::string e;
  EXPECT_EQ(r.start.train_loss, Session::create(default_config(), &e)->metrics().train_loss);
  EXPECT_NE(r.start.train_loss, r.session->metrics().train_loss);
  EXPECT_FALSE(open_config(default_config()).has_start);
}

TEST(ShareDoor, BadInputOpensNothingAndSaysWhy) {
  const std::string base = make_config_link(default_config());
  Opened r = open_link(base + "&stepSize=sideways");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error, "stepSize=sideways: expected example, batch or epoch");
  EXPECT_EQ(open_link(base + "&network_hide=1").error.rfind("network_hide: unknown part", 0), 0u);
  EXPECT_EQ(open_link("v=2").error, "v=2: unknown link version (this page reads v=1)");
  EXPECT_EQ(open_link(base + "&hash=0123456789abcdef").error.rfind("the weights differ from the sender's", 0), 0u);
  EXPECT_EQ(open_json("[]").error, "(top level): expected an object, got an array");
}

TEST(ShareDoor, JsonFileIsExactAndNotReplayable) {
  StepLog log;
  auto s = trained(default_config(), &log, 3, 1);
  std::string e;
  ASSERT_TRUE(s->set_weight(0, false, 1, 0.25f, &e)) << e;   // hand-edited: only exact weights reach it
  Opened r = open_json(to_json(*s, {{"gradients", "1"}, {"learningRate", "3"}}));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.session->parameters_hash(), s->parameters_hash());
  EXPECT_FALSE(r.log.replayable());
  EXPECT_EQ(r.ui.size(), 1u);                          // an engine key among the file's UI keys is no UI key
  EXPECT_EQ(r.ui["gradients"], "1");
  EXPECT_EQ(r.warnings.size(), 1u);
}

TEST(ShareDoor, SetupsMergeLaterKeysWinAndWeightsAreApplied) {
  const std::string base = "dataset=gauss&networkShape=2&activation=sigmoid&outputActivation=sigmoid&loss=square&seed=7&traceExample=1";
  Opened r = open_setups({base, "", "networkShape=2,2&activation=relu%2Ctanh"});
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.config.layers.size(), 3u);
  EXPECT_EQ(r.config.layers[1].act, Activation::Tanh);  // %-decoded, as in a link
  EXPECT_TRUE(r.log.replayable());
  r = open_setups({base, "networkShape=2,2&activation=relu%2Ctanh", "networkShape=3&activation=tanh&weights=0,0,0,0,0,0,0,0,0,0,0,0,0"});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.config.data.set, DataSet::Gauss);        // from the base
  ASSERT_EQ(r.config.layers.size(), 2u);
  EXPECT_EQ(r.config.layers[0].units, 3);              // later keys win
  EXPECT_EQ(r.config.layers[0].act, Activation::Tanh);
  std::vector<float> w(r.session->parameter_count());
  r.session->parameters(w.data());
  EXPECT_EQ(w.size(), 13u);
  for (float x : w) EXPECT_EQ(x, 0.0f);                // weights= applied
  EXPECT_FALSE(r.log.replayable());
  EXPECT_EQ(r.ui.count("weights"), 0u);
  EXPECT_EQ(r.ui["traceExample"], "1");
  r = open_setups({"networkShape=3&weights=1,2"});
  EXPECT_EQ(r.error, "weights=1,2: expected 13 comma-separated numbers");
  r = open_setups({"networkShape=3&noise=x"});
  EXPECT_EQ(r.error, "noise=x: not a number");
}

TEST(ShareDoor, ConfigWithCallerDataAndCarriedWeights) {
  Config c = default_config();
  c.data.set = DataSet::Digits;
  c.layers = {LayerSpec{}};
  c.layers[0].units = 10;
  c.layers[0].act = Activation::Softmax;
  c.train.loss = LossType::SoftmaxCrossEntropy;
  Dataset d;                                           // 3x2 images, 4 of them: not what config.data would generate
  d.input_size = 6;
  d.input_shape[0] = 1; d.input_shape[1] = 3; d.input_shape[2] = 2;
  d.outputs = 10;
  d.classification = true;
  d.train_x.assign(3 * 6, 0.5f); d.train_y = {1, 2, 3};
  d.test_x.assign(6, 0.25f); d.test_y = {4};
  Opened r = open_config(c, &d);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.session->data().input_size, 6);
  EXPECT_EQ(r.session->data().train_count(), 3);

  StepLog log;
  auto s = trained(default_config(), &log, 5, 0);
  Config faster = default_config();
  faster.train.learning_rate = 0.3f;
  r = open_config(faster, nullptr, s.get());
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(r.carried);
  EXPECT_EQ(r.session->parameters_hash(), s->parameters_hash());
  EXPECT_EQ(r.session->step_count(), 5);
  EXPECT_FALSE(r.log.replayable());
  Config wider = default_config();
  wider.layers[0].units = 5;
  r = open_config(wider, nullptr, s.get());            // other shapes: a fresh session
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_FALSE(r.carried);
  EXPECT_EQ(r.session->step_count(), 0);
  EXPECT_TRUE(r.log.replayable());
}

TEST(ShareDoor, CarriedWeightsKeepTheBatchNormStatistics) {
  Config c = default_config();
  c.data.set = DataSet::Spiral;
  LayerSpec bn;
  bn.type = LayerType::BatchNorm;
  bn.act = Activation::Tanh;
  c.layers.insert(c.layers.begin() + 1, bn);
  StepLog log;
  auto s = trained(c, &log, 7, 0);
  const std::vector<float> stats = s->layer_state();
  ASSERT_FALSE(stats.empty());
  Config slower = c;
  slower.train.learning_rate = 0.01f;                  // a training-only change keeps weights and statistics
  Opened r = open_config(slower, nullptr, s.get());
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(r.carried);
  EXPECT_EQ(r.session->layer_state(), stats);
  EXPECT_EQ(r.session->parameters_hash(), s->parameters_hash());
}

TEST(ShareDoor, UiOnlySetups) {
  std::map<std::string, std::string> ui;
  EXPECT_TRUE(ui_only_setup("stepSize=example&traceExample=2", &ui));
  EXPECT_EQ(ui.size(), 2u);
  EXPECT_FALSE(ui_only_setup("weights=1,1,-1.5&stepSize=example", &ui));
  EXPECT_FALSE(ui_only_setup("learningRate=0.1", &ui));
  EXPECT_FALSE(ui_only_setup("", &ui));
}
