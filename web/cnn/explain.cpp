// The convolution explainer: one output pixel of a conv layer as its multiply-adds (forward), the
// backward pass (dL/dK as the correlation of the input with dL/dout, dL/dinput for a pixel), max
// vs average pooling's backward, and convolution vs cross-correlation on a small example. Every
// number comes from nnplay/explain.h (computed from the session's trace), never from this file.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include "cnn/parts.h"
#include "nnplay/explain.h"

using namespace nnplay;
namespace ex = nnplay::explain;

namespace cnn {
namespace {

const ImVec4 kWarn(1.0f, 0.54f, 0.40f, 1);
const ImU32 kHi = IM_COL32(255, 214, 10, 255);

// A small table of numbers; `hi(r, c)` marks cells; returns the clicked cell (or false).
template <class Get, class Hi>
bool num_grid(const char* id, int rows, int cols, Get get, Hi hi, int* cr = nullptr, int* cc = nullptr) {
  bool clicked = false;
  if (ImGui::BeginTable(id, cols, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
    for (int r = 0; r < rows; ++r) {
      ImGui::TableNextRow();
      for (int c = 0; c < cols; ++c) {
        ImGui::TableSetColumnIndex(c);
        if (hi(r, c)) ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, IM_COL32(120, 96, 10, 255));
        char b[32];
        std::snprintf(b, sizeof b, "%.3f##%d_%d", (double)get(r, c), r, c);
        if (ImGui::Selectable(b, false, 0, ImVec2(40, 0))) { clicked = true; if (cr) *cr = r; if (cc) *cc = c; }
      }
    }
    ImGui::EndTable();
  }
  return clicked;
}

// Overlays a rectangle of cells (r0..r1, c0..c1 inclusive) on the last drawn image item of (h, w) cells.
void mark(int h, int w, int r0, int c0, int r1, int c1, ImU32 col) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  const float ch = (b.y - a.y) / h, cw = (b.x - a.x) / w;
  r0 = std::max(0, r0); c0 = std::max(0, c0); r1 = std::min(h - 1, r1); c1 = std::min(w - 1, c1);
  if (r1 < r0 || c1 < c0) return;
  ImGui::GetWindowDrawList()->AddRect(ImVec2(a.x + c0 * cw, a.y + r0 * ch), ImVec2(a.x + (c1 + 1) * cw, a.y + (r1 + 1) * ch), col, 0, 0, 2.0f);
}

void pooling_demo() {
  static bool init = false;
  static ex::PoolExplain mx, av;
  static std::vector<float> dy = {1.0f, -2.0f, 0.5f, 3.0f};     // an example dL/dy, the same for both
  if (!init) {
    const std::vector<float> x = ex::lecture_pool_grid();
    ex::pool_explain(x, 4, 4, 2, 2, true, dy, &mx);
    ex::pool_explain(x, 4, 4, 2, 2, false, dy, &av);
    init = true;
  }
  ImGui::TextWrapped("Pooling 4x4 -> 2x2 (window 2, stride 2) on the lecture's example grid, backward with dL/dy = [1, -2; 0.5, 3]:");
  auto winner = [&](int r, int c) { for (const auto& w : mx.windows) if (w.winner == r * 4 + c) return true; return false; };
  // One n x n grid under its title; the max winners marked where `marks`.
  auto grid = [&](const char* title, const char* id, int n, const std::vector<float>& v, bool marks) {
    ImGui::TextUnformatted(title);
    num_grid(id, n, n, [&](int r, int c) { return v[r * n + c]; }, [&](int r, int c) { return marks && winner(r, c); });
  };
  auto next_column = [] { ImGui::EndGroup(); ImGui::SameLine(0, 16); ImGui::BeginGroup(); };
  ImGui::BeginGroup();
  grid("input x (max winners marked)", "##px", 4, mx.x, true);
  next_column();
  grid("max: y", "##my", 2, mx.y, false);
  grid("average: y", "##ay", 2, av.y, false);
  next_column();
  grid("max: dL/dx (switch routing)", "##mdx", 4, mx.dx, true);
  next_column();
  grid("average: dL/dx (dy / 4 each)", "##adx", 4, av.dx, false);
  ImGui::EndGroup();
}

void flip_demo(State& st, App& app) {
  ex::Grid img, k;
  const std::vector<float> g = ex::lecture_pool_grid();
  img.resize(4, 4);
  for (int i = 0; i < 16; ++i) img.v[i] = g[i];
  k.resize(2, 2);
  k.at(0, 0) = 1; k.at(0, 1) = 0; k.at(1, 0) = 0; k.at(1, 1) = -1;   // a diagonal-difference kernel: its flip differs
  ImGui::Checkbox("convolution (flip the kernel); off: cross-correlation, what CNN layers compute", &st.flip);
  app.note_rect("check:flip");
  ex::Slide sl;
  const std::string e = ex::slide2d(img, k, st.flip, &sl);
  if (!e.empty()) { ImGui::TextColored(kWarn, "%s", e.c_str()); return; }
  ImGui::BeginGroup(); ImGui::TextUnformatted("image f");
  num_grid("##fi", 4, 4, [&](int r, int c) { return img.at(r, c); }, [](int r, int c) { return r < 2 && c < 2; });
  ImGui::EndGroup(); ImGui::SameLine(0, 16);
  ImGui::BeginGroup(); ImGui::TextUnformatted("kernel g");
  num_grid("##fk", 2, 2, [&](int r, int c) { return k.at(r, c); }, [](int, int) { return false; });
  ImGui::TextUnformatted(st.flip ? "g flipped (used)" : "g as is (used)");
  num_grid("##fu", 2, 2, [&](int r, int c) { return sl.kernel_used.at(r, c); }, [](int, int) { return false; });
  ImGui::EndGroup(); ImGui::SameLine(0, 16);
  ImGui::BeginGroup(); ImGui::TextUnformatted("output (3x3)");
  num_grid("##fo", sl.out.rows, sl.out.cols, [&](int r, int c) { return sl.out.at(r, c); }, [](int r, int c) { return r == 0 && c == 0; });
  ImGui::EndGroup();
  if (!sl.steps.empty()) {
    std::string t = "out(0,0) = ";
    for (size_t i = 0; i < sl.steps[0].terms.size(); ++i) {
      const auto& s = sl.steps[0].terms[i];
      char b[64];
      std::snprintf(b, sizeof b, "%s%g*%g", i ? " + " : "", s.x, s.k);
      t += b;
    }
    char b[32];
    std::snprintf(b, sizeof b, " = %g", sl.steps[0].value);
    ImGui::TextUnformatted((t + b).c_str());
  }
}

}  // namespace

