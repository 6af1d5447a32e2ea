// conv2d kernel tests: the SIMD versions (im2col + GEMM, the GEMM straight on x for 1x1, and the
// direct stride-1 forward and backward-filter kernels) against the scalar references bit for bit over channels, sizes,
// kernels, strides and padding;
// the forward reference against a double-precision sum within sum |w||x| scaled tolerance.
#include <cfloat>
#include <cmath>
#include "kernels/internal.h"
#include "test_util.h"

using namespace nnplay::kernels;
using ktest::Rng;

namespace {

void check(const ConvShape& sh, uint64_t seed) {
  Rng r(seed);
  const size_t xin = static_cast<size_t>(sh.C) * sh.H * sh.W, yout = static_cast<size_t>(sh.F) * sh.OH() * sh.OW();
  const size_t wn = static_cast<size_t>(sh.F) * sh.C * sh.k * sh.k;
  auto x = ktest::random_vec(xin, r), w = ktest::random_vec(wn, r), bias = ktest::random_vec(sh.F, r), dy = ktest::random_vec(yout, r);
  auto dx0 = ktest::random_vec(xin, r), dw0 = ktest::random_vec(wn, r), db0 = ktest::random_vec(sh.F, r);
  std::vector<float> work(conv2d_workspace_floats(sh) + 1, 777.0f);
  SCOPED_TRACE(testing::Message() << "C" << sh.C << " H" << sh.H << " W" << sh.W << " F" << sh.F << " k" << sh.k << " s" << sh.s << " pad" << sh.pad);
  // forward
  std::vector<float> ys(yout), yr(yout);
  f32_conv2d_forward__wasmsimd(sh, ys.data(), x.data(), w.data(), bias.data(), work.data());
  f32_conv2d_forward__scalar(sh, yr.data(), x.data(), w.data(), bias.data(), nullptr);
  ASSERT_EQ(ktest::count_bit_mismatches(ys.data(), yr.data(), yout, "conv forward"), 0u);
  for (int f = 0; f < sh.F; f++)
    for (int oy = 0; oy < sh.OH(); oy++)
      for (int ox = 0; ox < sh.OW(); ox++) {
        double want = 0, scale = 0;
        for (int c = 0; c < sh.C; c++)
          for (int ky = 0; ky < sh.k; ky++)
            for (int kx = 0; kx < sh.k; kx++) {
              const int iy = oy * sh.s + ky - sh.pad, ix = ox * sh.s + kx - sh.pad;
              if (iy < 0 || ix < 0 || iy >= sh.H || ix >= sh.W) continue;
              const double p = static_cast<double>(w[((f * sh.C + c) * sh.k + ky) * sh.k + kx]) * x[(c * sh.H + iy) * sh.W + ix];
              want += p, scale += std::fabs(p);
            }
        want += bias[f], scale += std::fabs(bias[f]);
        const float got = yr[(f * sh.OH() + oy) * sh.OW() + ox];
        ASSERT_LE(std::fabs(got - want), 2.0 * (sh.C * sh.k * sh.k + 2) * FLT_EPSILON * scale);
      }
  // backward-data (accumulates into dx)
  auto dxs = dx0, dxr = dx0;
  f32_conv2d_backward_data__wasmsimd(sh, dxs.data(), dy.data(), w.data(), work.data());
  f32_conv2d_backward_data__scalar(sh, dxr.data(), dy.data(), w.data(), nullptr);
  ASSERT_EQ(ktest::count_bit_mismatches(dxs.data(), dxr.data(), xin, "conv backward-data"), 0u);
  // backward-filter (accumulates into dw and dbias)
  auto dws = dw0, dwr = dw0, dbs = db0, dbr = db0;
  f32_conv2d_backward_filter__wasmsimd(sh, dws.data(), dbs.data(), dy.data(), x.data(), work.data());
  f32_conv2d_backward_filter__scalar(sh, dwr.data(), dbr.data(), dy.data(), x.data(), nullptr);
  ASSERT_EQ(ktest::count_bit_mismatches(dws.data(), dwr.data(), wn, "conv backward-filter dw"), 0u);
  ASSERT_EQ(ktest::count_bit_mismatches(dbs.data(), dbr.data(), sh.F, "conv backward-filter dbias"), 0u);
  ASSERT_EQ(work.back(), 777.0f) << "workspace overrun";
}

// The direct forward kernel (4 filters x 8 columns tiles) and the im2col + GEMM forward, each forced,
// against the scalar reference: filters 1..2*4+1, output widths 1..2*8+1, odd heights, with and without bias.
void check_forward_paths(const ConvShape& sh, uint64_t seed) {
  Rng r(seed);
  const size_t xin = static_cast<size_t>(sh.C) * sh.H * sh.W, yout = static_cast<size_t>(sh.F) * sh.OH() * sh.OW();
  auto x = ktest::random_vec(xin, r), w = ktest::random_vec(static_cast<size_t>(sh.F) * sh.C * sh.k * sh.k, r);
  auto bias = ktest::random_vec(sh.F, r);
  SCOPED_TRACE(testing::Message() << "C" << sh.C << " H" << sh.H << " W" << sh.W << " F" << sh.F << " k" << sh.k << " pad" << sh.pad);
  for (bool with_bias : {false, true}) {
    const float* b = with_bias ? bias.data() : nullptr;
    std::vector<float> yr(yout);
    f32_conv2d_forward__scalar(sh, yr.data(), x.data(), w.data(), b, nullptr);
    for (ConvPath p : {ConvPath::Direct, ConvPath::Gemm}) {
      std::vector<float> work(conv2d_workspace_floats(sh) + 1, 777.0f), ys(yout + 1, -5.0f);
      conv_path_override = p;
      f32_conv2d_forward__wasmsimd(sh, ys.data(), x.data(), w.data(), b, work.data());
      conv_path_override = ConvPath::Auto;
      ASSERT_EQ(ktest::count_bit_mismatches(ys.data(), yr.data(), yout, p == ConvPath::Direct ? "direct forward" : "gemm forward"), 0u);
      ASSERT_EQ(ys.back(), -5.0f) << "wrote past y";
      ASSERT_EQ(work.back(), 777.0f) << "workspace overrun";
    }
  }
}

// The direct backward-filter kernel and im2col + GEMM, each forced, against the scalar reference
// (dw and dbias accumulate onto random values).
void check_filter_paths(const ConvShape& sh, uint64_t seed) {
  Rng r(seed);
  const size_t xin = static_cast<size_t>(sh.C) * sh.H * sh.W, yout = static_cast<size_t>(sh.F) * sh.OH() * sh.OW();
  const size_t wn = static_cast<size_t>(sh.F) * sh.C * sh.k * sh.k;
  auto x = ktest::random_vec(xin, r), dy = ktest::random_vec(yout, r), dw0 = ktest::random_vec(wn, r), db0 = ktest::random_vec(sh.F, r);
  SCOPED_TRACE(testing::Message() << "C" << sh.C << " H" << sh.H << " W" << sh.W << " F" << sh.F << " k" << sh.k << " pad" << sh.pad);
  auto dwr = dw0, dbr = db0;
  f32_conv2d_backward_filter__scalar(sh, dwr.data(), dbr.data(), dy.data(), x.data(), nullptr);
  for (ConvPath p : {ConvPath::Direct, ConvPath::Gemm}) {
    std::vector<float> work(conv2d_workspace_floats(sh) + 1, 777.0f);
    auto dws = dw0, dbs = db0;
    conv_filter_path_override = p;
    f32_conv2d_backward_filter__wasmsimd(sh, dws.data(), dbs.data(), dy.data(), x.data(), work.data());
    conv_filter_path_override = ConvPath::Auto;
    const char* what = p == ConvPath::Direct ? "direct backward-filter" : "gemm backward-filter";
    ASSERT_EQ(ktest::count_bit_mismatches(dws.data(), dwr.data(), wn, what), 0u);
    ASSERT_EQ(ktest::count_bit_mismatches(dbs.data(), dbr.data(), sh.F, what), 0u);
    ASSERT_EQ(work.back(), 777.0f) << "workspace overrun";
  }
}

}  // namespace

