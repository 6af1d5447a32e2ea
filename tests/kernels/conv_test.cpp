// conv2d kernel tests: the batched SIMD versions (direct forward with every tile shape and the fused
// activation, im2col + GEMM, the direct and GEMM backward-data and backward-filter) against the
// scalar references bit for bit over batch sizes, channels, filters, widths, kernels, strides and
// padding; the path and tile rules; the forward reference against a double-precision sum; the
// backward passes as adjoints of the forward.
#include <cfloat>
#include <cmath>
#include <limits>
#include "kernels/internal.h"
#include "test_util.h"

using namespace nnplay::kernels;
using ktest::Rng;

namespace {

std::string describe(const ConvShape& sh, size_t n) {
  return testing::PrintToString(n) + " images C" + std::to_string(sh.C) + " H" + std::to_string(sh.H) + " W" + std::to_string(sh.W) + " F" +
         std::to_string(sh.F) + " k" + std::to_string(sh.k) + " s" + std::to_string(sh.s) + " pad" + std::to_string(sh.pad);
}
size_t xin(const ConvShape& sh) { return static_cast<size_t>(sh.C) * sh.H * sh.W; }
size_t yout(const ConvShape& sh) { return static_cast<size_t>(sh.F) * sh.OH() * sh.OW(); }
size_t wn(const ConvShape& sh) { return static_cast<size_t>(sh.F) * sh.C * sh.k * sh.k; }

// The forward (y and the fused a) of every path and tile against the scalar reference; nothing is
// written past y or a, nor past the workspace.
void check_forward(const ConvShape& sh, size_t n, uint64_t seed, Act act, bool with_bias) {
  Rng r(seed);
  auto x = ktest::random_vec(n * xin(sh), r), w = ktest::random_vec(wn(sh), r), bias = ktest::random_vec(sh.F, r);
  const float* b = with_bias ? bias.data() : nullptr;
  SCOPED_TRACE(describe(sh, n) + " act " + std::to_string(static_cast<int>(act)) + (with_bias ? " bias" : ""));
  const size_t ny = n * yout(sh);
  std::vector<float> yr(ny), ar(ny);
  f32_conv2d_forward__scalar(sh, n, yr.data(), ar.data(), act, 0.07f, x.data(), w.data(), b, nullptr);
  struct Way { ConvPath path; ConvTile tile; };
  std::vector<Way> ways = {{ConvPath::Gemm, {}}};
  if (sh.s == 1)
    for (ConvTile t : {ConvTile{}, ConvTile{4, 2}, ConvTile{2, 4}, ConvTile{4, 1}, ConvTile{1, 1}, ConvTile{3, 2}, ConvTile{1, 4}})
      ways.push_back({ConvPath::Direct, t});
  for (const Way& way : ways) {
    SCOPED_TRACE(testing::Message() << (way.path == ConvPath::Gemm ? "gemm" : "direct") << " tile R" << way.tile.R << " NV" << way.tile.NV);
    std::vector<float> work(conv2d_workspace_floats(sh) + 1, 777.0f), ys(ny + 1, -5.0f), as(ny + 1, -5.0f);
    conv_path_override = way.path;
    conv_tile_override = way.tile;
    f32_conv2d_forward__wasmsimd(sh, n, ys.data(), as.data(), act, 0.07f, x.data(), w.data(), b, work.data());
    conv_path_override = ConvPath::Auto;
    conv_tile_override = ConvTile{};
    ASSERT_EQ(ktest::count_bit_mismatches(ys.data(), yr.data(), ny, "forward y"), 0u);
    ASSERT_EQ(ktest::count_bit_mismatches(as.data(), ar.data(), ny, "forward a"), 0u);
    ASSERT_EQ(ys.back(), -5.0f) << "wrote past y";
    ASSERT_EQ(as.back(), -5.0f) << "wrote past a";
    ASSERT_EQ(work.back(), 777.0f) << "workspace overrun";
  }
}

// Backward-data (dx overwritten: it starts as garbage) and backward-filter (dw, dbias accumulate
// onto random values) of every path against the scalar references.
void check_backward(const ConvShape& sh, size_t n, uint64_t seed, const std::vector<float>* weights = nullptr) {
  Rng r(seed);
  auto x = ktest::random_vec(n * xin(sh), r), dy = ktest::random_vec(n * yout(sh), r);
  auto w = weights ? *weights : ktest::random_vec(wn(sh), r);
  auto dw0 = ktest::random_vec(wn(sh), r), db0 = ktest::random_vec(sh.F, r);
  SCOPED_TRACE(describe(sh, n));
  const size_t nx = n * xin(sh);
  std::vector<float> dxr(nx, 3.0f);
  f32_conv2d_backward_data__scalar(sh, n, dxr.data(), dy.data(), w.data(), nullptr);
  std::vector<float> work(conv2d_workspace_floats(sh) + 1, 777.0f), dxs(nx + 1, -5.0f);
  f32_conv2d_backward_data__wasmsimd(sh, n, dxs.data(), dy.data(), w.data(), work.data());
  ASSERT_EQ(ktest::count_bit_mismatches(dxs.data(), dxr.data(), nx, "backward-data"), 0u);
  ASSERT_EQ(dxs.back(), -5.0f) << "wrote past dx";
  ASSERT_EQ(work.back(), 777.0f) << "workspace overrun (backward-data)";
  auto dwr = dw0, dbr = db0;
  f32_conv2d_backward_filter__scalar(sh, n, dwr.data(), dbr.data(), dy.data(), x.data(), nullptr);
  for (ConvPath p : {ConvPath::Direct, ConvPath::Gemm}) {
    if (p == ConvPath::Direct && sh.s != 1) continue;
    auto dws = dw0, dbs = db0;
    conv_filter_path_override = p;
    f32_conv2d_backward_filter__wasmsimd(sh, n, dws.data(), dbs.data(), dy.data(), x.data(), work.data());
    conv_filter_path_override = ConvPath::Auto;
    const char* what = p == ConvPath::Direct ? "direct backward-filter" : "gemm backward-filter";
    ASSERT_EQ(ktest::count_bit_mismatches(dws.data(), dwr.data(), wn(sh), what), 0u);
    ASSERT_EQ(ktest::count_bit_mismatches(dbs.data(), dbr.data(), sh.F, what), 0u);
    ASSERT_EQ(work.back(), 777.0f) << "workspace overrun (backward-filter)";
  }
}

// The shapes of LeNet-5 as the bench runs it (no padding) and as the page's preset does (conv1 pad 2).
const ConvShape kLeNet[] = {{1, 28, 28, 6, 5, 1, 0}, {6, 12, 12, 16, 5, 1, 0}, {1, 28, 28, 6, 5, 1, 2}, {6, 14, 14, 16, 5, 1, 0}};

}  // namespace

