// The training-script writer (state.h export_training_script): one self-contained Python file that
// continues the session's experiment in PyTorch or NumPy, with the engine's own next steps embedded
// for `--check`, computed on a copy of the session. The fixed Python text lives in train_py.cpp;
// this file writes the experiment around it. Not the model scripts (export.cpp).
#include <string>
#include <vector>

#include "nnplay/state.h"
#include "src/state/script.h"
#include "src/state/text.h"
#include "src/state/train_py.h"

namespace nnplay {
using namespace state;

namespace {

std::string f32(float v) { return "f32(" + py_exact(v) + ")"; }
std::string f32c(float v) { return f32(v) + "  # " + format_float(v); }

bool flat_input(const Dataset& d) { return d.input_shape[1] * d.input_shape[2] <= 1; }

// The engine's next batch steps from s's state, on a copy: losses and the parameters after them.
std::string reference_run(const Session& s, int steps, std::vector<double>* losses, std::vector<float>* after) {
  std::string e;
  std::unique_ptr<Session> c = Session::create(s.config(), s.data(), &e);
  if (!c) return "copying the session: " + e;
  std::vector<float> p(s.parameter_count());
  if (!p.empty()) s.parameters(p.data());
  if (!c->restore(p, s.optimizer_state(), s.step_count(), s.examples_seen(), &e)) return "copying the session: " + e;
  for (int i = 0; i < steps; ++i) {
    const StepResult r = c->step(StepSize::Batch, 1);
    if (r.steps_done == 0) break;                      // a NaN stopped it: the script checks the steps before
    losses->push_back(c->batch_loss());
    if (r.status != StepStatus::Ok) break;             // an overshooting update is kept, but the page stops there
  }
  after->assign(c->parameter_count(), 0.0f);
  if (!after->empty()) c->parameters(after->data());
  return "";
}

std::string layer_tuple(const XLayer& x) {
  const LayerSpec& l = x.spec;
  const std::string act = py_str(name(l.act)) + ", " + f32(l.leak);
  switch (l.type) {
    case LayerType::Dense:
      return "('dense', " + std::to_string(x.in[0] * x.in[1] * x.in[2]) + ", " + std::to_string(l.units) + ", " + act + ")";
    case LayerType::Conv:
      return "('conv', " + std::to_string(x.in[0]) + ", " + std::to_string(l.filters) + ", " + std::to_string(l.kernel) + ", " +
             std::to_string(l.stride) + ", " + std::to_string(l.pad) + ", " + act + ")";
    case LayerType::MaxPool: return "('maxpool', " + std::to_string(l.pool) + ", " + std::to_string(l.pool_stride) + ")";
    case LayerType::AvgPool: return "('avgpool', " + std::to_string(l.pool) + ", " + std::to_string(l.pool_stride) + ")";
    default: return "('flatten',)";
  }
}

std::string usage(ScriptKind kind, int steps) {
  const std::string n = std::to_string(steps);
  if (kind == ScriptKind::Numpy)
    return "#\n"
           "# Usage (Python 3 with NumPy; everything else is in this file):\n"
           "#   python3 this.py --steps 1000     train on from where the page stands, printing each step's loss\n"
           "#   python3 this.py --check          the page's own next " + n + " steps, compared: exit 1 past the tolerance\n"
           "# The network's forward and backward passes are written out in NumPy (float32, like the engine).\n";
  return "#\n"
         "# Usage (Python 3 with NumPy and PyTorch; everything else is in this file):\n"
         "#   python3 this.py --steps 1000     train on from where the page stands, printing each step's loss\n"
         "#   python3 this.py --check          the page's own next " + n + " steps, compared: exit 1 past the tolerance\n"
         "#   python3 this.py --device cuda    the same on a GPU\n"
         "#   torchrun --nproc_per_node=2 this.py --check\n"
         "#                                    data-parallel: DistributedDataParallel, gloo on the CPU (nccl with\n"
         "#                                    --device cuda), each process on its shard of every batch; on several\n"
         "#                                    machines add torchrun's --nnodes/--node_rank/--master_addr. Without\n"
         "#                                    torchrun: --world-size K --rank R --master HOST:PORT in K processes.\n"
         "# What the distributed run changes: the order in which the batch's gradient is summed (see Trainer).\n"
         "# Debian 12's torchrun (torch 1.13 on Python 3.11) cannot parse its own defaults for --redirects and\n"
         "# --tee (\"'NoneType' object has no attribute 'get'\"): give them, e.g. torchrun --redirects 1 --tee 1 ...\n";
}

std::string settings(const Session& s, const std::vector<XLayer>& ls) {
  const Config& c = s.config();
  const TrainSpec& t = c.train;
  const Dataset& d = s.data();
  const LayerSpec& out = c.layers.back();
  const float low = out.act == Activation::Tanh || out.act == Activation::Linear ? -1.0f : 0.0f;
  std::string target;
  if (!d.classification) target = "('value', f32(0), f32(1))  # regression: the target is the label itself";
  else if (out.units > 1) target = "('onehot', " + f32(out.act == Activation::Softmax ? 0.0f : low) + ", f32(1))  # (kind, off, on): see targets()";
  else target = "('binary', " + f32(low) + ", f32(1))  # (kind, off, on): see targets()";
  std::string o = "\n# ---------------------------------------------------------------------------------------------\n"
                  "# The experiment where the page stands (written by nnplay).\n\n";
  o += "STEP = " + std::to_string(s.step_count()) + "  # parameter updates made on the page\n";
  o += "EXAMPLES = " + std::to_string(s.examples_seen()) + "  # training examples consumed: the position in the batch order\n";
  o += "SEED = " + std::to_string(c.seed) + "  # the experiment's seed; the batch order derives from it\n";
  o += "BATCH = " + std::to_string(t.batch) + "\n";
  o += "LOSS = " + py_str(name(t.loss)) +
       "  # square: (y - t)^2 summed over the outputs (no 1/2) | halfsquare: the same / 2 | softmaxce; means over the batch\n";
  o += "OPTIMIZER = " + py_str(name(t.optimizer)) + "  # sgd | momentum | nesterov | adam | perceptron (see the optimizer below)\n";
  o += "LR = " + f32c(t.learning_rate) + "\n";
  o += "MOMENTUM = " + f32c(t.momentum) + " (momentum, nesterov)\n";
  o += "BETA1 = " + f32c(t.beta1) + " (adam)\n";
  o += "BETA2 = " + f32c(t.beta2) + "\n";
  o += "EPS = " + f32c(t.epsilon) + "\n";
  o += "REG = " + py_str(name(t.reg)) + "  # none | l1 | l2: added to the gradient of the weights, not the biases\n";
  o += "REG_RATE = " + f32c(t.reg_rate) + "\n";
  o += "OUTPUT_ACT = " + py_str(name(out.act)) + "\n";
  o += "OUTPUT_LEAK = " + f32(out.leak) + "\n";
  o += "OUTPUTS = " + std::to_string(out.units) + "\n";
  o += "CLASSIFICATION = " + std::string(d.classification ? "True" : "False") + "\n";
  o += "TARGET = " + target + "\n";
  o += "INPUT_SHAPE = (" + dims(ls[0].in, 3) + ")  # (C, H, W) of one example, whose inputs are flattened row-major\n";
  if (flat_input(d) && !is_image(c.data.set) && feature_count(c.data.features) == d.input_size) {
    std::string fs;
    for (int f = 0; f < (int)Feature::Count; ++f)
      if (c.data.features >> f & 1) fs += (fs.empty() ? "" : ", ") + py_str(name((Feature)f));
    o += "FEATURES = (" + fs + ",)  # the inputs made from a point (x1, x2): see features()\n";
  } else {
    o += "FEATURES = None  # images: the inputs are the pixels\n";
  }
  o += "LAYERS = [  # dense (in, units, act, leak) | conv (C, F, k, stride, pad, act, leak) | maxpool, avgpool (size, stride)\n";
  for (size_t i = 0; i < ls.size(); ++i) {
    o += "    " + layer_tuple(ls[i]) + ",  # layer " + std::to_string(i + 1) + ": (" + dims(ls[i].in, 3) + ") -> (" +
         dims(ls[i].out, 3) + ")" + (i + 1 == ls.size() ? ", the output" : "") + "\n";
  }
  o += "]\n";
  o += "TOLERANCE = 1e-5  # of --check\n";
  return o;
}

std::string points(const std::vector<Point>& p) {
  std::vector<float> xy;
  xy.reserve(p.size() * 2);
  for (const Point& q : p) { xy.push_back(q.x1); xy.push_back(q.x2); }
  return packed_floats(xy.data(), xy.size(), std::to_string(p.size()) + ", 2");
}

std::string data_and_state(const Session& s, const std::vector<double>& losses, const std::vector<float>& after) {
  const Dataset& d = s.data();
  const std::string I = std::to_string(d.input_size);
  std::string o = "\n# ---------------------------------------------------------------------------------------------\n"
                  "# The data set (exact float32, inputs after features), the train/test split as the page made it.\n\n";
  o += "TRAIN_X = " + packed_floats(d.train_x.data(), d.train_x.size(), std::to_string(d.train_count()) + ", " + I) + "\n";
  o += "TRAIN_Y = " + packed_floats(d.train_y.data(), d.train_y.size(), std::to_string(d.train_count()) + ",") +
       "  # class index or regression target\n";
  o += "TEST_X = " + packed_floats(d.test_x.data(), d.test_x.size(), std::to_string(d.test_count()) + ", " + I) + "\n";
  o += "TEST_Y = " + packed_floats(d.test_y.data(), d.test_y.size(), std::to_string(d.test_count()) + ",") + "\n";
  const bool pts = flat_input(d) && (int)d.train_points.size() == d.train_count() && (int)d.test_points.size() == d.test_count();
  o += "TRAIN_POINTS = " + (pts ? points(d.train_points) + "  # raw (x1, x2)" : std::string("None")) + "\n";
  o += "TEST_POINTS = " + (pts ? points(d.test_points) : std::string("None")) + "\n";
  std::vector<float> p(s.parameter_count());
  if (!p.empty()) s.parameters(p.data());
  const std::vector<float> opt = s.optimizer_state();
  o += "\n# The state at step " + std::to_string(s.step_count()) + " (parameters_hash " + s.parameters_hash() + ").\n";
  o += "PARAMS = " + packed_floats(p.data(), p.size(), std::to_string(p.size()) + ",") +
       "  # per layer: weights (row-major), then biases\n";
  o += "OPT_STATE = " + packed_floats(opt.data(), opt.size(), std::to_string(opt.size()) + ",") +
       "  # momentum, nesterov: v; adam: m, v, beta1^t, beta2^t\n";
  o += "\n# The page's own next " + std::to_string(losses.size()) + " batch steps (nnplay's engine, on a copy of the session).\n";
  o += "CHECK_LOSSES = [";
  for (size_t i = 0; i < losses.size(); ++i) o += std::string(i ? "," : "") + (i % 4 ? " " : "\n    ") + py_exact(losses[i]);
  o += "\n]\n";
  o += "CHECK_PARAMS = " + packed_floats(after.data(), after.size(), std::to_string(after.size()) + ",") + "\n";
  o += "\nif __name__ == '__main__':\n    main()\n";
  return o;
}

}  // namespace

TrainingScript export_training_script(const Session& s, ScriptKind kind, int check_steps) {
  TrainingScript r;
  std::vector<XLayer> ls;
  std::string e = plan_script(s, &ls);
  if (e.empty() && ls.empty()) e = "the network has no layers";
  if (e.empty() && (check_steps < 0 || check_steps > 10000)) e = "check_steps must be in [0, 10000], got " + std::to_string(check_steps);
  if (e.empty()) e = reference_run(s, check_steps, &r.losses, &r.params_after);
  if (!e.empty()) {
    r.error = "training script: " + e;
    return r;
  }
  const bool torch = kind == ScriptKind::Pytorch;
  const std::string purpose =
      "# Continues the experiment where the page stands: same data and split, inputs, exact weights and\n"
      "# optimizer state, loss, regularization, optimizer and batch order, so the next steps match the page's.\n" +
      usage(kind, (int)r.losses.size());
  const std::string imports = std::string("import argparse\nimport base64\nimport math\nimport os\nimport sys\n\nimport numpy as np\n") +
      (torch ? "import gc\nimport torch\nimport torch.distributed as dist\nimport torch.nn.functional as F\nfrom torch import nn\n" : "");
  r.text = "#!/usr/bin/env python3\n" +
           preamble(s, ls, torch ? "training script (PyTorch)" : "training script (NumPy)", purpose, imports);
  r.text += train_py::kCommon;
  r.text += settings(s, ls);
  r.text += torch ? train_py::kTorch : train_py::kNumpy;
  r.text += train_py::kMain;
  r.text += data_and_state(s, r.losses, r.params_after);
  r.ok = true;
  return r;
}

}  // namespace nnplay
