// Helpers shared by the kernel tests (tests/kernels/*_test.cpp): a seeded generator of test data,
// bit-exact comparison, and the dot-product-scaled tolerance (never tol + |ref|).
#pragma once
#include <gtest/gtest.h>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace ktest {

struct Rng {  // xorshift64*: the same data on every platform
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ull + 1) {}
  uint32_t next() { s ^= s >> 12; s ^= s << 25; s ^= s >> 27; return static_cast<uint32_t>((s * 0x2545F4914F6CDD1Dull) >> 32); }
  float uniform(float lo, float hi) { return lo + (hi - lo) * static_cast<float>(next() >> 8) * (1.0f / 16777216.0f); }
};

inline std::vector<float> random_vec(size_t n, Rng& r, float lo = -1.0f, float hi = 1.0f) {
  std::vector<float> v(n);
  for (auto& x : v) x = r.uniform(lo, hi);
  return v;
}

inline uint32_t bits(float f) { uint32_t b; std::memcpy(&b, &f, 4); return b; }

// Counts elements whose bits differ; reports the first few.
inline size_t count_bit_mismatches(const float* got, const float* want, size_t n, const char* what) {
  size_t bad = 0;
  for (size_t i = 0; i < n; i++)
    if (bits(got[i]) != bits(want[i]) && !(std::isnan(got[i]) && std::isnan(want[i]))) {
      if (bad < 3) ADD_FAILURE() << what << ": element " << i << " got " << got[i] << " want " << want[i] << " (bit-exact promised)";
      bad++;
    }
  return bad;
}

}  // namespace ktest
