// Network panel: hidden layers (add/remove up to 8, neurons up to 16, activation per layer), every
// neuron with its heatmap, links coloured by sign and sized by magnitude of the weight (or of dE/dw
// in the gradient view); hover for values, click a link to edit its weight.
#include <cmath>
#include <cstdio>
#include "playground/panels.h"
#include "share/settings.h"

using namespace nnplay;

namespace {

struct Edit { bool open = false; int layer = 0, index = 0; float value = 0; bool bias = false; };
Edit g_edit;

float seg_distance(ImVec2 p, ImVec2 a, ImVec2 b) {
  const float vx = b.x - a.x, vy = b.y - a.y, wx = p.x - a.x, wy = p.y - a.y;
  const float L = vx * vx + vy * vy;
  float t = L > 0 ? (wx * vx + wy * vy) / L : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const float dx = a.x + t * vx - p.x, dy = a.y + t * vy - p.y;
  return std::sqrt(dx * dx + dy * dy);
}

// A link is a smooth S from its input's anchor p0 to the neuron's left edge b: a cubic Bezier with
// horizontal tangents (control points half way across). Its distance to m, sampled in 8 segments.
void link_controls(ImVec2 p0, ImVec2 b, ImVec2* c0, ImVec2* c1) {
  *c0 = ImVec2(p0.x + (b.x - p0.x) * 0.5f, p0.y);
  *c1 = ImVec2(p0.x + (b.x - p0.x) * 0.5f, b.y);
}
float link_distance(ImVec2 m, ImVec2 p0, ImVec2 b) {
  ImVec2 c0, c1;
  link_controls(p0, b, &c0, &c1);
  float best = 1e30f;
  ImVec2 prev = p0;
  for (int s = 1; s <= 8; ++s) {
    const float tt = s / 8.0f, u = 1 - tt;
    const ImVec2 q(u * u * u * p0.x + 3 * u * u * tt * c0.x + 3 * u * tt * tt * c1.x + tt * tt * tt * b.x,
                   u * u * u * p0.y + 3 * u * u * tt * c0.y + 3 * u * tt * tt * c1.y + tt * tt * tt * b.y);
    best = std::min(best, seg_distance(m, prev, q));
    prev = q;
  }
  return best;
}

std::string shape_with(const App& app, int layer, int delta_units, int insert_layer, bool remove_layer) {
  std::string s;
  int H = app.hidden_count();
  for (int l = 0; l < H; ++l) {
    if (remove_layer && l == H - 1) break;
    int u = app.cfg.layers[l].units + (l == layer ? delta_units : 0);
    if (!s.empty()) s += ",";
    s += std::to_string(u);
  }
  if (insert_layer >= 0) { if (!s.empty()) s += ","; s += std::to_string(insert_layer); }
  return s;
}

}  // namespace

