// What every Embind file of web/api shares: the result objects {ok:true} and {ok:false, error},
// and require_app, the one check that the page is running before a call touches it.
#pragma once
#include <emscripten/val.h>
#include <string>
#include "app/app.h"

namespace bind_result {

inline emscripten::val err(const std::string& e) {
  emscripten::val o = emscripten::val::object();
  o.set("ok", false);
  o.set("error", e);
  return o;
}
inline emscripten::val ok() {
  emscripten::val o = emscripten::val::object();
  o.set("ok", true);
  return o;
}
inline constexpr const char* kNoApp = "nnplay is not running (the page failed to start)";

// f(App&) when the page runs, else {ok:false, error: kNoApp}.
template <class F>
emscripten::val require_app(F&& f) {
  App* app = the_app();
  return app ? f(*app) : err(kNoApp);
}

}  // namespace bind_result
