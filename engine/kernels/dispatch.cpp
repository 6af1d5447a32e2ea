// The dispatchers of kernels.h: each forwards to the SIMD128 version or to the scalar reference
// by the process-wide backend, plus the workspace sizes (the same for both backends, so a plan
// made once stays valid when the backend is switched at run time).
#include <algorithm>
#include "internal.h"

namespace nnplay::kernels {

static Backend g_backend = Backend::Simd;
void set_backend(Backend b) { g_backend = b; }
Backend backend() { return g_backend; }
static inline bool simd() { return g_backend == Backend::Simd; }

#define NNPLAY_PICK2(simd_name, name, ...) (simd() ? simd_name(__VA_ARGS__) : name##__scalar(__VA_ARGS__))
#define NNPLAY_PICK(name, ...) NNPLAY_PICK2(name##__wasmsimd, name, __VA_ARGS__)

// gemm_workspace_floats lives beside the SIMD GEMM (gemm/), whose packing it sizes.


void f32_gemm_nn(NNPLAY_GEMM_ARGS) { NNPLAY_PICK2(f32_gemm_nn_4x8__wasmsimd, f32_gemm_nn, M, N, K, C, ldc, A, lda, B, ldb, accumulate, work); }
void f32_gemm_nt(NNPLAY_GEMM_ARGS) { NNPLAY_PICK2(f32_gemm_nt_4x8__wasmsimd, f32_gemm_nt, M, N, K, C, ldc, A, lda, B, ldb, accumulate, work); }
void f32_gemm_tn(NNPLAY_GEMM_ARGS) { NNPLAY_PICK2(f32_gemm_tn_4x8__wasmsimd, f32_gemm_tn, M, N, K, C, ldc, A, lda, B, ldb, accumulate, work); }

void f32_bias_add(size_t rows, size_t cols, float* y, size_t ldy, const float* bias) { NNPLAY_PICK(f32_bias_add, rows, cols, y, ldy, bias); }
void f32_bias_grad(size_t rows, size_t cols, float* dbias, const float* dy, size_t ldy, bool accumulate) { NNPLAY_PICK(f32_bias_grad, rows, cols, dbias, dy, ldy, accumulate); }
void f32_channel_bias_add(size_t C, size_t HW, float* y, const float* bias) { NNPLAY_PICK(f32_channel_bias_add, C, HW, y, bias); }
void f32_channel_bias_grad(size_t C, size_t HW, float* dbias, const float* dy) { NNPLAY_PICK(f32_channel_bias_grad, C, HW, dbias, dy); }

void f32_act_forward(size_t n, Act a, float leak, float* y, const float* x) { NNPLAY_PICK(f32_act_forward, n, a, leak, y, x); }
void f32_act_backward(size_t n, Act a, float leak, float* dx, const float* dy, const float* x, const float* y) { NNPLAY_PICK(f32_act_backward, n, a, leak, dx, dy, x, y); }

// conv2d_workspace_floats lives beside the SIMD conv (conv/), whose buffers it sizes.
void f32_conv2d_forward(NNPLAY_CONV_FWD_ARGS) { NNPLAY_PICK(f32_conv2d_forward, sh, n, y, a, act, leak, x, w, bias, work); }
void f32_conv2d_backward_data(const ConvShape& sh, size_t n, float* dx, const float* dy, const float* w, float* work) { NNPLAY_PICK(f32_conv2d_backward_data, sh, n, dx, dy, w, work); }
void f32_conv2d_backward_filter(const ConvShape& sh, size_t n, float* dw, float* dbias, const float* dy, const float* x, float* work) { NNPLAY_PICK(f32_conv2d_backward_filter, sh, n, dw, dbias, dy, x, work); }

void f32_maxpool_forward(const PoolShape& sh, float* y, int32_t* argmax, const float* x) { NNPLAY_PICK(f32_maxpool_forward, sh, y, argmax, x); }
void f32_maxpool_backward(const PoolShape& sh, float* dx, const float* dy, const int32_t* argmax) { NNPLAY_PICK(f32_maxpool_backward, sh, dx, dy, argmax); }
void f32_avgpool_forward(const PoolShape& sh, float* y, const float* x) { NNPLAY_PICK(f32_avgpool_forward, sh, y, x); }
void f32_avgpool_backward(const PoolShape& sh, float* dx, const float* dy) { NNPLAY_PICK(f32_avgpool_backward, sh, dx, dy); }

bool f32_sgd_update(size_t n, float* w, float* prev, const float* g, float lr, Reg reg, float rate, double norms[8]) { return NNPLAY_PICK(f32_sgd_update, n, w, prev, g, lr, reg, rate, norms); }
bool f32_adam_update(size_t n, float* w, float* prev, float* m, float* pm, float* v, float* pv, const float* g, const AdamRule& k,
                     Reg reg, float rate, double norms[8]) {
  return NNPLAY_PICK(f32_adam_update, n, w, prev, m, pm, v, pv, g, k, reg, rate, norms);
}

}  // namespace nnplay::kernels
