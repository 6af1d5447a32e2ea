// Batch norm and dropout in live sessions: dropout's masks replay (same seed same weights; back()
// then the same steps again; links by replay and by w=), batch norm's running statistics travel
// through w= links, JSON files, restore() and rewind, inference uses them, the validation messages,
// and a native == wasm hash of a CNN with batch norm and dropout (NNPLAY_HASH_LAYERS).
#include <gtest/gtest.h>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>
#include "nnplay/explain.h"
#include "nnplay/session.h"
#include "nnplay/state.h"
#include "../state/test_util.h"

using namespace nnplay;
using namespace nnplay::testing_state;

namespace {

LayerSpec dense(int u, Activation a) { LayerSpec l; l.units = u; l.act = a; return l; }
LayerSpec bn(Activation a = Activation::Linear) { LayerSpec l; l.type = LayerType::BatchNorm; l.act = a; return l; }
LayerSpec dropout(float p) { LayerSpec l; l.type = LayerType::Dropout; l.rate = p; return l; }

// 2-D: dense -> batch norm -> dropout -> dense (gelu) -> output.
Config flat_config(float rate = 0.3f) {
  Config c = default_config();
  c.data.set = DataSet::Spiral;
  c.data.noise = 10;
  c.layers = {dense(8, Activation::Relu), bn(), dropout(rate), dense(4, Activation::Gelu), dense(1, Activation::Tanh)};
  c.train.learning_rate = 0.1f;
  c.seed = 5;
  return c;
}

// Image: conv -> batch norm (relu) -> max pool -> dropout -> flatten -> dense (silu) -> batch norm (elu) -> softmax.
Config cnn_bn_config() {
  Config c = default_config();
  c.data.set = DataSet::Digits;
  c.data.points = 160;
  LayerSpec cv; cv.type = LayerType::Conv; cv.filters = 4; cv.kernel = 5; cv.act = Activation::Linear;
  LayerSpec mp; mp.type = LayerType::MaxPool; mp.pool = 2; mp.pool_stride = 2;
  LayerSpec fl; fl.type = LayerType::Flatten;
  c.layers = {cv, bn(Activation::Relu), mp, dropout(0.25f), fl, dense(16, Activation::Silu), bn(Activation::Elu),
              dense(10, Activation::Softmax)};
  c.train.loss = LossType::SoftmaxCrossEntropy;
  c.train.optimizer = Optimizer::Adam;
  c.train.learning_rate = 0.003f;
  c.train.batch = 8;
  c.train.init = Init::He;
  c.seed = 11;
  return c;
}

// The same, small enough for a w= link (conv stride 2, 8 hidden units): about 1,000 parameters.
Config cnn_bn_small_config() {
  Config c = cnn_bn_config();
  c.layers[0].stride = 2;
  c.layers[5].units = 8;
  return c;
}

std::unique_ptr<Session> make(const Config& c) {
  std::string e;
  std::unique_ptr<Session> s = Session::create(c, &e);
  EXPECT_TRUE(s) << e;
  return s;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * 4) == 0);
}

std::vector<float> params_of(const Session& s) {
  std::vector<float> p(s.parameter_count());
  s.parameters(p.data());
  return p;
}

void train(Session& s, StepLog* log, int batches, int examples) {
  for (int i = 0; i < batches; ++i) {
    StepResult r = s.step(StepSize::Batch, 1);
    if (log) log->record(StepSize::Batch, 1, r);
  }
  if (examples == 0) return;
  StepResult r = s.step(StepSize::Example, examples);
  if (log) log->record(StepSize::Example, examples, r);
}

