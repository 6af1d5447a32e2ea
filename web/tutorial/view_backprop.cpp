// The backprop.* views: the lecture's 2-layer sigmoid network on the traced example, drawn with
// every x_i, a_j, b_j, c, z~ and E; the chains of partial derivatives with the numbers
// substituted and the numeric gradient beside each; the update with α (Apply); the 1/2 switch.
// Every number comes from explain::lecture_backprop (Player::numbers). Not the placeholders.
#include <cmath>
#include <cstdio>
#include "tutorial/views.h"

using namespace nnplay;
using namespace nnplay::explain;

namespace {

const ImU32 kNode = IM_COL32(60, 84, 130, 255), kEdge = IM_COL32(150, 160, 180, 160), kVal = IM_COL32(255, 214, 120, 255);
const ImU32 kOk = IM_COL32(120, 210, 140, 255), kBad = IM_COL32(255, 110, 90, 255);

double rel(double a, double b) {
  const double s = std::max(std::fabs(a), std::fabs(b));
  return s < 1e-12 ? 0.0 : std::fabs(a - b) / s;
}

// The lecture's network, one example: inputs x_i, hidden a_j -> b_j, output c -> z~, then E.
void draw_network(const LectureBackprop& bp, const LectureGrads& g, float width) {
  const float h = std::max(150.0f, 56.0f * std::max(bp.n, bp.m) + 20);
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float r = 15;
  const float cx[4] = {o.x + 34, o.x + width * 0.40f, o.x + width * 0.72f, o.x + width - 44};
  auto ypos = [&](int k, int n) { return o.y + 14 + (h - 28) * (n == 1 ? 0.5f : (float)k / (n - 1)); };
  std::vector<ImVec2> X(bp.n + 1), B(bp.m + 1);
  for (int i = 1; i <= bp.n; ++i) X[i] = ImVec2(cx[0], ypos(i - 1, bp.n));
  for (int j = 1; j <= bp.m; ++j) B[j] = ImVec2(cx[1], ypos(j - 1, bp.m));
  const ImVec2 C(cx[2], o.y + h * 0.5f);
  char b[64];
  for (int j = 1; j <= bp.m; ++j)
    for (int i = 1; i <= bp.n; ++i) {
      dl->AddLine(X[i], B[j], kEdge, 1.5f);
      const ImVec2 m(X[i].x + (B[j].x - X[i].x) * (0.30f + 0.12f * (j - 1)), X[i].y + (B[j].y - X[i].y) * (0.30f + 0.12f * (j - 1)));
      std::snprintf(b, sizeof b, "w%d%d=%s", i, j, num4(bp.w.at(i, j)).c_str());
      dl->AddText(ImVec2(m.x - 20, m.y - 14), ui::kDim, b);
    }
  for (int j = 1; j <= bp.m; ++j) {
    dl->AddLine(B[j], C, kEdge, 1.5f);
    const ImVec2 m(B[j].x + (C.x - B[j].x) * 0.30f, B[j].y + (C.y - B[j].y) * 0.30f);
    std::snprintf(b, sizeof b, "v%d=%s", j, num4(bp.v[j]).c_str());
    dl->AddText(ImVec2(m.x - 6, m.y + (j == 1 ? -20 : 2)), ui::kDim, b);
  }
  for (int i = 1; i <= bp.n; ++i) {
    dl->AddCircleFilled(X[i], r, kNode);
    std::snprintf(b, sizeof b, "x%d", i);
    dl->AddText(ImVec2(X[i].x - 8, X[i].y - 7), ui::kText, b);
    dl->AddText(ImVec2(X[i].x - 30, X[i].y + r + 1), kVal, num4(bp.x[i]).c_str());
  }
  for (int j = 1; j <= bp.m; ++j) {
    dl->AddCircleFilled(B[j], r, kNode);
    std::snprintf(b, sizeof b, "%d", j);
    dl->AddText(ImVec2(B[j].x - 4, B[j].y - 7), ui::kText, b);
    std::snprintf(b, sizeof b, "a%d=%s", j, num4(bp.a[j]).c_str());
    dl->AddText(ImVec2(B[j].x - 24, B[j].y + r + 1), kVal, b);
    std::snprintf(b, sizeof b, "b%d=%s", j, num4(bp.b[j]).c_str());
    dl->AddText(ImVec2(B[j].x - 24, B[j].y + r + 15), kVal, b);
    std::snprintf(b, sizeof b, "w0%d=%s", j, num4(bp.w.at(0, j)).c_str());
    dl->AddText(ImVec2(B[j].x - 24, B[j].y + r + 29), ui::kDim, b);
  }
  dl->AddCircleFilled(C, r, kNode);
  dl->AddText(ImVec2(C.x - 4, C.y - 7), ui::kText, "c");
  std::snprintf(b, sizeof b, "c=%s", num4(bp.c).c_str());
  dl->AddText(ImVec2(C.x - 8, C.y + r + 2), kVal, b);
  std::snprintf(b, sizeof b, "z~=%s", num4(bp.zt).c_str());
  dl->AddText(ImVec2(C.x - 8, C.y + r + 16), kVal, b);
  std::snprintf(b, sizeof b, "v0=%s", num4(bp.v[0]).c_str());
  dl->AddText(ImVec2(C.x - 8, C.y + r + 30), ui::kDim, b);
  dl->AddLine(ImVec2(C.x + r, C.y), ImVec2(cx[3] - 10, C.y), kEdge, 1.5f);
  std::snprintf(b, sizeof b, "z=%s", num4(bp.z).c_str());
  dl->AddText(ImVec2(cx[3] - 34, C.y - 36), ui::kText, b);
  std::snprintf(b, sizeof b, "E=%s", num4(g.E).c_str());
  dl->AddText(ImVec2(cx[3] - 34, C.y - 20), kVal, b);
  ImGui::Dummy(ImVec2(width, h + 46));
}

// One chain row: label, factors (shown with ·), analytic, numeric, relative error.
void chain_row(const char* label, const std::string& chain, double analytic, double numeric, bool show_num) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(label);
  ImGui::TableNextColumn();
  wrapped_text(chain, ImGui::GetContentRegionAvail().x);   // breaks at the spaces around '·', never inside a number
  ImGui::TableNextColumn();
  ImGui::TextColored(ImColor(kVal).Value, "%s", num6(analytic).c_str());
  if (show_num) {
    ImGui::TableNextColumn();
    const double e = rel(analytic, numeric);
    ImGui::TextColored(ImColor(e < 1e-3 ? kOk : kBad).Value, "%s", num6(numeric).c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s %.2e", tr("bp.relerr"), e);
  }
}

bool begin_chain_table(const char* id, bool num) {
  const ImGuiTableFlags f = ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable(id, num ? 4 : 3, f)) return false;
  ImGui::TableSetupColumn(tr("bp.param"), ImGuiTableColumnFlags_WidthFixed, 62);
  ImGui::TableSetupColumn(tr("bp.chain"), ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn(tr("bp.analytic"), ImGuiTableColumnFlags_WidthFixed, 84);
  if (num) ImGui::TableSetupColumn(tr("bp.numeric"), ImGuiTableColumnFlags_WidthFixed, 84);
  ImGui::TableHeadersRow();
  return true;
}

void output_gradients(ViewCtx& c, const LectureBackprop& bp, const LectureGrads& g, const char* id) {
  char lab[32];
  const double lf = g.loss == LossType::HalfSquaredError ? 1 : 2;
  ImGui::TextColored(ImColor(ui::kDim).Value, "∂E/∂v_j = ∂E/∂z~ · ∂z~/∂c · ∂c/∂v_j = %g z~(1−z~)(z~−z) b_j", lf);
  if (begin_chain_table(id, true)) {
    for (int j = 0; j <= bp.m; ++j) {
      std::snprintf(lab, sizeof lab, "∂E/∂v%d", j);
      const std::string chain = num6(g.dE_dzt) + " · " + num6(bp.dzt_dc) + " · " + (j == 0 ? std::string("1") : num4(bp.b[j]));
      chain_row(lab, chain, g.dv[j], g.dv_numeric[j], true);
      if (j == 0) c.app.note_rect("numeric-check");
    }
    ImGui::EndTable();
  }
}

void hidden_gradients(ViewCtx& c, const LectureBackprop& bp, const LectureGrads& g, const char* id) {
  char lab[32];
  const double lf = g.loss == LossType::HalfSquaredError ? 1 : 2;
  ImGui::TextColored(ImColor(ui::kDim).Value, "∂E/∂w_ij = ∂E/∂z~ · ∂z~/∂c · ∂c/∂b_j · ∂b_j/∂a_j · ∂a_j/∂w_ij");
  ImGui::TextColored(ImColor(ui::kDim).Value, "        = %g z~(1−z~)(z~−z) v_j b_j(1−b_j) x_i", lf);
  if (begin_chain_table(id, true)) {
    bool noted = false;
    for (int j = 1; j <= bp.m; ++j)
      for (int i = 0; i <= bp.n; ++i) {
        std::snprintf(lab, sizeof lab, "∂E/∂w%d%d", i, j);
        const std::string chain = num6(g.dE_dzt) + " · " + num6(bp.dzt_dc) + " · " + num4(bp.v[j]) + " · " + num6(bp.db_da[j]) + " · " +
                                  (i == 0 ? std::string("1") : num4(bp.x[i]));
        chain_row(lab, chain, g.dw.at(i, j), g.dw_numeric.at(i, j), true);
        if (!noted) { c.app.note_rect("numeric-check"); noted = true; }
      }
    ImGui::EndTable();
  }
}

void forward(const LectureBackprop& bp) {
  for (int j = 1; j <= bp.m; ++j) {
    std::string s = "a_" + std::to_string(j) + " = ";
    for (int i = 1; i <= bp.n; ++i) s += num4(bp.w.at(i, j)) + "·" + num4(bp.x[i]) + " + ";
    s += num4(bp.w.at(0, j)) + " = " + num4(bp.a[j]);
    ImGui::TextWrapped("%s", s.c_str());
    ImGui::TextWrapped("b_%d = f(a_%d) = 1/(1+e^−a_%d) = %s", j, j, j, num4(bp.b[j]).c_str());
  }
  std::string s = "c = ";
  for (int j = 1; j <= bp.m; ++j) s += num4(bp.v[j]) + "·" + num4(bp.b[j]) + " + ";
  s += num4(bp.v[0]) + " = " + num4(bp.c);
  ImGui::TextWrapped("%s", s.c_str());
  ImGui::TextWrapped("z~ = f(c) = %s", num4(bp.zt).c_str());
}

}  // namespace

