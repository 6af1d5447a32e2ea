// GEMM scalar references: one dot product per output, k = 0..K-1 in order, from 0 (or from C).
// These define the summation order the SIMD versions reproduce bit for bit; not fast on purpose.
#include "../internal.h"

namespace nnplay::kernels {

// C (M,N) = A (M,K) · B (K,N)
void f32_gemm_nn__scalar(NNPLAY_GEMM_ARGS) {
  (void)work;
  for (size_t i = 0; i < M; i++)
    for (size_t j = 0; j < N; j++) {
      float acc = accumulate ? C[i * ldc + j] : 0.0f;
      for (size_t k = 0; k < K; k++) acc += A[i * lda + k] * B[k * ldb + j];
      C[i * ldc + j] = acc;
    }
}

// C (M,N) = A (M,K) · Bᵀ, B is (N,K)
void f32_gemm_nt__scalar(NNPLAY_GEMM_ARGS) {
  (void)work;
  for (size_t i = 0; i < M; i++)
    for (size_t j = 0; j < N; j++) {
      float acc = accumulate ? C[i * ldc + j] : 0.0f;
      for (size_t k = 0; k < K; k++) acc += A[i * lda + k] * B[j * ldb + k];
      C[i * ldc + j] = acc;
    }
}

// C (M,N) = Aᵀ · B, A is (K,M), B is (K,N)
void f32_gemm_tn__scalar(NNPLAY_GEMM_ARGS) {
  (void)work;
  for (size_t i = 0; i < M; i++)
    for (size_t j = 0; j < N; j++) {
      float acc = accumulate ? C[i * ldc + j] : 0.0f;
      for (size_t k = 0; k < K; k++) acc += A[k * lda + i] * B[k * ldb + j];
      C[i * ldc + j] = acc;
    }
}

}  // namespace nnplay::kernels
