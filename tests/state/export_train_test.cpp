// Training scripts (state.h export_training_script). Everywhere: the engine side, i.e. the steps a
// script embeds are the page's own next steps, the page's session does not move, the settings are
// carried, errors are values. Natively: the scripts themselves in /usr/bin/python3 (one process for
// all of them: importing torch is slow), PyTorch and NumPy `--check` for four networks, the model
// scripts' check, mismatches that must exit 1, and a 2-process gloo run under torchrun.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "nnplay/session.h"
#include "nnplay/state.h"
#include "src/state/script.h"
#include "test_util.h"

#if !defined(__EMSCRIPTEN__)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace nnplay;
using namespace nnplay::testing_state;

namespace {

std::unique_ptr<Session> make(const Config& c) {
  std::string e;
  std::unique_ptr<Session> s = Session::create(c, &e);
  EXPECT_TRUE(s) << e;
  return s;
}

std::vector<float> params_of(const Session& s) {
  std::vector<float> p(s.parameter_count());
  if (!p.empty()) s.parameters(p.data());
  return p;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * 4) == 0);
}

// The page's "tiny CNN" preset (web/cnn_keys.cpp): conv4k5 relu, maxpool, flatten, dense softmax on the shapes.
Config tiny_cnn_config() {
  Config c = default_config();
  c.data.set = DataSet::Shapes;
  c.data.points = 2000;
  c.data.train_percent = 80;
  LayerSpec conv; conv.type = LayerType::Conv; conv.filters = 4; conv.kernel = 5; conv.act = Activation::Relu;
  LayerSpec pool; pool.type = LayerType::MaxPool;
  LayerSpec flat; flat.type = LayerType::Flatten;
  LayerSpec out; out.units = 7; out.act = Activation::Softmax;
  c.layers = {conv, pool, flat, out};
  c.train.loss = LossType::SoftmaxCrossEntropy;
  c.train.optimizer = Optimizer::Adam;
  c.train.learning_rate = 0.005f;
  c.train.batch = 32;
  c.train.init = Init::He;
  return c;
}

// A regression net with L2 (and momentum, the lecture's square loss).
Config regression_l2_config() {
  Config c = regression_config();
  c.train.reg = Regularization::L2;
  c.train.reg_rate = 0.01f;
  return c;
}

struct Case { const char* name; Config config; int steps; };
// The default net (sgd, halfsquare, tanh), a multi-class softmax net with Adam (batch 17: shards of
// 8 and 9 rows in the 2-process run), a regression net with L2 and the tiny CNN; each some steps in,
// mid-epoch.
std::vector<Case> cases() {
  return {{"default", default_config(), 30}, {"multiclass", multiclass_config(), 31},
          {"regression", regression_l2_config(), 29}, {"tinycnn", tiny_cnn_config(), 30}};
}

}  // namespace

TEST(TrainingScript, EmbedsThePagesOwnNextStepsAndLeavesTheSessionAlone) {
  for (const Case& k : cases()) {
    std::unique_ptr<Session> s = make(k.config);
    s->step(StepSize::Batch, k.steps);
    const std::string hash = s->parameters_hash();
    const std::vector<float> opt = s->optimizer_state();
    const int64_t steps = s->step_count(), examples = s->examples_seen();
    const TrainingScript t = export_training_script(*s, ScriptKind::Pytorch);
    ASSERT_TRUE(t.ok) << k.name << ": " << t.error;
    EXPECT_EQ(s->parameters_hash(), hash) << k.name;
    EXPECT_TRUE(same_bits(s->optimizer_state(), opt)) << k.name;
    EXPECT_EQ(s->step_count(), steps) << k.name;
    EXPECT_EQ(s->examples_seen(), examples) << k.name;
    ASSERT_EQ(t.losses.size(), (size_t)kCheckSteps) << k.name;
    for (int i = 0; i < kCheckSteps; ++i) {          // the page's session, stepped now, does what the script says
      ASSERT_EQ(s->step(StepSize::Batch, 1).steps_done, 1);
      EXPECT_EQ(s->batch_loss(), t.losses[i]) << k.name << " step +" << i + 1;
    }
    EXPECT_TRUE(same_bits(params_of(*s), t.params_after)) << k.name;
    EXPECT_NE(s->parameters_hash(), hash) << k.name;
  }
}