void backprop_view(ViewCtx& c) {
  Player& pl = c.pl;
  ImGui::BeginGroup();
  if (!pl.numbers.lecture) {
    wrapped_text(std::string(tr("bp.notlecture")) + (pl.numbers.lecture_error.empty() ? "" : " (" + pl.numbers.lecture_error + ")"), c.width,
                 IM_COL32(255, 176, 80, 255));
    ImGui::EndGroup();
    c.app.note_rect("formula");
    return;
  }
  const LectureBackprop& bp = pl.numbers.bp;
  const LectureGrads& g = bp.used();
  char b[160];
  std::snprintf(b, sizeof b, tr("bp.example"), bp.example.index, bp.session_loss == LossType::HalfSquaredError ? "E = ½(z~ − z)^2" : "E = (z~ − z)^2");
  ImGui::TextColored(ImColor(ui::kDim).Value, "%s", b);
  draw_network(bp, g, c.width);
  const std::string& id = c.id;
  if (id == "backprop.forward") {
    forward(bp);
  } else if (id == "backprop.error") {
    const bool half = bp.session_loss == LossType::HalfSquaredError;
    ImGui::Text("z~ = %s,  z = %s", num4(bp.zt).c_str(), num4(bp.z).c_str());
    ImGui::Text("E = %s(z~ − z)^2 = %s(%s − %s)^2 = %s", half ? "½" : "", half ? "½" : "", num4(bp.zt).c_str(), num4(bp.z).c_str(), num4(g.E).c_str());
    ImGui::Text("∂E/∂z~ = %s(z~ − z) = %s", half ? "" : "2", num6(g.dE_dzt).c_str());
  } else if (id == "backprop.output-gradient") {
    ImGui::Text("∂E/∂z~ = %s,  ∂z~/∂c = z~(1−z~) = %s,  ∂E/∂c = %s", num6(g.dE_dzt).c_str(), num6(bp.dzt_dc).c_str(), num6(g.dE_dc).c_str());
    output_gradients(c, bp, g, "##og");
  } else if (id == "backprop.hidden-gradient") {
    ImGui::Text("∂E/∂c = %s", num6(g.dE_dc).c_str());
    hidden_gradients(c, bp, g, "##hg");
  } else if (id == "backprop.update") {
    std::snprintf(b, sizeof b, "%s α = %s", tr("bp.update"), num4(bp.alpha).c_str());
    ImGui::TextUnformatted(b);
    if (!bp.plain_sgd) wrapped_text(tr("bp.notsgd"), c.width, IM_COL32(255, 176, 80, 255));
    if (ImGui::BeginTable("##upd", 4, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_RowBg)) {
      ImGui::TableSetupColumn(tr("bp.param"));
      ImGui::TableSetupColumn(tr("bp.old"));
      ImGui::TableSetupColumn(tr("bp.grad"));
      ImGui::TableSetupColumn(tr("bp.new"));
      ImGui::TableHeadersRow();
      auto row = [&](const std::string& n, double old, double gr, double nw) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn(); ImGui::TextUnformatted(n.c_str());
        ImGui::TableNextColumn(); ImGui::TextUnformatted(num4(old).c_str());
        ImGui::TableNextColumn(); ImGui::TextUnformatted(num6(gr).c_str());
        ImGui::TableNextColumn(); ImGui::TextColored(ImColor(kVal).Value, "%s", num4(nw).c_str());
      };
      for (int j = 1; j <= bp.m; ++j)
        for (int i = 0; i <= bp.n; ++i) row("w" + std::to_string(i) + std::to_string(j), bp.w.at(i, j), g.dw.at(i, j), g.w_new.at(i, j));
      for (int j = 0; j <= bp.m; ++j) row("v" + std::to_string(j), bp.v[j], g.dv[j], g.v_new[j]);
      ImGui::EndTable();
    }
    if (std::isfinite(pl.numbers.prevE)) ImGui::Text("%s %s → %s", tr("bp.eafter"), num4(pl.numbers.prevE).c_str(), num4(g.E).c_str());
    if (ImGui::Button(tr("bp.apply"), ImVec2(160, 0))) {
      // the lecture's update on the traced example: every parameter to old − α·gradient (set_weight)
      const double E0 = g.E;
      std::string e;
      for (int j = 1; j <= bp.m && e.empty(); ++j) {
        for (int i = 1; i <= bp.n && e.empty(); ++i) e = c.app.set_weight(0, false, (j - 1) * bp.n + (i - 1), (float)g.w_new.at(i, j));
        if (e.empty()) e = c.app.set_weight(0, true, j - 1, (float)g.w_new.at(0, j));
      }
      for (int j = 1; j <= bp.m && e.empty(); ++j) e = c.app.set_weight(1, false, j - 1, (float)g.v_new[j]);
      if (e.empty()) e = c.app.set_weight(1, true, 0, (float)g.v_new[0]);
      c.app.report(e);
      pl.refresh(c.app, true);
      pl.numbers.prevE = E0;
      pl.action("apply-update");
      pl.rebase(c.app);
    }
    c.app.note_rect("apply-update");
  } else if (id == "backprop.half") {
    wrapped_text(tr("bp.half"), c.width);
    // the 1/2 switch: the session's loss (the same key as the playground's Loss control)
    const bool half_now = bp.session_loss == LossType::HalfSquaredError;
    ImGui::BeginGroup();
    if (ImGui::RadioButton("E = (z~−z)^2##sq", !half_now)) c.app.report(c.app.set("loss", "square"));
    ImGui::SameLine();
    if (ImGui::RadioButton("E = ½(z~−z)^2##half", half_now)) c.app.report(c.app.set("loss", "halfsquare"));
    ImGui::EndGroup();
    c.app.note_rect("loss:switch");
    if (ImGui::BeginTable("##half", 4, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_RowBg)) {
      ImGui::TableSetupColumn("");
      ImGui::TableSetupColumn("E = (z~−z)^2");
      ImGui::TableSetupColumn("E = ½(z~−z)^2");
      ImGui::TableSetupColumn(tr("bp.ratio"));
      ImGui::TableHeadersRow();
      auto row = [&](const std::string& n, double a, double h) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn(); ImGui::TextUnformatted(n.c_str());
        ImGui::TableNextColumn(); ImGui::TextUnformatted(num6(a).c_str());
        ImGui::TableNextColumn(); ImGui::TextUnformatted(num6(h).c_str());
        ImGui::TableNextColumn(); ImGui::TextUnformatted(h != 0 ? num4(a / h).c_str() : "—");
      };
      row("E", bp.square.E, bp.half.E);
      row("∂E/∂z~", bp.square.dE_dzt, bp.half.dE_dzt);
      row("∂E/∂c", bp.square.dE_dc, bp.half.dE_dc);
      for (int j = 0; j <= bp.m; ++j) row("∂E/∂v" + std::to_string(j), bp.square.dv[j], bp.half.dv[j]);
      for (int j = 1; j <= bp.m; ++j)
        for (int i = 0; i <= bp.n; ++i) row("∂E/∂w" + std::to_string(i) + std::to_string(j), bp.square.dw.at(i, j), bp.half.dw.at(i, j));
      ImGui::EndTable();
    }
    std::snprintf(b, sizeof b, tr("bp.current"), bp.session_loss == LossType::HalfSquaredError ? "halfsquare" : "square");
    ImGui::TextColored(ImColor(ui::kDim).Value, "%s", b);
  }
  ImGui::EndGroup();
  c.app.note_rect("formula");
}