void explainer_view(App& app) {
  State& st = state();
  Session& s = *app.session;
  std::vector<int> convs;
  for (int l = 0; l < s.layer_count(); ++l) if (s.trace(l).type == LayerType::Conv) convs.push_back(l);
  if (convs.empty()) { ImGui::TextUnformatted("This network has no conv layer."); ImGui::Separator(); pooling_demo(); ImGui::Separator(); flip_demo(st, app); return; }
  if (std::find(convs.begin(), convs.end(), st.conv_layer) == convs.end()) st.conv_layer = convs[0];
  ImGui::SetNextItemWidth(160);
  char cur[32];
  std::snprintf(cur, sizeof cur, "layer %d (conv)", st.conv_layer + 1);
  if (ImGui::BeginCombo("conv layer", cur)) {
    for (int l : convs) {
      char b[32];
      std::snprintf(b, sizeof b, "layer %d (conv)", l + 1);
      if (ImGui::Selectable(b, l == st.conv_layer)) { st.conv_layer = l; st.f = st.kc = st.ky = st.kx = st.ic = st.iy = st.ix = 0; st.p = st.q = -1; }
    }
    ImGui::EndCombo();
  }
  // The problem: from the session for a data-set example (explain::conv_problem); for the drawing
  // pad, the same fields read from the trace predict() filled (no label: no backward).
  ex::ConvProblem pr;
  std::string e;
  const int L = st.conv_layer;
  if (st.source != Source::Pad) {
    e = ex::conv_problem(s, ex::ExampleRef{st.source == Source::Test, st.index}, L, &pr);
  } else {
    const LayerTrace& t = s.trace(L);
    pr.C = t.in_shape[0]; pr.H = t.in_shape[1]; pr.W = t.in_shape[2];
    pr.F = t.w.shape[0]; pr.k = t.w.shape[2];
    const LayerSpec& spec = app.cfg.layers[L];
    pr.s = spec.stride; pr.pad = spec.pad; pr.act = spec.act; pr.leak = spec.leak;
    const float* x = L == 0 ? st.pad.data() : s.trace(L - 1).ex_a.data;
    pr.x.assign(x, x + (size_t)pr.C * pr.H * pr.W);
    pr.w.assign(t.w.data, t.w.data + t.w.size());
    pr.b.assign(t.b.data, t.b.data + t.b.size());
    pr.engine_z.assign(t.ex_z.data, t.ex_z.data + t.ex_z.size());
  }
  if (!e.empty()) { ImGui::TextColored(kWarn, "%s", e.c_str()); return; }
  const int P = pr.P(), Q = pr.Q(), k = pr.k;
  if (st.p < 0 || st.q < 0) { st.p = P / 2; st.q = Q / 2; st.iy = pr.H / 2; st.ix = pr.W / 2; }
  st.f = std::min(st.f, pr.F - 1); st.p = std::min(st.p, P - 1); st.q = std::min(st.q, Q - 1);
  st.kc = std::min(st.kc, pr.C - 1); st.ic = std::min(st.ic, pr.C - 1);
  st.iy = std::min(st.iy, pr.H - 1); st.ix = std::min(st.ix, pr.W - 1);
  ex::ConvPixel px;
  e = ex::conv_forward_pixel(pr, st.f, st.p, st.q, &px);
  if (!e.empty()) { ImGui::TextColored(kWarn, "%s", e.c_str()); return; }
  const int c = st.kc;                                 // the input channel shown with the window
  ImGui::TextWrapped("Click an output pixel (right map) to pick it; click a kernel number to pick the element for dL/dK; click the input map to pick the pixel for dL/dinput.");
  // ---- input channel with the window, output map with the pixel ----
  ImGui::BeginGroup();
  ImGui::Text("input channel %d of %d (%dx%d)", c + 1, pr.C, pr.H, pr.W);
  const float sz = 168;
  int cy = -1, cx = -1;
  const float mx = std::max(1e-6f, max_abs(pr.x.data(), pr.x.size()));
  if (image(pr.x.data() + (size_t)c * pr.H * pr.W, pr.H, pr.W, mx, Scale::Grey, ImVec2(sz, sz * pr.H / pr.W), &cy, &cx)) { st.ic = c; st.iy = cy; st.ix = cx; }
  app.note_rect("explain:input");
  const int y0 = st.p * pr.s - pr.pad, x0 = st.q * pr.s - pr.pad;
  mark(pr.H, pr.W, y0, x0, y0 + k - 1, x0 + k - 1, kHi);
  mark(pr.H, pr.W, st.iy, st.ix, st.iy, st.ix, IM_COL32(75, 155, 224, 255));
  if (pr.C > 1) { ImGui::SetNextItemWidth(120); if (ImGui::SliderInt("channel", &st.kc, 0, pr.C - 1)) st.ic = st.kc; }
  ImGui::EndGroup();
  ImGui::SameLine(0, 18);
  ImGui::BeginGroup();
  std::vector<float> z(pr.engine_z.begin() + (size_t)st.f * P * Q, pr.engine_z.begin() + (size_t)(st.f + 1) * P * Q);
  ImGui::Text("output z of filter %d (%dx%d)", st.f + 1, P, Q);
  if (image(z.data(), P, Q, std::max(1e-6f, max_abs(z.data(), z.size())), Scale::Diverging, ImVec2(sz, sz * P / Q), &cy, &cx)) { st.p = cy; st.q = cx; }
  app.note_rect("explain:output");
  mark(P, Q, st.p, st.q, st.p, st.q, kHi);
  ImGui::SetNextItemWidth(120);
  ImGui::SliderInt("filter", &st.f, 0, pr.F - 1);
  ImGui::EndGroup();
  // ---- forward: kernel numbers, window numbers, the multiply-adds ----
  ImGui::Separator();
  ImGui::TextWrapped("Forward at output (f %d, p %d, q %d): z = sum over c, ky, kx of K[c][ky][kx] * x[c][p*%d+ky-%d][q*%d+kx-%d] + b", st.f + 1, st.p, st.q, pr.s, pr.pad, pr.s, pr.pad);
  ImGui::BeginGroup();
  ImGui::Text("kernel K[f %d][c %d]", st.f + 1, c + 1);
  int kr = -1, kcx = -1;
  if (num_grid("##kernel", k, k, [&](int r, int cc) { return pr.w[(((size_t)st.f * pr.C + c) * k + r) * k + cc]; },
               [&](int r, int cc) { return st.kc == c && r == st.ky && cc == st.kx; }, &kr, &kcx)) { st.ky = kr; st.kx = kcx; }
  app.note_rect("explain:kernel");
  ImGui::EndGroup();
  ImGui::SameLine(0, 16);
  ImGui::BeginGroup();
  ImGui::Text("input window x[c %d] (0 = padding)", c + 1);
  num_grid("##window", k, k, [&](int r, int cc) { return px.taps[((size_t)c * k + r) * k + cc].x; }, [&](int r, int cc) { return px.taps[((size_t)c * k + r) * k + cc].padding; });
  ImGui::EndGroup();
  ImGui::BeginChild("##taps", ImVec2(0, 150), true);
  for (const ex::ConvTap& t : px.taps)
    ImGui::Text("c%d ky%d kx%d:  %+.5f * %.5f%s = %+.6f   running %+.6f", t.c + 1, t.ky, t.kx, (double)t.w, (double)t.x, t.padding ? " (pad)" : "", (double)t.product, (double)t.running);
  ImGui::EndChild();
  app.note_rect("explain:taps");
  ImGui::TextWrapped("sum of %d products = %.6f;  + bias %.6f  =  z = %.6f;  a = %s(z) = %.6f", (int)px.taps.size(), (double)px.sum, (double)px.bias, (double)px.z, name(pr.act), (double)px.a);
  if (px.has_engine) ImGui::TextColored(px.engine_z == px.z ? ImVec4(0.55f, 0.85f, 0.55f, 1) : kWarn, "the engine's feature-map value: %.6f (%s)", (double)px.engine_z, px.engine_z == px.z ? "equal, bit for bit" : "differs");
  // ---- backward ----
  ImGui::Separator();
  if (pr.dy.empty()) {
    ImGui::TextColored(ImVec4(1.0f, 0.7f, 0.4f, 1), "Backward: a drawing has no label, hence no loss: pick a train or test image to see dL/dK and dL/dinput.");
  } else {
    ex::KernelGrad kg;
    e = ex::conv_kernel_grad(pr, st.f, st.kc, st.ky, st.kx, &kg);
    if (!e.empty()) ImGui::TextColored(kWarn, "%s", e.c_str());
    else {
      ImGui::TextWrapped("dL/dK[f %d][c %d][%d][%d] = sum over p, q of dL/dz[f][p][q] * x[c][p*%d+%d-%d][q*%d+%d-%d]  (the input correlated with dL/dout)",
                  st.f + 1, st.kc + 1, st.ky, st.kx, pr.s, st.ky, pr.pad, pr.s, st.kx, pr.pad);
      int nz = 0;
      for (const auto& t : kg.taps) nz += t.dy != 0 && t.x != 0;
      ImGui::BeginChild("##kgrad", ImVec2(0, 110), true);
      int shown = 0;
      for (const auto& t : kg.taps) {
        if (t.dy == 0 || t.x == 0) continue;
        if (++shown > 200) { ImGui::TextColored(ImColor(ui::kDim).Value, "... %d more non-zero terms", nz - 200); break; }
        ImGui::Text("p%d q%d:  dz %+.6f * x[%d][%d] %.5f = %+.7f   running %+.7f", t.p, t.q, (double)t.dy, t.iy, t.ix, (double)t.x, (double)t.product, (double)t.running);
      }
      ImGui::EndChild();
      app.note_rect("explain:kgrad");
      ImGui::TextWrapped("%d terms (%d non-zero shown above): dL/dK = %.7g;  dL/db[f %d] = sum of dL/dz = %.7g", (int)kg.taps.size(), nz, (double)kg.value, st.f + 1, (double)kg.bias_grad);
    }
    ex::InputGrad ig;
    e = ex::conv_input_grad(pr, st.ic, st.iy, st.ix, &ig);
    if (!e.empty()) ImGui::TextColored(kWarn, "%s", e.c_str());
    else {
      ImGui::TextWrapped("dL/dinput[c %d][%d][%d] = sum over the windows covering it of K[f][c][ky][kx] * dL/dz[f][p][q]:", st.ic + 1, st.iy, st.ix);
      ImGui::BeginChild("##igrad", ImVec2(0, 90), true);
      for (const auto& t : ig.terms)
        ImGui::Text("f%d p%d q%d (ky%d kx%d):  %+.5f * %+.6f = %+.7f", t.f + 1, t.p, t.q, t.ky, t.kx, (double)t.w, (double)t.dy, (double)t.product);
      ImGui::EndChild();
      ImGui::Text("%d terms: dL/dinput = %.7g", (int)ig.terms.size(), (double)ig.value);
      if (ig.has_engine) ImGui::TextColored(ig.engine_value == ig.value ? ImVec4(0.55f, 0.85f, 0.55f, 1) : kWarn, "the engine's dE/da of the previous layer: %.7g", (double)ig.engine_value);
      else ImGui::TextColored(ImColor(ui::kDim).Value, "(layer 1: the engine does not compute the gradient of the image itself)");
    }
  }
  ImGui::Separator();
  pooling_demo();
  ImGui::Separator();
  flip_demo(st, app);
}

}  // namespace cnn
