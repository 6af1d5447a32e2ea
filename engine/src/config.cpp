// The configuration: defaults, names, and validate() with messages that name the offending part.
// Not the network planning itself (net.cpp), which validate() calls for the layer shapes.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include "images/images.h"
#include "internal.h"
#include "net.h"
#include "nnplay/config.h"
#include "nnplay/dataset.h"

namespace nnplay {

Config default_config() {
  Config c;
  c.data.set = DataSet::Circle;
  c.data.noise = 0.0f;
  c.data.train_percent = 50;
  c.data.points = 500;
  c.data.features = (1u << (int)Feature::X1) | (1u << (int)Feature::X2);
  LayerSpec h1, h2, out;
  h1.units = 4; h1.act = Activation::Tanh;
  h2.units = 2; h2.act = Activation::Tanh;
  out.units = 1; out.act = Activation::Tanh;
  c.layers = {h1, h2, out};
  c.train.loss = LossType::HalfSquaredError;
  c.train.optimizer = Optimizer::Sgd;
  c.train.learning_rate = 0.03f;
  c.train.batch = 10;
  c.train.reg = Regularization::None;
  c.train.reg_rate = 0.0f;
  c.seed = 1;
  return c;
}

namespace {
const char* const kDataNames[] = {"circle", "xor", "gauss", "spiral", "moons", "user",
                                  "blobs", "multispiral", "regplane", "reggauss", "shapes", "digits"};
const char* const kFeatureNames[] = {"x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"};
const char* const kActNames[] = {"linear", "sigmoid", "tanh", "relu", "leakyrelu", "step", "softmax", "elu", "gelu", "silu"};
const char* const kLayerNames[] = {"dense", "conv", "maxpool", "avgpool", "flatten", "batchnorm", "dropout"};
const char* const kLossNames[] = {"square", "halfsquare", "softmaxce"};
const char* const kOptNames[] = {"sgd", "momentum", "nesterov", "adam", "perceptron"};
const char* const kRegNames[] = {"none", "l1", "l2"};
const char* const kInitNames[] = {"xavier", "he", "uniform", "zeros"};

template <size_t N>
const char* name_of(const char* const (&names)[N], int v) {
  return v >= 0 && v < (int)N ? names[v] : "?";
}
template <size_t N, typename E>
bool parse_of(const char* const (&names)[N], const std::string& s, E* out) {
  for (size_t i = 0; i < N; ++i)
    if (s == names[i]) { *out = (E)i; return true; }
  return false;
}

std::string fmt(const char* f, double a) { char b[160]; std::snprintf(b, sizeof b, f, a); return b; }
std::string fmt(const char* f, double a, double b2) { char b[200]; std::snprintf(b, sizeof b, f, a, b2); return b; }
std::string fmt(const char* f, double a, double b2, double c) { char b[240]; std::snprintf(b, sizeof b, f, a, b2, c); return b; }

// "" when v is finite and lo <= v <= hi, else "<what> is NaN" / "... must be in [lo, hi], got v".
std::string check_range(const char* what, double v, Bounds b) {
  if (std::isnan(v)) return std::string(what) + " is NaN";
  if (std::isinf(v)) return std::string(what) + " is infinite";
  if (v < b.lo || v > b.hi) return std::string(what) + fmt(" must be in [%g, %g], got %g", b.lo, b.hi, v);
  return "";
}
}  // namespace

const char* name(DataSet v) { return name_of(kDataNames, (int)v); }
const char* name(Feature v) { return name_of(kFeatureNames, (int)v); }
const char* name(Activation v) { return name_of(kActNames, (int)v); }
const char* name(LayerType v) { return name_of(kLayerNames, (int)v); }
const char* name(LossType v) { return name_of(kLossNames, (int)v); }
const char* name(Optimizer v) { return name_of(kOptNames, (int)v); }
const char* name(Regularization v) { return name_of(kRegNames, (int)v); }
const char* name(Init v) { return name_of(kInitNames, (int)v); }
bool parse(const std::string& s, DataSet* out) { return parse_of(kDataNames, s, out); }
bool parse(const std::string& s, Feature* out) { return parse_of(kFeatureNames, s, out); }
bool parse(const std::string& s, Activation* out) { return parse_of(kActNames, s, out); }
bool parse(const std::string& s, LayerType* out) { return parse_of(kLayerNames, s, out); }
bool parse(const std::string& s, LossType* out) { return parse_of(kLossNames, s, out); }
bool parse(const std::string& s, Optimizer* out) { return parse_of(kOptNames, s, out); }
bool parse(const std::string& s, Regularization* out) { return parse_of(kRegNames, s, out); }
bool parse(const std::string& s, Init* out) { return parse_of(kInitNames, s, out); }

bool is_classification(DataSet s) { return s != DataSet::RegPlane && s != DataSet::RegGauss; }
bool is_image(DataSet s) { return s == DataSet::Shapes || s == DataSet::Digits; }
int max_points(DataSet s) { return is_image(s) ? kMaxImages : kMaxPoints; }
bool is_multiclass(DataSet s) { return s == DataSet::Blobs || s == DataSet::MultiSpiral || is_image(s); }

int data_classes(const DataSpec& d) {
  switch (d.set) {
    case DataSet::Blobs: case DataSet::MultiSpiral: return d.classes;
    case DataSet::Digits: return kDigitClasses;
    case DataSet::Shapes: return kShapeClasses;
    case DataSet::RegPlane: case DataSet::RegGauss: return 0;
    default: return 2;
  }
}

int output_units(const Config& c) {
  if (!is_classification(c.data.set)) return 1;
  int k = data_classes(c.data);
  if (k == 2) return (!c.layers.empty() && c.layers.back().act == Activation::Softmax) ? 2 : 1;
  return k;
}

std::string validate_data(const DataSpec& d) {
  if ((int)d.set > (int)DataSet::Digits) return "data.set: unknown data set";
  std::string e;
  if (!(e = check_range("data.noise", d.noise, kNoiseBounds)).empty()) return e;
  if (!(e = check_range("data.train_percent", d.train_percent, kTrainPercentBounds)).empty()) return e;
  if (d.set != DataSet::User && (d.points < 10 || d.points > max_points(d.set)))
    return fmt("data.points must be in [10, %g], got %g", max_points(d.set), d.points);
  if ((d.set == DataSet::Blobs || d.set == DataSet::MultiSpiral) && (d.classes < kClassesBounds.lo || d.classes > kClassesBounds.hi))
    return fmt("data.classes must be in [%g, %g] for ", kClassesBounds.lo, kClassesBounds.hi) + name(d.set) + fmt(", got %g", d.classes);
  if (!is_image(d.set)) {
    if (d.features == 0) return "data.features: no input feature is enabled";
    if (d.features >> (int)Feature::Count) return "data.features: unknown feature bits set";
    if (d.set == DataSet::User && d.user_points.empty()) return "data.user_points: the user data set has no points";
    long total = (d.set == DataSet::User ? 0 : d.points) + (long)d.user_points.size();
    if (total > kMaxPoints) return fmt("data.user_points: %g points in all, beyond the limit %g", (double)total, kMaxPoints);
    int k = data_classes(d);
    for (size_t i = 0; i < d.user_points.size(); ++i) {
      const Point& p = d.user_points[i];
      if (!std::isfinite(p.x1) || !std::isfinite(p.x2) || !std::isfinite(p.label))
        return fmt("data.user_points[%g] has a NaN or infinite value", (double)i);
      if (std::fabs(p.x1) > 6 || std::fabs(p.x2) > 6)
        return fmt("data.user_points[%g] = (%g, ...) lies outside [-6, 6]^2", (double)i, std::fabs(p.x1) > 6 ? p.x1 : p.x2);
      if (k > 0 && (p.label < 0 || p.label >= k || p.label != std::floor(p.label)))
        return fmt("data.user_points[%g] has label %g, expected a class 0..%g", (double)i, p.label, k - 1);
    }
  }
  return "";
}

std::string detail::validate_train(const TrainSpec& t, const std::vector<LayerSpec>& layers) {
  if ((int)t.loss > (int)LossType::SoftmaxCrossEntropy) return "train.loss: unknown loss";
  if ((int)t.optimizer > (int)Optimizer::Perceptron) return "train.optimizer: unknown optimizer";
  if ((int)t.reg > (int)Regularization::L2) return "train.reg: unknown regularization";
  if ((int)t.init > (int)Init::Zeros) return "train.init: unknown initialization";
  std::string e;
  if (!(e = check_range("train.learning_rate", t.learning_rate, kLearningRateBounds)).empty()) return e;
  if (!(e = check_range("train.momentum", t.momentum, kMomentumBounds)).empty()) return e;
  if (!(e = check_range("train.beta1", t.beta1, kBeta1Bounds)).empty()) return e;
  if (!(e = check_range("train.beta2", t.beta2, kBeta2Bounds)).empty()) return e;
  if (!(e = check_range("train.epsilon", t.epsilon, kEpsilonBounds)).empty()) return e;
  if (!(e = check_range("train.reg_rate", t.reg_rate, kRegRateBounds)).empty()) return e;
  if (!(e = check_range("train.init_range", t.init_range, kInitRangeBounds)).empty()) return e;
  if (t.batch < 1 || t.batch > kMaxBatch) return fmt("train.batch must be in [1, %g], got %g", kMaxBatch, t.batch);
  const Activation out_act = layers.back().act;
  if (t.loss == LossType::SoftmaxCrossEntropy && out_act != Activation::Softmax)
    return std::string("train.loss: softmax cross-entropy needs a softmax output layer, the output layer is ") + name(out_act);
  if (out_act == Activation::Softmax && t.loss != LossType::SoftmaxCrossEntropy)
    return std::string("train.loss: a softmax output layer trains with softmaxce (softmax cross-entropy), not ") + name(t.loss);
  if (t.optimizer == Optimizer::Perceptron &&
      (layers.size() != 1 || layers[0].type != LayerType::Dense || out_act != Activation::Step))
    return "train.optimizer: the perceptron rule trains a single dense layer of step neurons (no hidden layers, activation step)";
  return "";
}

std::string validate(const Config& c) {
  std::string e = validate_data(c.data);
  if (!e.empty()) return e;
  if (c.layers.empty()) return "layers: the network needs at least an output layer";
  if ((int)c.layers.size() > kMaxLayers)
    return fmt("layers: %g layers, beyond the limit of %g", (double)c.layers.size(), kMaxLayers);
  int in_shape[3];
  if (is_image(c.data.set)) { in_shape[0] = 1; in_shape[1] = kImageSide; in_shape[2] = kImageSide; }
  else { in_shape[0] = feature_count(c.data.features); in_shape[1] = 1; in_shape[2] = 1; }
  std::vector<detail::LayerPlan> plan;
  long params = 0;
  e = detail::plan_layers(in_shape, c.layers, &plan, &params);
  if (!e.empty()) return e;
  long per_example = 0;                               // z, a, dz, da per layer, plus batch norm's y and dropout's mask
  for (const auto& p : plan)
    per_example += p.nout * (4L + (p.spec.type == LayerType::Dropout ||
                                   (p.spec.type == LayerType::BatchNorm && p.spec.act != Activation::Linear)));
  if ((double)per_example * std::max(1, c.train.batch) > (double)kMaxBatchFloats)
    return fmt("network: a batch of %g needs %g floats of activations, beyond the limit %g; use a smaller batch or smaller layers",
               c.train.batch, (double)per_example * c.train.batch, (double)kMaxBatchFloats);
  const LayerSpec& out = c.layers.back();
  const int li = (int)c.layers.size();
  if (out.type != LayerType::Dense)
    return fmt("layer %g (output): the output layer must be dense, it is ", li) + name(out.type);
  const int want = output_units(c);
  if (out.units != want)
    return fmt("layer %g (output): %g units, but the data set needs %g", li, out.units, want) +
           (is_classification(c.data.set) ? (want == 1 ? " (two classes, one output)" : " (one per class)") : " (one regression output)");
  if (!is_classification(c.data.set) && out.act == Activation::Softmax)
    return fmt("layer %g (output): softmax is for classification, this data set is regression", li);
  return detail::validate_train(c.train, c.layers);
}

}  // namespace nnplay
