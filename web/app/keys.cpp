// App::set / App::get: the playground's settings by the share link's key names (table in web/KEYS.md).
// Parsing is strict: a malformed or out-of-range value is an error naming the key, never applied.
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include "app/app.h"
#include "cnn/cnn.h"

using namespace nnplay;

namespace {

bool parse_number(const std::string& s, double* out) {
  if (s.empty() || s.size() > 64) return false;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (errno != 0 || end != s.c_str() + s.size() || !std::isfinite(v)) return false;
  *out = v;
  return true;
}
bool parse_int(const std::string& s, long lo, long hi, long* out) {
  double v;
  if (!parse_number(s, &v) || v != std::floor(v) || v < lo || v > hi) return false;
  *out = (long)v;
  return true;
}
bool parse_bool(const std::string& s, bool* out) {
  if (s == "1" || s == "true" || s == "on") { *out = true; return true; }
  if (s == "0" || s == "false" || s == "off") { *out = false; return true; }
  return false;
}
// The shortest decimal that reads back to the same float (0.03f prints as 0.03, not 0.0299999993).
std::string num(double v) {
  char b[32];
  if (v == std::floor(v) && std::fabs(v) < 1e15) { std::snprintf(b, sizeof b, "%.0f", v); return b; }
  for (int p = 1; p <= 9; ++p) {
    std::snprintf(b, sizeof b, "%.*g", p, v);
    if ((float)std::strtod(b, nullptr) == (float)v) break;
  }
  return b;
}
std::string bad(const std::string& key, const std::string& value, const std::string& expected) {
  return key + "=" + value + ": expected " + expected;
}

const char* kFeatureKeys[] = {"x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY"};

// The output layer (and loss) the data set's problem needs: one tanh unit for two classes (TF
// Playground), one linear unit for regression, a softmax unit per class with cross-entropy.
void fit_output(Config* c) {
  LayerSpec& out = c->layers.back();
  if (!is_classification(c->data.set)) {
    out.units = 1; out.act = Activation::Linear;
    if (c->train.loss == LossType::SoftmaxCrossEntropy) c->train.loss = LossType::HalfSquaredError;
  } else if (c->data.set == DataSet::Blobs || c->data.set == DataSet::MultiSpiral) {
    out.units = c->data.classes; out.act = Activation::Softmax; c->train.loss = LossType::SoftmaxCrossEntropy;
  } else {
    out.units = 1;
    if (out.act == Activation::Softmax || out.act == Activation::Linear) out.act = Activation::Tanh;
    if (c->train.loss == LossType::SoftmaxCrossEntropy) c->train.loss = LossType::HalfSquaredError;
  }
}

}  // namespace

const std::vector<std::string>& App::keys() {
  static const std::vector<std::string> k = {
      "dataset", "noise", "percTrainData", "points", "classes", "x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY",
      "problem", "networkShape", "activation", "outputActivation", "loss", "optimizer", "learningRate", "momentum",
      "regularization", "regularizationRate", "batchSize", "init", "seed",
      "stepSize", "stepsPerFrame", "showTestData", "discretize", "gradients"};
  return k;
}

void App::view_keys(std::map<std::string, std::string>* ui) const {
  for (const char* k : {"stepSize", "stepsPerFrame", "showTestData", "discretize", "gradients"}) (*ui)[k] = get(k);
}

