// The playground's state and actions. Skeleton: the main window naming the app and its version.
#include "app.h"
#include "imgui.h"
#include "nnplay/config.h"

namespace { App* g_app = nullptr; }
App* the_app() { return g_app; }

App* App::create(std::string* error) {
  std::string e = nnplay::validate(nnplay::default_config());
  if (!e.empty()) { *error = e; return nullptr; }
  g_app = new App;
  return g_app;
}

void App::update() {}

void App::draw() {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin("nnplay " NNPLAY_VERSION " - neural network playground", nullptr,
               ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
  ImGui::Text("nnplay %s", NNPLAY_VERSION);
  ImGui::Text("frame: median %.2f ms, p95 %.2f ms", stats_.percentile(0.5), stats_.percentile(0.95));
  ImGui::End();
}
