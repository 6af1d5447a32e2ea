// Helpers shared by the state fuzz targets (fuzz_link.cpp, fuzz_json.cpp): a trap for a broken
// invariant, and the rule every rejected input obeys. Test-only.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include "../state/test_util.h"
#include "nnplay/state.h"

namespace fuzz {

inline void check(bool ok) {
  if (!ok) __builtin_trap();
}

// True when p was accepted; a rejected input gets a message, and a short one (no input echoed whole).
inline bool accepted(const nnplay::StateParse& p) {
  if (!p.ok) check(!p.error.empty() && p.error.size() < 2000);
  return p.ok;
}

}  // namespace fuzz
