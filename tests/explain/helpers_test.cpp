// Explain tests, tutorial helpers: 1-D/2-D convolution vs cross-correlation (the kernel flip),
// pooling forward/backward on the 4x4 -> 2x2 example, activation curves from the engine's
// kernels, and the collapse of a deep linear network. Backprop explainers: lecture_test.cpp.
#include <gtest/gtest.h>
#include <cmath>
#include <memory>
#include <string>
#include <vector>
#include "nnplay/config.h"
#include "nnplay/explain.h"
#include "nnplay/session.h"

using namespace nnplay;
using namespace nnplay::explain;

namespace {
LayerSpec dense(int units, Activation act) { LayerSpec l; l.type = LayerType::Dense; l.units = units; l.act = act; return l; }
std::unique_ptr<Session> make(DataSet set, std::vector<LayerSpec> layers, uint64_t seed) {
  Config c = default_config();
  c.data.set = set;
  c.data.points = 50;
  c.layers = std::move(layers);
  c.train.init = Init::Uniform;
  c.train.init_range = 1.2f;
  c.seed = seed;
  std::string err;
  auto s = Session::create(c, &err);
  EXPECT_TRUE(s) << err;
  return s;
}
}  // namespace

TEST(ExplainSlide, OneDimensionalFlip) {
  const std::vector<double> f = {1, 2, 3, 4, 5}, g = {1, 0, -1};
  Slide corr, conv;
  ASSERT_EQ(slide1d(f, g, false, &corr), "");
  ASSERT_EQ(slide1d(f, g, true, &conv), "");
  ASSERT_EQ(corr.out.cols, 3);
  for (int n = 0; n < 3; ++n) {
    EXPECT_EQ(corr.out.at(0, n), -2.0);   // f[n] - f[n+2]
    EXPECT_EQ(conv.out.at(0, n), 2.0);    // f[n+2] - f[n]: the flipped kernel
    // the lecture's definition (f*g)(n') = sum_t f(t) g(n' - t), at n' = n + K - 1
    const int np = n + 2;
    double s = 0;
    for (int t = 0; t < 5; ++t)
      if (np - t >= 0 && np - t < 3) s += f[t] * g[np - t];
    EXPECT_EQ(conv.out.at(0, n), s);
  }
  EXPECT_EQ(conv.kernel_used.v, (std::vector<double>{-1, 0, 1}));
  ASSERT_EQ(conv.steps[1].terms.size(), 3u);
  EXPECT_EQ(conv.steps[1].terms[0].j, 1);   // input f[1] meets g[2]
  EXPECT_EQ(conv.steps[1].terms[0].kj, 2);
  EXPECT_EQ(conv.steps[1].terms[0].product, -2.0);
  EXPECT_NE(slide1d({1, 2}, g, false, &conv), "");
}

TEST(ExplainSlide, TwoDimensionalConvolutionIsCorrelationWithFlippedKernel) {
  Grid img, ker;
  img.resize(4, 5);
  ker.resize(2, 3);
  for (size_t i = 0; i < img.v.size(); ++i) img.v[i] = (double)((i * 7) % 11) - 5;
  for (size_t i = 0; i < ker.v.size(); ++i) ker.v[i] = (double)i - 2.5;
  Slide conv, corr_flipped;
  ASSERT_EQ(slide2d(img, ker, true, &conv), "");
  ASSERT_EQ(slide2d(img, conv.kernel_used, false, &corr_flipped), "");
  EXPECT_EQ(conv.out.rows, 3);
  EXPECT_EQ(conv.out.cols, 3);
  EXPECT_EQ(conv.out.v, corr_flipped.out.v);
  // (I*K)(i', j') = sum_m sum_n I(m, n) K(i' - m, j' - n) at i' = i + kh - 1, j' = j + kw - 1
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      double s = 0;
      for (int m = 0; m < 4; ++m)
        for (int n = 0; n < 5; ++n) {
          const int a = i + 1 - m, b = j + 2 - n;
          if (a >= 0 && a < 2 && b >= 0 && b < 3) s += img.at(m, n) * ker.at(a, b);
        }
      EXPECT_EQ(conv.out.at(i, j), s);
    }
}

