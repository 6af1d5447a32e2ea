// Share-link codec tests at the Config level (no Session): round trips, the default link's
// length, exact float text, the step log's text form, and a table of malformed links.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "nnplay/state.h"
#include "src/state/codec.h"
#include "src/state/text.h"
#include "expect_refused.h"
#include "test_util.h"

using namespace nnplay;
using namespace nnplay::testing_state;

namespace {

// base with key's value replaced (or key=value appended when absent); value "\x01" removes it.
std::string with(const std::string& base, const std::string& key, const std::string& value) {
  std::string out;
  bool found = false;
  size_t i = 0;
  while (i <= base.size()) {
    size_t j = base.find('&', i);
    if (j == std::string::npos) j = base.size();
    std::string seg = base.substr(i, j - i);
    std::string k = seg.substr(0, seg.find('='));
    if (k == key) {
      found = true;
      if (value != "\x01") out += (out.empty() ? "" : "&") + key + "=" + value;
    } else if (!seg.empty()) {
      out += (out.empty() ? "" : "&") + seg;
    }
    i = j + 1;
  }
  if (!found && value != "\x01") out += "&" + key + "=" + value;
  return out;
}

uint32_t bits(float f) { uint32_t u; std::memcpy(&u, &f, 4); return u; }

}  // namespace

TEST(LinkCodec, DefaultLinkIsShortAndReadable) {
  std::map<std::string, std::string> ui = {{"showTestData", "0"}, {"discretize", "0"}, {"tutorial", "xor-neuron"},
                                           {"tutorialStep", "3"}, {"formula_hide", "1"}};
  std::string link = make_config_link(default_config(), ui);
  EXPECT_LT(link.size(), 500u) << link;
  EXPECT_EQ(link.rfind("v=1&", 0), 0u) << link;
  for (const char* kv : {"dataset=circle", "noise=0", "percTrainData=50", "batchSize=10", "learningRate=0.03",
                         "activation=tanh", "networkShape=4,2", "x=1", "y=1", "xSquared=0", "seed=1", "step=0",
                         "tutorial=xor-neuron"})
    EXPECT_NE(link.find(std::string("&") + kv), std::string::npos) << kv << " missing in " << link;
}

TEST(LinkCodec, ConfigRoundTripsExactly) {
  std::vector<Config> cs = {default_config(), multiclass_config(), regression_config(), user_points_config(), cnn_config()};
  for (size_t i = 0; i < cs.size(); ++i) {
    ASSERT_EQ(validate(cs[i]), "") << "test config " << i;
    std::string link = make_config_link(cs[i]);
    LinkParse p = parse_link(link);
    ASSERT_TRUE(p.ok) << "config " << i << ": " << p.error << "\n" << link;
    EXPECT_EQ(config_diff(cs[i], p.config), "") << "config " << i << ": " << link;
    EXPECT_TRUE(p.warnings.empty()) << p.warnings[0];
    EXPECT_EQ(make_config_link(p.config), link) << "config " << i << " is not written canonically";
    EXPECT_EQ(p.steps, 0);
    EXPECT_FALSE(p.has_weights);
  }
}

TEST(LinkCodec, CnnUsesLayerSyntax) {
  std::string link = make_config_link(cnn_config());
  EXPECT_NE(link.find("&layers=conv4k5s1p0.relu,maxpool2s2,conv6k3s2p1.leakyrelu:0.05,avgpool2s1,flatten,dense16.tanh,"
                      "dense10.softmax&"),
            std::string::npos)
      << link;
  EXPECT_EQ(link.find("networkShape"), std::string::npos);
  EXPECT_NE(link.find("&problem=image&"), std::string::npos);
}

TEST(LinkCodec, PerLayerActivationsAndLeaks) {
  Config c = multiclass_config();
  std::string link = make_config_link(c);
  EXPECT_NE(link.find("&networkShape=8,5&activation=relu,leakyrelu&outputActivation=softmax&"), std::string::npos) << link;
  EXPECT_NE(link.find("&leak=0.01,0.2,0.01&"), std::string::npos) << link;
  EXPECT_NE(link.find("&classes=4&"), std::string::npos) << link;
  EXPECT_NE(link.find("&beta1=0.85&beta2=0.999&epsilon=1e-08&"), std::string::npos) << link;
}

