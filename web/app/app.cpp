// The playground's state and actions (app.h): the session's life cycle, training per frame, the
// heatmap values (one batched eval_grid per frame), loss curves. Key/value settings are in keys.cpp.
#include "app/app.h"
#include "cnn/cnn.h"
#include <algorithm>
#include <cmath>
#include <cstdio>
#include "nnplay/dataset.h"

using namespace nnplay;

namespace { App* g_app = nullptr; }
App* the_app() { return g_app; }

App* App::create(std::string* error) {
  auto* app = new App;
  if (!app->heat.init(kGrid, error)) { delete app; return nullptr; }
  app->grid_xy_.resize((size_t)kGrid * kGrid * 2);
  for (int gy = 0; gy < kGrid; ++gy)
    for (int gx = 0; gx < kGrid; ++gx) {
      const size_t p = (size_t)gy * kGrid + gx;
      app->grid_xy_[2 * p] = -kDomain + (gx + 0.5f) * (2 * kDomain / kGrid);
      app->grid_xy_[2 * p + 1] = kDomain - (gy + 0.5f) * (2 * kDomain / kGrid);   // row 0 at the top: x2 = +6
    }
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

std::string App::apply(const Config& c, bool keep_weights) {
  std::string e = cnn::validate(c);                    // nnplay::validate, or the user IDX data's own check (cnn_keys.cpp)
  if (!e.empty()) return e;
  std::unique_ptr<Session> s = cnn::create_session(c, &e);  // Session::create, with the user IDX data when loaded
  if (!s) return e.empty() ? "the engine could not create this experiment" : e;
  bool kept = false;
  if (keep_weights && session && session->parameter_count() == s->parameter_count()) {
    std::vector<float> params(session->parameter_count());
    session->parameters(params.data());
    std::vector<float> opt = c.train.optimizer == cfg.train.optimizer ? session->optimizer_state() : std::vector<float>();
    std::string re;
    kept = s->restore(params, opt, session->step_count(), session->examples_seen(), &re);
    if (!kept && !opt.empty()) kept = s->restore(params, {}, session->step_count(), session->examples_seen(), &re);
  }
  session = std::move(s);
  cfg = c;
  if (kept) {
    log.invalidate();                                  // a hyper-parameter changed mid-run: replay cannot reproduce it
  } else {
    log.clear();
    curve.clear();
    playing = false;
  }
  diverged = false;
  set_status("", false);
  rebuild_after_change();
  return "";
}

void App::rebuild_after_change() {
  tile_base_.clear();
  total_units_ = 0;
  for (const LayerSpec& l : cfg.layers) { tile_base_.push_back(total_units_); total_units_ += l.units; }
  heat.reserve((int)Feature::Count + total_units_);
  tile_max_.assign(total_units_, 1.0f);
  grid_out_.assign(session->grid_output_floats(kGrid * kGrid), 0.0f);
  // The input features over the grid never change; scaled to [-1, 1] for display.
  float f[(int)Feature::Count];
  for (int gy = 0; gy < kGrid; ++gy) {
    float* rows[(int)Feature::Count];
    for (int k = 0; k < (int)Feature::Count; ++k) rows[k] = heat.row(feature_tile(k), gy);
    for (int gx = 0; gx < kGrid; ++gx) {
      const size_t p = (size_t)gy * kGrid + gx;
      features_of((1u << (int)Feature::Count) - 1, grid_xy_[2 * p], grid_xy_[2 * p + 1], f);
      rows[0][gx] = f[0] / kDomain; rows[1][gx] = f[1] / kDomain;
      rows[2][gx] = f[2] / (kDomain * kDomain) * 2 - 1; rows[3][gx] = f[3] / (kDomain * kDomain) * 2 - 1;
      rows[4][gx] = f[4] / (kDomain * kDomain); rows[5][gx] = f[5]; rows[6][gx] = f[6];
    }
  }
  // Nearest training example of every grid cell, for the gradient view (data fixed per session).
  const Dataset& d = session->data();
  nearest_train_.assign((size_t)kGrid * kGrid, -1);
  if (!d.train_points.empty()) {
    for (size_t p = 0; p < (size_t)kGrid * kGrid; ++p) {
      float best = 1e30f; int bi = -1;
      for (size_t i = 0; i < d.train_points.size(); ++i) {
        const float dx = d.train_points[i].x1 - grid_xy_[2 * p], dy = d.train_points[i].x2 - grid_xy_[2 * p + 1];
        const float dd = dx * dx + dy * dy;
        if (dd < best) { best = dd; bi = (int)i; }
      }
      nearest_train_[p] = bi;
    }
  }
  grad_field_.assign(d.train_points.size() * (size_t)total_units_, 0.0f);
  heat_dirty_ = true;
  metrics = session->metrics();
  record_curve();
}

void App::play() {
  if (diverged) { set_status("Training diverged: step back or reset before playing again.", true); return; }
  playing = true;
}

StepResult App::step(StepSize size, int n) {
  StepResult r;
  if (diverged) { r.status = StepStatus::Diverged; r.message = status; return r; }
  n = std::max(1, std::min(n, 100000));
  r = session->step(size, n);
  log.record(size, n, r);
  last_updates += r.steps_done;
  if (cnn::metrics_due(*this, r.status != StepStatus::Ok)) {   // image sets while playing: at most every 1.5 s (cnn_layout.cpp)
    metrics = session->metrics();
    record_curve();
  }
  heat_dirty_ = true;
  if (r.status == StepStatus::Diverged) {
    playing = false;
    diverged = true;
    char why[160];
    std::snprintf(why, sizeof why, "a NaN or infinite value appeared at step %lld; the learning rate (%g) is probably too high.",
                  (long long)session->step_count() + 1, (double)cfg.train.learning_rate);
    std::string m = r.message.empty() ? std::string(why) : r.message;
    const std::string lead = "training diverged: ";        // the engine's overshoot message starts with its step number, then this
    const size_t at = m.find(lead);
    if (at != std::string::npos) m.erase(at, lead.size());
    set_status("Training diverged: " + m + " Paused: step back, or lower the learning rate and play on.", true);
  }
  return r;
}

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
  heat_dirty_ = true;
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
  heat_dirty_ = true;
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
  refresh_heatmaps();
}

