// Share links and JSON files on live sessions: replay from a link reaches the sender's weights
// (same parameters_hash, step, epoch) and the next 50 steps match; exact weights (w=) after
// hand edits; too-large networks; JSON round trips bit-exact; the NumPy export's outputs.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "nnplay/session.h"
#include "nnplay/state.h"
#include "src/state/text.h"
#include "test_util.h"

using namespace nnplay;
using namespace nnplay::testing_state;

namespace {

std::unique_ptr<Session> make(const Config& c) {
  std::string e;
  std::unique_ptr<Session> s = Session::create(c, &e);
  EXPECT_TRUE(s) << e;
  return s;
}

// Steps a session and records the call in its log, as the UI does.
void step(Session& s, StepLog& log, StepSize size, int n) { log.record(size, n, s.step(size, n)); }
void back(Session& s, StepLog& log, int n) { log.back(s.back(n)); }

std::vector<float> params_of(const Session& s) {
  std::vector<float> p(s.parameter_count());
  if (!p.empty()) s.parameters(p.data());
  return p;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * 4) == 0);
}

// Opens `link` and checks it matches `a` now and over the next 50 batch steps of both.
void expect_same_run(Session& a, const std::string& link, const char* what) {
  LinkParse p = parse_link(link);
  ASSERT_TRUE(p.ok) << what << ": " << p.error << "\n" << link.substr(0, 300);
  std::string e;
  std::unique_ptr<Session> b = open_state(p, &e);
  ASSERT_TRUE(b) << what << ": " << e;
  EXPECT_EQ(b->parameters_hash(), a.parameters_hash()) << what;
  EXPECT_EQ(b->step_count(), a.step_count()) << what;
  EXPECT_EQ(b->examples_seen(), a.examples_seen()) << what;
  EXPECT_EQ(b->epoch(), a.epoch()) << what;
  EXPECT_TRUE(same_bits(b->optimizer_state(), a.optimizer_state())) << what;
  EXPECT_EQ(config_diff(a.config(), b->config()), "") << what;
  for (int i = 0; i < 50; ++i) {
    a.step(StepSize::Batch, 1);
    b->step(StepSize::Batch, 1);
    ASSERT_EQ(b->parameters_hash(), a.parameters_hash()) << what << ": diverged at step +" << i + 1;
  }
}

}  // namespace

TEST(LinkReplay, DefaultExperiment137StepsThen50More) {
  std::unique_ptr<Session> a = make(default_config());
  StepLog log;
  for (int i = 0; i < 137; ++i) step(*a, log, StepSize::Batch, 1);
  LinkExtras x;
  x.log = &log;
  x.ui = {{"showTestData", "1"}, {"discretize", "0"}};
  std::string err;
  std::string link = make_link(*a, x, false, &err);
  ASSERT_EQ(err, "");
  EXPECT_LT(link.size(), 500u) << link;
  EXPECT_NE(link.find("&step=137&hash=" + a->parameters_hash()), std::string::npos) << link;
  EXPECT_EQ(link.find("replay="), std::string::npos) << link;
  EXPECT_EQ(link.find("&w="), std::string::npos) << link;
  expect_same_run(*a, link, "default");
}

TEST(LinkReplay, MixedStepSizesAndRewind) {
  std::unique_ptr<Session> a = make(default_config());
  StepLog log;
  step(*a, log, StepSize::Example, 5);
  step(*a, log, StepSize::Batch, 20);
  step(*a, log, StepSize::Epoch, 1);
  back(*a, log, 3);
  step(*a, log, StepSize::Batch, 7);
  back(*a, log, 2);
  step(*a, log, StepSize::Example, 1);
  ASSERT_EQ(log.updates(), a->step_count());
  std::string link = make_link(*a, {{}, &log}, false);
  EXPECT_NE(link.find("&replay=" + log.str() + "&"), std::string::npos) << link;
  EXPECT_EQ(link.find("&w="), std::string::npos) << link;
  expect_same_run(*a, link, "mixed");
}

TEST(LinkReplay, MulticlassRegressionAndCnn) {
  struct Case { const char* name; Config c; int steps; };
  for (const Case& k : {Case{"multiclass", multiclass_config(), 60}, Case{"regression", regression_config(), 45},
                        Case{"user points", user_points_config(), 12}, Case{"cnn", cnn_config(), 6}}) {
    std::unique_ptr<Session> a = make(k.c);
    ASSERT_TRUE(a) << k.name;
    StepLog log;
    for (int i = 0; i < k.steps; ++i) step(*a, log, StepSize::Batch, 1);
    std::string err;
    std::string link = make_link(*a, {{}, &log}, false, &err);
    ASSERT_EQ(err, "") << k.name;
    expect_same_run(*a, link, k.name);
  }
}

