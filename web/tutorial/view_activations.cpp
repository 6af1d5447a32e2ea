// The activations.plot view: the functions of viewArgs.functions on [−5, 5] from the engine's own
// kernels (explain::sample_activation), and their derivatives when the `derivative` toggle is on,
// drawn with ImDrawList. Not training.
#include <cmath>
#include <cstdio>
#include "tutorial/views.h"

using namespace nnplay;

void activations_view(ViewCtx& c) {
  Player& pl = c.pl;
  static int seen_key = -1;
  const int key = pl.step + 1000 * (pl.tutorial ? pl.tutorial->order : 0);
  if (seen_key != key) {
    seen_key = key;
    pl.derivative = c.args.is_object() && c.args.value("derivative", false);
  }
  std::vector<std::string> fns;
  if (c.args.is_object() && c.args.contains("functions") && c.args["functions"].is_array())
    for (const auto& f : c.args["functions"]) if (f.is_string()) fns.push_back(f.get<std::string>());
  if (fns.empty()) fns = {"sigmoid", "tanh", "relu", "leakyrelu"};
  ImGui::BeginGroup();
  bool d = pl.derivative;
  if (ImGui::Checkbox(tr("act.derivative"), &d)) { pl.derivative = d; pl.action("toggle", "derivative"); }
  c.app.note_rect("toggle:derivative");
  static const ImU32 cols[6] = {IM_COL32(8, 150, 230, 255), IM_COL32(245, 147, 34, 255), IM_COL32(80, 200, 100, 255),
                                IM_COL32(200, 110, 230, 255), IM_COL32(230, 80, 80, 255), IM_COL32(23, 190, 200, 255)};
  const float W = c.width, H = std::min(260.0f, W * 0.62f);
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float lo = -5, hi = 5, ylo = -1.5f, yhi = 1.5f;
  auto P = [&](float x, float y) { return ImVec2(o.x + (x - lo) / (hi - lo) * W, o.y + (yhi - y) / (yhi - ylo) * H); };
  dl->AddRectFilled(o, ImVec2(o.x + W, o.y + H), IM_COL32(18, 24, 38, 255));
  for (int g = -5; g <= 5; ++g) dl->AddLine(P((float)g, ylo), P((float)g, yhi), IM_COL32(60, 66, 80, g == 0 ? 255 : 90));
  for (float y : {-1.0f, 0.0f, 1.0f}) {
    dl->AddLine(P(lo, y), P(hi, y), IM_COL32(60, 66, 80, y == 0 ? 255 : 90));
    char b[8];
    std::snprintf(b, sizeof b, "%g", y);
    dl->AddText(ImVec2(P(lo, y).x + 2, P(lo, y).y - 14), ui::kDim, b);
  }
  float lx = o.x + 6, ly = o.y + H + 4;
  for (size_t k = 0; k < fns.size(); ++k) {
    Activation a;
    if (!parse(fns[k], &a)) continue;
    const float leak = a == Activation::LeakyRelu ? 0.1f : 0.01f;
    explain::ActivationCurve cv;
    if (!explain::sample_activation(a, leak, lo, hi, 201, &cv).empty()) continue;
    const ImU32 col = cols[k % 6];
    const std::vector<float>& ys = pl.derivative ? cv.dy : cv.y;
    for (size_t i = 1; i < cv.x.size(); ++i) {
      const float y0 = std::max(ylo, std::min(yhi, ys[i - 1])), y1 = std::max(ylo, std::min(yhi, ys[i]));
      dl->AddLine(P(cv.x[i - 1], y0), P(cv.x[i], y1), col, 2.0f);
    }
    char b[48];
    std::snprintf(b, sizeof b, "%s%s", fns[k].c_str(), pl.derivative ? "′" : "");
    dl->AddRectFilled(ImVec2(lx, ly + 4), ImVec2(lx + 14, ly + 8), col);
    dl->AddText(ImVec2(lx + 18, ly - 2), ui::kText, b);
    lx += 24 + ImGui::CalcTextSize(b).x + 10;
  }
  ImGui::Dummy(ImVec2(W, H + 24));
  wrapped_text(pl.derivative ? tr("act.dhelp") : tr("act.help"), W, ui::kDim);
  ImGui::EndGroup();
  c.app.note_rect("formula");
}
