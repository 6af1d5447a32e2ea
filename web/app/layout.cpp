// The page layout (App::draw: which part gets which rectangle) and the keyboard shortcuts. The
// chrome (top bar, status line, data column, Share button) is the same in every mode; the rest of
// the window belongs to the mode that owns the configuration. Not any panel's content.
#include <SDL.h>
#include <algorithm>
#include "app/mode.h"
#include "app/panels.h"

// Keyboard: space play/pause, right step, left step back, r reset; one action per key press
// (auto-repeats ignored), not while a text field has the keyboard.
void App::on_key(int scancode, bool repeat) {
  if (repeat || ImGui::GetIO().WantTextInput) return;
  switch (scancode) {
    case SDL_SCANCODE_SPACE: if (playing) pause(); else play(); break;
    case SDL_SCANCODE_RIGHT: step(step_size, 1); break;
    case SDL_SCANCODE_LEFT: back(1); break;
    case SDL_SCANCODE_R: reset(false); break;
    default: break;
  }
}

void App::draw() {
  ui_rects.clear();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(10, 8));
  ImGui::Begin("nnplay " NNPLAY_VERSION " - neural network playground###nnplay", nullptr,
               (compact ? ImGuiWindowFlags_NoTitleBar : 0) | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
               ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBringToFrontOnFocus);
  ImGui::PopStyleVar();
  const ImVec2 c0 = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 c1(c0.x + avail.x, c0.y + avail.y);
  const float top = hides("controls") ? 0.0f : 58.0f, status_h = status.empty() ? 0.0f : 46.0f;
  const float data_w = hides("data") ? -14.0f : 190.0f;
  const float y0 = c0.y + top + status_h + 6;
  if (!hides("controls")) controls_panel(*this, Area{c0, ImVec2(c1.x, c0.y + top)});
  if (status_h > 0) status_panel(*this, Area{ImVec2(c0.x, c0.y + top), ImVec2(c1.x, c0.y + top + status_h)});
  if (!hides("data")) data_panel(*this, Area{ImVec2(c0.x, y0), ImVec2(c0.x + data_w, c1.y)});
  mode().draw(*this, Area{ImVec2(c0.x + data_w + 14, y0), c1});
  ImGui::End();
  if (!compact && !hides("share")) share_button(*this);  // its own small window over the title bar's right end
}
