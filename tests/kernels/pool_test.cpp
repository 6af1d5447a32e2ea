// Pooling kernel tests: SIMD vs scalar bit for bit (values and argmax, ties included) over sizes,
// windows and strides; values checked against a direct max / mean; backward routing checked.
#include <cmath>
#include "kernels/internal.h"
#include "test_util.h"

using namespace nnplay::kernels;
using ktest::Rng;

TEST(KernelPool, SimdMatchesScalarBitExactSweep) {
  uint64_t seed = 1;
  for (int p : {1, 2, 3})
    for (int s : {1, 2, 3})
      for (int C : {1, 3})
        for (int H = p; H <= 11; H++)
          for (int W = p; W <= 2 * 4 * s + p; W++) {
            const PoolShape sh{C, H, W, p, s};
            Rng r(seed++);
            const size_t xin = static_cast<size_t>(C) * H * W, yout = static_cast<size_t>(C) * sh.OH() * sh.OW();
            std::vector<float> x(xin);
            for (auto& v : x) v = std::floor(r.uniform(0.0f, 4.0f));  // few distinct values: many ties
            std::vector<float> ys(yout), yr(yout);
            std::vector<int32_t> as(yout), ar(yout);
            f32_maxpool_forward__wasmsimd(sh, ys.data(), as.data(), x.data());
            f32_maxpool_forward__scalar(sh, yr.data(), ar.data(), x.data());
            ASSERT_EQ(ktest::count_bit_mismatches(ys.data(), yr.data(), yout, "maxpool"), 0u);
            ASSERT_EQ(as, ar) << "argmax differs p" << p << " s" << s << " H" << H << " W" << W;
            for (size_t o = 0; o < yout; o++) ASSERT_EQ(x[ar[o]], yr[o]);
            // the winner is the first maximum in window order
            const int OW = sh.OW();
            for (int oy = 0; oy < sh.OH(); oy++)
              for (int ox = 0; ox < OW; ox++) {
                float m = -1; int32_t mi = -1;
                for (int ky = 0; ky < p; ky++)
                  for (int kx = 0; kx < p; kx++) {
                    int32_t i = (oy * s + ky) * W + ox * s + kx;
                    if (x[i] > m) m = x[i], mi = i;
                  }
                ASSERT_EQ(ar[oy * OW + ox], mi);
              }
            auto dy = ktest::random_vec(yout, r), dx0 = ktest::random_vec(xin, r);
            auto dxs = dx0, dxr = dx0;
            f32_maxpool_backward__wasmsimd(sh, dxs.data(), dy.data(), ar.data());
            f32_maxpool_backward__scalar(sh, dxr.data(), dy.data(), ar.data());
            ASSERT_EQ(ktest::count_bit_mismatches(dxs.data(), dxr.data(), xin, "maxpool backward"), 0u);
            auto xa = ktest::random_vec(xin, r);
            f32_avgpool_forward__wasmsimd(sh, ys.data(), xa.data());
            f32_avgpool_forward__scalar(sh, yr.data(), xa.data());
            ASSERT_EQ(ktest::count_bit_mismatches(ys.data(), yr.data(), yout, "avgpool"), 0u);
            double mean = 0, scale = 0;
            for (int ky = 0; ky < p; ky++)
              for (int kx = 0; kx < p; kx++) mean += xa[ky * W + kx], scale += std::fabs(xa[ky * W + kx]);
            ASSERT_LE(std::fabs(yr[0] - mean / (p * p)), 4e-7 * (p * p + 1) * scale / (p * p) + 1e-30);
            dxs = dx0, dxr = dx0;
            f32_avgpool_backward__wasmsimd(sh, dxs.data(), dy.data());
            f32_avgpool_backward__scalar(sh, dxr.data(), dy.data());
            ASSERT_EQ(ktest::count_bit_mismatches(dxs.data(), dxr.data(), xin, "avgpool backward"), 0u);
          }
}

TEST(KernelPool, TwoByTwoValuesAndRouting) {
  const PoolShape sh{1, 4, 4, 2, 2};
  const float x[16] = {1, 5, 2, 2, 3, 4, 2, 2, 0, 0, 9, 8, 0, 7, 8, 9};
  float y[4];
  int32_t am[4];
  f32_maxpool_forward(sh, y, am, x);
  EXPECT_EQ(y[0], 5); EXPECT_EQ(y[1], 2); EXPECT_EQ(y[2], 7); EXPECT_EQ(y[3], 9);
  EXPECT_EQ(am[0], 1); EXPECT_EQ(am[1], 2); EXPECT_EQ(am[2], 13); EXPECT_EQ(am[3], 10);  // tie 9 vs 9: first wins
  const float dy[4] = {1, 2, 3, 4};
  float dx[16] = {};
  f32_maxpool_backward(sh, dx, dy, am);
  EXPECT_EQ(dx[1], 1); EXPECT_EQ(dx[2], 2); EXPECT_EQ(dx[13], 3); EXPECT_EQ(dx[10], 4); EXPECT_EQ(dx[15], 0);
  f32_avgpool_forward(sh, y, x);
  EXPECT_EQ(y[0], 13.0f / 4); EXPECT_EQ(y[3], 34.0f / 4);
  float dxa[16] = {};
  f32_avgpool_backward(sh, dxa, dy);
  EXPECT_EQ(dxa[0], 0.25f); EXPECT_EQ(dxa[15], 1.0f);
}
