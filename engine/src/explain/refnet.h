// nnplay internal header (not public API): the explainers' double-precision reference forward of a
// session's network for one example, used for the numeric gradient checks, and the shared helpers
// that read one example (input row, encoded target) out of a session. Not the engine's forward.
//
// Letters: C channels, H/W input height/width, P/Q output height/width, k kernel, N = C*P*Q.
#pragma once
#include <cstddef>
#include <string>
#include <vector>
#include "nnplay/config.h"
#include "nnplay/explain.h"
#include "nnplay/session.h"

namespace nnplay::explain::ref {

struct Layer {
  LayerSpec spec;
  int in[3] = {0, 0, 0}, out[3] = {0, 0, 0};           // per-example (C,H,W) and (C,P,Q)
  int nin = 0, nout = 0;
  size_t w_off = 0, nw = 0, b_off = 0, nb = 0;         // into the parameter vector (Session::parameters order)
  size_t s_off = 0;                                    // batch norm: its running mean (C) then variance (C) in Net::state
};

// One example of a session, in double, with everything a forward needs.
struct Net {
  std::vector<Layer> layers;
  LossType loss = LossType::SquaredError;
  std::vector<double> params;                          // Session::parameters(), as double
  std::vector<float> params_f;                         // the same, float
  std::vector<double> state;                           // Session::layer_state(): batch norm runs in inference mode, as trace_example
  std::vector<double> x;                               // the example's input (I)
  std::vector<float> x_f;
  std::vector<double> target;                          // encoded as the engine encodes it (outputs)
  float label = 0;
};

// Reads the session's layout, parameters and example `ex` (and runs s.trace_example for it).
std::string from_session(Session& s, ExampleRef ex, Net* out);

// An optional nudge added to one unit's z or a of one layer during the forward.
struct Nudge { int layer = -1; bool on_a = false; int unit = 0; double delta = 0; };

struct Run {
  std::vector<std::vector<double>> z, a;               // per layer (N)
  std::vector<std::vector<double>> y;                  // per layer: the activation's argument (z; batch norm gamma z + beta)
  std::vector<std::vector<int>> pattern;               // per layer: ReLU/leaky/step side (z > 0), max-pool winner; else empty
  double loss = 0;
};
void forward(const Net& net, const double* params, const Nudge& nudge, Run* out);
double loss_of(const Net& net, LossType loss, const std::vector<double>& z_out, const std::vector<double>& a_out);

// Central differences in double; `loss` overrides the net's loss (for the 1/2 convention).
NumericCheck numeric_param(const Net& net, size_t index, LossType loss, double analytic);
NumericCheck numeric_unit(const Net& net, int layer, bool on_a, int unit, double analytic);
double rel_error(double a, double n);

double act_d(Activation a, float leak, double z);      // f(z) in double
}  // namespace nnplay::explain::ref
