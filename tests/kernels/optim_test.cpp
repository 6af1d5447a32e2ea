// SGD and Adam update kernel tests: SIMD against the scalar reference bit for bit (weights, saved
// copies, moments, the eight partial norms, the finiteness verdict), every length 1..41 and a long
// run, each regularization, zeros and non-finite values; and the references against the rules
// written out.
#include <cfloat>
#include <cmath>
#include <limits>
#include "kernels/internal.h"
#include "test_util.h"

using namespace nnplay::kernels;
using ktest::Rng;

namespace {

struct Out { std::vector<float> w, prev; double norms[8]; bool ok; };

Out run(bool simd, const std::vector<float>& w0, const std::vector<float>& g, float lr, Reg reg, float rate) {
  Out o{w0, std::vector<float>(w0.size(), 777.0f), {0.5, 0, 0, 0, 1.5, 0, 0, 0}, false};  // norms accumulate onto what is there
  o.ok = (simd ? f32_sgd_update__wasmsimd : f32_sgd_update__scalar)(w0.size(), o.w.data(), o.prev.data(), g.data(), lr, reg,
                                                                     rate, o.norms);
  return o;
}

void compare(const std::vector<float>& w0, const std::vector<float>& g, float lr, Reg reg, float rate) {
  const Out s = run(true, w0, g, lr, reg, rate), r = run(false, w0, g, lr, reg, rate);
  const size_t n = w0.size();
  SCOPED_TRACE(::testing::Message() << "n=" << n << " reg=" << int(reg) << " lr=" << lr);
  EXPECT_EQ(ktest::count_bit_mismatches(s.w.data(), r.w.data(), n, "weights"), 0u);
  EXPECT_EQ(ktest::count_bit_mismatches(s.prev.data(), w0.data(), n, "saved copy"), 0u);
  for (int j = 0; j < 8; j++)
    EXPECT_TRUE(s.norms[j] == r.norms[j] || (std::isnan(s.norms[j]) && std::isnan(r.norms[j])))
        << "partial norm " << j << ": " << s.norms[j] << " vs " << r.norms[j];
  EXPECT_EQ(s.ok, r.ok);
  // The reference is the rule itself: w - lr (g + reg), in float; norms are the exact double sums by i mod 4.
  double want[8] = {0.5, 0, 0, 0, 1.5, 0, 0, 0};
  bool finite = true;
  for (size_t i = 0; i < n; i++) {
    float gi = g[i];
    if (reg == Reg::L2) gi += rate * w0[i];
    if (reg == Reg::L1) gi += rate * (w0[i] > 0 ? 1.0f : w0[i] < 0 ? -1.0f : 0.0f);
    const float nw = w0[i] - lr * gi;
    if (ktest::bits(r.w[i]) != ktest::bits(nw) && !(std::isnan(nw) && std::isnan(r.w[i]))) { ADD_FAILURE() << "rule at " << i; break; }
    finite = finite && std::isfinite(nw);
    want[i % 4] += (double)w0[i] * w0[i];
    want[4 + i % 4] += ((double)nw - w0[i]) * ((double)nw - w0[i]);
  }
  EXPECT_EQ(r.ok, finite);
  if (finite) {
    for (int j = 0; j < 8; j++) EXPECT_EQ(r.norms[j], want[j]) << "reference partial norm " << j;
  }
}

}  // namespace

TEST(KernelSgd, SimdMatchesScalarEveryLengthAndRegularization) {
  Rng rng(7);
  for (Reg reg : {Reg::None, Reg::L1, Reg::L2})
    for (size_t n : {1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40, 41, 4099}) {
      auto w = ktest::random_vec(n, rng), g = ktest::random_vec(n, rng, -3.0f, 3.0f);
      if (n > 4) {  // sign(0) is 0 under L1
        w[3] = 0.0f;
        w[n - 1] = -0.0f;
      }
      compare(w, g, 0.03f, reg, 0.01f);
    }
}

TEST(KernelSgd, NonFiniteWeightsAreReportedInEveryLane) {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  Rng rng(8);
  for (size_t n : {1, 3, 4, 5, 8, 13})
    for (size_t at = 0; at < n; at++)
      for (int kind = 0; kind < 3; kind++) {
        auto w = ktest::random_vec(n, rng), g = ktest::random_vec(n, rng);
        if (kind == 0) g[at] = nan;
        if (kind == 1) g[at] = inf;
        if (kind == 2) g[at] = FLT_MAX, w[at] = -FLT_MAX;  // finite inputs, the step overflows
        compare(w, g, kind == 2 ? 10.0f : 0.1f, Reg::None, 0.0f);
        EXPECT_FALSE(run(true, w, g, kind == 2 ? 10.0f : 0.1f, Reg::None, 0.0f).ok) << "n=" << n << " at=" << at << " kind=" << kind;
      }
}

