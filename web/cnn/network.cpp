// Image mode's network column: the image data set (digits, shapes, the user's IDX files), the
// layers as a column with their shapes and parameter counts, their editor (add, remove, edit; an
// invalid combination stays a draft with the engine's message) and the presets as share links.
#include <cstdio>
#include "cnn/parts.h"
#include "nnplay/dataset.h"
#include "nnplay/state.h"
#include "share/presets.h"
#include "share/share.h"
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

using namespace nnplay;

namespace cnn {
namespace {

const Activation kActs[] = {Activation::Relu, Activation::LeakyRelu, Activation::Tanh, Activation::Sigmoid, Activation::Linear};

bool act_combo(const char* label, Activation* a) {
  bool changed = false;
  ImGui::SetNextItemWidth(100);
  if (ImGui::BeginCombo(label, name(*a))) {
    for (Activation v : kActs)
      if (ImGui::Selectable(name(v), v == *a)) { *a = v; changed = true; }
    ImGui::EndCombo();
  }
  return changed;
}
bool int_field(App& app, const char* label, int* v, int lo, int hi, const std::string& rect) {
  ImGui::SetNextItemWidth(96);
  int x = *v;
  bool changed = ImGui::InputInt(label, &x, 1, 4) && x != *v;
  app.note_rect(rect.c_str());
  x = std::max(lo, std::min(hi, x));
  if (changed) *v = x;
  return changed;
}

std::string describe(const LayerSpec& l) {
  char b[96];
  switch (l.type) {
    case LayerType::Conv: std::snprintf(b, sizeof b, "conv %d@%dx%d s%d p%d %s", l.filters, l.kernel, l.kernel, l.stride, l.pad, name(l.act)); break;
    case LayerType::MaxPool: std::snprintf(b, sizeof b, "max pool %dx%d s%d", l.pool, l.pool, l.pool_stride); break;
    case LayerType::AvgPool: std::snprintf(b, sizeof b, "avg pool %dx%d s%d", l.pool, l.pool, l.pool_stride); break;
    case LayerType::Flatten: std::snprintf(b, sizeof b, "flatten"); break;
    case LayerType::Dense: std::snprintf(b, sizeof b, "dense %d %s", l.units, name(l.act)); break;
  }
  return b;
}

// Tries the draft: runs it when valid, else keeps it with the reason.
void try_draft(App& app) {
  State& st = state();
  Config c = app.cfg;
  c.layers = st.draft;
  const std::string e = app.apply(c, false);
  st.draft_error = e;
  st.draft_dirty = !e.empty();
  if (e.empty()) st.draft_session = app.session.get();
}

void open_file_picker() {
#ifdef __EMSCRIPTEN__
  EM_ASM({ if (Module.nnplayPickIdx) Module.nnplayPickIdx(); });
#endif
}

}  // namespace

void network_column(App& app, Area a) {
  State& st = state();
  UserImages& u = user_images();
  ui::header(a, "IMAGE DATA");
  const DataSet set = app.cfg.data.set;
  if (ImGui::RadioButton("digits", set == DataSet::Digits && !u.active)) { if (u.active) drop_user_images(app); else ui::set(app, "dataset", "digits"); }
  app.note_rect("dataset:digits");
  ImGui::SameLine();
  if (ImGui::RadioButton("shapes", set == DataSet::Shapes)) ui::set(app, "dataset", "shapes");
  app.note_rect("dataset:shapes");
  ImGui::SameLine();
  ImGui::RadioButton("your files", u.active);
  app.note_rect("dataset:idx");
  if (ImGui::Button("Load MNIST IDX files...")) open_file_picker();
  app.note_rect("button:loadIdx");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("an images file (idx3-ubyte) and a labels file (idx1-ubyte), plain or .gz;\nor drop both onto the page");
  if (u.active) ImGui::TextWrapped("%s, split %d%% / %d%% (not part of share links)", u.name.c_str(), app.cfg.data.train_percent, 100 - app.cfg.data.train_percent);
  if (!st.idx_message.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, st.idx_error ? ImVec4(1.0f, 0.54f, 0.40f, 1) : ImVec4(0.55f, 0.85f, 0.55f, 1));
    ImGui::TextWrapped("%s", st.idx_message.c_str());
    ImGui::PopStyleColor();
    app.note_rect("text:idxMessage");
  }
  ImGui::Spacing();
  ImGui::TextColored(ImColor(ui::kDim).Value, "PRESETS (share links)");
  for (const share::Preset& p : share::presets()) {
    if (&p != &share::presets().front()) ImGui::SameLine();
    const std::string link = share::preset_link(p.id);
    if (ImGui::Button(p.label)) app.report(app.open(share::open_link(link)));
    app.note_rect((std::string("preset:") + p.id).c_str());
    if (ImGui::IsItemHovered()) { ImGui::BeginTooltip(); ImGui::PushTextWrapPos(420); ImGui::TextUnformatted(("#" + link).c_str()); ImGui::PopTextWrapPos(); ImGui::EndTooltip(); }
  }

