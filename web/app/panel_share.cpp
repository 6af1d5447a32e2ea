// The "Share / files" popup, a button at the right end of the title bar: copy the link to this step or the setup link, save and
// open a JSON file, export NumPy / PyTorch scripts and the PyTorch training script, start a new experiment. The browser side
// (clipboard, downloads, file picker, local storage) is web/share/state_api.js's Module.nnplayShare.
#include "app/panels.h"
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

namespace {

void share_action(const char* what) {
#ifdef __EMSCRIPTEN__
  EM_ASM({ if (Module.nnplayShare) Module.nnplayShare(UTF8ToString($0)); }, what);
#else
  (void)what;
#endif
}

}  // namespace

void share_button(App& app) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float w = 120, h = ImGui::GetFrameHeight();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x - w - 6, vp->WorkPos.y + 1));
  ImGui::SetNextWindowSize(ImVec2(w, h));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(6, 1));
  ImGui::Begin("##share", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoMove |
               ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing);
  ImGui::PopStyleVar(2);
  if (ImGui::Button("Share / files...", ImVec2(w, h - 2))) ImGui::OpenPopup("share");
  app.note_rect("button:share");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("links, JSON files, code export");
  if (!ImGui::BeginPopup("share")) { ImGui::End(); return; }
  struct Item { const char* label, *action, *rect, *tip; } items[] = {
      {"Copy link to this step", "copy-step", "share:copyStep", "the exact weights, step and settings: the receiver continues bit for bit"},
      {"Copy link (setup only)", "copy-setup", "share:copySetup", "the settings and seed from step 0: the receiver trains it"},
      {"Save file (JSON)", "save-json", "share:saveJson", "everything, with the weights and optimizer state bit-exact; open it again with Open file or drop it on the page"},
      {"Open file...", "open-json", "share:openJson", "an nnplay JSON file (or drop one on the page)"},
      {"Export NumPy script", "export-numpy", "share:exportNumpy", "a Python script that rebuilds the network with these weights and prints its outputs"},
      {"Export PyTorch script", "export-pytorch", "share:exportPytorch", "the same as a torch.nn.Sequential"},
      {"Export training script (PyTorch)", "export-train-pytorch", "share:exportTrainPytorch",
       "one .py file that continues this experiment in PyTorch (also under torchrun); --check compares it with the page"},
      {"New experiment", "new", "share:new", "forget the saved experiment and start from TF Playground's default"},
  };
  for (const Item& it : items) {
    if (ImGui::Selectable(it.label)) share_action(it.action);
    app.note_rect(it.rect);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", it.tip);
  }
  ImGui::EndPopup();
  ImGui::End();
}
