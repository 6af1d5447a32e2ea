// The convolution and pooling views: conv.1d, conv.explainer, conv.flip (explain::slide1d/2d, or
// the network's first conv layer via conv_problem/conv_forward_pixel), pool.max and pool.avg
// (explain::pool_explain on the engine's kernels). Grids drawn with ImDrawList; a click on an
// output cell selects it (action `select cell`). Data from the step's viewArgs.
#include <cmath>
#include <cstdio>
#include "tutorial/views.h"

using namespace nnplay;
using namespace nnplay::explain;
using nlohmann::json;

namespace {
const ImU32 kCell = IM_COL32(44, 58, 86, 255), kWin = IM_COL32(255, 196, 0, 255), kSel = IM_COL32(255, 214, 120, 255);

bool to_grid(const json& j, Grid* g) {
  if (!j.is_array() || j.empty()) return false;
  if (j[0].is_number()) {
    g->resize(1, (int)j.size());
    for (size_t c = 0; c < j.size(); ++c) { if (!j[c].is_number()) return false; g->at(0, (int)c) = j[c].get<double>(); }
    return true;
  }
  const int R = (int)j.size(), C = j[0].is_array() ? (int)j[0].size() : 0;
  if (C == 0) return false;
  g->resize(R, C);
  for (int r = 0; r < R; ++r) {
    if (!j[r].is_array() || (int)j[r].size() != C) return false;
    for (int c = 0; c < C; ++c) { if (!j[r][c].is_number()) return false; g->at(r, c) = j[r][c].get<double>(); }
  }
  return true;
}

// Draws a grid of numbers; `mark` cells outlined; returns the clicked cell (or -1).
int grid(const char* id, const Grid& g, float cell, const std::vector<int>& mark, int selected, bool clickable, App* app = nullptr) {
  const ImU32 mark_col = kWin;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  int clicked = -1;
  for (int r = 0; r < g.rows; ++r)
    for (int c = 0; c < g.cols; ++c) {
      const ImVec2 a(o.x + c * cell, o.y + r * cell), b(a.x + cell - 2, a.y + cell - 2);
      const int k = r * g.cols + c;
      dl->AddRectFilled(a, b, kCell, 3);
      char t[32];
      std::snprintf(t, sizeof t, "%s", num4(g.at(r, c)).c_str());
      const ImVec2 ts = ImGui::CalcTextSize(t);
      dl->AddText(ImVec2(a.x + (cell - 2 - ts.x) * 0.5f, a.y + (cell - 2 - ts.y) * 0.5f), ui::kText, t);
      for (int m : mark) if (m == k) dl->AddRect(a, b, mark_col, 3, 0, 2.5f);
      if (k == selected) dl->AddRect(ImVec2(a.x - 1, a.y - 1), ImVec2(b.x + 1, b.y + 1), kSel, 3, 0, 3.0f);
      if (clickable) {
        ImGui::SetCursorScreenPos(a);
        char bid[48];
        std::snprintf(bid, sizeof bid, "%s%d", id, k);
        if (ImGui::InvisibleButton(bid, ImVec2(cell - 2, cell - 2))) clicked = k;
        if (app) app->note_rect(("cell:" + std::to_string(k)).c_str());
      }
    }
  ImGui::SetCursorScreenPos(o);
  ImGui::Dummy(ImVec2(g.cols * cell, g.rows * cell));
  return clicked;
}

void init_cell(ViewCtx& c, int rows, int cols) {
  Player& pl = c.pl;
  const int key = pl.step + 1000 * (pl.tutorial ? pl.tutorial->order : 0);
  if (pl.cell_step != key) {
    pl.cell_step = key;
    pl.cell_r = pl.cell_c = 0;
    const json& at = c.args.is_object() && c.args.contains("at") ? c.args["at"] : json();
    if (at.is_number_integer()) pl.cell_c = at.get<int>();
    if (at.is_array() && at.size() == 2 && at[0].is_number_integer()) { pl.cell_r = at[0].get<int>(); pl.cell_c = at[1].get<int>(); }
  }
  pl.cell_r = std::max(0, std::min(pl.cell_r, rows - 1));
  pl.cell_c = std::max(0, std::min(pl.cell_c, cols - 1));
}

void slide_view(ViewCtx& c, bool one_d, bool flip_view) {
  Grid in, ker;
  if (!c.args.is_object() || !to_grid(c.args.value("input", json()), &in) || !to_grid(c.args.value("kernel", json()), &ker)) {
    // without args: the network's first conv layer on the traced example
    Session& s = *c.app.session;
    int layer = -1;
    for (int l = 0; l < s.layer_count(); ++l) if (s.trace(l).type == LayerType::Conv) { layer = l; break; }
    if (layer < 0) { wrapped_text(tr("conv.noconv"), c.width, IM_COL32(255, 176, 80, 255)); return; }
    ConvProblem pr;
    std::string e = conv_problem(s, ExampleRef{false, std::max(0, c.pl.trace_example)}, layer, &pr);
    ConvPixel px;
    if (e.empty()) e = conv_forward_pixel(pr, 0, 0, 0, &px);
    if (!e.empty()) { wrapped_text(e, c.width, IM_COL32(255, 110, 90, 255)); return; }
    ImGui::Text("layer %d, filter 1, output (0, 0): z = %s + %s = %s, a = %s", layer + 1, num4(px.sum).c_str(), num4(px.bias).c_str(),
                num4(px.z).c_str(), num4(px.a).c_str());
    return;
  }
  const bool conv = flip_view && c.pl.flip;
  Slide sl;
  const std::string e = one_d ? slide1d(in.v, ker.v, conv, &sl) : slide2d(in, ker, conv, &sl);
  if (!e.empty()) { wrapped_text(e, c.width, IM_COL32(255, 110, 90, 255)); return; }
  init_cell(c, sl.out.rows, sl.out.cols);
  Player& pl = c.pl;
  if (flip_view) {
    bool f = pl.flip;
    if (ImGui::Checkbox(tr("conv.flip"), &f)) { pl.flip = f; pl.action("toggle", "flip"); }
    c.app.note_rect("toggle:flip");
    ImGui::SameLine();
    ImGui::TextColored(ImColor(ui::kDim).Value, "%s", pl.flip ? tr("conv.isconv") : tr("conv.iscorr"));
  }
  const SlideOut& so = sl.steps[(size_t)pl.cell_r * sl.out.cols + pl.cell_c];
  std::vector<int> win;
  for (const SlideTerm& t : so.terms) win.push_back(t.i * in.cols + t.j);
  const float cell = std::min(40.0f, (c.width - 30) / std::max(in.cols + ker.cols, sl.out.cols) * 1.0f);
  ImGui::BeginGroup();
  ImGui::TextUnformatted(tr("conv.input"));
  grid("in", in, cell, win, -1, false);
  ImGui::EndGroup();
  ImGui::SameLine(0, 14);
  ImGui::BeginGroup();
  ImGui::TextUnformatted(conv ? tr("conv.kernelflipped") : tr("conv.kernel"));
  grid("k", sl.kernel_used, cell, {}, -1, false);
  ImGui::EndGroup();
  ImGui::BeginGroup();                                 // the output on its own row: the three grids never clip
  ImGui::TextUnformatted(tr("conv.output"));
  const int clicked = grid("out", sl.out, cell, {}, pl.cell_r * sl.out.cols + pl.cell_c, true, &c.app);
  ImGui::EndGroup();
  if (clicked >= 0) {
    pl.cell_r = clicked / sl.out.cols; pl.cell_c = clicked % sl.out.cols;
    pl.action("select", "cell");
  }
  // the selected output as its sum of products
  std::string sum;
  for (size_t k = 0; k < so.terms.size(); ++k) sum += (k ? " + " : "") + num4(so.terms[k].x) + "·" + num4(so.terms[k].k);
  char head[64];
  if (one_d) std::snprintf(head, sizeof head, "y[%d] = ", so.j);
  else std::snprintf(head, sizeof head, "y[%d][%d] = ", so.i, so.j);
  wrapped_text(head + sum + " = " + num4(so.value), c.width, IM_COL32(255, 214, 120, 255));
  wrapped_text(one_d ? (conv ? "y[n] = Σ_m f[n+m] g[K−1−m]" : "y[n] = Σ_m f[n+m] g[m]")
                     : (conv ? "y[i][j] = Σ f[i+u][j+v] g[kh−1−u][kw−1−v]" : "y[i][j] = Σ f[i+u][j+v] g[u][v]"),
               c.width, ui::kDim);
}

void pool_view(ViewCtx& c, bool max) {
  Grid in;
  if (!c.args.is_object() || !to_grid(c.args.value("input", json()), &in)) {
    const std::vector<float> g = lecture_pool_grid();
    in.resize(4, 4);
    for (int k = 0; k < 16 && k < (int)g.size(); ++k) in.v[k] = g[k];
  }
  const int p = c.args.is_object() ? c.args.value("size", 2) : 2, s = c.args.is_object() ? c.args.value("stride", 2) : 2;
  std::vector<float> x(in.v.begin(), in.v.end());
  PoolExplain pe;
  const std::string e = pool_explain(x, in.rows, in.cols, p, s, max, {}, &pe);
  if (!e.empty()) { wrapped_text(e, c.width, IM_COL32(255, 110, 90, 255)); return; }
  init_cell(c, pe.P, pe.Q);
  Player& pl = c.pl;
  const PoolWindow& w = pe.windows[(size_t)pl.cell_r * pe.Q + pl.cell_c];
  Grid out;
  out.resize(pe.P, pe.Q);
  for (int k = 0; k < pe.P * pe.Q; ++k) out.v[k] = pe.y[k];
  std::vector<int> mark = w.cells;
  const float cell = std::min(44.0f, (c.width - 30) / (in.cols + pe.Q + 1));
  ImGui::BeginGroup();
  ImGui::TextUnformatted(tr("conv.input"));
  grid("pin", in, cell, mark, max ? w.winner : -1, false);
  ImGui::EndGroup();
  ImGui::SameLine(0, 18);
  ImGui::BeginGroup();
  ImGui::Text("%s (%s %d, %s %d)", tr("conv.output"), tr("pool.size"), p, tr("pool.stride"), s);
  const int clicked = grid("pout", out, cell, {}, pl.cell_r * pe.Q + pl.cell_c, true, &c.app);
  ImGui::EndGroup();
  if (clicked >= 0) { pl.cell_r = clicked / pe.Q; pl.cell_c = clicked % pe.Q; pl.action("select", "cell"); }
  std::string vals;
  for (size_t k = 0; k < w.cells.size(); ++k) vals += (k ? ", " : "") + num4(pe.x[w.cells[k]]);
  char head[64];
  std::snprintf(head, sizeof head, "y[%d][%d] = ", w.p, w.q);
  std::string line = head + std::string(max ? "max(" : "(") + vals + (max ? ")" : std::string(") / ") + std::to_string(w.cells.size())) + " = " +
                     num4(pe.y[(size_t)w.p * pe.Q + w.q]);
  if (max && w.tie) line += std::string("  ") + tr("pool.tie");
  wrapped_text(line, c.width, IM_COL32(255, 214, 120, 255));
}
}  // namespace

void conv_view(ViewCtx& c) {
  ImGui::BeginGroup();
  if (c.id == "conv.1d") slide_view(c, true, false);
  else if (c.id == "conv.explainer") slide_view(c, false, false);
  else if (c.id == "conv.flip") slide_view(c, false, true);
  else if (c.id == "pool.max") pool_view(c, true);
  else if (c.id == "pool.avg") pool_view(c, false);
  ImGui::EndGroup();
  c.app.note_rect("conv-view");
}