TEST(LinkCodec, HandWrittenShortLinkFillsDefaults) {
  LinkParse p = parse_link("v=1&dataset=xor&networkShape=3&activation=relu&learningRate=0.1");
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.config.data.set, DataSet::Xor);
  ASSERT_EQ(p.config.layers.size(), 2u);
  EXPECT_EQ(p.config.layers[0].units, 3);
  EXPECT_EQ(p.config.layers[0].act, Activation::Relu);
  EXPECT_EQ(p.config.layers[1].units, 1);
  EXPECT_TRUE(bits_eq(p.config.train.learning_rate, 0.1f));
  EXPECT_EQ(p.config.train.batch, 10);
}

TEST(LinkCodec, AcceptsFullUrlPercentEscapesAndTrailingAmpersand) {
  std::string link = make_config_link(default_config());
  LinkParse p = parse_link("https://example.org/nnplay/index.html#" + link + "&");
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(config_diff(default_config(), p.config), "");
  p = parse_link(with(link, "networkShape", "4%2C2"));  // a chat app escaped the comma
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.config.layers[1].units, 2);
}

TEST(LinkCodec, UnknownKeysWarnWhitelistedUiKeysPassThrough) {
  std::string link = make_config_link(default_config(), {{"tutorial", "backprop 1/2 & more"}, {"lossCurve_hide", "1"}});
  link += "&sparkle=9";
  LinkParse p = parse_link(link, {"tutorial", "tutorialStep", "*_hide"});
  ASSERT_TRUE(p.ok) << p.error;
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_EQ(p.warnings[0], "unknown key \"sparkle\" ignored");
  EXPECT_EQ(p.extras["tutorial"], "backprop 1/2 & more");
  EXPECT_EQ(p.extras["lossCurve_hide"], "1");
  EXPECT_EQ(p.extras.size(), 2u);
  LinkParse q = parse_link(link);  // no whitelist: every UI key is a warning
  ASSERT_TRUE(q.ok);
  EXPECT_EQ(q.warnings.size(), 3u);
}

TEST(LinkCodec, StepAndHashAndReplayKeys) {
  std::string link = make_config_link(default_config());
  LinkParse p = parse_link(with(with(link, "step", "137"), "hash", "0123456789abcdef"));
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.steps, 137);
  EXPECT_EQ(p.hash, "0123456789abcdef");
  EXPECT_EQ(p.log.str(), "b137");
  p = parse_link(with(with(link, "step", "23"), "replay", "x5.b20.e1:3.r5"));
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.steps, 23);
  EXPECT_EQ(p.log.str(), "x5.b20.e1:3.r5");
}

TEST(LinkCodec, WeightsBlobRoundTripsBitExact) {
  std::vector<float> params = {0.0f, -0.0f, 1e-45f, -1.17549435e-38f, 3.40282347e38f, 0.1f, -2.5f};
  std::vector<float> opt = {std::nanf(""), INFINITY, 7.0f};
  std::string link = with(with(make_config_link(default_config()), "step", "9"), "w",
                          state::encode_weights_blob(params, opt, 9, 90));
  LinkParse p = parse_link(link);
  ASSERT_TRUE(p.ok) << p.error;
  ASSERT_TRUE(p.has_weights);
  ASSERT_EQ(p.params.size(), params.size());
  ASSERT_EQ(p.opt_state.size(), opt.size());
  for (size_t i = 0; i < params.size(); ++i) EXPECT_EQ(bits(p.params[i]), bits(params[i])) << i;
  for (size_t i = 0; i < opt.size(); ++i) EXPECT_EQ(bits(p.opt_state[i]), bits(opt[i])) << i;
  EXPECT_EQ(p.steps, 9);
  EXPECT_EQ(p.examples, 90);
  EXPECT_EQ(state::weights_chars(params.size(), opt.size()), state::encode_weights_blob(params, opt, 9, 90).size());
}