TEST(ExplainPool, LectureGridMaxAndAverage) {
  const std::vector<float> x = lecture_pool_grid();
  ASSERT_EQ(x.size(), 16u);
  const std::vector<float> dy = {1, 2, 3, 4};
  PoolExplain mx, av;
  ASSERT_EQ(pool_explain(x, 4, 4, 2, 2, true, dy, &mx), "");
  ASSERT_EQ(pool_explain(x, 4, 4, 2, 2, false, dy, &av), "");
  EXPECT_EQ(mx.P, 2);
  EXPECT_EQ(mx.y, (std::vector<float>{7, 9, 8, 4}));
  ASSERT_EQ(mx.windows.size(), 4u);
  EXPECT_EQ(mx.windows[0].cells, (std::vector<int>{0, 1, 4, 5}));
  EXPECT_EQ(mx.windows[0].winner, 4);
  EXPECT_EQ(mx.windows[1].winner, 3);
  EXPECT_EQ(mx.windows[2].winner, 8);
  EXPECT_EQ(mx.windows[3].winner, 15);
  for (const PoolWindow& w : mx.windows) EXPECT_FALSE(w.tie);
  std::vector<float> want(16, 0.0f);
  want[4] = 1; want[3] = 2; want[8] = 3; want[15] = 4;
  EXPECT_EQ(mx.dx, want);                                 // the switch routes dy to the winner
  EXPECT_EQ(av.y, (std::vector<float>{3.75f, 4.25f, 4.75f, 2.5f}));
  EXPECT_EQ(av.windows[0].winner, -1);
  const std::vector<float> even = {0.25f, 0.25f, 0.5f, 0.5f, 0.25f, 0.25f, 0.5f, 0.5f,
                                   0.75f, 0.75f, 1, 1, 0.75f, 0.75f, 1, 1};
  EXPECT_EQ(av.dx, even);                                 // the even split dy / 4
}

TEST(ExplainPool, TiesGoToTheFirst) {
  PoolExplain r;
  ASSERT_EQ(pool_explain({2, 5, 5, 1}, 2, 2, 2, 2, true, {1}, &r), "");
  EXPECT_TRUE(r.windows[0].tie);
  EXPECT_EQ(r.windows[0].winner, 1);
  EXPECT_EQ(r.dx, (std::vector<float>{0, 1, 0, 0}));
  EXPECT_NE(pool_explain({1, 2, 3}, 2, 2, 2, 2, true, {}, &r), "");
  EXPECT_NE(pool_explain({1, 2, 3, 4}, 2, 2, 3, 1, true, {}, &r), "");
}

TEST(ExplainActivation, CurvesAndDerivatives) {
  ActivationCurve c;
  ASSERT_EQ(sample_activation(Activation::Sigmoid, 0, -4, 4, 9, &c), "");
  ASSERT_EQ(c.x.size(), 9u);
  EXPECT_EQ(c.x[4], 0.0f);
  EXPECT_EQ(c.y[4], 0.5f);
  EXPECT_EQ(c.dy[4], 0.25f);
  EXPECT_EQ(c.x[8], 4.0f);
  EXPECT_NEAR(c.y[8], 1 / (1 + std::exp(-4.0)), 1e-6);
  ASSERT_EQ(sample_activation(Activation::LeakyRelu, 0.1f, -2, 2, 5, &c), "");
  EXPECT_EQ(c.y, (std::vector<float>{-0.2f, -0.1f, 0, 1, 2}));
  EXPECT_EQ(c.dy, (std::vector<float>{0.1f, 0.1f, 0.1f, 1, 1}));  // at 0: the zero side
  ASSERT_EQ(sample_activation(Activation::Step, 0, -1, 1, 3, &c), "");
  EXPECT_EQ(c.y, (std::vector<float>{0, 0, 1}));
  EXPECT_EQ(c.dy, (std::vector<float>{0, 0, 0}));
  ASSERT_EQ(sample_activation(Activation::Relu, 0, -1, 1, 3, &c), "");
  EXPECT_EQ(c.y, (std::vector<float>{0, 0, 1}));
  ASSERT_EQ(sample_activation(Activation::Linear, 0, -1, 1, 3, &c), "");
  EXPECT_EQ(c.dy, (std::vector<float>{1, 1, 1}));
  // tanh: derivative 1 - y^2 agrees with a central difference of the sampled curve
  ASSERT_EQ(sample_activation(Activation::Tanh, 0, -3, 3, 601, &c), "");
  for (int i = 1; i + 1 < 601; i += 37) {
    const double fd = ((double)c.y[i + 1] - c.y[i - 1]) / ((double)c.x[i + 1] - c.x[i - 1]);
    EXPECT_NEAR(c.dy[i], fd, 2e-4 + 1e-3 * std::fabs(fd));
    EXPECT_NEAR(c.y[i], std::tanh((double)c.x[i]), 1e-6);
    EXPECT_EQ(c.y[i], activation(Activation::Tanh, 0, c.x[i]));
  }
  EXPECT_NE(sample_activation(Activation::Softmax, 0, -1, 1, 3, &c), "");
  EXPECT_NE(sample_activation(Activation::Tanh, 0, 1, -1, 3, &c), "");
  EXPECT_NE(sample_activation(Activation::Tanh, 0, -1, 1, 1, &c), "");
}

