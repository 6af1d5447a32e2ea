// The page's settings by key: set(key, value) of the JS API and of every control, for the engine's
// keys (web/share/KEYS.md). Values are read by the share link's own reader (set_link_key), so a
// setting and a link accept the same text and say the same thing; on top come the page's rules
// (the output layer follows the problem, a new hidden layer copies its neighbour, the playground's
// caps). Pure C++. Not the UI keys (ui_keys.h) and not image mode's data sets (web/cnn).
#pragma once
#include <string>
#include <vector>
#include "nnplay/config.h"

namespace share {

inline constexpr int kMaxHidden = 8;                   // the playground's caps (the engine allows more)
inline constexpr int kMaxNeurons = 16;

struct Change {
  std::string error;                                   // "" when applied
  nnplay::Config config;                               // the new configuration
  bool keeps_weights = false;                          // a training-only change: the session keeps its parameters
};
Change change_setting(const nnplay::Config& c, const std::string& key, const std::string& value);
const std::vector<std::string>& setting_keys();        // the keys state().config shows, in KEYS.md's order
void fit_output(nnplay::Config* c);                    // the output layer and loss the data set's problem needs

}  // namespace share
