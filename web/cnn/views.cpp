// Image mode's views of the current step and input: every layer's feature maps (or their
// gradients dE/da), max-pool routing, the filters and their gradients, the confusion matrix and
// the misclassified test images. Values come from the Session's trace only.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include "cnn/parts.h"

using namespace nnplay;

namespace cnn {
namespace {

float side_for(int h, int w) {                         // on-screen size of one map: about 56 px for 28x28, at least 36
  const int m = std::max(h, w);
  return std::max(36.0f, std::min(72.0f, m * 2.0f));
}

// A row of (C, H, W) maps, wrapped to the available width.
void map_row(const float* v, int C, int H, int W, float scale, Scale s, const char* id_prefix, App& app) {
  const float side = side_for(H, W);
  const float avail = ImGui::GetContentRegionAvail().x;
  float x = 0;
  for (int c = 0; c < C; ++c) {
    if (c && x + side + 4 <= avail) ImGui::SameLine(0, 4); else if (c) x = 0;
    image(v + (size_t)c * H * W, H, W, scale, s, ImVec2(side * W / std::max(H, W), side * H / std::max(H, W)));
    if (c == 0) app.note_rect(id_prefix);
    x += side + 4;
  }
}

Scale value_scale(Activation a) {
  return (a == Activation::Relu || a == Activation::Sigmoid || a == Activation::Softmax || a == Activation::Step) ? Scale::Grey : Scale::Diverging;
}

std::string shape_text(const int s[3]) {
  char b[48];
  if (s[1] * s[2] > 1) std::snprintf(b, sizeof b, "%dx%dx%d", s[0], s[1], s[2]);
  else std::snprintf(b, sizeof b, "%d", s[0]);
  return b;
}

}  // namespace

void maps_view(App& app) {
  State& st = state();
  Session& s = *app.session;
  const Dataset& d = s.data();
  const bool g = app.gradients;
  ImGui::TextWrapped(g ? "dE/da of every layer for this input (green +, magenta -; each layer on its own scale). Hover a cell for its value."
                       : "Activations of every layer for this input (grey: 0 .. the layer's max; blue/orange: + / -). Hover a cell for its value.");
  if (g && st.source == Source::Pad) ImGui::TextColored(ImVec4(1.0f, 0.7f, 0.4f, 1), "A drawing has no label, so it has no loss and no gradients: pick a train or test image.");
  ImGui::TextColored(ImColor(ui::kDim).Value, "input %s", shape_text(d.input_shape).c_str());
  map_row(st.input.data(), d.input_shape[0], d.input_shape[1], d.input_shape[2], 1.0f, Scale::Grey, "map:input", app);
  for (int l = 0; l < s.layer_count(); ++l) {
    const LayerTrace& t = s.trace(l);
    const View& v = g ? t.ex_da : t.ex_a;
    if (!v.data) continue;
    const float m = max_abs(v.data, v.size());
    const Scale sc = g ? Scale::Gradient : t.type == LayerType::MaxPool || t.type == LayerType::AvgPool || t.type == LayerType::Flatten
                                               ? (l > 0 ? value_scale(s.trace(l - 1).act) : Scale::Grey) : value_scale(t.act);
    ImGui::Spacing();
    ImGui::TextColored(ImColor(ui::kText).Value, "layer %d  %s%s  ->  %s   (%s, max |%s| = %.4g)", l + 1, name(t.type),
                       (t.type == LayerType::Dense || t.type == LayerType::Conv) ? (std::string(" ") + name(t.act)).c_str() : "",
                       shape_text(t.out_shape).c_str(), g ? "dE/da" : "a", g ? "dE/da" : "a", (double)m);
    const std::string id = "map:" + std::to_string(l);
    if (t.out_shape[1] * t.out_shape[2] > 1) {
      map_row(v.data, t.out_shape[0], t.out_shape[1], t.out_shape[2], m, sc, id.c_str(), app);
    } else {                                           // a flat layer: one strip of cells, wrapped by 30
      const int n = t.out_shape[0], per = std::min(n, 30), rows = (n + per - 1) / per;
      std::vector<float> strip((size_t)rows * per, 0.0f);
      std::copy(v.data, v.data + n, strip.begin());
      image(strip.data(), rows, per, m, sc, ImVec2(per * 11.0f, rows * 11.0f));
      app.note_rect(id.c_str());
    }
    if (t.type == LayerType::MaxPool && t.ex_argmax && !g) {
      // Routing: each input map with only its winning cells kept (the ones whose dE/da backward reaches).
      const int C = t.in_shape[0], H = t.in_shape[1], W = t.in_shape[2];
      const View& x = l > 0 ? s.trace(l - 1).ex_a : View{};
      const float* xin = l > 0 ? x.data : st.input.data();
      std::vector<float> won((size_t)C * H * W, 0.0f);
      const size_t nout = (size_t)t.out_shape[0] * t.out_shape[1] * t.out_shape[2];
      for (size_t o = 0; o < nout; ++o) {
        const int32_t i = t.ex_argmax[o];
        if (i >= 0 && (size_t)i < won.size()) won[i] = std::max(1e-3f, std::fabs(xin[i]));
      }
      ImGui::PushStyleColor(ImGuiCol_Text, ImColor(ui::kDim).Value);
      ImGui::TextWrapped("max-pool routing: the winning input cells (the rest black); backward sends dE/dy only to them");
      ImGui::PopStyleColor();
      map_row(won.data(), C, H, W, max_abs(won.data(), won.size()), Scale::Grey, ("route:" + std::to_string(l)).c_str(), app);
    }
  }
}

void filters_view(App& app) {
  Session& s = *app.session;
  const bool g = app.gradients;
  ImGui::TextWrapped(g ? "dE/dK of every kernel from the last step (mean over its batch, before regularization); green +, magenta -."
                       : "The kernels (weights) of every conv layer: blue +, orange -, on the layer's own scale. Row = filter, column = input channel.");
  bool any = false;
  for (int l = 0; l < s.layer_count(); ++l) {
    const LayerTrace& t = s.trace(l);
    if (t.type != LayerType::Conv) continue;
    any = true;
    const View& w = g ? t.dw : t.w;
    const View& b = g ? t.db : t.b;
    if (!w.data) continue;
    const int F = w.shape[0], C = w.shape[1], k = w.shape[2];
    const float m = max_abs(w.data, w.size());
    ImGui::Spacing();
    ImGui::TextColored(ImColor(ui::kText).Value, "layer %d conv: %d filters of %dx%dx%d (max |%s| = %.4g)", l + 1, F, C, k, k, g ? "dE/dK" : "w", (double)m);
    const float side = std::max(22.0f, std::min(44.0f, k * 6.0f));
    const int cols = std::min(C, 16);
    for (int f = 0; f < F; ++f) {
      ImGui::TextColored(ImColor(ui::kDim).Value, "f%-2d", f + 1);
      for (int c = 0; c < cols; ++c) {
        ImGui::SameLine(0, 3);
        image(w.data + ((size_t)f * C + c) * k * k, k, k, m, g ? Scale::Gradient : Scale::Diverging, ImVec2(side, side));
        if (f == 0 && c == 0) app.note_rect(("filter:" + std::to_string(l)).c_str());
      }
      if (C > cols) { ImGui::SameLine(); ImGui::TextColored(ImColor(ui::kDim).Value, "+%d", C - cols); }
      if (b.data) { ImGui::SameLine(); ImGui::TextColored(ImColor(ui::kDim).Value, "%s = %.4g", g ? "dE/db" : "b", (double)b.data[f]); }
    }
  }
  if (!any) ImGui::TextUnformatted("This network has no conv layer.");
}

void test_view(App& app) {
  State& st = state();
  Session& s = *app.session;
  const Dataset& d = s.data();
  const int K = st.classes, N = d.test_count();
  if (K <= 0 || st.predicted.size() != (size_t)N) { ImGui::TextUnformatted("evaluating the test set..."); return; }
  int correct = 0;
  for (int k = 0; k < K; ++k) correct += st.confusion[(size_t)k * K + k];
  ImGui::Text("Confusion matrix on the %d test images at step %lld: %.2f%% correct (%.0f ms to evaluate)", N,
              (long long)st.eval_step, N ? 100.0 * correct / N : 0.0, st.eval_ms);
  ImGui::TextColored(ImColor(ui::kDim).Value, "rows: true class, columns: predicted; colour: share of the row");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float cell = K > 8 ? 30.0f : 38.0f, lab = 70;
  const ImVec2 o = ImGui::GetCursorScreenPos();
  for (int p = 0; p < K; ++p) {
    const std::string nm = class_name(app, p);
    dl->AddText(ImVec2(o.x + lab + p * cell + 3, o.y), ui::kDim, nm.substr(0, 4).c_str());
  }
  for (int t = 0; t < K; ++t) {
    int row = 0;
    for (int p = 0; p < K; ++p) row += st.confusion[(size_t)t * K + p];
    const float y = o.y + 18 + t * cell;
    dl->AddText(ImVec2(o.x, y + cell / 2 - 7), ui::kDim, class_name(app, t).c_str());
    for (int p = 0; p < K; ++p) {
      const int n = st.confusion[(size_t)t * K + p];
      const float share = row ? (float)n / row : 0.0f;
      const ImVec2 c0(o.x + lab + p * cell, y), c1(c0.x + cell - 2, y + cell - 2);
      const ImU32 col = t == p ? IM_COL32(30 + (int)(28 * share), 33 + (int)(133 * share), 38 + (int)(47 * share), 255)
                               : IM_COL32(30 + (int)(184 * std::min(1.0f, share * 4)), 33 + (int)(36 * std::min(1.0f, share * 4)), 38 + (int)(27 * std::min(1.0f, share * 4)), 255);
      dl->AddRectFilled(c0, c1, col);
      if (n) { char b[12]; std::snprintf(b, sizeof b, "%d", n); dl->AddText(ImVec2(c0.x + 3, c0.y + cell / 2 - 8), ui::kText, b); }
    }
  }
  ImGui::Dummy(ImVec2(lab + K * cell, 18 + K * cell));
  app.note_rect("view:confusion");
  ImGui::Spacing();
  int wrong = 0;
  for (int i = 0; i < N; ++i) wrong += st.predicted[i] != (int)d.test_y[i];
  ImGui::Text("Misclassified test images: %d (showing up to 60; click one to inspect it)", wrong);
  const int H = d.input_shape[1], W = d.input_shape[2];
  const float avail = ImGui::GetContentRegionAvail().x, side = 44;
  int shown = 0;
  float x = 0;
  for (int i = 0; i < N && shown < 60; ++i) {
    if (st.predicted[i] == (int)d.test_y[i]) continue;
    if (shown && x + side + 6 <= avail) ImGui::SameLine(0, 6); else if (shown) x = 0;
    ImGui::BeginGroup();
    if (image(d.test_x.data() + (size_t)i * d.input_size, H, W, 1.0f, Scale::Grey, ImVec2(side, side))) {
      st.source = Source::Test; st.index = i; st.tab_request = 0;
    }
    if (shown == 0) app.note_rect("wrong:0");
    ImGui::TextColored(ImColor(ui::kDim).Value, "%s>%s", class_name(app, (int)d.test_y[i]).substr(0, 3).c_str(), class_name(app, st.predicted[i]).substr(0, 3).c_str());
    ImGui::EndGroup();
    x += side + 6;
    ++shown;
  }
}

}  // namespace cnn
