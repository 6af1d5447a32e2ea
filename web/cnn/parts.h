// Image mode's own drawing parts, internal to web/cnn (other wings use cnn.h, the door): the
// columns, the tabs' views and the image atlas.
#pragma once
#include "cnn/cnn.h"

namespace cnn {

// ---- drawing parts ----
void network_column(App& app, Area a);                 // layers, shapes, edits, presets (network.cpp)
void input_column(App& app, Area a);                   // input picker, drawing pad, prediction (pad.cpp)
void maps_view(App& app);                              // feature maps / activation gradients, pool routing (views.cpp)
void filters_view(App& app);                           // kernels and their gradients
void test_view(App& app);                              // confusion matrix and misclassified test images
void explainer_view(App& app);                         // the convolution explainer (explain.cpp)

// ---- small grey/diverging images in one GL texture atlas (atlas.cpp) ----
enum class Scale : uint8_t { Grey, Diverging, Gradient };
// Draws an (h, w) image of floats scaled by 1/scale as an ImGui::Image of size `size` (CSS px);
// returns true when clicked, with the clicked pixel in *py, *px when given.
bool image(const float* v, int h, int w, float scale, Scale s, ImVec2 size, int* py = nullptr, int* px = nullptr);
void atlas_begin_frame();
void atlas_end_frame();                                // uploads what changed
float max_abs(const float* v, size_t n);

}  // namespace cnn
