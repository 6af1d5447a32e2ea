// nnplay public header: a training session, i.e. one experiment's data, network, optimizer,
// step counters, rewind history and per-step trace. The UI and the bindings drive only this.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>
#include "nnplay/config.h"
#include "nnplay/dataset.h"

namespace nnplay {

// A read-only view of a tensor owned by the session; valid until the next mutating call.
struct View {
  const float* data = nullptr;
  int shape[4] = {0, 0, 0, 0};                         // unused trailing dims are 0
  int rank = 0;
  size_t size() const;                                 // product of the used dims (0 when rank is 0)
};

// Letters used in shapes: B batch, I inputs, O outputs (units), C channels, F filters,
// H/W input height/width, P/Q output height/width, k kernel size.
struct LayerTrace {
  LayerType type = LayerType::Dense;
  Activation act = Activation::Linear;
  View w, b;                                           // dense w (O,I), b (O); conv w (F,C,k,k), b (F); batch norm gamma (C), beta (C); empty for pool/flatten/dropout
  View dw, db;                                         // their gradients from the last step (mean over its batch, before regularization)
  View z, a, dz, da;                                   // last step's batch: pre-activation, activation, dE/dz, dE/da; (B,O) or (B,C,P,Q)
                                                       // batch norm: z = the normalized input x^, a = the output; dropout: z = its input, a = its output
  View running_mean, running_var;                      // batch norm: the running statistics (C) that inference uses
  View mask;                                           // dropout: the last step's mask (shape of a), 0 or 1/(1-p) per value
  View ex_z, ex_a, ex_dz, ex_da;                       // the chosen example (trace_example), shapes without B (rank-1 less)
  const int32_t* argmax = nullptr;                     // max pool: for each output of the batch, the flat index in its input image
  const int32_t* ex_argmax = nullptr;                  // max pool, the chosen example
  int in_shape[3] = {0, 0, 0};                         // per-example input (C,H,W); dense: (I,1,1)
  int out_shape[3] = {0, 0, 0};                        // per-example output (C,P,Q); dense: (O,1,1)
};

struct Metrics {
  double batch_loss = 0;                               // loss of the last step's batch (mean), without regularization
  double train_loss = 0, test_loss = 0;                // mean over the set
  double train_accuracy = -1, test_accuracy = -1;      // -1 where not applicable (regression)
};

// Rewind (back()): snapshots of parameters + optimizer state every keyframe_interval() updates,
// in a ring of about kRewindBytes, plus the size of each of the last kRewindSteps updates; going
// back restores the snapshot before the target and replays the updates deterministically (so the
// trace after back() is the one seen at that step). Reach: kRewindSteps updates whenever two
// snapshots fit in kRewindBytes (any playground net; a 4M-parameter Adam net gets fewer).
inline constexpr int kRewindSteps = 1000;              // updates that back() can undo
inline constexpr size_t kRewindBytes = 32u << 20;      // memory bound of the snapshot ring

// Why training stopped, as data (docs/design.md, "Divergence"); the page words it in its language.
enum class StepStatus : uint8_t { Ok, Diverged };
enum class DivergenceKind : uint8_t {
  None,
  NonFinite,                                           // a NaN/Inf appeared: the update was not applied, the session stays on the last finite state
  Overshoot,                                           // an update outgrew the weights it changed (||dw|| > ||w||): kept, back() undoes it
};
enum class BadValue : uint8_t { Loss, Gradient, Weight, Statistics };  // NonFinite: what became NaN or infinite first (Statistics: batch-norm running mean/variance)
struct Divergence {
  DivergenceKind kind = DivergenceKind::None;
  BadValue value = BadValue::Loss;                     // NonFinite only
  int64_t step = 0;                                    // the update it happened at (the first is 1)
  int layer = -1;                                      // the layer whose gradient or new weights went non-finite first, or whose weights grew most relative to their size (overshoot); -1 for the loss
  float factor = 0;                                    // Overshoot: ||dw|| / ||w|| of that update over all layers
  float learning_rate = 0;                             // of the step
  float suggested_learning_rate = 0;                   // a lower rate of the 1-3-10 ladder (lr / (10 max(1, factor)) rounded down)
};
struct StepResult {
  StepStatus status = StepStatus::Ok;
  int steps_done = 0;                                  // parameter updates made
  Divergence divergence;                               // kind None unless status is Diverged
};

class Session {
 public:
  // Validates and plans every buffer; returns null with *error set when the config is invalid.
  static std::unique_ptr<Session> create(const Config& config, std::string* error);
  static std::unique_ptr<Session> create(const Config& config, Dataset data, std::string* error);  // caller-supplied data (the user's IDX files); config.data is then only recorded
  ~Session();

  const Config& config() const;
  const Dataset& data() const;

  // ---- stepping (docs/design.md, contract 3); none of these allocate ----
  StepResult step(StepSize size, int n = 1);           // n updates of 1 example / 1 batch, or n whole epochs
  int back(int n = 1);                                 // undo up to n updates; returns how many were undone
  int can_back() const;                                // how many updates can be undone now
  int keyframe_interval() const;                       // rewind: updates between stored snapshots (1 = every update); back() replays the rest
  size_t history_bytes() const;                        // memory held by the rewind history (<= about kRewindBytes)
  void reset(uint64_t seed);                           // fresh init (and data) from this seed; clears history
  int64_t step_count() const;                          // parameter updates since reset
  int64_t examples_seen() const;                       // training examples consumed since reset
  int64_t epoch() const;                               // completed passes over the training set

  // ---- parameters, in the documented order: layer by layer, weights (row-major as in LayerTrace) then biases (batch norm: gamma then beta) ----
  size_t parameter_count() const;
  void parameters(float* out) const;                   // parameter_count() floats
  std::string parameters_hash() const;                 // FNV-1a 64 over the bits of parameters(), 16 hex digits
  bool set_weight(int layer, bool bias, size_t index, float value, std::string* error);

  // ---- rewind and exact state, for share links and JSON (includes optimizer state and RNG position) ----
  std::vector<float> optimizer_state() const;
  // Layer state that is not a parameter: for each batch-norm layer in order, its running mean (C)
  // then its running variance (C). Empty when the network has no batch norm.
  std::vector<float> layer_state() const;
  bool restore(const std::vector<float>& params, const std::vector<float>& opt_state,
               int64_t steps, int64_t examples, std::string* error,
               const std::vector<float>& layer_state = {});  // opt_state may be empty: fresh optimizer state (e.g. the optimizer changed); layer_state empty: fresh running statistics

  // ---- the trace (docs/design.md, contract 2) ----
  int layer_count() const;
  const LayerTrace& trace(int layer) const;
  void trace_example(bool test_set, int index);        // forward+backward of one example into the ex_* views (no update)
  Metrics metrics() const;                             // recomputed after each step (train/test over the whole sets)
  double batch_loss() const;                           // metrics().batch_loss without evaluating the whole sets

  // Evaluates every neuron over n input points (x1,x2) in one batched call (the heatmaps).
  // out: for each dense layer l, n * units(l) activations, layers concatenated, point-major.
  size_t grid_output_floats(int n) const;
  void eval_grid(int n, const float* x1x2, float* out);
  // Predicts one example already in network-input form (features or image): returns the output
  // layer's activation (class probabilities for softmax). Fills the ex_* trace views.
  void predict(const float* input, float* out);

 private:
  Session();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nnplay
