// Element-wise activations, scalar references: y = f(x) and dx = dy * f'(x) (from x or y).
// ReLU and leaky ReLU test `x < 0` (forward) and `x > 0` (backward) so a NaN passes through the
// forward (divergence is detected downstream) and the kink at 0 takes the zero-side slope.
// Step (McCulloch-Pitts): 1 for x > 0 else 0; its derivative is taken as 0 (flat almost everywhere).
// ELU, GELU and SiLU are nn_math.cpp's functions; ELU (alpha 1) has slope 1 on both sides of 0.
#include <cstring>
#include "../internal.h"

namespace nnplay::kernels {

void f32_act_forward__scalar(size_t n, Act a, float leak, float* y, const float* x) {
  switch (a) {
    case Act::Linear:    NNPLAY_SCALAR_LOOP for (size_t i = 0; i < n; i++) y[i] = x[i]; break;
    case Act::Sigmoid:   NNPLAY_SCALAR_LOOP for (size_t i = 0; i < n; i++) y[i] = nn_sigmoidf(x[i]); break;
    case Act::Tanh:      NNPLAY_SCALAR_LOOP for (size_t i = 0; i < n; i++) y[i] = nn_tanhf(x[i]); break;
    case Act::Relu:  // as a bit mask, like the SIMD code: clang for wasm turned the select into a max that maps -0 to +0
      NNPLAY_SCALAR_LOOP for (size_t i = 0; i < n; i++) {
        uint32_t b;
        std::memcpy(&b, &x[i], 4);
        b &= x[i] < 0.0f ? 0u : ~0u;
        std::memcpy(&y[i], &b, 4);
      }
      break;
    case Act::LeakyRelu: NNPLAY_SCALAR_LOOP for (size_t i = 0; i < n; i++) y[i] = x[i] < 0.0f ? leak * x[i] : x[i]; break;
    case Act::Step:      NNPLAY_SCALAR_LOOP for (size_t i = 0; i < n; i++) y[i] = x[i] > 0.0f ? 1.0f : 0.0f; break;
    case Act::Elu:       NNPLAY_SCALAR_LOOP for (size_t i = 0; i < n; i++) y[i] = nn_eluf(x[i]); break;
    case Act::Gelu:      NNPLAY_SCALAR_LOOP for (size_t i = 0; i < n; i++) y[i] = nn_geluf(x[i]); break;
    case Act::Silu:      NNPLAY_SCALAR_LOOP for (size_t i = 0; i < n; i++) y[i] = nn_siluf(x[i]); break;
  }
}

// Sigmoid: dx = dy * (y * (1 - y)); Tanh: dx = dy * (1 - y * y); both from y. ReLU/leaky from x.
// ELU: x > 0 ? dy : dy * (y + 1) (x and y); GELU and SiLU: dy * f'(x), f' recomputed from x.
void f32_act_backward__scalar(size_t n, Act a, float leak, float* dx, const float* dy, const float* x, const float* y) {
  switch (a) {
    case Act::Linear:    NNPLAY_SCALAR_LOOP for (size_t i = 0; i < n; i++) dx[i] = dy[i]; break;
    case Act::Sigmoid:   NNPLAY_SCALAR_LOOP for (size_t i = 0; i < n; i++) dx[i] = dy[i] * (y[i] * (1.0f - y[i])); break;
    case Act::Tanh:      NNPLAY_SCALAR_LOOP for (size_t i = 0; i < n; i++) dx[i] = dy[i] * (1.0f - y[i] * y[i]); break;
    case Act::Relu:      NNPLAY_SCALAR_LOOP for (size_t i = 0; i < n; i++) dx[i] = x[i] > 0.0f ? dy[i] : 0.0f; break;
    case Act::LeakyRelu: NNPLAY_SCALAR_LOOP for (size_t i = 0; i < n; i++) dx[i] = x[i] > 0.0f ? dy[i] : leak * dy[i]; break;
    case Act::Step:      NNPLAY_SCALAR_LOOP for (size_t i = 0; i < n; i++) dx[i] = 0.0f; break;
    case Act::Elu:       NNPLAY_SCALAR_LOOP for (size_t i = 0; i < n; i++) dx[i] = x[i] > 0.0f ? dy[i] : dy[i] * (y[i] + 1.0f); break;
    case Act::Gelu:      NNPLAY_SCALAR_LOOP for (size_t i = 0; i < n; i++) dx[i] = dy[i] * nn_gelu_gradf(x[i]); break;
    case Act::Silu:      NNPLAY_SCALAR_LOOP for (size_t i = 0; i < n; i++) dx[i] = dy[i] * nn_silu_gradf(x[i]); break;
  }
}

}  // namespace nnplay::kernels
