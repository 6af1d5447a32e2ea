// The formula panel (view `formula`, and the strip's Formula tab outside tutorials): any weight,
// bias or neuron of any network, picked here or by clicking a link/neuron in the playground; its
// forward value and its gradient as the chain of partial derivatives with the current numbers,
// and the numeric check (central difference in double, relative error, kinks flagged), all from
// explain::explain_formula. Not the lecture's fixed 2-layer views (view_backprop.cpp).
#include <cmath>
#include <cstdio>
#include "tutorial/views.h"

using namespace nnplay;
using namespace nnplay::explain;

namespace {
const ImU32 kVal = IM_COL32(255, 214, 120, 255), kOk = IM_COL32(120, 210, 140, 255), kBad = IM_COL32(255, 110, 90, 255);

void term_sum(const TermSum& t, const char* g_name, const char* j_name) {
  std::string s;
  for (size_t k = 0; k < t.top.size(); ++k) {
    const Term& x = t.top[k];
    char b[96];
    std::snprintf(b, sizeof b, "%s%s·%s", k ? " + " : "", num4(x.j).c_str(), num6(x.g).c_str());
    s += b;
  }
  if (t.rest_count > 0) {
    char b[96];
    std::snprintf(b, sizeof b, " + (%d more: %s)", t.rest_count, num6(t.rest_sum).c_str());
    s += b;
  }
  ImGui::TextColored(ImColor(ui::kDim).Value, "  = Σ %s · %s", j_name, g_name);
  ImGui::TextWrapped("  = %s", s.empty() ? "0" : s.c_str());
  ImGui::TextColored(ImColor(kVal).Value, "  = %s  (%d %s)", num6(t.sum).c_str(), t.count, tr("f.terms"));
}

void check_line(App& app, const NumericCheck& c, const char* what) {
  ImGui::BeginGroup();
  ImGui::Text("%s %s:", tr("f.check"), what);
  ImGui::Text("  %s %s,  %s %s", tr("bp.analytic"), num6(c.analytic).c_str(), tr("bp.numeric"), num6(c.numeric).c_str());
  ImGui::TextColored(ImColor(c.rel_error < 1e-3 ? kOk : kBad).Value, "%s %.3e   h = %.1e", tr("bp.relerr"), c.rel_error, c.h);
  if (c.kink) ImGui::TextColored(ImColor(kBad).Value, "%s %s", tr("f.kink"), c.kink_note.c_str());
  ImGui::EndGroup();
  app.note_rect("numeric-check");
}
}  // namespace

