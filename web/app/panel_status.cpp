// Status panel: the page's messages (divergence with its likely cause, rejected settings), with the
// actions that help: step back to the last finite step, reset, dismiss.
#include "app/panels.h"

void status_panel(App& app, Area a) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(a.min, ImVec2(a.max.x, a.max.y - 4), app.status_is_error ? IM_COL32(110, 40, 30, 255) : IM_COL32(40, 70, 110, 255), 4);
  ImGui::SetCursorScreenPos(ImVec2(a.min.x + 8, a.min.y + 6));
  if (app.diverged) {
    if (ImGui::SmallButton("Step back")) app.back(1);
    app.note_rect("status:back");
    ImGui::SameLine();
    if (ImGui::SmallButton("Reset")) app.reset(false);
    app.note_rect("status:reset");
    ImGui::SameLine();
  }
  if (ImGui::SmallButton("Dismiss")) app.set_status("", false);
  ImGui::SameLine();
  ImGui::PushTextWrapPos(a.max.x - 8);
  ImGui::TextUnformatted(app.status_text().c_str());
  ImGui::PopTextWrapPos();
  app.note_rect("status:message");
}
