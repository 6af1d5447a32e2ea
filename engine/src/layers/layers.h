// nnplay internal header (not public API): the layers that are more than one kernel call, i.e.
// batch normalization and dropout, as forward/backward functions that net.cpp calls per layer.
// Not the planning (net.cpp) and not where the running statistics live (session.cpp).
//
// Letters as in net.h: B rows, C channels (the units of a flat input), S = H*W positions per
// channel (1 for a flat input); a layer's input x and output are (B, C, S) = (B, nin) row-major.
#pragma once
#include <cstdint>
#include "../net.h"

namespace nnplay::detail {

// Batch norm forward: L.z = x^ (B,C,S), L.a = act(gamma x^ + beta), L.mean/L.istd (C) the
// statistics used. Training: the batch's, and state (if not null) gets the running update;
// inference: state's running statistics (null: mean 0, variance 1).
void batchnorm_forward(const LayerPlan& p, Workspace::Layer& L, const float* x, int B, const float* gamma,
                       const float* beta, float* state, bool train);
// Batch norm backward from L.da: L.dz = dE/dx^, dgamma/dbeta (C) overwritten, dx (B,C,S)
// overwritten when not null; `train` is the mode of the forward it differentiates.
void batchnorm_backward(const LayerPlan& p, Workspace::Layer& L, int B, const float* gamma, float* dgamma,
                        float* dbeta, float* dx, bool train);

// Dropout forward: L.z = x, L.a = x * mask; training draws L.mask (0 or 1/(1-p)) from
// (key, layer, position in the batch); inference copies x.
void dropout_forward(const LayerPlan& p, Workspace::Layer& L, const float* x, int B, int layer, uint64_t key,
                     bool train);
// Dropout backward: L.dz = L.da * mask (training) or L.da; dx (B, nin) = L.dz when not null.
void dropout_backward(const LayerPlan& p, Workspace::Layer& L, int B, float* dx, bool train);
// The dropout mask value of one position: 0 with probability p, else 1/(1-p). A pure function.
float dropout_mask(uint64_t key, int layer, uint64_t index, float rate);

}  // namespace nnplay::detail
