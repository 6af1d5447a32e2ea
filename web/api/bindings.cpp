// The page's JavaScript API (docs/design.md, "The page's JavaScript API") as Embind functions; web/api/api.js
// wraps them into window.nnplay's object. Every error comes back as a value, never as a throw:
// arguments arrive as plain JS values (emscripten::val) and are checked here.
#include <emscripten/val.h>
#include "api/api.h"
#include "api/bind_result.h"
#include <cmath>
#include "app/app.h"
#include "share/ui_keys.h"
#include "tutorial/tutorial.h"

using emscripten::val;
using namespace nnplay;

namespace api::core {

using namespace bind_result;

// A JS number argument, or `dflt` when undefined; false when it is not a finite number.
bool number_arg(const val& v, double dflt, double* out) {
  if (v.isUndefined() || v.isNull()) { *out = dflt; return true; }
  if (!v.isNumber()) return false;
  *out = v.as<double>();
  return std::isfinite(*out);
}

val view(const View& v) {
  val o = val::object();
  val shape = val::array();
  for (int i = 0; i < v.rank; ++i) shape.call<void>("push", v.shape[i]);
  o.set("shape", shape);
  const size_t n = v.data ? v.size() : 0;
  o.set("data", val::global("Float32Array").new_(emscripten::typed_memory_view(n, v.data ? v.data : (const float*)"")));
  return o;
}

val frame_stats() {
  App* app = the_app();
  val o = val::object();
  o.set("cpuMsMedian", app ? app->stats().percentile(0.5) : 0.0);
  o.set("cpuMsP95", app ? app->stats().percentile(0.95) : 0.0);
  o.set("glMsMedian", app ? app->gl_stats().percentile(0.5) : 0.0);
  o.set("frames", app ? app->stats().count() : 0);       // frames in the statistics (the last FrameStats::kFrames)
  o.set("frameCount", app ? (double)app->frames_total : 0.0);
  o.set("stepsPerFrame", app ? app->steps_per_frame : 0);
  o.set("updatesLastFrame", app ? app->last_updates : 0);
  return o;
}

val state() {
  return require_app([](App& app) {
    const Session& s = *app.session;
    const Metrics& m = app.metrics;
    val o = ok();
    o.set("step", (double)s.step_count());
    o.set("epoch", (double)s.epoch());
    o.set("examples", (double)s.examples_seen());
    o.set("playing", app.playing);
    o.set("trainLoss", m.train_loss);
    o.set("testLoss", m.test_loss);
    o.set("trainAccuracy", m.train_accuracy >= 0 ? val(m.train_accuracy) : val::null());
    o.set("testAccuracy", m.test_accuracy >= 0 ? val(m.test_accuracy) : val::null());
    o.set("batchLoss", m.batch_loss);
    o.set("diverged", app.diverged);
    o.set("message", app.status_text());
    o.set("canBack", s.can_back());
    o.set("trainCount", s.data().train_count());
    o.set("testCount", s.data().test_count());
    o.set("userPoints", (int)app.cfg.data.user_points.size());
    o.set("parameters", (double)s.parameter_count());
    o.set("addingPoints", app.adding_points);
    val cfg = val::object();
    for (const std::string& k : App::keys()) cfg.set(k, app.get(k));
    o.set("config", cfg);
    return o;
  });
}

val play() { return require_app([](App& a) { a.play(); return a.playing ? ok() : err(a.status_text()); }); }
val pause() { return require_app([](App& a) { a.pause(); return ok(); }); }

val step(val size, val n) {
  return require_app([&](App& a) {
    StepSize sz = a.step_size;
    if (!size.isUndefined() && !size.isNull()) {
      if (!size.isString()) return err("step(size, n): size must be 'example', 'batch' or 'epoch'");
      const std::string s = size.as<std::string>();
      if (s == "example") sz = StepSize::Example;
      else if (s == "batch") sz = StepSize::Batch;
      else if (s == "epoch") sz = StepSize::Epoch;
      else return err("step(size, n): size must be 'example', 'batch' or 'epoch', got '" + s + "'");
    }
    double k;
    if (!number_arg(n, 1, &k) || k < 1 || k > 100000 || k != std::floor(k)) return err("step(size, n): n must be an integer 1..100000");
    const StepResult r = a.step(sz, (int)k);
    val o = val::object();
    o.set("ok", r.status == StepStatus::Ok);
    o.set("stepsDone", r.steps_done);
    o.set("status", r.status == StepStatus::Ok ? "ok" : "diverged");
    if (r.status != StepStatus::Ok) o.set("error", a.status_text());
    o.set("step", (double)a.session->step_count());
    return o;
  });
}

val back(val n) {
  return require_app([&](App& a) {
    double k;
    if (!number_arg(n, 1, &k) || k < 1 || k > 1e9 || k != std::floor(k)) return err("back(n): n must be a positive integer");
    val o = ok();
    o.set("undone", a.back((int)k));
    o.set("step", (double)a.session->step_count());
    return o;
  });
}

val reset(val new_seed) {
  return require_app([&](App& a) {
    a.reset(!new_seed.isUndefined() && !new_seed.isNull() && new_seed.as<bool>());
    val o = a.status_is_error ? err(a.status_text()) : ok();
    o.set("seed", a.get("seed"));
    return o;
  });
}

val set(val key, val value) {
  return require_app([&](App& a) {
    if (!key.isString()) return err("set(key, value): key must be a string");
    std::string v;
    if (value.isString()) v = value.as<std::string>();
    else if (value.isNumber()) v = val::global("String")(value).as<std::string>();
    else if (value.isTrue()) v = "1";
    else if (value.isFalse()) v = "0";
    else if (!value.isUndefined() && !value.isNull() && val::global("Array").call<bool>("isArray", value)) v = value.call<std::string>("join", std::string(","));
    else return err("set(key, value): value must be a string, number, boolean or array");
    const std::string e = a.set(key.as<std::string>(), v);
    if (!e.empty()) return err(e);
    val o = ok();
    o.set("value", a.get(key.as<std::string>()));
    return o;
  });
}

val get(val key) {
  return require_app([&](App& a) {
    if (!key.isString()) return err("get(key): key must be a string");
    for (const auto& k : App::keys()) if (k == key.as<std::string>()) return val(a.get(k));
    return err("unknown key '" + key.as<std::string>() + "'");
  });
}

val weights() {
  App* a = the_app();
  if (!a) return val::global("Float32Array").new_(0);
  std::vector<float> p(a->session->parameter_count());
  a->session->parameters(p.data());
  return val::global("Float32Array").new_(emscripten::typed_memory_view(p.size(), p.data()));
}

val weights_hash() { return require_app([](App& a) { return val(a.session->parameters_hash()); }); }

val trace(val layer) {
  return require_app([&](App& a) {
    double l;
    if (!number_arg(layer, 0, &l) || l != std::floor(l) || l < 0 || l >= a.session->layer_count())
      return err("trace(layer): layer must be an integer 0.." + std::to_string(a.session->layer_count() - 1));
    const LayerTrace& t = a.session->trace((int)l);
    val o = ok();
    o.set("layer", (int)l);
    o.set("type", name(t.type));
    o.set("activation", name(t.act));
    o.set("w", view(t.w)); o.set("b", view(t.b)); o.set("dw", view(t.dw)); o.set("db", view(t.db));
    o.set("z", view(t.z)); o.set("a", view(t.a)); o.set("dz", view(t.dz)); o.set("da", view(t.da));
    o.set("exZ", view(t.ex_z)); o.set("exA", view(t.ex_a)); o.set("exDz", view(t.ex_dz)); o.set("exDa", view(t.ex_da));
    return o;
  });
}

val set_weight(val layer, val bias, val index, val value) {
  return require_app([&](App& a) {
    double l, i, v;
    if (!number_arg(layer, -1, &l) || !number_arg(index, -1, &i) || !number_arg(value, NAN, &v) || i < 0 || i != std::floor(i))
      return err("setWeight(layer, bias, index, value): numbers expected");
    const std::string e = a.set_weight((int)l, !bias.isUndefined() && bias.as<bool>(), (int)i, (float)v);
    return e.empty() ? ok() : err(e);
  });
}

val add_point(val x1, val x2, val label) {
  return require_app([&](App& a) {
    double x, y, c;
    if (!number_arg(x1, NAN, &x) || !number_arg(x2, NAN, &y) || !number_arg(label, NAN, &c)) return err("addPoint(x1, x2, label): numbers expected");
    const std::string e = a.add_point((float)x, (float)y, (float)c);
    return e.empty() ? ok() : err(e);
  });
}

val clear_points() { return require_app([](App& a) { a.clear_points(); return ok(); }); }

// Screen rectangles (CSS pixels) of the named widgets of the last frame, so tests can click them.
val ui_rects() {
  App* a = the_app();
  val o = val::object();
  if (!a) return o;
  for (const auto& [k, r] : a->ui_rects) {
    val v = val::array();
    v.call<void>("push", r.x); v.call<void>("push", r.y); v.call<void>("push", r.z); v.call<void>("push", r.w);
    o.set(k, v);
  }
  return o;
}

val link() {
  return require_app([](App& a) {
    std::string e;
    LinkExtras x;
    x.log = &a.log;
    a.view_keys(&x.ui);
    tutorial_link_keys(&x.ui);                         // tutorial=<id>&tstep=<k> while a tutorial is open
    a.classroom_keys(&x.ui);                           // <part>_hide=1, embed=1
    const std::string s = make_link(*a.session, x, !a.log.replayable(), &e);
    return s.empty() ? err(e) : val(s);
  });
}

// The UI key table (web/share/ui_keys.h) as parsed JSON, for the page's scripts.
val ui_keys() { return val::global("JSON").call<val>("parse", share::ui_keys_json()); }

}  // namespace api::core