TEST(LinkText, FloatsRoundTripThroughBothReadPaths) {
  std::vector<float> special = {0.0f, -0.0f, 1e-45f, -1e-45f, 1.17549435e-38f, 1.17549421e-38f, 3.40282347e38f,
                                -3.40282347e38f, 0.03f, 0.1f, 1.0f / 3.0f, 16777216.0f, 16777217.0f, 1e-8f, 0.999f};
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    uint32_t u = (uint32_t)rng();
    float f;
    std::memcpy(&f, &u, 4);
    if (std::isfinite(f)) special.push_back(f);
  }
  for (float f : special) {
    std::string s = state::format_float(f);
    float a = 0, b = (float)std::strtod(s.c_str(), nullptr);
    ASSERT_EQ(state::parse_float(s, &a), "") << s;
    ASSERT_EQ(bits(a), bits(f)) << s;
    ASSERT_EQ(bits(b), bits(f)) << s;
  }
  EXPECT_EQ(state::format_float(0.03f), "0.03");
  EXPECT_EQ(state::format_float(-0.0f), "-0");
  EXPECT_EQ(state::format_float(1e-45f), "1e-45");
}

TEST(LinkText, StrictNumbersAndBase64) {
  float f;
  int64_t i;
  for (const char* bad : {"", "1.", ".5", "+1", "1e", "0x10", "1,5", " 1", "1 ", "--1", "1e5x"})
    EXPECT_NE(state::parse_float(bad, &f), "") << bad;
  EXPECT_EQ(state::parse_float("nan", &f), "NaN/Inf is not allowed");
  EXPECT_EQ(state::parse_float("-Infinity", &f), "NaN/Inf is not allowed");
  EXPECT_EQ(state::parse_float("1e39", &f), "out of float range");
  EXPECT_EQ(state::parse_int("12", 0, 20, &i), "");
  EXPECT_EQ(i, 12);
  EXPECT_NE(state::parse_int("21", 0, 20, &i), "");
  EXPECT_NE(state::parse_int("1.0", 0, 20, &i), "");
  std::vector<uint8_t> bytes, back;
  for (int n = 0; n < 40; ++n) {
    bytes.push_back((uint8_t)(n * 37 + 11));
    std::string t = state::base64url_encode(bytes.data(), bytes.size());
    ASSERT_EQ(state::base64url_decode(t, &back), "");
    ASSERT_EQ(back, bytes);
  }
  EXPECT_EQ(state::base64url_decode("ab+c", &back), "bad character '+' at position 2");
  std::string dec;
  EXPECT_TRUE(state::percent_decode(state::percent_encode("a&b=c d%\xe4\xb8\xad"), &dec));
  EXPECT_EQ(dec, "a&b=c d%\xe4\xb8\xad");
  EXPECT_FALSE(state::percent_decode("%4", &dec));
}

TEST(LinkStepLog, RecordBackAndParse) {
  StepLog log;
  StepResult ok;
  ok.steps_done = 1;
  log.record(StepSize::Example, 1, ok);
  log.record(StepSize::Example, 1, ok);
  ok.steps_done = 10;
  log.record(StepSize::Batch, 10, ok);
  ok.steps_done = 25;
  log.record(StepSize::Epoch, 1, ok);
  log.record(StepSize::Epoch, 1, ok);
  EXPECT_EQ(log.str(), "x2.b10.e2:50");
  EXPECT_EQ(log.updates(), 62);
  log.back(3);
  EXPECT_EQ(log.str(), "x2.b10.e2:50.r3");
  EXPECT_EQ(log.updates(), 59);
  ok.steps_done = 4;
  log.record(StepSize::Batch, 4, ok);
  log.back(6);  // eats the 4 batch steps, then 2 more of the epochs
  EXPECT_EQ(log.str(), "x2.b10.e2:50.r5");
  StepLog q;
  std::string e;
  ASSERT_TRUE(StepLog::parse(log.str(), &q, &e)) << e;
  EXPECT_EQ(q.str(), log.str());
  EXPECT_EQ(q.updates(), log.updates());
  StepLog b;
  ok.steps_done = 7;
  b.record(StepSize::Batch, 7, ok);
  b.back(7);
  EXPECT_EQ(b.str(), "");
  EXPECT_TRUE(b.replayable());
  StepResult div;
  div.status = StepStatus::Diverged;
  div.steps_done = 3;
  b.record(StepSize::Batch, 10, div);  // only the 3 finite updates are replayed
  EXPECT_EQ(b.str(), "b3");
  for (const char* bad : {"q1", "b", "b0", "e3", "e3:x", "r1", "b2.r3", "b1..b2", "b-1"})
    EXPECT_FALSE(StepLog::parse(bad, &q, &e)) << bad;
}

