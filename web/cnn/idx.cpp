// The user's MNIST IDX files as the current image data set, parsed by the engine's public IDX
// parser (nnplay/idx.h). Not the file reading and gzip (web/api/cnn_api.js does those in the browser).
#include <cstdio>
#include "nnplay/dataset.h"
#include "nnplay/idx.h"
#include "cnn/cnn.h"
#include "share/presets.h"

using namespace nnplay;

namespace cnn {

UserImages& user_images() { static UserImages u; return u; }

std::string load_idx(App& app, const uint8_t* images, size_t ni, const uint8_t* labels, size_t nl, const std::string& name) {
  IdxImages im;
  IdxLabels lb;
  std::string e = parse_idx_images(images, ni, &im);
  if (!e.empty()) return "images file: " + e;
  e = parse_idx_labels(labels, nl, &lb);
  if (!e.empty()) return "labels file: " + e;
  e = check_idx_pair(im, lb);
  if (!e.empty()) return e;
  if (im.count < 2) return "the files hold " + std::to_string(im.count) + " image(s); at least 2 are needed for a training and a test part";
  UserImages before = std::move(user_images());
  UserImages& u = user_images();
  u = UserImages{};
  u.active = true;
  u.count = im.count; u.rows = im.rows; u.cols = im.cols;
  u.pixels = std::move(im.pixels);
  u.labels = std::move(lb.labels);
  char b[160];
  std::snprintf(b, sizeof b, "%d images %dx%d%s%s", u.count, u.rows, u.cols, name.empty() ? "" : " from ", name.c_str());
  u.name = b;
  Config c = app.cfg;
  const bool was_image = is_image(c.data.set);
  if (!was_image || c.data.set != DataSet::Digits) {
    c = was_image ? c : share::preset_config("lenet");
    c.data.set = DataSet::Digits;                     // labels 0..9: the digits' ten classes
    c.layers.back().units = 10;
  }
  e = app.apply(c, false);
  if (!e.empty()) {                                    // e.g. the network does not fit the files' image size: keep what was
    user_images() = std::move(before);
    return "the network does not fit these images (" + std::string(b) + "): " + e;
  }
  state() = State{};
  return "";
}

std::string class_name(const App& app, int k) {
  if (user_images().active) return std::to_string(k);
  return image_class_name(app.cfg.data.set, k);
}

void drop_user_images(App& app) {
  if (!user_images().active) return;
  user_images() = UserImages{};
  app.reset(false);                                    // the same config on the generated digits
}

}  // namespace cnn
