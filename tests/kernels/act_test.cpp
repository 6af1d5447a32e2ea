// Activation kernel tests (engine/kernels/act): SIMD vs scalar bit for bit over every length
// 1..2x4+1 and longer, special values included; our exp/tanh/sigmoid against libm in double
// within a few ulp; ELU, GELU and SiLU against their formulas in double, and their derivatives
// against central differences. The bias kernels: bias_test.cpp.
#include <cfloat>
#include <cmath>
#include "kernels/internal.h"
#include "test_util.h"

using namespace nnplay::kernels;
using ktest::Rng;

namespace {
std::vector<float> act_inputs(size_t n, uint64_t seed) {
  Rng r(seed);
  const float special[] = {0.0f, -0.0f, 1e-30f, -1e-30f, 0.625f, -0.625f, 0.62499994f, 88.7f, 88.8f, -87.3f, -87.4f,
                           -100.0f, 100.0f, INFINITY, -INFINITY, 9.0f, -9.0f, 1e-3f, 20.0f};
  std::vector<float> v(n);
  for (size_t i = 0; i < n; i++) v[i] = (i % 5 == 4) ? special[(i / 5) % (sizeof special / sizeof *special)] : r.uniform(-12.0f, 12.0f);
  return v;
}
const Act kActs[] = {Act::Linear, Act::Sigmoid, Act::Tanh, Act::Relu, Act::LeakyRelu, Act::Step, Act::Elu, Act::Gelu, Act::Silu};
}  // namespace

TEST(KernelAct, ForwardSimdMatchesScalarBitExact) {
  for (Act a : kActs)
    for (size_t n : {1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 100, 1001}) {
      auto x = act_inputs(n, n + 17 * static_cast<int>(a));
      std::vector<float> ys(n, -7.0f), yr(n, -9.0f);
      f32_act_forward__wasmsimd(n, a, 0.01f, ys.data(), x.data());
      f32_act_forward__scalar(n, a, 0.01f, yr.data(), x.data());
      ASSERT_EQ(ktest::count_bit_mismatches(ys.data(), yr.data(), n, "act forward"), 0u) << "act " << int(a) << " n " << n;
    }
}

TEST(KernelAct, BackwardSimdMatchesScalarBitExact) {
  for (Act a : kActs)
    for (size_t n : {1, 2, 3, 4, 5, 7, 8, 9, 100, 1001}) {
      auto x = act_inputs(n, n), dy = act_inputs(n, n + 1);
      std::vector<float> y(n), ds(n), dr(n);
      f32_act_forward__scalar(n, a, 0.2f, y.data(), x.data());
      f32_act_backward__wasmsimd(n, a, 0.2f, ds.data(), dy.data(), x.data(), y.data());
      f32_act_backward__scalar(n, a, 0.2f, dr.data(), dy.data(), x.data(), y.data());
      ASSERT_EQ(ktest::count_bit_mismatches(ds.data(), dr.data(), n, "act backward"), 0u) << "act " << int(a) << " n " << n;
    }
}

TEST(KernelAct, ForwardValues) {
  const float x[] = {-2.0f, -0.0f, 0.5f, 3.0f};
  float y[4];
  f32_act_forward(4, Act::Relu, 0, y, x);
  EXPECT_EQ(y[0], 0.0f); EXPECT_EQ(y[2], 0.5f); EXPECT_EQ(y[3], 3.0f);
  f32_act_forward(4, Act::LeakyRelu, 0.1f, y, x);
  EXPECT_FLOAT_EQ(y[0], -0.2f); EXPECT_EQ(y[3], 3.0f);
  f32_act_forward(4, Act::Step, 0, y, x);
  EXPECT_EQ(y[0], 0.0f); EXPECT_EQ(y[1], 0.0f); EXPECT_EQ(y[2], 1.0f);
  const float nanx = NAN;
  f32_act_forward(1, Act::Relu, 0, y, &nanx);
  EXPECT_TRUE(std::isnan(y[0])) << "ReLU must let a NaN through so divergence is seen";
}

