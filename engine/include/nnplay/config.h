// nnplay public header: the configuration of an experiment (data, network, training) as plain
// values, with their documented limits. No behaviour here beyond validation.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace nnplay {

enum class DataSet : uint8_t {
  Circle, Xor, Gauss, Spiral, Moons, User,          // two-class 2-D
  Blobs, MultiSpiral,                               // multi-class 2-D (classes 3..6)
  RegPlane, RegGauss,                               // regression 2-D
  Shapes, Digits                                    // images (1, 28, 28), filled in by the CNN issue
};
enum class Feature : uint8_t { X1, X2, X1Sq, X2Sq, X1X2, SinX1, SinX2, Count };
enum class Activation : uint8_t { Linear, Sigmoid, Tanh, Relu, LeakyRelu, Step, Softmax, Elu, Gelu, Silu };
enum class LayerType : uint8_t { Dense, Conv, MaxPool, AvgPool, Flatten, BatchNorm, Dropout };
enum class LossType : uint8_t { SquaredError, HalfSquaredError, SoftmaxCrossEntropy };
enum class Optimizer : uint8_t { Sgd, Momentum, Nesterov, Adam, Perceptron };
enum class Regularization : uint8_t { None, L1, L2 };
enum class Init : uint8_t { Xavier, He, Uniform, Zeros };
enum class StepSize : uint8_t { Example, Batch, Epoch };

struct Point { float x1, x2, label; };                 // label: class index, or target value for regression

struct DataSpec {
  DataSet set = DataSet::Circle;
  float noise = 0.0f;                                  // kNoiseBounds (percent, TF Playground's scale)
  int train_percent = 50;                              // kTrainPercentBounds
  int points = 500;                                    // 2-D sets: 10..5000
  int classes = 3;                                     // multi-class sets: kClassesBounds
  uint32_t features = 0b11;                            // bit i = Feature i; 2-D sets only
  std::vector<Point> user_points;                      // DataSet::User, and points added by clicking
};

struct LayerSpec {
  LayerType type = LayerType::Dense;
  int units = 4;                                       // dense: 1..kMaxUnits
  Activation act = Activation::Tanh;                   // dense, conv and batch norm (batch norm: after the affine step; linear = none)
  float leak = 0.01f;                                  // leaky ReLU slope a
  int filters = 6, kernel = 5, stride = 1, pad = 0;    // conv
  int pool = 2, pool_stride = 2;                       // max/avg pool
  float rate = 0.5f;                                   // dropout: the probability p of zeroing a value, 0..kMaxDropout
};

struct TrainSpec {
  LossType loss = LossType::HalfSquaredError;
  Optimizer optimizer = Optimizer::Sgd;
  float learning_rate = 0.03f;
  float momentum = 0.9f;                               // momentum and Nesterov
  float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-8f; // Adam
  Regularization reg = Regularization::None;
  float reg_rate = 0.0f;
  int batch = 10;                                      // 1..kMaxBatch
  Init init = Init::Xavier;
  float init_range = 0.5f;                             // Init::Uniform: U(-r, r)
};

// The whole experiment. `layers` lists hidden layers AND the output layer (last, dense);
// the input layer is implied by the data (features for 2-D sets, (1,28,28) for images).
struct Config {
  DataSpec data;
  std::vector<LayerSpec> layers;
  TrainSpec train;
  uint64_t seed = 1;                                   // data, init and shuffling all derive from it
};

// Documented limits; validate() reports anything beyond them.
inline constexpr int kMaxLayers = 16;                  // hidden + output (the playground UI caps hidden at 8)
inline constexpr int kMaxUnits = 1024;                 // dense units per layer (the playground UI caps at 16)
inline constexpr int kMaxBatch = 1024;
inline constexpr long kMaxParams = 4'000'000;
inline constexpr int kMaxPoints = 5000;                // 2-D sets (points in all, train + test)
inline constexpr int kMaxImages = 20000;               // image sets (images in all: 80 MB of floats at the limit)
inline constexpr long kMaxExampleFloats = 1'000'000;   // outputs of one layer for one example (C*P*Q)
inline constexpr long kMaxBatchFloats = 32'000'000;    // z, a, dz, da of every layer for one batch, in floats
inline constexpr float kMaxDropout = 0.9f;             // dropout rate p in [0, kMaxDropout]
inline constexpr float kBatchNormEpsilon = 1e-5f;      // batch norm: x^ = (x - mean) / sqrt(var + epsilon)
inline constexpr float kBatchNormMomentum = 0.1f;      // batch norm: running = (1 - m) running + m batch (PyTorch's convention)