TEST(KernelConv, PathRulesAreFromTheShape) {
  for (const ConvShape& sh : kLeNet) {
    EXPECT_EQ(conv2d_forward_path(sh), ConvPath::Direct);
    EXPECT_EQ(conv2d_backward_filter_path(sh), ConvPath::Direct);
  }
  EXPECT_EQ(conv2d_forward_path(ConvShape{3, 9, 9, 4, 3, 2, 1}), ConvPath::Gemm);            // strided
  EXPECT_EQ(conv2d_forward_path(ConvShape{8, 9, 9, 4, 1, 1, 0}), ConvPath::Gemm);            // pointwise
  EXPECT_EQ(conv2d_backward_filter_path(ConvShape{3, 9, 9, 4, 3, 2, 1}), ConvPath::Gemm);
  EXPECT_EQ(conv2d_backward_filter_path(ConvShape{8, 9, 9, 4, 1, 1, 0}), ConvPath::Gemm);
  EXPECT_EQ(conv2d_backward_filter_path(ConvShape{2, 12, 12, 4, 7, 1, 3}), ConvPath::Direct);  // any k: taps go in groups
}

TEST(KernelConv, ForwardTileRuleIsFromTheShape) {
  const ConvTile c2 = conv2d_forward_tile(ConvShape{6, 12, 12, 16, 5, 1, 0});       // 16 filters, 8 columns
  EXPECT_EQ(c2.R, 4);
  EXPECT_EQ(c2.NV, 2);
  const ConvTile c1 = conv2d_forward_tile(ConvShape{1, 28, 28, 6, 5, 1, 2});        // 6 filters, 28 columns
  EXPECT_EQ(c1.R, 2);
  EXPECT_EQ(c1.NV, 4);
  for (int F = 1; F <= 20; F++)
    for (int OW = 1; OW <= 40; OW++) {
      const ConvTile t = conv2d_forward_tile(ConvShape{2, 8, OW + 2, F, 3, 1, 0});
      EXPECT_TRUE((t.R == 4 && t.NV == 2) || (t.R == 2 && t.NV == 4) || (t.R == 4 && t.NV == 1)) << F << " " << OW;
    }
}

