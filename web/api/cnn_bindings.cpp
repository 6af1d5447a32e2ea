// Image mode's part of the JS API (web/api/cnn_api.js adds these to window.nnplay): the CNN view's
// state, the confusion matrix, IDX upload, selecting the input and the view, opening a link.
// Errors come back as {ok:false, error}, never as a throw.
#include <emscripten/val.h>
#include "api/api.h"
#include "api/bind_result.h"
#include <cmath>
#include <vector>
#include "cnn/cnn.h"
#include "nnplay/state.h"
#include "share/presets.h"
#include "share/share.h"

using emscripten::val;
using namespace nnplay;

namespace api::images {

using namespace bind_result;

val shape3(const int s[3]) { val a = val::array(); for (int i = 0; i < 3; ++i) a.call<void>("push", s[i]); return a; }

val cnn_state(App& app) {
  cnn::State& st = cnn::state();
  val o = val::object();
  o.set("ok", true);
  o.set("imageMode", is_image(app.cfg.data.set));
  o.set("dataset", cnn::user_images().active ? std::string("idx") : std::string(name(app.cfg.data.set)));
  const cnn::UserImages& u = cnn::user_images();
  val idx = val::object();
  idx.set("active", u.active); idx.set("count", u.count); idx.set("rows", u.rows); idx.set("cols", u.cols); idx.set("name", u.name);
  o.set("idx", idx);
  o.set("idxMessage", st.idx_message);
  o.set("idxError", st.idx_error);
  o.set("layersLink", layers_text(app.cfg.layers));
  val layers = val::array();
  Session& s = *app.session;
  for (int l = 0; l < s.layer_count(); ++l) {
    const LayerTrace& t = s.trace(l);
    val L = val::object();
    L.set("type", std::string(name(t.type)));
    L.set("inShape", shape3(t.in_shape));
    L.set("outShape", shape3(t.out_shape));
    L.set("params", (double)(t.w.size() + t.b.size()));
    layers.call<void>("push", L);
  }
  o.set("layers", layers);
  o.set("draftError", st.draft_dirty ? val(st.draft_error) : val::null());
  if (is_image(app.cfg.data.set)) cnn::trace_current(app);
  val in = val::object();
  in.set("source", std::string(st.source == cnn::Source::Train ? "train" : st.source == cnn::Source::Test ? "test" : "pad"));
  in.set("index", st.index);
  in.set("label", st.label);
  double ink = 0;
  for (float v : st.pad) ink += v;
  in.set("padInk", ink);
  o.set("input", in);
  val probs = val::array();
  int best = -1;
  for (size_t k = 0; k < st.probs.size(); ++k) {
    probs.call<void>("push", st.probs[k]);
    if (best < 0 || st.probs[k] > st.probs[best]) best = (int)k;
  }
  o.set("probs", probs);
  o.set("predicted", best);
  const char* tabs[] = {"maps", "filters", "explainer", "test"};
  o.set("tab", std::string(tabs[st.tab & 3]));
  return o;
}

val confusion(App& app) {
  if (!is_image(app.cfg.data.set)) return err("confusion(): the data set is not an image set");
  cnn::evaluate_test(app);
  cnn::State& st = cnn::state();
  const int K = st.classes;
  val m = val::array();
  int correct = 0, n = 0;
  for (int t = 0; t < K; ++t) {
    val row = val::array();
    for (int p = 0; p < K; ++p) { const int c = st.confusion[(size_t)t * K + p]; row.call<void>("push", c); n += c; if (t == p) correct += c; }
    m.call<void>("push", row);
  }
  val wrong = val::array();
  const Dataset& d = app.session->data();
  for (size_t i = 0; i < st.predicted.size(); ++i) if (st.predicted[i] != (int)d.test_y[i]) wrong.call<void>("push", (int)i);
  val o = val::object();
  o.set("ok", true);
  o.set("classes", K);
  o.set("matrix", m);
  o.set("accuracy", n ? (double)correct / n : 0.0);
  o.set("misclassified", wrong);
  o.set("step", (double)st.eval_step);
  return o;
}

std::vector<uint8_t> bytes_of(const val& v) {
  return emscripten::convertJSArrayToNumberVector<uint8_t>(v);
}

// loadIdx(images, labels, name): Uint8Arrays already decompressed (web/api/cnn_api.js).
val load_idx(App& app, val images, val labels, val name) {
  cnn::State& st = cnn::state();
  auto fail = [&](const std::string& e) { st.idx_message = "Not loaded: " + e; st.idx_error = true; app.report(st.idx_message); return err(e); };
  if (!images.instanceof(val::global("Uint8Array")) || !labels.instanceof(val::global("Uint8Array")))
    return fail("loadIdx(images, labels): two Uint8Arrays expected (an images file and a labels file)");
  const std::vector<uint8_t> im = bytes_of(images), lb = bytes_of(labels);
  const std::string nm = name.isString() ? name.as<std::string>() : std::string();
  const std::string e = cnn::load_idx(app, im.data(), im.size(), lb.data(), lb.size(), nm);
  if (!e.empty()) return fail(e);
  const cnn::UserImages& u = cnn::user_images();
  cnn::state().idx_message = "Loaded " + u.name;
  cnn::state().idx_error = false;
  app.set_status("Loaded " + u.name + " (train/test split " + std::to_string(app.cfg.data.train_percent) + "%)", false);
  val o = val::object();
  o.set("ok", true);
  o.set("count", u.count); o.set("rows", u.rows); o.set("cols", u.cols);
  o.set("train", app.session->data().train_count());
  o.set("test", app.session->data().test_count());
  return o;
}

// A message from the JS side (unreadable file, bad gzip, missing file) shown like a parse error.
val idx_error(App& app, val message) {
  const std::string e = message.isString() ? message.as<std::string>() : std::string("the files could not be read");
  cnn::state().idx_message = "Not loaded: " + e;
  cnn::state().idx_error = true;
  app.report(cnn::state().idx_message);
  return err(e);
}

val select_input(App& app, val source, val index) {
  if (!source.isString()) return err("cnnSelect(source, index): source must be 'train', 'test' or 'pad'");
  const std::string s = source.as<std::string>();
  cnn::State& st = cnn::state();
  if (s == "train") st.source = cnn::Source::Train;
  else if (s == "test") st.source = cnn::Source::Test;
  else if (s == "pad") st.source = cnn::Source::Pad;
  else return err("cnnSelect(source, index): source must be 'train', 'test' or 'pad', got '" + s + "'");
  if (index.isNumber()) {
    const double i = index.as<double>();
    if (!(i >= 0 && i == std::floor(i))) return err("cnnSelect(source, index): index must be an integer >= 0");
    st.index = (int)i;
  }
  return cnn_state(app);
}

val view(val name) {
  const char* tabs[] = {"maps", "filters", "explainer", "test"};
  if (name.isString())
    for (int t = 0; t < 4; ++t)
      if (name.as<std::string>() == tabs[t]) { cnn::state().tab_request = t; cnn::state().tab = t; val o = val::object(); o.set("ok", true); return o; }
  return err("cnnView(name): name must be 'maps', 'filters', 'explainer' or 'test'");
}

// cnnOpen(fragment): a share link (the presets'), through the state door like open().
val open_link(App& app, val fragment) {
  if (!fragment.isString()) return err("cnnOpen(fragment): a string expected");
  const std::string e = app.open(share::open_link(fragment.as<std::string>()));
  app.report(e);
  return e.empty() ? ok() : err(e);
}

val presets() {
  val o = val::object();
  for (const share::Preset& p : share::presets()) o.set(p.id, share::preset_link(p.id));
  return o;
}


// The Embind entry points: each checks the page runs (require_app) and calls the function above.
val cnn_state_js() { return require_app([](App& a) { return cnn_state(a); }); }
val confusion_js() { return require_app([](App& a) { return confusion(a); }); }
val load_idx_js(val images, val labels, val name) { return require_app([&](App& a) { return load_idx(a, images, labels, name); }); }
val idx_error_js(val message) { return require_app([&](App& a) { return idx_error(a, message); }); }
val select_input_js(val source, val index) { return require_app([&](App& a) { return select_input(a, source, index); }); }
val view_js(val name) { return require_app([&](App&) { return view(name); }); }
val open_link_js(val fragment) { return require_app([&](App& a) { return open_link(a, fragment); }); }

}  // namespace api::images