std::string App::get(const std::string& key) const {
  if (key == "embed") return compact ? "1" : "0";
  if (is_embed_key(key)) { const std::string p = key.substr(0, key.size() - 5); return hides(p) ? "1" : "0"; }
  { bool handled = false; std::string r = cnn::get_key(*this, key, &handled); if (handled) return r; }  // image mode (cnn_keys.cpp)
  const Config& c = cfg;
  if (key == "dataset") return name(c.data.set);
  if (key == "noise") return num(c.data.noise);
  if (key == "percTrainData") return num(c.data.train_percent);
  if (key == "points") return num(c.data.points);
  if (key == "classes") return num(c.data.classes);
  for (int f = 0; f < (int)Feature::Count; ++f)
    if (key == kFeatureKeys[f]) return (c.data.features >> f) & 1 ? "1" : "0";
  if (key == "problem") {
    switch (problem()) {
      case Problem::Classification: return "classification";
      case Problem::Multiclass: return "multiclass";
      case Problem::Regression: return "regression";
    }
  }
  if (key == "networkShape" || key == "activation") {
    std::string s;
    for (int l = 0; l + 1 < (int)c.layers.size(); ++l) {
      if (l) s += ",";
      s += key == "networkShape" ? std::to_string(c.layers[l].units) : std::string(name(c.layers[l].act));
    }
    return s;
  }
  if (key == "outputActivation") return name(c.layers.back().act);
  if (key == "loss") return name(c.train.loss);
  if (key == "optimizer") return name(c.train.optimizer);
  if (key == "learningRate") return num(c.train.learning_rate);
  if (key == "momentum") return num(c.train.momentum);
  if (key == "regularization") return name(c.train.reg);
  if (key == "regularizationRate") return num(c.train.reg_rate);
  if (key == "batchSize") return num(c.train.batch);
  if (key == "init") return name(c.train.init);
  if (key == "seed") return std::to_string(c.seed);
  if (key == "stepSize") return step_size == StepSize::Example ? "example" : step_size == StepSize::Batch ? "batch" : "epoch";
  if (key == "stepsPerFrame") return std::to_string(steps_per_frame);
  if (key == "showTestData") return show_test ? "1" : "0";
  if (key == "discretize") return discretize ? "1" : "0";
  if (key == "gradients") return gradients ? "1" : "0";
  return "";
}