namespace {

struct AdamOut { std::vector<float> w, prev, m, pm, v, pv; double norms[8]; bool ok; };

AdamOut run_adam(bool simd, const std::vector<float>& w0, const std::vector<float>& m0, const std::vector<float>& v0,
                 const std::vector<float>& g, const AdamRule& k, Reg reg, float rate) {
  const size_t n = w0.size();
  AdamOut o{w0, std::vector<float>(n, 777.0f), m0, std::vector<float>(n, 777.0f), v0, std::vector<float>(n, 777.0f),
            {0.5, 0, 0, 0, 1.5, 0, 0, 0}, false};
  o.ok = (simd ? f32_adam_update__wasmsimd : f32_adam_update__scalar)(n, o.w.data(), o.prev.data(), o.m.data(), o.pm.data(), o.v.data(),
                                                                       o.pv.data(), g.data(), k, reg, rate, o.norms);
  return o;
}

void compare_adam(const std::vector<float>& w0, const std::vector<float>& m0, const std::vector<float>& v0, const std::vector<float>& g,
                  const AdamRule& k, Reg reg, float rate) {
  const AdamOut s = run_adam(true, w0, m0, v0, g, k, reg, rate), r = run_adam(false, w0, m0, v0, g, k, reg, rate);
  const size_t n = w0.size();
  SCOPED_TRACE(::testing::Message() << "adam n=" << n << " reg=" << int(reg));
  EXPECT_EQ(ktest::count_bit_mismatches(s.w.data(), r.w.data(), n, "weights"), 0u);
  EXPECT_EQ(ktest::count_bit_mismatches(s.m.data(), r.m.data(), n, "first moment"), 0u);
  EXPECT_EQ(ktest::count_bit_mismatches(s.v.data(), r.v.data(), n, "second moment"), 0u);
  EXPECT_EQ(ktest::count_bit_mismatches(s.prev.data(), w0.data(), n, "saved weights"), 0u);
  EXPECT_EQ(ktest::count_bit_mismatches(s.pm.data(), m0.data(), n, "saved first moment"), 0u);
  EXPECT_EQ(ktest::count_bit_mismatches(s.pv.data(), v0.data(), n, "saved second moment"), 0u);
  for (int j = 0; j < 8; j++)
    EXPECT_TRUE(s.norms[j] == r.norms[j] || (std::isnan(s.norms[j]) && std::isnan(r.norms[j])))
        << "partial norm " << j << ": " << s.norms[j] << " vs " << r.norms[j];
  EXPECT_EQ(s.ok, r.ok);
  // The reference is the rule itself, in float; norms are the exact double sums by i mod 4.
  double want[8] = {0.5, 0, 0, 0, 1.5, 0, 0, 0};
  bool finite = true;
  for (size_t i = 0; i < n; i++) {
    float gi = g[i];
    if (reg == Reg::L2) gi += rate * w0[i];
    if (reg == Reg::L1) gi += rate * (w0[i] > 0 ? 1.0f : w0[i] < 0 ? -1.0f : 0.0f);
    const float mi = k.beta1 * m0[i] + (1.0f - k.beta1) * gi, vi = k.beta2 * v0[i] + (1.0f - k.beta2) * (gi * gi);
    const float nw = w0[i] - k.lr * (mi / k.c1) / (std::sqrt(vi / k.c2) + k.eps);
    if (ktest::bits(r.w[i]) != ktest::bits(nw) && !(std::isnan(nw) && std::isnan(r.w[i]))) { ADD_FAILURE() << "rule at " << i; break; }
    finite = finite && std::isfinite(nw) && std::isfinite(mi) && std::isfinite(vi);
    want[i % 4] += (double)w0[i] * w0[i];
    want[4 + i % 4] += ((double)nw - w0[i]) * ((double)nw - w0[i]);
  }
  EXPECT_EQ(r.ok, finite);
  if (finite) {
    for (int j = 0; j < 8; j++) EXPECT_EQ(r.norms[j], want[j]) << "reference partial norm " << j;
  }
}

}  // namespace

TEST(KernelAdam, SimdMatchesScalarEveryLengthAndRegularization) {
  Rng rng(17);
  const AdamRule k{0.001f, 0.9f, 0.999f, 1e-8f, 1.0f - 0.9f * 0.9f * 0.9f, 1.0f - 0.999f * 0.999f * 0.999f};  // step 3
  for (Reg reg : {Reg::None, Reg::L1, Reg::L2})
    for (size_t n : {1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40, 41, 4099}) {
      auto w = ktest::random_vec(n, rng), g = ktest::random_vec(n, rng, -3.0f, 3.0f);
      auto m = ktest::random_vec(n, rng, -0.1f, 0.1f), v = ktest::random_vec(n, rng, 0.0f, 0.01f);
      if (n > 4) {
        w[3] = 0.0f;
        w[n - 1] = -0.0f;
        v[2] = 0.0f, m[2] = 0.0f, g[2] = 0.0f;  // a zero moment: the update is 0 / (0 + eps)
      }
      compare_adam(w, m, v, g, k, reg, 0.01f);
    }
}

TEST(KernelAdam, NonFiniteValuesAreReportedInEveryLane) {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  const AdamRule k{0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, 0.001f};
  Rng rng(18);
  for (size_t n : {1, 3, 4, 5, 8, 13})
    for (size_t at = 0; at < n; at++)
      for (int kind = 0; kind < 3; kind++) {
        auto w = ktest::random_vec(n, rng), g = ktest::random_vec(n, rng);
        auto m = ktest::random_vec(n, rng, -0.1f, 0.1f), v = ktest::random_vec(n, rng, 0.0f, 0.01f);
        if (kind == 0) g[at] = nan;
        if (kind == 1) g[at] = inf;
        if (kind == 2) g[at] = 1e30f;  // finite, but its square overflows the second moment
        compare_adam(w, m, v, g, k, Reg::None, 0.0f);
        EXPECT_FALSE(run_adam(true, w, m, v, g, k, Reg::None, 0.0f).ok) << "n=" << n << " at=" << at << " kind=" << kind;
      }
}