TEST(ExplainCollapse, DeepLinearNetIsOneAffineMap) {
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    auto s = make(DataSet::Circle, {dense(4, Activation::Linear), dense(3, Activation::Linear), dense(5, Activation::Linear),
                                    dense(1, seed == 3 ? Activation::Tanh : Activation::Linear)}, seed);
    ASSERT_TRUE(s);
    s->step(StepSize::Batch, 3);
    for (int k = 0; k < 5; ++k) {
      LinearCollapse c;
      ASSERT_EQ(linear_collapse(*s, ExampleRef{k % 2 == 1, k * 3}, &c), "");
      EXPECT_EQ(c.layers, 4);
      EXPECT_EQ(c.W.rows, 1);
      EXPECT_EQ(c.W.cols, 2);
      ASSERT_EQ(c.engine_a.size(), 1u);
      EXPECT_NEAR(c.a[0], c.engine_a[0], 1e-5 * (1 + std::fabs(c.engine_a[0])));
      EXPECT_LT(c.max_abs_diff, 1e-5 * (1 + std::fabs(c.engine_a[0])));
      EXPECT_NEAR(c.z[0], c.engine_z[0], 1e-5 * (1 + std::fabs(c.engine_z[0])));
      EXPECT_EQ(c.z[0], c.b[0] + c.W.at(0, 0) * c.x[0] + c.W.at(0, 1) * c.x[1]);
    }
  }
  // The product for a 2-layer net by hand: W = W2 W1, b = W2 b1 + b2.
  auto s = make(DataSet::Circle, {dense(2, Activation::Linear), dense(1, Activation::Linear)}, 7);
  ASSERT_TRUE(s);
  std::string e;
  const float w1[4] = {1, 2, 3, 4}, b1[2] = {0.5f, -1}, w2[2] = {2, -1}, b2 = 0.25f;
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(s->set_weight(0, false, i, w1[i], &e));
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(s->set_weight(0, true, i, b1[i], &e));
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(s->set_weight(1, false, i, w2[i], &e));
  ASSERT_TRUE(s->set_weight(1, true, 0, b2, &e));
  LinearCollapse c;
  ASSERT_EQ(linear_collapse(*s, ExampleRef{}, &c), "");
  EXPECT_EQ(c.W.at(0, 0), 2 * 1 - 1 * 3.0);
  EXPECT_EQ(c.W.at(0, 1), 2 * 2 - 1 * 4.0);
  EXPECT_EQ(c.b[0], 2 * 0.5 + 1 + 0.25);
  auto t = make(DataSet::Circle, {dense(3, Activation::Tanh), dense(1, Activation::Linear)}, 1);
  EXPECT_NE(linear_collapse(*t, ExampleRef{}, &c).find("not linear"), std::string::npos);
}
