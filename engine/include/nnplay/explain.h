// nnplay public header: the numbers behind the tutorials and the formula panel (backprop written
// out as the lecture's chain of partial derivatives, numeric gradient checks, the convolution and
// pooling explainers, activation curves, the linear-collapse demo). It computes numbers and
// structure only; the UI draws them. Not the hot path: these calls allocate freely.
//
// Conventions: errors come back as values (every call returns "" or a message and leaves *out
// valid but unspecified on error). Calls taking a Session& run Session::trace_example for the
// chosen example (so the session's ex_* trace views change) but never update the weights.
// "Engine" numbers are the engine's own float results for that one example: its forward values
// and dE/dz, dE/da read from the ex_* views of LayerTrace, and its parameter gradients formed
// from them exactly as the engine's backward does for a batch of one (dense dw = dz * x,
// db = dz; conv sums in the kernel's order), so they are bit-identical to what a one-example step
// would use. Session exposes no ex_dw/ex_db view, hence that reconstruction.
// Numeric gradients are central differences E(p+h) - E(p-h) / 2h on a separate double-precision
// forward of the network written here (dense, conv, max/avg pool, flatten, softmax), from the
// session's float parameters and example converted to double.
#pragma once
#include <cstdint>
#include <string>
#include <vector>
#include "nnplay/config.h"
#include "nnplay/session.h"

