// Internal to engine/kernels: the declarations of every variant (`__scalar` references and
// `__wasmsimd` fast versions) that dispatch.cpp chooses between, and that the kernel tests call
// directly. The engine calls only the dispatchers in kernels.h.
#pragma once
#include <cassert>
#include "kernels.h"

namespace nnplay::kernels {

// GEMM; arguments as the dispatchers in kernels.h.
#define NNPLAY_GEMM_ARGS size_t M, size_t N, size_t K, float* C, size_t ldc, const float* A, size_t lda, \
                         const float* B, size_t ldb, bool accumulate, float* work
void f32_gemm_nn__scalar(NNPLAY_GEMM_ARGS);
void f32_gemm_nt__scalar(NNPLAY_GEMM_ARGS);
void f32_gemm_tn__scalar(NNPLAY_GEMM_ARGS);
void f32_gemm_nn_4x8__wasmsimd(NNPLAY_GEMM_ARGS);
void f32_gemm_nt_4x8__wasmsimd(NNPLAY_GEMM_ARGS);
void f32_gemm_tn_4x8__wasmsimd(NNPLAY_GEMM_ARGS);

// bias
void f32_bias_add__scalar(size_t rows, size_t cols, float* y, size_t ldy, const float* bias);
void f32_bias_grad__scalar(size_t rows, size_t cols, float* dbias, const float* dy, size_t ldy, bool accumulate);
void f32_channel_bias_add__scalar(size_t C, size_t HW, float* y, const float* bias);
void f32_channel_bias_grad__scalar(size_t C, size_t HW, float* dbias, const float* dy);
void f32_bias_add__wasmsimd(size_t rows, size_t cols, float* y, size_t ldy, const float* bias);
void f32_bias_grad__wasmsimd(size_t rows, size_t cols, float* dbias, const float* dy, size_t ldy, bool accumulate);
void f32_channel_bias_add__wasmsimd(size_t C, size_t HW, float* y, const float* bias);
void f32_channel_bias_grad__wasmsimd(size_t C, size_t HW, float* dbias, const float* dy);

// activations
void f32_act_forward__scalar(size_t n, Act a, float leak, float* y, const float* x);
void f32_act_backward__scalar(size_t n, Act a, float leak, float* dx, const float* dy, const float* x, const float* y);
void f32_act_forward__wasmsimd(size_t n, Act a, float leak, float* y, const float* x);
void f32_act_backward__wasmsimd(size_t n, Act a, float leak, float* dx, const float* dy, const float* x, const float* y);

// conv2d (batched: n images per call)
#define NNPLAY_CONV_FWD_ARGS const ConvShape& sh, size_t n, float* y, float* a, Act act, float leak, const float* x, const float* w, \
                             const float* bias, float* work
void f32_conv2d_forward__scalar(NNPLAY_CONV_FWD_ARGS);
void f32_conv2d_backward_data__scalar(const ConvShape& sh, size_t n, float* dx, const float* dy, const float* w, float* work);
void f32_conv2d_backward_filter__scalar(const ConvShape& sh, size_t n, float* dw, float* dbias, const float* dy, const float* x, float* work);
void f32_conv2d_forward__wasmsimd(NNPLAY_CONV_FWD_ARGS);
void f32_conv2d_backward_data__wasmsimd(const ConvShape& sh, size_t n, float* dx, const float* dy, const float* w, float* work);
void f32_conv2d_backward_filter__wasmsimd(const ConvShape& sh, size_t n, float* dw, float* dbias, const float* dy, const float* x, float* work);
// Which algorithm the SIMD forward and backward-filter run for a shape, and the direct forward's
// tile: decided from the shape alone (deterministic; every path and tile gives the same bits).
// The overrides are test/bench hooks.
enum class ConvPath { Auto, Gemm, Direct };
inline ConvPath conv_path_override = ConvPath::Auto;
ConvPath conv2d_forward_path(const ConvShape& sh);
inline ConvPath conv_filter_path_override = ConvPath::Auto;
ConvPath conv2d_backward_filter_path(const ConvShape& sh);   // direct: stride 1, not 1x1
struct ConvTile { int R = 0, NV = 0; };                      // R filters x 4 NV output columns (NV 1, 2 or 4); R 0: by shape
inline ConvTile conv_tile_override{};
ConvTile conv2d_forward_tile(const ConvShape& sh);

// pooling
void f32_maxpool_forward__scalar(const PoolShape& sh, float* y, int32_t* argmax, const float* x);
void f32_maxpool_backward__scalar(const PoolShape& sh, float* dx, const float* dy, const int32_t* argmax);
void f32_avgpool_forward__scalar(const PoolShape& sh, float* y, const float* x);
void f32_avgpool_backward__scalar(const PoolShape& sh, float* dx, const float* dy);
void f32_maxpool_forward__wasmsimd(const PoolShape& sh, float* y, int32_t* argmax, const float* x);
void f32_maxpool_backward__wasmsimd(const PoolShape& sh, float* dx, const float* dy, const int32_t* argmax);
void f32_avgpool_forward__wasmsimd(const PoolShape& sh, float* y, const float* x);
void f32_avgpool_backward__wasmsimd(const PoolShape& sh, float* dx, const float* dy);

// optimizer step
bool f32_sgd_update__scalar(size_t n, float* w, float* prev, const float* g, float lr, Reg reg, float rate, double norms[8]);
bool f32_sgd_update__wasmsimd(size_t n, float* w, float* prev, const float* g, float lr, Reg reg, float rate, double norms[8]);
bool f32_adam_update__scalar(size_t n, float* w, float* prev, float* m, float* pm, float* v, float* pv, const float* g,
                             const AdamRule& k, Reg reg, float rate, double norms[8]);
bool f32_adam_update__wasmsimd(size_t n, float* w, float* prev, float* m, float* pm, float* v, float* pv, const float* g,
                               const AdamRule& k, Reg reg, float rate, double norms[8]);

// Keeps a scalar reference loop scalar (an honest baseline for the scalar backend).
#if defined(__clang__)
#define NNPLAY_SCALAR_LOOP _Pragma("clang loop vectorize(disable) interleave(disable)")
#else
#define NNPLAY_SCALAR_LOOP
#endif

inline size_t round_up(size_t n, size_t q) { return (n + q - 1) / q * q; }

}  // namespace nnplay::kernels
