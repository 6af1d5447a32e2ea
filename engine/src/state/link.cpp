// Share-link codec: Config + step + UI keys <-> `v=1&key=value&...` (format documented in
// nnplay/state.h). Not the replay itself (session_io.cpp) and not the page's URL handling (web/).
#include <cmath>
#include <cstring>
#include <set>

#include "src/internal.h"
#include "nnplay/state.h"
#include "src/state/text.h"

namespace nnplay {
using namespace state;

namespace {

const char* const kFeatureKeys[(int)Feature::Count] = {"x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY"};

const char* const kEngineKeys[] = {
    "v", "dataset", "noise", "percTrainData", "points", "classes", "x", "y", "xSquared", "ySquared",
    "xTimesY", "sinX", "sinY", "userPoints", "problem", "networkShape", "activation",
    "outputActivation", "outputUnits", "leak", "layers", "loss", "optimizer", "learningRate",
    "momentum", "beta1", "beta2", "epsilon", "regularization", "regularizationRate", "batchSize",
    "init", "initRange", "seed", "step", "replay", "hash", "w"};

bool is_engine_key(const std::string& k) {
  for (const char* e : kEngineKeys)
    if (k == e) return true;
  return false;
}

bool has_classes(DataSet s) { return s == DataSet::Blobs || s == DataSet::MultiSpiral; }

const char* problem_of(DataSet s) {
  if (is_image(s)) return "image";
  if (has_classes(s)) return "multiclass";
  if (is_classification(s)) return "classification";
  return "regression";
}


bool same_bits(float a, float b) { return std::memcmp(&a, &b, 4) == 0; }

struct Writer {
  std::string s;
  void kv(const char* k, const std::string& v) {
    if (!s.empty()) s += '&';
    s += k;
    s += '=';
    s += v;
  }
};

std::string join_ints(const std::vector<int>& v) {
  std::string o;
  for (size_t i = 0; i < v.size(); ++i) o += (i ? "," : "") + std::to_string(v[i]);
  return o;
}

bool all_dense(const std::vector<LayerSpec>& ls) {
  if (ls.empty()) return false;
  for (const LayerSpec& l : ls)
    if (l.type != LayerType::Dense) return false;
  return true;
}

std::string act_token(const LayerSpec& l) {
  std::string o = std::string(".") + name(l.act);
  if (l.act == Activation::LeakyRelu || !same_bits(l.leak, LayerSpec{}.leak)) o += ":" + format_float(l.leak);
  return o;
}

std::string layer_token(const LayerSpec& l) {
  switch (l.type) {
    case LayerType::Dense: return "dense" + std::to_string(l.units) + act_token(l);
    case LayerType::Conv:
      return "conv" + std::to_string(l.filters) + "k" + std::to_string(l.kernel) + "s" + std::to_string(l.stride) +
             "p" + std::to_string(l.pad) + act_token(l);
    case LayerType::MaxPool: return "maxpool" + std::to_string(l.pool) + "s" + std::to_string(l.pool_stride);
    case LayerType::AvgPool: return "avgpool" + std::to_string(l.pool) + "s" + std::to_string(l.pool_stride);
    case LayerType::Flatten: return "flatten";
    case LayerType::BatchNorm:                         // the activation only when there is one (or a leak to keep)
      return "batchnorm" + (l.act == Activation::Linear && same_bits(l.leak, LayerSpec{}.leak) ? std::string() : act_token(l));
    case LayerType::Dropout: return "dropout" + format_float(l.rate);
  }
  return "?";
}

// The engine keys of a config, in the documented order, without step/replay/hash/w.
void write_config(const Config& c, Writer* w) {
  const Config d = default_config();
  const DataSpec& ds = c.data;
  w->kv("v", std::to_string(kLinkVersion));
  w->kv("dataset", name(ds.set));
  w->kv("noise", format_float(ds.noise));
  w->kv("percTrainData", std::to_string(ds.train_percent));
  w->kv("points", std::to_string(ds.points));
  if (has_classes(ds.set) || ds.classes != d.data.classes) w->kv("classes", std::to_string(ds.classes));
  if (!is_image(ds.set) || ds.features != d.data.features)
    for (int f = 0; f < (int)Feature::Count; ++f) w->kv(kFeatureKeys[f], (ds.features >> f & 1) ? "1" : "0");
  if (!ds.user_points.empty()) {
    std::string v;
    for (size_t i = 0; i < ds.user_points.size(); ++i) {
      const Point& p = ds.user_points[i];
      if (i) v += ',';
      v += format_float(p.x1) + ":" + format_float(p.x2) + ":" + format_float(p.label);
    }
    w->kv("userPoints", v);
  }
  w->kv("problem", problem_of(ds.set));
  const std::vector<LayerSpec>& ls = c.layers;
  if (all_dense(ls)) {
    std::vector<int> shape;
    std::string acts;
    bool same_act = true;
    for (size_t i = 0; i + 1 < ls.size(); ++i) {
      shape.push_back(ls[i].units);
      if (ls[i].act != ls[0].act) same_act = false;
    }
    for (size_t i = 0; i + 1 < ls.size(); ++i) {
      acts += (i ? "," : "") + std::string(name(ls[i].act));
      if (same_act) break;
    }
    if (ls.size() == 1) acts = name(d.layers.empty() ? Activation::Tanh : d.layers[0].act);
    w->kv("networkShape", join_ints(shape));
    w->kv("activation", acts);
    const LayerSpec& out = ls.back();
    w->kv("outputActivation", name(out.act));
    if (out.units != output_units(c)) w->kv("outputUnits", std::to_string(out.units));
    bool any_leak = false, same_leak = true;
    for (const LayerSpec& l : ls) {
      if (l.act == Activation::LeakyRelu || !same_bits(l.leak, LayerSpec{}.leak)) any_leak = true;
      if (!same_bits(l.leak, ls[0].leak)) same_leak = false;
    }
    if (any_leak) {
      std::string v;
      for (size_t i = 0; i < ls.size(); ++i) {
        v += (i ? "," : "") + format_float(ls[i].leak);
        if (same_leak) break;
      }
      w->kv("leak", v);
    }
  } else {
    w->kv("layers", layers_text(ls));
  }
  const TrainSpec& t = c.train;
  w->kv("loss", name(t.loss));
  w->kv("optimizer", name(t.optimizer));
  w->kv("learningRate", format_float(t.learning_rate));
  bool mom = t.optimizer == Optimizer::Momentum || t.optimizer == Optimizer::Nesterov;
  if (mom || !same_bits(t.momentum, d.train.momentum)) w->kv("momentum", format_float(t.momentum));
  bool adam = t.optimizer == Optimizer::Adam;
  if (adam || !same_bits(t.beta1, d.train.beta1)) w->kv("beta1", format_float(t.beta1));
  if (adam || !same_bits(t.beta2, d.train.beta2)) w->kv("beta2", format_float(t.beta2));
  if (adam || !same_bits(t.epsilon, d.train.epsilon)) w->kv("epsilon", format_float(t.epsilon));
  w->kv("regularization", name(t.reg));
  w->kv("regularizationRate", format_float(t.reg_rate));
  w->kv("batchSize", std::to_string(t.batch));
  w->kv("init", name(t.init));
  if (t.init == Init::Uniform || !same_bits(t.init_range, d.train.init_range)) w->kv("initRange", format_float(t.init_range));
  w->kv("seed", std::to_string(c.seed));
}

bool ui_key_ok(const std::string& k) {
  if (k.empty() || k.size() > 64) return false;
  for (char c : k)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
      return false;
  return true;
}

std::string write_ui(const std::map<std::string, std::string>& ui, Writer* w) {
  for (const auto& [k, v] : ui) {
    if (!ui_key_ok(k)) return "UI key " + quote(k) + " is not a plain name (letters, digits, _ - .)";
    if (is_engine_key(k)) return "UI key " + quote(k) + " collides with an engine key";
    w->kv(k.c_str(), percent_encode(v));
  }
  return "";
}

// ---- the w= blob ----
void put32(std::vector<uint8_t>* b, uint32_t v) { for (int i = 0; i < 4; ++i) b->push_back((uint8_t)(v >> (8 * i))); }
void put64(std::vector<uint8_t>* b, uint64_t v) { for (int i = 0; i < 8; ++i) b->push_back((uint8_t)(v >> (8 * i))); }
uint32_t get32(const uint8_t* p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
uint64_t get64(const uint8_t* p) { return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32; }
void putf(std::vector<uint8_t>* b, float f) { uint32_t u; std::memcpy(&u, &f, 4); put32(b, u); }

constexpr size_t kBlobHeader = 28;

constexpr uint8_t kFlagLayerState = 1;                 // a u32 count after the header, the floats after opt[]

std::string encode_weights(const std::vector<float>& params, const std::vector<float>& opt, int64_t steps,
                           int64_t examples, const std::vector<float>& layer_state) {
  std::vector<uint8_t> b;
  const bool ls = !layer_state.empty();
  b.reserve(kBlobHeader + 4 * (params.size() + opt.size() + layer_state.size()) + 8);
  b.push_back('n'); b.push_back('w'); b.push_back(1); b.push_back(ls ? kFlagLayerState : 0);
  put32(&b, (uint32_t)params.size());
  put32(&b, (uint32_t)opt.size());
  put64(&b, (uint64_t)steps);
  put64(&b, (uint64_t)examples);
  if (ls) put32(&b, (uint32_t)layer_state.size());
  for (float f : params) putf(&b, f);
  for (float f : opt) putf(&b, f);
  for (float f : layer_state) putf(&b, f);
  put32(&b, fnv1a32(b.data(), b.size()));
  return base64url_encode(b.data(), b.size());
}

std::string decode_weights(const std::string& text, StateParse* p) {
  std::vector<uint8_t> b;
  std::string e = base64url_decode(text, &b);
  if (!e.empty()) return e;
  if (b.size() < kBlobHeader + 4)
    return "truncated (" + std::to_string(b.size()) + " bytes, shorter than the " + std::to_string(kBlobHeader + 4) + "-byte header)";
  if (b[0] != 'n' || b[1] != 'w') return "not nnplay weights (bad magic)";
  if (b[2] != 1) return "unknown weights version " + std::to_string(b[2]) + " (this page reads 1)";
  if (b[3] & ~kFlagLayerState) return "unknown weights flags " + std::to_string(b[3]) + " (made by a newer version?)";
  const bool has_ls = b[3] & kFlagLayerState;
  const size_t header = kBlobHeader + (has_ls ? 4 : 0);
  if (b.size() < header + 4)
    return "truncated (" + std::to_string(b.size()) + " bytes, shorter than the " + std::to_string(header + 4) + "-byte header)";
  uint64_t np = get32(&b[4]), no = get32(&b[8]), ns = has_ls ? get32(&b[kBlobHeader]) : 0;
  uint64_t want = header + 4 * (np + no + ns) + 4;
  if (b.size() != want) {
    return std::string(b.size() < want ? "truncated" : "too long") + " (" + std::to_string(b.size()) +
           " bytes, expected " + std::to_string(want) + " for " + std::to_string(np) + " parameters" +
           (has_ls ? ", " : " and ") + std::to_string(no) + " optimizer values" +
           (has_ls ? " and " + std::to_string(ns) + " layer-state values)" : ")");
  }
  if (get32(&b[b.size() - 4]) != fnv1a32(b.data(), b.size() - 4)) return "checksum mismatch: the weights are corrupted";
  int64_t steps = (int64_t)get64(&b[12]), examples = (int64_t)get64(&b[20]);
  if (steps < 0 || examples < 0) return "negative step counters";
  p->params.resize(np);
  p->opt_state.resize(no);
  p->layer_state.resize(ns);
  const uint8_t* q = &b[header];
  for (uint64_t i = 0; i < np; ++i, q += 4) {
    uint32_t u = get32(q);
    std::memcpy(&p->params[i], &u, 4);
    if (!std::isfinite(p->params[i])) return "parameter " + std::to_string(i) + " is NaN/Inf";
  }
  for (uint64_t i = 0; i < no; ++i, q += 4) {
    uint32_t u = get32(q);
    std::memcpy(&p->opt_state[i], &u, 4);
  }
  for (uint64_t i = 0; i < ns; ++i, q += 4) {
    uint32_t u = get32(q);
    std::memcpy(&p->layer_state[i], &u, 4);
    if (!std::isfinite(p->layer_state[i])) return "layer-state value " + std::to_string(i) + " is NaN/Inf";
  }
  p->steps = steps;
  p->examples = examples;
  p->has_weights = true;
  return "";
}

bool parse_u64(const std::string& s, uint64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    uint64_t d = (uint64_t)(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> o;
  size_t i = 0;
  while (true) {
    size_t j = s.find(sep, i);
    o.push_back(s.substr(i, j == std::string::npos ? std::string::npos : j - i));
    if (j == std::string::npos) break;
    i = j + 1;
  }
  return o;
}

bool ui_whitelisted(const std::string& k, const std::vector<std::string>& wl) {
  for (const std::string& p : wl) {
    if (p.empty()) continue;
    if (p[0] == '*') {
      std::string suf = p.substr(1);
      if (k.size() > suf.size() && k.compare(k.size() - suf.size(), suf.size(), suf) == 0) return true;
    } else if (p.back() == '*') {
      std::string pre = p.substr(0, p.size() - 1);
      if (k.size() > pre.size() && k.compare(0, pre.size(), pre) == 0) return true;
    } else if (k == p) {
      return true;
    }
  }
  return false;
}

// Reads the token grammar of layers= (see state.h). Cursor over one token.
struct Tok {
  const std::string& s;
  size_t i = 0;
  bool lit(const char* w) {
    size_t n = std::strlen(w);
    if (s.compare(i, n, w) == 0) { i += n; return true; }
    return false;
  }
  bool num(int64_t lo, int64_t hi, int* out) {
    size_t j = i;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
    if (j == i) return false;
    int64_t v;
    if (!parse_int(s.substr(i, j - i), lo, hi, &v).empty()) return false;
    *out = (int)v;
    i = j;
    return true;
  }
  bool end() const { return i == s.size(); }
};

// ".<act>[:<leak>]" at the end of a dense/conv token; "" or the problem.
std::string parse_act(Tok* t, LayerSpec* l) {
  if (!t->lit(".")) return "missing .<activation>";
  std::string rest = t->s.substr(t->i);
  size_t colon = rest.find(':');
  std::string an = rest.substr(0, colon);
  if (!parse(an, &l->act)) return "unknown activation " + quote(an);
  if (colon != std::string::npos) {
    std::string e = parse_float(rest.substr(colon + 1), &l->leak);
    if (!e.empty()) return "leak " + quote(rest.substr(colon + 1)) + ": " + e;
  }
  t->i = t->s.size();
  return "";
}

std::string parse_layer_token(const std::string& s, LayerSpec* l) {
  Tok t{s};
  *l = LayerSpec{};
  if (t.lit("dense")) {
    l->type = LayerType::Dense;
    if (!t.num(1, kMaxUnits, &l->units)) return "expected dense<units 1.." + std::to_string(kMaxUnits) + ">.<activation>";
    return parse_act(&t, l);
  }
  if (t.lit("conv")) {
    l->type = LayerType::Conv;
    if (!t.num(1, 1024, &l->filters) || !t.lit("k") || !t.num(1, 64, &l->kernel) || !t.lit("s") ||
        !t.num(1, 64, &l->stride) || !t.lit("p") || !t.num(0, 64, &l->pad))
      return "expected conv<filters 1..1024>k<kernel 1..64>s<stride 1..64>p<pad 0..64>.<activation>";
    return parse_act(&t, l);
  }
  bool mx = t.lit("maxpool");
  if (mx || t.lit("avgpool")) {
    l->type = mx ? LayerType::MaxPool : LayerType::AvgPool;
    if (!t.num(1, 64, &l->pool) || !t.lit("s") || !t.num(1, 64, &l->pool_stride) || !t.end())
      return std::string("expected ") + (mx ? "max" : "avg") + "pool<size 1..64>s<stride 1..64>";
    return "";
  }
  if (t.lit("flatten") && t.end()) {
    l->type = LayerType::Flatten;
    return "";
  }
  if (t.lit("batchnorm")) {
    l->type = LayerType::BatchNorm;
    l->act = Activation::Linear;
    return t.end() ? "" : parse_act(&t, l);
  }
  if (t.lit("dropout")) {
    l->type = LayerType::Dropout;
    const std::string rest = s.substr(t.i);
    if (!parse_float(rest, &l->rate).empty() || !(l->rate >= 0.0f && l->rate <= kMaxDropout))
      return "expected dropout<rate 0..0.9>, e.g. dropout0.25";
    return "";
  }
  return "unknown layer (expected dense.., conv.., maxpool.., avgpool.., flatten, batchnorm[.<activation>] or dropout<rate>)";
}

}  // namespace

namespace state {
void write_config_keys(const Config& c, std::string* out) {
  Writer w{std::move(*out)};
  write_config(c, &w);
  *out = std::move(w.s);
}
std::string write_ui_keys(const std::map<std::string, std::string>& ui, std::string* out) {
  Writer w{std::move(*out)};
  std::string e = write_ui(ui, &w);
  *out = std::move(w.s);
  return e;
}
std::string encode_weights_blob(const std::vector<float>& params, const std::vector<float>& opt, int64_t steps,
                                int64_t examples, const std::vector<float>& layer_state) {
  return encode_weights(params, opt, steps, examples, layer_state);
}
size_t weights_chars(size_t params, size_t opt, size_t layer_state) {
  return ((kBlobHeader + (layer_state ? 4 : 0) + 4 * (params + opt + layer_state) + 4) * 4 + 2) / 3;
}
}  // namespace state

std::string make_config_link(const Config& c, const std::map<std::string, std::string>& ui) {
  Writer w;
  write_config(c, &w);
  w.kv("step", "0");
  write_ui(ui, &w);
  return w.s;
}

namespace {

const char* const kDenseKeys[] = {"networkShape", "activation", "outputActivation", "outputUnits", "leak"};

bool is_dense_key(const std::string& k) {
  for (const char* d : kDenseKeys)
    if (k == d) return true;
  return false;
}

// The decoded fields of one link, by key, with the readers every paragraph of parse_link uses.
// Every reader returns "" or the message naming the key and its (shortened) value.
struct Fields {
  std::map<std::string, std::string> kv;
  std::vector<std::string> order;                      // keys in link order, for messages
  bool has(const char* k) const { return kv.count(k) != 0; }
  const std::string& at(const char* k) const { return kv.at(k); }
  std::string bad(const std::string& k, const std::string& what) const {
    std::string v = kv.at(k);
    if (v.size() > 40) v = v.substr(0, 40) + "...";
    return k + "=" + v + ": " + what;
  }
  std::string get_int(const char* k, int64_t lo, int64_t hi, int* out) const {
    if (!has(k)) return "";
    int64_t v;
    if (!parse_int(at(k), lo, hi, &v).empty()) return bad(k, "expected an integer " + std::to_string(lo) + ".." + std::to_string(hi));
    *out = (int)v;
    return "";
  }
  std::string get_int(const char* k, Bounds b, int* out) const { return get_int(k, (int64_t)b.lo, (int64_t)b.hi, out); }
  // Syntax and NaN/Inf always; the config.h bounds where given (kAnyFloat: validate() checks them).
  std::string get_float(const char* k, Bounds b, float* out) const {
    if (!has(k)) return "";
    float v;
    std::string e = parse_float(at(k), &v);
    if (!e.empty()) return bad(k, e);
    if (!in_bounds(v, b)) return bad(k, "expected a number in " + format_bounds(b));
    *out = v;
    return "";
  }
  template <class E>
  std::string get_enum(const char* k, const char* what, E* out) const {
    return has(k) && !parse(at(k), out) ? bad(k, std::string("unknown ") + what) : "";
  }
};

// Paragraph 1: the fields by key; a duplicate key is an error.
std::string read_fields(const LinkFields& in, Fields* f) {
  for (const auto& [k, v] : in) {
    auto it = f->kv.find(k);
    if (it != f->kv.end())
      return "duplicate key " + quote(k) + " (" + k + "=" + it->second.substr(0, 40) + " and " + k + "=" + v.substr(0, 40) + ")";
    f->kv[k] = v;
    f->order.push_back(k);
  }
  return "";
}

// Paragraph 2: the version, and the keys that are not the engine's (whitelisted UI keys or warnings).
std::string read_version_and_extras(const Fields& f, const std::vector<std::string>& ui_whitelist, LinkParse* p) {
  if (!f.has("v")) return "missing v=1 (the link format version)";
  if (f.at("v") != std::to_string(kLinkVersion))
    return f.bad("v", "unknown link version (this page reads v=" + std::to_string(kLinkVersion) + ")");
  for (const std::string& k : f.order) {
    if (is_engine_key(k)) continue;
    if (ui_whitelisted(k, ui_whitelist) && ui_key_ok(k)) p->extras[k] = f.kv.at(k);
    else p->warnings.push_back("unknown key " + quote(k) + " ignored");
  }
  return "";
}

// Paragraph 3: the data set, its size and split, the input features, the clicked points.
std::string read_data(const Fields& f, DataSpec* d) {
  std::string e;
  if (!(e = f.get_enum("dataset", "data set", &d->set)).empty()) return e;
  if (!(e = f.get_float("noise", kNoiseBounds, &d->noise)).empty()) return e;
  if (!(e = f.get_int("percTrainData", kTrainPercentBounds, &d->train_percent)).empty()) return e;
  if (!(e = f.get_int("points", 10, max_points(d->set), &d->points)).empty()) return e;
  if (!(e = f.get_int("classes", kClassesBounds, &d->classes)).empty()) return e;
  for (int i = 0; i < (int)Feature::Count; ++i) {
    const char* k = kFeatureKeys[i];
    if (!f.has(k)) continue;
    if (f.at(k) == "1") d->features |= 1u << i;
    else if (f.at(k) == "0") d->features &= ~(1u << i);
    else return f.bad(k, "expected 0 or 1");
  }
  if (f.has("userPoints") && !f.at("userPoints").empty()) {
    std::vector<std::string> pts = split(f.at("userPoints"), ',');
    if ((int)pts.size() > kMaxPoints)
      return f.bad("userPoints", std::to_string(pts.size()) + " points, the limit is " + std::to_string(kMaxPoints));
    for (size_t i = 0; i < pts.size(); ++i) {
      const std::string at = "point " + std::to_string(i + 1) + " " + quote(pts[i]) + ": ";
      std::vector<std::string> xyl = split(pts[i], ':');
      if (xyl.size() != 3) return f.bad("userPoints", at + "expected x1:x2:label");
      Point q;
      float* dst[3] = {&q.x1, &q.x2, &q.label};
      for (int j = 0; j < 3; ++j)
        if (!(e = parse_float(xyl[j], dst[j])).empty()) return f.bad("userPoints", at + e);
      d->user_points.push_back(q);
    }
  }
  if (f.has("problem") && f.at("problem") != problem_of(d->set)) {
    const std::string& pv = f.at("problem");
    if (pv != "classification" && pv != "multiclass" && pv != "regression" && pv != "image")
      return f.bad("problem", "unknown problem type (classification, multiclass, regression or image)");
    return f.bad("problem", std::string("does not match dataset=") + name(d->set) + " (" + problem_of(d->set) + ")");
  }
  return "";
}

// Paragraph 4a: layers=, the whole list in the token grammar.
std::string read_layer_list(const Fields& f, std::vector<LayerSpec>* layers) {
  for (const char* k : kDenseKeys)
    if (f.has(k)) return f.bad(k, "cannot be combined with layers= (use one form)");
  layers->clear();
  const std::string& lv = f.at("layers");
  if (lv.empty()) return "";
  std::vector<std::string> toks = split(lv, ',');
  if ((int)toks.size() > kMaxLayers)
    return f.bad("layers", std::to_string(toks.size()) + " layers, the limit is " + std::to_string(kMaxLayers));
  for (size_t i = 0; i < toks.size(); ++i) {
    LayerSpec l;
    const std::string e = parse_layer_token(toks[i], &l);
    if (!e.empty()) return f.bad("layers", "layer " + std::to_string(i + 1) + " " + quote(toks[i]) + ": " + e);
    layers->push_back(l);
  }
  return "";
}

// Paragraph 4b: the dense form (networkShape, activation, outputActivation, outputUnits, leak).
std::string read_dense_form(const Fields& f, const Config& d, Config* c) {
  std::vector<LayerSpec> hidden(d.layers.begin(), d.layers.end() - (d.layers.empty() ? 0 : 1));
  LayerSpec out = d.layers.empty() ? LayerSpec{} : d.layers.back();
  if (f.has("networkShape")) {
    hidden.clear();
    const std::string& sv = f.at("networkShape");
    std::vector<std::string> us = sv.empty() ? std::vector<std::string>{} : split(sv, ',');
    if ((int)us.size() > kMaxLayers - 1)
      return f.bad("networkShape", std::to_string(us.size()) + " hidden layers, the limit is " + std::to_string(kMaxLayers - 1));
    for (const std::string& u : us) {
      int64_t v;
      if (!parse_int(u, 1, kMaxUnits, &v).empty())
        return f.bad("networkShape", quote(u) + ": expected units 1.." + std::to_string(kMaxUnits));
      LayerSpec l = d.layers.empty() ? LayerSpec{} : d.layers[0];
      l.type = LayerType::Dense;
      l.units = (int)v;
      hidden.push_back(l);
    }
  }
  if (f.has("activation")) {
    std::vector<std::string> as = split(f.at("activation"), ',');
    if (as.size() != 1 && as.size() != hidden.size())
      return f.bad("activation", std::to_string(as.size()) + " activations for " + std::to_string(hidden.size()) +
                                     " hidden layers (give one for all, or one per layer)");
    Activation a;
    for (size_t i = 0; i < as.size(); ++i)
      if (!parse(as[i], &a)) return f.bad("activation", "unknown activation " + quote(as[i]));
    for (size_t i = 0; i < hidden.size(); ++i) parse(as[as.size() == 1 ? 0 : i], &hidden[i].act);
  }
  std::string e = f.get_enum("outputActivation", "activation", &out.act);
  if (!e.empty()) return e;
  c->layers = hidden;
  c->layers.push_back(out);
  c->layers.back().units = output_units(*c);           // what the data set needs, unless given
  if (!(e = f.get_int("outputUnits", 1, kMaxUnits, &c->layers.back().units)).empty()) return e;
  if (f.has("leak")) {
    std::vector<std::string> lk = split(f.at("leak"), ',');
    if (lk.size() != 1 && lk.size() != c->layers.size())
      return f.bad("leak", std::to_string(lk.size()) + " values for " + std::to_string(c->layers.size()) +
                               " layers (give one for all, or one per layer)");
    for (size_t i = 0; i < c->layers.size(); ++i)
      if (!(e = parse_float(lk[lk.size() == 1 ? 0 : i], &c->layers[i].leak)).empty()) return f.bad("leak", e);
  }
  return "";
}

// Paragraph 4: the network, in either form; without one the default's, with the output the data needs.
std::string read_network(const Fields& f, const Config& d, Config* c) {
  if (f.has("layers")) return read_layer_list(f, &c->layers);
  for (const char* k : kDenseKeys)
    if (f.has(k)) return read_dense_form(f, d, c);
  if (!c->layers.empty()) c->layers.back().units = output_units(*c);
  return "";
}

// Paragraph 5: loss, optimizer and their settings, regularization, batch, init, seed. The float
// fields' ranges are validate()'s (config.h's Bounds, checked after the network): here syntax only.
std::string read_training(const Fields& f, Config* c) {
  TrainSpec& t = c->train;
  std::string e;
  if (!(e = f.get_enum("loss", "loss", &t.loss)).empty() || !(e = f.get_enum("optimizer", "optimizer", &t.optimizer)).empty() ||
      !(e = f.get_float("learningRate", kAnyFloat, &t.learning_rate)).empty() ||
      !(e = f.get_float("momentum", kAnyFloat, &t.momentum)).empty() ||
      !(e = f.get_float("beta1", kAnyFloat, &t.beta1)).empty() || !(e = f.get_float("beta2", kAnyFloat, &t.beta2)).empty() ||
      !(e = f.get_float("epsilon", kAnyFloat, &t.epsilon)).empty() ||
      !(e = f.get_enum("regularization", "regularization", &t.reg)).empty() ||
      !(e = f.get_float("regularizationRate", kAnyFloat, &t.reg_rate)).empty() ||
      !(e = f.get_int("batchSize", 1, kMaxBatch, &t.batch)).empty() || !(e = f.get_enum("init", "initialization", &t.init)).empty() ||
      !(e = f.get_float("initRange", kAnyFloat, &t.init_range)).empty())
    return e;
  if (f.has("seed") && !parse_u64(f.at("seed"), &c->seed)) return f.bad("seed", "expected an integer 0..18446744073709551615");
  return "";
}

// Paragraph 6: the step reached, its replay plan, the hash to check, the exact weights.
std::string read_progress(const Fields& f, LinkParse* p) {
  std::string e;
  int64_t steps = 0;
  if (f.has("step") && !parse_int(f.at("step"), 0, INT64_C(1) << 53, &steps).empty()) return f.bad("step", "expected an integer 0..2^53");
  if (f.has("hash")) {
    const std::string& h = f.at("hash");
    bool hex = h.size() == 16;
    for (char ch : h) hex = hex && ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'));
    if (!hex) return f.bad("hash", "expected 16 lowercase hex digits");
    p->hash = h;
  }
  if (f.has("replay")) {
    if (!StepLog::parse(f.at("replay"), &p->log, &e)) return f.bad("replay", e);
    int64_t work = 0;
    for (const StepLog::Run& r : p->log.runs()) work += r.op == 'r' ? 0 : r.updates;
    if (work > kMaxReplayUpdates && !f.has("w"))
      return f.bad("replay", "replays " + std::to_string(work) + " updates, the limit is " + std::to_string(kMaxReplayUpdates));
    if (f.has("step") && p->log.updates() != steps)
      return f.bad("replay", "leads to " + std::to_string(p->log.updates()) + " updates but step=" + std::to_string(steps));
    steps = p->log.updates();
  } else if (steps > 0) {
    StepLog::parse("b" + std::to_string(steps), &p->log, &e);
  }
  if (f.has("w")) {
    const std::string& v = f.at("w");
    e = decode_weights(v, p);
    if (!e.empty())
      return "w=" + (v.size() > 16 ? v.substr(0, 16) + "..." : v) + " (" + std::to_string(v.size()) + " characters): " + e;
    if (f.has("step") && p->steps != steps)
      return f.bad("step", "does not match the step " + std::to_string(p->steps) + " stored with the weights (w=)");
    steps = p->steps;
  } else if (steps > kMaxReplayUpdates) {
    return f.bad("step", "more than " + std::to_string(kMaxReplayUpdates) + " updates to replay; such a link must carry w=");
  }
  p->steps = steps;
  return "";
}

}  // namespace

std::string split_link(const std::string& input, LinkFields* out) {
  out->clear();
  auto too_long = [](size_t n) {
    return "link too long (" + std::to_string(n) + " characters, the limit is " + std::to_string(kMaxLinkChars) + ")";
  };
  if (input.size() > kMaxLinkChars + 2048) return too_long(input.size());
  std::string frag = input;
  size_t hashpos = frag.find('#');
  if (hashpos != std::string::npos) frag = frag.substr(hashpos + 1);
  if (!frag.empty() && frag[0] == '?') frag = frag.substr(1);
  if (frag.size() > kMaxLinkChars) return too_long(frag.size());
  if (frag.empty()) return "empty link: expected v=1&key=value&...";
  for (const std::string& seg : split(frag, '&')) {
    if (seg.empty()) continue;
    size_t eq = seg.find('=');
    if (eq == std::string::npos) return quote(seg) + ": expected key=value";
    std::string k, v;
    if (!percent_decode(seg.substr(0, eq), &k) || !percent_decode(seg.substr(eq + 1), &v)) return quote(seg) + ": bad %-escape";
    if (k.empty()) return quote(seg) + ": empty key";
    out->emplace_back(std::move(k), std::move(v));
  }
  return "";
}

LinkParse parse_link_fields(const LinkFields& fields, const std::vector<std::string>& ui_whitelist) {
  LinkParse p;
  Fields f;
  Config c = default_config();
  std::string e;
  if ((e = read_fields(fields, &f)).empty() && (e = read_version_and_extras(f, ui_whitelist, &p)).empty() &&
      (e = read_data(f, &c.data)).empty() && (e = read_network(f, default_config(), &c)).empty() &&
      (e = read_training(f, &c)).empty()) {
    const std::string v = validate(c);
    if (!v.empty()) e = "invalid experiment: " + v;
  }
  if (e.empty()) {
    p.config = c;
    e = read_progress(f, &p);
  }
  p.ok = e.empty();
  p.error = e;
  return p;
}

LinkParse parse_link(const std::string& input, const std::vector<std::string>& ui_whitelist) {
  LinkFields fields;
  std::string e = split_link(input, &fields);
  if (!e.empty()) {
    LinkParse p;
    p.error = e;
    return p;
  }
  return parse_link_fields(fields, ui_whitelist);
}

LinkParse set_link_keys(const Config& c, const LinkFields& changes) {
  bool layers = false, dense = false;
  for (const auto& [k, v] : changes) {
    if (!is_engine_key(k) || k == "v" || k == "step" || k == "replay" || k == "hash" || k == "w") {
      LinkParse p;
      p.error = quote(k) + " is not a setting";
      return p;
    }
    layers = layers || k == "layers";
    dense = dense || is_dense_key(k);
  }
  // The config's own fields with the changed keys replaced; a layers=/networkShape= switch drops the other form.
  Writer base;
  write_config(c, &base);
  LinkFields fields;
  split_link(base.s, &fields);
  LinkFields out;
  for (auto& kv : fields) {
    const std::string& k = kv.first;
    bool changed = false;
    for (const auto& ch : changes) changed = changed || ch.first == k;
    if (changed || (layers && is_dense_key(k)) || (dense && k == "layers")) continue;
    if (k == "problem") continue;                      // derived; would contradict a dataset change
    out.push_back(std::move(kv));
  }
  out.insert(out.end(), changes.begin(), changes.end());
  return parse_link_fields(out);
}

LinkParse set_link_key(const Config& c, const std::string& key, const std::string& value) {
  return set_link_keys(c, {{key, value}});
}

std::string layers_text(const std::vector<LayerSpec>& layers) {
  std::string v;
  for (size_t i = 0; i < layers.size(); ++i) {
    if (i) v += ',';
    v += layer_token(layers[i]);
  }
  return v;
}

}  // namespace nnplay
