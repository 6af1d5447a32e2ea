// The Session-level side of the state codecs: make_link(), to_json() and open_state() (a fresh
// session brought to a parsed link's or file's state by restore() or by replaying the step log).
#include <string>

#include "nnplay/state.h"
#include "src/state/codec.h"
#include "src/state/text.h"

namespace nnplay {
using namespace state;
using json = nlohmann::json;

std::string make_link(const Session& s, const LinkExtras& extras, bool include_weights, std::string* error) {
  if (error) error->clear();
  std::string w;
  write_config_keys(s.config(), &w);
  const int64_t steps = s.step_count();
  w += "&step=" + std::to_string(steps);
  bool need_weights = include_weights || steps > kMaxReplayUpdates;
  if (extras.log) {
    const StepLog& log = *extras.log;
    if (!log.replayable() || log.updates() != steps) {
      need_weights = true;
    } else {
      std::string plan = log.str();
      if (!(plan.empty() && steps == 0) && plan != "b" + std::to_string(steps)) {
        if (plan.size() > 4000) need_weights = true;
        else if (!need_weights) w += "&replay=" + plan;
      }
    }
  }
  w += "&hash=" + s.parameters_hash();
  std::string e = write_ui_keys(extras.ui, &w);
  if (!e.empty()) {
    if (error) *error = e;
    return "";
  }
  if (need_weights) {
    std::vector<float> params(s.parameter_count());
    if (!params.empty()) s.parameters(params.data());
    const std::vector<float> opt = s.optimizer_state();
    const std::vector<float> ls = s.layer_state();
    const size_t wchars = weights_chars(params.size(), opt.size(), ls.size());
    if (w.size() + 3 + wchars > kMaxLinkChars) {
      if (error)
        *error = "too large to share by link (" + std::to_string(params.size()) +
                 " parameters with their optimizer state need about " + std::to_string(w.size() + 3 + wchars) +
                 " characters, the limit is " + std::to_string(kMaxLinkChars) + "), export a file instead";
      return "";
    }
    w += "&w=" + encode_weights_blob(params, opt, steps, s.examples_seen(), ls);
  }
  if (w.size() > kMaxLinkChars) {
    if (error)
      *error = "too large to share by link (" + std::to_string(w.size()) + " characters, the limit is " +
               std::to_string(kMaxLinkChars) + "), export a file instead";
    return "";
  }
  return w;
}


std::string to_json(const Session& s, const std::map<std::string, std::string>& ui) {
  json o = json::object();
  o["format"] = "nnplay";
  o["version"] = kJsonVersion;
  o["config"] = config_json(s.config());
  json st = json::object();
  st["steps"] = s.step_count();
  st["examples"] = s.examples_seen();
  st["epoch"] = s.epoch();
  st["parameters_hash"] = s.parameters_hash();
  st["parameter_count"] = s.parameter_count();
  std::vector<float> params(s.parameter_count());
  if (!params.empty()) s.parameters(params.data());
  // Split per layer by the trace's w/b sizes (the documented parameter order); flat if they disagree.
  // Batch-norm layers add their running statistics (the layer state, in the same layer order).
  const std::vector<float> lstate = s.layer_state();
  size_t total = 0, total_state = 0;
  for (int l = 0; l < s.layer_count(); ++l) {
    total += s.trace(l).w.size() + s.trace(l).b.size();
    total_state += s.trace(l).running_mean.size() + s.trace(l).running_var.size();
  }
  if (total == params.size() && total_state == lstate.size()) {
    json ls = json::array();
    size_t at = 0, sat = 0;
    for (int l = 0; l < s.layer_count(); ++l) {
      const LayerTrace& t = s.trace(l);
      size_t nw = t.w.size(), nb = t.b.size();
      json e = json::object();
      e["w"] = float_array(params.data() + at, nw);
      e["b"] = float_array(params.data() + at + nw, nb);
      at += nw + nb;
      if (t.running_mean.size()) {
        const size_t c = t.running_mean.size();
        e["running_mean"] = float_array(lstate.data() + sat, c);
        e["running_var"] = float_array(lstate.data() + sat + c, c);
        sat += 2 * c;
      }
      ls.push_back(e);
    }
    st["layers"] = ls;
  } else {
    st["parameters"] = float_array(params.data(), params.size());
    if (!lstate.empty()) st["layer_state"] = float_array(lstate.data(), lstate.size());
  }
  std::vector<float> opt = s.optimizer_state();
  st["optimizer_state"] = float_array(opt.data(), opt.size());
  o["state"] = st;
  json u = json::object();
  for (const auto& [k, v] : ui) u[k] = v;
  o["ui"] = u;
  try {
    return o.dump(1, ' ', false, json::error_handler_t::replace);
  } catch (...) {
    return "{}";
  }
}

namespace {

bool replay(Session* s, const StepLog& log, std::string* error) {
  const int kChunk = 1 << 30;
  for (const StepLog::Run& r : log.runs()) {
    if (r.op == 'x' || r.op == 'b') {
      for (int64_t left = r.n; left > 0;) {
        int n = left > kChunk ? kChunk : (int)left;
        StepResult res = s->step(r.op == 'x' ? StepSize::Example : StepSize::Batch, n);
        if (res.steps_done != n) {
          *error = "replay stopped after " + std::to_string(s->step_count()) + " updates: " +
                   (res.divergence.kind == DivergenceKind::None ? "the session made fewer updates than recorded"
                    : res.divergence.kind == DivergenceKind::NonFinite ? "a NaN or infinite value appeared"
                                                                        : "an update outgrew the weights");
          return false;
        }
        left -= n;
      }
    } else if (r.op == 'e') {
      int64_t before = s->step_count();
      for (int64_t left = r.n; left > 0;) {
        int n = left > kChunk ? kChunk : (int)left;
        s->step(StepSize::Epoch, n);
        left -= n;
      }
      if (s->step_count() - before != r.updates) {
        *error = "replay: " + std::to_string(r.n) + " epoch(s) made " + std::to_string(s->step_count() - before) +
                 " updates, the link recorded " + std::to_string(r.updates);
        return false;
      }
    } else {
      int64_t undone = s->back((int)r.n);
      if (undone != r.n) {
        *error = "replay: could undo only " + std::to_string(undone) + " of " + std::to_string(r.n) +
                 " updates (rewind history is shorter)";
        return false;
      }
    }
  }
  return true;
}

}  // namespace

std::unique_ptr<Session> open_state(const StateParse& p, std::string* error, const OpenOptions& options) {
  std::string tmp;
  std::string& err = error ? *error : tmp;
  err.clear();
  if (!p.ok) {
    err = p.error.empty() ? "nothing to open" : p.error;
    return nullptr;
  }
  std::unique_ptr<Session> s =
      options.data ? Session::create(p.config, *options.data, &err) : Session::create(p.config, &err);
  if (!s) {
    err = "invalid experiment: " + err;
    return nullptr;
  }
  if (options.start) *options.start = s->metrics();
  if (p.has_weights) {
    if (p.params.size() != s->parameter_count()) {
      err = "the saved weights have " + std::to_string(p.params.size()) + " parameters but the network has " +
            std::to_string(s->parameter_count());
      return nullptr;
    }
    size_t no = s->optimizer_state().size();
    if (p.opt_state.size() != no) {
      err = "the saved optimizer state has " + std::to_string(p.opt_state.size()) + " values but this optimizer needs " +
            std::to_string(no);
      return nullptr;
    }
    const size_t nls = s->layer_state().size();
    if (p.layer_state.size() != nls) {
      err = "the saved state has " + std::to_string(p.layer_state.size()) +
            " batch-norm running statistics but the network needs " + std::to_string(nls);
      return nullptr;
    }
    std::string e;
    if (!s->restore(p.params, p.opt_state, p.steps, p.examples, &e, p.layer_state)) {
      err = "restoring the saved weights: " + e;
      return nullptr;
    }
  } else {
    if (p.log.updates() != p.steps) {
      err = "the replay plan leads to " + std::to_string(p.log.updates()) + " updates, not " + std::to_string(p.steps);
      return nullptr;
    }
    if (!replay(s.get(), p.log, &err)) return nullptr;
  }
  if (s->step_count() != p.steps) {
    err = "reached step " + std::to_string(s->step_count()) + ", expected " + std::to_string(p.steps);
    return nullptr;
  }
  if (!p.hash.empty() && s->parameters_hash() != p.hash) {
    err = "the weights differ from the sender's (hash " + s->parameters_hash() + ", expected " + p.hash +
          "): the link was made by a different engine version, or edited";
    return nullptr;
  }
  return s;
}

}  // namespace nnplay
