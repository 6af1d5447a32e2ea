// conv2d direct backward-data, SIMD128, stride 1, over a batch. For each channel c and tap (ky, kx)
// in order: v = sum over f, from 0, of w[f][c][ky][kx] * dy[f][q] for 4 output positions q per lane
// vector, then dx[c][oy + ky - pad][ox + kx - pad] += v: the order of
// f32_conv2d_backward_data__scalar (each dx element adds its taps' sums in (ky, kx) order), bit for
// bit. dy is read as (F, OH, OWq) rows of OWq = OW rounded up to 4 (a zero-padded copy when
// OW % 4 != 0), so a vector never spans two rows; lanes past OW are masked to +0 before the add (dx
// starts at +0 and a sum is never -0, so adding +0 changes no bit, and an infinite weight times a
// padding 0 never reaches dx). dx accumulates in dxp, (C, H + 2 pad, Wq) with Wq = OWq + k - 1 >=
// W + 2 pad, zeroed per image; its interior is dx. A tile is R channels x NV vectors of positions:
// R NV accumulators, NV loads and R splats per filter. Not the strided path (f32_conv2d__wasmsimd.cpp).
#include <algorithm>
#include "conv_internal.h"

namespace nnplay::kernels::conv {
namespace {

template <int R, int NV>
__attribute__((noinline)) void tile(int F, size_t P, const float* dyq, size_t v0, size_t v1, const int32_t* voff, const int32_t* vvalid,
                                    const float* w, size_t ckk, size_t kk, float* dxp, size_t dxc) {
  for (size_t va = v0; va < v1; va += NV) {              // groups of NV vectors of positions
    v128_t acc[R][NV];
    for (int r = 0; r < R; r++)
      for (int v = 0; v < NV; v++) acc[r][v] = wasm_f32x4_splat(0.0f);
    const float* d = dyq + 4 * va;
    const float* wf = w;
    for (int f = 0; f < F; f++, d += P, wf += ckk) {
      v128_t dv[NV];
      for (int v = 0; v < NV; v++) dv[v] = wasm_v128_load(d + 4 * v);
      for (int r = 0; r < R; r++) {
        const v128_t a = wasm_v128_load32_splat(wf + r * kk);
        for (int v = 0; v < NV; v++) acc[r][v] = wasm_f32x4_add(acc[r][v], wasm_f32x4_mul(a, dv[v]));
      }
    }
    for (int v = 0; v < NV; v++) {
      // voff: the vector's dxp offset (oy wq + ox); vvalid: its lanes inside the row (4 but at a row's end)
      const v128_t keep = wasm_i32x4_gt(wasm_i32x4_splat(vvalid[va + v]), wasm_i32x4_make(0, 1, 2, 3));
      float* o = dxp + voff[va + v];
      for (int r = 0; r < R; r++) {
        float* p = o + r * dxc;
        wasm_v128_store(p, wasm_f32x4_add(wasm_v128_load(p), wasm_v128_and(acc[r][v], keep)));
      }
    }
  }
}

using TileFn = void (*)(int, size_t, const float*, size_t, size_t, const int32_t*, const int32_t*, const float*, size_t, size_t, float*, size_t);
// Called through a table (conv_internal.h: binaryen would inline single-caller instantiations).
// kTiles[R-1][NV-1] for the shapes that fit the registers (R NV + R + NV + 1 <= 15).
constexpr TileFn kTiles[4][6] = {
    {tile<1, 1>, tile<1, 2>, tile<1, 3>, tile<1, 4>, tile<1, 5>, tile<1, 6>},
    {tile<2, 1>, tile<2, 2>, tile<2, 3>, tile<2, 4>, nullptr, nullptr},
    {tile<3, 1>, tile<3, 2>, nullptr, nullptr, nullptr, nullptr},
    {tile<4, 1>, tile<4, 2>, nullptr, nullptr, nullptr, nullptr}};

size_t owq_of(const ConvShape& sh) { return round_up(static_cast<size_t>(sh.OW()), 4); }
size_t wq_of(const ConvShape& sh) { return owq_of(sh) + sh.k - 1; }

}  // namespace

size_t data_workspace_floats(const ConvShape& sh) {
  const size_t dyq = sh.OW() % 4 ? static_cast<size_t>(sh.F) * sh.OH() * owq_of(sh) : 0;
  const size_t nvec = static_cast<size_t>(sh.OH()) * owq_of(sh) / 4;
  return dyq + static_cast<size_t>(sh.C) * (sh.H + 2 * sh.pad) * wq_of(sh) + 4 + 2 * nvec;
}

void backward_data_direct(const ConvShape& sh, size_t n, float* dx, const float* dy, const float* w, float* work) {
  const int OH = sh.OH(), OW = sh.OW(), k = sh.k;
  const size_t OWq = owq_of(sh), wq = wq_of(sh), Hp = sh.H + 2 * sh.pad, P = static_cast<size_t>(OH) * OW;
  const size_t Pq = static_cast<size_t>(OH) * OWq, ckk = ckk_of(sh), kk = static_cast<size_t>(k) * k, xin = xin_of(sh);
  const bool copy = OW % 4 != 0;
  float* dyq = work;
  float* dxp = work + (copy ? sh.F * Pq : 0);
  const size_t nvec = Pq / 4, dxc = Hp * wq;
  // per vector of positions: its offset in dxp and its lanes inside the row (no division per tile)
  int32_t* voff = reinterpret_cast<int32_t*>(dxp + sh.C * dxc + 4);
  int32_t* vvalid = voff + nvec;
  for (size_t v = 0; v < nvec; v++) {
    const size_t oy = 4 * v / OWq, ox = 4 * v % OWq;
    voff[v] = static_cast<int32_t>(oy * wq + ox);
    vvalid[v] = std::min(4, OW - static_cast<int>(ox));
  }
  // R channels x NV vectors of positions: 8 accumulators (6 for one channel)
  const int R = sh.C % 4 == 0 ? 4 : std::min(sh.C, 2), NV = R == 4 ? 2 : R == 2 ? 4 : 6;
  if (copy) std::fill(dyq, dyq + sh.F * Pq, 0.0f);
  for (size_t r = 0; r < n; r++) {
    const float* dyr = dy + r * sh.F * P;
    if (copy)
      for (int f = 0; f < sh.F; f++)
        for (int oy = 0; oy < OH; oy++) copy_row(dyq + (f * OH + oy) * OWq, dyr + (f * OH + oy) * OW, OW);
    const float* src = copy ? dyq : dyr;
    std::fill(dxp, dxp + sh.C * dxc + 4, 0.0f);
    for (int c0 = 0; c0 < sh.C; c0 += R) {
      const int rr = std::min(R, sh.C - c0);
      for (int ky = 0; ky < k; ky++)
        for (int kx = 0; kx < k; kx++) {
          const float* wt = w + c0 * kk + ky * k + kx;    // w[0][c0][ky][kx]
          float* o = dxp + c0 * dxc + ky * wq + kx;       // dxp[c0][oy + ky][ox + kx] at oy = ox = 0
          const size_t full = nvec / NV * NV;
          if (full) kTiles[rr - 1][NV - 1](sh.F, Pq, src, 0, full, voff, vvalid, wt, ckk, kk, o, dxc);
          if (full < nvec) kTiles[rr - 1][nvec - full - 1](sh.F, Pq, src, full, nvec, voff, vvalid, wt, ckk, kk, o, dxc);
        }
    }
    float* dxr = dx + r * xin;
    for (int c = 0; c < sh.C; c++)
      for (int iy = 0; iy < sh.H; iy++) copy_row(dxr + (c * sh.H + iy) * sh.W, dxp + c * dxc + (iy + sh.pad) * wq + sh.pad, sh.W);
  }
}

}  // namespace nnplay::kernels::conv
