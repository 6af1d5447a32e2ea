// nnplay internal header (not public API): the network, i.e. the layer plan (shapes, parameter
// offsets), planned buffers, forward, loss and backward over a batch. No optimizer, no data here.
//
// Letters in shape comments: B batch (rows), I inputs, O outputs (units), C channels, F filters,
// H/W input height/width, P/Q output height/width, k kernel size, N per-example size of a tensor.
// Layout: every activation tensor is (B, N) row-major, N = C*P*Q for image-shaped ones, so a
// dense layer after conv/pool reads its input flattened without a copy (Flatten is a reshape).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>
#include "kernels/kernels.h"
#include "nnplay/config.h"

namespace nnplay::detail {

struct LayerPlan {
  LayerSpec spec;
  int in[3] = {0, 0, 0}, out[3] = {0, 0, 0};           // per-example (C,H,W) and (C,P,Q); flat: (N,1,1)
  int nin = 0, nout = 0;                               // C*H*W and C*P*Q
  size_t w_off = 0, nw = 0, b_off = 0, nb = 0;         // into the parameter vector: weights then biases (batch norm: gamma, beta)
  size_t s_off = 0, ns = 0;                            // into the layer state (batch norm: running mean (C), running variance (C))
  kernels::ConvShape conv{};                           // conv layers
  kernels::PoolShape pool{};                           // pool layers
};

// Shapes and parameter offsets of `layers` on an input of per-example shape in_shape (C,H,W),
// 2-D sets as (features,1,1). Returns "" or a message naming the layer ("layer 2 (conv): ...").
std::string plan_layers(const int in_shape[3], const std::vector<LayerSpec>& layers,
                        std::vector<LayerPlan>* out, long* param_count);

// The activations of one batch: per layer z, a, dz, da (B, nout) and max-pool argmax.
// For pool and flatten layers a aliases z and da aliases dz (no activation function).
// Batch norm: z = x^ (the normalized input), a = the output, pre = gamma x^ + beta when an
// activation follows (else a is it), mean/istd (C) the statistics used. Dropout: z = the input,
// a = the output, mask (B, nout) = 0 or 1/(1-p) per value.
struct Workspace {
  int capacity = 0;                                    // max rows B
  struct Layer { std::vector<float> z, a, dz, da, pre, mask, mean, istd; std::vector<int32_t> argmax; };
  std::vector<Layer> layers;
  std::vector<float> target;                           // (B, outputs) encoded targets
  const float* input = nullptr;                        // (B, nin of layer 0), set by forward()
  int rows = 0;                                        // B of the last forward()
  bool train = false;                                  // the last forward ran in training mode (see Pass)
  float* z(int l) { return layers[l].z.data(); }
  float* a(int l, const std::vector<LayerPlan>& p);
  float* dz(int l) { return layers[l].dz.data(); }
  float* da(int l, const std::vector<LayerPlan>& p);
};

// How a forward pass runs. Training: batch norm normalizes with the batch's statistics and moves
// the running ones (when `state` is set), dropout draws its masks from `noise`. Inference (the
// default): batch norm uses the running statistics in `state` (null: the initial mean 0, variance 1),
// dropout passes values through. Nets without those layers compute the same in both modes.
struct Pass {
  bool train = false;
  float* state = nullptr;                              // the layer state (Net::state_count floats): running mean/variance
  uint64_t noise = 0;                                  // training: the key of this update's dropout masks (dropout.cpp)
};

// How class labels become output targets (config.h documents the convention).
struct TargetCode { bool one_hot = false; float off = 0.0f, on = 1.0f; bool regression = false; };
TargetCode target_code(Activation out_act, bool classification, int outputs);
float midpoint(Activation out_act);                    // two-class decision threshold on the output
kernels::Act kact(Activation a);                       // the kernels' activation code (Softmax -> Linear: it is fused with the loss)

class Net {
 public:
  std::vector<LayerPlan> plan;
  LossType loss = LossType::HalfSquaredError;
  TargetCode code;
  size_t param_count = 0;
  size_t state_count = 0;                              // floats of layer state (batch norm running statistics)
  std::vector<float> work;                             // kernel scratch, sized for the largest workspace

  // Plans the layers (plan_layers) and scratch for batches up to max_rows; "" or an error.
  std::string setup(const int in_shape[3], const std::vector<LayerSpec>& layers, LossType loss,
                    bool classification, int max_rows);
  void make_workspace(Workspace* ws, int capacity) const;  // allocates; never called by a step
  int outputs() const { return plan.back().nout; }
  int input_size() const { return plan.front().nin; }

  // Forward of B rows of x (B, I) through every layer (x must outlive backward()).
  void forward(Workspace& ws, const float* params, const float* x, int B, const Pass& pass = Pass{});
  void init_state(float* state) const;                 // the initial layer state: running mean 0, variance 1
  // Encodes labels (B) into ws.target (B, O) by `code`.
  void encode_targets(Workspace& ws, const float* labels, int B) const;
  // Mean loss over the B rows of the last forward against ws.target; writes dE/da and dE/dz of
  // the output layer (E = that mean), so the backward gradients are means over the batch.
  double loss_and_output_grad(Workspace& ws);
  // Per-row loss (no gradient), for metrics: loss of row r against ws.target.
  double row_loss(const Workspace& ws, int r) const;
  // Backward through every layer: grads (same layout as params) overwritten with dE/dparams;
  // dz/da of every layer filled. Input gradient of layer 0 is not computed. Batch norm and dropout
  // differentiate the mode of the last forward (ws.train).
  void backward(Workspace& ws, const float* params, float* grads);
  // Perceptron rule (single step layer): dz = (y - t) / B at the output, then backward.
  void perceptron_grad(Workspace& ws);
};

}  // namespace nnplay::detail