TEST(LinkWeights, HandEditedWeightsTravelExactly) {
  std::unique_ptr<Session> a = make(multiclass_config());  // Adam: optimizer state travels too
  StepLog log;
  step(*a, log, StepSize::Batch, 30);
  std::string e;
  ASSERT_TRUE(a->set_weight(0, false, 3, -0.0f, &e)) << e;
  ASSERT_TRUE(a->set_weight(1, true, 1, 1e-40f, &e)) << e;
  log.invalidate();
  std::string link = make_link(*a, {{}, &log}, false, &e);
  ASSERT_EQ(e, "");
  EXPECT_NE(link.find("&w="), std::string::npos);
  EXPECT_LT(link.size(), kMaxLinkChars);
  LinkParse p = parse_link(link);
  ASSERT_TRUE(p.ok) << p.error;
  std::unique_ptr<Session> b = open_state(p, &e);
  ASSERT_TRUE(b) << e;
  EXPECT_TRUE(same_bits(params_of(*b), params_of(*a)));
  expect_same_run(*a, link, "edited");
}

TEST(LinkWeights, IncludeWeightsOnRequestAndWithoutLog) {
  std::unique_ptr<Session> a = make(regression_config());
  a->step(StepSize::Epoch, 2);  // no log: make_link assumes batch steps, so ask for weights
  std::string link = make_link(*a, {}, true);
  EXPECT_NE(link.find("&w="), std::string::npos);
  expect_same_run(*a, link, "weights on request");
}

TEST(LinkWeights, TooLargeNetworkSaysExportAFile) {
  Config c = default_config();
  c.layers[0].units = 200;
  c.layers[1].units = 100;
  std::unique_ptr<Session> a = make(c);
  a->step(StepSize::Batch, 2);
  std::string e;
  EXPECT_EQ(make_link(*a, {}, true, &e), "");
  EXPECT_NE(e.find("too large to share by link"), std::string::npos) << e;
  EXPECT_NE(e.find("export a file instead"), std::string::npos) << e;
  std::string replay = make_link(*a, {}, false, &e);  // replay still fits
  EXPECT_EQ(e, "");
  EXPECT_LT(replay.size(), 500u);
  expect_same_run(*a, replay, "big net by replay");
}

TEST(LinkWeights, WrongHashOrWrongSizeIsReported) {
  std::unique_ptr<Session> a = make(default_config());
  a->step(StepSize::Batch, 5);
  std::string link = make_link(*a, {}, false);
  std::string h = a->parameters_hash();
  std::string bad = link;
  bad.replace(bad.find(h), 16, std::string(16, '0'));
  std::string e;
  EXPECT_FALSE(open_state(parse_link(bad), &e));
  EXPECT_NE(e.find("the weights differ from the sender's (hash " + h + ", expected 0000000000000000)"), std::string::npos) << e;
  // Weights of a 4-2-1 net opened on a 5-2-1 net.
  std::string w = make_link(*a, {}, true);
  std::string other = w;
  other.replace(other.find("networkShape=4,2"), 16, "networkShape=5,2");
  EXPECT_FALSE(open_state(parse_link(other), &e));
  EXPECT_EQ(e, "the saved weights have 25 parameters but the network has 30");
  EXPECT_FALSE(open_state(parse_link("v=1&noise=x"), &e));
  EXPECT_EQ(e, "noise=x: not a number");
}

