// JSON save/load of a whole experiment (format in nnplay/state.h), with nlohmann-json. Every
// nlohmann exception is caught here; errors name the JSON path. Not the file picker (web/).
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "nnplay/state.h"
#include "src/state/codec.h"
#include "src/state/text.h"

namespace nnplay {
using json = nlohmann::json;
using namespace state;

namespace {

// A float as a JSON number that reads back, through double, to the same bits (see format_float).
json jfloat(float f) {
  if (!std::isfinite(f)) return hex_bits(f);
  return std::strtod(format_float(f).c_str(), nullptr);
}

json layer_json(const LayerSpec& l) {
  json o = json::object();
  o["type"] = name(l.type);
  switch (l.type) {
    case LayerType::Dense: o["units"] = l.units; break;
    case LayerType::Conv:
      o["filters"] = l.filters; o["kernel"] = l.kernel; o["stride"] = l.stride; o["pad"] = l.pad;
      break;
    case LayerType::MaxPool: case LayerType::AvgPool:
      o["pool"] = l.pool; o["pool_stride"] = l.pool_stride;
      break;
    case LayerType::Flatten: case LayerType::BatchNorm: break;
    case LayerType::Dropout: o["rate"] = jfloat(l.rate); break;
  }
  if (l.type == LayerType::Dense || l.type == LayerType::Conv || l.type == LayerType::BatchNorm) {
    o["act"] = name(l.act);
    o["leak"] = jfloat(l.leak);
  }
  return o;
}

// ---- reading ----
std::string show(const json& v) {
  switch (v.type()) {
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::null: return "null";
    case json::value_t::string: return quote(v.get_ref<const std::string&>());
    default: {
      std::string s = v.dump();
      return s.size() > 40 ? s.substr(0, 40) + "..." : s;
    }
  }
}

// The DOM builder of nlohmann-json, keeping the parse error's message instead of throwing it.
struct JsonSax : nlohmann::detail::json_sax_dom_parser<json> {
  std::string message;
  explicit JsonSax(json& root) : nlohmann::detail::json_sax_dom_parser<json>(root, false) {}
  template <class Exception>
  bool parse_error(std::size_t, const std::string&, const Exception& ex) {
    message = ex.what();
    if (message.empty()) message = "syntax error";
    return false;
  }
};

struct Reader {
  std::string err;
  std::vector<std::string> warnings;
  bool fail(const std::string& path, const std::string& msg) {
    if (err.empty()) err = path + ": " + msg;
    return false;
  }
  // Warns about keys of `o` not in `known`.
  void known(const json& o, const std::string& path, std::initializer_list<const char*> keys) {
    for (auto it = o.begin(); it != o.end(); ++it) {
      bool k = false;
      for (const char* n : keys) k = k || it.key() == n;
      if (!k) warnings.push_back((path.empty() ? "" : path + ".") + it.key() + ": unknown key ignored");
    }
  }
  bool integer(const json& v, const std::string& path, int64_t lo, int64_t hi, int64_t* out) {
    std::string want = "expected an integer " + std::to_string(lo) + ".." + std::to_string(hi);
    if (v.is_number_unsigned()) {
      uint64_t u = v.get<uint64_t>();
      if (u > (uint64_t)hi || (lo > 0 && u < (uint64_t)lo)) return fail(path, want + ", got " + show(v));
      *out = (int64_t)u;
      return true;
    }
    if (!v.is_number_integer()) return fail(path, want + ", got " + show(v));
    int64_t x = v.get<int64_t>();
    if (x < lo || x > hi) return fail(path, want + ", got " + show(v));
    *out = x;
    return true;
  }
  bool int_field(const json& o, const char* k, const std::string& path, int64_t lo, int64_t hi, int* out) {
    if (!o.contains(k)) return true;
    int64_t v;
    if (!integer(o[k], path + "." + k, lo, hi, &v)) return false;
    *out = (int)v;
    return true;
  }
  bool number(const json& v, const std::string& path, bool finite_only, float* out) {
    if (v.is_string()) {
      const std::string& s = v.get_ref<const std::string&>();
      float f;
      if (!parse_hex_bits(s, &f)) return fail(path, "expected a number or \"0x<8 hex digits>\", got " + show(v));
      if (finite_only && !std::isfinite(f)) return fail(path, "NaN/Inf is not allowed here");
      *out = f;
      return true;
    }
    if (!v.is_number()) return fail(path, "expected a number, got " + show(v));
    double d = v.get<double>();
    if (!std::isfinite(d) || std::fabs(d) > 3.4028234663852886e38) return fail(path, "out of float range, got " + show(v));
    *out = (float)d;
    return true;
  }
  bool float_field(const json& o, const char* k, const std::string& path, Bounds b, float* out) {
    if (!o.contains(k)) return true;
    float f;
    if (!number(o[k], path + "." + k, true, &f)) return false;
    if (!in_bounds(f, b)) return fail(path + "." + k, "expected a number in " + format_bounds(b) + ", got " + show(o[k]));
    *out = f;
    return true;
  }
  template <class E>
  bool enum_field(const json& o, const char* k, const std::string& path, const char* what, E* out) {
    if (!o.contains(k)) return true;
    const json& v = o[k];
    if (!v.is_string() || !parse(v.get<std::string>(), out))
      return fail(path + "." + k, std::string("expected ") + what + ", got " + show(v));
    return true;
  }
  bool object(const json& v, const std::string& path) {
    return v.is_object() || fail(path, "expected an object, got " + show(v));
  }
  bool array(const json& v, const std::string& path) {
    return v.is_array() || fail(path, "expected an array, got " + show(v));
  }
};

bool read_layer(Reader& r, const json& v, const std::string& path, LayerSpec* l) {
  if (!r.object(v, path)) return false;
  *l = LayerSpec{};
  if (!v.contains("type")) return r.fail(path, "missing \"type\"");
  if (!r.enum_field(v, "type", path, "a layer type (dense, conv, maxpool, avgpool, flatten, batchnorm, dropout)", &l->type))
    return false;
  r.known(v, path, {"type", "units", "act", "leak", "filters", "kernel", "stride", "pad", "pool", "pool_stride", "rate"});
  if (l->type == LayerType::BatchNorm) l->act = Activation::Linear;  // as in a link: no activation unless given
  return r.int_field(v, "units", path, 1, kMaxUnits, &l->units) &&
         r.float_field(v, "rate", path, kDropoutBounds, &l->rate) &&
         r.enum_field(v, "act", path, "an activation name", &l->act) &&
         r.float_field(v, "leak", path, kAnyFloat, &l->leak) &&
         r.int_field(v, "filters", path, 1, 1024, &l->filters) && r.int_field(v, "kernel", path, 1, 64, &l->kernel) &&
         r.int_field(v, "stride", path, 1, 64, &l->stride) && r.int_field(v, "pad", path, 0, 64, &l->pad) &&
         r.int_field(v, "pool", path, 1, 64, &l->pool) && r.int_field(v, "pool_stride", path, 1, 64, &l->pool_stride);
}

bool read_config(Reader& r, const json& v, const std::string& path, Config* c) {
  if (!r.object(v, path)) return false;
  *c = default_config();
  r.known(v, path, {"data", "layers", "train", "seed"});
  if (v.contains("data")) {
    const json& d = v["data"];
    std::string p = path + ".data";
    if (!r.object(d, p)) return false;
    r.known(d, p, {"set", "noise", "train_percent", "points", "classes", "features", "user_points"});
    DataSpec& ds = c->data;
    if (!r.enum_field(d, "set", p, "a data set name", &ds.set) || !r.float_field(d, "noise", p, kNoiseBounds, &ds.noise) ||
        !r.int_field(d, "train_percent", p, (int64_t)kTrainPercentBounds.lo, (int64_t)kTrainPercentBounds.hi, &ds.train_percent) ||
        !r.int_field(d, "points", p, 10, max_points(ds.set), &ds.points) ||
        !r.int_field(d, "classes", p, (int64_t)kClassesBounds.lo, (int64_t)kClassesBounds.hi, &ds.classes))
      return false;
    if (d.contains("features")) {
      const json& f = d["features"];
      if (!r.array(f, p + ".features")) return false;
      ds.features = 0;
      for (size_t i = 0; i < f.size(); ++i) {
        Feature x;
        std::string fp = p + ".features[" + std::to_string(i) + "]";
        if (!f[i].is_string() || !parse(f[i].get<std::string>(), &x)) return r.fail(fp, "expected a feature name, got " + show(f[i]));
        if (ds.features >> (int)x & 1) return r.fail(fp, "duplicate feature " + show(f[i]));
        ds.features |= 1u << (int)x;
      }
    }
    if (d.contains("user_points")) {
      const json& u = d["user_points"];
      std::string up = p + ".user_points";
      if (!r.array(u, up)) return false;
      if (u.size() > (size_t)kMaxPoints)
        return r.fail(up, std::to_string(u.size()) + " points, the limit is " + std::to_string(kMaxPoints));
      ds.user_points.clear();
      for (size_t i = 0; i < u.size(); ++i) {
        std::string ip = up + "[" + std::to_string(i) + "]";
        if (!u[i].is_array() || u[i].size() != 3) return r.fail(ip, "expected [x1, x2, label], got " + show(u[i]));
        Point q;
        if (!r.number(u[i][0], ip + "[0]", true, &q.x1) || !r.number(u[i][1], ip + "[1]", true, &q.x2) ||
            !r.number(u[i][2], ip + "[2]", true, &q.label))
          return false;
        ds.user_points.push_back(q);
      }
    }
  }
  if (!v.contains("layers")) return r.fail(path, "missing \"layers\"");
  const json& ls = v["layers"];
  if (!r.array(ls, path + ".layers")) return false;
  if (ls.size() > (size_t)kMaxLayers)
    return r.fail(path + ".layers", std::to_string(ls.size()) + " layers, the limit is " + std::to_string(kMaxLayers));
  c->layers.clear();
  for (size_t i = 0; i < ls.size(); ++i) {
    LayerSpec l;
    if (!read_layer(r, ls[i], path + ".layers[" + std::to_string(i) + "]", &l)) return false;
    c->layers.push_back(l);
  }
  if (v.contains("train")) {
    const json& t = v["train"];
    std::string p = path + ".train";
    if (!r.object(t, p)) return false;
    r.known(t, p, {"loss", "optimizer", "learning_rate", "momentum", "beta1", "beta2", "epsilon", "reg", "reg_rate",
                   "batch", "init", "init_range"});
    TrainSpec& ts = c->train;
    // The float fields' ranges are validate()'s (config.h's Bounds, after the whole config): syntax here.
    if (!r.enum_field(t, "loss", p, "a loss name", &ts.loss) ||
        !r.enum_field(t, "optimizer", p, "an optimizer name", &ts.optimizer) ||
        !r.float_field(t, "learning_rate", p, kAnyFloat, &ts.learning_rate) ||
        !r.float_field(t, "momentum", p, kAnyFloat, &ts.momentum) || !r.float_field(t, "beta1", p, kAnyFloat, &ts.beta1) ||
        !r.float_field(t, "beta2", p, kAnyFloat, &ts.beta2) || !r.float_field(t, "epsilon", p, kAnyFloat, &ts.epsilon) ||
        !r.enum_field(t, "reg", p, "a regularization name", &ts.reg) ||
        !r.float_field(t, "reg_rate", p, kAnyFloat, &ts.reg_rate) || !r.int_field(t, "batch", p, 1, kMaxBatch, &ts.batch) ||
        !r.enum_field(t, "init", p, "an initialization name", &ts.init) ||
        !r.float_field(t, "init_range", p, kAnyFloat, &ts.init_range))
      return false;
  }
  if (v.contains("seed")) {
    const json& s = v["seed"];
    if (s.is_number_unsigned()) c->seed = s.get<uint64_t>();
    else if (s.is_number_integer() && s.get<int64_t>() >= 0) c->seed = (uint64_t)s.get<int64_t>();
    else return r.fail(path + ".seed", "expected an integer 0..18446744073709551615, got " + show(s));
  }
  return true;
}

bool read_floats(Reader& r, const json& a, const std::string& path, bool finite_only, std::vector<float>* out) {
  if (!r.array(a, path)) return false;
  if (a.size() > (size_t)kMaxParams * 4) return r.fail(path, "too many values (" + std::to_string(a.size()) + ")");
  out->reserve(out->size() + a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    float f;
    if (!r.number(a[i], path + "[" + std::to_string(i) + "]", finite_only, &f)) return false;
    out->push_back(f);
  }
  return true;
}

bool read_state(Reader& r, const json& v, const std::string& path, StateParse* p) {
  if (!r.object(v, path)) return false;
  r.known(v, path, {"steps", "examples", "epoch", "parameters_hash", "parameter_count", "layers", "parameters",
                    "optimizer_state", "layer_state"});
  const int64_t kMax = INT64_C(1) << 53;
  if (!v.contains("steps")) return r.fail(path, "missing \"steps\"");
  if (!v.contains("examples")) return r.fail(path, "missing \"examples\"");
  if (!r.integer(v["steps"], path + ".steps", 0, kMax, &p->steps) ||
      !r.integer(v["examples"], path + ".examples", 0, kMax, &p->examples))
    return false;
  if (v.contains("parameters_hash")) {
    const json& h = v["parameters_hash"];
    bool hex = h.is_string() && h.get_ref<const std::string&>().size() == 16;
    if (hex)
      for (char ch : h.get_ref<const std::string&>()) hex = hex && ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'));
    if (!hex) return r.fail(path + ".parameters_hash", "expected 16 lowercase hex digits, got " + show(h));
    p->hash = h.get<std::string>();
  }
  p->params.clear();
  p->layer_state.clear();
  if (v.contains("layers") == v.contains("parameters"))
    return r.fail(path, "expected exactly one of \"layers\" (per-layer w and b) or \"parameters\" (flat)");
  if (v.contains("layers")) {
    const json& ls = v["layers"];
    if (!r.array(ls, path + ".layers")) return false;
    for (size_t i = 0; i < ls.size(); ++i) {
      std::string lp = path + ".layers[" + std::to_string(i) + "]";
      if (!r.object(ls[i], lp)) return false;
      r.known(ls[i], lp, {"w", "b", "running_mean", "running_var"});
      if (!ls[i].contains("w") || !ls[i].contains("b")) return r.fail(lp, "expected {\"w\": [...], \"b\": [...]}");
      if (!read_floats(r, ls[i]["w"], lp + ".w", true, &p->params) || !read_floats(r, ls[i]["b"], lp + ".b", true, &p->params))
        return false;
      // Batch norm: the running statistics, mean then variance, appended to the layer state.
      const bool rm = ls[i].contains("running_mean"), rv = ls[i].contains("running_var");
      if (rm != rv) return r.fail(lp, "expected both \"running_mean\" and \"running_var\", or neither");
      if (rm) {
        const size_t before = p->layer_state.size();
        if (!read_floats(r, ls[i]["running_mean"], lp + ".running_mean", true, &p->layer_state)) return false;
        const size_t c = p->layer_state.size() - before;
        if (!read_floats(r, ls[i]["running_var"], lp + ".running_var", true, &p->layer_state)) return false;
        if (p->layer_state.size() - before != 2 * c)
          return r.fail(lp + ".running_var", std::to_string(p->layer_state.size() - before - c) + " values, running_mean has " +
                                                 std::to_string(c));
        for (size_t j = before + c; j < p->layer_state.size(); ++j)
          if (p->layer_state[j] < 0.0f)
            return r.fail(lp + ".running_var[" + std::to_string(j - before - c) + "]", "a variance cannot be negative");
      }
    }
    if (v.contains("layer_state")) return r.fail(path + ".layer_state", "not allowed beside \"layers\" (give running_mean/running_var per layer)");
  } else {
    if (!read_floats(r, v["parameters"], path + ".parameters", true, &p->params)) return false;
    if (v.contains("layer_state") && !read_floats(r, v["layer_state"], path + ".layer_state", true, &p->layer_state)) return false;
  }
  if (v.contains("parameter_count")) {
    int64_t n;
    if (!r.integer(v["parameter_count"], path + ".parameter_count", 0, kMaxParams, &n)) return false;
    if ((size_t)n != p->params.size())
      return r.fail(path + ".parameter_count", "says " + std::to_string(n) + " but " + std::to_string(p->params.size()) +
                                                   " parameters are stored (truncated file?)");
  }
  if (!v.contains("optimizer_state")) return r.fail(path, "missing \"optimizer_state\"");
  p->opt_state.clear();
  if (!read_floats(r, v["optimizer_state"], path + ".optimizer_state", false, &p->opt_state)) return false;
  p->has_weights = true;
  return true;
}

}  // namespace

namespace state {
json config_json(const Config& c) {
  json d = json::object();
  d["set"] = name(c.data.set);
  d["noise"] = jfloat(c.data.noise);
  d["train_percent"] = c.data.train_percent;
  d["points"] = c.data.points;
  d["classes"] = c.data.classes;
  json f = json::array();
  for (int i = 0; i < (int)Feature::Count; ++i)
    if (c.data.features >> i & 1) f.push_back(name((Feature)i));
  d["features"] = f;
  json up = json::array();
  for (const Point& p : c.data.user_points) up.push_back(json::array({jfloat(p.x1), jfloat(p.x2), jfloat(p.label)}));
  d["user_points"] = up;
  json ls = json::array();
  for (const LayerSpec& l : c.layers) ls.push_back(layer_json(l));
  const TrainSpec& t = c.train;
  json tr = json::object();
  tr["loss"] = name(t.loss);
  tr["optimizer"] = name(t.optimizer);
  tr["learning_rate"] = jfloat(t.learning_rate);
  tr["momentum"] = jfloat(t.momentum);
  tr["beta1"] = jfloat(t.beta1);
  tr["beta2"] = jfloat(t.beta2);
  tr["epsilon"] = jfloat(t.epsilon);
  tr["reg"] = name(t.reg);
  tr["reg_rate"] = jfloat(t.reg_rate);
  tr["batch"] = t.batch;
  tr["init"] = name(t.init);
  tr["init_range"] = jfloat(t.init_range);
  json o = json::object();
  o["data"] = d;
  o["layers"] = ls;
  o["train"] = tr;
  o["seed"] = c.seed;
  return o;
}

json float_array(const float* p, size_t n) {
  json a = json::array();
  for (size_t i = 0; i < n; ++i) a.push_back(jfloat(p[i]));
  return a;
}

}  // namespace state

std::string config_to_json(const Config& c) { return config_json(c).dump(1); }

StateParse parse_json(const std::string& text) {
  StateParse p;
  try {
    if (text.size() > kMaxJsonBytes) {
      p.error = "file too large (" + std::to_string(text.size()) + " bytes, the limit is " + std::to_string(kMaxJsonBytes) + ")";
      return p;
    }
    // Parsed through SAX so that a syntax error comes back as a value: the wasm build does not
    // catch C++ exceptions (Emscripten's default), so nothing here may throw.
    json v;
    JsonSax sax(v);
    if (!json::sax_parse(text, &sax) || !sax.message.empty()) {
      const std::string& w = sax.message;
      size_t b = w.find("] ");
      std::string m = b == std::string::npos ? w : w.substr(b + 2);
      // nlohmann quotes the whole token it last read, which can be the whole file: keep 40 characters of it.
      const std::string lr = "last read: '";
      if (size_t q = m.find(lr); q != std::string::npos && m.size() > q + lr.size() + 41)
        m = m.substr(0, q + lr.size() + 40) + "...'";
      if (m.size() > 300) m = m.substr(0, 300) + "...";
      p.error = "not valid JSON: " + m;
      return p;
    }
    Reader r;
    if (!v.is_object()) {
      p.error = "(top level): expected an object, got " + show(v);
      return p;
    }
    r.known(v, "", {"format", "version", "config", "state", "ui"});
    if (!v.contains("format") || v["format"] != "nnplay") {
      p.error = v.contains("format") ? "format: expected \"nnplay\", got " + show(v["format"])
                                     : "format: missing (not an nnplay file?)";
      return p;
    }
    int64_t ver = 0;
    if (!v.contains("version")) {
      p.error = "version: missing";
      return p;
    }
    if (!v["version"].is_number_integer() || (ver = v["version"].get<int64_t>()) != kJsonVersion) {
      p.error = "version: unknown file version " + show(v["version"]) + " (this page reads " + std::to_string(kJsonVersion) + ")";
      return p;
    }
    if (!v.contains("config")) {
      p.error = "config: missing";
      return p;
    }
    bool ok = read_config(r, v["config"], "config", &p.config);
    if (ok && v.contains("state")) ok = read_state(r, v["state"], "state", &p);
    if (ok && v.contains("ui")) {
      const json& u = v["ui"];
      if (!r.object(u, "ui")) ok = false;
      for (auto it = u.begin(); ok && it != u.end(); ++it) {
        if (!it.value().is_string()) ok = r.fail("ui." + it.key(), "expected a string, got " + show(it.value()));
        else p.extras[it.key()] = it.value().get<std::string>();
      }
    }
    if (!ok) {
      p.error = r.err;
      return p;
    }
    std::string verr = validate(p.config);
    if (!verr.empty()) {
      p.error = "config: invalid experiment: " + verr;
      return p;
    }
    p.warnings = r.warnings;
    if (!p.has_weights) p.steps = 0;
    p.ok = true;
  } catch (const std::exception& e) {
    p = StateParse{};
    p.error = std::string("could not read the file: ") + e.what();
  } catch (...) {
    p = StateParse{};
    p.error = "could not read the file";
  }
  return p;
}

}  // namespace nnplay
