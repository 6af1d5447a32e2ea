// The whole-network views: layers.count (each layer labelled input / hidden k / output, and the
// layer count, the input layer not counted) and linear.collapse (every weight matrix of a linear
// net, their product from explain::linear_collapse, and the one-layer net it equals). Not the
// lecture's numbers (view_backprop.cpp).
#include <cmath>
#include <cstdio>
#include <functional>
#include "tutorial/views.h"

using namespace nnplay;

namespace {
void matrix(const char* title, int rows, int cols, const std::function<double(int, int)>& at) {
  ImGui::BeginGroup();
  ImGui::TextUnformatted(title);
  if (ImGui::BeginTable(title, cols, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
    for (int r = 0; r < rows && r < 16; ++r) {
      ImGui::TableNextRow();
      for (int c = 0; c < cols && c < 16; ++c) { ImGui::TableNextColumn(); ImGui::TextUnformatted(num4(at(r, c)).c_str()); }
    }
    ImGui::EndTable();
  }
  ImGui::EndGroup();
}
}  // namespace

void network_view(ViewCtx& c) {
  App& app = c.app;
  Session& s = *app.session;
  ImGui::BeginGroup();
  if (c.id == "layers.count") {
    const int L = s.layer_count();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 o = ImGui::GetCursorScreenPos();
    const int cols = L + 1;
    const float cw = c.width / cols, h = 150;
    std::vector<int> units(cols);
    units[0] = s.data().input_size;
    for (int l = 0; l < L; ++l) units[l + 1] = (int)(s.trace(l).out_shape[0] * std::max(1, s.trace(l).out_shape[1]) * std::max(1, s.trace(l).out_shape[2]));
    for (int k = 0; k < cols; ++k) {
      const float x = o.x + (k + 0.5f) * cw;
      const int n = std::min(units[k], 8);
      for (int u = 0; u < n; ++u) {
        const float y = o.y + 24 + (h - 60) * (n == 1 ? 0.5f : (float)u / (n - 1));
        if (k + 1 < cols) {
          const int n2 = std::min(units[k + 1], 8);
          for (int v = 0; v < n2; ++v)
            dl->AddLine(ImVec2(x, y), ImVec2(x + cw, o.y + 24 + (h - 60) * (n2 == 1 ? 0.5f : (float)v / (n2 - 1))), IM_COL32(130, 140, 160, 90));
        }
        dl->AddCircleFilled(ImVec2(x, y), 7, k == 0 ? IM_COL32(90, 96, 110, 255) : IM_COL32(60, 110, 190, 255));
      }
      char b[64];
      if (k == 0) std::snprintf(b, sizeof b, "%s", tr("lc.input"));
      else if (k == cols - 1) std::snprintf(b, sizeof b, "%s %d", tr("lc.output"), k);
      else std::snprintf(b, sizeof b, "%s %d", tr("lc.hidden"), k);
      const ImVec2 ts = ImGui::CalcTextSize(b);
      dl->AddText(ImVec2(x - ts.x * 0.5f, o.y + h - 30), k == 0 ? ui::kDim : ui::kText, b);
      std::snprintf(b, sizeof b, "(%d)", units[k]);
      const ImVec2 t2 = ImGui::CalcTextSize(b);
      dl->AddText(ImVec2(x - t2.x * 0.5f, o.y + h - 14), ui::kDim, b);
    }
    ImGui::Dummy(ImVec2(c.width, h + 6));
    char b[160];
    std::snprintf(b, sizeof b, tr("lc.count"), L, L - 1);
    wrapped_text(b, c.width, IM_COL32(255, 214, 120, 255));
  } else {  // linear.collapse
    explain::LinearCollapse lc;
    const int k = std::max(0, std::min(c.pl.trace_example, s.data().train_count() - 1));
    const std::string e = explain::linear_collapse(s, explain::ExampleRef{false, k}, &lc);
    if (!e.empty()) {
      wrapped_text(std::string(tr("col.need")) + " (" + e + ")", c.width, IM_COL32(255, 176, 80, 255));
    } else {
      for (int l = 0; l < s.layer_count(); ++l) {
        const LayerTrace& t = s.trace(l);
        char title[32];
        std::snprintf(title, sizeof title, "W%d (%dx%d)", l + 1, t.w.shape[0], t.w.shape[1]);
        const int I = t.w.shape[1];
        matrix(title, t.w.shape[0], I, [&](int r, int cc) { return (double)t.w.data[(size_t)r * I + cc]; });
        ImGui::SameLine(0, 10);
        if (ImGui::GetContentRegionAvail().x < 120) ImGui::NewLine();
      }
      ImGui::NewLine();
      std::string prod = "W = ";
      for (int l = s.layer_count(); l >= 1; --l) prod += "W" + std::to_string(l) + (l > 1 ? " · " : "");
      ImGui::TextUnformatted(prod.c_str());
      matrix("W", lc.outputs, lc.inputs, [&](int r, int cc) { return lc.W.at(r, cc); });
      ImGui::SameLine(0, 12);
      matrix("b", lc.outputs, 1, [&](int r, int) { return lc.b[r]; });
      ImGui::Text("%s #%d: W x + b = %s, f(·) = %s; %s %s", tr("f.example"), k, num4(lc.z.empty() ? NAN : lc.z[0]).c_str(),
                  num4(lc.a.empty() ? NAN : lc.a[0]).c_str(), tr("col.engine"), num4(lc.engine_a.empty() ? NAN : lc.engine_a[0]).c_str());
      ImGui::Text("max |Δ| = %.2e", lc.max_abs_diff);
      wrapped_text(tr("col.same"), c.width, ui::kDim);
    }
  }
  ImGui::EndGroup();
  app.note_rect("formula");
}
