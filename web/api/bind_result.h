// The JS API's result objects, shared by every Embind file of web/: {ok:true} and {ok:false, error}.
#pragma once
#include <emscripten/val.h>
#include <string>

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

}  // namespace bind_result