TEST(TrainingScript, CarriesTheExperimentsSettingsExactly) {
  std::unique_ptr<Session> m = make(multiclass_config());
  m->step(StepSize::Batch, 3);
  const TrainingScript t = export_training_script(*m, ScriptKind::Pytorch);
  ASSERT_TRUE(t.ok) << t.error;
  for (const char* want : {"import torch", "DistributedDataParallel", "STEP = 3  #", "EXAMPLES = 51  #",
                           "SEED = 18446744073709551615  #", "BATCH = 17\n", "LOSS = 'softmaxce'", "OPTIMIZER = 'adam'",
                           "LR = f32(0.0010000000474974513)  # 0.001", "BETA1 = f32(0.85000002384185791)", "REG = 'l2'",
                           "REG_RATE = f32(0.0030000000260770321)", "TARGET = ('onehot', f32(0.0), f32(1))",
                           "FEATURES = ('x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2',)",
                           "('dense', 7, 8, 'relu', f32(0.0099999997764825821))",
                           "('dense', 8, 5, 'leakyrelu', f32(0.20000000298023224))", "TRAIN_X = unpack((",
                           "OPT_STATE = unpack((268,)", "CHECK_LOSSES = [", "if __name__ == '__main__':"})
    EXPECT_NE(t.text.find(want), std::string::npos) << want;
  std::unique_ptr<Session> c = make(cnn_config());
  const TrainingScript n = export_training_script(*c, ScriptKind::Numpy, 3);
  ASSERT_TRUE(n.ok) << n.error;
  EXPECT_EQ(n.text.find("import torch"), std::string::npos);
  EXPECT_EQ(n.losses.size(), 3u);
  for (const char* want : {"import numpy as np", "('conv', 1, 4, 5, 1, 0, 'relu', ", "('maxpool', 2, 2)",
                           "('conv', 4, 6, 3, 2, 1, 'leakyrelu', f32(0.05000000074505806))", "('avgpool', 2, 1)",
                           "('flatten',)", "('dense', 150, 16, 'tanh', ", "FEATURES = None", "INPUT_SHAPE = (1, 28, 28)",
                           "OPTIMIZER = 'sgd'", "TRAIN_POINTS = None"})
    EXPECT_NE(n.text.find(want), std::string::npos) << want;
}

TEST(TrainingScript, StopsWhereThePageStopsAndReportsBadRequests) {
  Config c = default_config();
  c.data.set = DataSet::Spiral;
  c.train.learning_rate = 10.0f;                       // diverges within a few steps (session.cpp overshot())
  std::unique_ptr<Session> s = make(c);
  const TrainingScript t = export_training_script(*s, ScriptKind::Numpy);
  ASSERT_TRUE(t.ok) << t.error;
  EXPECT_LT(t.losses.size(), (size_t)kCheckSteps);
  StepResult r;
  for (size_t i = 0; i <= t.losses.size() && r.status == StepStatus::Ok; ++i) r = s->step(StepSize::Batch, 1);
  EXPECT_EQ(r.status, StepStatus::Diverged) << "the page stops after the embedded steps too";
  const TrainingScript bad = export_training_script(*s, ScriptKind::Pytorch, -1);
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.error, "training script: check_steps must be in [0, 10000], got -1");
  EXPECT_EQ(bad.text, "");
  EXPECT_EQ(script_support(*s), "");
}

TEST(TrainingScript, PacksFloatsExactly) {
  // A palette when at most 256 distinct values, else a nonzero mask and the values (base64url, LE).
  const float labels[5] = {1.0f, 0.0f, 2.0f, 1.0f, -0.0f};
  EXPECT_EQ(state::packed_floats(labels, 5, "5,"), "unpack((5,), 'palette', '''\nAAAAAAAAgD8AAABAAAAAgA''', '''\nAQACAQM''')");
  std::vector<float> many(600);                        // 400 distinct nonzero values
  for (size_t i = 0; i < many.size(); ++i) many[i] = i % 3 == 0 ? 0.0f : (float)i;
  const std::string s = state::packed_floats(many.data(), many.size(), "600,");
  EXPECT_EQ(s.rfind("unpack((600,), 'sparse', '''\n", 0), 0u) << s.substr(0, 60);
  EXPECT_NE(s.find("\nbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"), std::string::npos);  // 011 011 ... as bits
}

