// GEMM, SIMD128: a 4x8 register-blocked micro-kernel (8 f32x4 accumulators: splat one A value,
// multiply two B vectors; XNNPACK's 4x8 "loadsplat" shape) over packed panels, GotoBLAS-style
// blocking in k (KC) and m (MC). Why 4x8 and not 6x8: wasm has no FMA and V8 has 16 xmm
// registers; 12 accumulators + 2 B + splat + product leave no room and V8 spills, measured
// ~25% slower at 256^3 than 4x8 (8 accumulators are enough to hide the add latency).
// Every C element is still accumulated over k = 0..K-1 in order (one mul then one add per k, no
// FMA), from 0 or from C: bit-identical to the scalar references in f32_gemm__scalar.cpp. The k
// blocks run in order and pass the partial sums through C, which keeps that order exactly.
// Small problems skip packing (direct strides) so a 10x8x8 call costs well under a microsecond.
#include <algorithm>
#include "../internal.h"
#include "../simd.h"
#include "gemm_internal.h"

namespace nnplay::kernels {
namespace {

constexpr size_t MR = gemm::MR, NR = gemm::NR, KC = gemm::KC, MC = gemm::MC;

// C (mr, nc<=4*NV) (+)= A (mr, K) · B (K, 4*NV).
// ACOL: A element (r, k) at A[r + k*as] (packed panels, or A stored (K, M)); else at A[r*as + k].
// B element (k, j) at B[k*bs + j]; columns past nc may hold anything (they are never stored).
template <int R, int NV, bool ACOL>
inline void ukernel(size_t K, float* C, size_t ldc, const float* A, size_t as, const float* B, size_t bs,
                    bool acc, size_t nc) {
  constexpr size_t W = 4 * NV;
  v128_t c[R][NV];
  if (acc) {
    if (nc == W) {
      for (int r = 0; r < R; r++)
        for (int v = 0; v < NV; v++) c[r][v] = wasm_v128_load(C + r * ldc + 4 * v);
    } else {
      for (int r = 0; r < R; r++) {
        float t[W] = {};
        for (size_t j = 0; j < nc; j++) t[j] = C[r * ldc + j];
        for (int v = 0; v < NV; v++) c[r][v] = wasm_v128_load(t + 4 * v);
      }
    }
  } else {
    for (int r = 0; r < R; r++)
      for (int v = 0; v < NV; v++) c[r][v] = wasm_f32x4_splat(0.0f);
  }
  if constexpr (ACOL) {
    for (size_t k = 0; k < K; k++) {
      v128_t b[NV];
      for (int v = 0; v < NV; v++) b[v] = wasm_v128_load(B + 4 * v);
      for (int r = 0; r < R; r++) {
        const v128_t a = wasm_v128_load32_splat(A + r);
        for (int v = 0; v < NV; v++) c[r][v] = wasm_f32x4_add(c[r][v], wasm_f32x4_mul(a, b[v]));
      }
      A += as;
      B += bs;
    }
  } else {
    const float* ar[R];
    for (int r = 0; r < R; r++) ar[r] = A + r * as;
    for (size_t k = 0; k < K; k++) {
      v128_t b[NV];
      for (int v = 0; v < NV; v++) b[v] = wasm_v128_load(B + 4 * v);
      for (int r = 0; r < R; r++) {
        const v128_t a = wasm_v128_load32_splat(ar[r] + k);
        for (int v = 0; v < NV; v++) c[r][v] = wasm_f32x4_add(c[r][v], wasm_f32x4_mul(a, b[v]));
      }
      B += bs;
    }
  }
  if (nc == W) {
    for (int r = 0; r < R; r++)
      for (int v = 0; v < NV; v++) wasm_v128_store(C + r * ldc + 4 * v, c[r][v]);
  } else {
    for (int r = 0; r < R; r++) {
      float t[W];
      for (int v = 0; v < NV; v++) wasm_v128_store(t + 4 * v, c[r][v]);
      for (size_t j = 0; j < nc; j++) C[r * ldc + j] = t[j];
    }
  }
}

// One row block of mr <= MR rows against one 8-wide column panel.
template <bool ACOL>
inline void row_block(size_t mr, size_t K, float* C, size_t ldc, const float* A, size_t as, const float* B,
                      size_t bs, bool acc, size_t nc) {
  static_assert(MR == 4, "row_block handles up to 4 rows");
  switch (mr) {
    case 4: ukernel<4, 2, ACOL>(K, C, ldc, A, as, B, bs, acc, nc); break;
    case 3: ukernel<3, 2, ACOL>(K, C, ldc, A, as, B, bs, acc, nc); break;
    case 2: ukernel<2, 2, ACOL>(K, C, ldc, A, as, B, bs, acc, nc); break;
    default: ukernel<1, 2, ACOL>(K, C, ldc, A, as, B, bs, acc, nc); break;
  }
}

// Packs B rows k0..k0+kc into 8-wide panels: P[p][k][j] = op(B)(k0+k, 8p+j), zero past N.
// TRANS: op(B)(k, j) = B[j*ldb + k] (B stored (N, K)); else B[k*ldb + j].
template <bool TRANS>
void pack_b(size_t N, size_t k0, size_t kc, float* P, const float* B, size_t ldb) {
  for (size_t j0 = 0; j0 < N; j0 += NR) {
    const size_t nc = std::min(NR, N - j0);
    if (!TRANS && nc == NR) {
      const float* b = B + k0 * ldb + j0;
      for (size_t k = 0; k < kc; k++, b += ldb, P += NR) {
        wasm_v128_store(P, wasm_v128_load(b));
        wasm_v128_store(P + 4, wasm_v128_load(b + 4));
      }
    } else if (TRANS && nc == NR) {
      // 8 rows of B (N, K) -> k-major panel; transposed 4x4 at a time.
      const float* b = B + j0 * ldb + k0;
      size_t k = 0;
      for (; k + 4 <= kc; k += 4, P += 4 * NR) {
        for (int h = 0; h < 2; h++) {
          const float* bh = b + 4 * h * ldb + k;
          const v128_t r0 = wasm_v128_load(bh), r1 = wasm_v128_load(bh + ldb), r2 = wasm_v128_load(bh + 2 * ldb),
                       r3 = wasm_v128_load(bh + 3 * ldb);
          const v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
          const v128_t t2 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
          wasm_v128_store(P + 0 * NR + 4 * h, wasm_i64x2_shuffle(t0, t1, 0, 2));
          wasm_v128_store(P + 1 * NR + 4 * h, wasm_i64x2_shuffle(t0, t1, 1, 3));
          wasm_v128_store(P + 2 * NR + 4 * h, wasm_i64x2_shuffle(t2, t3, 0, 2));
          wasm_v128_store(P + 3 * NR + 4 * h, wasm_i64x2_shuffle(t2, t3, 1, 3));
        }
      }
      for (; k < kc; k++, P += NR)
        for (size_t j = 0; j < NR; j++) P[j] = b[j * ldb + k];
    } else {
      for (size_t k = 0; k < kc; k++, P += NR)
        for (size_t j = 0; j < NR; j++)
          P[j] = j < nc ? (TRANS ? B[(j0 + j) * ldb + k0 + k] : B[(k0 + k) * ldb + j0 + j]) : 0.0f;
    }
  }
}

// Packs A (M, K) rows i0..i0+mc, columns k0..k0+kc into MR-row panels: P[p][k][r] = A(i0+MR p+r, k0+k).
// Whole 4-row panels are transposed 4x4 at a time.
void pack_a(size_t i0, size_t mc, size_t k0, size_t kc, float* P, const float* A, size_t lda) {
  static_assert(MR == 4, "pack_a transposes 4x4 blocks");
  for (size_t r0 = 0; r0 < mc; r0 += MR) {
    const size_t mr = std::min(MR, mc - r0);
    const float* a = A + (i0 + r0) * lda + k0;
    size_t k = 0;
    if (mr == MR) {
      for (; k + 4 <= kc; k += 4, P += 4 * MR) {
        const v128_t r0v = wasm_v128_load(a + k), r1 = wasm_v128_load(a + lda + k), r2 = wasm_v128_load(a + 2 * lda + k),
                     r3 = wasm_v128_load(a + 3 * lda + k);
        const v128_t t0 = wasm_i32x4_shuffle(r0v, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
        const v128_t t2 = wasm_i32x4_shuffle(r0v, r1, 2, 6, 3, 7), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
        wasm_v128_store(P, wasm_i64x2_shuffle(t0, t1, 0, 2));
        wasm_v128_store(P + MR, wasm_i64x2_shuffle(t0, t1, 1, 3));
        wasm_v128_store(P + 2 * MR, wasm_i64x2_shuffle(t2, t3, 0, 2));
        wasm_v128_store(P + 3 * MR, wasm_i64x2_shuffle(t2, t3, 1, 3));
      }
    }
    for (; k < kc; k++, P += MR)
      for (size_t r = 0; r < mr; r++) P[r] = a[r * lda + k];
  }
}

enum class Form { NN, NT, TN };

template <Form F>
void gemm_run(NNPLAY_GEMM_ARGS) {
  if (M == 0 || N == 0) return;
  if (K == 0) {
    if (!accumulate)
      for (size_t i = 0; i < M; i++) std::fill(C + i * ldc, C + i * ldc + N, 0.0f);
    return;
  }
  // Small problems: no packing of A (A is read in place); B read in place for nn/tn whole panels.
  if (gemm::direct(M, N, K)) {
    for (size_t j0 = 0; j0 < N; j0 += NR) {
      const size_t nc = std::min(NR, N - j0);
      const float* bp;
      size_t bs;
      if (F != Form::NT && nc == NR) {
        bp = B + j0;
        bs = ldb;
      } else {
        if (F == Form::NT) pack_b<true>(nc, 0, K, work, B + j0 * ldb, ldb);
        else pack_b<false>(nc, 0, K, work, B + j0, ldb);
        bp = work;
        bs = NR;
      }
      for (size_t i0 = 0; i0 < M; i0 += MR) {
        const size_t mr = std::min(MR, M - i0);
        if (F == Form::TN) row_block<true>(mr, K, C + i0 * ldc + j0, ldc, A + i0, lda, bp, bs, accumulate, nc);
        else row_block<false>(mr, K, C + i0 * ldc + j0, ldc, A + i0 * lda, lda, bp, bs, accumulate, nc);
      }
    }
    return;
  }
  float* bpack = work;                                   // KC * round_up(N, NR)
  float* apack = work + std::min(K, KC) * round_up(N, NR);  // KC * round_up(MC, MR)
  for (size_t k0 = 0; k0 < K; k0 += KC) {
    const size_t kc = std::min(KC, K - k0);
    const bool acc = accumulate || k0 > 0;
    // One row block (M <= MC) reads each B panel once: for nn/tn its full panels are read in place.
    const bool b_in_place = F != Form::NT && M <= MC;
    if (!b_in_place) pack_b<F == Form::NT>(N, k0, kc, bpack, B, ldb);
    else if (N % NR) pack_b<false>(N % NR, k0, kc, bpack, B + (N - N % NR), ldb);  // the ragged last panel
    for (size_t i0 = 0; i0 < M; i0 += MC) {
      const size_t mc = std::min(MC, M - i0);
      const float* ap;
      size_t as;
      if (F == Form::TN) {
        ap = A + k0 * lda + i0;
        as = lda;
      } else {
        pack_a(i0, mc, k0, kc, apack, A, lda);
        ap = apack;
        as = MR;
      }
      for (size_t j0 = 0; j0 < N; j0 += NR) {
        const size_t nc = std::min(NR, N - j0);
        const bool whole = b_in_place && nc == NR;
        const float* bp = whole ? B + k0 * ldb + j0 : b_in_place ? bpack : bpack + (j0 / NR) * kc * NR;
        const size_t bs = whole ? ldb : NR;
        for (size_t r0 = 0; r0 < mc; r0 += MR) {
          const size_t mr = std::min(MR, mc - r0);
          const float* a = F == Form::TN ? ap + r0 : ap + r0 * kc;
          row_block<true>(mr, kc, C + (i0 + r0) * ldc + j0, ldc, a, as, bp, bs, acc, nc);
        }
      }
    }
  }
}

}  // namespace

void f32_gemm_nn_4x8__wasmsimd(NNPLAY_GEMM_ARGS) { gemm_run<Form::NN>(M, N, K, C, ldc, A, lda, B, ldb, accumulate, work); }
void f32_gemm_nt_4x8__wasmsimd(NNPLAY_GEMM_ARGS) { gemm_run<Form::NT>(M, N, K, C, ldc, A, lda, B, ldb, accumulate, work); }
void f32_gemm_tn_4x8__wasmsimd(NNPLAY_GEMM_ARGS) { gemm_run<Form::TN>(M, N, K, C, ldc, A, lda, B, ldb, accumulate, work); }

size_t gemm_workspace_floats(size_t M, size_t N, size_t K) {
  (void)M;
  if (K == 0 || N == 0) return 0;
  const size_t kc = std::min(K, KC);
  return std::max(K * NR, kc * round_up(N, NR) + kc * round_up(MC, MR));
}

}  // namespace nnplay::kernels
