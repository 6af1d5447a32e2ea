// Data panel: a thumbnail of every 2-D data set (two-class, multi-class, regression), noise,
// train/test ratio, batch size, regenerate, and the points added by clicking the output view.
#include <cmath>
#include <cstdio>
#include "nnplay/dataset.h"
#include "app/panels.h"
#include "app/ui.h"

using namespace nnplay;

namespace {

struct Thumb { DataSet set; const char* label; std::vector<Point> pts; bool regression; };

std::vector<Thumb>& thumbs() {
  static std::vector<Thumb> t;
  if (t.empty()) {
    const DataSet sets[] = {DataSet::Circle, DataSet::Xor, DataSet::Gauss, DataSet::Spiral, DataSet::Moons,
                            DataSet::Blobs, DataSet::MultiSpiral, DataSet::RegPlane, DataSet::RegGauss, DataSet::User};
    const char* labels[] = {"circle", "xor", "gauss", "spiral", "moons", "blobs", "multi-spiral", "plane", "multi-gauss", "your points"};
    for (int i = 0; i < 10; ++i) {
      Thumb th{sets[i], labels[i], {}, !is_classification(sets[i])};
      if (sets[i] != DataSet::User) {
        DataSpec s;
        s.set = sets[i];
        s.points = 300;
        s.classes = 4;
        Dataset d;
        if (make_dataset(s, 1, &d).empty()) { th.pts = d.train_points; th.pts.insert(th.pts.end(), d.test_points.begin(), d.test_points.end()); }
      }
      t.push_back(std::move(th));
    }
  }
  return t;
}

ImU32 regression_colour(float label) {
  const float t = std::max(-1.0f, std::min(1.0f, label));
  const ImVec4 n = ImColor(ui::kNeg).Value, p = ImColor(ui::kPos).Value, w(0.91f, 0.92f, 0.92f, 1);
  const ImVec4 e = t < 0 ? n : p;
  const float k = std::fabs(t);
  return ImColor(w.x + (e.x - w.x) * k, w.y + (e.y - w.y) * k, w.z + (e.z - w.z) * k, 1.0f);
}

}  // namespace

ImU32 ui::point_colour(const App& app, float label) {
  if (app.problem() == Problem::Regression) return regression_colour(label);
  if (app.problem() == Problem::Multiclass) return ui::class_colour((int)label);
  return label >= 0.5f ? ui::kPos : ui::kNeg;
}

