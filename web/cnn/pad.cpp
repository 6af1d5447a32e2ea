// Image mode's input column: which image goes through the network (a training or test image, or
// the drawing pad), the pad itself (mouse drawing with a soft brush), and the live prediction.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include "cnn/parts.h"

using namespace nnplay;

namespace cnn {
namespace {

// A soft round brush: full inside radius 1, fading to 0 at radius 2.3 (pixels), max-combined
// with what is there so going over a stroke again does not saturate its edges.
void stamp(std::vector<float>& pad, int H, int W, float y, float x) {
  for (int r = (int)std::floor(y - 3); r <= (int)std::ceil(y + 3); ++r)
    for (int c = (int)std::floor(x - 3); c <= (int)std::ceil(x + 3); ++c) {
      if (r < 0 || c < 0 || r >= H || c >= W) continue;
      const float d = std::sqrt((r + 0.5f - y) * (r + 0.5f - y) + (c + 0.5f - x) * (c + 0.5f - x));
      const float v = std::min(1.0f, std::max(0.0f, 1.0f - (d - 1.0f) / 1.3f));
      float& p = pad[(size_t)r * W + c];
      p = std::max(p, v);
    }
}

}  // namespace

void input_column(App& app, Area a) {
  State& st = state();
  Session& s = *app.session;
  const Dataset& d = s.data();
  const int H = d.input_shape[1], W = d.input_shape[2];
  ui::header(a, "INPUT IMAGE");
  int src = (int)st.source;
  if (ImGui::RadioButton("train", &src, 0)) st.source = Source::Train;
  app.note_rect("source:train");
  ImGui::SameLine();
  if (ImGui::RadioButton("test", &src, 1)) st.source = Source::Test;
  app.note_rect("source:test");
  ImGui::SameLine();
  if (ImGui::RadioButton("drawing pad", &src, 2)) st.source = Source::Pad;
  app.note_rect("source:pad");
  if (st.source != Source::Pad) {
    const int n = st.source == Source::Test ? d.test_count() : d.train_count();
    ImGui::SetNextItemWidth(110);
    int idx = st.index;
    if (ImGui::InputInt("##index", &idx, 1, 10)) st.index = std::max(0, std::min(n - 1, idx));
    app.note_rect("input:index");
    ImGui::SameLine();
    ImGui::Text("of %d, label %s", n, st.label >= 0 ? class_name(app, st.label).c_str() : "-");
    image(st.input.data(), H, W, 1.0f, Scale::Grey, ImVec2(112, 112 * H / (float)W));
    app.note_rect("view:input");
  }

  // ---- the drawing pad ----
  ImGui::Spacing();
  ImGui::TextColored(ImColor(ui::kDim).Value, "DRAWING PAD (draw with the mouse)");
  const float cell = std::max(2.0f, std::min(7.0f, (a.w() - 4) / W));
  const ImVec2 p0 = ImGui::GetCursorScreenPos(), size(cell * W, cell * H);
  ImGui::InvisibleButton("pad", size);
  app.note_rect("pad");
  static bool drawing = false;
  static ImVec2 last;
  const ImVec2 m = ImGui::GetIO().MousePos;
  const ImVec2 cur((m.x - p0.x) / cell, (m.y - p0.y) / cell);   // pad pixels, x then y
  if (ImGui::IsItemActive() && ImGui::IsMouseDown(0)) {
    if (!drawing) { drawing = true; last = cur; }
    const float dx = cur.x - last.x, dy = cur.y - last.y;
    const int steps = std::max(1, (int)std::ceil(std::sqrt(dx * dx + dy * dy) / 0.25f));
    for (int k = 1; k <= steps; ++k) stamp(st.pad, H, W, last.y + dy * k / steps, last.x + dx * k / steps);
    if (steps == 1) stamp(st.pad, H, W, cur.y, cur.x);
    last = cur;
    ++st.pad_version;
    if (st.source != Source::Pad) st.source = Source::Pad;
  } else {
    drawing = false;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p0, ImVec2(p0.x + size.x, p0.y + size.y), IM_COL32(0, 0, 0, 255));
  for (int r = 0; r < H; ++r)
    for (int c = 0; c < W; ++c) {
      const float v = st.pad[(size_t)r * W + c];
      if (v <= 0.004f) continue;
      const int g = (int)(v * 255);
      dl->AddRectFilled(ImVec2(p0.x + c * cell, p0.y + r * cell), ImVec2(p0.x + (c + 1) * cell, p0.y + (r + 1) * cell), IM_COL32(g, g, g, 255));
    }
  dl->AddRect(ImVec2(p0.x - 1, p0.y - 1), ImVec2(p0.x + size.x + 1, p0.y + size.y + 1), st.source == Source::Pad ? IM_COL32(75, 155, 224, 255) : IM_COL32(80, 86, 94, 255));
  if (ImGui::Button("Clear pad")) { std::fill(st.pad.begin(), st.pad.end(), 0.0f); ++st.pad_version; }
  app.note_rect("button:clearPad");
  if (st.source == Source::Pad) trace_current(app);    // this frame's strokes reach every view drawn after this column

  // ---- the prediction ----
  ImGui::Spacing();
  ImGui::TextColored(ImColor(ui::kDim).Value, "PREDICTION (%s)", st.source == Source::Pad ? "drawing pad" : st.source == Source::Test ? "test image" : "training image");
  const int K = (int)st.probs.size();
  const int best = K ? (int)(std::max_element(st.probs.begin(), st.probs.end()) - st.probs.begin()) : -1;
  const ImVec2 b0 = ImGui::GetCursorScreenPos();
  const float bar_w = a.w() - 110, row = 15;
  for (int k = 0; k < K; ++k) {
    const float y = b0.y + k * row;
    const std::string nm = class_name(app, k);
    dl->AddText(ImVec2(b0.x, y), k == best ? ui::kText : ui::kDim, nm.c_str());
    const float v = std::isfinite(st.probs[k]) ? std::max(0.0f, std::min(1.0f, st.probs[k])) : 0.0f;
    dl->AddRectFilled(ImVec2(b0.x + 58, y + 2), ImVec2(b0.x + 58 + bar_w, y + row - 2), IM_COL32(45, 50, 58, 255));
    dl->AddRectFilled(ImVec2(b0.x + 58, y + 2), ImVec2(b0.x + 58 + bar_w * v, y + row - 2),
                      k == st.label ? IM_COL32(58, 166, 85, 255) : k == best ? IM_COL32(75, 155, 224, 255) : IM_COL32(120, 130, 140, 255));
    char t[16];
    std::snprintf(t, sizeof t, "%.3f", (double)st.probs[k]);
    dl->AddText(ImVec2(b0.x + 62 + bar_w, y), ui::kDim, t);
  }
  ImGui::Dummy(ImVec2(a.w(), K * row + 4));
  app.note_rect("view:prediction");
  if (best >= 0) ImGui::Text("predicted: %s (p = %.3f)%s", class_name(app, best).c_str(), (double)st.probs[best],
                             st.label >= 0 ? (best == st.label ? "  correct" : "  wrong") : "");
  const Metrics& mt = app.metrics;
  ImGui::TextColored(ImColor(ui::kDim).Value, "step %lld", (long long)s.step_count());
  if (mt.test_accuracy >= 0)
    ImGui::TextColored(ImColor(ui::kDim).Value, "accuracy: train %.1f%%, test %.1f%%", mt.train_accuracy * 100, mt.test_accuracy * 100);
}

}  // namespace cnn
