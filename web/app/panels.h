// The UI panels. Every panel has the same shape: a function of the App and the screen rectangle it
// owns, drawing with ImGui into the main window and editing the App only through its actions.
#pragma once
#include <algorithm>
#include <string>
#include "app/app.h"
#include "imgui.h"

struct Area { ImVec2 min, max; float w() const { return max.x - min.x; } float h() const { return max.y - min.y; } };

void controls_panel(App& app, Area a);                 // play/pause, step, back, reset, training settings (top bar)
void data_panel(App& app, Area a);                     // data sets, noise, split, batch, regenerate, clicked points
void features_panel(App& app, Area a);                 // the seven input features, toggled by a click
void network_panel(App& app, Area a);                  // hidden layers, neurons with heatmaps, links
void output_panel(App& app, Area a);                   // decision boundary / surface, points, loss curves, counters
void status_panel(App& app, Area a);                   // divergence and error messages, with their actions
void share_button(App& app);                           // title bar, right: "Share / files" popup: copy links, save/open JSON, export, new experiment

// ---- shared by the panels ----
namespace ui {
inline constexpr ImU32 kPos = IM_COL32(8, 119, 189, 255);       // positive values / class 1 (TF Playground blue)
inline constexpr ImU32 kNeg = IM_COL32(245, 147, 34, 255);      // negative values / class 0 (orange)
inline constexpr ImU32 kGradPos = IM_COL32(46, 125, 50, 255);   // gradient view
inline constexpr ImU32 kGradNeg = IM_COL32(194, 24, 91, 255);
inline constexpr ImU32 kText = IM_COL32(220, 224, 230, 255);
inline constexpr ImU32 kDim = IM_COL32(140, 148, 158, 255);
ImU32 class_colour(int c);                            // the shader's multi-class palette
void header(Area a, const char* title);                // a panel's title line
// Calls app.set(key, value) and shows its error in the page; true when it applied.
bool set(App& app, const std::string& key, const std::string& value);
// A combo over `values` (shown as `labels` when given) for a key; records its rectangle as "combo:<key>".
void key_combo(App& app, const char* label, const char* key, const std::vector<std::string>& values,
               const std::vector<std::string>& labels = {}, float width = 110);
Heatmaps::Style value_style(const App& app, int layer);  // colour scale of a layer's tiles in the current view
// Maps a point of the input square [-6, 6]^2 to the rectangle r and back.
inline ImVec2 to_screen(ImVec2 r0, ImVec2 r1, float x1, float x2) {
  return ImVec2(r0.x + (x1 + kDomain) / (2 * kDomain) * (r1.x - r0.x), r0.y + (kDomain - x2) / (2 * kDomain) * (r1.y - r0.y));
}
inline ImVec2 to_input(ImVec2 r0, ImVec2 r1, ImVec2 p) {
  return ImVec2(-kDomain + (p.x - r0.x) / (r1.x - r0.x) * 2 * kDomain, kDomain - (p.y - r0.y) / (r1.y - r0.y) * 2 * kDomain);
}
// Rectangle of input feature f's tile in the features column (the same for both panels that need it).
inline void feature_rect(const App& app, int f, ImVec2* r0, ImVec2* r1) {
  const float h = app.features_max.y - app.features_min.y - 24;
  const float t = std::min(40.0f, std::max(16.0f, h / 7 - 8));
  const float x = app.features_max.x - t - 6, y = app.features_min.y + 24 + f * (t + 8);
  *r0 = ImVec2(x, y); *r1 = ImVec2(x + t, y + t);
}
// The neuron under the cursor's tooltip: pre-activation, activation and dE/da at the example nearest to (x1, x2).
void neuron_tooltip(App& app, int layer, int unit, float x1, float x2);
}  // namespace ui