// a and b hold the same state: weights, optimizer, running statistics, counters, metrics.
void expect_same_state(Session& a, Session& b, const char* what) {
  EXPECT_EQ(a.parameters_hash(), b.parameters_hash()) << what;
  EXPECT_TRUE(same_bits(a.optimizer_state(), b.optimizer_state())) << what;
  EXPECT_TRUE(same_bits(a.layer_state(), b.layer_state())) << what << ": running statistics differ";
  EXPECT_EQ(a.step_count(), b.step_count()) << what;
  EXPECT_EQ(a.examples_seen(), b.examples_seen()) << what;
  EXPECT_EQ(a.metrics().test_loss, b.metrics().test_loss) << what;
}

}  // namespace

TEST(LayersSession, SameSeedSameWeightsOtherSeedOthers) {
  for (const Config& c : {flat_config(), cnn_bn_config()}) {
    auto a = make(c), b = make(c);
    ASSERT_TRUE(a && b);
    train(*a, nullptr, 25, 3);
    train(*b, nullptr, 25, 3);
    expect_same_state(*a, *b, "same seed");
    Config d = c;
    d.seed = c.seed + 1;
    auto e = make(d);
    train(*e, nullptr, 25, 3);
    EXPECT_NE(e->parameters_hash(), a->parameters_hash());
  }
}

TEST(LayersSession, DropoutAtRateZeroIsNoLayerAndAtRateP) {
  // Rate 0 keeps every value at scale 1: the same weights as the network without the layer.
  Config with0 = flat_config(0.0f), without = flat_config();
  without.layers.erase(without.layers.begin() + 2);
  auto a = make(with0), b = make(without), c = make(flat_config(0.3f));
  train(*a, nullptr, 30, 2);
  train(*b, nullptr, 30, 2);
  train(*c, nullptr, 30, 2);
  EXPECT_EQ(a->parameters_hash(), b->parameters_hash());
  EXPECT_NE(c->parameters_hash(), b->parameters_hash());
  // The trace of the last batch: z is the input, a = z * mask, about 30% zeros, kept ones scaled.
  c->step(StepSize::Batch, 1);
  const LayerTrace& t = c->trace(2);
  ASSERT_EQ(t.type, LayerType::Dropout);
  ASSERT_EQ(t.mask.size(), t.a.size());
  ASSERT_EQ(t.a.size(), (size_t)10 * 8);
  int zeros = 0;
  for (size_t i = 0; i < t.a.size(); ++i) {
    EXPECT_EQ(t.a.data[i], t.z.data[i] * t.mask.data[i]);
    EXPECT_TRUE(t.mask.data[i] == 0.0f || t.mask.data[i] == 1.0f / 0.7f);
    EXPECT_EQ(t.dz.data[i], t.da.data[i] * t.mask.data[i]);
    zeros += t.mask.data[i] == 0.0f;
  }
  EXPECT_GT(zeros, 8);
  EXPECT_LT(zeros, 40);
  // Outside training (the chosen example) dropout passes values through.
  c->trace_example(true, 0);
  for (size_t i = 0; i < t.ex_a.size(); ++i) EXPECT_EQ(t.ex_a.data[i], t.ex_z.data[i]);
}

TEST(LayersSession, BackThenTheSameStepsGivesTheSameWeights) {
  for (const Config& c : {flat_config(), cnn_bn_config()}) {
    auto a = make(c), b = make(c), mid = make(c);
    train(*a, nullptr, 40, 0);
    train(*b, nullptr, 40, 0);
    train(*mid, nullptr, 27, 0);
    ASSERT_EQ(b->back(13), 13);
    expect_same_state(*b, *mid, "after back(13)");
    train(*b, nullptr, 13, 0);
    expect_same_state(*a, *b, "after back(13) and 13 steps again");
  }
}

