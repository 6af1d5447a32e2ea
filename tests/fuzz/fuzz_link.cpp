// libFuzzer target for the share-link parser (engine/src/state/link.cpp, steplog.cpp): any bytes
// as a link fragment. Traps if an accepted link breaks an invariant: the config validates, and
// writing it back and re-reading it gives the same config (the codec is a bijection on its image).
// fuzz-sources: all
// Build: tests/fuzz/run_fuzz.sh builds it with clang++-14 -fsanitize=fuzzer,address,undefined.
#include "fuzz_util.h"

using fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nnplay;
  const std::string in(reinterpret_cast<const char*>(data), size);
  LinkParse p = parse_link(in, {"tutorial", "tutorialStep", "*_hide", "show*"});
  if (!fuzz::accepted(p)) return 0;
  check(p.error.empty());
  check(validate(p.config).empty());
  check(p.steps >= 0 && p.log.updates() >= 0);
  if (p.has_weights)
    for (float f : p.params) check(std::isfinite(f));
  else
    check(p.log.updates() == p.steps);
  LinkParse q = parse_link(make_config_link(p.config, p.extras), {"tutorial", "tutorialStep", "*_hide", "show*"});
  check(q.ok);
  check(testing_state::config_diff(p.config, q.config).empty());
  check(q.extras == p.extras);
  StepLog l2;
  std::string e;
  check(StepLog::parse(p.log.str(), &l2, &e) && l2.str() == p.log.str() && l2.updates() == p.log.updates());
  return 0;
}