std::string App::set(const std::string& key, const std::string& v) {
  if (is_embed_key(key)) return set_embed_key(key, v);   // web/embed.cpp
  { bool handled = false; std::string r = cnn::set_key(*this, key, v, &handled); if (handled) return r; }  // layers, image sets (cnn_keys.cpp)
  Config c = cfg;
  bool keep = false;                                   // training-only change: keep the weights
  long i = 0;
  double d = 0;
  bool b = false;
  // ---- view and speed: no new session ----
  if (key == "stepSize") {
    if (v == "example") step_size = StepSize::Example;
    else if (v == "batch") step_size = StepSize::Batch;
    else if (v == "epoch") step_size = StepSize::Epoch;
    else return bad(key, v, "example, batch or epoch");
    return "";
  }
  if (key == "stepsPerFrame") {
    if (!parse_int(v, 1, 100, &i)) return bad(key, v, "an integer 1..100");
    steps_per_frame = (int)i;
    return "";
  }
  if (key == "showTestData" || key == "discretize" || key == "gradients") {
    if (!parse_bool(v, &b)) return bad(key, v, "0 or 1");
    (key == "showTestData" ? show_test : key == "discretize" ? discretize : gradients) = b;
    return "";
  }
  // ---- data ----
  if (key == "dataset") {
    DataSet s;
    if (!parse(v, &s) || is_image(s)) return bad(key, v, "one of circle, xor, gauss, spiral, moons, user, blobs, multispiral, regplane, reggauss");
    if (s == DataSet::User && c.data.user_points.empty()) return "dataset=user: add points by clicking the output view first";
    c.data.set = s;
    fit_output(&c);
  } else if (key == "noise") {
    if (!parse_number(v, &d) || d < 0 || d > 50) return bad(key, v, "a number 0..50");
    c.data.noise = (float)d;
  } else if (key == "percTrainData") {
    if (!parse_int(v, 10, 90, &i)) return bad(key, v, "an integer 10..90");
    c.data.train_percent = (int)i;
  } else if (key == "points") {
    if (!parse_int(v, 10, kMaxPoints, &i)) return bad(key, v, "an integer 10.." + std::to_string(kMaxPoints));
    c.data.points = (int)i;
  } else if (key == "classes") {
    if (!parse_int(v, 3, 6, &i)) return bad(key, v, "an integer 3..6");
    c.data.classes = (int)i;
    for (auto& p : c.data.user_points) if (p.label >= i) p.label = (float)(i - 1);
    fit_output(&c);
  } else if (key == "problem") {
    if (v == "classification") { if (!is_classification(c.data.set) || c.data.set == DataSet::Blobs || c.data.set == DataSet::MultiSpiral) c.data.set = DataSet::Circle; }
    else if (v == "multiclass") { if (c.data.set != DataSet::Blobs && c.data.set != DataSet::MultiSpiral) c.data.set = DataSet::Blobs; }
    else if (v == "regression") { if (is_classification(c.data.set)) c.data.set = DataSet::RegPlane; }
    else return bad(key, v, "classification, multiclass or regression");
    c.data.user_points.clear();
    fit_output(&c);
  } else if (key == "x" || key == "y" || key == "xSquared" || key == "ySquared" || key == "xTimesY" || key == "sinX" || key == "sinY") {
    if (!parse_bool(v, &b)) return bad(key, v, "0 or 1");
    int f = 0;
    while (key != kFeatureKeys[f]) ++f;
    c.data.features = b ? (c.data.features | (1u << f)) : (c.data.features & ~(1u << f));
    if (c.data.features == 0) return key + "=0: at least one input feature must stay on";
  // ---- network ----
  } else if (key == "networkShape") {
    std::vector<int> units;
    if (!v.empty()) {
      std::stringstream ss(v);
      std::string tok;
      while (std::getline(ss, tok, ',')) {
        if (!parse_int(tok, 1, kMaxNeurons, &i)) return bad(key, v, "comma-separated layer sizes 1.." + std::to_string(kMaxNeurons));
        units.push_back((int)i);
      }
    }
    if ((int)units.size() > kMaxHidden) return bad(key, v, "at most " + std::to_string(kMaxHidden) + " hidden layers");
    std::vector<LayerSpec> layers;
    for (size_t l = 0; l < units.size(); ++l) {
      LayerSpec s = l + 1 < c.layers.size() ? c.layers[l] : (c.layers.size() > 1 ? c.layers[c.layers.size() - 2] : LayerSpec{});
      s.type = LayerType::Dense;
      s.units = units[l];
      layers.push_back(s);
    }
    layers.push_back(c.layers.back());
    c.layers = layers;
  } else if (key == "activation") {
    std::vector<Activation> acts;
    std::stringstream ss(v);
    std::string tok;
    Activation a;
    while (std::getline(ss, tok, ',')) {
      if (!parse(tok, &a) || a == Activation::Softmax) return bad(key, v, "linear, sigmoid, tanh, relu, leakyrelu or step (one, or one per hidden layer)");
      acts.push_back(a);
    }
    const int H = (int)c.layers.size() - 1;
    if (acts.empty() || (acts.size() != 1 && (int)acts.size() != H)) return bad(key, v, "one activation or one per hidden layer (" + std::to_string(H) + ")");
    for (int l = 0; l < H; ++l) c.layers[l].act = acts.size() == 1 ? acts[0] : acts[l];
  } else if (key == "outputActivation") {
    Activation a;
    if (!parse(v, &a)) return bad(key, v, "an activation name");
    c.layers.back().act = a;
  // ---- training ----
  } else if (key == "loss") {
    LossType l;
    if (!parse(v, &l)) return bad(key, v, "square, halfsquare or softmaxce");
    c.train.loss = l;
    keep = true;
  } else if (key == "optimizer") {
    Optimizer o;
    if (!parse(v, &o)) return bad(key, v, "sgd, momentum, nesterov, adam or perceptron");
    c.train.optimizer = o;
    keep = true;
  } else if (key == "learningRate") {
    if (!parse_number(v, &d) || d < 0 || d > 10) return bad(key, v, "a number 0..10");
    c.train.learning_rate = (float)d;
    keep = true;
  } else if (key == "momentum") {
    if (!parse_number(v, &d) || d < 0 || d > 0.9999) return bad(key, v, "a number 0..0.9999");
    c.train.momentum = (float)d;
    keep = true;
  } else if (key == "regularization") {
    Regularization r;
    if (!parse(v, &r)) return bad(key, v, "none, l1 or l2");
    c.train.reg = r;
    keep = true;
  } else if (key == "regularizationRate") {
    if (!parse_number(v, &d) || d < 0 || d > 10) return bad(key, v, "a number 0..10");
    c.train.reg_rate = (float)d;
    keep = true;
  } else if (key == "batchSize") {
    if (!parse_int(v, 1, kMaxBatch, &i)) return bad(key, v, "an integer 1.." + std::to_string(kMaxBatch));
    c.train.batch = (int)i;
    keep = true;
  } else if (key == "init") {
    Init in;
    if (!parse(v, &in)) return bad(key, v, "xavier, he, uniform or zeros");
    c.train.init = in;
  } else if (key == "seed") {
    double s;
    if (!parse_number(v, &s) || s < 1 || s > 9007199254740991.0 || s != std::floor(s)) return bad(key, v, "an integer 1..2^53-1");
    c.seed = (uint64_t)s;
  } else {
    return "unknown key '" + key + "' (keys: see web/KEYS.md)";
  }
  const bool was_playing = playing;
  std::string e = apply(c, keep);
  if (!e.empty()) return key + "=" + v + ": " + e;
  if (keep) playing = was_playing;
  return "";
}
