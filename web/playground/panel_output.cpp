// Output panel: the decision boundary (two classes), the class colours (multi-class) or the surface
// (regression) with the training and test points; test-data and discretize toggles, loss curves,
// accuracy and counters. A click adds a point when "add points" is on.
#include <cmath>
#include <cstdio>
#include "playground/panels.h"

using namespace nnplay;

void output_panel(App& app, Area a) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ui::header(a, "OUTPUT");
  const Metrics& m = app.metrics;
  const float lh = ImGui::GetTextLineHeightWithSpacing(), half = a.min.x + a.w() * 0.5f;
  char t0[64];
  std::snprintf(t0, sizeof t0, "Test loss %.4g", m.test_loss);
  dl->AddText(ImVec2(a.min.x, a.min.y + 20), ui::kText, t0);
  std::snprintf(t0, sizeof t0, "Training loss %.4g", m.train_loss);
  dl->AddText(ImVec2(half, a.min.y + 20), ui::kText, t0);
  if (m.test_accuracy >= 0) {
    std::snprintf(t0, sizeof t0, "Test accuracy %.1f%%", m.test_accuracy * 100);
    dl->AddText(ImVec2(a.min.x, a.min.y + 20 + lh), ui::kText, t0);
    std::snprintf(t0, sizeof t0, "Training accuracy %.1f%%", m.train_accuracy * 100);
    dl->AddText(ImVec2(half, a.min.y + 20 + lh), ui::kText, t0);
  } else {
    dl->AddText(ImVec2(a.min.x, a.min.y + 20 + lh), ui::kDim, "(regression: no accuracy)");
  }
  ImGui::SetCursorScreenPos(ImVec2(a.min.x, a.min.y + 20 + 2 * lh));
  // ---- loss curves: training (grey) and test (white) against the step count ----
  const float curve_h = 70;
  const ImVec2 c0(a.min.x, ImGui::GetCursorScreenPos().y + 2), c1(a.max.x, c0.y + curve_h);
  dl->AddRectFilled(c0, c1, IM_COL32(30, 34, 40, 255), 3);
  const auto& cv = app.curve;
  if (cv.size() >= 2) {
    float ymax = 1e-6f;
    for (const auto& p : cv) { if (std::isfinite(p.train)) ymax = std::max(ymax, p.train); if (std::isfinite(p.test)) ymax = std::max(ymax, p.test); }
    const double s0 = (double)cv.front().step, s1 = std::max(s0 + 1, (double)cv.back().step);
    for (int which = 0; which < 2; ++which) {
      ImVec2 prev;
      for (size_t i = 0; i < cv.size(); ++i) {
        const float v = which == 0 ? cv[i].train : cv[i].test;
        const float y = std::isfinite(v) ? std::min(v, ymax) : ymax;
        const ImVec2 q((float)(c0.x + 2 + (cv[i].step - s0) / (s1 - s0) * (c1.x - c0.x - 4)), c1.y - 2 - y / ymax * (curve_h - 6));
        if (i) dl->AddLine(prev, q, which == 0 ? IM_COL32(150, 156, 166, 255) : IM_COL32(250, 250, 250, 255), 1.5f);
        prev = q;
      }
    }
    char t[64];
    std::snprintf(t, sizeof t, "%.3g", ymax);
    dl->AddText(ImVec2(c0.x + 4, c0.y + 2), ui::kDim, t);
  }
  dl->AddLine(ImVec2(c1.x - 130, c0.y + 10), ImVec2(c1.x - 116, c0.y + 10), IM_COL32(150, 156, 166, 255), 2);
  dl->AddText(ImVec2(c1.x - 112, c0.y + 2), ui::kDim, "train");
  dl->AddLine(ImVec2(c1.x - 64, c0.y + 10), ImVec2(c1.x - 50, c0.y + 10), IM_COL32(250, 250, 250, 255), 2);
  dl->AddText(ImVec2(c1.x - 46, c0.y + 2), ui::kDim, "test");

  // ---- the output over the input square ----
  const float side = std::min(a.w(), a.max.y - c1.y - 74);
  const ImVec2 h0(a.min.x + (a.w() - side) * 0.5f, c1.y + 8), h1(h0.x + side, h0.y + side);
  const int L = (int)app.cfg.layers.size();
  Heatmaps::Style s = pg::value_style(app, L - 1);
  s.discretize = app.discretize;
  if (app.gradients) s.scale = playground().neuron_scale(app, L - 1, 0);
  else if (app.problem() == Problem::Multiclass) {
    s.mode = 1; s.classes = app.output_units();
    for (int c = 0; c < s.classes && c < 6; ++c) s.class_tiles[c] = playground().neuron_tile(L - 1, c);
  } else if (app.problem() == Problem::Classification) {
    s.offset = (App::act_low(app.cfg.layers.back().act) + 1) * 0.5f;   // the decision threshold
    s.scale = App::act_low(app.cfg.layers.back().act) == 0 ? 2.0f : 1.0f;
  }
  playground().heat.draw(dl, playground().neuron_tile(L - 1, 0), h0, h1, s);
  playground().heat.end(dl);
  dl->AddRect(ImVec2(h0.x - 1, h0.y - 1), ImVec2(h1.x + 1, h1.y + 1), IM_COL32(200, 204, 210, 255));
  const Dataset& d = app.session->data();
  for (int part = 0; part < 2; ++part) {
    if (part == 1 && !app.show_test) break;
    const auto& pts = part == 0 ? d.train_points : d.test_points;
    const ImU32 ring = part == 0 ? IM_COL32(255, 255, 255, 255) : IM_COL32(20, 20, 20, 255);
    for (const Point& p : pts) {
      const ImVec2 q = ui::to_screen(h0, h1, p.x1, p.x2);
      dl->AddCircleFilled(q, 3.2f, ui::point_colour(app, p.label), 10);
      dl->AddCircle(q, 3.2f, ring, 10, 1.0f);
    }
  }
  for (int v = -6; v <= 6; v += 2) {                   // axis ticks
    char t[8];
    std::snprintf(t, sizeof t, "%d", v);
    const ImVec2 qx = ui::to_screen(h0, h1, (float)v, -6), qy = ui::to_screen(h0, h1, -6, (float)v);
    dl->AddText(ImVec2(qx.x - 4, h1.y + 1), ui::kDim, t);
    if (v != -6) dl->AddText(ImVec2(h0.x - 18, qy.y - 7), ui::kDim, t);
  }
  ImGui::SetCursorScreenPos(h0);
  ImGui::InvisibleButton("output", ImVec2(side, side));
  app.note_rect("output");
  if (ImGui::IsItemHovered()) {
    const ImVec2 x = ui::to_input(h0, h1, ImGui::GetIO().MousePos);
    if (app.adding_points) {
      ImGui::SetTooltip("click to add a point of %s %d at (%.2f, %.2f)", app.problem() == Problem::Regression ? "target" : "class", app.add_class, x.x, x.y);
    } else {
      pg::neuron_tooltip(app, L - 1, 0, x.x, x.y);
    }
  }
  if (ImGui::IsItemClicked() && app.adding_points) {
    const ImVec2 x = ui::to_input(h0, h1, ImGui::GetIO().MousePos);
    app.report(app.add_point(std::max(-6.0f, std::min(6.0f, x.x)), std::max(-6.0f, std::min(6.0f, x.y)), (float)app.add_class));
  }
  ImGui::SetCursorScreenPos(ImVec2(a.min.x, h1.y + 18));
  ImGui::Checkbox("Show test data", &app.show_test);
  app.note_rect("check:showTestData");
  ImGui::SameLine();
  ImGui::Checkbox("Discretize output", &app.discretize);
  app.note_rect("check:discretize");
}
