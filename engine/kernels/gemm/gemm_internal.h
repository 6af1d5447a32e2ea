// Internal to engine/kernels/gemm: the blocking parameters of the SIMD GEMM and the rule that
// sends small problems down the no-packing path.
#pragma once
#include <cstddef>

namespace nnplay::kernels::gemm {

constexpr size_t MR = 4, NR = 8;   // micro-tile: 4 rows x 8 columns = 8 f32x4 accumulators
constexpr size_t KC = 512;         // k block: an MR x KC A panel (8 KiB) and a KC x NR B panel (16 KiB) sit in L1
constexpr size_t MC = 64;          // m block: MC x KC of packed A (128 KiB) sits in L2

// The no-packing path: when the whole problem is small, packing costs more than it saves.
// `path` is a test hook only (0 auto, 1 always direct, 2 always packed): both paths must give the same bits.
inline int path = 0;
inline bool direct(size_t M, size_t N, size_t K) {
  if (path) return path == 1;
  return K <= KC && (M * N * K <= 32 * 32 * 32 || M <= MR || K * N <= 16384);  // K*N: B small enough to stay in L1/L2 unpacked
}

}  // namespace nnplay::kernels::gemm