  // ---- the layers ----
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::TextColored(ImColor(ui::kDim).Value, "NETWORK");
  if (!st.draft_dirty || st.draft_session != app.session.get() || st.draft.empty()) {
    if (st.draft_session != app.session.get() || !st.draft_dirty) { st.draft = app.cfg.layers; st.draft_dirty = false; st.draft_error.clear(); }
    st.draft_session = app.session.get();
  }
  const int* in = app.session->data().input_shape;
  std::vector<Shape> sh = shapes(Config{app.cfg.data, st.draft, app.cfg.train, app.cfg.seed}, in);
  ImGui::Text("input  %dx%dx%d", in[0], in[1], in[2]);
  long total = 0;
  bool changed = false;
  int remove = -1, insert_at = -1;
  LayerSpec insert;
  const int L = (int)st.draft.size();
  for (int i = 0; i < L; ++i) {
    LayerSpec& l = st.draft[i];
    const Shape& s = sh[i];
    total += s.params;
    ImGui::PushID(i);
    const bool out = i == L - 1;
    char head[128];
    std::snprintf(head, sizeof head, "%d %s%s###layer", i + 1, describe(l).c_str(), out ? " (output)" : "");
    const bool open = ImGui::TreeNodeEx(head, ImGuiTreeNodeFlags_SpanAvailWidth);
    app.note_rect(("layer:" + std::to_string(i)).c_str());
    if (!out) {
      ImGui::SameLine(ImGui::GetContentRegionMax().x - 18);
      if (ImGui::SmallButton("x")) remove = i;
      app.note_rect(("remove:" + std::to_string(i)).c_str());
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("remove this layer");
    }
    if (s.ok) {
      if (l.type == LayerType::Dense || l.type == LayerType::Flatten)
        ImGui::TextColored(ImColor(ui::kDim).Value, "   -> %d   %ld params", s.c, s.params);
      else
        ImGui::TextColored(ImColor(ui::kDim).Value, "   -> %dx%dx%d   %ld params", s.c, s.h, s.w, s.params);
    } else {
      ImGui::TextColored(ImVec4(1.0f, 0.54f, 0.40f, 1), "   -> does not fit its input");
    }
    if (open) {
      if (!out) {
        int t = l.type == LayerType::Conv ? 0 : (l.type == LayerType::MaxPool || l.type == LayerType::AvgPool) ? 1 : l.type == LayerType::Flatten ? 2 : 3;
        const char* types[] = {"conv", "pool", "flatten", "dense"};
        ImGui::SetNextItemWidth(100);
        if (ImGui::Combo("type", &t, types, 4)) {
          LayerSpec n;
          n.type = t == 0 ? LayerType::Conv : t == 1 ? LayerType::MaxPool : t == 2 ? LayerType::Flatten : LayerType::Dense;
          n.act = Activation::Relu;
          n.units = 32;
          l = n;
          changed = true;
        }
      }
      const std::string r = "edit:" + std::to_string(i) + ":";
      switch (l.type) {
        case LayerType::Conv:
          changed |= int_field(app, "filters", &l.filters, 1, 64, r + "filters");
          changed |= int_field(app, "kernel", &l.kernel, 1, 11, r + "kernel");
          changed |= int_field(app, "stride", &l.stride, 1, 16, r + "stride");
          changed |= int_field(app, "padding", &l.pad, 0, 10, r + "pad");
          changed |= act_combo("activation", &l.act);
          break;
        case LayerType::MaxPool: case LayerType::AvgPool: {
          int m = l.type == LayerType::MaxPool ? 0 : 1;
          const char* kinds[] = {"max", "average"};
          ImGui::SetNextItemWidth(100);
          if (ImGui::Combo("pooling", &m, kinds, 2)) { l.type = m == 0 ? LayerType::MaxPool : LayerType::AvgPool; changed = true; }
          changed |= int_field(app, "size", &l.pool, 1, 8, r + "pool");
          changed |= int_field(app, "stride", &l.pool_stride, 1, 16, r + "poolStride");
          break;
        }
        case LayerType::Dense:
          if (!out) {
            changed |= int_field(app, "units", &l.units, 1, 512, r + "units");
            changed |= act_combo("activation", &l.act);
          } else {
            ImGui::TextWrapped("%d units (one per class), softmax + cross-entropy", l.units);
          }
          break;
        case LayerType::Flatten: ImGui::TextWrapped("(C,H,W) -> C*H*W values"); break;
      }
      ImGui::TreePop();
    }
    ImGui::PopID();
  }
  ImGui::Text("%ld parameters", total);
  ImGui::TextColored(ImColor(ui::kDim).Value, "add before the output:");
  const char* adds[] = {"+conv", "+pool", "+flatten", "+dense"};
  for (int k = 0; k < 4; ++k) {
    if (k) ImGui::SameLine();
    if (ImGui::SmallButton(adds[k])) {
      insert_at = L - 1;
      insert = LayerSpec{};
      insert.act = Activation::Relu;
      if (k == 0) { insert.type = LayerType::Conv; insert.filters = 8; insert.kernel = 3; insert.pad = 1; }
      if (k == 1) insert.type = LayerType::MaxPool;
      if (k == 2) insert.type = LayerType::Flatten;
      if (k == 3) { insert.type = LayerType::Dense; insert.units = 32; }
    }
    app.note_rect((std::string("add:") + (adds[k] + 1)).c_str());
  }
  if (remove >= 0) { st.draft.erase(st.draft.begin() + remove); changed = true; }
  if (insert_at >= 0) { st.draft.insert(st.draft.begin() + insert_at, insert); changed = true; }
  if (changed) try_draft(app);
  if (st.draft_dirty) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.54f, 0.40f, 1));
    ImGui::TextWrapped("Not applied: %s", st.draft_error.c_str());
    ImGui::PopStyleColor();
    app.note_rect("text:draftError");
    ImGui::TextColored(ImColor(ui::kDim).Value, "Still running: %s", layers_text(app.cfg.layers).c_str());
    if (ImGui::SmallButton("revert the edit")) { st.draft_dirty = false; st.draft = app.cfg.layers; st.draft_error.clear(); }
  }
}

}  // namespace cnn
