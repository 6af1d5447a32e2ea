// The UI key table (ui_keys.h) and the checks every reader of a UI key shares.
#include "share/ui_keys.h"
#include <nlohmann/json.hpp>

namespace share {

const std::vector<UiKey>& ui_keys() {
  static const std::vector<UiKey> k = {
      {"stepSize", UiValue::Choice, 0, 0, "example batch epoch", UiOwner::App, false, true,
       "what the step button, the right-arrow key and playing advance by"},
      {"stepsPerFrame", UiValue::Int, 1, 100, "", UiOwner::App, false, true, "steps of stepSize per frame while playing"},
      {"showTestData", UiValue::Flag, 0, 1, "", UiOwner::App, false, true, "view: test points in the output"},
      {"discretize", UiValue::Flag, 0, 1, "", UiOwner::App, false, true, "view: output coloured by class only"},
      {"gradients", UiValue::Flag, 0, 1, "", UiOwner::App, false, true, "view: gradients instead of values"},
      {"*_hide", UiValue::Flag, 0, 1, "", UiOwner::App, true, true, "classroom mode: hides a panel or a top-bar setting"},
      {"embed", UiValue::Flag, 0, 1, "", UiOwner::App, true, true, "compact layout for an iframe: no title bar, no Share button"},
      {"tutorial", UiValue::Text, 0, 0, "", UiOwner::Tutorial, false, true, "the open tutorial's id"},
      {"tstep", UiValue::Int, 0, 1000, "", UiOwner::Tutorial, false, true, "its step, 0-based"},
      {"traceExample", UiValue::Int, 0, 1 << 30, "", UiOwner::Tutorial, false, false, "the training example the numbers show"},
      {"weights", UiValue::Floats, 0, 0, "", UiOwner::Tutorial, false, false, "every parameter, in the documented order"},
  };
  return k;
}

const std::vector<std::string>& hide_parts() {
  static const std::vector<std::string> p = {
      "data", "controls", "output", "share", "learningRate", "activation", "regularization", "regularizationRate",
      "problem", "loss", "optimizer", "stepSize", "stepsPerFrame"};
  return p;
}

std::string hidden_part(const std::string& key) {
  const std::string suf = "_hide";
  if (key.size() <= suf.size() || key.compare(key.size() - suf.size(), suf.size(), suf) != 0) return "";
  return key.substr(0, key.size() - suf.size());
}

const UiKey* find_ui_key(const std::string& key) {
  const std::string name = hidden_part(key).empty() ? key : "*_hide";
  for (const UiKey& k : ui_keys())
    if (name == k.name) return &k;
  return nullptr;
}

bool read_flag(const std::string& v, bool* on) {
  if (v == "1" || v == "true" || v == "on") { *on = true; return true; }
  if (v == "0" || v == "false" || v == "off") { *on = false; return true; }
  return false;
}

namespace {

std::vector<std::string> words(const char* s) {
  std::vector<std::string> w;
  std::string cur;
  for (const char* p = s;; ++p) {
    if (*p == ' ' || *p == 0) { if (!cur.empty()) w.push_back(cur); cur.clear(); if (!*p) break; }
    else cur += *p;
  }
  return w;
}

std::string join(const std::vector<std::string>& w, const char* sep, const char* last) {
  std::string s;
  for (size_t i = 0; i < w.size(); ++i) s += (i == 0 ? "" : i + 1 == w.size() ? last : sep) + w[i];
  return s;
}

// A plain decimal integer (optional '-') within [lo, hi].
bool read_int(const std::string& v, long lo, long hi) {
  if (v.empty() || v.size() > 12) return false;
  const bool neg = v[0] == '-';
  if (neg && v.size() == 1) return false;
  long long x = 0;
  for (size_t j = neg ? 1 : 0; j < v.size(); ++j) {
    if (v[j] < '0' || v[j] > '9') return false;
    x = x * 10 + (v[j] - '0');
  }
  if (neg) x = -x;
  return x >= lo && x <= hi;
}

}  // namespace

std::string check_ui_value(const std::string& key, const std::string& v) {
  const UiKey* k = find_ui_key(key);
  if (!k) return "unknown key '" + key + "'";
  const std::string at = key + "=" + v + ": ";
  bool on;
  switch (k->value) {
    case UiValue::Flag:
      if (!read_flag(v, &on)) return at + "expected 0 or 1";
      break;
    case UiValue::Int:
      if (!read_int(v, k->lo, k->hi)) return at + "expected an integer " + std::to_string(k->lo) + ".." + std::to_string(k->hi);
      break;
    case UiValue::Choice: {
      const std::vector<std::string> c = words(k->choices);
      bool found = false;
      for (const std::string& x : c) found = found || x == v;
      if (!found) return at + "expected " + join(c, ", ", " or ");
      break;
    }
    case UiValue::Text:
      if (v.empty()) return at + "expected a name";
      break;
    case UiValue::Floats:
      break;                                           // checked against the network where it is applied (share.cpp)
  }
  if (std::string(k->name) == "*_hide") {
    const std::string p = hidden_part(key);
    for (const std::string& q : hide_parts())
      if (q == p) return "";
    return key + ": unknown part \"" + p + "\" (parts that can be hidden: " + join(hide_parts(), ", ", ", ") + ")";
  }
  return "";
}

std::vector<std::string> link_whitelist() {
  std::vector<std::string> w;
  for (const UiKey& k : ui_keys())
    if (k.in_links) w.push_back(k.name);
  return w;
}

std::vector<std::string> setup_whitelist() {
  std::vector<std::string> w;
  for (const UiKey& k : ui_keys()) w.push_back(k.name);
  return w;
}

std::vector<std::string> app_view_keys() {
  std::vector<std::string> w;
  for (const UiKey& k : ui_keys())
    if (k.owner == UiOwner::App && !k.setup) w.push_back(k.name);
  return w;
}

std::string ui_keys_json() {
  nlohmann::json keys = nlohmann::json::array();
  for (const UiKey& k : ui_keys()) {
    static const char* const kValue[] = {"flag", "int", "choice", "text", "floats"};
    nlohmann::json o = {{"name", k.name}, {"value", kValue[(int)k.value]}, {"owner", k.owner == UiOwner::App ? "app" : "tutorial"},
                        {"setup", k.setup}, {"inLinks", k.in_links}, {"doc", k.doc}};
    if (k.value == UiValue::Int) { o["lo"] = k.lo; o["hi"] = k.hi; }
    if (k.value == UiValue::Choice) o["choices"] = words(k.choices);
    keys.push_back(o);
  }
  // The link's progress keys (nnplay/state.h): where the session is, not how it is set up.
  return nlohmann::json{{"keys", keys}, {"hideParts", hide_parts()}, {"progress", {"step", "replay", "hash", "w"}}}.dump();
}

}  // namespace share
