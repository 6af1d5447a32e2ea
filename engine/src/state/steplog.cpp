// The step log: how a session reached its step, as the step()/back() calls the UI made (state.h).
// Not the replay itself (session_io.cpp).
#include <string>

#include "nnplay/state.h"
#include "src/state/text.h"

namespace nnplay {

void StepLog::record(StepSize size, int n, const StepResult& r) {
  if (n <= 0) return;
  const int64_t done = r.steps_done;
  const bool ok = r.status == StepStatus::Ok;
  if (size == StepSize::Epoch) {
    if (!runs_.empty() && open_ && runs_.back().op == 'e' && ok) {
      runs_.back().n += n;
      runs_.back().updates += done;
    } else {
      runs_.push_back({'e', n, done});
    }
  } else {
    // An example/batch run is recorded as the updates actually made: replaying exactly that many
    // stops before a divergence instead of hitting it again.
    if (done > 0) {
      char op = size == StepSize::Example ? 'x' : 'b';
      if (!runs_.empty() && runs_.back().op == op && open_) {
        runs_.back().n += done;
        runs_.back().updates += done;
      } else {
        runs_.push_back({op, done, done});
      }
    }
  }
  open_ = ok;
  updates_ += done;
}

void StepLog::back(int undone) {
  if (undone <= 0) return;
  int64_t left = undone;
  updates_ -= undone;
  while (left > 0 && !runs_.empty()) {
    Run& r = runs_.back();
    if (r.op == 'x' || r.op == 'b') {
      int64_t k = left < r.n ? left : r.n;
      r.n -= k;
      r.updates -= k;
      left -= k;
      if (r.n == 0) runs_.pop_back();
    } else if (r.op == 'e' && r.updates <= left) {
      left -= r.updates;
      runs_.pop_back();
    } else {
      break;
    }
  }
  if (left > 0) {
    if (!runs_.empty() && runs_.back().op == 'r') {
      runs_.back().n += left;
      runs_.back().updates -= left;
    } else {
      runs_.push_back({'r', left, -left});
    }
  }
  open_ = true;
  if (runs_.empty() && updates_ != 0) replayable_ = false;  // backed past the log's start
}

void StepLog::clear() {
  runs_.clear();
  updates_ = 0;
  replayable_ = true;
  open_ = false;
}

void StepLog::invalidate() { replayable_ = false; }

std::string StepLog::str() const {
  std::string o;
  for (const Run& r : runs_) {
    if (!o.empty()) o += '.';
    o += r.op;
    o += std::to_string(r.n);
    if (r.op == 'e') o += ":" + std::to_string(r.updates);
  }
  return o;
}

bool StepLog::parse(const std::string& s, StepLog* out, std::string* error) {
  StepLog log;
  auto fail = [&](const std::string& m) { if (error) *error = m; return false; };
  if (s.empty()) { *out = log; return true; }
  size_t i = 0;
  int64_t work = 0;
  const int64_t kMax = INT64_C(1) << 53;
  while (i <= s.size()) {
    size_t j = s.find('.', i);
    if (j == std::string::npos) j = s.size();
    std::string t = s.substr(i, j - i);
    if (log.runs_.size() >= 10000) return fail("more than 10000 runs");
    if (t.size() < 2 || (t[0] != 'x' && t[0] != 'b' && t[0] != 'e' && t[0] != 'r'))
      return fail("run " + state::quote(t) + ": expected x<n>, b<n>, e<n>:<updates> or r<n>");
    std::string num = t.substr(1), upd;
    if (t[0] == 'e') {
      size_t c = num.find(':');
      if (c == std::string::npos) return fail("run " + state::quote(t) + ": expected e<n>:<updates>");
      upd = num.substr(c + 1);
      num = num.substr(0, c);
    }
    int64_t n, u = 0;
    if (!state::parse_int(num, 1, kMax, &n).empty()) return fail("run " + state::quote(t) + ": bad count");
    if (t[0] == 'e' && !state::parse_int(upd, 0, kMax, &u).empty()) return fail("run " + state::quote(t) + ": bad update count");
    Run r{t[0], n, t[0] == 'e' ? u : (t[0] == 'r' ? -n : n)};
    if (r.op == 'r' && n > log.updates_) return fail("run " + state::quote(t) + " undoes more updates than were made");
    if (r.op != 'r') work += r.op == 'e' ? u : n;
    if (work > kMax) return fail("too many updates");
    log.updates_ += r.updates;
    log.runs_.push_back(r);
    i = j + 1;
    if (j == s.size()) break;
  }
  log.open_ = true;
  *out = log;
  return true;
}

}  // namespace nnplay
