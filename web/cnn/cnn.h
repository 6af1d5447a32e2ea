// Image mode (the CNN issue): the page's state for image data sets and conv networks, the hooks
// the shared App code calls (keys, session creation, layout), and the views' entry points.
// Not the playground's 2-D panels (panel_*.cpp) and not the engine.
#pragma once
#include <cstdint>
#include <string>
#include <vector>
#include "app/app.h"
#include "app/panels.h"

namespace cnn {

// ---- hooks called from the shared App code (keys.cpp, app.cpp, ui.cpp) ----
// App::set / App::get: "layers" (state.h's token list) and the image data sets; *handled false
// leaves the key to the playground's own code.
std::string set_key(App& app, const std::string& key, const std::string& value, bool* handled);
std::string get_key(const App& app, const std::string& key, bool* handled);
std::string validate(const nnplay::Config& c);        // App::apply: "" for user IDX data (checked by create), else nnplay::validate
std::unique_ptr<nnplay::Session> create_session(const nnplay::Config& c, std::string* error); // user IDX data when loaded
void draw(App& app, Area a);                           // the whole image-mode layout right of the data panel
// App::step: whether to recompute the metrics now. They pass over every image (seconds for LeNet
// on 5000 digits), so while playing an image set they are refreshed at most every 1.5 s, and
// once more when training pauses (draw()).
bool metrics_due(App& app, bool diverged);

// ---- share links ----
std::string open_link(App& app, const std::string& fragment);  // applies a link's config and replays its steps
std::string open_parsed(App& app, const nnplay::StateParse& p); // a parsed link or JSON file: config, then exact weights or replay
nnplay::Config tiny_preset();                          // a first quick CNN on the shapes
nnplay::Config lenet_preset();                         // LeNet-5 on the generated digits
std::string preset_link(const nnplay::Config& c);      // its share link (fragment without '#')

// ---- layers: the link's token grammar (state.h) ----
std::string format_layers(const std::vector<nnplay::LayerSpec>& layers);
bool parse_layers(const std::string& s, std::vector<nnplay::LayerSpec>* out, std::string* error);
struct Shape { int c = 0, h = 0, w = 0; long params = 0; bool ok = true; };
std::vector<Shape> shapes(const nnplay::Config& c, const int in[3]);  // per layer: output shape and parameters (ok false where it breaks)

// ---- user IDX data (cnn_idx.cpp, through the public nnplay/idx.h) ----
struct UserImages {
  bool active = false;
  int count = 0, rows = 0, cols = 0;
  std::string name;                                    // what the page shows ("3000 images 28x28 from a.idx")
  std::vector<float> pixels, labels;                   // (count, rows, cols) in [0, 1]; labels 0..9
};
UserImages& user_images();
// Parses both files (already decompressed), checks them and makes them the current data set;
// on any error returns the message and leaves the app as it was.
std::string load_idx(App& app, const uint8_t* images, size_t ni, const uint8_t* labels, size_t nl, const std::string& name);
void drop_user_images(App& app);                      // back to the generated digits
std::string class_name(const App& app, int k);         // "7", or the shape's name

// ---- the views' state (what the user picked) ----
enum class Source : uint8_t { Train, Test, Pad };
struct State {
  Source source = Source::Test;
  int index = 0;
  std::vector<float> pad = std::vector<float>(28 * 28, 0.0f);
  int pad_version = 0;
  std::vector<float> probs;                            // the network's output for the current input
  std::vector<float> input;                            // the current input image (network-input form)
  int label = -1;                                      // its label (-1 for the pad)
  int tab = 0;                                         // 0 feature maps, 1 filters, 2 explainer, 3 test set
  int conv_layer = -1, f = 0, p = -1, q = -1;          // explainer: the output pixel (-1: the centre)
  int kc = 0, ky = 0, kx = 0;                          // explainer: the kernel element for dL/dK
  int ic = 0, iy = 0, ix = 0;                          // explainer: the input pixel for dL/dinput
  bool flip = false;                                   // small example: convolution (flipped kernel) vs cross-correlation
  std::vector<nnplay::LayerSpec> draft;                // the layer editor's list (differs from the running net while invalid)
  const void* draft_session = nullptr;
  bool draft_dirty = false;
  std::string draft_error;                             // why the draft is not running (nnplay::validate)
  std::string idx_message;                             // the last IDX load's result
  bool idx_error = false;
  int tab_request = -1;                                // a tab to select next frame (API, tutorials)
  // test-set evaluation (confusion matrix, misclassified)
  int64_t eval_step = -1; const void* eval_session = nullptr;
  int classes = 0;
  std::vector<int> confusion;                          // (classes, classes): row true, column predicted
  std::vector<int> predicted;                          // per test image
  double eval_ms = 0;
};
State& state();
void trace_current(App& app);                          // runs the current input through the session (ex_* views)
void evaluate_test(App& app);                          // fills confusion/predicted for this step (cached)
int classes_of(const App& app);

// ---- drawing parts ----
void network_column(App& app, Area a);                 // layers, shapes, edits, presets (cnn_network.cpp)
void input_column(App& app, Area a);                   // input picker, drawing pad, prediction (cnn_pad.cpp)
void maps_view(App& app);                              // feature maps / activation gradients, pool routing (cnn_views.cpp)
void filters_view(App& app);                           // kernels and their gradients
void test_view(App& app);                              // confusion matrix and misclassified test images
void explainer_view(App& app);                         // the convolution explainer (cnn_explain.cpp)

// ---- small grey/diverging images in one GL texture atlas (cnn_atlas.cpp) ----
enum class Scale : uint8_t { Grey, Diverging, Gradient };
// Draws an (h, w) image of floats scaled by 1/scale as an ImGui::Image of size `size` (CSS px);
// returns true when clicked, with the clicked pixel in *py, *px when given.
bool image(const float* v, int h, int w, float scale, Scale s, ImVec2 size, int* py = nullptr, int* px = nullptr);
void atlas_begin_frame();
void atlas_end_frame();                                // uploads what changed
float max_abs(const float* v, size_t n);

}  // namespace cnn
