// GEMM kernel tests: the SIMD versions (both the direct and the packed path) against the scalar
// references, bit for bit (kernels.h promises k-sequential sums in both), and the scalar references
// against a double-precision product within a tolerance scaled by sum |a||b| of each dot product.
#include <cfloat>
#include <functional>
#include "kernels/internal.h"
#include "kernels/gemm/gemm_internal.h"
#include "test_util.h"

using namespace nnplay::kernels;
using ktest::Rng;

namespace {

enum class Form { NN, NT, TN };
using GemmFn = void (*)(NNPLAY_GEMM_ARGS);

struct Case { Form form; size_t M, N, K; bool acc; int path; };

// Returns the number of failed elements (so sweeps stop early on a broken kernel).
size_t check(const Case& cs, uint64_t seed) {
  const size_t M = cs.M, N = cs.N, K = cs.K;
  Rng rng(seed);
  // Odd leading dimensions: rows padded by a few floats that hold garbage the kernel must not read into C.
  const size_t arows = cs.form == Form::TN ? K : M, acols = cs.form == Form::TN ? M : K;
  const size_t brows = cs.form == Form::NT ? N : K, bcols = cs.form == Form::NT ? K : N;
  const size_t lda = acols + 3, ldb = bcols + 5, ldc = N + 7;
  auto A = ktest::random_vec(arows * lda, rng), B = ktest::random_vec(brows * ldb, rng);
  auto C0 = ktest::random_vec(M * ldc, rng, -2.0f, 2.0f);
  auto a = [&](size_t i, size_t k) { return cs.form == Form::TN ? A[k * lda + i] : A[i * lda + k]; };
  auto b = [&](size_t k, size_t j) { return cs.form == Form::NT ? B[j * ldb + k] : B[k * ldb + j]; };
  GemmFn simd = cs.form == Form::NN ? f32_gemm_nn_4x8__wasmsimd : cs.form == Form::NT ? f32_gemm_nt_4x8__wasmsimd : f32_gemm_tn_4x8__wasmsimd;
  GemmFn ref = cs.form == Form::NN ? f32_gemm_nn__scalar : cs.form == Form::NT ? f32_gemm_nt__scalar : f32_gemm_tn__scalar;
  std::vector<float> work(gemm_workspace_floats(M, N, K) + 1, 12345.0f);
  std::vector<float> Cs = C0, Cr = C0;
  gemm::path = cs.path;
  simd(M, N, K, Cs.data(), ldc, A.data(), lda, B.data(), ldb, cs.acc, work.data());
  gemm::path = 0;
  ref(M, N, K, Cr.data(), ldc, A.data(), lda, B.data(), ldb, cs.acc, nullptr);
  size_t bad = 0;
  EXPECT_EQ(work.back(), 12345.0f) << "workspace overrun";
  for (size_t i = 0; i < M && bad < 3; i++) {
    for (size_t j = N; j < ldc; j++)
      if (Cs[i * ldc + j] != C0[i * ldc + j]) { ADD_FAILURE() << "wrote past N at " << i << "," << j; bad++; break; }
    bad += ktest::count_bit_mismatches(&Cs[i * ldc], &Cr[i * ldc], N, "simd vs scalar");
    for (size_t j = 0; j < N; j++) {
      double want = cs.acc ? C0[i * ldc + j] : 0.0, scale = cs.acc ? std::fabs(C0[i * ldc + j]) : 0.0;
      for (size_t k = 0; k < K; k++) {
        want += static_cast<double>(a(i, k)) * b(k, j);
        scale += std::fabs(static_cast<double>(a(i, k)) * b(k, j));
      }
      const double tol = 2.0 * (K + 1) * FLT_EPSILON * scale + 1e-30;
      if (std::fabs(Cr[i * ldc + j] - want) > tol) {
        ADD_FAILURE() << "scalar vs double at " << i << "," << j << ": " << Cr[i * ldc + j] << " vs " << want << " tol " << tol;
        bad++;
        break;
      }
    }
  }
  if (bad) ADD_FAILURE() << "case form=" << int(cs.form) << " M=" << M << " N=" << N << " K=" << K << " acc=" << cs.acc << " path=" << cs.path;
  return bad;
}

void sweep(Form f, int path) {
  // Every size 1..2*tile+1 in each dimension (MR=4, NR=8), K across the unroll and block edges.
  const size_t ks[] = {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 255, 256, 257, 511, 512, 513, 1030};
  uint64_t seed = 1;
  for (size_t K : ks)
    for (size_t M = 1; M <= 13; M++)
      for (size_t N = 1; N <= 17; N++)
        for (bool acc : {false, true}) {
          if (K > 31 && (M % 3 != 1 || N % 2 != 1)) continue;  // big K: a sampled grid keeps the run short
          if (check({f, M, N, K, acc, path}, seed++)) return;
        }
}

}  // namespace