TEST(LayersSession, LinksReplayAndCarryExactState) {
  for (const Config& c : {flat_config(), cnn_bn_small_config()}) {
    auto a = make(c);
    StepLog log;
    train(*a, &log, 20, 3);
    log.back(a->back(2));
    train(*a, &log, 4, 0);
    for (bool weights : {false, true}) {
      std::string err;
      const std::string link = make_link(*a, LinkExtras{{}, &log}, weights, &err);
      ASSERT_EQ(err, "") << weights;
      EXPECT_NE(link.find(weights ? "&w=" : "&replay="), std::string::npos) << link.substr(0, 400);
      EXPECT_NE(link.find("batchnorm"), std::string::npos);
      EXPECT_NE(link.find(c.data.set == DataSet::Digits ? ",dropout0.25," : ",dropout0.3,"), std::string::npos);
      const LinkParse p = parse_link(link);
      ASSERT_TRUE(p.ok) << p.error;
      EXPECT_EQ(config_diff(p.config, a->config()), "");
      EXPECT_EQ(p.layer_state.size(), weights ? a->layer_state().size() : 0u);
      auto b = open_state(p, &err);
      ASSERT_TRUE(b) << err;
      expect_same_state(*a, *b, weights ? "w= link" : "replay link");
      auto a2 = make(c);                              // a copy of a's future: both continue
      std::string e2;
      ASSERT_TRUE(a2->restore(params_of(*a), a->optimizer_state(), a->step_count(), a->examples_seen(), &e2, a->layer_state())) << e2;
      train(*a2, nullptr, 15, 1);
      train(*b, nullptr, 15, 1);
      expect_same_state(*a2, *b, "15 more steps");
    }
  }
}

TEST(LayersSession, JsonCarriesRunningStatistics) {
  auto a = make(cnn_bn_config());
  train(*a, nullptr, 12, 0);
  const std::vector<float> ls = a->layer_state();
  ASSERT_EQ(ls.size(), 2u * 4 + 2u * 16);
  EXPECT_NE(ls[0], 0.0f);                             // moved from the initial mean 0
  const std::string text = to_json(*a);
  StateParse p = parse_json(text);
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(config_diff(p.config, a->config()), "");
  std::string err;
  auto b = open_state(p, &err);
  ASSERT_TRUE(b) << err;
  expect_same_state(*a, *b, "JSON");
  // Per layer: gamma as w, beta as b, then running_mean and running_var.
  nlohmann::json j = nlohmann::json::parse(text);
  const auto& l1 = j["state"]["layers"][1];
  EXPECT_EQ(l1["w"].size(), 4u);
  EXPECT_EQ(l1["running_var"].size(), 4u);
  EXPECT_EQ(j["config"]["layers"][1]["type"], "batchnorm");
  EXPECT_EQ(j["config"]["layers"][1]["act"], "relu");
  EXPECT_EQ(j["config"]["layers"][3]["rate"], 0.25);
  // Missing or bad statistics are errors naming the place.
  nlohmann::json k = j;
  k["state"]["layers"][1].erase("running_mean");
  p = parse_json(k.dump());
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.error, "state.layers[1]: expected both \"running_mean\" and \"running_var\", or neither");
  k = j;
  k["state"]["layers"][1].erase("running_mean");
  k["state"]["layers"][1].erase("running_var");
  p = parse_json(k.dump());
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(open_state(p, &err), nullptr);
  EXPECT_EQ(err, "the saved state has 32 batch-norm running statistics but the network needs 40");
  k = j;
  k["state"]["layers"][1]["running_var"][2] = -0.5;
  p = parse_json(k.dump());
  EXPECT_EQ(p.error, "state.layers[1].running_var[2]: a variance cannot be negative");
  k = j;
  k["state"]["layers"][1]["running_var"].push_back(1.0);
  p = parse_json(k.dump());
  EXPECT_EQ(p.error, "state.layers[1].running_var: 5 values, running_mean has 4");
  k = j;
  k["config"]["layers"][3]["rate"] = 0.95;
  p = parse_json(k.dump());
  EXPECT_EQ(p.error, "config.layers[3].rate: expected a number in 0..0.9, got 0.95");
}

