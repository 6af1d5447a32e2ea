// The generated shapes set for a first quick CNN: circle, square, triangle, cross, ring, diamond
// and star, at random size, position and rotation, filled or outlined, with noise. Rendered from
// signed distances with a one-pixel anti-aliased edge. Not the digits: see digits.cpp.
#include "draw.h"
#include "images.h"
#include <cmath>

namespace nnplay {
namespace {

using draw::Rng;

constexpr int kMaxVerts = 12;

struct Poly {
  float x[kMaxVerts], y[kMaxVerts];
  int n = 0;
};

// Signed distance from (px, py) to a simple polygon: positive inside. Crossing-number test for
// the sign (works for the non-convex star and cross), exact distance to the nearest edge.
float poly_sd(const Poly& p, float px, float py) {
  float best = 1e30f;
  bool inside = false;
  for (int i = 0, j = p.n - 1; i < p.n; j = i++) {
    float ax = p.x[j], ay = p.y[j], bx = p.x[i], by = p.y[i];
    float dx = bx - ax, dy = by - ay, qx = px - ax, qy = py - ay;
    float len2 = dx * dx + dy * dy;
    float t = len2 > 0.0f ? (qx * dx + qy * dy) / len2 : 0.0f;
    t = t < 0.0f ? 0.0f : (t > 1.0f ? 1.0f : t);
    float ex = qx - t * dx, ey = qy - t * dy, d2 = ex * ex + ey * ey;
    if (d2 < best) best = d2;
    if ((ay > py) != (by > py)) {
      float xc = ax + (py - ay) * dx / dy;
      if (px < xc) inside = !inside;
    }
  }
  float d = std::sqrt(best);
  return inside ? d : -d;
}

// A star-like polygon: n vertices alternating radius r_even, r_odd, starting at angle a0.
void regular(Poly& p, int n, float cx, float cy, float r_even, float r_odd, double a0) {
  p.n = n;
  for (int k = 0; k < n; ++k) {
    double a = a0 + 6.28318530717958647692 * (double)k / (double)n;
    float r = (k & 1) ? r_odd : r_even;
    p.x[k] = cx + r * (float)det::cos(a);
    p.y[k] = cy + r * (float)det::sin(a);
  }
}

float coverage_filled(float sd) { return sd + 0.5f < 0.0f ? 0.0f : (sd + 0.5f > 1.0f ? 1.0f : sd + 0.5f); }
float coverage_line(float sd, float r) {
  float c = r + 0.5f - std::fabs(sd);
  return c < 0.0f ? 0.0f : (c > 1.0f ? 1.0f : c);
}

void render_shape(int s, uint64_t stream, float* img) {
  Rng r(stream);
  float R = r.range(7.5f, 11.5f);                      // circumradius, pixels
  float margin = R + 1.5f;
  float cx = r.range(margin, 28.0f - margin), cy = r.range(margin, 28.0f - margin);
  double rot = (double)r.range(0.0f, 6.2831853f);
  bool filled = r.chance(0.5f);
  float lr = 0.5f * r.range(1.3f, 3.0f);               // outline half-width
  float ink = r.range(0.75f, 1.0f);

  Poly p;
  switch (s) {
    case 1: regular(p, 4, cx, cy, R, R, rot); break;                  // square
    case 2: regular(p, 3, cx, cy, R, R, rot); break;                  // triangle
    case 3: {                                                          // cross (plus, rotated)
      float a = R * 0.95f, b = R * r.range(0.22f, 0.34f);
      const float ux[12] = {b, b, a, a, b, b, -b, -b, -a, -a, -b, -b};
      const float uy[12] = {a, b, b, -b, -b, -a, -a, -b, -b, b, b, a};
      float c = (float)det::cos(rot), sn = (float)det::sin(rot);
      p.n = 12;
      for (int k = 0; k < 12; ++k) { p.x[k] = cx + c * ux[k] - sn * uy[k]; p.y[k] = cy + sn * ux[k] + c * uy[k]; }
      break;
    }
    case 5: {                                                          // diamond: a rhombus, aspect about 0.47
      float q = R * r.range(0.42f, 0.52f);
      const float ux[4] = {R, 0.0f, -R, 0.0f}, uy[4] = {0.0f, q, 0.0f, -q};
      float c = (float)det::cos(rot), sn = (float)det::sin(rot);
      p.n = 4;
      for (int k = 0; k < 4; ++k) { p.x[k] = cx + c * ux[k] - sn * uy[k]; p.y[k] = cy + sn * ux[k] + c * uy[k]; }
      break;
    }
    case 6: regular(p, 10, cx, cy, R, R * r.range(0.36f, 0.45f), rot); break;  // star
    default: break;                                                    // 0 circle, 4 ring: no polygon
  }

  float rc = R * 0.85f;                                // circles look as big as the polygons at 0.85 R
  float ring_gap = rc * r.range(0.48f, 0.62f);        // inner circle radius
  if (s == 4 && lr > 0.13f * rc) lr = 0.13f * rc;      // keep the inner circle a circle, not a dot
  draw::Canvas c;
  for (int y = 0; y < 28; ++y) {
    for (int x = 0; x < 28; ++x) {
      float px = (float)x + 0.5f, py = (float)y + 0.5f;
      float v;
      if (s == 0 || s == 4) {
        float dx = px - cx, dy = py - cy;
        float sd = rc - std::sqrt(dx * dx + dy * dy);
        if (s == 4) v = std::fmax(coverage_line(sd, lr), coverage_line(sd - (rc - ring_gap), lr));  // two circles
        else v = filled ? coverage_filled(sd) : coverage_line(sd, lr);
      } else {
        float sd = poly_sd(p, px, py);
        v = filled ? coverage_filled(sd) : coverage_line(sd, lr);
      }
      c.px[y * 28 + x] = v * ink;
    }
  }
  c.noise(r, r.chance(0.4f) ? 0.0f : r.range(0.0f, 0.08f));
  for (int i = 0; i < kImagePixels; ++i) img[i] = c.px[i];
}

}  // namespace

const char* shape_name(int label) {
  static const char* const kNames[kShapeClasses] = {"circle", "square", "triangle", "cross", "ring", "diamond", "star"};
  return label >= 0 && label < kShapeClasses ? kNames[label] : "?";
}

void make_shape_images(int count, uint64_t seed, float* images, float* labels) {
  draw::make_images(count, seed, 0x5A7E, kShapeClasses, render_shape, images, labels);
}

}  // namespace nnplay
