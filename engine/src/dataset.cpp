// The generated data sets (seeded, TF Playground's shapes and noise scale), input features and the
// train/test split. Not the image generators themselves (images/, called for Shapes and Digits).
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>
#include "detmath.h"
#include "images/images.h"
#include "internal.h"
#include "nnplay/dataset.h"

namespace nnplay {
namespace {

using det::Rng;
constexpr uint64_t kTagData = 0x64617461;              // "data"
constexpr uint64_t kTagSplit = 0x73706c74;             // "splt"
constexpr uint64_t kTagImages = 0x696d6773;            // "imgs"
constexpr uint64_t kTagImageNoise = 0x696e6f69;        // "inoi"

// Points are clamped to the drawn square [-6, 6]^2 (TF Playground's axes).
double clamp6(double x) { return x < -6 ? -6 : x > 6 ? 6 : x; }
void add(std::vector<Point>* v, double x1, double x2, float label) {
  v->push_back(Point{(float)clamp6(x1), (float)clamp6(x2), label});
}

// TF Playground's classifyCircleData: radius 5, half inside r < 2.5, half in 3.5 < r < 5; the
// label is taken at the noisy position, the noise uniform in [-5, 5] * noise.
void circle(int n, double noise, Rng& r, std::vector<Point>* v) {
  const double R = 5;
  for (int i = 0; i < n; ++i) {
    const bool inside = i < n / 2;
    double rad = inside ? r.range(0, R * 0.5) : r.range(R * 0.7, R);
    double ang = r.range(0, 2 * det::kPi);
    double x = rad * det::sin(ang), y = rad * det::cos(ang);
    double nx = r.range(-R, R) * noise, ny = r.range(-R, R) * noise;
    double d = std::sqrt((x + nx) * (x + nx) + (y + ny) * (y + ny));
    add(v, x, y, d < R * 0.5 ? 1.0f : 0.0f);
  }
}

// classifyXORData: uniform in [-5, 5]^2 pushed 0.3 away from the axes; class 1 where x*y >= 0.
void xor_(int n, double noise, Rng& r, std::vector<Point>* v) {
  const double pad = 0.3;
  for (int i = 0; i < n; ++i) {
    double x = r.range(-5, 5); x += x > 0 ? pad : -pad;
    double y = r.range(-5, 5); y += y > 0 ? pad : -pad;
    double nx = r.range(-5, 5) * noise, ny = r.range(-5, 5) * noise;
    add(v, x, y, (x + nx) * (y + ny) >= 0 ? 1.0f : 0.0f);
  }
}

// classifyTwoGaussData: centres (2,2) class 1 and (-2,-2) class 0, variance 0.5 + 7 * noise.
void gauss(int n, double noise, Rng& r, std::vector<Point>* v) {
  const double sd = std::sqrt(0.5 + 7.0 * noise);
  for (int i = 0; i < n; ++i) {
    const bool one = i < n / 2;
    const double c = one ? 2 : -2;
    double x = r.normal(c, sd), y = r.normal(c, sd);
    add(v, x, y, one ? 1.0f : 0.0f);
  }
}

// classifySpiralData generalised to k arms: arm c starts at angle 2*pi*c/k, radius 0..5 over
// 1.75 turns; noise uniform in [-1, 1] * noise on each coordinate. k = 2 is TF Playground's.
void spiral(int n, int k, double noise, Rng& r, std::vector<Point>* v, bool two_class) {
  for (int c = 0; c < k; ++c) {
    const int m = n / k + (c < n % k ? 1 : 0);
    const double dt = 2 * det::kPi * c / k;
    for (int i = 0; i < m; ++i) {
      double rad = (double)i / m * 5;
      double t = 1.75 * i / m * 2 * det::kPi + dt;
      double x = rad * det::sin(t) + r.range(-1, 1) * noise;
      double y = rad * det::cos(t) + r.range(-1, 1) * noise;
      add(v, x, y, two_class ? (c == 0 ? 1.0f : 0.0f) : (float)c);
    }
  }
}

// Two interleaved half circles (scikit-learn's make_moons), scaled by 3 and centred: x in
// [-4.5, 4.5]; noise uniform in [-5, 5] * noise on each coordinate (TF's scale, as for circle).
void moons(int n, double noise, Rng& r, std::vector<Point>* v) {
  for (int i = 0; i < n; ++i) {
    const bool upper = i < n / 2;
    double t = r.range(0, det::kPi);
    double x = upper ? det::cos(t) : 1 - det::cos(t);
    double y = upper ? det::sin(t) : 0.5 - det::sin(t);
    x = (x - 0.5) * 3 + r.range(-5, 5) * noise;
    y = (y - 0.25) * 3 + r.range(-5, 5) * noise;
    add(v, x, y, upper ? 1.0f : 0.0f);
  }
}

// k Gaussian blobs on a circle of radius 3.5, standard deviation 0.5 + 3 * noise.
void blobs(int n, int k, double noise, Rng& r, std::vector<Point>* v) {
  const double sd = 0.5 + 3.0 * noise;
  for (int i = 0; i < n; ++i) {
    const int c = i % k;
    const double a = 2 * det::kPi * c / k;
    double x = r.normal(3.5 * det::cos(a), sd), y = r.normal(3.5 * det::sin(a), sd);
    add(v, x, y, (float)c);
  }
}

// regressPlane: uniform in [-6, 6]^2, target (x + y) / 10 at the noisy position (noise [-6,6]*noise).
void regplane(int n, double noise, Rng& r, std::vector<Point>* v) {
  for (int i = 0; i < n; ++i) {
    double x = r.range(-6, 6), y = r.range(-6, 6);
    double nx = r.range(-6, 6) * noise, ny = r.range(-6, 6) * noise;
    add(v, x, y, (float)(((x + nx) + (y + ny)) / 10.0));
  }
}

// regressGaussian: six signed bumps; the target is the bump of largest magnitude,
// sign * max(0, 1 - distance / 2), at the noisy position.
void reggauss(int n, double noise, Rng& r, std::vector<Point>* v) {
  static const double g[6][3] = {{-4, 2.5, 1}, {0, 2.5, -1}, {4, 2.5, 1}, {-4, -2.5, -1}, {0, -2.5, 1}, {4, -2.5, -1}};
  for (int i = 0; i < n; ++i) {
    double x = r.range(-6, 6), y = r.range(-6, 6);
    double px = x + r.range(-6, 6) * noise, py = y + r.range(-6, 6) * noise;
    double label = 0;
    for (const auto& b : g) {
      double d = std::sqrt((px - b[0]) * (px - b[0]) + (py - b[1]) * (py - b[1]));
      double s = 1 - d / 2; if (s < 0) s = 0;
      double l = b[2] * s;
      if (std::fabs(l) > std::fabs(label)) label = l;
    }
    add(v, x, y, (float)label);
  }
}

void shuffle(std::vector<Point>* v, Rng& r) {
  for (size_t i = v->size(); i > 1; --i) {
    size_t j = r.below((uint32_t)i);
    std::swap((*v)[i - 1], (*v)[j]);
  }
}

}  // namespace

int feature_count(uint32_t features) {
  int n = 0;
  for (int i = 0; i < (int)Feature::Count; ++i) n += (features >> i) & 1;
  return n;
}

void features_of(uint32_t features, float x1, float x2, float* out) {
  int k = 0;
  for (int i = 0; i < (int)Feature::Count; ++i) {
    if (!((features >> i) & 1)) continue;
    float f = 0;
    switch ((Feature)i) {
      case Feature::X1: f = x1; break;
      case Feature::X2: f = x2; break;
      case Feature::X1Sq: f = x1 * x1; break;
      case Feature::X2Sq: f = x2 * x2; break;
      case Feature::X1X2: f = x1 * x2; break;
      case Feature::SinX1: f = (float)det::sin((double)x1); break;
      case Feature::SinX2: f = (float)det::sin((double)x2); break;
      default: break;
    }
    out[k++] = f;
  }
}

std::string make_dataset(const DataSpec& spec, uint64_t seed, Dataset* out) {
  std::string e = validate_data(spec);
  if (!e.empty()) return e;
  Dataset d;
  d.classification = is_classification(spec.set);
  const int k = data_classes(spec);
  d.outputs = k > 2 ? k : 1;
  if (is_image(spec.set)) {
    const int n = spec.points;
    std::vector<float> images((size_t)n * kImagePixels), labels(n);
    const uint64_t s = det::stream(seed, kTagImages);
    if (spec.set == DataSet::Digits) make_digit_images(n, s, images.data(), labels.data());
    else make_shape_images(n, s, images.data(), labels.data());
    if (spec.noise > 0) add_image_noise(images.data(), images.size(), det::stream(seed, kTagImageNoise), spec.noise / 100.0f);
    int ntrain = (int)((long)n * spec.train_percent / 100);
    if (ntrain < 1) ntrain = 1;
    d.input_size = kImagePixels;
    d.input_shape[0] = 1; d.input_shape[1] = kImageSide; d.input_shape[2] = kImageSide;
    d.train_x.assign(images.begin(), images.begin() + (size_t)ntrain * kImagePixels);
    d.test_x.assign(images.begin() + (size_t)ntrain * kImagePixels, images.end());
    d.train_y.assign(labels.begin(), labels.begin() + ntrain);
    d.test_y.assign(labels.begin() + ntrain, labels.end());
    *out = std::move(d);
    return "";
  }
  Rng r(det::stream(seed, kTagData));
  const double noise = spec.noise / 100.0;
  std::vector<Point> pts;
  pts.reserve((size_t)spec.points + spec.user_points.size());
  const int n = spec.points;
  switch (spec.set) {
    case DataSet::Circle: circle(n, noise, r, &pts); break;
    case DataSet::Xor: xor_(n, noise, r, &pts); break;
    case DataSet::Gauss: gauss(n, noise, r, &pts); break;
    case DataSet::Spiral: spiral(n, 2, noise, r, &pts, true); break;
    case DataSet::Moons: moons(n, noise, r, &pts); break;
    case DataSet::Blobs: blobs(n, spec.classes, noise, r, &pts); break;
    case DataSet::MultiSpiral: spiral(n, spec.classes, noise, r, &pts, false); break;
    case DataSet::RegPlane: regplane(n, noise, r, &pts); break;
    case DataSet::RegGauss: reggauss(n, noise, r, &pts); break;
    default: break;                                    // User: only the caller's points
  }
  pts.insert(pts.end(), spec.user_points.begin(), spec.user_points.end());
  Rng rs(det::stream(seed, kTagSplit));
  shuffle(&pts, rs);
  int ntrain = (int)((long)pts.size() * spec.train_percent / 100);  // TF: floor(n * perc / 100)
  if (ntrain < 1) ntrain = 1;
  d.train_points.assign(pts.begin(), pts.begin() + ntrain);
  d.test_points.assign(pts.begin() + ntrain, pts.end());
  const int f = feature_count(spec.features);
  d.input_size = f;
  d.input_shape[0] = f; d.input_shape[1] = 1; d.input_shape[2] = 1;
  for (int part = 0; part < 2; ++part) {
    const auto& src = part == 0 ? d.train_points : d.test_points;
    auto& x = part == 0 ? d.train_x : d.test_x;
    auto& y = part == 0 ? d.train_y : d.test_y;
    x.resize(src.size() * f);
    y.resize(src.size());
    for (size_t i = 0; i < src.size(); ++i) {
      features_of(spec.features, src[i].x1, src[i].x2, &x[i * f]);
      y[i] = src[i].label;
    }
  }
  *out = std::move(d);
  return "";
}

std::string image_class_name(DataSet set, int label) {
  if (set == DataSet::Shapes) return shape_name(label);
  return std::to_string(label);
}

}  // namespace nnplay