// Bounds of the scalar fields (inclusive), stated once: validate(), the link and the JSON readers
// all use these, so a value one of them accepts the others accept too.
struct Bounds { double lo, hi; };
inline constexpr Bounds kNoiseBounds{0, 50};           // DataSpec::noise
inline constexpr Bounds kTrainPercentBounds{10, 90};   // DataSpec::train_percent
inline constexpr Bounds kClassesBounds{3, 6};          // DataSpec::classes (multi-class sets)
inline constexpr Bounds kLearningRateBounds{0, 10};
inline constexpr Bounds kMomentumBounds{0, 0.9999};    // 1 would never forget a gradient
inline constexpr Bounds kBeta1Bounds{0, 0.9999};
inline constexpr Bounds kBeta2Bounds{0, 0.999999};
inline constexpr Bounds kEpsilonBounds{1e-12, 1};
inline constexpr Bounds kRegRateBounds{0, 10};
inline constexpr Bounds kInitRangeBounds{1e-6, 10};    // Init::Uniform's r
inline constexpr Bounds kDropoutBounds{0, kMaxDropout}; // LayerSpec::rate of a dropout layer

// Output conventions (engine-wide):
// - Two-class labels are 0/1 (1 = TF Playground's +1). The target of the single output is mapped
//   to the output activation's range: sigmoid, step, ReLU, leaky ReLU -> {0, 1}; tanh, linear ->
//   {-1, +1}. Accuracy thresholds the output at the midpoint (0.5, resp. 0). A two-class set may
//   instead use a 2-unit softmax output (then targets are one-hot, as below).
// - Multi-class (and images): one output unit per class; softmax + softmaxce takes one-hot targets;
//   other activations take "on" 1 and "off" the low end of the range (0 or -1). Accuracy: argmax.
// - Regression: one output, target = the label value (TF Playground: linear output).
// - Losses are means over the batch: square E = (z~ - z)^2 summed over outputs (the lecture's,
//   no 1/2), halfsquare the same with 1/2, softmaxce -log p_target. Regularization is added to the
//   gradients of weights only (not biases): L1 rate*sign(w), L2 rate*w (penalty rate*w^2/2).
// - Optimizers (g = gradient + regularization): sgd w -= lr g; momentum v = m v + g, w -= lr v;
//   nesterov v = m v + g, w -= lr (g + m v); adam with bias correction 1 - beta^t; perceptron:
//   Rosenblatt's rule w += lr (t - y) x (averaged over the batch), single step layer only.
// - Init: xavier U(+-sqrt(6/(fan_in+fan_out))), he U(+-sqrt(6/fan_in)), uniform U(+-init_range),
//   zeros; biases start at 0.
// - Activations beyond the lecture's: elu x > 0 ? x : e^x - 1 (alpha 1); gelu, tanh approximation
//   0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), computed as x / (1 + e^(-2u)), the same function;
//   silu (swish) x * sigmoid(x) = x / (1 + e^-x). All with the engine's own exp.
// - Batch norm (LayerType::BatchNorm, a hidden layer after dense, conv, pool or flatten): per unit
//   of a flat input, per channel of an image input (C,H,W) over the batch and the H*W positions.
//   Training: x^ = (x - mean_B) / sqrt(var_B + kBatchNormEpsilon) with the batch's mean and biased
//   variance; then y = gamma x^ + beta and a = act(y) (act linear by default). The running mean
//   and running variance (unbiased: var_B * M / (M - 1), M values per channel) follow
//   running = (1 - kBatchNormMomentum) running + kBatchNormMomentum batch at every update. Metrics,
//   predictions, heatmaps and the per-example trace use the running statistics. gamma starts at
//   1, beta at 0 (the layer's "weights" and "biases"; no L1/L2 on them); running mean 0, var 1.
//   A batch of one example (step size "example") normalizes every flat unit to 0.
// - Dropout (LayerType::Dropout, rate p): in training, each value is kept with probability 1 - p
//   and scaled by 1 / (1 - p) (inverted dropout); outside training it passes unchanged. The mask
//   is a pure function of (seed, update index, layer, position in the batch), so replay and
//   rewind reproduce it.

Config default_config();                               // TF Playground's default: circle, X1 X2, 4-2-1 tanh, lr 0.03, batch 10
std::string validate(const Config& c);                 // "" when valid, else a message naming the offending part
const char* name(DataSet v);                           // short stable names, used by share links and JSON
const char* name(Feature v);
const char* name(Activation v);
const char* name(LayerType v);
const char* name(LossType v);
const char* name(Optimizer v);
const char* name(Regularization v);
const char* name(Init v);
bool parse(const std::string& s, DataSet* out);        // inverse of name(); false if unknown
bool parse(const std::string& s, Feature* out);
bool parse(const std::string& s, Activation* out);
bool parse(const std::string& s, LayerType* out);
bool parse(const std::string& s, LossType* out);
bool parse(const std::string& s, Optimizer* out);
bool parse(const std::string& s, Regularization* out);
bool parse(const std::string& s, Init* out);
bool is_classification(DataSet s);                     // two-class or multi-class
bool is_image(DataSet s);
int max_points(DataSet s);                             // kMaxImages for image sets, else kMaxPoints

}  // namespace nnplay
