// nnplay internal header (not public API): what the image generators share, i.e. a seeded PRNG,
// portable sin/cos and anti-aliased drawing on a 28x28 float canvas. Not used by the IDX parser.
#pragma once
#include <cstdint>

namespace nnplay::draw {

// splitmix64 (Steele, Lea, Flood 2014). Ours, not <random>: its distributions differ between
// standard libraries, and the data must be bit-identical natively and in wasm.
struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed) {}
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  float uniform() { return (float)(next() >> 40) * (1.0f / 16777216.0f); }  // [0, 1), 24 bits: exact
  float range(float a, float b) { return a + (b - a) * uniform(); }
  int below(int n) { return (int)((next() >> 33) % (uint64_t)n); }         // [0, n), n small
  bool chance(float p) { return uniform() < p; }
  float normal() {                                     // approx N(0,1): Irwin-Hall of 4 16-bit uniforms
    uint64_t z = next();                               // from one draw, summed in a fixed order
    float s4 = (float)((z & 0xFFFF) + (z >> 16 & 0xFFFF) + (z >> 32 & 0xFFFF) + (z >> 48)) * (1.0f / 65536.0f);
    return (s4 - 2.0f) * 1.7320508f;
  }
};

// The stream of image i of a set: depends on (seed, i) only, so image i is the same whatever count.
uint64_t image_seed(uint64_t seed, uint64_t set_tag, int index);

// sin/cos from + - * / and floor only (libm's differ between glibc and the wasm libc).
// Absolute error below 1e-9 for |x| < 1e6.
double sin_p(double x);
double cos_p(double x);

// A 28x28 canvas, row-major, pixel (x, y) has its centre at (x + 0.5, y + 0.5).
struct Canvas {
  float px[28 * 28];
  void clear();
  // Max-composites a round-capped segment of radius r (half the stroke width) with grey `ink`;
  // coverage is clamp(r + 0.5 - distance, 0, 1), a one-pixel anti-aliased edge.
  void segment(float ax, float ay, float bx, float by, float r, float ink);
  // Adds zero-mean noise of standard deviation sigma to every pixel, then clamps to [0, 1].
  void noise(Rng& rng, float sigma);
};

}  // namespace nnplay::draw
