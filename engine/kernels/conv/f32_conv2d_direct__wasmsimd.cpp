// conv2d direct forward, SIMD128, stride 1, one image: tiles of R filters x 4 NV output columns in
// registers, taps read straight from the padded input rows and the filters (no im2col), bias and a
// piecewise-linear activation fused into the store. Each accumulator lane sums its taps (c, ky, kx)
// in order from 0, then adds the bias: the order of f32_conv2d_forward__scalar, bit for bit.
// Not the choice between paths (f32_conv2d__wasmsimd.cpp).
#include <algorithm>
#include "../act/act_vec.h"
#include "conv_internal.h"

#if defined(__clang__)
#define NNPLAY_ROLLED_LOOP _Pragma("clang loop unroll(disable)")
#else
#define NNPLAY_ROLLED_LOOP
#endif

namespace nnplay::kernels::conv {
namespace {

// `rows` output rows of filters f0..f0+R-1 at columns ox0..ox0+nc-1 (nc <= 4 NV). xp points at the
// padded input at (c = 0, oy, ox0): row stride wp, channel stride cs; y and a at (f0, oy, ox0): filter
// stride ys, row stride yrow. w points at filter f0 (rows of ckk taps, read in place). Loads may read
// up to 3 floats past a row's last needed input (into the next row or the slack); those lanes are
// never stored. One loop nest per function (conv_internal.h): the row loop is part of it.
template <int R, int NV>
__attribute__((noinline)) void tile(int rows, int C, int k, size_t cs, size_t wp, float* y, float* a, Act act, const float* leak,
                                    size_t ys, size_t yrow, const float* xp, const float* w, size_t ckk, const float* bias, size_t nc) {
  for (int row = 0; row < rows; row++, y += yrow, a = a ? a + yrow : a, xp += wp) {
    v128_t acc[R][NV];
    for (int r = 0; r < R; r++)
      for (int v = 0; v < NV; v++) acc[r][v] = wasm_f32x4_splat(0.0f);
    // Pointers bumped by hand: Emscripten builds with LLVM's loop strength reduction off, so an
    // indexed address (w + r ckk + t) costs its arithmetic at every load. The tap loop stays rolled:
    // unrolled over kx (k known at compile time), LLVM regroups the products by accumulator and keeps
    // the k splats live across the row, more than V8's registers: measured 7-12% slower.
    const float* wr[R];
    for (int r = 0; r < R; r++) wr[r] = w + r * ckk;
    const float* xc = xp;
    for (int c = 0; c < C; c++, xc += cs) {
      const float* xr = xc;
      for (int ky = 0; ky < k; ky++, xr += wp) {
        NNPLAY_ROLLED_LOOP
        for (int kx = 0; kx < k; kx++) {
          v128_t b[NV];
          for (int v = 0; v < NV; v++) b[v] = wasm_v128_load(xr + kx + 4 * v);
          for (int r = 0; r < R; r++) {
            const v128_t s = wasm_v128_load32_splat(wr[r] + kx);
            for (int v = 0; v < NV; v++) acc[r][v] = wasm_f32x4_add(acc[r][v], wasm_f32x4_mul(s, b[v]));
          }
        }
        for (int r = 0; r < R; r++) wr[r] += k;
      }
    }
    // The stores index acc with constants only: passing acc[r] to a helper by pointer made LLVM keep
    // the accumulators in memory, stored at every tap (measured 1.2-1.4x slower on LeNet's shapes).
    if (bias)
      for (int r = 0; r < R; r++) {
        const v128_t bv = wasm_v128_load32_splat(bias + r);
        for (int v = 0; v < NV; v++) acc[r][v] = wasm_f32x4_add(acc[r][v], bv);
      }
    if (nc == 4 * NV) {
      for (int r = 0; r < R; r++)
        for (int v = 0; v < NV; v++) wasm_v128_store(y + r * ys + 4 * v, acc[r][v]);
    } else {
      for (int r = 0; r < R; r++) {
        float t[4 * NV];
        for (int v = 0; v < NV; v++) wasm_v128_store(t + 4 * v, acc[r][v]);
        for (size_t j = 0; j < nc; j++) y[r * ys + j] = t[j];
      }
    }
    if (a) {
      // leak is read here, from memory: a splat kept live across the loop would take a 16th register
      const v128_t vleak = wasm_v128_load32_splat(leak);
      if (nc == 4 * NV) {
        for (int r = 0; r < R; r++)
          for (int v = 0; v < NV; v++) wasm_v128_store(a + r * ys + 4 * v, act_vec(act, acc[r][v], vleak));
      } else {
        for (int r = 0; r < R; r++) {
          float t[4 * NV];
          for (int v = 0; v < NV; v++) wasm_v128_store(t + 4 * v, act_vec(act, acc[r][v], vleak));
          for (size_t j = 0; j < nc; j++) a[r * ys + j] = t[j];
        }
      }
    }
  }
}

struct Args { int C, k; size_t cs, wp; float *y, *a; Act act; const float* leak; size_t ys, yrow; const float *xp, *w; size_t ckk; const float* bias; };

// Filters f0..f0+R-1, all rows: tiles of NV vectors, then one of fewer vectors for the last columns.
template <int R, int NV>
void filters(const Args& g, int OH, int OW) {
  int ox = 0;
  for (; ox + 4 * NV <= OW; ox += 4 * NV)
    tile<R, NV>(OH, g.C, g.k, g.cs, g.wp, g.y + ox, g.a ? g.a + ox : nullptr, g.act, g.leak, g.ys, g.yrow, g.xp + ox, g.w, g.ckk, g.bias, 4 * NV);
  const int rem = OW - ox;
  if (rem <= 0) return;
  float* a = g.a ? g.a + ox : nullptr;
  switch ((rem + 3) / 4) {
    case 1: tile<R, 1>(OH, g.C, g.k, g.cs, g.wp, g.y + ox, a, g.act, g.leak, g.ys, g.yrow, g.xp + ox, g.w, g.ckk, g.bias, rem); break;
    case 2: if constexpr (NV >= 2) tile<R, 2>(OH, g.C, g.k, g.cs, g.wp, g.y + ox, a, g.act, g.leak, g.ys, g.yrow, g.xp + ox, g.w, g.ckk, g.bias, rem); break;
    case 3: if constexpr (NV >= 3) tile<R, 3>(OH, g.C, g.k, g.cs, g.wp, g.y + ox, a, g.act, g.leak, g.ys, g.yrow, g.xp + ox, g.w, g.ckk, g.bias, rem); break;
    default: if constexpr (NV >= 4) tile<R, 4>(OH, g.C, g.k, g.cs, g.wp, g.y + ox, a, g.act, g.leak, g.ys, g.yrow, g.xp + ox, g.w, g.ckk, g.bias, rem); break;
  }
}

template <int NV>
void filters_r(int R, const Args& g, int OH, int OW) {
  switch (R) {
    case 4: if constexpr (NV <= 2) { filters<4, NV>(g, OH, OW); break; } [[fallthrough]];
    case 3: if constexpr (NV <= 2) { filters<3, NV>(g, OH, OW); break; } [[fallthrough]];
    case 2: filters<2, NV>(g, OH, OW); break;
    default: filters<1, NV>(g, OH, OW); break;
  }
}

}  // namespace

void direct_forward(const ConvShape& sh, ConvTile t, float* y, float* a, Act act, float leak, const float* xp, const float* w,
                    const float* bias) {
  const size_t wp = static_cast<size_t>(sh.W) + 2 * sh.pad, cs = (static_cast<size_t>(sh.H) + 2 * sh.pad) * wp;
  const size_t ckk = ckk_of(sh), ys = pos_of(sh);
  if (a && !act_has_vec(act)) a = nullptr;
  t.NV = t.NV <= 1 ? 1 : t.NV == 2 ? 2 : 4;            // the instantiated widths; 4 vectors with at most 2 filters
  t.R = std::clamp(t.R, 1, t.NV == 4 ? 2 : 4);
  for (int f0 = 0; f0 < sh.F; f0 += t.R) {
    const int R = std::min(t.R, sh.F - f0);
    const Args g{sh.C, sh.k, cs, wp, y + f0 * ys, a ? a + f0 * ys : nullptr, act, &leak, ys, static_cast<size_t>(sh.OW()), xp,
                 w + f0 * ckk, ckk, bias ? bias + f0 : nullptr};
    switch (t.NV) {
      case 1: filters_r<1>(R, g, sh.OH(), sh.OW()); break;
      case 2: filters_r<2>(R, g, sh.OH(), sh.OW()); break;
      default: filters_r<4>(R, g, sh.OH(), sh.OW()); break;
    }
  }
}

}  // namespace nnplay::kernels::conv

