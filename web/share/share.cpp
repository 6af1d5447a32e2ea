// The state door (share.h): every way into a session goes through open_state() and comes back as
// an Opened; UI keys are checked against the one table (ui_keys.h) before anything is adopted.
#include "share/share.h"
#include <cmath>
#include <cstdlib>
#include "share/ui_keys.h"

using namespace nnplay;

namespace share {
namespace {

Opened failed(std::string e) {
  Opened r;
  r.error = std::move(e);
  return r;
}

// The UI keys of a parse: known ones checked and kept, others ignored with a warning.
std::string take_ui(const std::map<std::string, std::string>& extras, Opened* r) {
  for (const auto& [k, v] : extras) {
    if (!find_ui_key(k)) { r->warnings.push_back("unknown key \"" + k + "\" ignored"); continue; }
    const std::string e = check_ui_value(k, v);
    if (!e.empty()) return e;
    r->ui[k] = v;
  }
  return "";
}

// Opens a parse: the session (open_state), its step log, the checked UI keys.
Opened open_parsed(const StateParse& p, const Dataset* data = nullptr) {
  if (!p.ok) return failed(p.error);
  Opened r;
  r.warnings = p.warnings;
  std::string e = take_ui(p.extras, &r);
  if (!e.empty()) return failed(e);
  OpenOptions o;
  o.data = data;
  if (p.steps > 0) o.start = &r.start;
  r.session = open_state(p, &e, o);
  if (!r.session) return failed(e);
  r.has_start = p.steps > 0;
  r.config = p.config;
  if (p.has_weights) r.log.invalidate();               // restored weights cannot be replayed (state.h)
  else r.log = p.log;
  return r;
}

// `weights=` of a setup: every parameter in the documented order, through set_weight.
std::string apply_weights(const std::string& v, Opened* r) {
  Session& s = *r->session;
  std::vector<float> w;
  for (size_t i = 0; i <= v.size();) {
    size_t j = v.find(',', i);
    if (j == std::string::npos) j = v.size();
    const std::string t = v.substr(i, j - i);
    char* end = nullptr;
    const double d = std::strtod(t.c_str(), &end);
    if (t.empty() || end != t.c_str() + t.size() || !std::isfinite(d)) { w.clear(); break; }
    w.push_back((float)d);
    i = j + 1;
  }
  if (w.size() != s.parameter_count())
    return "weights=" + v + ": expected " + std::to_string(s.parameter_count()) + " comma-separated numbers";
  size_t at = 0;
  std::string e;
  for (int l = 0; l < s.layer_count(); ++l) {
    const size_t nw = s.trace(l).w.size(), nb = s.trace(l).b.size();
    for (size_t i = 0; i < nw; ++i)
      if (!s.set_weight(l, false, i, w[at++], &e)) return e;
    for (size_t i = 0; i < nb; ++i)
      if (!s.set_weight(l, true, i, w[at++], &e)) return e;
  }
  r->log.invalidate();
  return "";
}

}  // namespace

Opened open_link(const std::string& fragment) { return open_parsed(parse_link(fragment, link_whitelist())); }

Opened open_json(const std::string& text) {
  if (text.size() > kMaxJsonBytes) return failed("larger than " + std::to_string(kMaxJsonBytes >> 20) + " MB");
  return open_parsed(parse_json(text));
}

Opened open_setups(const std::vector<std::string>& setups) {
  LinkFields merged = {{"v", std::to_string(kLinkVersion)}};
  for (const std::string& s : setups) {
    if (s.empty()) continue;
    LinkFields f;
    const std::string e = split_link(s, &f);
    if (!e.empty()) return failed(e);
    for (auto& kv : f) {
      bool found = false;
      for (auto& m : merged)
        if (m.first == kv.first) { m.second = kv.second; found = true; }
      if (!found) merged.push_back(std::move(kv));
    }
  }
  Opened r = open_parsed(parse_link_fields(merged, setup_whitelist()));
  if (!r.ok()) return r;
  auto w = r.ui.find("weights");
  if (w != r.ui.end()) {
    const std::string e = apply_weights(w->second, &r);
    if (!e.empty()) return failed(e);
    r.ui.erase(w);
  }
  return r;
}

Opened open_config(const Config& c, const Dataset* data, const Session* carry) {
  StateParse p;
  p.ok = true;
  p.config = c;
  Opened r = open_parsed(p, data);
  if (!r.ok() || !carry || carry->parameter_count() != r.session->parameter_count()) return r;
  std::vector<float> params(carry->parameter_count());
  carry->parameters(params.data());
  const std::vector<float> opt =
      c.train.optimizer == carry->config().train.optimizer ? carry->optimizer_state() : std::vector<float>();
  std::vector<float> stats = carry->layer_state();    // batch-norm running statistics go on with the weights
  if (stats.size() != r.session->layer_state().size()) stats.clear();
  std::string e;
  r.carried = r.session->restore(params, opt, carry->step_count(), carry->examples_seen(), &e, stats);
  if (!r.carried && !opt.empty()) r.carried = r.session->restore(params, {}, carry->step_count(), carry->examples_seen(), &e, stats);
  if (r.carried) r.log.invalidate();                   // a hyper-parameter changed mid-run: replay cannot reproduce it
  return r;
}

bool ui_only_setup(const std::string& setup, std::map<std::string, std::string>* ui) {
  LinkFields f;
  if (setup.empty() || !split_link(setup, &f).empty()) return false;
  for (const auto& [k, v] : f)
    if (!find_ui_key(k) || k == "weights") return false;
  ui->clear();
  for (const auto& [k, v] : f) (*ui)[k] = v;
  return true;
}

}  // namespace share
