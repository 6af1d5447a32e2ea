// The page layout (App::draw: which panel gets which rectangle), the keyboard shortcuts, and the
// helpers the panels share (panels.h). Not any panel's content.
#include <cstdio>
#include "app/panels.h"
#include "cnn/cnn.h"
#include <SDL.h>

using namespace nnplay;

namespace ui {

ImU32 class_colour(int c) {
  static const ImU32 k[6] = {IM_COL32(8, 119, 189, 255), IM_COL32(245, 147, 34, 255), IM_COL32(58, 166, 85, 255),
                             IM_COL32(142, 95, 194, 255), IM_COL32(214, 69, 65, 255), IM_COL32(23, 162, 184, 255)};
  return k[((c % 6) + 6) % 6];
}

void header(Area a, const char* title) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddText(ImVec2(a.min.x, a.min.y), kDim, title);
  ImGui::SetCursorScreenPos(ImVec2(a.min.x, a.min.y + ImGui::GetTextLineHeight() + 4));
}

bool set(App& app, const std::string& key, const std::string& value) {
  std::string e = app.set(key, value);
  app.report(e);
  return e.empty();
}

void key_combo(App& app, const char* label, const char* key, const std::vector<std::string>& values,
               const std::vector<std::string>& labels, float width) {
  if (app.hides(key)) return;                          // classroom mode: <key>_hide=1
  const std::string cur = app.get(key);
  int sel = -1;
  for (size_t i = 0; i < values.size(); ++i) if (values[i] == cur) sel = (int)i;
  const std::string shown = sel >= 0 ? (labels.empty() ? values[sel] : labels[sel]) : cur;
  ImGui::PushID(key);
  ImGui::BeginGroup();
  ImGui::TextColored(ImColor(kDim).Value, "%s", label);
  ImGui::SetNextItemWidth(width);
  if (ImGui::BeginCombo("##c", shown.c_str())) {
    for (size_t i = 0; i < values.size(); ++i) {
      if (ImGui::Selectable(labels.empty() ? values[i].c_str() : labels[i].c_str(), (int)i == sel)) set(app, key, values[i]);
      app.note_rect((std::string("option:") + key + ":" + values[i]).c_str());
    }
    ImGui::EndCombo();
  }
  app.note_rect((std::string("combo:") + key).c_str());
  ImGui::EndGroup();
  ImGui::PopID();
}

Heatmaps::Style value_style(const App& app, int layer) {
  Heatmaps::Style s;
  if (app.gradients) { s.palette = 1; return s; }  // scale per neuron: App::neuron_scale
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
  if (app.nearest_example(x1, x2, &test, &idx)) {
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

}  // namespace ui

// Keyboard: space play/pause, right step, left step back, r reset; one action per key press
// (auto-repeats ignored), not while a text field has the keyboard.
void App::on_key(int scancode, bool repeat) {
  if (repeat || ImGui::GetIO().WantTextInput) return;
  switch (scancode) {
    case SDL_SCANCODE_SPACE: if (playing) pause(); else play(); break;
    case SDL_SCANCODE_RIGHT: step(step_size, 1); break;
    case SDL_SCANCODE_LEFT: back(1); break;
    case SDL_SCANCODE_R: reset(false); break;
    default: break;
  }
}

void App::draw() {
  ui_rects.clear();
  heat.begin_frame();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(10, 8));
  ImGui::Begin("nnplay " NNPLAY_VERSION " - neural network playground###nnplay", nullptr,
               (compact ? ImGuiWindowFlags_NoTitleBar : 0) | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
               ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBringToFrontOnFocus);
  ImGui::PopStyleVar();
  const ImVec2 c0 = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 c1(c0.x + avail.x, c0.y + avail.y);
  const float top = hides("controls") ? 0.0f : 58.0f, status_h = status.empty() ? 0.0f : 46.0f;
  const float data_w = hides("data") ? -14.0f : 190.0f, out_w = hides("output") ? -14.0f : std::min(400.0f, std::max(260.0f, avail.x * 0.3f)), feat_w = 96;
  Area controls{c0, ImVec2(c1.x, c0.y + top)};
  Area status_a{ImVec2(c0.x, c0.y + top), ImVec2(c1.x, c0.y + top + status_h)};
  const float y0 = c0.y + top + status_h + 6;
  Area data{ImVec2(c0.x, y0), ImVec2(c0.x + data_w, c1.y)};
  Area feats{ImVec2(c0.x + data_w + 14, y0), ImVec2(c0.x + data_w + 14 + feat_w, c1.y)};
  Area net{ImVec2(feats.max.x, y0), ImVec2(c1.x - out_w - 14, c1.y)};
  Area out{ImVec2(c1.x - out_w, y0), c1};
  features_min = feats.min; features_max = feats.max;
  if (!hides("controls")) controls_panel(*this, controls);
  if (status_h > 0) status_panel(*this, status_a);
  if (!hides("data")) data_panel(*this, data);
  if (is_image(cfg.data.set)) {                        // image data: the CNN layout (web/cnn_*.cpp) instead of the 2-D panels
    cnn::draw(*this, Area{feats.min, c1});
  } else {
  network_panel(*this, net);                           // links and hidden layers (links reach back into the features column)
  features_panel(*this, feats);
  if (!hides("output")) output_panel(*this, out);
  }
  ImGui::End();
  if (!compact && !hides("share")) share_button(*this);                                 // its own small window over the title bar's right end
}
