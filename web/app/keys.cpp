// App::set / App::get: the page's settings by the share link's key names (web/share/KEYS.md). A
// UI key is checked against the one table (web/share/ui_keys.h); a mode may give a key its own
// meaning; every other key is an engine setting, read and ruled by web/share/settings.h. A
// malformed or out-of-range value is an error naming the key, and changes nothing.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include "app/app.h"
#include "app/mode.h"
#include "share/settings.h"
#include "share/ui_keys.h"

using namespace nnplay;

namespace {

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

const char* const kFeatureKeys[] = {"x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY"};
const char* const kStepSizes[] = {"example", "batch", "epoch"};

}  // namespace

const std::vector<std::string>& App::keys() {
  static const std::vector<std::string> k = [] {
    std::vector<std::string> v = share::setting_keys();
    for (const std::string& u : share::app_view_keys()) v.push_back(u);
    return v;
  }();
  return k;
}

void App::view_keys(std::map<std::string, std::string>* ui) const {
  for (const std::string& k : share::app_view_keys()) (*ui)[k] = get(k);
}

void App::classroom_keys(std::map<std::string, std::string>* ui) const {
  for (const std::string& p : hidden_parts) (*ui)[p + "_hide"] = "1";
  if (compact) (*ui)["embed"] = "1";
}

bool App::set_ui_key(const std::string& key, const std::string& v) {
  const share::UiKey* k = share::find_ui_key(key);
  if (!k || k->owner != share::UiOwner::App) return false;
  bool on = false;
  share::read_flag(v, &on);
  const std::string part = share::hidden_part(key);
  if (!part.empty()) { if (on) hidden_parts.insert(part); else hidden_parts.erase(part); }
  else if (key == "embed") compact = on;
  else if (key == "showTestData") show_test = on;
  else if (key == "discretize") discretize = on;
  else if (key == "gradients") gradients = on;
  else if (key == "stepsPerFrame") steps_per_frame = std::atoi(v.c_str());
  else if (key == "stepSize") step_size = v == "example" ? StepSize::Example : v == "batch" ? StepSize::Batch : StepSize::Epoch;
  else return false;
  return true;
}

std::string App::get(const std::string& key) const {
  if (key == "embed") return compact ? "1" : "0";
  if (!share::hidden_part(key).empty()) return hides(share::hidden_part(key)) ? "1" : "0";
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
  if (key == "layers") return layers_text(c.layers);
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
  if (key == "stepSize") return kStepSizes[(int)step_size];
  if (key == "stepsPerFrame") return std::to_string(steps_per_frame);
  if (key == "showTestData") return show_test ? "1" : "0";
  if (key == "discretize") return discretize ? "1" : "0";
  if (key == "gradients") return gradients ? "1" : "0";
  return "";
}

std::string App::set(const std::string& key, const std::string& v) {
  if (const share::UiKey* k = share::find_ui_key(key)) {
    if (k->owner != share::UiOwner::App) return "unknown key '" + key + "' (keys: see web/share/KEYS.md)";
    std::string e = share::check_ui_value(key, v);
    if (e.empty()) set_ui_key(key, v);
    return e;
  }
  for (Mode* m : modes_) {                             // image data sets, ...
    std::string e;
    if (m->set_key(*this, key, v, &e)) return e;
  }
  const share::Change ch = share::change_setting(cfg, key, v);
  if (!ch.error.empty()) return ch.error;
  const bool was_playing = playing;
  std::string e = apply(ch.config, ch.keeps_weights);
  if (!e.empty()) return key + "=" + v + ": " + e;
  if (ch.keeps_weights) playing = was_playing;
  return "";
}