TEST(LayersSession, InferenceUsesTheRunningStatistics) {
  auto a = make(flat_config());
  train(*a, nullptr, 30, 0);
  const double loss = a->metrics().test_loss;
  std::vector<float> ls = a->layer_state();
  ASSERT_EQ(ls.size(), 16u);
  // The chosen example's normalized values come from the running statistics.
  a->trace_example(true, 3);
  const LayerTrace& h = a->trace(0);
  const LayerTrace& t = a->trace(1);
  for (int u = 0; u < 8; ++u) {
    const float want = (h.ex_a.data[u] - t.running_mean.data[u]) * (float)(1.0 / std::sqrt((double)t.running_var.data[u] + 1e-5));
    EXPECT_FLOAT_EQ(t.ex_z.data[u], want) << u;
    EXPECT_FLOAT_EQ(t.ex_a.data[u], t.w.data[u] * t.ex_z.data[u] + t.b.data[u]);
  }
  // Other statistics, same weights: other test loss. Restoring them brings it back.
  std::vector<float> other = ls;
  for (size_t i = 0; i < 8; ++i) other[i] += 0.5f;
  std::string e;
  const std::vector<float> p = params_of(*a), opt = a->optimizer_state();
  ASSERT_TRUE(a->restore(p, opt, a->step_count(), a->examples_seen(), &e, other)) << e;
  EXPECT_NE(a->metrics().test_loss, loss);
  ASSERT_TRUE(a->restore(p, opt, a->step_count(), a->examples_seen(), &e, ls)) << e;
  EXPECT_EQ(a->metrics().test_loss, loss);
  // Empty: fresh statistics (mean 0, variance 1). Wrong size, NaN and negative variance: errors.
  ASSERT_TRUE(a->restore(p, opt, a->step_count(), a->examples_seen(), &e, {})) << e;
  for (size_t i = 0; i < 16; ++i) EXPECT_EQ(a->layer_state()[i], i < 8 ? 0.0f : 1.0f);
  EXPECT_FALSE(a->restore(p, opt, 0, 0, &e, std::vector<float>(3, 1.0f)));
  EXPECT_EQ(e, "restore: layer state (batch-norm running statistics) of 3 floats, expected 16");
  other = ls;
  other[12] = -1.0f;
  EXPECT_FALSE(a->restore(p, opt, 0, 0, &e, other));
  EXPECT_EQ(e, "restore: a batch-norm running variance is negative");
  other[12] = NAN;
  EXPECT_FALSE(a->restore(p, opt, 0, 0, &e, other));
  EXPECT_EQ(e, "restore: a value is NaN or infinite");
}

TEST(LayersSession, NumericCheckThroughBatchNormInInference) {
  // The trace of one example runs in inference mode; the explainers' double reference does the
  // same, so the analytic gradients of a dense layer before a batch norm match central differences.
  auto a = make(flat_config());
  train(*a, nullptr, 20, 0);
  std::vector<explain::NumericCheck> cs;
  ASSERT_EQ(explain::check_layer(*a, explain::ExampleRef{false, 4}, 0, &cs), "");
  ASSERT_EQ(cs.size(), 8u * 2 + 8u);
  int checked = 0;
  for (const auto& c : cs) {
    if (c.kink) continue;
    ++checked;
    EXPECT_LT(c.rel_error, 1e-3) << c.analytic << " vs " << c.numeric;
  }
  EXPECT_GT(checked, 12);
  std::vector<explain::NumericCheck> none;
  EXPECT_EQ(explain::check_layer(*a, explain::ExampleRef{false, 4}, 1, &none),
            "formula: layer 2 (batchnorm): the formula panel covers dense, conv, pool and flatten layers; see the trace for this one");
}

