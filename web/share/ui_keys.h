// The page's UI keys, i.e. the keys of links, files and tutorial setups that are not engine
// settings (view options, the tutorial position, classroom mode): ONE table, read by C++ here and
// by JS as JSON (ui_keys_json, through the API). Pure C++. Not the engine's keys (nnplay/state.h).
#pragma once
#include <map>
#include <string>
#include <vector>

namespace share {

enum class UiValue : unsigned char { Flag, Int, Choice, Text, Floats };
enum class UiOwner : unsigned char { App, Tutorial };  // who holds the key's state in the page

struct UiKey {
  const char* name;                                    // a key, or the pattern "*_hide" (<part>_hide)
  UiValue value;
  long lo, hi;                                         // Int: inclusive range
  const char* choices;                                 // Choice: the values, space-separated
  UiOwner owner;
  bool setup;                                          // changing it is a new setup (a new history entry); else a view or a position
  bool in_links;                                       // links and files carry it; false: tutorial setups only
  const char* doc;                                     // one line, for web/share/KEYS.md readers and the JSON
};

const std::vector<UiKey>& ui_keys();                   // the table, in the documented order
const std::vector<std::string>& hide_parts();          // what <part>_hide may name: panels and top-bar settings
const UiKey* find_ui_key(const std::string& key);      // the row of a key ("data_hide" finds "*_hide"), or null
std::string hidden_part(const std::string& key);       // "data" for "data_hide", else ""
// "" when `value` suits `key`, else "key=value: expected ..." (an unknown part of *_hide too).
std::string check_ui_value(const std::string& key, const std::string& value);
bool read_flag(const std::string& value, bool* on);    // 1/true/on, 0/false/off
std::vector<std::string> link_whitelist();             // parse_link's UI whitelist (links and files)
std::vector<std::string> setup_whitelist();            // the same plus the setup-only keys (tutorials)
std::vector<std::string> app_view_keys();              // App's keys that are not part of the setup (always written to links)
// {"keys":[{name, value, owner, setup, inLinks, doc, ...}], "progress":[...]}: what state_api.js reads.
std::string ui_keys_json();

}  // namespace share
