// Features panel: the seven input features, each with its heatmap over the input square; a click
// toggles it (a new session with the same seed, as in TF Playground).
#include "playground/panels.h"

using namespace nnplay;

void features_panel(App& app, Area a) {
  static const char* kLabels[] = {"X1", "X2", "X1^2", "X2^2", "X1X2", "sin X1", "sin X2"};
  static const char* kKeys[] = {"x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY"};
  ui::header(a, "FEATURES");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  Heatmaps::Style s;
  for (int f = 0; f < (int)Feature::Count; ++f) {
    ImVec2 r0, r1;
    pg::feature_rect(f, &r0, &r1);
    const bool on = (app.cfg.data.features >> f) & 1;
    playground().heat.draw(dl, playground().feature_tile(f), r0, r1, s, on ? 1.0f : 0.25f);
  }
  playground().heat.end(dl);
  for (int f = 0; f < (int)Feature::Count; ++f) {
    ImVec2 r0, r1;
    pg::feature_rect(f, &r0, &r1);
    const bool on = (app.cfg.data.features >> f) & 1;
    dl->AddRect(ImVec2(r0.x - 1, r0.y - 1), ImVec2(r1.x + 1, r1.y + 1), on ? IM_COL32(230, 230, 230, 255) : IM_COL32(90, 96, 104, 255), 2, 0, on ? 2.0f : 1.0f);
    const ImVec2 ts = ImGui::CalcTextSize(kLabels[f]);
    dl->AddText(ImVec2(r0.x - ts.x - 6, (r0.y + r1.y - ts.y) * 0.5f), on ? ui::kText : ui::kDim, kLabels[f]);
    ImGui::SetCursorScreenPos(ImVec2(a.min.x, r0.y));
    ImGui::PushID(f);
    if (ImGui::InvisibleButton("feature", ImVec2(r1.x - a.min.x, r1.y - r0.y))) ui::set(app, kKeys[f], on ? "0" : "1");
    app.note_rect((std::string("feature:") + kKeys[f]).c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s: %s (click to %s)", kLabels[f], on ? "on" : "off", on ? "turn off" : "turn on");
    ImGui::PopID();
  }
}
