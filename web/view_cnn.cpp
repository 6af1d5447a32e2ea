// The cnn.* views (feature maps, filters, confusion matrix) belong to the image-network views of
// web/cnn_*.cpp. Until those exist this shows what the step needs and offers the switch to the
// playground's CNN view; it draws no content of its own.
#include "views.h"

void cnn_view(ViewCtx& c) {
  ImGui::BeginGroup();
  wrapped_text(tr("cnn.note"), c.width, IM_COL32(255, 176, 80, 255));
  if (ImGui::Button(tr("cnn.open"))) {
    c.pl.mode = Mode::Closed;                          // the strip makes room; the playground shows the network's own views
  }
  c.app.note_rect("cnn:open");
  ImGui::EndGroup();
  c.app.note_rect("conv-view");
}
