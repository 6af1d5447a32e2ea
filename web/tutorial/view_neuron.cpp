// The single-neuron views: mp.truth-table (the McCulloch-Pitts neuron's four 0/1 inputs, weighted
// sum, threshold θ and output, live; weights editable here) and perceptron.rule (the rule
// w ← w − α(z~ − z)x for the traced example, and what the last update changed). Numbers from
// the session (trace, parameters) and explain::activation. Not the multi-layer views.
#include <cmath>
#include <cstdio>
#include "tutorial/views.h"

using namespace nnplay;

namespace {
const ImU32 kOk = IM_COL32(120, 210, 140, 255), kBad = IM_COL32(255, 110, 90, 255), kVal = IM_COL32(255, 214, 120, 255);

// The target the data gives for input (x1, x2), or NAN when no training point sits there.
float target_at(const Dataset& d, float x1, float x2) {
  for (const Point& p : d.train_points) if (std::fabs(p.x1 - x1) < 1e-6f && std::fabs(p.x2 - x2) < 1e-6f) return p.label;
  return NAN;
}

bool single_neuron(ViewCtx& c) {
  const Session& s = *c.app.session;
  const LayerTrace& t = s.trace(0);
  if (s.layer_count() != 1 || t.type != LayerType::Dense || t.w.rank != 2 || t.w.shape[0] != 1 || t.w.shape[1] < 2) {
    wrapped_text(tr("mp.need"), c.width, IM_COL32(255, 176, 80, 255));
    return false;
  }
  return true;
}

void weight_inputs(ViewCtx& c) {
  const LayerTrace& t = c.app.session->trace(0);
  float w1 = t.w.data[0], w2 = t.w.data[1], theta = -t.b.data[0];
  ImGui::SetNextItemWidth(96);
  if (ImGui::InputFloat("w11", &w1, 0.1f, 0.5f, "%.3g", ImGuiInputTextFlags_EnterReturnsTrue)) c.app.report(c.app.set_weight(0, false, 0, w1));
  c.app.note_rect("mp:w11");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(96);
  if (ImGui::InputFloat("w21", &w2, 0.1f, 0.5f, "%.3g", ImGuiInputTextFlags_EnterReturnsTrue)) c.app.report(c.app.set_weight(0, false, 1, w2));
  c.app.note_rect("mp:w21");
  ImGui::SetNextItemWidth(96);
  if (ImGui::InputFloat("θ", &theta, 0.1f, 0.5f, "%.3g", ImGuiInputTextFlags_EnterReturnsTrue)) c.app.report(c.app.set_weight(0, true, 0, -theta));
  c.app.note_rect("mp:theta");
}
}  // namespace