namespace nnplay::explain {

struct ExampleRef { bool test_set = false; int index = 0; };  // which example of the session's data

struct Grid {                                          // a small row-major matrix of doubles
  int rows = 0, cols = 0;
  std::vector<double> v;
  double at(int r, int c) const { return v[(size_t)r * cols + c]; }
  double& at(int r, int c) { return v[(size_t)r * cols + c]; }
  void resize(int r, int c) { rows = r; cols = c; v.assign((size_t)r * c, 0.0); }
};

// ---- 1. The lecture's 2-layer sigmoid network, one example, every number ----------------------
// Network: n inputs, one dense hidden layer of m sigmoid units, one dense sigmoid output; loss
// SquaredError (lecture, E = (z~ - z)^2) or HalfSquaredError (E = (z~ - z)^2 / 2).
// Lecture indices are used as is: index 0 is the bias ("x_0 = 1", "b_0 = 1"), so
//   x[0] = 1, x[i] = input i (i = 1..n);  a[j], b[j] (j = 1..m; a[0] = 0, b[0] = 1);
//   w.at(i, j) = w_ij, the weight from input i to hidden j, w.at(0, j) = w_0j (the bias); column 0 unused (0);
//   v[j] = v_j, v[0] = v_0.
// Mapping to the engine (dense weights are (O, I) row-major; Session::parameters() order):
//   w_ij = trace(0).w[(j-1)*n + (i-1)] = parameters()[(j-1)*n + (i-1)]
//   w_0j = trace(0).b[j-1]             = parameters()[m*n + (j-1)]
//   v_j  = trace(1).w[j-1]             = parameters()[m*n + m + (j-1)]
//   v_0  = trace(1).b[0]               = parameters()[m*n + 2m]
struct LectureGrads {
  LossType loss = LossType::SquaredError;
  double E = 0;                                        // (z~ - z)^2, or half of it, in double from the float z~
  double dE_dzt = 0;                                   // dE/dz~ = 2 (z~ - z), or (z~ - z)          [float, engine's formula]
  double dE_dc = 0;                                    // dE/dz~ · dz~/dc                          [float]
  std::vector<double> dE_db, dE_da;                    // j = 1..m: dE/dc · dc/db_j, then · db_j/da_j [float]
  // Chain products, float arithmetic grouped left to right as the lecture writes the chain
  // ((((dE/dz~ · dz~/dc) · dc/db_j) · db_j/da_j) · da_j/dw_ij): the engine's operations in the
  // engine's order, hence bit-identical to the engine's gradient.
  std::vector<double> dv;                              // dE/dv_j, j = 0..m
  Grid dw;                                             // dE/dw_ij, (n+1, m+1), same indexing as w
  std::vector<double> dv_closed;                       // 2 z~(1-z~)(z~-z) b_j (no 2 for the 1/2 form), in double
  Grid dw_closed;                                      // 2 z~(1-z~)(z~-z) v_j b_j(1-b_j) x_i, in double
  bool has_engine = false;                             // true only for the session's own loss
  double engine_dE_dzt = 0, engine_dE_dc = 0;          // trace(1).ex_da[0], trace(1).ex_dz[0]
  std::vector<double> engine_dE_db, engine_dE_da;      // trace(0).ex_da[j-1], trace(0).ex_dz[j-1]
  std::vector<double> dv_engine;                       // trace(1).ex_dz[0] * b_j (v_0: ex_dz[0])
  Grid dw_engine;                                      // trace(0).ex_dz[j-1] * x_i (w_0j: ex_dz[j-1])
  std::vector<double> dv_numeric;                      // central difference in double
  Grid dw_numeric;
  std::vector<double> v_new;                           // v - alpha · dE/dv (float, as the engine's SGD)
  Grid w_new;                                          // w - alpha · dE/dw
};
struct LectureBackprop {
  int n = 0, m = 0;
  ExampleRef example;
  double alpha = 0;                                    // the session's learning rate
  bool plain_sgd = true;                               // false: the session's optimizer/regularization differs from w - alpha g (the update shown is still the lecture's)
  LossType session_loss = LossType::SquaredError;
  std::vector<double> x, a, b, v;                      // forward values: the engine's floats (see indexing above)
  Grid w;
  double c = 0, zt = 0, z = 0;                         // output pre-activation, z~ = f(c), target z
  // The factors of the chain (float, as the engine computes them):
  double dzt_dc = 0;                                   // z~(1 - z~)
  std::vector<double> dc_dv;                           // b_j (dc/dv_0 = 1)
  std::vector<double> dc_db;                           // v_j (j = 1..m)
  std::vector<double> db_da;                           // b_j(1 - b_j) (j = 1..m)
  //                                                      da_j/dw_ij = x_i (da_j/dw_0j = 1): the vector x
  LectureGrads square, half;                           // E = (z~-z)^2 and E = (z~-z)^2/2: gradients differ by exactly 2
  const LectureGrads& used() const { return session_loss == LossType::HalfSquaredError ? half : square; }
};
std::string lecture_backprop(Session& s, ExampleRef ex, LectureBackprop* out);

// ---- 2. The formula panel: any weight, bias or neuron of any network ----------------------------
enum class Pick : uint8_t { Weight, Bias, Neuron };
// Weight: dense (layer, out = unit o, in = input i), i.e. w[o][i]; conv (layer, out = filter f,
// in = flat (c*k + ky)*k + kx). Bias: (layer, out). Neuron: (layer, out = flat unit of the layer's
// output (C,P,Q) or (O)); pool/flatten layers have neurons but no weights.
struct Selection { Pick what = Pick::Weight; int layer = 0, out = 0, in = 0; };
struct Term {                                          // one term j·g of a sum
  int layer = 0, unit = 0;                             // where g lives (unit: flat index in that layer's output; for conv params: flat output pixel of the filter)
  double j = 0;                                        // the multiplier: a weight w_k, an input value, 1/(p*p), 1 or 0 (pool routing)
  double g = 0;                                        // dE/dz_k (engine's float)
  double product = 0;                                  // j * g in double
};
struct TermSum {
  std::vector<Term> top;                               // the largest |product| first, at most `top` of them
  int rest_count = 0;                                  // terms left out
  double rest_sum = 0;                                 // their sum
  double sum = 0;                                      // all terms, in double
  int count = 0;
};
struct NumericCheck {
  double analytic = 0, numeric = 0;                    // analytic: the engine's value
  double rel_error = 0;                                // |a - n| / max(|a|, |n|); 0 when both are below 1e-12
  double h = 0;                                        // the central-difference step
  bool kink = false;                                   // a ReLU/leaky/step pre-activation changed side, or a max-pool winner changed, between p-h and p+h;
                                                       // or a unit the nudge moves is within 1e-5 of a kink (|z| < 1e-5; a max-pool tie within 1e-5)
  std::string kink_note;                               // the first one, e.g. "layer 2 unit 3 (relu): pre-activation -4.1e-07 at p-h, 3.3e-07 at p+h (the kink at 0)"
};
struct FormulaExplain {
  Selection sel;
  LayerType type = LayerType::Dense;
  Activation act = Activation::Linear;                 // of the layer (Linear for pool/flatten)
  bool output_layer = false;
  bool engine_is_loss_gradient = true;                 // false with the perceptron optimizer: its trace holds the rule's (y - t), not dE/dz
  double value = 0;                                    // the weight, the bias, or the neuron's activation a
  double input = 0;                                    // dense weight: a_in (the input it multiplies); else 0
  int unit = -1;                                       // the neuron concerned (dense weight/bias: o; neuron: out; conv params: -1)
  double z = 0, a = 0;                                 // that neuron's pre-activation and activation (engine)
  double fprime = 1;                                   // f'(z) as the engine takes it (ReLU at 0: 0; step: 0; pool/flatten and softmax: 1, unused)
  double dE_da = 0, dE_dz = 0;                         // engine trace (output with softmax + cross-entropy: dE/dz = p - t fused, not dE/da·f')
  double target = 0;                                   // output neuron: its encoded target
  TermSum back;                                        // dE/da = sum_k w_k · dE/dz_k over the next layer (empty for the output layer)
  TermSum param;                                       // dE/dparam = sum over uses (dense: one term dz·a_in; conv: over output pixels)
  double dE_dparam = 0;                                // weight/bias: engine value (float, engine's order)
  NumericCheck check;                                  // weight/bias: dE/dparam; neuron: dE/da
  NumericCheck check_z;                                // neuron only: dE/dz
};
std::string explain_formula(Session& s, ExampleRef ex, const Selection& sel, int top, FormulaExplain* out);
// Numeric check of every parameter of layer `layer` (weights then biases, in parameters() order):
// analytic = engine's one-example gradient. For gradient-check views and tests.
std::string check_layer(Session& s, ExampleRef ex, int layer, std::vector<NumericCheck>* out);

// ---- 3. Convolution and pooling explainers -----------------------------------------------------
// One image: x (C,H,W), w (F,C,k,k), b (F); dy = dL/dz of the output (F,P,Q) (empty: no backward);
// engine_z (F,P,Q) and engine_dx (C,H,W) optional, for the "matches the engine" fields.
struct ConvProblem {
  int C = 1, H = 0, W = 0, F = 1, k = 1, s = 1, pad = 0;
  std::vector<float> x, w, b, dy, engine_z, engine_dx;
  Activation act = Activation::Linear;
  float leak = 0.01f;
  int P() const { return (H + 2 * pad - k) / s + 1; }
  int Q() const { return (W + 2 * pad - k) / s + 1; }
};
// From conv layer `layer` of a session for one example: x = the previous layer's ex_a (or the
// example's input), w/b from the trace, dy = its ex_dz, engine_z = its ex_z, engine_dx = the
// previous layer's ex_da (empty for layer 0: the engine does not compute the input gradient).
std::string conv_problem(Session& s, ExampleRef ex, int layer, ConvProblem* out);

struct ConvTap { int c, ky, kx, iy, ix; bool padding; float x, w, product, running; };
struct ConvPixel {
  int f = 0, p = 0, q = 0;
  std::vector<ConvTap> taps;                           // window in the kernel's order (c, ky, kx); iy = p*s + ky - pad
  float sum = 0, bias = 0, z = 0, a = 0;               // z = sum + bias (float, the kernel's order), a = f(z)
  bool has_engine = false;
  float engine_z = 0;
};
std::string conv_forward_pixel(const ConvProblem& pr, int f, int p, int q, ConvPixel* out);

struct KernelGradTap { int p, q, iy, ix; bool padding; float dy, x, product, running; };
struct KernelGrad {                                    // dL/dK[f][c][ky][kx] = sum_{p,q} dy[f][p][q] · x[c][p*s+ky-pad][q*s+kx-pad]
  int f = 0, c = 0, ky = 0, kx = 0;
  std::vector<KernelGradTap> taps;                     // (p, q) in order: the correlation of the input with dL/dout
  float value = 0;                                     // float, the engine's order
  float bias_grad = 0;                                 // dL/db[f] = sum_{p,q} dy[f][p][q]
};
std::string conv_kernel_grad(const ConvProblem& pr, int f, int c, int ky, int kx, KernelGrad* out);

struct InputGradTerm { int f, p, q, ky, kx; float w, dy, product; };
struct InputGrad {                                     // dL/dx[c][iy][ix] = sum over output pixels whose window covers it
  int c = 0, iy = 0, ix = 0;
  std::vector<InputGradTerm> terms;                    // (ky, kx) in order, then f
  float value = 0;                                     // float, the engine's order (per (ky,kx): sum over f, then added)
  bool has_engine = false;
  float engine_value = 0;
};
std::string conv_input_grad(const ConvProblem& pr, int c, int iy, int ix, InputGrad* out);

// Standalone 1-D and 2-D sliding products ("valid" positions only), for the kernel-flip toggle.
// Cross-correlation: y[n] = sum_m f[n+m] g[m]. Convolution: y[n] = sum_m f[n+m] g[K-1-m], i.e. the
// lecture's sum_t f(t) g(n' - t) at n' = n + K - 1 (the flipped kernel slid the same way).
struct SlideTerm { int i, j; int ki, kj; double x, k, product; };  // input (i, j), kernel element used (ki, kj); 1-D: i = ki = 0
struct SlideOut { int i, j; std::vector<SlideTerm> terms; double value; };
struct Slide {
  bool convolution = false;
  Grid kernel_used;                                    // g, or g flipped in both axes
  Grid out;                                            // (H-kh+1, W-kw+1); 1-D: one row (N-K+1 columns)
  std::vector<SlideOut> steps;                         // one per output, row-major
};
std::string slide1d(const std::vector<double>& f, const std::vector<double>& g, bool convolution, Slide* out);
std::string slide2d(const Grid& image, const Grid& kernel, bool convolution, Slide* out);

// Pooling, one channel (H, W), window p, stride s, on the engine's own kernels (float).
struct PoolWindow { int p, q; std::vector<int> cells; int winner; bool tie; };  // cells: flat input indices; winner: max only (-1 for average)
struct PoolExplain {
  bool max = true;
  int H = 0, W = 0, p = 2, s = 2, P = 0, Q = 0;
  std::vector<float> x, y;                             // (H, W), (P, Q)
  std::vector<PoolWindow> windows;                     // (p, q) row-major
  std::vector<float> dy, dx;                           // dL/dy (P, Q) as given, dL/dx (H, W): max routes dy to the winner (ties: the first in window order), average splits dy/(p*p)
};
std::string pool_explain(const std::vector<float>& x, int H, int W, int p, int s, bool max,
                         const std::vector<float>& dy, PoolExplain* out);
std::vector<float> lecture_pool_grid();                // a 4x4 example grid for the 4x4 -> 2x2 tutorial

// ---- 4. Small helpers ------------------------------------------------------------------------
struct ActivationCurve { Activation act; float leak; std::vector<float> x, y, dy; };  // dy: f'(x) as the engine's backward takes it
std::string sample_activation(Activation act, float leak, float lo, float hi, int n, ActivationCurve* out);  // n >= 2 points, lo..hi inclusive; no softmax
float activation(Activation act, float leak, float x);  // the engine's f(x) (kernels' f32_act_forward)

// A net of dense layers whose hidden activations are all linear is one affine map:
// z_L = W x + b with W = W_L ··· W_1 and b folded likewise (in double from the float weights).
struct LinearCollapse {
  int layers = 0, inputs = 0, outputs = 0;
  Grid W;                                              // (O, I)
  std::vector<double> b;                               // (O)
  std::vector<double> x;                               // the example
  std::vector<double> z, a;                            // W x + b and f_out(W x + b), in double
  std::vector<double> engine_z, engine_a;              // the engine's output layer for that example
  double max_abs_diff = 0;                             // max |a - engine_a|
};
std::string linear_collapse(Session& s, ExampleRef ex, LinearCollapse* out);

}  // namespace nnplay::explain