#if defined(__EMSCRIPTEN__)
TEST(PythonScripts, NeedPython) { GTEST_SKIP() << "wasm under Node cannot spawn /usr/bin/python3"; }
#else
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

// build/native/export_scripts (beside the test binary).
std::string out_dir() {
  char b[4096];
  const ssize_t n = readlink("/proc/self/exe", b, sizeof b - 1);
  std::string exe = n > 0 ? std::string(b, (size_t)n) : std::string("./nnplay_tests");
  return exe.substr(0, exe.rfind('/') + 1) + "export_scripts/";
}

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = 29500 + (int)(getpid() % 500);
  if (fd >= 0 && bind(fd, (sockaddr*)&a, sizeof a) == 0 && getsockname(fd, (sockaddr*)&a, &len) == 0) port = ntohs(a.sin_port);
  if (fd >= 0) close(fd);
  return port;
}

// Runs every script of the manifest (name \t script \t args...) in one Python process, each as
// __main__ with its own argv; writes <name>.out (stdout and stderr) and <name>.rc beside the manifest.
constexpr const char* kRunner = R"PY(
import contextlib, os, runpy, sys, time, traceback
import numpy, torch  # once, for all the scripts
manifest = sys.argv[1]
for line in open(manifest):
    name, script, *args = line.rstrip('\n').split('\t')
    base = os.path.join(os.path.dirname(manifest), name)
    t, rc = time.time(), 0
    with open(base + '.out', 'w') as f, contextlib.redirect_stdout(f), contextlib.redirect_stderr(f):
        sys.argv = [script] + args
        try:
            runpy.run_path(script, run_name='__main__')
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
            if isinstance(e.code, str):
                print(e.code)
        except BaseException:
            traceback.print_exc()
            rc = 1
    open(base + '.rc', 'w').write(str(rc))
    print('%-24s exit %d  %.2f s' % (name, rc, time.time() - t))
)PY";

struct Ran { int rc = -1; std::string out; };

// "step N loss X" lines (rank 0's under torchrun: "[default0]:step N loss X").
std::map<int64_t, double> losses_in(const std::string& out) {
  std::map<int64_t, double> m;
  static const std::regex re(R"((?:^|\n)(?:\[default0\]:)?step (\d+) loss (\S+))");
  for (std::sregex_iterator it(out.begin(), out.end(), re), end; it != end; ++it)
    m[std::stoll((*it)[1])] = std::strtod((*it)[2].str().c_str(), nullptr);
  return m;
}

// Each printed loss within 1e-5 relative of the engine's (the same rule as the scripts' own check).
void expect_losses(const std::string& what, const std::string& out, int64_t from, const std::vector<double>& want) {
  const std::map<int64_t, double> got = losses_in(out);
  ASSERT_EQ(got.size(), want.size()) << what << ":\n" << out;
  for (size_t i = 0; i < want.size(); ++i) {
    auto it = got.find(from + (int64_t)i + 1);
    ASSERT_NE(it, got.end()) << what << " step " << from + (int64_t)i + 1;
    EXPECT_LE(std::fabs(it->second - want[i]), 1e-5 * std::fabs(want[i])) << what << " step " << it->first;
  }
}

}  // namespace

class PythonScripts : public ::testing::Test {
 protected:
  struct Exported {
    int64_t step = 0;
    std::vector<double> losses;
    ExportProbe probe;
    size_t params = 0;
  };
  static std::string setup_error_;
  static std::map<std::string, Exported> exported_;
  static std::map<std::string, Ran> ran_;