struct BadLink { std::string link, message; };

TEST(LinkErrors, EachMalformedLinkGetsItsMessage) {
  const std::string base = make_config_link(default_config());
  const std::string cnn = make_config_link(cnn_config());
  std::vector<float> params(25, 0.5f), opt;
  std::string blob = state::encode_weights_blob(params, opt, 0, 0);
  std::string flipped = blob;
  flipped[40] = flipped[40] == 'A' ? 'B' : 'A';
  std::string badmagic = state::encode_weights_blob(params, opt, 0, 0);
  badmagic[0] = 'A';
  std::string many(17 * 2 - 1, ',');
  for (size_t i = 0; i < many.size(); i += 2) many[i] = '3';
  const std::vector<BadLink> table = {
      {"", "empty link: expected v=1&key=value&..."},
      {"dataset=circle&noise=0", "missing v=1 (the link format version)"},
      {with(base, "v", "2"), "v=2: unknown link version (this page reads v=1)"},
      {with(base, "v", "abc"), "v=abc: unknown link version"},
      {base + "&noise=5", "duplicate key \"noise\" (noise=0 and noise=5)"},
      {"v=1&noise", "\"noise\": expected key=value"},
      {"v=1&=5", "\"=5\": empty key"},
      {"v=1&noise=%zz", "\"noise=%zz\": bad %-escape"},
      {with(base, "dataset", "torus"), "dataset=torus: unknown data set"},
      {with(base, "noise", "abc"), "noise=abc: not a number"},
      {with(base, "noise", "NaN"), "noise=NaN: NaN/Inf is not allowed"},
      {with(base, "noise", "inf"), "noise=inf: NaN/Inf is not allowed"},
      {with(base, "noise", "-1"), "noise=-1: expected a number in 0..50"},
      {with(base, "noise", "1e39"), "noise=1e39: out of float range"},
      {with(base, "percTrainData", "95"), "percTrainData=95: expected an integer 10..90"},
      {with(base, "percTrainData", "5.5"), "percTrainData=5.5: expected an integer 10..90"},
      {with(base, "points", "99999999999999999999999"), "points=99999999999999999999999: expected an integer 10..5000"},
      {with(base, "classes", "9"), "classes=9: expected an integer 3..6"},
      {with(base, "batchSize", "0"), "batchSize=0: expected an integer 1..1024"},
      {with(base, "batchSize", "1025"), "batchSize=1025: expected an integer 1..1024"},
      {with(base, "x", "2"), "x=2: expected 0 or 1"},
      {with(with(base, "x", "0"), "y", "0"), "invalid experiment: data.features: no input feature is enabled"},
      {with(base, "networkShape", "4,0"), "networkShape=4,0: \"0\": expected units 1..1024"},
      {with(base, "networkShape", "4,2000"), "networkShape=4,2000: \"2000\": expected units 1..1024"},
      {with(base, "networkShape", "4,,2"), "networkShape=4,,2: \"\": expected units 1..1024"},
      {with(base, "networkShape", many), "17 hidden layers, the limit is 15"},
      {with(base, "activation", "tanh,relu,sigmoid"), "activation=tanh,relu,sigmoid: 3 activations for 2 hidden layers"},
      {with(base, "activation", "swish"), "activation=swish: unknown activation \"swish\""},
      {with(base, "outputActivation", "mish"), "outputActivation=mish: unknown activation"},
      {with(base, "outputUnits", "3"), "invalid experiment: layer 3 (output): 3 units, but the data set needs 1"},
      {with(base, "leak", "1,2"), "leak=1,2: 2 values for 3 layers"},
      {with(cnn, "layers", "conv6k5.relu,dense10.softmax"), "layers=conv6k5.relu,dense10.softmax: layer 1 \"conv6k5.relu\": expected conv<filters"},
      {with(cnn, "layers", "dense4,dense10.softmax"), "layer 1 \"dense4\": missing .<activation>"},
      {with(cnn, "layers", "pool2,dense10.softmax"), "layer 1 \"pool2\": unknown layer"},
      {with(cnn, "layers", "dense4.tanh:abc,dense10.softmax"), "layer 1 \"dense4.tanh:abc\": leak \"abc\": not a number"},
      {base + "&layers=dense1.tanh", "networkShape=4,2: cannot be combined with layers= (use one form)"},
      {with(base, "learningRate", "-0.1"), "invalid experiment: train.learning_rate must be in [0, 10], got -0.1"},
      {with(base, "learningRate", "50"), "invalid experiment: train.learning_rate must be in [0, 10], got 50"},
      {with(base, "momentum", "1"), "invalid experiment: train.momentum must be in [0, 0.9999], got 1"},  // as validate(): one bound
      {with(base, "loss", "hinge"), "loss=hinge: unknown loss"},
      {with(base, "optimizer", "rmsprop"), "optimizer=rmsprop: unknown optimizer"},
      {with(base, "regularization", "l3"), "regularization=l3: unknown regularization"},
      {with(base, "init", "orthogonal"), "init=orthogonal: unknown initialization"},
      {with(base, "seed", "-1"), "seed=-1: expected an integer 0..18446744073709551615"},
      {with(base, "seed", "18446744073709551616"), "seed=18446744073709551616: expected an integer"},
      {with(base, "step", "-5"), "step=-5: expected an integer 0..2^53"},
      {with(base, "step", "3000000"), "step=3000000: more than 2000000 updates to replay; such a link must carry w="},
      {with(base, "hash", "xyz"), "hash=xyz: expected 16 lowercase hex digits"},
      {with(with(base, "step", "12"), "replay", "b10"), "replay=b10: leads to 10 updates but step=12"},
      {with(base, "replay", "q5"), "replay=q5: run \"q5\": expected x<n>, b<n>, e<n>:<updates> or r<n>"},
      {with(base, "replay", "b5.r6"), "replay=b5.r6: run \"r6\" undoes more updates than were made"},
      {with(base, "replay", "b3000000"), "replay=b3000000: replays 3000000 updates, the limit is 2000000"},
      {with(base, "w", "!!!"), "w=!!! (3 characters): bad character '!' at position 0"},
      {with(base, "w", "AAAAA"), "w=AAAAA (5 characters): truncated (5 characters is not a whole number of bytes)"},
      {with(base, "w", blob.substr(0, blob.size() - 12)), "truncated (123 bytes, expected 132 for 25 parameters and 0 optimizer values)"},
      {with(base, "w", flipped), "checksum mismatch: the weights are corrupted"},
      {with(base, "w", badmagic), "not nnplay weights (bad magic)"},
      {with(base, "w", blob.substr(0, 20)), "truncated (15 bytes, shorter than the 32-byte header)"},
      {with(with(base, "step", "4"), "w", blob), "step=4: does not match the step 0 stored with the weights (w=)"},
      {with(base, "userPoints", "1:2"), "userPoints=1:2: point 1 \"1:2\": expected x1:x2:label"},
      {with(base, "userPoints", "1:2:0,1:nan:0"), "userPoints=1:2:0,1:nan:0: point 2 \"1:nan:0\": NaN/Inf is not allowed"},
      {with(base, "dataset", "user"), "invalid experiment: data.user_points: the user data set has no points"},
      {with(base, "userPoints", "7:0:1"), "invalid experiment: data.user_points[0] = (7, ...) lies outside [-6, 6]^2"},
      {with(base, "problem", "regression"), "problem=regression: does not match dataset=circle (classification)"},
      {with(base, "problem", "vision"), "problem=vision: unknown problem type"},
      {"v=1&" + std::string(40000, 'a'), "link too long (40004 characters, the limit is 32000)"},
      {with(base, "loss", "softmaxce"), "invalid experiment: train.loss: softmax cross-entropy needs a softmax output layer"},
  };
  ASSERT_GE(table.size(), 30u);
  for (const BadLink& b : table) expect_refused(parse_link(b.link), b.link, b.message);
}

