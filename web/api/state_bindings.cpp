// The JS API's save/load part (web/share/state_api.js wraps it): open a share link, a JSON file or
// the saved experiment through the state door (web/share/share.h), the setup link, JSON save,
// NumPy/PyTorch model and training-script export, "new experiment". Failures go to the page's status line too.
#include <emscripten/val.h>
#include "api/api.h"
#include "api/bind_result.h"
#include "nnplay/state.h"
#include "share/share.h"

using emscripten::val;
using namespace nnplay;

namespace api::files {

using namespace bind_result;

// Adopts r in the page; what: "link", "file <name>", "saved experiment": named in the message.
val finish(App& app, const std::string& what, share::Opened r) {
  std::vector<std::string> warnings = r.warnings;
  const std::string e = app.open(std::move(r));
  if (!e.empty()) {
    app.report(what + ": " + e + " (the page keeps its current experiment)");
    return err(what + ": " + e);
  }
  val o = ok();
  val w = val::array();
  for (const std::string& s : warnings) w.call<void>("push", s);
  o.set("warnings", w);
  return o;
}

val open(val fragment, val what) {
  return require_app([&](App& app) {
    const std::string w = what.isString() ? what.as<std::string>() : "link";
    if (!fragment.isString()) { app.report(w + ": a string expected"); return err(w + ": a string expected"); }
    return finish(app, w, share::open_link(fragment.as<std::string>()));
  });
}

val open_json(val text, val name) {
  return require_app([&](App& app) {
    const std::string w = "file " + (name.isString() ? name.as<std::string>() : std::string("(JSON)"));
    if (!text.isString()) { app.report(w + ": text expected"); return err(w + ": text expected"); }
    return finish(app, w, share::open_json(text.as<std::string>()));
  });
}

val save_json() {
  return require_app([](App& app) {
    std::map<std::string, std::string> ui;
    app.view_keys(&ui);
    return val(to_json(*app.session, ui));
  });
}

val setup_link() { return require_app([](App& app) { return val(make_config_link(app.cfg)); }); }

// A failed export: its message in the page's status line too, and as the error value.
val export_failed(App& app, const std::string& e) {
  app.report(e);
  return err(e);
}

val export_script(val kind) {
  return require_app([&](App& app) {
    const std::string k = kind.isString() ? kind.as<std::string>() : "";
    if (k != "numpy" && k != "pytorch") return err("exportScript(kind): kind must be 'numpy' or 'pytorch'");
    const std::string why = script_support(*app.session);
    if (!why.empty()) return export_failed(app, "export: " + why);
    ExportProbe probe = make_probe(*app.session);
    return val(k == "numpy" ? export_numpy(*app.session, probe) : export_pytorch(*app.session, probe));
  });
}

// The training script (PyTorch or NumPy) that continues the experiment; an error value when the
// network cannot be written as one (the page keeps going either way).
val export_training(val kind) {
  return require_app([&](App& app) {
    const std::string k = kind.isString() ? kind.as<std::string>() : "";
    if (k != "numpy" && k != "pytorch") return err("exportTrainingScript(kind): kind must be 'pytorch' or 'numpy'");
    const TrainingScript t = export_training_script(*app.session, k == "numpy" ? ScriptKind::Numpy : ScriptKind::Pytorch);
    if (!t.ok) return export_failed(app, "export: " + t.error);
    return val(t.text);
  });
}

val new_experiment() {
  return require_app([](App& app) {
    const std::string e = app.open(share::open_config(default_config()));
    if (!e.empty()) return err(e);
    app.set_status("New experiment: TF Playground's default (the saved one was cleared).", false);
    return ok();
  });
}

val report(val message, val error) {
  return require_app([&](App& app) {
    if (message.isString()) app.set_status(message.as<std::string>(), error.isTrue());
    return ok();
  });
}

}  // namespace api::files
