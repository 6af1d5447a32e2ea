// The 2-D playground mode (playground.h): its layout, and the heatmap values of every neuron over
// the input square (one batched eval_grid per change, or the gradient field by nearest training
// example); the tooltips and colour scales its panels share.
#include "playground/playground.h"
#include <algorithm>
#include <cmath>
#include "nnplay/dataset.h"
#include "playground/panels.h"

using namespace nnplay;

namespace {
Playground* g_playground = nullptr;
constexpr float kDomain = ui::kDomain;
}  // namespace

Playground& playground() { return *g_playground; }

Playground* Playground::create(std::string* error) {
  auto* p = new Playground;
  if (!p->heat.init(kGrid, error)) { delete p; return nullptr; }
  p->grid_xy_.resize((size_t)kGrid * kGrid * 2);
  for (int gy = 0; gy < kGrid; ++gy)
    for (int gx = 0; gx < kGrid; ++gx) {
      const size_t q = (size_t)gy * kGrid + gx;
      p->grid_xy_[2 * q] = -kDomain + (gx + 0.5f) * (2 * kDomain / kGrid);
      p->grid_xy_[2 * q + 1] = kDomain - (gy + 0.5f) * (2 * kDomain / kGrid);   // row 0 at the top: x2 = +6
    }
  g_playground = p;
  return p;
}

void Playground::draw(App& app, Area a) {
  heat.begin_frame();
  hovered_link = LinkRef{};
  const float out_w = app.hides("output") ? -14.0f : std::min(400.0f, std::max(260.0f, ui::content_width() * 0.3f)), feat_w = 96;
  const Area feats{a.min, ImVec2(a.min.x + feat_w, a.max.y)};
  const Area net{ImVec2(feats.max.x, a.min.y), ImVec2(a.max.x - out_w - 14, a.max.y)};
  const Area out{ImVec2(a.max.x - out_w, a.min.y), a.max};
  features_min = feats.min; features_max = feats.max;
  network_panel(app, net);                             // links and hidden layers (links reach back into the features column)
  features_panel(app, feats);
  if (!app.hides("output")) output_panel(app, out);
}

void Playground::rebuild(const App& app) {
  const Config& cfg = app.cfg;
  tile_base_.clear();
  total_units_ = 0;
  for (const LayerSpec& l : cfg.layers) { tile_base_.push_back(total_units_); total_units_ += l.units; }
  heat.reserve((int)Feature::Count + total_units_);
  tile_max_.assign(total_units_, 1.0f);
  grid_out_.assign(app.session->grid_output_floats(kGrid * kGrid), 0.0f);
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
  const Dataset& d = app.session->data();
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
}

void Playground::update(App& app) {
  if (!built_ || app.session_serial() != seen_serial_) {
    rebuild(app);
    built_ = true;
    seen_serial_ = app.session_serial();
    fresh_ = true;
  }
  if (!fresh_ && app.revision() == seen_revision_ && seen_grad_ == app.gradients) return;
  Session& s = *app.session;
  const int n = kGrid * kGrid;
  if (!app.gradients) {
    if (grid_out_.empty()) return;
    s.eval_grid(n, grid_xy_.data(), grid_out_.data());  // every neuron over the grid, one batched call
    size_t off = 0;
    for (int l = 0; l < (int)app.cfg.layers.size(); ++l) {
      const int U = app.cfg.layers[l].units;
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
    const Dataset& d = s.data();
    const int N = d.train_count();
    std::fill(tile_max_.begin(), tile_max_.end(), 0.0f);
    for (int i = 0; i < N; ++i) {
      s.trace_example(false, i);
      for (int l = 0; l < (int)app.cfg.layers.size(); ++l) {
        const LayerTrace& t = s.trace(l);
        const int U = app.cfg.layers[l].units;
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
  seen_revision_ = app.revision();
  seen_grad_ = app.gradients;
  fresh_ = false;
}

float Playground::neuron_scale(const App& app, int layer, int unit) const {
  if (app.gradients) {
    const float m = tile_max_[tile_base_[layer] + unit];
    return m > 0 ? 1.0f / m : 1.0f;
  }
  return App::act_low(app.cfg.layers[layer].act) == 0.0f ? 2.0f : 1.0f;
}

bool Playground::nearest_example(const App& app, float x1, float x2, bool* test_set, int* index) const {
  const Dataset& d = app.session->data();
  float best = 1e30f;
  bool found = false;
  for (int part = 0; part < 2; ++part) {
    if (part == 1 && !app.show_test) break;
    const auto& pts = part == 0 ? d.train_points : d.test_points;
    for (size_t i = 0; i < pts.size(); ++i) {
      const float dx = pts[i].x1 - x1, dy = pts[i].x2 - x2, dd = dx * dx + dy * dy;
      if (dd < best) { best = dd; *test_set = part == 1; *index = (int)i; found = true; }
    }
  }
  return found;
}

namespace pg {

Heatmaps::Style value_style(const App& app, int layer) {
  Heatmaps::Style s;
  if (app.gradients) { s.palette = 1; return s; }    // scale per neuron: Playground::neuron_scale
  const float low = App::act_low(app.cfg.layers[layer].act);
  s.offset = low == 0.0f ? 0.5f : 0.0f;
  s.scale = low == 0.0f ? 2.0f : 1.0f;
  if (app.cfg.layers[layer].act == Activation::Relu || app.cfg.layers[layer].act == Activation::Linear ||
      app.cfg.layers[layer].act == Activation::LeakyRelu) { s.offset = 0; s.scale = 1; }
  return s;
}

void neuron_tooltip(App& app, int layer, int unit, float x1, float x2) {
  bool test = false;
  int idx = -1;
  ImGui::BeginTooltip();
  ImGui::Text("layer %d, neuron %d (%s)", layer + 1, unit + 1, layer + 1 == (int)app.cfg.layers.size() ? "output" : "hidden");
  if (playground().nearest_example(app, x1, x2, &test, &idx)) {
    const Point& p = test ? app.session->data().test_points[idx] : app.session->data().train_points[idx];
    app.session->trace_example(test, idx);
    const LayerTrace& t = app.session->trace(layer);
    auto at = [&](const View& v) { return v.data && (int)v.size() > unit ? v.data[unit] : 0.0f; };
    ImGui::Text("%s example #%d at (%.2f, %.2f), label %g", test ? "test" : "training", idx, p.x1, p.x2, p.label);
    ImGui::Separator();
    ImGui::Text("pre-activation z = %.5f", at(t.ex_z));
    ImGui::Text("activation     a = %.5f", at(t.ex_a));
    ImGui::Text("gradient   dE/da = %.6f", at(t.ex_da));
    ImGui::Text("           dE/dz = %.6f", at(t.ex_dz));
  } else {
    ImGui::TextUnformatted("no example to evaluate");
  }
  ImGui::EndTooltip();
}

}  // namespace pg
