// Image mode: the mode App calls for the image data sets (conv networks), its view state, the
// user's IDX files, and the views' entry points. Other wings use the first part (the door); the
// drawing parts below it are this folder's own. Not the 2-D playground (web/playground), not the engine.
#pragma once
#include <cstdint>
#include <string>
#include <vector>
#include "app/app.h"
#include "app/mode.h"
#include "app/ui.h"
#include "nnplay/dataset.h"

namespace cnn {

// ---- the mode (what App calls) ----
class ImageMode : public Mode {
 public:
  bool owns(const nnplay::Config& c) const override { return nnplay::is_image(c.data.set); }
  void draw(App& app, Area a) override;                // network column, views in tabs, input column (layout.cpp)
  // dataset=<image set> from any mode (a first CNN and the training that suits it), and from an
  // image set back to a 2-D one (the playground's default network first).
  bool set_key(App& app, const std::string& key, const std::string& value, std::string* error) override;
  const nnplay::Dataset* data(const nnplay::Config& c) override;  // the user's IDX files, split by c's percTrainData
  void opened(App& app, bool fresh_views) override;    // back to the generated images; fresh views
  // Metrics pass over every image (seconds for LeNet on 5000 digits): while playing they are
  // refreshed at most every 1.5 s, and once more when training pauses (draw()).
  bool metrics_due(App& app, bool diverged) override;
 private:
  nnplay::Dataset split_;                              // data()'s last answer
};
ImageMode& image_mode();                               // the page's one image mode

struct Shape { int c = 0, h = 0, w = 0; long params = 0; bool ok = true; };
std::vector<Shape> shapes(const nnplay::Config& c, const int in[3]);  // per layer: output shape and parameters (ok false where it breaks)

// ---- user IDX data (idx.cpp, through the public nnplay/idx.h) ----
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
  std::string draft_error;                             // why the draft is not running (the engine's message)
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
int classes_of(const App& app);                        // 7 shapes or 10 digits

}  // namespace cnn
