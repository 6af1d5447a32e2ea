// Tests of the generated shapes set: determinism with a golden hash (native = wasm), balance,
// range, variety and learnability (nearest class mean), and the class names.
#include <gtest/gtest.h>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>
#include "src/images/images.h"
#include "test_util.h"

namespace {

using nnplay::kImagePixels;
using nnplay::kShapeClasses;

using Set = nnplay::testing_images::ImageSet<nnplay::make_shape_images>;
using nnplay::testing_images::fnv1a;

}  // namespace

TEST(ImagesShapes, SameSeedSameBytesGoldenHash) {
  Set a(140, 42), b(140, 42), c(140, 43), prefix(30, 42);
  EXPECT_EQ(std::memcmp(a.x.data(), b.x.data(), a.x.size() * sizeof(float)), 0);
  EXPECT_NE(std::memcmp(a.x.data(), c.x.data(), a.x.size() * sizeof(float)), 0);
  EXPECT_EQ(std::memcmp(a.x.data(), prefix.x.data(), prefix.x.size() * sizeof(float)), 0);
  uint64_t h = fnv1a(a.x.data(), (size_t)100 * kImagePixels);
  std::printf("shapes hash (seed 42, first 100 images): %016llx\n", (unsigned long long)h);
  EXPECT_EQ(h, 0x626bcde793f0a04eull);
}

TEST(ImagesShapes, BalancedInRangeNonEmptyAndNamed) {
  const int n = 7000;
  Set s(n, 5);
  std::vector<int> count(kShapeClasses, 0);
  for (int i = 0; i < n; ++i) {
    int l = (int)s.y[i];
    ASSERT_EQ((float)l, s.y[i]);
    ASSERT_GE(l, 0);
    ASSERT_LT(l, kShapeClasses);
    ++count[l];
    float ink = 0.0f, mx = 0.0f;
    for (int k = 0; k < kImagePixels; ++k) {
      ASSERT_GE(s.img(i)[k], 0.0f);
      ASSERT_LE(s.img(i)[k], 1.0f);
      mx = std::fmax(mx, s.img(i)[k]);
      if (s.img(i)[k] > 0.5f) ink += 1.0f;
    }
    ASSERT_GE(mx, 0.7f) << "image " << i;
    ASSERT_GE(ink, 12.0f) << "image " << i << " (" << nnplay::shape_name(l) << ")";
  }
  for (int c = 0; c < kShapeClasses; ++c) EXPECT_EQ(count[c], n / kShapeClasses);
  EXPECT_STREQ(nnplay::shape_name(0), "circle");
  EXPECT_STREQ(nnplay::shape_name(3), "cross");
  EXPECT_STREQ(nnplay::shape_name(kShapeClasses - 1), "star");
  EXPECT_STREQ(nnplay::shape_name(kShapeClasses), "?");
  EXPECT_STREQ(nnplay::shape_name(-1), "?");
}

TEST(ImagesShapes, ImagesOfOneClassDiffer) {
  Set s(280, 9);
  float closest = 1e9f;
  for (int i = 0; i < 280; ++i)
    for (int j = i + kShapeClasses; j < 280; j += kShapeClasses) {
      float d = 0.0f;
      for (int k = 0; k < kImagePixels; ++k) d += std::fabs(s.img(i)[k] - s.img(j)[k]);
      closest = std::fmin(closest, d);
    }
  std::printf("closest pair of one shape class: L1 %.2f\n", closest);
  EXPECT_GT(closest, 10.0f);
}

// Shapes move and turn freely, so a class mean is a blur; still well above the 1/7 of chance.
// Measured 0.29 here.
TEST(ImagesShapes, NearestClassMeanAboveChance) {
  Set train(7000, 21), test(1400, 22);
  std::vector<double> mean((size_t)kShapeClasses * kImagePixels, 0.0);
  for (int i = 0; i < 7000; ++i)
    for (int k = 0; k < kImagePixels; ++k) mean[(size_t)train.y[i] * kImagePixels + k] += train.img(i)[k] / 1000.0;
  int right = 0;
  for (int i = 0; i < 1400; ++i) {
    int best = 0;
    double bd = 1e300;
    for (int c = 0; c < kShapeClasses; ++c) {
      double d = 0;
      for (int k = 0; k < kImagePixels; ++k) {
        double e = test.img(i)[k] - mean[(size_t)c * kImagePixels + k];
        d += e * e;
      }
      if (d < bd) { bd = d; best = c; }
    }
    right += best == (int)test.y[i];
  }
  double acc = right / 1400.0;
  std::printf("nearest-class-mean test accuracy on shapes: %.4f\n", acc);
  EXPECT_GE(acc, 0.24);
}
