// Tutorials as data: loading /tutorials/*.json (embedded in the page), and the placeholder values
// computed from the engine (explain.h's lecture backprop, else the trace) with README.md's formats.
// Not the player's behaviour (player.cpp) and not drawing.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include "tutorial/tutorial.h"
#include "tutorial/views.h"
#include "nnplay/dataset.h"

using namespace nnplay;
using nlohmann::json;

namespace {

std::vector<Tutorial> g_tutorials;
std::string g_error;
bool g_loaded = false;

#ifndef NNPLAY_TUTORIAL_DIR
#define NNPLAY_TUTORIAL_DIR "/tutorials"
#endif

std::string lang_text(const json& j, int l) {
  const char* k = l ? "zh" : "en";
  return j.is_object() && j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string();
}

void load() {
  g_loaded = true;
  DIR* d = opendir(NNPLAY_TUTORIAL_DIR);
  if (!d) { g_error = "no tutorials found (" NNPLAY_TUTORIAL_DIR " is missing)"; return; }
  std::vector<std::string> files;
  while (dirent* e = readdir(d)) {
    const std::string n = e->d_name;
    if (n.size() > 5 && n.compare(n.size() - 5, 5, ".json") == 0) files.push_back(n);
  }
  closedir(d);
  for (const std::string& f : files) {
    std::ifstream in(std::string(NNPLAY_TUTORIAL_DIR) + "/" + f);
    std::stringstream ss;
    ss << in.rdbuf();
    json j = json::parse(ss.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) { g_error += f + ": not valid JSON; "; continue; }
    Tutorial t;
    t.id = j.value("id", std::string());
    t.order = j.value("order", 0);
    for (int l = 0; l < 2; ++l) { t.title[l] = lang_text(j["title"], l); t.summary[l] = lang_text(j["summary"], l); }
    t.base = j.value("base", std::string());
    if (j.contains("steps") && j["steps"].is_array())
      for (const json& s : j["steps"]) {
        TutorialStep st;
        st.setup = s.value("setup", std::string());
        for (int l = 0; l < 2; ++l) st.text[l] = lang_text(s["text"], l);
        if (s.contains("point") && s["point"].is_array())
          for (const json& p : s["point"]) if (p.is_string()) st.point.push_back(p.get<std::string>());
        st.view = s.value("view", std::string());
        if (s.contains("viewArgs")) st.view_args = s["viewArgs"];
        if (s.contains("wait") && s["wait"].is_object()) {
          const json& w = s["wait"];
          st.wait = w.value("kind", std::string("next"));
          st.action = w.value("action", std::string());
          st.key = w.value("key", std::string());
          if (w.contains("value")) {
            if (w["value"].is_string()) st.value = w["value"].get<std::string>();
            else if (w["value"].is_number()) st.threshold = w["value"].get<double>();
          }
          st.count = w.value("count", 1);
          st.metric = w.value("metric", std::string());
          st.op = w.value("op", std::string(">="));
        }
        t.steps.push_back(std::move(st));
      }
    if (t.id.empty() || t.steps.empty()) { g_error += f + ": no id or no steps; "; continue; }
    g_tutorials.push_back(std::move(t));
  }
  std::sort(g_tutorials.begin(), g_tutorials.end(), [](const Tutorial& a, const Tutorial& b) { return a.order < b.order; });
}

std::string fmt(const char* f, double v) {
  char b[48];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

bool starts(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

// dE/dz~ and f'(c) of the loss/activation, as the lecture writes them (used only off the lecture net).
double loss_factor(LossType l) { return l == LossType::HalfSquaredError ? 1.0 : 2.0; }

}  // namespace

const std::vector<Tutorial>& tutorials() { if (!g_loaded) load(); return g_tutorials; }
const std::string& tutorials_error() { if (!g_loaded) load(); return g_error; }
const Tutorial* find_tutorial(const std::string& id) {
  for (const Tutorial& t : tutorials()) if (t.id == id) return &t;
  return nullptr;
}

std::string format_placeholder(const std::string& n, double v) {
  if (!std::isfinite(v)) return std::isnan(v) ? "—" : (v > 0 ? "∞" : "−∞");
  if (n == "k" || n == "step" || n == "epoch" || n == "trainCount" || n == "testCount" || n == "prediction")
    return fmt("%.0f", v);
  if (n == "trainAccuracy" || n == "testAccuracy") return v < 0 ? "—" : fmt("%.1f%%", 100.0 * v);
  if (n == "lossFactor") return fmt("%g", v);
  if (starts(n, "dE_") || starts(n, "num_") || n == "dzt_dc" || starts(n, "db_da") || n == "maxRelErr") return fmt("%.6g", v);
  return fmt("%.4g", v);
}

std::string fill_placeholders(const std::string& text, const Numbers& n) {
  std::string out;
  out.reserve(text.size() + 64);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') {
      const size_t e = text.find('}', i);
      if (e != std::string::npos) {
        const std::string name = text.substr(i + 1, e - i - 1);
        auto it = n.v.find(name);
        if (name == "prevE") out += std::isfinite(n.prevE) ? format_placeholder("E", n.prevE) : "—";
        else out += it == n.v.end() ? "—" : format_placeholder(name, it->second);
        i = e;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

// Every placeholder's value for the traced example. The lecture's net goes through
// explain::lecture_backprop (engine floats + numeric gradients in double); any other dense net
// gets the forward values, the chain factors and the gradients from the engine's trace.
void Player::refresh(App& app, bool force) {
  Session& s = *app.session;
  const std::string hash = s.parameters_hash();
  if (!force && num_session_ == &s && num_step_ == s.step_count() && num_hash_ == hash && num_example_ == trace_example &&
      num_loss_ == (int)app.cfg.train.loss)
    return;
  num_session_ = &s; num_step_ = s.step_count(); num_hash_ = hash; num_example_ = trace_example; num_loss_ = (int)app.cfg.train.loss;
  Numbers& N = numbers;
  N.v.clear();
  N.lecture = false;
  const Dataset& d = s.data();
  const Metrics& m = app.metrics;
  N.v["step"] = (double)s.step_count();
  N.v["epoch"] = (double)s.epoch();
  N.v["trainLoss"] = m.train_loss;
  N.v["testLoss"] = m.test_loss;
  if (m.train_accuracy >= 0) N.v["trainAccuracy"] = m.train_accuracy;
  if (m.test_accuracy >= 0) N.v["testAccuracy"] = m.test_accuracy;
  N.v["trainCount"] = d.train_count();
  N.v["testCount"] = d.test_count();
  N.v["alpha"] = app.cfg.train.learning_rate;
  N.v["lossFactor"] = loss_factor(app.cfg.train.loss);
  double pred;
  if (cnn_prediction(&pred)) N.v["prediction"] = pred;
  const int L = s.layer_count();
  if (d.train_count() == 0 || L < 1) return;
  const int k = std::min(std::max(0, trace_example), d.train_count() - 1);
  N.v["k"] = k;
  bool all_dense = true;
  for (int l = 0; l < L; ++l) all_dense = all_dense && s.trace(l).type == LayerType::Dense;
  if (is_image(app.cfg.data.set) || !all_dense) return;

  explain::LectureBackprop bp;
  const std::string le = explain::lecture_backprop(s, explain::ExampleRef{false, k}, &bp);
  if (le.empty()) {
    N.lecture = true;
    N.bp = bp;
    const explain::LectureGrads& g = bp.used();
    for (int i = 1; i <= bp.n && i <= 9; ++i) N.v["x" + std::to_string(i)] = bp.x[i];
    N.v["z"] = bp.z;
    for (int j = 1; j <= bp.m && j <= 9; ++j) {
      const std::string J = std::to_string(j);
      for (int i = 0; i <= bp.n && i <= 9; ++i) {
        const std::string I = std::to_string(i);
        N.v["w" + I + J] = bp.w.at(i, j);
        N.v["dE_dw" + I + J] = g.dw.at(i, j);
        N.v["num_dE_dw" + I + J] = g.dw_numeric.at(i, j);
        N.v["new_w" + I + J] = g.w_new.at(i, j);
      }
      N.v["a" + J] = bp.a[j];
      N.v["b" + J] = bp.b[j];
      N.v["dE_db" + J] = g.dE_db[j];
      N.v["db_da" + J] = bp.db_da[j];
      N.v["dE_da" + J] = g.dE_da[j];
    }
    for (int j = 0; j <= bp.m && j <= 9; ++j) {
      const std::string J = std::to_string(j);
      N.v["v" + J] = bp.v[j];
      N.v["dE_dv" + J] = g.dv[j];
      N.v["num_dE_dv" + J] = g.dv_numeric[j];
      N.v["new_v" + J] = g.v_new[j];
    }
    N.v["c"] = bp.c;
    N.v["zt"] = bp.zt;
    N.v["E"] = g.E;
    N.v["dE_dzt"] = g.dE_dzt;
    N.v["dzt_dc"] = bp.dzt_dc;
    N.v["dE_dc"] = g.dE_dc;
    double worst = 0;
    auto rel = [](double a, double b) { const double s2 = std::max(std::fabs(a), std::fabs(b)); return s2 < 1e-12 ? 0.0 : std::fabs(a - b) / s2; };
    for (int j = 0; j <= bp.m; ++j) worst = std::max(worst, rel(g.dv[j], g.dv_numeric[j]));
    for (int j = 1; j <= bp.m; ++j)
      for (int i = 0; i <= bp.n; ++i) worst = std::max(worst, rel(g.dw.at(i, j), g.dw_numeric.at(i, j)));
    N.v["maxRelErr"] = worst;
    return;
  }
  N.lecture_error = le;
  // ---- any dense net: the forward values and the chain from the engine's trace ----
  s.trace_example(false, k);
  const LayerTrace& t0 = s.trace(0);
  const int n = t0.w.rank == 2 ? t0.w.shape[1] : 0, mm = t0.w.rank == 2 ? t0.w.shape[0] : 0;
  const float* x = d.train_x.data() + (size_t)k * d.input_size;
  for (int i = 1; i <= n && i <= 9; ++i) N.v["x" + std::to_string(i)] = x[i - 1];
  const LayerTrace& to = s.trace(L - 1);
  if (to.ex_a.data && to.ex_a.size() == 1) {
    const float y = d.train_y[k];
    N.v["z"] = App::act_low(to.act) < 0 ? (y > 0.5f ? 1.0 : -1.0) : (double)y;
    if (!is_classification(app.cfg.data.set)) N.v["z"] = y;
    N.v["c"] = to.ex_z.data[0];
    N.v["zt"] = to.ex_a.data[0];
    const double e = to.ex_a.data[0] - N.v["z"];
    N.v["E"] = app.cfg.train.loss == LossType::HalfSquaredError ? 0.5 * e * e : e * e;
    if (to.ex_da.data) N.v["dE_dzt"] = to.ex_da.data[0];
    if (to.ex_dz.data) N.v["dE_dc"] = to.ex_dz.data[0];
    if (to.ex_da.data && to.ex_dz.data && to.ex_da.data[0] != 0) N.v["dzt_dc"] = (double)to.ex_dz.data[0] / to.ex_da.data[0];
  }
  for (int j = 1; j <= mm && j <= 9; ++j) {
    const std::string J = std::to_string(j);
    for (int i = 1; i <= n && i <= 9; ++i) N.v["w" + std::to_string(i) + J] = t0.w.data[(size_t)(j - 1) * n + (i - 1)];
    N.v["w0" + J] = t0.b.data[j - 1];
    if (t0.ex_z.data) N.v["a" + J] = t0.ex_z.data[j - 1];
    if (t0.ex_a.data) N.v["b" + J] = t0.ex_a.data[j - 1];
    if (t0.ex_dz.data) {
      for (int i = 1; i <= n && i <= 9; ++i) N.v["dE_dw" + std::to_string(i) + J] = (double)(t0.ex_dz.data[j - 1] * x[i - 1]);
      N.v["dE_dw0" + J] = t0.ex_dz.data[j - 1];
      N.v["dE_da" + J] = t0.ex_dz.data[j - 1];
    }
  }
  if (L == 1 && mm == 1) N.v["theta"] = -(double)t0.b.data[0];
  if (L == 2 && t0.ex_a.data) {
    const LayerTrace& t1 = s.trace(1);
    if (t1.w.data && t1.w.size() == (size_t)mm) {
      for (int j = 1; j <= mm && j <= 9; ++j) N.v["v" + std::to_string(j)] = t1.w.data[j - 1];
      N.v["v0"] = t1.b.data[0];
      if (t1.ex_dz.data) {
        for (int j = 1; j <= mm && j <= 9; ++j) N.v["dE_dv" + std::to_string(j)] = (double)(t1.ex_dz.data[0] * t0.ex_a.data[j - 1]);
        N.v["dE_dv0"] = t1.ex_dz.data[0];
      }
    }
  }
}
