// Internal to the engine: the hot loops, each with a scalar reference (`__scalar`) beside the
// SIMD128 version (`__wasmsimd`), and dispatchers that pick one by the run-time backend.
// Not a public header: the UI and the bindings never include it.
//
// Conventions (as XNNPACK and ggml do): counts first, then outputs, then inputs; raw pointers plus leading
// dimensions/strides in elements; row-major; kernels never allocate (callers pass workspace).
// Summation order: every output element of a GEMM is accumulated over k = 0..K-1 in order,
// starting from 0 (or from C when accumulating), in the SIMD and scalar versions alike, so both
// give bit-identical results (no FMA: -ffp-contract=off). The same holds for every kernel here
// unless its comment says otherwise.
#pragma once
#include <cstddef>
#include <cstdint>

namespace nnplay::kernels {

enum class Backend { Simd, Scalar };
void set_backend(Backend b);  // process-wide; default Simd
Backend backend();

// ---- GEMM: C (M,N) = op(A) op(B)  (+ C when accumulate) ----
// nn: A is (M,K) lda, B is (K,N) ldb.   C = A·B
// nt: A is (M,K) lda, B is (N,K) ldb.   C = A·Bᵀ
// tn: A is (K,M) lda, B is (K,N) ldb.   C = Aᵀ·B
// `work` is scratch of at least gemm_workspace_floats(M,N,K) floats (packing); may be null if that is 0.
size_t gemm_workspace_floats(size_t M, size_t N, size_t K);
void f32_gemm_nn(size_t M, size_t N, size_t K, float* C, size_t ldc, const float* A, size_t lda,
                 const float* B, size_t ldb, bool accumulate, float* work);
void f32_gemm_nt(size_t M, size_t N, size_t K, float* C, size_t ldc, const float* A, size_t lda,
                 const float* B, size_t ldb, bool accumulate, float* work);
void f32_gemm_tn(size_t M, size_t N, size_t K, float* C, size_t ldc, const float* A, size_t lda,
                 const float* B, size_t ldb, bool accumulate, float* work);

// ---- bias ----
void f32_bias_add(size_t rows, size_t cols, float* y, size_t ldy, const float* bias);        // y[r][c] += bias[c]
void f32_bias_grad(size_t rows, size_t cols, float* dbias, const float* dy, size_t ldy, bool accumulate);  // dbias[c] (+)= sum_r dy[r][c], r in order
void f32_channel_bias_add(size_t C, size_t HW, float* y, const float* bias);                 // y (C,HW): y[c][i] += bias[c]
void f32_channel_bias_grad(size_t C, size_t HW, float* dbias, const float* dy);              // dbias[c] += sum_i dy[c][i], i in order

// ---- element-wise activations: y = f(x), dx = dy * f'(x) (from x and/or y) ----
enum class Act : uint8_t { Linear, Sigmoid, Tanh, Relu, LeakyRelu, Step, Elu, Gelu, Silu };
void f32_act_forward(size_t n, Act a, float leak, float* y, const float* x);
void f32_act_backward(size_t n, Act a, float leak, float* dx, const float* dy, const float* x, const float* y);
// Linear y=x; Sigmoid 1/(1+e^-x); Tanh; Relu x<0 ? 0 : x (NaN passes); LeakyRelu x<0 ? leak*x : x;
// Step (McCulloch-Pitts) x>0 ? 1 : 0; Elu x>0 ? x : e^x-1; Gelu x/(1+e^-2u), u = c0 (x + c1 x^3)
// (the tanh approximation); Silu x/(1+e^-x). Backward: Sigmoid dy*(y*(1-y)) and Tanh dy*(1-y*y)
// read y; Relu x>0 ? dy : 0 and LeakyRelu x>0 ? dy : leak*dy read x; Step gives 0; Elu
// x>0 ? dy : dy*(y+1) reads x and y; Gelu and Silu recompute their sigmoid from x (nn_math.h has
// the formulas). An unread x or y may be null.
// Our own exp/tanh/sigmoid (docs/design.md, contract 1: libm differs between glibc and wasm's libc).
float nn_expf(float x);
float nn_tanhf(float x);
float nn_sigmoidf(float x);
float nn_eluf(float x);
float nn_geluf(float x);
float nn_siluf(float x);
float nn_gelu_gradf(float x);                          // d gelu / dx
float nn_silu_gradf(float x);                          // d silu / dx

// ---- conv2d over a batch of n images (C,H,W), zero padding, square kernel k, stride s ----
// x and dx are (n,C,H,W), y and dy (n,F,OH,OW), w and dw (F,C,k,k), bias and dbias (F).
struct ConvShape { int C, H, W, F, k, s, pad; int OH() const { return (H + 2 * pad - k) / s + 1; }
                                                  int OW() const { return (W + 2 * pad - k) / s + 1; } };
// Summation orders (the scalar references in conv/ define them; the SIMD versions match bit for bit):
// forward: per output, (sum over c, ky, kx in order, from 0, of w * x) + bias, padding taps as x = 0;
// backward-data: dx starts from 0; for (c, ky, kx), for (oy, ox): dx[..] += (sum over f in order, from 0, of w * dy);
// backward-filter: dw[f][c][ky][kx] starts from dw and adds dy * x over (image, oy, ox) in order;
// dbias[f] += (sum over (oy, ox) in order, from 0, of dy), image after image. bias / dbias may be null.
size_t conv2d_workspace_floats(const ConvShape& sh);  // any n
// y = w ⋆ x + bias (cross-correlation); when a is not null also a = act(y) (f32_act_forward's values)
void f32_conv2d_forward(const ConvShape& sh, size_t n, float* y, float* a, Act act, float leak, const float* x, const float* w,
                        const float* bias, float* work);
// dx = w ⋆ᵀ dy   (backward-data; dx is overwritten)
void f32_conv2d_backward_data(const ConvShape& sh, size_t n, float* dx, const float* dy, const float* w, float* work);
// dw += dy ⋆ x ; dbias += sum dy   (backward-filter; accumulates)
void f32_conv2d_backward_filter(const ConvShape& sh, size_t n, float* dw, float* dbias, const float* dy, const float* x, float* work);

// ---- pooling, one image (C,H,W), window p, stride s, no padding ----
struct PoolShape { int C, H, W, p, s; int OH() const { return (H - p) / s + 1; } int OW() const { return (W - p) / s + 1; } };
void f32_maxpool_forward(const PoolShape& sh, float* y, int32_t* argmax, const float* x);   // argmax: index into x of the winner
void f32_maxpool_backward(const PoolShape& sh, float* dx, const float* dy, const int32_t* argmax);  // dx += routed dy
void f32_avgpool_forward(const PoolShape& sh, float* y, const float* x);
void f32_avgpool_backward(const PoolShape& sh, float* dx, const float* dy);                  // dx += dy / (p*p)

// ---- the SGD step over one run of parameters, with what the step's checks need ----
// For i < n: prev[i] = w[i]; w[i] = w[i] - lr * (g[i] + reg term), the reg term being
// rate * w[i] (L2), rate * sign(w[i]) (L1) or none. Adds sum w_old^2 and sum (w_new - w_old)^2,
// in double, into norms[0..3] and norms[4..7] by i mod 4 (the same partial sums in both versions,
// so the totals match bit for bit). Returns false if a new weight is NaN or infinite.
enum class Reg : uint8_t { None, L1, L2 };
bool f32_sgd_update(size_t n, float* w, float* prev, const float* g, float lr, Reg reg, float rate, double norms[8]);
// The Adam step over one run, the same way: prev = w, pm = m, pv = v (for a revert); then
// m = beta1 m + (1 - beta1) g', v = beta2 v + (1 - beta2) g'^2 (g' = g + reg term), and
// w = w - lr (m / c1) / (sqrt(v / c2) + eps) with c1, c2 the bias corrections 1 - beta^t; the norms
// by i mod 4 as above. Returns false if a new weight or moment is NaN or infinite.
struct AdamRule { float lr, beta1, beta2, eps, c1, c2; };
bool f32_adam_update(size_t n, float* w, float* prev, float* m, float* pm, float* v, float* pv, const float* g, const AdamRule& k,
                     Reg reg, float rate, double norms[8]);

}  // namespace nnplay::kernels