float App::neuron_scale(int layer, int unit) const {
  if (gradients) {
    const float m = tile_max_[tile_base_[layer] + unit];
    return m > 0 ? 1.0f / m : 1.0f;
  }
  return act_low(cfg.layers[layer].act) == 0.0f ? 2.0f : 1.0f;
}

void App::refresh_heatmaps() {
  if (is_image(cfg.data.set)) return;                  // no 2-D heatmaps for images (the gradient field would trace every image)
  const int64_t s = session->step_count();
  if (!heat_dirty_ && s == heat_step_ && heat_grad_ == gradients) return;
  const int n = kGrid * kGrid;
  if (!gradients) {
    if (grid_out_.empty()) return;
    session->eval_grid(n, grid_xy_.data(), grid_out_.data());   // every neuron over the grid, one batched call
    size_t off = 0;
    for (int l = 0; l < (int)cfg.layers.size(); ++l) {
      const int U = cfg.layers[l].units;
      for (int u = 0; u < U; ++u) {
        for (int gy = 0; gy < kGrid; ++gy) {
          float* row = heat.row(neuron_tile(l, u), gy);
          const float* src = grid_out_.data() + off + (size_t)gy * kGrid * U + u;
          for (int gx = 0; gx < kGrid; ++gx) row[gx] = src[(size_t)gx * U];
        }
      }
      off += (size_t)n * U;
    }
  } else {
    // dE/da of every neuron at every training example (one forward+backward each, no update),
    // shown over the square by nearest training example.
    const Dataset& d = session->data();
    const int N = d.train_count();
    std::fill(tile_max_.begin(), tile_max_.end(), 0.0f);
    for (int i = 0; i < N; ++i) {
      session->trace_example(false, i);
      for (int l = 0; l < (int)cfg.layers.size(); ++l) {
        const LayerTrace& t = session->trace(l);
        const int U = cfg.layers[l].units;
        for (int u = 0; u < U; ++u) {
          const float g = (t.ex_da.data && (int)t.ex_da.size() > u) ? t.ex_da.data[u] : 0.0f;
          grad_field_[(size_t)i * total_units_ + tile_base_[l] + u] = g;
          float& m = tile_max_[tile_base_[l] + u];
          if (std::isfinite(g)) m = std::max(m, std::fabs(g));
        }
      }
    }
    for (int k = 0; k < total_units_; ++k) {
      int layer = 0;
      while (layer + 1 < (int)tile_base_.size() && tile_base_[layer + 1] <= k) ++layer;
      const int tile = neuron_tile(layer, k - tile_base_[layer]);
      for (int gy = 0; gy < kGrid; ++gy) {
        float* row = heat.row(tile, gy);
        for (int gx = 0; gx < kGrid; ++gx) {
          const int e = nearest_train_[(size_t)gy * kGrid + gx];
          row[gx] = e >= 0 ? grad_field_[(size_t)e * total_units_ + k] : 0.0f;
        }
      }
    }
  }
  heat.upload();
  heat_step_ = s;
  heat_grad_ = gradients;
  heat_dirty_ = false;
}

bool App::nearest_example(float x1, float x2, bool* test_set, int* index) const {
  const Dataset& d = session->data();
  float best = 1e30f;
  bool found = false;
  for (int part = 0; part < 2; ++part) {
    if (part == 1 && !show_test) break;
    const auto& pts = part == 0 ? d.train_points : d.test_points;
    for (size_t i = 0; i < pts.size(); ++i) {
      const float dx = pts[i].x1 - x1, dy = pts[i].x2 - x2, dd = dx * dx + dy * dy;
      if (dd < best) { best = dd; *test_set = part == 1; *index = (int)i; found = true; }
    }
  }
  return found;
}

void App::note_rect(const char* name) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ui_rects[name] = ImVec4(a.x, a.y, b.x - a.x, b.y - a.y);
}
