// The helpers every panel shares (ui.h).
#include "app/ui.h"
#include "app/app.h"

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

float content_width() { return ImGui::GetWindowContentRegionMax().x - ImGui::GetWindowContentRegionMin().x; }

}  // namespace ui