// Filters 1..2*4+1, output widths 1..2*8+1 (the tiles' 4 filters and up to 16 columns), odd and even
// heights, kernels 1..6, padding 0..2, channels 1..3, batches of 1 and 3, every tile and the GEMM.
TEST(KernelConv, ForwardMatchesScalarBitExactSweep) {
  uint64_t seed = 500;
  for (int k : {1, 2, 3, 5, 6})
    for (int pad = 0; pad <= 2 && pad < k; pad++)
      for (int C : {1, 2, 3})
        for (int F = 1; F <= 9; F++)
          for (int OW : {1, 3, 4, 7, 8, 9, 12, 15, 16, 17}) {
            const int W = OW + k - 1 - 2 * pad, H = (OW % 5) + k + 1 - 2 * pad;
            if (W < 1 || H < 1) continue;
            if (C > 1 && F % 2 == 0 && k != 5) continue;  // a thinner grid where it adds nothing new
            check_forward(ConvShape{C, H, W, F, k, 1, pad}, seed % 2 ? 3 : 1, seed, Act::Relu, seed % 3 != 0);
            seed++;
            if (HasFatalFailure()) return;
          }
}

// Every activation through the fused epilogue (piecewise-linear ones) or the image-level pass
// (sigmoid, tanh), on the direct path and the strided GEMM path.
TEST(KernelConv, ForwardActivationsMatchScalarBitExact) {
  uint64_t seed = 700;
  for (Act a : {Act::Linear, Act::Sigmoid, Act::Tanh, Act::Relu, Act::LeakyRelu, Act::Step}) {
    check_forward(ConvShape{2, 9, 11, 5, 3, 1, 1}, 2, seed++, a, true);
    check_forward(ConvShape{2, 9, 11, 5, 3, 2, 1}, 2, seed++, a, true);
    if (HasFatalFailure()) return;
  }
}

TEST(KernelConv, StridedForwardMatchesScalarBitExact) {
  uint64_t seed = 800;
  for (int k : {1, 2, 3, 5})
    for (int s : {2, 3})
      for (int pad = 0; pad <= 2 && pad < k; pad++)
        for (int F : {1, 5, 9}) {
          check_forward(ConvShape{2, 11, 12, F, k, s, pad}, 2, seed++, Act::Relu, true);
          if (HasFatalFailure()) return;
        }
}

// Kernels 1..7, strides 1..2, padding, channels 1..5 (the backward-data
// tiles of 1, 2 and 4 channels and their tails), filters around the 4- and 8-lane groups, output
// widths 1..2*8+1 (vectors of positions and their masked tails), batches of 1..3.
TEST(KernelConv, BackwardMatchesScalarBitExactSweep) {
  uint64_t seed = 900;
  for (int k : {1, 2, 3, 4, 5, 6, 7})
    for (int s : {1, 2})
      for (int pad = 0; pad <= 2 && pad < k; pad++)
        for (int C : {1, 2, 3, 4, 5})
          for (int F : {1, 3, 4, 5, 8, 9, 17})
            for (int OW : {1, 3, 4, 5, 8, 9, 17}) {
              if ((C + F + OW + k) % 3 != 0 && !(C == 1 && F == 1)) continue;  // a third of the grid, every value of each axis
              const int W = (OW - 1) * s + k - 2 * pad, H = ((OW % 4) + 1) * s + k - 2 * pad;
              if (W < 1 || H < 1) continue;
              check_backward(ConvShape{C, H, W, F, k, s, pad}, 1 + seed % 3, seed);
              seed++;
              if (HasFatalFailure()) return;
            }
}

// The direct backward-filter keeps its accumulators across the images of a chunk, and across chunks
// through dw: a shape whose chunk is one image, over 3 images.
TEST(KernelConv, BackwardFilterOverSeveralChunks) {
  check_backward(ConvShape{1, 72, 70, 8, 3, 1, 1}, 3, 41);
  check_backward(ConvShape{2, 66, 66, 12, 5, 1, 2}, 2, 42);
}

// Every LeNet shape at a small batch and at the engine's batch of 32.
TEST(KernelConv, LeNetShapes) {
  uint64_t seed = 11;
  for (const ConvShape& sh : kLeNet) {
    check_forward(sh, 3, seed, Act::Relu, true);
    check_backward(sh, 3, seed + 1);
    check_forward(sh, 32, seed + 2, Act::Relu, true);
    check_backward(sh, 32, seed + 3);
    seed += 4;
    if (HasFatalFailure()) return;
  }
}