namespace nnplay::kernels {

// The tile for a shape: the cheapest by a cycle model of one tap of a tile of r filters x nv vectors
// (r nv mul+add pairs at 2 per cycle, r + nv loads at 3 per cycle, an add latency of 3 cycles, one
// cycle of loop overhead), summed over the tiles an image needs. The candidates are the shapes that
// fit V8's registers with 8 accumulators (4 x 2, 2 x 4) and the narrow 4 x 1; a 3 x 3 tile (9
// accumulators + 6 operands) spills one accumulator to the stack every tap.
ConvTile conv2d_forward_tile(const ConvShape& sh) {
  if (conv_tile_override.R > 0) return conv_tile_override;
  auto tap = [](int r, int nv) { return std::max({r * nv / 2.0, (r + nv) / 3.0, 3.0}) + 1.0; };
  const ConvTile cand[] = {{4, 2}, {2, 4}, {4, 1}};
  ConvTile best{4, 2};
  double best_cost = 1e300;
  const int OW = sh.OW();
  for (const ConvTile& t : cand) {
    double cost = 0;
    for (int f0 = 0; f0 < sh.F; f0 += t.R) {
      const int r = std::min(t.R, sh.F - f0);
      const int full = OW / (4 * t.NV), rem = OW - full * 4 * t.NV;
      cost += full * tap(r, t.NV) + (rem ? tap(r, (rem + 3) / 4) : 0.0);
    }
    if (cost < best_cost - 1e-9) best_cost = cost, best = t;
  }
  return best;
}

}  // namespace nnplay::kernels
