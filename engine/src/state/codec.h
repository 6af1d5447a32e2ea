// Internal to engine/src/state: the pieces of the link and JSON codecs that the Session-level
// functions (session_io.cpp) reuse. Not a public header.
#pragma once
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>
#include "nnplay/config.h"

namespace nnplay::state {

void write_config_keys(const Config& c, std::string* out);   // appends the config's keys (v=1 first)
std::string write_ui_keys(const std::map<std::string, std::string>& ui, std::string* out);  // "" or the bad key
std::string encode_weights_blob(const std::vector<float>& params, const std::vector<float>& opt, int64_t steps,
                                int64_t examples, const std::vector<float>& layer_state = {});  // the w= value
size_t weights_chars(size_t params, size_t opt, size_t layer_state = 0);                        // its length

nlohmann::json config_json(const Config& c);                 // the "config" object of a file
nlohmann::json float_array(const float* p, size_t n);        // exact floats (see state.h)

}  // namespace nnplay::state
