// The check every table of malformed inputs in the state tests makes (link_test.cpp, json_test.cpp).
// Test-only; GoogleTest (the fuzz targets use test_util.h instead).
#pragma once
#include <gtest/gtest.h>
#include <string>
#include "nnplay/state.h"

namespace nnplay::testing_state {

// A malformed input's parse: refused, with a message that holds `message` and stays short.
inline void expect_refused(const StateParse& p, const std::string& input, const std::string& message) {
  EXPECT_FALSE(p.ok) << "accepted: " << input.substr(0, 300);
  EXPECT_NE(p.error.find(message), std::string::npos)
      << "input:    " << input.substr(0, 300) << "\nexpected: " << message << "\ngot:      " << p.error;
  EXPECT_LT(p.error.size(), 400u) << p.error;
}

}  // namespace nnplay::testing_state
