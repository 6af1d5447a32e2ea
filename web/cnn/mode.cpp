// Image mode's settings: the `layers` key (state.h's token grammar), switching to and from the
// image data sets, the presets as share links, and opening a link. Hooks of App::set/get/apply.
// Not the layer editor's drawing (cnn_network.cpp).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include "cnn/cnn.h"
#include "nnplay/state.h"

using namespace nnplay;

namespace cnn {
namespace {

bool read_int(const std::string& s, size_t* i, int* out) {
  size_t j = *i;
  long v = 0;
  while (j < s.size() && s[j] >= '0' && s[j] <= '9' && j - *i < 7) v = v * 10 + (s[j++] - '0');
  if (j == *i || (j < s.size() && s[j] >= '0' && s[j] <= '9')) return false;
  *i = j;
  *out = (int)v;
  return true;
}
bool expect(const std::string& s, size_t* i, char c) {
  if (*i < s.size() && s[*i] == c) { ++*i; return true; }
  return false;
}
bool read_act(const std::string& s, size_t* i, LayerSpec* l) {
  if (!expect(s, i, '.')) return false;
  size_t j = *i;
  while (j < s.size() && s[j] != ':') ++j;
  if (!parse(s.substr(*i, j - *i), &l->act)) return false;
  *i = j;
  if (expect(s, i, ':')) {
    char* end = nullptr;
    const std::string rest = s.substr(*i);
    const double v = std::strtod(rest.c_str(), &end);
    if (end == rest.c_str() || *end || !std::isfinite(v)) return false;
    l->leak = (float)v;
    *i = s.size();
  }
  return true;
}
bool starts(const std::string& s, const char* p, size_t* i) {
  const size_t n = std::char_traits<char>::length(p);
  if (s.compare(0, n, p) != 0) return false;
  *i = n;
  return true;
}
std::string num(double v) { char b[32]; std::snprintf(b, sizeof b, "%.9g", v); return b; }

std::vector<LayerSpec> tiny_layers(int classes) {
  std::vector<LayerSpec> l;
  parse_layers("conv4k5s1p0.relu,maxpool2s2,flatten,dense" + std::to_string(classes) + ".softmax", &l, nullptr);
  return l;
}

}  // namespace

std::string format_layers(const std::vector<LayerSpec>& layers) {
  std::string s;
  for (const LayerSpec& l : layers) {
    if (!s.empty()) s += ",";
    char b[96];
    switch (l.type) {
      case LayerType::Dense: std::snprintf(b, sizeof b, "dense%d.%s", l.units, name(l.act)); break;
      case LayerType::Conv: std::snprintf(b, sizeof b, "conv%dk%ds%dp%d.%s", l.filters, l.kernel, l.stride, l.pad, name(l.act)); break;
      case LayerType::MaxPool: std::snprintf(b, sizeof b, "maxpool%ds%d", l.pool, l.pool_stride); break;
      case LayerType::AvgPool: std::snprintf(b, sizeof b, "avgpool%ds%d", l.pool, l.pool_stride); break;
      case LayerType::Flatten: std::snprintf(b, sizeof b, "flatten"); break;
    }
    s += b;
    if ((l.type == LayerType::Dense || l.type == LayerType::Conv) && l.act == Activation::LeakyRelu) s += ":" + num(l.leak);
  }
  return s;
}

bool parse_layers(const std::string& s, std::vector<LayerSpec>* out, std::string* error) {
  std::vector<LayerSpec> v;
  std::stringstream ss(s);
  std::string t;
  while (std::getline(ss, t, ',')) {
    LayerSpec l;
    size_t i = 0;
    bool ok = false;
    if (starts(t, "dense", &i)) { l.type = LayerType::Dense; ok = read_int(t, &i, &l.units) && read_act(t, &i, &l); }
    else if (starts(t, "conv", &i)) {
      l.type = LayerType::Conv;
      ok = read_int(t, &i, &l.filters) && expect(t, &i, 'k') && read_int(t, &i, &l.kernel) && expect(t, &i, 's') &&
           read_int(t, &i, &l.stride) && expect(t, &i, 'p') && read_int(t, &i, &l.pad) && read_act(t, &i, &l);
    } else if (starts(t, "maxpool", &i) || starts(t, "avgpool", &i)) {
      l.type = t[0] == 'm' ? LayerType::MaxPool : LayerType::AvgPool;
      ok = read_int(t, &i, &l.pool) && expect(t, &i, 's') && read_int(t, &i, &l.pool_stride);
    } else if (t == "flatten") { l.type = LayerType::Flatten; ok = true; i = t.size(); }
    if (!ok || i != t.size()) {
      if (error) *error = "layer " + std::to_string(v.size() + 1) + " '" + t +
                          "': expected dense<units>.<act>, conv<filters>k<kernel>s<stride>p<pad>.<act>, maxpool<size>s<stride>, avgpool<size>s<stride> or flatten";
      return false;
    }
    v.push_back(l);
  }
  if (v.empty()) { if (error) *error = "no layers"; return false; }
  *out = v;
  return true;
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

Config tiny_preset() {
  Config c = default_config();
  c.data.set = DataSet::Shapes;
  c.data.points = 2000;
  c.data.train_percent = 80;
  c.layers = tiny_layers(7);
  c.train.loss = LossType::SoftmaxCrossEntropy;
  c.train.optimizer = Optimizer::Adam;
  c.train.learning_rate = 0.005f;
  c.train.batch = 32;
  c.train.init = Init::He;
  return c;
}

Config lenet_preset() {
  Config c = tiny_preset();
  c.data.set = DataSet::Digits;
  c.data.points = 12500;                               // 80%: 10,000 training and 2,500 test images
  parse_layers("conv6k5s1p2.relu,maxpool2s2,conv16k5s1p0.relu,maxpool2s2,flatten,dense120.relu,dense84.relu,dense10.softmax", &c.layers, nullptr);
  c.train.learning_rate = 0.001f;
  return c;
}

std::string preset_link(const Config& c) { return make_config_link(c, {{"stepSize", "batch"}}); }

std::string set_key(App& app, const std::string& key, const std::string& v, bool* handled) {
  *handled = false;
  DataSet ds;
  if (key == "layers") {
    *handled = true;
    Config c = app.cfg;
    std::string e;
    if (!parse_layers(v, &c.layers, &e)) return "layers=" + v + ": " + e;
    e = app.apply(c, false);
    return e.empty() ? "" : "layers=" + v + ": " + e;
  }
  if (key == "dataset" && parse(v, &ds)) {
    if (is_image(ds)) {
      *handled = true;
      Config c = app.cfg;
      const bool was_image = is_image(c.data.set);
      c.data.set = ds;
      const int k = ds == DataSet::Shapes ? 7 : 10;
      if (!was_image) {                                // from a 2-D set: a first CNN and the training that suits it
        c.layers = tiny_layers(k);
        c.data.points = std::max(c.data.points, 2000);
        c.train.optimizer = Optimizer::Adam;
        c.train.learning_rate = 0.005f;
        c.train.batch = 32;
        c.train.init = Init::He;
      }
      c.layers.back().type = LayerType::Dense;
      c.layers.back().units = k;
      c.layers.back().act = Activation::Softmax;
      c.train.loss = LossType::SoftmaxCrossEntropy;
      const bool idx = user_images().active;
      user_images().active = false;
      std::string e = app.apply(c, false);
      if (!e.empty()) { user_images().active = idx; return "dataset=" + v + ": " + e; }
      if (!was_image) app.step_size = StepSize::Batch;
      state() = State{};
      return "";
    }
    if (is_image(app.cfg.data.set)) {                 // back to a 2-D set: the playground's default network first
      Config c = default_config();
      c.seed = app.cfg.seed;
      c.data.noise = 0;
      user_images().active = false;
      std::string e = app.apply(c, false);
      if (!e.empty()) return "dataset=" + v + ": " + e;
      app.step_size = StepSize::Epoch;
    }
  }
  return "";
}

std::string get_key(const App& app, const std::string& key, bool* handled) {
  *handled = key == "layers";
  return *handled ? format_layers(app.cfg.layers) : "";
}

std::string validate(const Config& c) {
  if (user_images().active && is_image(c.data.set)) return "";  // Session::create(config, data) checks the network against the files' shape
  return nnplay::validate(c);
}

std::unique_ptr<Session> create_session(const Config& c, std::string* error) {
  const UserImages& u = user_images();
  if (!u.active || !is_image(c.data.set)) return Session::create(c, error);
  Dataset d;
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
  return Session::create(c, std::move(d), error);
}

std::string open_link(App& app, const std::string& fragment) {
  std::string f = fragment;
  if (!f.empty() && f[0] == '#') f.erase(0, 1);
  StateParse p = parse_link(f, App::link_keys());
  if (!p.ok) return p.error;
  return open_parsed(app, p);
}

std::string open_parsed(App& app, const StateParse& p) {
  const bool idx = user_images().active;
  user_images().active = false;                        // a link never carries the user's files
  std::string e = app.apply(p.config, false);
  if (!e.empty()) { user_images().active = idx; return e; }
  state() = State{};
  if (p.has_weights) {
    if (!app.session->restore(p.params, p.opt_state, p.steps, p.examples, &e)) return "the weights: " + e;
    app.log.invalidate();
    app.metrics = app.session->metrics();
  } else {
    for (const StepLog::Run& r : p.log.runs()) {
      if (r.op == 'r') { app.back((int)r.n); continue; }
      const StepSize sz = r.op == 'x' ? StepSize::Example : r.op == 'b' ? StepSize::Batch : StepSize::Epoch;
      for (int64_t left = r.n; left > 0; left -= 100000) app.step(sz, (int)std::min<int64_t>(left, 100000));
    }
  }
  for (const auto& [k, v] : p.extras) {
    const std::string w = app.set(k, v);
    if (!w.empty()) return w;
  }
  if (!p.hash.empty() && p.hash != app.session->parameters_hash())
    return "the weights differ from the saved ones (hash " + p.hash + ", here " + app.session->parameters_hash() + ")";
  return "";
}

}  // namespace cnn
