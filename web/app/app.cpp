// The page's state and actions (app.h): the session's life cycle through the state door, training
// per frame, loss curves, the status line. Settings by key are in keys.cpp, the layout in layout.cpp.
#include "app/app.h"
#include <algorithm>
#include <cmath>
#include "app/divergence.h"
#include "app/i18n.h"
#include "app/mode.h"

using namespace nnplay;

namespace { App* g_app = nullptr; }
App* the_app() { return g_app; }

App* App::create(std::vector<Mode*> modes, std::string* error) {
  if (modes.empty()) { *error = "no mode to show the experiment"; return nullptr; }
  auto* app = new App;
  app->modes_ = std::move(modes);
  std::string e = app->apply(default_config(), false);
  if (!e.empty()) { *error = "the default experiment: " + e; delete app; return nullptr; }
  app->status.clear();
  g_app = app;
  return app;
}

float App::act_low(Activation a) {
  return (a == Activation::Sigmoid || a == Activation::Relu || a == Activation::Step || a == Activation::Softmax) ? 0.0f : -1.0f;
}

Problem App::problem() const {
  if (!is_classification(cfg.data.set)) return Problem::Regression;
  return output_units() > 1 ? Problem::Multiclass : Problem::Classification;
}

Mode& App::mode_for(const Config& c) const {
  for (Mode* m : modes_)
    if (m->owns(c)) return *m;
  return *modes_.front();
}
Mode& App::mode() const { return mode_for(cfg); }

std::string App::apply(const Config& c, bool keep_weights) {
  share::Opened r = share::open_config(c, mode_for(c).data(c), keep_weights ? session.get() : nullptr);
  if (!r.ok()) return r.error;
  adopt(r);
  return "";
}

std::string App::open(share::Opened r, bool fresh_views) {
  if (!r.ok()) return r.error.empty() ? "nothing to open" : r.error;
  adopt(r);
  for (Mode* m : modes_) m->opened(*this, fresh_views);
  for (const auto& [k, v] : r.ui) set_ui_key(k, v);     // checked by the door; the tutorial's keys are the player's
  return "";
}

void App::adopt(share::Opened& r) {
  session = std::move(r.session);
  cfg = r.config;
  if (r.carried) {
    log.invalidate();                                  // a hyper-parameter changed mid-run: replay cannot reproduce it
  } else {
    log = r.log;
    curve.clear();
    if (r.has_start) curve.push_back(CurvePoint{0, (float)r.start.train_loss, (float)r.start.test_loss});
    playing = false;
  }
  diverged = false;
  set_status("", false);
  ++revision_;
  ++serial_;
  metrics = session->metrics();
  record_curve();
}

void App::play() {
  if (diverged) { set_status(tr("diverged.play"), true); return; }
  playing = true;
}

StepResult App::step(StepSize size, int n) {
  StepResult r;
  if (diverged) { r.status = StepStatus::Diverged; r.divergence = divergence; return r; }
  n = std::max(1, std::min(n, 100000));
  r = session->step(size, n);
  log.record(size, n, r);
  last_updates += r.steps_done;
  ++revision_;
  if (mode().metrics_due(*this, r.status != StepStatus::Ok)) {
    metrics = session->metrics();
    record_curve();
  }
  if (r.status == StepStatus::Diverged) {
    playing = false;
    diverged = true;
    divergence = r.divergence;
    set_status(divergence_text(divergence), true);
    status_is_divergence = true;
  }
  return r;
}

std::string App::status_text() const { return status_is_divergence && diverged ? divergence_text(divergence) : status; }

int App::back(int n) {
  n = std::max(1, std::min(n, 1 << 30));
  const int undone = session->back(n);
  log.back(undone);
  if (undone > 0) {
    diverged = false;
    if (status_is_error) set_status("", false);
  }
  metrics = session->metrics();
  const int64_t s = session->step_count();
  while (!curve.empty() && curve.back().step > s) curve.pop_back();
  record_curve();
  ++revision_;
  return undone;
}

void App::reset(bool new_seed) {
  Config c = cfg;
  if (new_seed) c.seed = cfg.seed * 6364136223846793005ull + 1442695040888963407ull;  // next seed, deterministic
  if (c.seed == 0) c.seed = 1;
  const bool was_playing = playing;
  std::string e = apply(c, false);
  if (!e.empty()) set_status(e, true);
  playing = was_playing && e.empty();
}

std::string App::set_weight(int layer, bool bias, int index, float value) {
  if (layer < 0 || layer >= (int)cfg.layers.size()) return "set_weight: no layer " + std::to_string(layer);
  if (!std::isfinite(value)) return "set_weight: the value must be a finite number";
  std::string e;
  if (!session->set_weight(layer, bias, (size_t)std::max(0, index), value, &e)) return e.empty() ? "set_weight failed" : e;
  log.invalidate();
  metrics = session->metrics();
  ++revision_;
  return "";
}

std::string App::add_point(float x1, float x2, float label) {
  Config c = cfg;
  c.data.user_points.push_back(Point{x1, x2, label});
  return apply(c, false);
}

void App::clear_points() {
  Config c = cfg;
  c.data.user_points.clear();
  if (c.data.set == DataSet::User) c.data.set = DataSet::Circle;
  std::string e = apply(c, false);
  if (!e.empty()) set_status(e, true);
}

void App::record_curve() {
  const int64_t s = session->step_count();
  CurvePoint p{s, (float)metrics.train_loss, (float)metrics.test_loss};
  if (!curve.empty() && curve.back().step == s) { curve.back() = p; return; }
  curve.push_back(p);
  if (curve.size() > 2000) {                           // keep the curves bounded: drop every other point
    std::vector<CurvePoint> half;
    half.reserve(1001);
    for (size_t i = 0; i < curve.size(); i += 2) half.push_back(curve[i]);
    if (half.back().step != curve.back().step) half.push_back(curve.back());
    curve.swap(half);
  }
}

void App::update() {
  last_updates = 0;
  if (playing && !diverged) step(step_size, steps_per_frame);
  mode().update(*this);
}

void App::note_rect(const char* name) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ui_rects[name] = ImVec4(a.x, a.y, b.x - a.x, b.y - a.y);
}
