// The cnn.* views (feature maps, filters, confusion matrix) are the image mode's own views
// (web/cnn, drawn in the playground area): this opens the matching tab there, says where to
// look, and reports the learner's picks (a test image, a stroke on the pad) to the player.
// It draws no image content of its own.
#include <cstdio>
#include "cnn/cnn.h"
#include "tutorial/views.h"

void cnn_view(ViewCtx& c) {
  cnn::State& st = cnn::state();
  const int tab = c.id == "cnn.filters" ? 1 : c.id == "cnn.confusion" ? 3 : 0;
  static int seen_key = -1;
  const int key = c.pl.step + 1000 * (c.pl.tutorial ? c.pl.tutorial->order : 0);
  if (seen_key != key) {                               // on entering the step: open the tab (and the layer asked for)
    seen_key = key;
    st.tab_request = tab;
    if (c.args.is_object() && c.args.contains("layer") && c.args["layer"].is_number_integer()) st.conv_layer = c.args["layer"].get<int>();
  }
  ImGui::BeginGroup();
  const char* what = tab == 1 ? tr("cnn.filters") : tab == 3 ? tr("cnn.confusion") : tr("cnn.maps");
  wrapped_text(what, c.width, IM_COL32(255, 214, 120, 255));
  if (!nnplay::is_image(c.app.cfg.data.set)) wrapped_text(tr("cnn.noimage"), c.width, IM_COL32(255, 176, 80, 255));
  if (ImGui::Button(tr("cnn.open"))) st.tab_request = tab;
  c.app.note_rect("cnn:open");
  if (!st.probs.empty()) {
    int best = 0;
    for (int k = 1; k < (int)st.probs.size(); ++k) if (st.probs[k] > st.probs[best]) best = k;
    ImGui::Text("%s: %s (%.1f%%)", tr("cnn.prediction"), cnn::class_name(c.app, best).c_str(), 100.0 * st.probs[best]);
  }
  ImGui::EndGroup();
  c.app.note_rect("conv-view");
}

// The image mode's picks, observed each frame (select image, draw); called by the player.
void cnn_observe(Player& pl) {
  static int seen_index = -1, seen_source = -1, seen_pad = -1;
  const cnn::State& st = cnn::state();
  if (seen_source >= 0 && (st.index != seen_index || (int)st.source != seen_source) && st.source != cnn::Source::Pad) pl.action("select", "image");
  if (seen_pad >= 0 && st.pad_version != seen_pad) pl.action("draw");
  seen_index = st.index; seen_source = (int)st.source; seen_pad = st.pad_version;
}

// {prediction}: the class the network predicts for the current input (pad or selected image).
bool cnn_prediction(double* out) {
  const cnn::State& st = cnn::state();
  if (st.probs.empty()) return false;
  int best = 0;
  for (int k = 1; k < (int)st.probs.size(); ++k) if (st.probs[k] > st.probs[best]) best = k;
  *out = best;
  return true;
}