TEST(KernelConv, BackwardFilterPathRuleIsFromTheShape) {
  EXPECT_EQ(conv2d_backward_filter_path(ConvShape{1, 28, 28, 6, 5, 1, 0}), ConvPath::Direct);
  EXPECT_EQ(conv2d_backward_filter_path(ConvShape{6, 12, 12, 16, 5, 1, 0}), ConvPath::Direct);
  EXPECT_EQ(conv2d_backward_filter_path(ConvShape{3, 9, 9, 4, 3, 2, 1}), ConvPath::Gemm);   // strided
  EXPECT_EQ(conv2d_backward_filter_path(ConvShape{8, 9, 9, 4, 1, 1, 0}), ConvPath::Gemm);   // pointwise
  EXPECT_EQ(conv2d_backward_filter_path(ConvShape{2, 12, 12, 4, 7, 1, 3}), ConvPath::Gemm); // 14 accumulators would spill
}

TEST(KernelConv, DirectAndGemmBackwardFilterMatchScalarBitExact) {
  uint64_t seed = 900;
  for (int k : {2, 3, 4, 5, 6})
    for (int pad : {0, 1, 2})
      for (int C : {1, 2, 3})
        for (int F : {1, 3, 6, 8, 9, 16, 17})
          for (int OW : {1, 3, 8, 9, 17}) {
            const int W = OW + k - 1 - 2 * pad, H = (OW % 5) + k + 1 - 2 * pad;
            if (W < 1 || H < 1) continue;
            if (C > 1 && F % 2 == 0 && k != 5) continue;
            check_filter_paths(ConvShape{C, H, W, F, k, 1, pad}, seed++);
            if (HasFatalFailure()) return;
          }
  check_filter_paths(ConvShape{1, 28, 28, 6, 5, 1, 0}, 5);
  check_filter_paths(ConvShape{6, 12, 12, 16, 5, 1, 0}, 6);
  check_filter_paths(ConvShape{6, 14, 14, 16, 5, 1, 2}, 7);
}

