// The 2-D playground's panels (every panel the same shape as the chrome's, app/panels.h) and the
// helpers they share. Not the chrome (top bar, status, data column).
#pragma once
#include <algorithm>
#include "app/app.h"
#include "app/ui.h"
#include "playground/playground.h"

void features_panel(App& app, Area a);                 // the seven input features, toggled by a click
void network_panel(App& app, Area a);                  // hidden layers, neurons with heatmaps, links
void output_panel(App& app, Area a);                   // decision boundary / surface, points, loss curves, counters

namespace pg {
Heatmaps::Style value_style(const App& app, int layer);  // colour scale of a layer's tiles in the current view
// Rectangle of input feature f's tile in the features column (the same for both panels that need it).
inline void feature_rect(int f, ImVec2* r0, ImVec2* r1) {
  const Playground& p = playground();
  const float h = p.features_max.y - p.features_min.y - 24;
  const float t = std::min(40.0f, std::max(16.0f, h / 7 - 8));
  const float x = p.features_max.x - t - 6, y = p.features_min.y + 24 + f * (t + 8);
  *r0 = ImVec2(x, y); *r1 = ImVec2(x + t, y + t);
}
// The neuron under the cursor's tooltip: pre-activation, activation and dE/da at the example nearest to (x1, x2).
void neuron_tooltip(App& app, int layer, int unit, float x1, float x2);
}  // namespace pg
