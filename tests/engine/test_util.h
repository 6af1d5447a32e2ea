// Helpers shared by the engine tests (tests/engine, and the image-set tests that drive sessions):
// a trace view's shape in one assertion. Test-only.
#pragma once
#include <gtest/gtest.h>
#include <vector>
#include "nnplay/session.h"

inline void expect_shape(const nnplay::View& v, std::vector<int> dims) {
  ASSERT_EQ(v.rank, (int)dims.size());
  for (size_t i = 0; i < dims.size(); ++i) EXPECT_EQ(v.shape[i], dims[i]) << "dimension " << i;
}
