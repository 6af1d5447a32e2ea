// The one door for the page's state: a share link, a JSON file, a tutorial's setups, a preset, the
// saved experiment (a link or a file) and every new configuration become the same Opened value,
// built on the engine's parse_link / parse_json / open_state. App adopts it in one way
// (App::open / App::apply). Pure C++ (no ImGui, GL or Emscripten): tests/web/share_test.cpp.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>
#include "nnplay/session.h"
#include "nnplay/state.h"

namespace share {

struct Opened {
  std::unique_ptr<nnplay::Session> session;            // null when it could not be opened
  nnplay::Config config;                               // the session's configuration
  nnplay::StepLog log;                                 // how the session got here (replayable or not)
  std::map<std::string, std::string> ui;               // the UI keys it carried (ui_keys.h), checked, decoded
  std::vector<std::string> warnings;                   // keys ignored (unknown), and the like
  std::string error;                                   // why not, when !ok(); "" otherwise
  bool carried = false;                                // open_config: the parameters of `carry` were kept
  bool has_start = false;                              // the session was brought past step 0: start holds step 0's metrics
  nnplay::Metrics start;                               // (the first point of the page's loss curves)
  bool ok() const { return session != nullptr; }
};

Opened open_link(const std::string& fragment);         // a share link, with or without '#'
Opened open_json(const std::string& text);             // a saved file (kMaxJsonBytes at most)
// A tutorial step: its lesson's base and the setups of steps 0..k (web/tutorial/lessons/README.md),
// merged left to right, a later value of a key replacing an earlier one; `weights` is applied here.
Opened open_setups(const std::vector<std::string>& setups);
// A new configuration (a setting, a preset, a new experiment). data: the user's files the session
// trains on instead of generating config.data (null: generated). carry: keep this session's
// parameters (and its optimizer state when the optimizer is unchanged) if the shapes allow.
Opened open_config(const nnplay::Config& c, const nnplay::Dataset* data = nullptr, const nnplay::Session* carry = nullptr);

// A tutorial step's own setup when it holds only UI keys other than `weights` (the session is
// kept): true with those keys, decoded. False when it holds an engine key, `weights`, or is empty.
bool ui_only_setup(const std::string& setup, std::map<std::string, std::string>* ui);

}  // namespace share