  static void SetUpTestSuite() {
    if (std::system("/usr/bin/python3 -c 'import numpy, torch' >/dev/null 2>&1") != 0) {
      setup_error_ = "/usr/bin/python3 cannot import numpy and torch: install python3-numpy and python3-torch (tools/deps.sh test)";
      return;
    }
    const std::string dir = out_dir();
    std::system(("mkdir -p '" + dir + "' && rm -f '" + dir + "'*.out '" + dir + "'*.rc").c_str());
    std::string manifest;
    auto add = [&](const std::string& name, const std::string& text, const std::string& args) {
      std::ofstream(dir + name + ".py") << text;
      manifest += name + "\t" + dir + name + ".py" + (args.empty() ? "" : "\t" + args) + "\n";
    };
    for (const Case& k : cases()) {
      std::string e;
      std::unique_ptr<Session> s = Session::create(k.config, &e);
      if (!s) { setup_error_ = e; return; }
      s->step(StepSize::Batch, k.steps);
      Exported& x = exported_[k.name];
      x.step = s->step_count();
      x.params = s->parameter_count();
      for (ScriptKind kind : {ScriptKind::Pytorch, ScriptKind::Numpy}) {
        const TrainingScript t = export_training_script(*s, kind);
        if (!t.ok) { setup_error_ = t.error; return; }
        x.losses = t.losses;
        const std::string n = std::string(k.name) + (kind == ScriptKind::Pytorch ? "_train_torch" : "_train_numpy");
        add(n, t.text, "--check");
        if (std::string(k.name) == "default" && kind == ScriptKind::Pytorch) {  // mutation: one embedded loss off by 1e-4
          std::string bad = t.text;
          const std::string first = "CHECK_LOSSES = [\n    " + state::py_exact(t.losses[0]);
          bad.replace(bad.find(first), first.size(), "CHECK_LOSSES = [\n    " + state::py_exact(t.losses[0] * 1.0001));
          add("bad_loss_torch", bad, "--check");
        }
        if (std::string(k.name) == "tinycnn" && kind == ScriptKind::Numpy) {   // mutation: the learning rate 1% off
          std::string bad = t.text;
          const std::string lr = "LR = f32(" + state::py_exact(k.config.train.learning_rate) + ")";
          bad.replace(bad.find(lr), lr.size(), "LR = f32(" + state::py_exact(k.config.train.learning_rate * 1.01f) + ")");
          add("bad_lr_numpy", bad, "--check");
        }
      }
      x.probe = make_probe(*s, 5);
      add(std::string(k.name) + "_model_numpy", export_numpy(*s, x.probe), "");
      add(std::string(k.name) + "_model_torch", export_pytorch(*s, x.probe), "");
      if (std::string(k.name) == "regression") {      // mutation: one expected output off by 3e-5
        ExportProbe p = x.probe;
        p.expected[2] += 3e-5f;
        add("bad_model_numpy", export_numpy(*s, p), "");
      }
    }
    std::ofstream(dir + "runner.py") << kRunner;
    std::ofstream(dir + "manifest.txt") << manifest;
    const int rc = std::system(("/usr/bin/python3 '" + dir + "runner.py' '" + dir + "manifest.txt' >'" + dir + "runner.log' 2>&1").c_str());
    if (rc != 0) { setup_error_ = "the runner failed: " + read_file(dir + "runner.log"); return; }
    std::istringstream lines(manifest);
    for (std::string line; std::getline(lines, line);) {
      const std::string name = line.substr(0, line.find('\t'));
      Ran r;
      r.out = read_file(dir + name + ".out");
      const std::string rc_text = read_file(dir + name + ".rc");
      r.rc = rc_text.empty() ? -1 : std::atoi(rc_text.c_str());
      ran_[name] = r;
    }
  }

  void SetUp() override {
    if (!setup_error_.empty()) FAIL() << setup_error_;
  }

