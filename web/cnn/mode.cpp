// Image mode as a mode of the page (cnn.h's ImageMode): switching to and from the image data sets,
// the user's files as the sessions' data, what an opened state resets; the layer shapes the
// editor shows. Not the drawing (layout.cpp and the columns).
#include <algorithm>
#include "cnn/cnn.h"
#include "nnplay/state.h"
#include "share/presets.h"

using namespace nnplay;

namespace cnn {

ImageMode& image_mode() { static ImageMode m; return m; }

bool ImageMode::set_key(App& app, const std::string& key, const std::string& v, std::string* error) {
  DataSet ds;
  if (key != "dataset" || !parse(v, &ds)) return false;
  error->clear();
  if (is_image(ds)) {
    Config c = app.cfg;
    const bool was_image = is_image(c.data.set);
    c.data.set = ds;
    const int k = ds == DataSet::Shapes ? 7 : 10;
    if (!was_image) {                                  // from a 2-D set: a first CNN and the training that suits it
      const Config tiny = share::preset_config("tiny");
      c.layers = tiny.layers;
      c.data.points = std::max(c.data.points, 2000);
      c.train.optimizer = tiny.train.optimizer;
      c.train.learning_rate = tiny.train.learning_rate;
      c.train.batch = tiny.train.batch;
      c.train.init = tiny.train.init;
    }
    c.layers.back().type = LayerType::Dense;
    c.layers.back().units = k;
    c.layers.back().act = Activation::Softmax;
    c.train.loss = LossType::SoftmaxCrossEntropy;
    const bool idx = user_images().active;
    user_images().active = false;
    const std::string e = app.apply(c, false);
    if (!e.empty()) { user_images().active = idx; *error = "dataset=" + v + ": " + e; return true; }
    if (!was_image) app.step_size = StepSize::Batch;
    state() = State{};
    return true;
  }
  if (!is_image(app.cfg.data.set)) return false;       // 2-D to 2-D: the playground's own rules (share/settings.h)
  Config c = default_config();                         // back to a 2-D set: the playground's default network first
  c.seed = app.cfg.seed;
  c.data.noise = 0;
  user_images().active = false;
  const std::string e = app.apply(c, false);
  if (!e.empty()) { *error = "dataset=" + v + ": " + e; return true; }
  app.step_size = StepSize::Epoch;
  return false;                                        // and then the 2-D set itself
}

const Dataset* ImageMode::data(const Config& c) {
  const UserImages& u = user_images();
  if (!u.active || !is_image(c.data.set)) return nullptr;
  Dataset& d = split_;
  d = Dataset{};
  const int px = u.rows * u.cols;
  d.input_size = px;
  d.input_shape[0] = 1; d.input_shape[1] = u.rows; d.input_shape[2] = u.cols;
  d.outputs = 10;
  d.classification = true;
  int ntrain = (int)((long)u.count * c.data.train_percent / 100);
  ntrain = std::max(1, std::min(ntrain, u.count));
  d.train_x.assign(u.pixels.begin(), u.pixels.begin() + (size_t)ntrain * px);
  d.test_x.assign(u.pixels.begin() + (size_t)ntrain * px, u.pixels.end());
  d.train_y.assign(u.labels.begin(), u.labels.begin() + ntrain);
  d.test_y.assign(u.labels.begin() + ntrain, u.labels.end());
  return &d;
}

void ImageMode::opened(App& app, bool fresh_views) {
  (void)app;
  user_images().active = false;                        // a link, a file or a lesson never carries the user's files
  if (fresh_views) state() = State{};
}

std::vector<Shape> shapes(const Config& c, const int in[3]) {
  std::vector<Shape> r;
  int C = in[0], H = in[1], W = in[2];
  bool ok = true;
  for (const LayerSpec& l : c.layers) {
    Shape s;
    const long nin = (long)C * H * W;
    switch (l.type) {
      case LayerType::Dense: s.c = l.units; s.h = s.w = 1; s.params = (long)l.units * nin + l.units; break;
      case LayerType::Conv:
        if (H * W <= 1 || l.kernel > H + 2 * l.pad || l.kernel > W + 2 * l.pad || l.stride < 1) ok = false;
        s.c = l.filters;
        s.h = ok ? (H + 2 * l.pad - l.kernel) / l.stride + 1 : 0;
        s.w = ok ? (W + 2 * l.pad - l.kernel) / l.stride + 1 : 0;
        s.params = (long)l.filters * C * l.kernel * l.kernel + l.filters;
        break;
      case LayerType::MaxPool: case LayerType::AvgPool:
        if (H * W <= 1 || l.pool > H || l.pool > W || l.pool_stride < 1) ok = false;
        s.c = C;
        s.h = ok ? (H - l.pool) / l.pool_stride + 1 : 0;
        s.w = ok ? (W - l.pool) / l.pool_stride + 1 : 0;
        break;
      case LayerType::Flatten: s.c = C * H * W; s.h = s.w = 1; break;
    }
    s.ok = ok;
    r.push_back(s);
    C = s.c; H = s.h; W = s.w;
  }
  return r;
}

int classes_of(const App& app) { return app.cfg.data.set == DataSet::Shapes ? 7 : 10; }

}  // namespace cnn