TEST(KernelMath, ExpTanhSigmoidCloseToLibm) {
  double worst_exp = 0, worst_tanh = 0, worst_sig = 0;
  for (int i = -200000; i <= 200000; i++) {
    const float x = static_cast<float>(i) * (87.0f / 200000.0f);
    const double e = std::exp(static_cast<double>(x));
    worst_exp = std::max(worst_exp, std::fabs(nn_expf(x) - e) / e);
    const float t = x / 8.0f;
    const double te = std::tanh(static_cast<double>(t));
    if (te != 0) worst_tanh = std::max(worst_tanh, std::fabs(nn_tanhf(t) - te) / std::fabs(te));
    const double se = 1.0 / (1.0 + std::exp(-static_cast<double>(t)));
    worst_sig = std::max(worst_sig, std::fabs(nn_sigmoidf(t) - se) / se);
  }
  EXPECT_LT(worst_exp, 4 * FLT_EPSILON);
  EXPECT_LT(worst_tanh, 8 * FLT_EPSILON);
  EXPECT_LT(worst_sig, 8 * FLT_EPSILON);
  EXPECT_EQ(nn_expf(0.0f), 1.0f);
  EXPECT_EQ(nn_expf(89.0f), INFINITY);
  EXPECT_EQ(nn_expf(-88.0f), 0.0f);
  EXPECT_TRUE(std::isnan(nn_expf(NAN)));
  EXPECT_EQ(nn_tanhf(20.0f), 1.0f);
  EXPECT_EQ(nn_tanhf(-20.0f), -1.0f);
  EXPECT_EQ(nn_tanhf(0.0f), 0.0f);
  EXPECT_EQ(nn_sigmoidf(-100.0f), 0.0f);
  EXPECT_EQ(nn_sigmoidf(100.0f), 1.0f);
}

namespace {
double elu_d(double x) { return x > 0 ? x : std::expm1(x); }
double gelu_d(double x) { return 0.5 * x * (1.0 + std::tanh(0.7978845608028654 * (x + 0.044715 * x * x * x))); }
double silu_d(double x) { return x / (1.0 + std::exp(-x)); }
}  // namespace

TEST(KernelAct, EluGeluSiluMatchTheirFormulas) {
  struct F { Act a; double (*f)(double); const char* name; };
  for (const F& fn : {F{Act::Elu, elu_d, "elu"}, F{Act::Gelu, gelu_d, "gelu"}, F{Act::Silu, silu_d, "silu"}}) {
    SCOPED_TRACE(fn.name);
    const size_t n = 4001;
    std::vector<float> x(n), y(n), dy(n, 1.0f), dx(n);
    for (size_t i = 0; i < n; i++) x[i] = -10.0f + 20.0f * static_cast<float>(i) / static_cast<float>(n - 1);
    f32_act_forward(n, fn.a, 0, y.data(), x.data());
    f32_act_backward(n, fn.a, 0, dx.data(), dy.data(), x.data(), y.data());
    for (size_t i = 0; i < n; i++) {
      const double xd = x[i], want = fn.f(xd);
      // Absolute error near the zeros of f (x e^x - 1 cancels for ELU near 0), relative elsewhere.
      EXPECT_LE(std::fabs(y[i] - want), 8 * FLT_EPSILON * std::max(1.0, std::fabs(want))) << "x " << xd;
      const double h = 1e-6 * std::max(1.0, std::fabs(xd));
      const double fd = (fn.f(xd + h) - fn.f(xd - h)) / (2 * h);
      EXPECT_LE(std::fabs(dx[i] - fd), 2e-5 * std::max(1.0, std::fabs(fd))) << "derivative at x " << xd;
    }
  }
  const float probe[] = {-100.0f, -0.0f, 0.0f, 100.0f, INFINITY};
  float y[5];
  f32_act_forward(5, Act::Elu, 0, y, probe);
  EXPECT_EQ(y[0], -1.0f); EXPECT_EQ(y[2], 0.0f); EXPECT_EQ(y[3], 100.0f); EXPECT_EQ(y[4], INFINITY);
  f32_act_forward(5, Act::Gelu, 0, y, probe);
  EXPECT_EQ(y[0], 0.0f); EXPECT_EQ(y[2], 0.0f); EXPECT_EQ(y[3], 100.0f);
  f32_act_forward(5, Act::Silu, 0, y, probe);
  EXPECT_EQ(y[0], 0.0f); EXPECT_EQ(y[2], 0.0f); EXPECT_EQ(y[3], 100.0f);
  const float nanx = NAN;
  for (Act a : {Act::Elu, Act::Gelu, Act::Silu}) {
    f32_act_forward(1, a, 0, y, &nanx);
    EXPECT_TRUE(std::isnan(y[0])) << "act " << int(a) << " must let a NaN through";
  }
}