  // Both training scripts of a case: exit 0, losses within 1e-5 of the engine's, NumPy bit-identical.
  void expect_case(const std::string& name) {
    const Exported& x = exported_[name];
    const Ran& torch = ran_[name + "_train_torch"];
    EXPECT_EQ(torch.rc, 0) << torch.out;
    EXPECT_NE(torch.out.find("tolerance 1e-05: OK"), std::string::npos) << torch.out;
    expect_losses(name + " (PyTorch)", torch.out, x.step, x.losses);
    const Ran& np = ran_[name + "_train_numpy"];
    EXPECT_EQ(np.rc, 0) << np.out;
    expect_losses(name + " (NumPy)", np.out, x.step, x.losses);
    const std::string all = std::to_string(x.params) + " of " + std::to_string(x.params) + " parameters bit-identical";
    EXPECT_NE(np.out.find(all), std::string::npos) << "the NumPy script is the engine written out:\n" << np.out;
    for (const char* kind : {"_model_numpy", "_model_torch"}) {  // the model scripts' outputs, and their own check
      const Ran& m = ran_[name + kind];
      EXPECT_EQ(m.rc, 0) << name << kind << ":\n" << m.out;
      std::istringstream in(m.out);
      std::vector<double> got;
      for (double v; in >> v;) got.push_back(v);
      ASSERT_EQ(got.size(), x.probe.expected.size()) << name << kind << ":\n" << m.out;
      for (size_t i = 0; i < got.size(); ++i)
        EXPECT_LE(std::fabs(got[i] - x.probe.expected[i]), 1e-5 * std::max(1.0, std::fabs((double)x.probe.expected[i])))
            << name << kind << " output " << i;
    }
  }
};

std::string PythonScripts::setup_error_;
std::map<std::string, PythonScripts::Exported> PythonScripts::exported_;
std::map<std::string, Ran> PythonScripts::ran_;

TEST_F(PythonScripts, DefaultNetInPytorchAndNumpy) { expect_case("default"); }
TEST_F(PythonScripts, MulticlassSoftmaxAdamInPytorchAndNumpy) { expect_case("multiclass"); }
TEST_F(PythonScripts, RegressionWithL2InPytorchAndNumpy) { expect_case("regression"); }
TEST_F(PythonScripts, TinyCnnInPytorchAndNumpy) { expect_case("tinycnn"); }

TEST_F(PythonScripts, MismatchesExitNonZeroAndSayWhere) {
  const Ran& loss = ran_["bad_loss_torch"];
  EXPECT_EQ(loss.rc, 1) << loss.out;
  EXPECT_NE(loss.out.find("MISMATCH: step " + std::to_string(exported_["default"].step + 1) + ": loss "), std::string::npos) << loss.out;
  EXPECT_NE(loss.out.find("FAILED"), std::string::npos) << loss.out;
  const Ran& lr = ran_["bad_lr_numpy"];
  EXPECT_EQ(lr.rc, 1) << lr.out;
  EXPECT_NE(lr.out.find("MISMATCH: layer 1 weights after step"), std::string::npos) << lr.out;
  const Ran& model = ran_["bad_model_numpy"];
  EXPECT_EQ(model.rc, 1) << model.out;
  EXPECT_NE(model.out.find("MISMATCH: input 2 output 0"), std::string::npos) << model.out;
}

// torchrun, 2 processes, gloo on 127.0.0.1: DistributedDataParallel, each rank on its shard of every
// batch (batch 17: 8 and 9 rows). --redirects/--tee: Debian 12's torch 1.13 on Python 3.11 cannot
// parse torchrun's own defaults for them.
TEST_F(PythonScripts, TwoProcessGlooRunGivesThePagesLosses) {
  const std::string dir = out_dir(), log = dir + "ddp.out";
  std::system(("rm -rf '" + dir + "ddp_logs'").c_str());
  const std::string cmd = "cd '" + dir + "' && OMP_NUM_THREADS=1 timeout 300 /usr/bin/python3 -m torch.distributed.run "
                          "--nproc_per_node=2 --master_addr=127.0.0.1 --master_port=" + std::to_string(free_port()) +
                          " --redirects 1 --tee 1 --log_dir ddp_logs multiclass_train_torch.py --check >'" + log + "' 2>&1";
  const int rc = std::system(cmd.c_str());
  const std::string out = read_file(log);
  EXPECT_EQ(rc, 0) << cmd << "\n" << out;
  EXPECT_NE(out.find("[default0]:check: "), std::string::npos) << out;
  EXPECT_NE(out.find("tolerance 1e-05: OK"), std::string::npos) << out;
  expect_losses("multiclass, 2 processes", out, exported_["multiclass"].step, exported_["multiclass"].losses);
}
#endif
