// Bias kernel tests (engine/kernels/bias): add and gradient, per column and per channel, SIMD vs
// scalar bit for bit over every shape up to 9 x 17 (tails included), and against a sum in double.
#include <cfloat>
#include <cmath>
#include "kernels/internal.h"
#include "test_util.h"

using namespace nnplay::kernels;
using ktest::Rng;

TEST(KernelBias, SimdMatchesScalarBitExact) {
  uint64_t seed = 5;
  for (size_t rows = 1; rows <= 9; rows++)
    for (size_t cols = 1; cols <= 17; cols++)
      for (bool acc : {false, true}) {
        Rng r(seed++);
        const size_t ldy = cols + 3;
        auto y = ktest::random_vec(rows * ldy, r), bias = ktest::random_vec(cols, r), db0 = ktest::random_vec(cols, r);
        auto ys = y, yr = y;
        f32_bias_add__wasmsimd(rows, cols, ys.data(), ldy, bias.data());
        f32_bias_add__scalar(rows, cols, yr.data(), ldy, bias.data());
        ASSERT_EQ(ktest::count_bit_mismatches(ys.data(), yr.data(), ys.size(), "bias add"), 0u);
        EXPECT_EQ(ys[0], y[0] + bias[0]);
        auto ds = db0, dr = db0;
        f32_bias_grad__wasmsimd(rows, cols, ds.data(), y.data(), ldy, acc);
        f32_bias_grad__scalar(rows, cols, dr.data(), y.data(), ldy, acc);
        ASSERT_EQ(ktest::count_bit_mismatches(ds.data(), dr.data(), cols, "bias grad"), 0u);
        double want = acc ? db0[cols - 1] : 0.0, scale = std::fabs(want);
        for (size_t i = 0; i < rows; i++) want += y[i * ldy + cols - 1], scale += std::fabs(y[i * ldy + cols - 1]);
        EXPECT_LE(std::fabs(dr[cols - 1] - want), 2 * (rows + 1) * FLT_EPSILON * scale);
      }
}

TEST(KernelBias, ChannelSimdMatchesScalarBitExact) {
  uint64_t seed = 9;
  for (size_t C = 1; C <= 9; C++)
    for (size_t HW = 1; HW <= 17; HW++) {
      Rng r(seed++);
      auto y = ktest::random_vec(C * HW, r), bias = ktest::random_vec(C, r), db0 = ktest::random_vec(C, r);
      auto ys = y, yr = y;
      f32_channel_bias_add__wasmsimd(C, HW, ys.data(), bias.data());
      f32_channel_bias_add__scalar(C, HW, yr.data(), bias.data());
      ASSERT_EQ(ktest::count_bit_mismatches(ys.data(), yr.data(), ys.size(), "channel bias add"), 0u);
      auto ds = db0, dr = db0;
      f32_channel_bias_grad__wasmsimd(C, HW, ds.data(), y.data());
      f32_channel_bias_grad__scalar(C, HW, dr.data(), y.data());
      ASSERT_EQ(ktest::count_bit_mismatches(ds.data(), dr.data(), C, "channel bias grad"), 0u) << C << "x" << HW;
      double want = 0, scale = 0;
      for (size_t i = 0; i < HW; i++) want += y[i], scale += std::fabs(y[i]);
      EXPECT_LE(std::fabs(dr[0] - (db0[0] + want)), 2 * (HW + 2) * FLT_EPSILON * (scale + std::fabs(db0[0])));
    }
}