TEST(LayersSession, ValidationMessages) {
  struct Bad { Config c; std::string message; };
  std::vector<Bad> bad;
  Config c = flat_config();
  c.layers.back() = bn();
  bad.push_back({c, "layer 5 (output): the output layer must be dense, it is batchnorm"});
  c = flat_config();
  c.layers.push_back(dropout(0.5f));
  bad.push_back({c, "layer 6 (output): the output layer must be dense, it is dropout"});
  c = flat_config(0.95f);
  bad.push_back({c, "layer 3 (dropout): rate must be in [0, 0.9]"});
  c = flat_config(-0.1f);
  bad.push_back({c, "layer 3 (dropout): rate must be in [0, 0.9]"});
  c = flat_config(NAN);
  bad.push_back({c, "layer 3 (dropout): rate is NaN"});
  c = flat_config();
  c.layers[1].act = Activation::Softmax;
  bad.push_back({c, "layer 2 (batchnorm): softmax is only allowed on the output layer (dense)"});
  c = flat_config();
  c.layers[1].act = Activation::LeakyRelu;
  c.layers[1].leak = 2.0f;
  bad.push_back({c, "layer 2 (batchnorm): leak must be in [0, 1]"});
  for (const Bad& b : bad) EXPECT_EQ(validate(b.c), b.message);
  // Link tokens.
  const std::string base = make_config_link(flat_config());
  auto with_layers = [&](const std::string& v) {
    const size_t at = base.find("&layers=");
    const size_t end = base.find('&', at + 1);
    return base.substr(0, at) + "&layers=" + v + base.substr(end);
  };
  struct BadLink { std::string layers, message; };
  for (const BadLink& b : std::vector<BadLink>{
           {"dense8.relu,dropout,dense1.tanh", "layer 2 \"dropout\": expected dropout<rate 0..0.9>, e.g. dropout0.25"},
           {"dense8.relu,dropout1,dense1.tanh", "layer 2 \"dropout1\": expected dropout<rate 0..0.9>, e.g. dropout0.25"},
           {"dense8.relu,dropoutx,dense1.tanh", "layer 2 \"dropoutx\": expected dropout<rate 0..0.9>, e.g. dropout0.25"},
           {"dense8.relu,dropout0.5.relu,dense1.tanh", "layer 2 \"dropout0.5.relu\": expected dropout<rate 0..0.9>"},
           {"dense8.relu,batchnorm.swish,dense1.tanh", "layer 2 \"batchnorm.swish\": unknown activation \"swish\""},
           {"dense8.relu,batchnorm8,dense1.tanh", "layer 2 \"batchnorm8\": missing .<activation>"},
           {"dense8.relu,batchnorm,batchnorm.softmax", "invalid experiment: layer 3 (output, batchnorm): softmax is only allowed"},
           {"dense8.relu,batchnorm,batchnorm.tanh", "invalid experiment: layer 3 (output): the output layer must be dense, it is batchnorm"},
           {"dense8.relu,batchnorm.softmax,dense1.tanh", "layer 2 (batchnorm): softmax is only allowed on the output layer"}}) {
    const LinkParse p = parse_link(with_layers(b.layers));
    EXPECT_FALSE(p.ok) << b.layers;
    EXPECT_NE(p.error.find(b.message), std::string::npos) << b.layers << "\n got: " << p.error;
  }
  // Tokens read back: activations on batch norm, the dropout rate's exact float.
  const LinkParse ok = parse_link(with_layers("dense8.elu,batchnorm.leakyrelu:0.2,dropout0.1,dense4.silu,batchnorm,dense1.gelu"));
  ASSERT_TRUE(ok.ok) << ok.error;
  ASSERT_EQ(ok.config.layers.size(), 6u);
  EXPECT_EQ(ok.config.layers[0].act, Activation::Elu);
  EXPECT_EQ(ok.config.layers[1].act, Activation::LeakyRelu);
  EXPECT_EQ(ok.config.layers[1].leak, 0.2f);
  EXPECT_EQ(ok.config.layers[2].rate, 0.1f);
  EXPECT_EQ(ok.config.layers[4].act, Activation::Linear);
  EXPECT_EQ(ok.config.layers[5].act, Activation::Gelu);
  EXPECT_EQ(make_config_link(ok.config).find("layers=dense8.elu,batchnorm.leakyrelu:0.2,dropout0.1,dense4.silu,batchnorm,dense1.gelu&") !=
                std::string::npos, true);
}

