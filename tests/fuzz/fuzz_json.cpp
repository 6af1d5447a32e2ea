// libFuzzer target for the JSON file reader (engine/src/state/json.cpp, nlohmann-json inside):
// any bytes as a file. Traps if an exception escapes (the harness would abort) or if an accepted
// file breaks an invariant: the config validates and its JSON re-reads to the same config.
// fuzz-sources: all
// Build: tests/fuzz/run_fuzz.sh builds it with clang++-14 -fsanitize=fuzzer,address,undefined.
#include "fuzz_util.h"

using fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nnplay;
  const std::string in(reinterpret_cast<const char*>(data), size);
  StateParse p = parse_json(in);
  if (!fuzz::accepted(p)) return 0;
  check(validate(p.config).empty());
  if (p.has_weights)
    for (float f : p.params) check(std::isfinite(f));
  const std::string again = "{\"format\":\"nnplay\",\"version\":1,\"config\":" + config_to_json(p.config) + "}";
  StateParse q = parse_json(again);
  check(q.ok);
  check(testing_state::config_diff(p.config, q.config).empty());
  return 0;
}
