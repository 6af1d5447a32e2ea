// Classroom and embed mode: `<part>_hide=1` link keys hide panels and controls (as TF Playground's
// *_hide keys do), `embed=1` gives a compact layout for an iframe (no title bar, no Share button).
#include <set>
#include "app/app.h"

namespace {

// Panels, the Share button, and every setting of the top bar by its link key.
const std::vector<std::string>& parts() {
  static const std::vector<std::string> p = {
      "data", "controls", "output", "share", "learningRate", "activation", "regularization", "regularizationRate",
      "problem", "loss", "optimizer", "stepSize", "stepsPerFrame"};
  return p;
}

bool flag(const std::string& v, bool* out) {
  if (v == "1" || v == "true") { *out = true; return true; }
  if (v == "0" || v == "false") { *out = false; return true; }
  return false;
}

std::string part_of(const std::string& key) {
  const std::string suf = "_hide";
  if (key.size() <= suf.size() || key.compare(key.size() - suf.size(), suf.size(), suf) != 0) return "";
  return key.substr(0, key.size() - suf.size());
}

}  // namespace

bool App::is_embed_key(const std::string& key) { return key == "embed" || !part_of(key).empty(); }

std::string App::set_embed_key(const std::string& key, const std::string& v) {
  bool on = false;
  if (!flag(v, &on)) return key + "=" + v + ": expected 0 or 1";
  if (key == "embed") { compact = on; return ""; }
  const std::string p = part_of(key);
  bool known = false;
  for (const std::string& q : parts()) known = known || q == p;
  if (!known) {
    std::string list;
    for (const std::string& q : parts()) list += (list.empty() ? "" : ", ") + q;
    return key + ": unknown part \"" + p + "\" (parts that can be hidden: " + list + ")";
  }
  if (on) hidden_parts.insert(p); else hidden_parts.erase(p);
  return "";
}

void App::embed_link_keys(std::map<std::string, std::string>* ui) const {
  for (const std::string& p : hidden_parts) (*ui)[p + "_hide"] = "1";
  if (compact) (*ui)["embed"] = "1";
}

const std::vector<std::string>& App::link_keys() {
  static const std::vector<std::string> k = [] {
    std::vector<std::string> v = keys();
    v.push_back("*_hide");
    v.push_back("embed");
    return v;
  }();
  return k;
}