TEST(KernelGemm, NnDirectMatchesScalarBitExact) { sweep(Form::NN, 1); }
TEST(KernelGemm, NtDirectMatchesScalarBitExact) { sweep(Form::NT, 1); }
TEST(KernelGemm, TnDirectMatchesScalarBitExact) { sweep(Form::TN, 1); }
TEST(KernelGemm, NnPackedMatchesScalarBitExact) { sweep(Form::NN, 2); }
TEST(KernelGemm, NtPackedMatchesScalarBitExact) { sweep(Form::NT, 2); }
TEST(KernelGemm, TnPackedMatchesScalarBitExact) { sweep(Form::TN, 2); }

// Bigger shapes across the MC (64) and KC (512) blocks, through the automatic path choice.
TEST(KernelGemm, BlockedShapesAutoPath) {
  const size_t shapes[][3] = {{73, 41, 300}, {150, 17, 513}, {32, 128, 784}, {144, 9, 257}, {7, 100, 40}, {130, 24, 1100}};
  uint64_t seed = 99;
  for (auto& s : shapes)
    for (Form f : {Form::NN, Form::NT, Form::TN})
      for (bool acc : {false, true}) check({f, s[0], s[1], s[2], acc, 0}, seed++);
}

TEST(KernelGemm, ZeroKClearsOrKeepsC) {
  std::vector<float> C = {1, 2, 3, 4};
  f32_gemm_nn_4x8__wasmsimd(2, 2, 0, C.data(), 2, nullptr, 1, nullptr, 2, true, nullptr);
  EXPECT_EQ(C, (std::vector<float>{1, 2, 3, 4}));
  f32_gemm_nn_4x8__wasmsimd(2, 2, 0, C.data(), 2, nullptr, 1, nullptr, 2, false, nullptr);
  EXPECT_EQ(C, (std::vector<float>{0, 0, 0, 0}));
}

// The dispatcher follows set_backend, and both backends give the same bits.
TEST(KernelGemm, DispatcherBackendsAgree) {
  Rng rng(7);
  const size_t M = 20, N = 30, K = 40;
  auto A = ktest::random_vec(M * K, rng), B = ktest::random_vec(K * N, rng);
  std::vector<float> c1(M * N), c2(M * N), work(gemm_workspace_floats(M, N, K));
  set_backend(Backend::Scalar);
  EXPECT_EQ(backend(), Backend::Scalar);
  f32_gemm_nn(M, N, K, c1.data(), N, A.data(), K, B.data(), N, false, work.data());
  set_backend(Backend::Simd);
  EXPECT_EQ(backend(), Backend::Simd);
  f32_gemm_nn(M, N, K, c2.data(), N, A.data(), K, B.data(), N, false, work.data());
  EXPECT_EQ(ktest::count_bit_mismatches(c2.data(), c1.data(), M * N, "backends"), 0u);
  EXPECT_NE(c1[0], 0.0f);
}