void formula_view(ViewCtx& c) {
  App& app = c.app;
  Player& pl = c.pl;
  Session& s = *app.session;
  ImGui::BeginGroup();
  ImGui::TextColored(ImVec4(1, 0.8f, 0.3f, 1), "%s", tr("f.title"));
  wrapped_text(tr("f.help"), c.width, ui::kDim);
  const int L = s.layer_count();
  Selection sel = pl.formula_sel;
  if (!pl.formula_has_sel) { sel = Selection{Pick::Weight, 0, 0, 0}; }
  sel.layer = std::max(0, std::min(sel.layer, L - 1));
  const LayerTrace& t = s.trace(sel.layer);
  const bool has_w = t.w.data && t.w.size() > 0;
  if (!has_w && sel.what != Pick::Neuron) sel.what = Pick::Neuron;
  // ---- picker ----
  bool changed = false;
  int kind = (int)sel.what;
  ImGui::SetNextItemWidth(110);
  const char* kinds[3] = {tr("f.weight"), tr("f.bias"), tr("f.neuron")};
  if (ImGui::Combo("##kind", &kind, kinds, 3)) { sel.what = (Pick)kind; changed = true; }
  app.note_rect("formula:kind");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(90);
  int layer1 = sel.layer + 1;
  if (ImGui::InputInt(tr("f.layer"), &layer1)) { sel.layer = std::max(0, std::min(layer1 - 1, L - 1)); changed = true; }
  const LayerTrace& t2 = s.trace(sel.layer);
  const int outs = sel.what == Pick::Neuron ? (int)(t2.out_shape[0] * std::max(1, t2.out_shape[1]) * std::max(1, t2.out_shape[2]))
                                            : (t2.w.rank > 0 ? t2.w.shape[0] : 1);
  const int ins = t2.w.rank > 0 && t2.w.shape[0] > 0 ? (int)(t2.w.size() / t2.w.shape[0]) : 1;
  int o1 = sel.out + 1, i1 = sel.in + 1;
  ImGui::SetNextItemWidth(90);
  if (ImGui::InputInt(sel.what == Pick::Neuron ? tr("f.unit") : tr("f.out"), &o1)) { sel.out = std::max(0, std::min(o1 - 1, outs - 1)); changed = true; }
  if (sel.what == Pick::Weight) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90);
    if (ImGui::InputInt(tr("f.in"), &i1)) { sel.in = std::max(0, std::min(i1 - 1, ins - 1)); changed = true; }
  }
  sel.out = std::max(0, std::min(sel.out, outs - 1));
  sel.in = std::max(0, std::min(sel.in, ins - 1));
  if (changed) pl.select(app, sel, true);
  else pl.formula_sel = sel;
  ImGui::Separator();
  // ---- the explanation ----
  FormulaExplain fx;
  const int k = std::max(0, std::min(pl.trace_example, s.data().train_count() - 1));
  const std::string e = explain_formula(s, ExampleRef{false, k}, sel, 6, &fx);
  if (!e.empty()) {
    wrapped_text(e, c.width, kBad);
  } else {
    ImGui::Text("%s #%d, %s %d (%s%s)", tr("f.example"), k, tr("f.layer"), sel.layer + 1, name(fx.type), fx.output_layer ? ", output" : "");
    if (sel.what != Pick::Neuron) {
      const bool w = sel.what == Pick::Weight;
      ImGui::TextColored(ImColor(kVal).Value, "%s = %s", w ? "w" : "b", num4(fx.value).c_str());
      if (fx.type == LayerType::Dense) {
        ImGui::Text("z_%d = Σ w·a_in + b = %s,  a_%d = %s(z) = %s", fx.unit + 1, num4(fx.z).c_str(), fx.unit + 1, name(fx.act), num4(fx.a).c_str());
        if (w) ImGui::Text("a_in = %s", num4(fx.input).c_str());
      }
      ImGui::Spacing();
      ImGui::TextUnformatted(tr("f.chain"));
      if (fx.type == LayerType::Dense) {
        ImGui::Text("∂E/∂%s = ∂E/∂a · ∂a/∂z · ∂z/∂%s", w ? "w" : "b", w ? "w" : "b");
        ImGui::Text("      = %s · %s · %s = %s", num6(fx.dE_da).c_str(), num6(fx.fprime).c_str(), w ? num4(fx.input).c_str() : "1",
                    num6(fx.dE_dparam).c_str());
      } else {
        ImGui::Text("∂E/∂%s = Σ_pixels ∂E/∂z · ∂z/∂%s", w ? "w" : "b", w ? "w" : "b");
        term_sum(fx.param, "∂E/∂z", w ? "x" : "1");
      }
      if (!fx.back.top.empty() || fx.back.count > 0) {
        ImGui::Text("∂E/∂a_%d:", fx.unit + 1);
        term_sum(fx.back, "∂E/∂z_k", "w_k");
      } else if (fx.output_layer) {
        ImGui::Text("∂E/∂a = %s  (%s %s)", num6(fx.dE_da).c_str(), tr("f.target"), num4(fx.target).c_str());
      }
      if (!fx.engine_is_loss_gradient) wrapped_text(tr("f.perceptron"), c.width, IM_COL32(255, 176, 80, 255));
      ImGui::Spacing();
      check_line(app, fx.check, w ? "∂E/∂w" : "∂E/∂b");
    } else {
      ImGui::TextColored(ImColor(kVal).Value, "z = %s,  a = %s(z) = %s", num4(fx.z).c_str(), name(fx.act), num4(fx.a).c_str());
      ImGui::TextUnformatted(tr("f.chain"));
      if (fx.output_layer) ImGui::Text("∂E/∂a = %s  (%s %s)", num6(fx.dE_da).c_str(), tr("f.target"), num4(fx.target).c_str());
      else { ImGui::Text("∂E/∂a = Σ_k w_k · ∂E/∂z_k"); term_sum(fx.back, "∂E/∂z_k", "w_k"); }
      ImGui::Text("∂E/∂z = ∂E/∂a · f′(z) = %s · %s = %s", num6(fx.dE_da).c_str(), num6(fx.fprime).c_str(), num6(fx.dE_dz).c_str());
      ImGui::Spacing();
      check_line(app, fx.check, "∂E/∂a");
      check_line(app, fx.check_z, "∂E/∂z");
    }
  }
  ImGui::EndGroup();
  app.note_rect("formula");
}