TEST(LayersSession, ExportRefusesTheNewLayersClearly) {
  auto a = make(flat_config());
  const std::string py = export_pytorch(*a), np = export_numpy(*a);
  EXPECT_EQ(py.rfind("# nnplay export: layer 2 (batchnorm) cannot be written as a Python script yet", 0), 0u) << py.substr(0, 200);
  EXPECT_NE(py.find("raise SystemExit("), std::string::npos);
  EXPECT_EQ(np.rfind("# nnplay export: layer 2 (batchnorm) cannot be written", 0), 0u) << np.substr(0, 200);
  EXPECT_EQ(script_support(*a).rfind("layer 2 (batchnorm)", 0), 0u);
  Config c = default_config();
  c.layers[0].act = Activation::Silu;
  auto b = make(c);
  EXPECT_EQ(export_numpy(*b).rfind("# nnplay export: layer 1 (dense) uses the silu activation", 0), 0u);
  EXPECT_FALSE(script_support(*b).empty());
}

TEST(LayersSession, DivergenceKeepsTheRunningStatisticsFinite) {
  Config c = flat_config();
  c.layers[0].act = Activation::Linear;
  c.layers[3].act = Activation::Linear;
  c.layers[4].act = Activation::Linear;
  c.data.set = DataSet::RegPlane;
  c.train.loss = LossType::SquaredError;
  c.train.learning_rate = 10.0f;
  auto a = make(c);
  StepResult r;
  for (int i = 0; i < 200 && r.status == StepStatus::Ok; ++i) r = a->step(StepSize::Batch, 1);
  EXPECT_EQ(r.status, StepStatus::Diverged);
  for (float v : a->layer_state()) EXPECT_TRUE(std::isfinite(v));
  for (float v : params_of(*a)) EXPECT_TRUE(std::isfinite(v));
}

namespace {
uint64_t fnv(const std::string& s, uint64_t h = 0xcbf29ce484222325ull) {
  for (unsigned char ch : s) { h ^= ch; h *= 0x100000001b3ull; }
  return h;
}
// A CNN with batch norm, dropout, ELU and SiLU and a 2-D net with GELU, trained by every step
// size, rewound and trained again; the hash covers the weights, the running statistics and the
// test loss (computed in inference mode).
std::string layers_hash() {
  uint64_t h = 0xcbf29ce484222325ull;
  for (const Config& c : {cnn_bn_config(), flat_config()}) {
    std::string err;
    auto s = Session::create(c, &err);
    if (!s) return "error: " + err;
    s->step(StepSize::Batch, 60);
    s->step(StepSize::Example, 7);
    s->back(5);
    s->step(StepSize::Epoch, 1);
    s->step(StepSize::Batch, 20);
    char b[64];
    std::snprintf(b, sizeof b, "%a", s->metrics().test_loss);
    std::string st;
    for (float v : s->layer_state()) { uint32_t u; std::memcpy(&u, &v, 4); st += std::to_string(u) + ","; }
    h = fnv(s->parameters_hash() + st + b + std::to_string(s->step_count()), h);
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", (unsigned long long)h);
  return out;
}
}  // namespace

TEST(Determinism, HashWithBatchNormAndDropout) {
  const std::string h = layers_hash();
  ASSERT_EQ(h.size(), 16u) << h;
  EXPECT_EQ(h, layers_hash());
  std::printf("NNPLAY_HASH_LAYERS %s\n", h.c_str());
  EXPECT_EQ(h, "06602f6e9574307d") << "the golden value (native and wasm must both give it)";
}