// An infinite weight: the reference skips the taps of positions outside the output, so the direct
// backward-data must mask the lanes past the last column (inf x the zero of a padded lane is NaN,
// and for the first taps that lane's dx column is inside the image). Output widths 9 and 7.
TEST(KernelConv, BackwardDataMasksLanesPastTheRow) {
  for (const ConvShape& sh : {ConvShape{2, 9, 11, 3, 3, 1, 0}, ConvShape{1, 7, 7, 2, 5, 1, 2}}) {
    Rng r(5);
    auto w = ktest::random_vec(wn(sh), r);
    w[0] = std::numeric_limits<float>::infinity();  // filter 0, channel 0, tap (0, 0)
    check_backward(sh, 2, 6, &w);
    if (HasFatalFailure()) return;
  }
}

// The forward reference against a double-precision sum, within the sum of |w x| scaled bound.
TEST(KernelConv, ForwardReferenceIsAccurate) {
  for (const ConvShape& sh : {ConvShape{3, 9, 8, 4, 3, 1, 1}, ConvShape{2, 11, 11, 3, 5, 2, 2}}) {
    Rng r(21);
    auto x = ktest::random_vec(xin(sh), r), w = ktest::random_vec(wn(sh), r), bias = ktest::random_vec(sh.F, r);
    std::vector<float> y(yout(sh));
    f32_conv2d_forward__scalar(sh, 1, y.data(), nullptr, Act::Linear, 0, x.data(), w.data(), bias.data(), nullptr);
    for (int f = 0; f < sh.F; f++)
      for (int oy = 0; oy < sh.OH(); oy++)
        for (int ox = 0; ox < sh.OW(); ox++) {
          double want = bias[f], scale = std::fabs(bias[f]);
          for (int c = 0; c < sh.C; c++)
            for (int ky = 0; ky < sh.k; ky++)
              for (int kx = 0; kx < sh.k; kx++) {
                const int iy = oy * sh.s + ky - sh.pad, ix = ox * sh.s + kx - sh.pad;
                if (iy < 0 || ix < 0 || iy >= sh.H || ix >= sh.W) continue;
                const double p = static_cast<double>(w[((f * sh.C + c) * sh.k + ky) * sh.k + kx]) * x[(c * sh.H + iy) * sh.W + ix];
                want += p, scale += std::fabs(p);
              }
          const float got = y[(f * sh.OH() + oy) * sh.OW() + ox];
          ASSERT_LE(std::fabs(got - want), 2.0 * (sh.C * sh.k * sh.k + 2) * FLT_EPSILON * scale);
        }
  }
}

// Backward-data and backward-filter are the adjoints of forward: <dy, conv(x)> = <conv_dataᵀ(dy), x> = <dw, w>,
// summed over a batch of 2.
TEST(KernelConv, BackwardIsAdjointOfForward) {
  for (const ConvShape& sh : {ConvShape{2, 7, 8, 3, 3, 2, 1}, ConvShape{3, 9, 9, 5, 3, 1, 1}}) {
    const size_t n = 2;
    Rng r(3);
    auto x = ktest::random_vec(n * xin(sh), r), w = ktest::random_vec(wn(sh), r), dy = ktest::random_vec(n * yout(sh), r);
    std::vector<float> y(n * yout(sh)), dx(n * xin(sh)), dw(wn(sh), 0.0f), db(sh.F, 0.0f), work(conv2d_workspace_floats(sh));
    f32_conv2d_forward(sh, n, y.data(), nullptr, Act::Linear, 0, x.data(), w.data(), nullptr, work.data());
    f32_conv2d_backward_data(sh, n, dx.data(), dy.data(), w.data(), work.data());
    f32_conv2d_backward_filter(sh, n, dw.data(), db.data(), dy.data(), x.data(), work.data());
    double a = 0, b = 0, c = 0;
    for (size_t i = 0; i < y.size(); i++) a += static_cast<double>(dy[i]) * y[i];
    for (size_t i = 0; i < x.size(); i++) b += static_cast<double>(dx[i]) * x[i];
    for (size_t i = 0; i < w.size(); i++) c += static_cast<double>(dw[i]) * w[i];
    EXPECT_NEAR(a, b, 1e-4 * (std::fabs(a) + 1));
    EXPECT_NEAR(a, c, 1e-4 * (std::fabs(a) + 1));
  }
}