TEST(LinkCodec, SetOneKeyLikeTheJsApi) {
  LinkParse p = set_link_key(default_config(), "networkShape", "5,3,2");
  ASSERT_TRUE(p.ok) << p.error;
  ASSERT_EQ(p.config.layers.size(), 4u);
  EXPECT_EQ(p.config.layers[2].units, 2);
  p = set_link_key(p.config, "dataset", "regplane");
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.config.data.set, DataSet::RegPlane);
  p = set_link_key(cnn_config(), "layers", "flatten,dense10.softmax");
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.config.layers.size(), 2u);
  p = set_link_key(cnn_config(), "networkShape", "8");  // leaves the CNN form
  EXPECT_FALSE(p.ok);
  EXPECT_NE(p.error.find("invalid experiment"), std::string::npos) << p.error;
  p = set_link_key(default_config(), "batchSize", "0");
  EXPECT_EQ(p.error, "batchSize=0: expected an integer 1..1024");
  p = set_link_key(default_config(), "step", "5");
  EXPECT_EQ(p.error, "\"step\" is not a setting");
  p = set_link_key(default_config(), "colour", "red");
  EXPECT_EQ(p.error, "\"colour\" is not a setting");
}

// parse_link is split_link (the fragment's decoded fields) then parse_link_fields (reading them):
// both halves reachable, so fields made another way (tutorial setups, several settings at once)
// are read by the same code.
TEST(LinkCodec, SplitThenParseFieldsIsParseLink) {
  LinkFields f;
  EXPECT_EQ(split_link("#v=1&dataset=xor&activation=relu%2Csigmoid&networkShape=3,2&", &f), "");
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[2].first, "activation");
  EXPECT_EQ(f[2].second, "relu,sigmoid");               // %-decoded
  const LinkParse a = parse_link("v=1&dataset=xor&activation=relu%2Csigmoid&networkShape=3,2");
  const LinkParse b = parse_link_fields(f);
  ASSERT_TRUE(a.ok && b.ok) << a.error << b.error;
  EXPECT_EQ(config_diff(a.config, b.config), "");
  EXPECT_EQ(b.config.layers[1].act, Activation::Sigmoid);
  EXPECT_EQ(split_link("v=1&noise", &f), "\"noise\": expected key=value");
  EXPECT_EQ(split_link("", &f), "empty link: expected v=1&key=value&...");
  EXPECT_EQ(parse_link_fields({{"v", "1"}, {"noise", "2"}, {"noise", "3"}}).error, "duplicate key \"noise\" (noise=2 and noise=3)");
}

