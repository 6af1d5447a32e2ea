// Tests of the engine's deterministic scalar math (engine/src/detmath.h): sin/cos/log against libm
// in double, and splitmix64's reference values, which every seeded stream (data, init, shuffling,
// generated images) rests on.
#include <gtest/gtest.h>
#include <cmath>
#include "src/detmath.h"

using namespace nnplay;

TEST(DetMath, PortableSinCosMatchLibm) {
  for (int k = -20000; k <= 20000; ++k) {
    const double x = k * 0.00173;                      // about +-34.6 rad, many periods
    ASSERT_NEAR(det::sin(x), std::sin(x), 1e-13) << x;
    ASSERT_NEAR(det::cos(x), std::cos(x), 1e-13) << x;
  }
  EXPECT_EQ(det::sin(0.0), 0.0);
  EXPECT_EQ(det::cos(0.0), 1.0);
}

TEST(DetMath, LogMatchesLibm) {
  for (double x : {1e-300, 1e-10, 0.1, 0.5, 1.0, 2.0, 10.0, 12345.678, 1e300})
    EXPECT_NEAR(det::log(x), std::log(x), 1e-13 * std::fabs(std::log(x)) + 1e-15) << x;
  EXPECT_TRUE(std::isnan(det::log(-1.0)));
  EXPECT_EQ(det::log(0.0), -HUGE_VAL);
}

TEST(DetMath, SplitMix64KnownValues) {
  det::Rng r(1234567);                                 // reference values of splitmix64 from seed 1234567
  EXPECT_EQ(r.next(), 6457827717110365317ull);
  EXPECT_EQ(r.next(), 3203168211198807973ull);
  det::Rng u(7);
  for (int i = 0; i < 10000; ++i) {
    const double v = u.uniform();
    ASSERT_GE(v, 0.0);
    ASSERT_LT(v, 1.0);
    ASSERT_LT(u.below(7), 7u);
  }
}
