// What every panel of every part of the page shares: the rectangle a panel owns, the colours, a
// panel's title line, a setting's combo, the input square's mapping. Not any panel.
#pragma once
#include <string>
#include <vector>
#include "imgui.h"

class App;

struct Area { ImVec2 min, max; float w() const { return max.x - min.x; } float h() const { return max.y - min.y; } };

namespace ui {
inline constexpr ImU32 kPos = IM_COL32(8, 119, 189, 255);       // positive values / class 1 (TF Playground blue)
inline constexpr ImU32 kNeg = IM_COL32(245, 147, 34, 255);      // negative values / class 0 (orange)
inline constexpr ImU32 kGradPos = IM_COL32(46, 125, 50, 255);   // gradient view
inline constexpr ImU32 kGradNeg = IM_COL32(194, 24, 91, 255);
inline constexpr ImU32 kText = IM_COL32(220, 224, 230, 255);
inline constexpr ImU32 kDim = IM_COL32(140, 148, 158, 255);
inline constexpr float kDomain = 6.0f;                          // the 2-D input square is [-6, 6]^2
ImU32 class_colour(int c);                            // the shader's multi-class palette
ImU32 point_colour(const App& app, float label);      // a data point's colour under the current problem
void header(Area a, const char* title);                // a panel's title line
// Calls app.set(key, value) and shows its error in the page; true when it applied.
bool set(App& app, const std::string& key, const std::string& value);
// A combo over `values` (shown as `labels` when given) for a key; records its rectangle as "combo:<key>".
void key_combo(App& app, const char* label, const char* key, const std::vector<std::string>& values,
               const std::vector<std::string>& labels = {}, float width = 110);
float content_width();                                 // the main window's content width (the page's columns share it)
// Maps a point of the input square to the rectangle r and back.
inline ImVec2 to_screen(ImVec2 r0, ImVec2 r1, float x1, float x2) {
  return ImVec2(r0.x + (x1 + kDomain) / (2 * kDomain) * (r1.x - r0.x), r0.y + (kDomain - x2) / (2 * kDomain) * (r1.y - r0.y));
}
inline ImVec2 to_input(ImVec2 r0, ImVec2 r1, ImVec2 p) {
  return ImVec2(-kDomain + (p.x - r0.x) / (r1.x - r0.x) * 2 * kDomain, kDomain - (p.y - r0.y) / (r1.y - r0.y) * 2 * kDomain);
}
}  // namespace ui