TEST(KernelConv, ForwardPathRuleIsFromTheShape) {
  EXPECT_EQ(conv2d_forward_path(ConvShape{1, 28, 28, 6, 5, 1, 0}), ConvPath::Direct);
  EXPECT_EQ(conv2d_forward_path(ConvShape{6, 12, 12, 16, 5, 1, 0}), ConvPath::Direct);
  EXPECT_EQ(conv2d_forward_path(ConvShape{3, 9, 9, 4, 3, 2, 1}), ConvPath::Gemm);   // strided
  EXPECT_EQ(conv2d_forward_path(ConvShape{8, 9, 9, 4, 1, 1, 0}), ConvPath::Gemm);   // pointwise
}

TEST(KernelConv, DirectAndGemmForwardMatchScalarBitExact) {
  uint64_t seed = 500;
  for (int k : {1, 2, 3, 5})
    for (int pad : {0, 1, 2})
      for (int C : {1, 2, 3})
        for (int F = 1; F <= 9; F++)
          for (int OW : {1, 3, 7, 8, 9, 15, 16, 17}) {
            const int W = OW + k - 1 - 2 * pad, H = (OW % 5) + k + 1 - 2 * pad;  // odd and even heights
            if (W < 1 || H < 1) continue;
            if (C > 1 && F % 2 == 0 && k != 5) continue;  // a thinner grid where it adds nothing new
            check_forward_paths(ConvShape{C, H, W, F, k, 1, pad}, seed++);
            if (HasFatalFailure()) return;
          }
  check_forward_paths(ConvShape{1, 28, 28, 6, 5, 1, 0}, 1);
  check_forward_paths(ConvShape{6, 12, 12, 16, 5, 1, 0}, 2);
  check_forward_paths(ConvShape{6, 14, 14, 16, 5, 1, 2}, 3);
  check_forward_paths(ConvShape{5, 11, 13, 7, 4, 1, 1}, 4);  // k 4: the generic (runtime k) kernel
}

TEST(KernelConv, SimdMatchesScalarBitExactSweep) {
  uint64_t seed = 1;
  for (int k : {1, 2, 3, 5})
    for (int s : {1, 2})
      for (int pad : {0, 1, 2})
        for (int C : {1, 2, 3})
          for (int HW : {5, 6, 9, 13})
            for (int F : {1, 5, 6, 7, 13}) {
              if (HW + 2 * pad < k) continue;
              check(ConvShape{C, HW, HW + (F % 3), F, k, s, pad}, seed++);
              if (HasFatalFailure()) return;
            }
}

TEST(KernelConv, LeNetShapes) {
  check(ConvShape{1, 28, 28, 6, 5, 1, 0}, 11);
  check(ConvShape{6, 12, 12, 16, 5, 1, 0}, 12);
  check(ConvShape{3, 32, 32, 8, 3, 1, 1}, 13);
}

// Backward-data and backward-filter are the adjoints of forward: <dy, conv(x)> = <conv_dataᵀ(dy), x> = <dw, w>.
TEST(KernelConv, BackwardIsAdjointOfForward) {
  const ConvShape sh{2, 7, 8, 3, 3, 2, 1};
  Rng r(3);
  const size_t xin = 2 * 7 * 8, yout = 3 * sh.OH() * sh.OW(), wn = 3 * 2 * 9;
  auto x = ktest::random_vec(xin, r), w = ktest::random_vec(wn, r), dy = ktest::random_vec(yout, r);
  std::vector<float> y(yout), dx(xin, 0.0f), dw(wn, 0.0f), db(3, 0.0f), work(conv2d_workspace_floats(sh));
  f32_conv2d_forward(sh, y.data(), x.data(), w.data(), nullptr, work.data());
  f32_conv2d_backward_data(sh, dx.data(), dy.data(), w.data(), work.data());
  f32_conv2d_backward_filter(sh, dw.data(), db.data(), dy.data(), x.data(), work.data());
  double a = 0, b = 0, c = 0;
  for (size_t i = 0; i < yout; i++) a += static_cast<double>(dy[i]) * y[i];
  for (size_t i = 0; i < xin; i++) b += static_cast<double>(dx[i]) * x[i];
  for (size_t i = 0; i < wn; i++) c += static_cast<double>(dw[i]) * w[i];
  EXPECT_NEAR(a, b, 1e-4 * (std::fabs(a) + 1));
  EXPECT_NEAR(a, c, 1e-4 * (std::fabs(a) + 1));
}
