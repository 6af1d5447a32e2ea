// The page's JavaScript API (DESIGN.md, "The page's JavaScript API") as Embind functions; web/api.js
// wraps them into window.nnplay's object. Every error comes back as a value, never as a throw.
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include "app.h"

using emscripten::val;

namespace {

val frame_stats() {
  val o = val::object();
  App* app = the_app();
  o.set("cpuMsMedian", app ? app->stats().percentile(0.5) : 0.0);
  o.set("cpuMsP95", app ? app->stats().percentile(0.95) : 0.0);
  o.set("glMsMedian", app ? app->gl_stats().percentile(0.5) : 0.0);
  o.set("frames", app ? app->stats().count() : 0);
  o.set("stepsPerFrame", app ? app->steps_per_frame() : 0);
  return o;
}

}  // namespace

EMSCRIPTEN_BINDINGS(nnplay_api) {
  emscripten::constant("nnplay_version", std::string(NNPLAY_VERSION));
  emscripten::function("nnplay_frameStats", &frame_stats);
}