void neuron_view(ViewCtx& c) {
  ImGui::BeginGroup();
  if (!single_neuron(c)) { ImGui::EndGroup(); return; }
  Session& s = *c.app.session;
  const LayerTrace& t = s.trace(0);
  const float w1 = t.w.data[0], w2 = t.w.data[1], b = t.b.data[0];
  const LayerSpec& spec = c.app.cfg.layers[0];
  if (c.id == "mp.truth-table") {
    char head[200];
    std::snprintf(head, sizeof head, "%s: s = w11·x1 + w21·x2 − θ,  θ = −w01 = %s,  %s = %s(s)", tr("mp.neuron"), num4(-b).c_str(), tr("mp.out"), name(spec.act));
    wrapped_text(head, c.width);
    weight_inputs(c);
    if (ImGui::BeginTable("##tt", 6, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
      for (const char* h : {"x1", "x2", "s = Σ w x − θ", "z~", "z", ""}) ImGui::TableSetupColumn(h);
      ImGui::TableHeadersRow();
      int right = 0, known = 0;
      for (int k = 0; k < 4; ++k) {
        const float x1 = (float)(k >> 1), x2 = (float)(k & 1);
        const float sum = w1 * x1 + w2 * x2 + b;   // float, the engine's order: w·x then + bias
        const float out = explain::activation(spec.act, spec.leak, sum);
        const float z = target_at(s.data(), x1, x2);
        ImGui::TableNextRow();
        ImGui::TableNextColumn(); ImGui::Text("%g", x1);
        ImGui::TableNextColumn(); ImGui::Text("%g", x2);
        ImGui::TableNextColumn(); ImGui::Text("%s·%g + %s·%g − %s = %s", num4(w1).c_str(), x1, num4(w2).c_str(), x2, num4(-b).c_str(), num4(sum).c_str());
        ImGui::TableNextColumn(); ImGui::TextColored(ImColor(kVal).Value, "%s", num4(out).c_str());
        ImGui::TableNextColumn(); ImGui::TextUnformatted(std::isnan(z) ? "—" : num4(z).c_str());
        ImGui::TableNextColumn();
        if (!std::isnan(z)) {
          const bool ok = std::fabs(out - z) < 0.5f;
          ++known; right += ok;
          ImGui::TextColored(ImColor(ok ? kOk : kBad).Value, "%s", ok ? "ok" : "x");
        }
      }
      ImGui::EndTable();
      ImGui::Text("%s %d / %d", tr("mp.right"), right, known);
    }
  } else {
    // perceptron.rule: the rule on the traced example, and the last update's change
    static std::vector<float> before, now;
    static int64_t seen_step = -1;
    static const Session* seen = nullptr;
    now.resize(s.parameter_count());
    s.parameters(now.data());
    if (seen != &s || s.step_count() < seen_step) { before = now; seen = &s; seen_step = s.step_count(); }
    static std::vector<float> last_before, last_after;
    if (s.step_count() != seen_step) { last_before = before; last_after = now; seen_step = s.step_count(); }
    before = now;
    const Dataset& d = s.data();
    const int k = std::max(0, std::min(c.pl.trace_example, d.train_count() - 1));
    s.trace_example(false, k);
    const float* x = d.train_x.data() + (size_t)k * d.input_size;
    const float zt = t.ex_a.data ? t.ex_a.data[0] : NAN;
    const float z = d.train_y[k];
    const float alpha = c.app.cfg.train.learning_rate;
    ImGui::TextUnformatted("w ← w − α(z~ − z)x,   w0 ← w0 − α(z~ − z)");
    ImGui::Text("%s #%d: x = (%s, %s), z~ = %s, z = %s, α = %s", tr("f.example"), k, num4(x[0]).c_str(), num4(x[1]).c_str(), num4(zt).c_str(),
                num4(z).c_str(), num4(alpha).c_str());
    const float e = zt - z;
    ImGui::Text("w11: %s − %s·(%s)·%s = %s", num4(w1).c_str(), num4(alpha).c_str(), num4(e).c_str(), num4(x[0]).c_str(), num4(w1 - alpha * e * x[0]).c_str());
    ImGui::Text("w21: %s − %s·(%s)·%s = %s", num4(w2).c_str(), num4(alpha).c_str(), num4(e).c_str(), num4(x[1]).c_str(), num4(w2 - alpha * e * x[1]).c_str());
    ImGui::Text("w01: %s − %s·(%s) = %s", num4(b).c_str(), num4(alpha).c_str(), num4(e).c_str(), num4(b - alpha * e).c_str());
    if (e == 0) ImGui::TextColored(ImColor(kOk).Value, "%s", tr("pr.nochange"));
    if (last_after.size() == now.size() && last_before.size() == now.size() && now.size() >= 3) {
      ImGui::Separator();
      ImGui::Text("%s (%s %lld):", tr("pr.last"), tr("f.step"), (long long)s.step_count());
      const char* names[3] = {"w11", "w21", "w01"};
      for (int i = 0; i < 3; ++i)
        ImGui::Text("%s: %s → %s  (Δ = %s)", names[i], num4(last_before[i]).c_str(), num4(last_after[i]).c_str(), num4(last_after[i] - last_before[i]).c_str());
    }
    weight_inputs(c);
  }
  ImGui::EndGroup();
  c.app.note_rect("formula");
}
