// The generated handwritten-like digits: each digit 0-9 is a few pen strokes (splines and arcs in
// a 6x10 glyph box, with variants), jittered, slanted, rotated, scaled, warped, then drawn
// anti-aliased on 28x28 with a random pen width, ink and noise. Not a font renderer, no files.
#include "draw.h"
#include "images.h"
#include <cmath>

namespace nnplay {
namespace {

using draw::Rng;

constexpr int kMaxPoints = 512, kMaxStrokes = 8;

// A glyph in box units: x in [0, 6] left to right, y in [0, 10] top to bottom.
struct Glyph {
  float x[kMaxPoints], y[kMaxPoints];
  int start[kMaxStrokes + 1];                          // stroke s is points [start[s], start[s+1])
  int n = 0, strokes = 0;
  Rng* rng = nullptr;
  float jitter = 0.0f;                                 // std dev of control-point jitter, box units

  void begin() {
    if (strokes < kMaxStrokes) start[strokes] = n;
  }
  void end() {
    if (strokes < kMaxStrokes) start[++strokes] = n;
  }
  void add(float px, float py) {
    if (n < kMaxPoints && strokes < kMaxStrokes) { x[n] = px; y[n] = py; ++n; }
  }
  // A Catmull-Rom spline through m control points (xy pairs), each jittered; m = 2 is a line.
  void spline(std::initializer_list<float> xy) {
    float cx[16] = {}, cy[16] = {};
    int m = 0;
    for (auto it = xy.begin(); it != xy.end() && m < 16; it += 2, ++m) {
      cx[m] = it[0] + jitter * rng->normal();
      cy[m] = it[1] + jitter * rng->normal();
    }
    if (m == 0) return;
    begin();
    add(cx[0], cy[0]);
    for (int i = 0; i + 1 < m; ++i) {
      int i0 = i > 0 ? i - 1 : 0, i3 = i + 2 < m ? i + 2 : m - 1;
      // About one segment per 0.6 box units (~1.1 px): smooth at any pen width, few segments.
      float ex = cx[i + 1] - cx[i], ey = cy[i + 1] - cy[i];
      int steps = 1 + (int)(std::sqrt(ex * ex + ey * ey) * (1.0f / 0.6f));
      if (steps > 12) steps = 12;
      for (int k = 1; k <= steps; ++k) {
        float t = (float)k / (float)steps, t2 = t * t, t3 = t2 * t;
        auto cr = [&](const float* p) {
          return 0.5f * (2.0f * p[i] + (p[i + 1] - p[i0]) * t +
                         (2.0f * p[i0] - 5.0f * p[i] + 4.0f * p[i + 1] - p[i3]) * t2 +
                         (3.0f * p[i] - p[i0] - 3.0f * p[i + 1] + p[i3]) * t3);
        };
        add(cr(cx), cr(cy));
      }
    }
    end();
  }
  // An elliptic arc, angles in degrees, 0 = +x, 90 = down (+y); centre and radii jittered.
  void arc(float cx, float cy, float rx, float ry, float a0, float sweep) {
    cx += jitter * rng->normal();
    cy += jitter * rng->normal();
    rx *= 1.0f + 0.6f * jitter * rng->normal() / 3.0f;
    ry *= 1.0f + 0.6f * jitter * rng->normal() / 3.0f;
    a0 += 8.0f * rng->normal();
    float tilt = 0.08f * rng->normal();                // radians: the loop leans a little
    float ct = (float)det::cos(tilt), st = (float)det::sin(tilt);
    int steps = 4 + (int)(std::fabs(sweep) / 12.0f);
    begin();
    for (int k = 0; k <= steps; ++k) {
      double a = (a0 + sweep * (float)k / (float)steps) * (3.14159265358979323846 / 180.0);
      float ex = rx * (float)det::cos(a), ey = ry * (float)det::sin(a);
      add(cx + ct * ex - st * ey, cy + st * ex + ct * ey);
    }
    end();
  }
};

void build_digit(int d, Glyph& g, Rng& r) {
  switch (d) {
    case 0: {
      // One draw per statement: argument evaluation order differs between g++ and clang (wasm).
      float rx = r.range(2.0f, 2.8f);
      float a0 = -90.0f + r.range(-30.0f, 30.0f);
      float sweep = 360.0f + r.range(0.0f, 30.0f);
      g.arc(3.0f, 5.0f, rx, 4.8f, a0, sweep);
      break;
    }
    case 1: {
      int v = r.below(20);
      if (v < 11) {
        g.spline({3.2f, 0.1f, 3.0f, 5.0f, 2.9f, 9.9f});
      } else {
        g.spline({1.6f, 2.2f, 3.3f, 0.1f});
        g.spline({3.3f, 0.1f, 3.1f, 5.0f, 3.0f, 9.9f});
        if (v >= 17) g.spline({1.6f, 9.9f, 4.5f, 9.9f});
      }
      break;
    }
    case 2: {
      int v = r.below(10);
      if (v < 3) {                                     // a small loop where the diagonal meets the base
        g.spline({0.6f, 2.4f, 1.7f, 0.5f, 3.4f, 0.0f, 5.0f, 1.1f, 5.1f, 3.1f, 3.9f, 5.3f, 2.0f, 7.4f, 0.6f, 9.0f,
                  0.9f, 9.9f, 2.0f, 9.3f, 1.2f, 8.8f, 1.4f, 9.6f, 3.5f, 9.7f, 5.9f, 9.6f});
        break;
      }
      g.spline({0.6f, 2.4f, 1.7f, 0.5f, 3.4f, 0.0f, 5.0f, 1.1f, 5.1f, 3.1f, 3.9f, 5.3f, 2.0f, 7.6f, 0.3f, 9.8f});
      if (v < 8) g.spline({0.3f, 9.8f, 3.0f, 9.7f, 5.9f, 9.8f});
      else g.spline({0.3f, 9.8f, 1.5f, 9.0f, 3.0f, 9.6f, 4.5f, 9.9f, 5.9f, 9.4f});
      break;
    }
    case 3:
      if (r.chance(0.2f)) {                            // flat top: a bar, a diagonal, then the bowl
        g.spline({0.6f, 0.3f, 5.2f, 0.3f});
        g.spline({5.2f, 0.3f, 2.3f, 4.3f});
      } else {
        g.spline({0.7f, 1.4f, 2.4f, 0.1f, 4.4f, 0.4f, 5.1f, 2.2f, 4.0f, 4.1f, 2.2f, 4.8f});
      }
      g.spline({2.2f, 4.8f, 4.3f, 5.1f, 5.6f, 6.9f, 5.0f, 9.0f, 2.9f, 9.9f, 0.5f, 8.9f});
      break;
    case 4:
      if (r.chance(0.5f)) {                            // closed: the diagonal meets the stem's top
        g.spline({4.4f, 0.0f, 0.2f, 6.8f});
        g.spline({0.2f, 6.8f, 5.9f, 6.8f});
        g.spline({4.4f, 0.0f, 4.4f, 5.0f, 4.3f, 10.0f});
      } else {                                         // open: two strokes, as often handwritten
        g.spline({0.8f, 0.0f, 0.4f, 3.2f, 0.3f, 6.3f});
        g.spline({0.3f, 6.3f, 5.8f, 6.2f});
        g.spline({4.6f, 0.3f, 4.5f, 5.0f, 4.4f, 10.0f});
      }
      break;
    case 5:
      g.spline({5.5f, 0.2f, 1.3f, 0.3f});
      g.spline({1.3f, 0.3f, 0.9f, 4.6f});
      g.spline({0.9f, 4.6f, 2.6f, 3.7f, 4.6f, 4.2f, 5.6f, 6.4f, 5.0f, 8.8f, 2.9f, 9.9f, 0.5f, 9.0f});
      break;
    case 6:
      g.spline({4.9f, 0.2f, 2.9f, 0.7f, 1.3f, 2.7f, 0.5f, 5.6f, 0.8f, 8.4f, 2.6f, 9.9f, 4.6f, 9.4f, 5.4f, 7.6f,
                4.7f, 5.7f, 2.9f, 5.2f, 1.3f, 6.0f, 0.6f, 7.4f});
      break;
    case 7:
      g.spline({0.3f, 0.4f, 3.0f, 0.3f, 5.8f, 0.4f});
      g.spline({5.8f, 0.4f, 4.2f, 4.2f, 2.5f, 10.0f});
      if (r.chance(0.2f)) g.spline({1.8f, 5.3f, 4.9f, 5.1f});
      if (r.chance(0.2f)) g.spline({0.3f, 1.8f, 0.3f, 0.4f});
      break;
    case 8:
      if (r.chance(0.5f)) {                            // one stroke: an S and its way back
        g.spline({4.8f, 1.4f, 3.0f, 0.1f, 1.2f, 1.3f, 1.6f, 3.4f, 3.0f, 4.8f, 4.7f, 6.3f, 5.0f, 8.6f, 3.0f, 9.9f,
                  1.0f, 8.6f, 1.3f, 6.3f, 3.0f, 4.8f, 4.4f, 3.4f, 4.8f, 1.4f});
      } else {                                         // two loops
        g.arc(3.0f, 2.5f, 2.0f, 2.4f, 90.0f, 360.0f + r.range(0.0f, 20.0f));
        g.arc(3.0f, 7.4f, 2.6f, 2.5f, -90.0f, 360.0f + r.range(0.0f, 20.0f));
      }
      break;
    case 9:
      g.arc(2.9f, 2.8f, 2.3f, 2.6f, 0.0f, -360.0f - r.range(0.0f, 30.0f));
      if (r.chance(0.6f)) g.spline({5.2f, 2.6f, 5.0f, 6.3f, 4.8f, 10.0f});
      else g.spline({5.2f, 2.6f, 5.1f, 6.3f, 4.4f, 9.0f, 3.2f, 10.0f});
      break;
    default:
      break;
  }
}

void render_digit(int d, uint64_t stream, float* img) {
  Rng r(stream);
  Glyph g;
  g.rng = &r;
  g.jitter = r.range(0.12f, 0.32f);
  build_digit(d, g, r);

  // Pose: slant (shear, positive leans right), rotation, height and aspect, all in pixels.
  float slant = r.range(-0.15f, 0.40f);
  double angle = (double)r.range(-0.20f, 0.20f);       // radians, about +-11 degrees
  float ca = (float)det::cos(angle), sa = (float)det::sin(angle);
  float height = r.range(15.0f, 20.5f);
  float sy = height / 10.0f, sx = sy * r.range(0.80f, 1.25f);
  // A smooth wobble of the whole glyph: the pen does not move along straight ideal lines.
  float wa = r.range(0.0f, 0.6f), wf = r.range(0.25f, 0.6f), wp = r.range(0.0f, 6.28f);
  float wb = r.range(0.0f, 0.6f), wg = r.range(0.25f, 0.6f), wq = r.range(0.0f, 6.28f);

  float minx = 1e9f, maxx = -1e9f, miny = 1e9f, maxy = -1e9f;
  for (int i = 0; i < g.n; ++i) {
    float px = (g.x[i] - 3.0f) * sx, py = (g.y[i] - 5.0f) * sy;
    px -= slant * py;
    float qx = ca * px - sa * py, qy = sa * px + ca * py;
    qx += wa * (float)det::sin((double)(wf * qy + wp));
    qy += wb * (float)det::sin((double)(wg * qx + wq));
    g.x[i] = qx;
    g.y[i] = qy;
    minx = std::fmin(minx, qx); maxx = std::fmax(maxx, qx);
    miny = std::fmin(miny, qy); maxy = std::fmax(maxy, qy);
  }
  // Fit the glyph in a 20x20 box (as MNIST does), then centre it with a small random shift.
  float w = maxx - minx, h = maxy - miny, big = std::fmax(w, h);
  float fit = big > 20.0f ? 20.0f / big : 1.0f;
  float cx = 0.5f * (minx + maxx), cy = 0.5f * (miny + maxy);
  float radius = 0.5f * r.range(1.4f, 3.2f);           // pen: half the stroke width, pixels
  float edge = 2.0f * (1.5f + radius);                 // keep the ink a pixel clear of the border
  float room_x = std::fmax(0.0f, 0.5f * (28.0f - edge - w * fit));
  float room_y = std::fmax(0.0f, 0.5f * (28.0f - edge - h * fit));
  float shift_x = r.range(-1.0f, 1.0f) * std::fmin(2.5f, room_x);
  float shift_y = r.range(-1.0f, 1.0f) * std::fmin(2.5f, room_y);
  float ox = 14.0f + shift_x, oy = 14.0f + shift_y;
  for (int i = 0; i < g.n; ++i) {
    g.x[i] = ox + (g.x[i] - cx) * fit;
    g.y[i] = oy + (g.y[i] - cy) * fit;
  }

  draw::Canvas c;
  c.clear();
  float ink = r.range(0.80f, 1.0f);
  for (int s = 0; s < g.strokes; ++s) {
    float rs = radius * r.range(0.85f, 1.1f);          // pen pressure differs a little per stroke
    for (int i = g.start[s]; i + 1 < g.start[s + 1]; ++i) c.segment(g.x[i], g.y[i], g.x[i + 1], g.y[i + 1], rs, ink);
  }
  c.noise(r, r.chance(0.5f) ? 0.0f : r.range(0.0f, 0.06f));
  for (int i = 0; i < kImagePixels; ++i) img[i] = c.px[i];
}

}  // namespace

void make_digit_images(int count, uint64_t seed, float* images, float* labels) {
  draw::make_images(count, seed, 0xD161, kDigitClasses, render_digit, images, labels);
}

}  // namespace nnplay