TEST(JsonSession, RoundTripIsBitExactAndContinuesIdentically) {
  for (const Config& c : {multiclass_config(), cnn_config(), regression_config()}) {
    std::unique_ptr<Session> a = make(c);
    a->step(StepSize::Batch, 9);
    std::string e;
    // Odd but finite values must survive: -0.0, a denormal, large and tiny normals.
    std::vector<float> p = params_of(*a);
    p[0] = -0.0f; p[1] = 1e-45f; p[2] = -3.0e38f; p[3] = 1.17549435e-38f;
    ASSERT_TRUE(a->restore(p, a->optimizer_state(), a->step_count(), a->examples_seen(), &e)) << e;
    std::string text = to_json(*a, {{"tutorial", "t1"}});
    StateParse sp = parse_json(text);
    ASSERT_TRUE(sp.ok) << sp.error;
    EXPECT_EQ(sp.extras["tutorial"], "t1");
    std::unique_ptr<Session> b = open_state(sp, &e);
    ASSERT_TRUE(b) << e;
    EXPECT_TRUE(same_bits(params_of(*b), params_of(*a)));
    EXPECT_TRUE(same_bits(b->optimizer_state(), a->optimizer_state()));
    EXPECT_EQ(b->step_count(), a->step_count());
    EXPECT_EQ(b->examples_seen(), a->examples_seen());
    EXPECT_EQ(to_json(*b, {{"tutorial", "t1"}}), text);
    for (int i = 0; i < 50; ++i) {
      a->step(StepSize::Batch, 1);
      b->step(StepSize::Batch, 1);
      ASSERT_EQ(a->parameters_hash(), b->parameters_hash()) << "step +" << i + 1;
    }
  }
}

TEST(JsonSession, CorruptedParameterIsCaughtByTheHash) {
  std::unique_ptr<Session> a = make(default_config());
  a->step(StepSize::Batch, 4);
  std::string text = to_json(*a);
  size_t at = text.find("\"w\": [");
  ASSERT_NE(at, std::string::npos);
  size_t num = text.find_first_of("0123456789", at + 6);
  text[num] = text[num] == '1' ? '2' : '1';
  StateParse sp = parse_json(text);
  ASSERT_TRUE(sp.ok) << sp.error;
  std::string e;
  EXPECT_FALSE(open_state(sp, &e));
  EXPECT_NE(e.find("the weights differ from the sender's"), std::string::npos) << e;
}

#if defined(__EMSCRIPTEN__)
TEST(ExportNumpy, ScriptMatchesEngine) { GTEST_SKIP() << "wasm under Node cannot spawn /usr/bin/python3"; }
#else
namespace {
bool have_numpy() { return std::system("/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1") == 0; }

// Runs the script, returns its stdout as numbers.
std::vector<double> run_python(const std::string& script, const std::string& tag) {
  std::string dir = ::testing::TempDir();
  std::string py = dir + "nnplay_export_" + tag + ".py", out = py + ".out";
  std::ofstream(py) << script;
  int rc = std::system(("/usr/bin/python3 " + py + " >" + out + " 2>" + out + ".err").c_str());
  EXPECT_EQ(rc, 0) << "script failed, see " << out << ".err";
  std::ifstream in(out);
  std::vector<double> v;
  double d;
  while (in >> d) v.push_back(d);
  return v;
}
}  // namespace

TEST(ExportNumpy, ScriptMatchesEngine) {
  if (!have_numpy()) GTEST_SKIP() << "/usr/bin/python3 with numpy (Debian python3-numpy) is not installed";
  for (const Config& c : {default_config(), multiclass_config(), regression_config(), cnn_config()}) {
    std::unique_ptr<Session> a = make(c);
    a->step(StepSize::Batch, 25);
    ExportProbe probe = make_probe(*a, 5);
    ASSERT_GT(probe.expected.size(), 0u);
    std::string script = export_numpy(*a, probe);
    EXPECT_NE(script.find("import numpy as np"), std::string::npos);
    std::vector<double> got = run_python(script, name(c.data.set));
    ASSERT_EQ(got.size(), probe.expected.size()) << name(c.data.set);
    for (size_t i = 0; i < got.size(); ++i)
      EXPECT_NEAR(got[i], probe.expected[i], 1e-5) << name(c.data.set) << " output " << i;
  }
}
#endif

TEST(ExportPytorch, ScriptHasTheModelAndExactWeights) {
  std::unique_ptr<Session> a = make(cnn_config());
  a->step(StepSize::Batch, 2);
  std::string s = export_pytorch(*a, make_probe(*a, 2));
  for (const char* want : {"import torch", "nn.Conv2d(1, 4, 5, stride=1, padding=0)", "nn.MaxPool2d(2, stride=2)",
                           "nn.Conv2d(4, 6, 3, stride=2, padding=1)", "nn.AvgPool2d(2, stride=1)", "nn.Linear(",
                           "activation('softmax', 0.01)", "expected = torch.tensor("})
    EXPECT_NE(s.find(want), std::string::npos) << want;
  std::vector<float> p = params_of(*a);
  EXPECT_NE(s.find(state::format_float(p[0])), std::string::npos);
}
