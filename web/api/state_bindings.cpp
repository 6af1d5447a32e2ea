// The JS API's save/load part (web/state_api.js wraps it): open a share link, the setup link,
// JSON save and open, NumPy/PyTorch export, "new experiment". Messages go to the page's status line.
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include "api/bind_result.h"
#include "cnn/cnn.h"
#include "nnplay/state.h"

using emscripten::val;
using namespace nnplay;

namespace {

using bind_result::err;
using bind_result::ok;
using bind_result::kNoApp;

// what: "link", "file <name>", "saved experiment": named in the page's message on failure.
val finish(App* app, const std::string& what, const std::string& e) {
  if (e.empty()) return ok();
  app->report(what + ": " + e + " (the page keeps its current experiment)");
  return err(what + ": " + e);
}

val open(val fragment, val what) {
  App* app = the_app();
  if (!app) return err(kNoApp);
  const std::string w = what.isString() ? what.as<std::string>() : "link";
  if (!fragment.isString()) return finish(app, w, "a string expected");
  return finish(app, w, cnn::open_link(*app, fragment.as<std::string>()));
}

val open_json(val text, val name) {
  App* app = the_app();
  if (!app) return err(kNoApp);
  const std::string w = "file " + (name.isString() ? name.as<std::string>() : std::string("(JSON)"));
  if (!text.isString()) return finish(app, w, "text expected");
  const std::string t = text.as<std::string>();
  if (t.size() > kMaxJsonBytes) return finish(app, w, "larger than " + std::to_string(kMaxJsonBytes >> 20) + " MB");
  const StateParse p = parse_json(t);
  if (!p.ok) return finish(app, w, p.error);
  return finish(app, w, cnn::open_parsed(*app, p));
}

val save_json() {
  App* app = the_app();
  if (!app) return err(kNoApp);
  std::map<std::string, std::string> ui;
  app->view_keys(&ui);
  return val(to_json(*app->session, ui));
}

val setup_link() {
  App* app = the_app();
  if (!app) return err(kNoApp);
  return val(make_config_link(app->cfg));
}

val export_script(val kind) {
  App* app = the_app();
  if (!app) return err(kNoApp);
  const std::string k = kind.isString() ? kind.as<std::string>() : "";
  if (k != "numpy" && k != "pytorch") return err("exportScript(kind): kind must be 'numpy' or 'pytorch'");
  ExportProbe probe = make_probe(*app->session);
  return val(k == "numpy" ? export_numpy(*app->session, probe) : export_pytorch(*app->session, probe));
}

val new_experiment() {
  App* app = the_app();
  if (!app) return err(kNoApp);
  cnn::user_images().active = false;
  const std::string e = app->apply(default_config(), false);
  if (!e.empty()) return err(e);
  app->set_status("New experiment: TF Playground's default (the saved one was cleared).", false);
  return ok();
}

val report(val message, val error) {
  App* app = the_app();
  if (!app) return err(kNoApp);
  if (message.isString()) app->set_status(message.as<std::string>(), error.isTrue());
  return ok();
}

}  // namespace

EMSCRIPTEN_BINDINGS(nnplay_state_api) {
  emscripten::function("nnplay_open", &open);
  emscripten::function("nnplay_openJson", &open_json);
  emscripten::function("nnplay_saveJson", &save_json);
  emscripten::function("nnplay_setupLink", &setup_link);
  emscripten::function("nnplay_exportScript", &export_script);
  emscripten::function("nnplay_newExperiment", &new_experiment);
  emscripten::function("nnplay_report", &report);
}