TEST(LinkCodec, SetSeveralKeysAtOnce) {
  Config c = default_config();
  c.layers[0].act = Activation::Relu;                  // mixed: relu, tanh
  // one key alone cannot grow a per-layer activation list...
  EXPECT_FALSE(set_link_key(c, "networkShape", "4,2,2").ok);
  // ...both together can
  LinkParse p = set_link_keys(c, {{"networkShape", "4,2,2"}, {"activation", "relu,tanh,tanh"}});
  ASSERT_TRUE(p.ok) << p.error;
  ASSERT_EQ(p.config.layers.size(), 4u);
  EXPECT_EQ(p.config.layers[0].act, Activation::Relu);
  EXPECT_EQ(p.config.layers[2].act, Activation::Tanh);
  EXPECT_EQ(set_link_keys(c, {{"noise", "1"}, {"hash", "0"}}).error, "\"hash\" is not a setting");
}

TEST(LinkCodec, LayersTextOfAnyNetworkReadsBack) {
  for (const Config& c : {cnn_config(), default_config()}) {
    const std::string t = layers_text(c.layers);
    LinkParse p = set_link_key(cnn_config(), "layers", t);
    ASSERT_FALSE(t.empty());
    if (c.data.set == DataSet::Circle) {                 // the dense default as tokens
      EXPECT_EQ(t, "dense4.tanh,dense2.tanh,dense1.tanh");
      continue;
    }
    ASSERT_TRUE(p.ok) << t << ": " << p.error;
    EXPECT_EQ(config_diff(p.config, c), "") << t;
  }
}