void network_panel(App& app, Area a) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImGuiIO& io = ImGui::GetIO();
  const int H = app.hidden_count(), L = (int)app.cfg.layers.size();
  // ---- header: add/remove hidden layers ----
  ImGui::SetCursorScreenPos(a.min);
  ImGui::BeginDisabled(H >= share::kMaxHidden);
  if (ImGui::Button("+##layer")) ui::set(app, "networkShape", shape_with(app, -1, 0, H ? app.cfg.layers[H - 1].units : 4, false));
  app.note_rect("layer:add");
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(H <= 0);
  if (ImGui::Button("-##layer")) ui::set(app, "networkShape", shape_with(app, -1, 0, -1, true));
  app.note_rect("layer:remove");
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::Text("%d HIDDEN LAYER%s", H, H == 1 ? "" : "S");
  ImGui::SameLine(0, 24);
  ImGui::Checkbox("Show gradients", &app.gradients);
  app.note_rect("check:gradients");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("heatmaps show dE/d(activation) (at the nearest training example), links show dE/dw");

  // ---- layout: one column per hidden layer, then the output neuron ----
  const float head = 84;
  int max_units = 1;
  for (int l = 0; l < H; ++l) max_units = std::max(max_units, app.cfg.layers[l].units);
  const float avail_h = a.h() - head - 8;
  const float tile = std::max(14.0f, std::min(40.0f, avail_h / max_units - 6));
  const float gap = std::min(12.0f, std::max(4.0f, (avail_h - max_units * tile) / std::max(1, max_units)));
  const float col_w = a.w() / (H + 1);
  std::vector<std::vector<ImVec2>> pos(L);             // top-left of each neuron's tile
  for (int l = 0; l < L; ++l) {
    const int U = l < H ? app.cfg.layers[l].units : 1;
    const float x = l < H ? a.min.x + (l + 0.5f) * col_w - tile * 0.5f : a.max.x - tile - 10;
    pos[l].resize(U);
    for (int u = 0; u < U; ++u) pos[l][u] = ImVec2(x, a.min.y + head + u * (tile + gap));
  }
  if (L > 0 && app.output_units() > 1) pos[L - 1].resize(1);  // multi-class: one output tile shows all classes
  // Anchors of the inputs of layer l: enabled features (layer 0) or the previous layer's neurons.
  std::vector<int> feat;
  for (int f = 0; f < (int)Feature::Count; ++f) if ((app.cfg.data.features >> f) & 1) feat.push_back(f);
  auto in_anchor = [&](int l, int i) {
    if (l == 0) { ImVec2 r0, r1; pg::feature_rect(feat[i], &r0, &r1); return ImVec2(r1.x + 1, (r0.y + r1.y) * 0.5f); }
    return ImVec2(pos[l - 1][i].x + tile + 1, pos[l - 1][i].y + tile * 0.5f);
  };

  // ---- links ----
  const bool grads = app.gradients;
  float gmax = 1e-12f;
  if (grads)
    for (int l = 0; l < L; ++l) {
      const LayerTrace& t = app.session->trace(l);
      for (size_t k = 0; t.dw.data && k < t.dw.size(); ++k) gmax = std::max(gmax, std::fabs(t.dw.data[k]));
    }
  const ImVec2 m = io.MousePos;
  const bool mouse_in = m.x >= playground().features_min.x && m.x <= a.max.x && m.y >= a.min.y && m.y <= a.max.y;
  float best = 5.0f;
  int hl = -1, ho = -1, hi = -1;
  for (int l = 0; l < L; ++l) {
    const LayerTrace& t = app.session->trace(l);
    const int O = app.cfg.layers[l].units, I = t.w.shape[1];
    if (!t.w.data || I <= 0) continue;
    for (int o = 0; o < O; ++o) {
      const int shown = std::min(o, (int)pos[l].size() - 1);
      const ImVec2 b(pos[l][shown].x - 1, pos[l][shown].y + tile * 0.5f);
      for (int i = 0; i < I; ++i) {
        const ImVec2 p0 = in_anchor(l, i);
        const float w = t.w.data[(size_t)o * I + i];
        const float g = t.dw.data ? t.dw.data[(size_t)o * I + i] : 0.0f;
        ImU32 col;
        float width;
        if (grads) { col = g >= 0 ? ui::kGradPos : ui::kGradNeg; width = 0.5f + 6.0f * std::fabs(g) / gmax; }
        else { col = w >= 0 ? ui::kPos : ui::kNeg; width = 0.5f + std::min(std::fabs(w), 5.0f) * 1.4f; }
        if (!std::isfinite(w)) { col = IM_COL32(255, 0, 0, 255); width = 2; }
        const float alpha = std::min(1.0f, 0.35f + width / 6.0f);
        col = (col & 0x00FFFFFF) | ((ImU32)(alpha * 255) << 24);
        ImVec2 c0, c1;
        link_controls(p0, b, &c0, &c1);
        dl->AddBezierCubic(p0, c0, c1, b, col, width, 16);
        if (mouse_in) {
          const float d = link_distance(m, p0, b);
          if (d < best) { best = d; hl = l; ho = o; hi = i; }
        }
      }
    }
  }

  if (hl >= 0) playground().hovered_link = Playground::LinkRef{hl, ho, hi};  // the formula panel selects it on a click
  if (m.y < a.min.y + head - 4) hl = -1;               // the header's widgets own the mouse there: no tooltip, no edit

  // ---- neuron tiles (heatmaps) ----
  for (int l = 0; l < L; ++l) {
    Heatmaps::Style s = pg::value_style(app, l);
    for (int u = 0; u < (int)pos[l].size(); ++u) {
      if (l == L - 1 && app.output_units() > 1 && !grads) {
        s.mode = 1; s.classes = app.output_units();
        for (int c = 0; c < s.classes && c < 6; ++c) s.class_tiles[c] = playground().neuron_tile(l, c);
      }
      if (grads) s.scale = playground().neuron_scale(app, l, u);
      playground().heat.draw(dl, playground().neuron_tile(l, u), pos[l][u], ImVec2(pos[l][u].x + tile, pos[l][u].y + tile), s);
    }
  }
  playground().heat.end(dl);
  bool over_tile = false;
  for (int l = 0; l < L; ++l)
    for (int u = 0; u < (int)pos[l].size(); ++u) {
      const ImVec2 p0 = pos[l][u], p1(p0.x + tile, p0.y + tile);
      dl->AddRect(ImVec2(p0.x - 1, p0.y - 1), ImVec2(p1.x + 1, p1.y + 1), IM_COL32(200, 204, 210, 255), 2);
      char id[32];
      std::snprintf(id, sizeof id, "neuron:%d:%d", l, u);
      ImGui::SetCursorScreenPos(p0);
      ImGui::InvisibleButton(id, ImVec2(tile, tile));
      app.note_rect(id);
      if (ImGui::IsItemHovered()) {
        over_tile = true;
        const ImVec2 x = ui::to_input(p0, p1, m);
        pg::neuron_tooltip(app, l, u, x.x, x.y);
      }
    }
  // ---- per-layer headers: neurons +/- and activation ----
  static const std::vector<std::string> kActs = {"tanh", "sigmoid", "relu", "leakyrelu", "linear", "step"};
  for (int l = 0; l < H; ++l) {
    ImGui::PushID(l);
    const float cx = a.min.x + (l + 0.5f) * col_w;
    const float bw = std::min(col_w - 6, 96.0f);
    ImGui::SetCursorScreenPos(ImVec2(cx - bw * 0.5f, a.min.y + 26));
    const int U = app.cfg.layers[l].units;
    ImGui::BeginDisabled(U >= share::kMaxNeurons);
    if (ImGui::SmallButton("+")) ui::set(app, "networkShape", shape_with(app, l, +1, -1, false));
    app.note_rect(("neuron:add:" + std::to_string(l)).c_str());
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(U <= 1);
    if (ImGui::SmallButton("-")) ui::set(app, "networkShape", shape_with(app, l, -1, -1, false));
    app.note_rect(("neuron:remove:" + std::to_string(l)).c_str());
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::Text("%d", U);
    ImGui::SetCursorScreenPos(ImVec2(cx - bw * 0.5f, a.min.y + 50));
    ImGui::SetNextItemWidth(bw);
    const std::string cur = name(app.cfg.layers[l].act);
    if (ImGui::BeginCombo("##act", cur.c_str())) {
      for (const auto& v : kActs)
        if (ImGui::Selectable(v.c_str(), v == cur)) {
          std::string acts;
          for (int k = 0; k < H; ++k) acts += std::string(k ? "," : "") + (k == l ? v : std::string(name(app.cfg.layers[k].act)));
          ui::set(app, "activation", acts);
        }
      ImGui::EndCombo();
    }
    app.note_rect(("activation:" + std::to_string(l)).c_str());
    ImGui::PopID();
  }
  {
    const ImVec2 p = pos[L - 1][0];
    const char* t = "output";
    dl->AddText(ImVec2(p.x + tile * 0.5f - ImGui::CalcTextSize(t).x * 0.5f, p.y - 18), ui::kDim, t);
  }
  // ---- link hover and click-to-edit ----
  if (hl >= 0 && !over_tile && !ImGui::IsPopupOpen("edit weight") && ImGui::IsWindowHovered()) {
    const LayerTrace& t = app.session->trace(hl);
    const int I = t.w.shape[1];
    const size_t k = (size_t)ho * I + hi;
    ImGui::BeginTooltip();
    ImGui::Text("weight from %s to layer %d neuron %d", hl == 0 ? "input feature" : "neuron", hl + 1, ho + 1);
    ImGui::Text("w = %.6f", t.w.data[k]);
    ImGui::Text("dE/dw = %.6g (last step's batch)", t.dw.data ? t.dw.data[k] : 0.0f);
    ImGui::TextColored(ImColor(ui::kDim).Value, "click to edit");
    ImGui::EndTooltip();
    if (ImGui::IsMouseClicked(0)) {
      g_edit = Edit{true, hl, (int)k, t.w.data[k], false};
      ImGui::OpenPopup("edit weight");
    }
  }
  if (ImGui::BeginPopup("edit weight")) {
    ImGui::Text("layer %d, weight #%d", g_edit.layer + 1, g_edit.index);
    ImGui::SetNextItemWidth(140);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    const bool enter = ImGui::InputFloat("##w", &g_edit.value, 0.01f, 0.1f, "%.5f", ImGuiInputTextFlags_EnterReturnsTrue);
    app.note_rect("edit:value");
    if (ImGui::Button("Set") || enter) {
      app.report(app.set_weight(g_edit.layer, false, g_edit.index, g_edit.value));
      ImGui::CloseCurrentPopup();
    }
    app.note_rect("edit:set");
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
}
