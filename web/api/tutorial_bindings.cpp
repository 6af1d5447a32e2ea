// The tutorial part of the JS API (web/api/tutorial_api.js wraps these into window.nnplay): open a
// step, read the player's state, Next/Back, the language, the formula selection, and the numbers
// the backprop views and the placeholders show. Errors come back as values.
#include <emscripten/val.h>
#include "api/api.h"
#include "api/bind_result.h"
#include <cmath>
#include "tutorial/tutorial.h"
#include "tutorial/views.h"

using emscripten::val;
using namespace nnplay;

namespace api::lessons {

using namespace bind_result;
val num(double v) { return std::isfinite(v) ? val(v) : val::null(); }

val state_of(Player& p) {
  val o = ok();
  const bool open = p.mode == StripMode::Tutorial && p.tutorial;
  o.set("id", open ? val(p.tutorial->id) : val::null());
  o.set("step", open ? val(p.step) : val::null());
  o.set("steps", open ? val((int)p.tutorial->steps.size()) : val::null());
  o.set("waiting", p.waiting());
  o.set("hint", p.hint());
  o.set("lang", p.lang() == Lang::Zh ? "zh" : "en");
  o.set("text", p.text());
  o.set("view", open && !p.current()->view.empty() ? val(p.current()->view) : val::null());
  o.set("wait", open ? val(p.current()->wait) : val::null());
  o.set("done", p.done_count);
  o.set("error", p.error);
  o.set("mode", p.mode == StripMode::Closed ? "closed" : p.mode == StripMode::Picker ? "picker" : p.mode == StripMode::Tutorial ? "tutorial" : "formula");
  o.set("link", open ? val("v=1&tutorial=" + p.tutorial->id + "&tstep=" + std::to_string(p.step)) : val::null());
  o.set("traceExample", p.trace_example);
  const ImGuiIO& io = ImGui::GetIO();
  o.set("fontAtlas", val::array());
  o["fontAtlas"].call<void>("push", io.Fonts->TexWidth);
  o["fontAtlas"].call<void>("push", io.Fonts->TexHeight);
  return o;
}

val tutorials_list() {
  val arr = val::array();
  for (const Tutorial& t : tutorials()) {
    val o = val::object();
    o.set("id", t.id); o.set("order", t.order); o.set("steps", (int)t.steps.size());
    o.set("title", t.title[(int)player().lang()]);
    arr.call<void>("push", o);
  }
  return arr;
}

val tutorial_state() { return require_app([](App&) { return state_of(player()); }); }

val tutorial_open(val id, val step) {
  return require_app([&](App& a) {
    if (!id.isString()) return err("tutorial(id, step): id must be a string");
    int k = 0;
    if (!step.isUndefined() && !step.isNull()) {
      if (!step.isNumber() || step.as<double>() != std::floor(step.as<double>())) return err("tutorial(id, step): step must be an integer");
      k = step.as<int>();
    }
    const std::string e = player().open(a, id.as<std::string>(), k);
    return e.empty() ? state_of(player()) : err(e);
  });
}

// Next, Back and a link's step: the player's state after it, or the error.
template <class F>
val player_call(F&& f) {
  return require_app([&](App& a) { const std::string e = f(a); return e.empty() ? state_of(player()) : err(e); });
}
val tutorial_next() { return player_call([](App& a) { return player().next(a); }); }
val tutorial_back() { return player_call([](App& a) { return player().back(a); }); }
val tutorial_open_link_js(val fragment) {
  return player_call([&](App& a) { return fragment.isString() ? tutorial_open_link(a, fragment.as<std::string>()) : std::string("tutorialOpenLink(fragment): a string expected"); });
}
val tutorial_close() { player().close(); return ok(); }

val set_language(val l) {
  if (!l.isString()) return err("setLanguage(lang): 'en' or 'zh'");
  const std::string s = l.as<std::string>();
  if (s == "en") player().set_language(Lang::En);
  else if (s == "zh") player().set_language(Lang::Zh);
  else return err("setLanguage(lang): 'en' or 'zh', got '" + s + "'");
  return ok();
}

// select(kind, layer, out, in): the formula panel's selection, as a click on a link or a neuron.
val select_item(val kind, val layer, val out, val in) {
  return require_app([&](App& a) {
    if (!kind.isString()) return err("select(kind, layer, out, in): kind is 'weight', 'bias' or 'neuron'");
    const std::string k = kind.as<std::string>();
    explain::Selection s;
    s.what = k == "weight" ? explain::Pick::Weight : k == "bias" ? explain::Pick::Bias : explain::Pick::Neuron;
    if (k != "weight" && k != "bias" && k != "neuron") return err("select: kind is 'weight', 'bias' or 'neuron'");
    auto intv = [](const val& v) { return v.isNumber() ? v.as<int>() : 0; };
    s.layer = intv(layer); s.out = intv(out); s.in = intv(in);
    if (s.layer < 0 || s.layer >= a.session->layer_count()) return err("select: no layer " + std::to_string(s.layer));
    player().select(a, s, true);
    return ok();
  });
}

val grads(const explain::LectureGrads& g, int n, int m) {
  val o = val::object();
  o.set("E", g.E); o.set("dE_dzt", g.dE_dzt); o.set("dE_dc", g.dE_dc);
  for (int j = 0; j <= m; ++j) {
    const std::string J = std::to_string(j);
    o.set("dE_dv" + J, g.dv[j]); o.set("num_dE_dv" + J, g.dv_numeric[j]); o.set("new_v" + J, g.v_new[j]);
    if (j > 0) { o.set("dE_db" + J, g.dE_db[j]); o.set("dE_da" + J, g.dE_da[j]); }
    if (j > 0)
      for (int i = 0; i <= n; ++i) {
        const std::string IJ = std::to_string(i) + J;
        o.set("dE_dw" + IJ, g.dw.at(i, j)); o.set("num_dE_dw" + IJ, g.dw_numeric.at(i, j)); o.set("new_w" + IJ, g.w_new.at(i, j));
      }
  }
  return o;
}

// The numbers the placeholders and the backprop views show now (raw doubles, and as printed).
val explain_numbers() {
  return require_app([](App& a) {
    Player& p = player();
    p.refresh(a);
    val o = ok();
    val v = val::object(), t = val::object();
    for (const auto& [k, x] : p.numbers.v) { v.set(k, num(x)); t.set(k, format_placeholder(k, x)); }
    o.set("values", v);
    o.set("printed", t);
    o.set("prevE", num(p.numbers.prevE));
    o.set("lecture", p.numbers.lecture);
    o.set("lectureError", p.numbers.lecture_error);
    if (p.numbers.lecture) {
      const explain::LectureBackprop& bp = p.numbers.bp;
      o.set("example", bp.example.index);
      o.set("n", bp.n); o.set("m", bp.m); o.set("alpha", bp.alpha);
      o.set("square", grads(bp.square, bp.n, bp.m));
      o.set("half", grads(bp.half, bp.n, bp.m));
      o.set("loss", name(bp.session_loss));
    }
    return o;
  });
}

}  // namespace api::lessons
