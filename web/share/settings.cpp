// change_setting (settings.h): the link reader for the value, then the page's rules for the keys
// that have them (data set, classes, problem, network shape, activations).
#include "share/settings.h"
#include <sstream>
#include "nnplay/state.h"

using namespace nnplay;

namespace share {

const std::vector<std::string>& setting_keys() {
  static const std::vector<std::string> k = {
      "dataset", "noise", "percTrainData", "points", "classes", "x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY",
      "problem", "networkShape", "activation", "outputActivation", "loss", "optimizer", "learningRate", "momentum",
      "regularization", "regularizationRate", "batchSize", "init", "seed"};
  return k;
}

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

namespace {

Change fail(std::string e) { Change r; r.error = std::move(e); return r; }
Change done(Config c, bool keep = false) { Change r; r.config = std::move(c); r.keeps_weights = keep; return r; }

bool is_multiclass_set(DataSet s) { return s == DataSet::Blobs || s == DataSet::MultiSpiral; }

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> v;
  std::stringstream ss(s);
  std::string t;
  while (std::getline(ss, t, ',')) v.push_back(t);
  return v;
}

// A value read by the link reader on the default config, which accepts any valid value of `key`:
// the same syntax, bounds and message as in a link, without the current config's other constraints.
bool read_by_link(const std::string& key, const std::string& v, const Config& base, Config* out, std::string* e) {
  LinkParse p = set_link_key(base, key, v);
  if (!p.ok) { *e = p.error; return false; }
  *out = p.config;
  return true;
}

Change set_dataset(Config c, const std::string& v) {
  DataSet s;
  if (!parse(v, &s) || is_image(s)) return fail("dataset=" + v + ": unknown data set (circle, xor, gauss, spiral, moons, user, blobs, multispiral, regplane, reggauss)");
  if (s == DataSet::User && c.data.user_points.empty()) return fail("dataset=user: add points by clicking the output view first");
  c.data.set = s;
  fit_output(&c);
  return done(c);
}

Change set_classes(Config c, const std::string& v) {
  Config blobs = default_config();
  blobs.data.set = DataSet::Blobs;
  fit_output(&blobs);
  Config r;
  std::string e;
  if (!read_by_link("classes", v, blobs, &r, &e)) return fail(e);
  c.data.classes = r.data.classes;
  for (Point& p : c.data.user_points)
    if (p.label >= c.data.classes) p.label = (float)(c.data.classes - 1);
  fit_output(&c);
  return done(c);
}

Change set_problem(Config c, const std::string& v) {
  DataSet& s = c.data.set;
  if (v == "classification") { if (!is_classification(s) || is_multiclass_set(s)) s = DataSet::Circle; }
  else if (v == "multiclass") { if (!is_multiclass_set(s)) s = DataSet::Blobs; }
  else if (v == "regression") { if (is_classification(s)) s = DataSet::RegPlane; }
  else return fail("problem=" + v + ": expected classification, multiclass or regression");
  c.data.user_points.clear();
  fit_output(&c);
  return done(c);
}

// Hidden layers keep their settings; a new one copies the last hidden layer (or the default's).
Change set_network_shape(Config c, const std::string& v) {
  Config r;
  std::string e;
  if (!read_by_link("networkShape", v, default_config(), &r, &e)) return fail(e);
  const int H = (int)r.layers.size() - 1;
  bool caps = H <= kMaxHidden;
  for (int l = 0; l < H; ++l) caps = caps && r.layers[l].units <= kMaxNeurons;
  if (!caps)
    return fail("networkShape=" + v + ": the playground has at most " + std::to_string(kMaxHidden) + " hidden layers of 1.." +
                std::to_string(kMaxNeurons) + " neurons");
  std::vector<LayerSpec> layers;
  for (int l = 0; l < H; ++l) {
    LayerSpec s = l + 1 < (int)c.layers.size() ? c.layers[l] : (c.layers.size() > 1 ? c.layers[c.layers.size() - 2] : LayerSpec{});
    s.type = LayerType::Dense;
    s.units = r.layers[l].units;
    layers.push_back(s);
  }
  layers.push_back(c.layers.back());
  c.layers = layers;
  return done(c);
}

// One activation for every hidden layer, or one per hidden layer; any network (conv layers too).
Change set_activation(Config c, const std::string& v) {
  const int H = (int)c.layers.size() - 1;
  std::vector<Activation> acts;
  for (const std::string& t : split(v)) {
    Activation a;
    if (!parse(t, &a) || a == Activation::Softmax)
      return fail("activation=" + v + ": unknown activation \"" + t + "\" (linear, sigmoid, tanh, relu, leakyrelu or step)");
    acts.push_back(a);
  }
  if (acts.empty() || (acts.size() != 1 && (int)acts.size() != H))
    return fail("activation=" + v + ": " + std::to_string(acts.size()) + " activations for " + std::to_string(H) +
                " hidden layers (give one for all, or one per layer)");
  for (int l = 0; l < H; ++l) c.layers[l].act = acts.size() == 1 ? acts[0] : acts[l];
  return done(c);
}

Change set_output_activation(Config c, const std::string& v) {
  Activation a;
  if (!parse(v, &a)) return fail("outputActivation=" + v + ": unknown activation");
  c.layers.back().act = a;
  return done(c);
}

bool training_only(const std::string& k) {
  for (const char* t : {"loss", "optimizer", "learningRate", "momentum", "beta1", "beta2", "epsilon", "regularization",
                        "regularizationRate", "batchSize"})
    if (k == t) return true;
  return false;
}

}  // namespace

Change change_setting(const Config& c, const std::string& key, const std::string& v) {
  if (key == "dataset") return set_dataset(c, v);
  if (key == "classes") return set_classes(c, v);
  if (key == "problem") return set_problem(c, v);
  if (key == "networkShape") return set_network_shape(c, v);
  if (key == "activation") return set_activation(c, v);
  if (key == "outputActivation") return set_output_activation(c, v);
  LinkParse p = set_link_key(c, key, v);
  if (!p.ok) return fail(p.error.find("is not a setting") != std::string::npos ? "unknown key '" + key + "' (keys: see web/share/KEYS.md)" : p.error);
  return done(p.config, training_only(key));
}

}  // namespace share
