// Shared drawing helpers of the image generators (PRNG seeding, anti-aliased strokes). Not the generators themselves: see digits.cpp and shapes.cpp.
#include "draw.h"
#include <cmath>
#include "images.h"

namespace nnplay::draw {

uint64_t image_seed(uint64_t seed, uint64_t set_tag, int index) {
  Rng a(seed ^ (set_tag * 0xD1B54A32D192ED03ull));
  uint64_t base = a.next();
  Rng b(base + (uint64_t)(uint32_t)index * 0x9E3779B97F4A7C15ull);
  b.next();
  return b.next();
}

void make_images(int count, uint64_t seed, uint64_t set_tag, int classes, void (*render)(int, uint64_t, float*),
                 float* images, float* labels) {
  for (int i = 0; i < count; ++i) {
    render(i % classes, image_seed(seed, set_tag, i), images + (size_t)i * kImagePixels);
    labels[i] = (float)(i % classes);
  }
}

void Canvas::clear() {
  for (float& v : px) v = 0.0f;
}

void Canvas::segment(float ax, float ay, float bx, float by, float r, float ink) {
  float reach = r + 0.5f;                              // coverage is 0 at distance >= r + 0.5
  int x0 = (int)std::floor(std::fmin(ax, bx) - reach - 0.5f), x1 = (int)std::floor(std::fmax(ax, bx) + reach - 0.5f);
  int y0 = (int)std::floor(std::fmin(ay, by) - reach - 0.5f), y1 = (int)std::floor(std::fmax(ay, by) + reach - 0.5f);
  if (x0 < 0) x0 = 0;
  if (y0 < 0) y0 = 0;
  if (x1 > 27) x1 = 27;
  if (y1 > 27) y1 = 27;
  float dx = bx - ax, dy = by - ay;
  float len2 = dx * dx + dy * dy;
  float inv = len2 > 1e-12f ? 1.0f / len2 : 0.0f;
  float out2 = reach * reach;
  float in = r - 0.5f, in2 = in > 0.0f ? in * in : -1.0f;  // full coverage within r - 0.5
  for (int y = y0; y <= y1; ++y) {
    for (int x = x0; x <= x1; ++x) {
      float qx = (float)x + 0.5f - ax, qy = (float)y + 0.5f - ay;
      float t = (qx * dx + qy * dy) * inv;
      t = t < 0.0f ? 0.0f : (t > 1.0f ? 1.0f : t);
      float ex = qx - t * dx, ey = qy - t * dy;
      float d2 = ex * ex + ey * ey;
      if (d2 >= out2) continue;
      float& p = px[y * 28 + x];
      if (p >= ink) continue;                          // already as dark as this stroke can make it
      float c = 1.0f;
      if (d2 > in2) c = reach - std::sqrt(d2);         // sqrt is correctly rounded everywhere
      c *= ink;
      if (c > p) p = c;
    }
  }
}

void Canvas::noise(Rng& rng, float sigma) {
  if (sigma <= 0.0f) return;                           // the canvas is already in [0, 1]
  for (float& v : px) {
    float u = v + sigma * rng.normal();
    v = u < 0.0f ? 0.0f : (u > 1.0f ? 1.0f : u);
  }
}

}  // namespace nnplay::draw

namespace nnplay {

void add_image_noise(float* images, size_t floats, uint64_t seed, float sigma) {
  if (!(sigma > 0.0f)) return;                         // also refuses NaN
  draw::Rng r(draw::image_seed(seed, 0x9015E, 0));
  for (size_t i = 0; i < floats; ++i) {
    float u = images[i] + sigma * r.normal();
    images[i] = u < 0.0f ? 0.0f : (u > 1.0f ? 1.0f : u);
  }
}

}  // namespace nnplay