void data_panel(App& app, Area a) {
  ui::header(a, "DATA");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float tw = (a.w() - 12) / 2, th = 44;
  auto& ts = thumbs();
  for (int i = 0; i < (int)ts.size(); ++i) {
    const Thumb& t = ts[i];
    const ImVec2 p0(a.min.x + (i % 2) * (tw + 12), a.min.y + 22 + (i / 2) * (th + 20));
    const ImVec2 p1(p0.x + th, p0.y + th);
    const bool sel = app.cfg.data.set == t.set;
    dl->AddRectFilled(p0, p1, IM_COL32(236, 238, 240, 255), 3);
    for (const Point& p : (t.set == DataSet::User ? app.cfg.data.user_points : t.pts)) {
      const ImVec2 q = ui::to_screen(p0, p1, p.x1, p.x2);
      ImU32 c = t.regression ? regression_colour(p.label)
                : (t.set == DataSet::Blobs || t.set == DataSet::MultiSpiral) ? ui::class_colour((int)p.label)
                : (p.label >= 0.5f ? ui::kPos : ui::kNeg);
      dl->AddRectFilled(ImVec2(q.x - 0.8f, q.y - 0.8f), ImVec2(q.x + 0.8f, q.y + 0.8f), c);
    }
    dl->AddRect(ImVec2(p0.x - 2, p0.y - 2), ImVec2(p1.x + 2, p1.y + 2), sel ? IM_COL32(255, 255, 255, 255) : IM_COL32(80, 86, 94, 255), 4, 0, sel ? 2.5f : 1.0f);
    dl->AddText(ImVec2(p0.x, p1.y + 2), sel ? ui::kText : ui::kDim, t.label);
    ImGui::SetCursorScreenPos(p0);
    ImGui::PushID(i);
    if (ImGui::InvisibleButton("set", ImVec2(tw, th))) ui::set(app, "dataset", name(t.set));
    app.note_rect((std::string("dataset:") + name(t.set)).c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s (%s)", t.label, t.regression ? "regression" : (t.set == DataSet::Blobs || t.set == DataSet::MultiSpiral) ? "multi-class" : "two classes");
    ImGui::PopID();
  }
  float y = a.min.y + 22 + 5 * (th + 20) + 4;
  ImGui::SetCursorScreenPos(ImVec2(a.min.x, y));
  ImGui::PushItemWidth(a.w() - 4);
  int perc = app.cfg.data.train_percent;
  ImGui::TextColored(ImColor(ui::kDim).Value, "Ratio of training to test data: %d%%", perc);
  if (ImGui::SliderInt("##perc", &perc, 10, 90, "%d%%") && ImGui::IsItemDeactivatedAfterEdit()) {}
  if (ImGui::IsItemDeactivatedAfterEdit()) ui::set(app, "percTrainData", std::to_string(perc));
  app.note_rect("slider:percTrainData");
  int noise = (int)app.cfg.data.noise;
  ImGui::TextColored(ImColor(ui::kDim).Value, "Noise: %d", noise);
  ImGui::SliderInt("##noise", &noise, 0, 50);
  if (ImGui::IsItemDeactivatedAfterEdit()) ui::set(app, "noise", std::to_string(noise));
  app.note_rect("slider:noise");
  int batch = app.cfg.train.batch;
  ImGui::TextColored(ImColor(ui::kDim).Value, "Batch size: %d", batch);
  ImGui::SliderInt("##batch", &batch, 1, 30);
  if (ImGui::IsItemDeactivatedAfterEdit()) ui::set(app, "batchSize", std::to_string(batch));
  app.note_rect("slider:batchSize");
  if (app.problem() == Problem::Multiclass) {
    int k = app.cfg.data.classes;
    ImGui::TextColored(ImColor(ui::kDim).Value, "Classes: %d", k);
    ImGui::SliderInt("##classes", &k, 3, 6);
    if (ImGui::IsItemDeactivatedAfterEdit()) ui::set(app, "classes", std::to_string(k));
    app.note_rect("slider:classes");
  }
  ImGui::PopItemWidth();
  if (ImGui::Button("Regenerate")) app.reset(true);
  app.note_rect("button:regenerate");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("new data and new weights from a new seed");
  ImGui::Checkbox("Add points by clicking", &app.adding_points);
  app.note_rect("check:addPoints");
  if (app.adding_points) {
    if (app.problem() == Problem::Regression) {
      float v = (float)app.add_class;
      ImGui::SetNextItemWidth(a.w() - 60);
      if (ImGui::SliderFloat("target", &v, -1, 1, "%.0f")) app.add_class = (int)std::round(v);
    } else {
      const int k = app.problem() == Problem::Multiclass ? app.cfg.data.classes : 2;
      for (int c = 0; c < k; ++c) {
        if (c) ImGui::SameLine();
        ImGui::PushID(c);
        ImGui::PushStyleColor(ImGuiCol_CheckMark, ImColor(ui::class_colour(c == 0 && k == 2 ? 1 : c == 1 && k == 2 ? 0 : c)).Value);
        char lbl[8];
        std::snprintf(lbl, sizeof lbl, "%d", c);
        if (ImGui::RadioButton(lbl, app.add_class == c)) app.add_class = c;
        app.note_rect(("addClass:" + std::to_string(c)).c_str());
        ImGui::PopStyleColor();
        ImGui::PopID();
      }
    }
  }
  ImGui::BeginDisabled(app.cfg.data.user_points.empty());
  char clr[48];
  std::snprintf(clr, sizeof clr, "Clear %d added point%s", (int)app.cfg.data.user_points.size(), app.cfg.data.user_points.size() == 1 ? "" : "s");
  if (ImGui::Button(clr)) app.clear_points();
  app.note_rect("button:clearPoints");
  ImGui::EndDisabled();
}
