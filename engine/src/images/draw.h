// nnplay internal header (not public API): what the image generators share, i.e. float draws of
// the seeded PRNG and anti-aliased drawing on a 28x28 float canvas. Their sin/cos are the engine's
// portable ones (det::sin, det::cos in detmath.h). Not used by the IDX parser.
#pragma once
#include <cstdint>
#include "../detmath.h"

namespace nnplay::draw {

// The generators' draws in float, on the engine's one splitmix64 (detmath.h): ours, not <random>,
// whose distributions differ between standard libraries (the data must be bit-identical natively
// and in wasm).
struct Rng {
  det::Rng core;
  explicit Rng(uint64_t seed) : core(seed) {}
  uint64_t next() { return core.next(); }
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
// A generated set: image i has label i % classes and is drawn by render(label, image_seed(seed,
// set_tag, i), its 28x28 floats).
void make_images(int count, uint64_t seed, uint64_t set_tag, int classes, void (*render)(int, uint64_t, float*),
                 float* images, float* labels);

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
