// conv2d, SIMD128, over a batch of images: which algorithm runs for a shape, the workspace they
// share, and the im2col + GEMM paths. Forward: at stride 1 the direct kernel
// (f32_conv2d_direct__wasmsimd.cpp), else im2col + the SIMD GEMM (or the GEMM straight on x for 1x1
// stride-1 unpadded kernels). Backward-data: at stride 1 the direct kernel
// (f32_conv2d_data__wasmsimd.cpp), else dcol = wᵀ dy by the GEMM and col2im. Backward-filter: at
// stride 1 the direct kernel over the whole batch (f32_conv2d_filter__wasmsimd.cpp), else im2col +
// GEMM per image. Every path sums in the order of the scalar references in
// f32_conv2d__scalar.cpp (the im2col row index c*k*k + ky*k + kx is exactly the reference's
// (c, ky, kx) order), so they match them bit for bit: which path runs can never change a result.
#include <algorithm>
#include <cstring>
#include "../act/act_vec.h"
#include "conv_internal.h"

namespace nnplay::kernels {
namespace conv {

void pad_into(const ConvShape& sh, float* dst, const float* x, bool borders) {
  const int Hp = sh.H + 2 * sh.pad, Wp = sh.W + 2 * sh.pad;
  if (borders) std::fill(dst, dst + padded_floats(sh), 0.0f);
  for (int c = 0; c < sh.C; c++)
    for (int iy = 0; iy < sh.H; iy++)
      copy_row(dst + (static_cast<size_t>(c) * Hp + iy + sh.pad) * Wp + sh.pad, x + (static_cast<size_t>(c) * sh.H + iy) * sh.W, sh.W);
}

}  // namespace conv

namespace {
using namespace conv;

// The ox range [lo, hi) whose input column ix = ox s + kx - pad lies inside [0, W): the same for every oy.
inline void ox_range(const ConvShape& sh, int kx, int* lo, int* hi) {
  const int OW = sh.OW(), s = sh.s, pad = sh.pad;
  int l = 0, h = OW;
  while (l < OW && l * s + kx - pad < 0) l++;
  while (h > l && (h - 1) * s + kx - pad >= sh.W) h--;
  *lo = l;
  *hi = h;
}

// col (C k k, OH OW): col[(c k + ky) k + kx][oy OW + ox] = x[c][oy s + ky - pad][ox s + kx - pad] or 0.
void im2col(const ConvShape& sh, float* col, const float* x) {
  const int OH = sh.OH(), OW = sh.OW(), k = sh.k, s = sh.s, pad = sh.pad;
  for (int c = 0; c < sh.C; c++)
    for (int ky = 0; ky < k; ky++)
      for (int kx = 0; kx < k; kx++) {
        int lo, hi;
        ox_range(sh, kx, &lo, &hi);
        for (int oy = 0; oy < OH; oy++, col += OW) {
          const int iy = oy * s + ky - pad;
          if (iy < 0 || iy >= sh.H) { std::memset(col, 0, sizeof(float) * OW); continue; }
          const float* xr = x + (static_cast<size_t>(c) * sh.H + iy) * sh.W;
          for (int ox = 0; ox < lo; ox++) col[ox] = 0.0f;
          if (s == 1) {  // rows are short (OW floats): an inline copy, not a memcpy call per row
            const float* src = xr + kx - pad;
            int ox = lo;
            for (; ox + 4 <= hi; ox += 4) wasm_v128_store(col + ox, wasm_v128_load(src + ox));
            for (; ox < hi; ox++) col[ox] = src[ox];
          } else {
            for (int ox = lo; ox < hi; ox++) col[ox] = xr[ox * s + kx - pad];
          }
          for (int ox = hi; ox < OW; ox++) col[ox] = 0.0f;
        }
      }
}

// dx[c][iy][ix] += dcol[...], rows (c, ky, kx) then (oy, ox) in order, exactly as the reference.
// Within a row every ox adds into a different dx element, so adding 4 at a time keeps each sum's order.
void col2im_add(const ConvShape& sh, float* dx, const float* col) {
  const int OH = sh.OH(), OW = sh.OW(), k = sh.k, s = sh.s, pad = sh.pad;
  for (int c = 0; c < sh.C; c++)
    for (int ky = 0; ky < k; ky++)
      for (int kx = 0; kx < k; kx++) {
        int lo, hi;
        ox_range(sh, kx, &lo, &hi);
        for (int oy = 0; oy < OH; oy++, col += OW) {
          const int iy = oy * s + ky - pad;
          if (iy < 0 || iy >= sh.H) continue;
          float* dr = dx + (static_cast<size_t>(c) * sh.H + iy) * sh.W;
          if (s == 1) {
            float* d = dr + kx - pad;
            int ox = lo;
            for (; ox + 4 <= hi; ox += 4) wasm_v128_store(d + ox, wasm_f32x4_add(wasm_v128_load(d + ox), wasm_v128_load(col + ox)));
            for (; ox < hi; ox++) d[ox] += col[ox];
          } else {
            for (int ox = lo; ox < hi; ox++) dr[ox * s + kx - pad] += col[ox];
          }
        }
      }
}

// One image's forward, y (F, OH, OW) = w ⋆ x + bias and, when a is not null, a = act(y): the direct
// kernel on x (when unpadded and `slack`: loads up to 3 floats past its end are harmless) or on a
// padded copy in work (its borders written when `first`), or im2col + GEMM.
void forward_image(const ConvShape& sh, float* y, float* a, Act act, float leak, const float* x, bool slack, bool first,
                   const float* w, const float* bias, float* work) {
  if (conv2d_forward_path(sh) == ConvPath::Direct) {
    const float* xp = x;
    if (sh.pad > 0 || !slack) {
      const size_t np = padded_floats(sh);
      pad_into(sh, work, x, first);
      std::fill(work + np, work + np + 16, 0.0f);
      xp = work;
    }
    direct_forward(sh, conv2d_forward_tile(sh), y, a, act, leak, xp, w, bias);
    if (a && !act_has_vec(act)) f32_act_forward__wasmsimd(yout_of(sh), act, leak, a, y);  // sigmoid, tanh: while y is in cache
    return;
  }
  const size_t ckk = ckk_of(sh), P = pos_of(sh);
  const float* col = x;
  float* gw = work;
  if (!pointwise(sh)) {
    im2col(sh, work, x);
    col = work;
    gw = work + ckk * P;
  }
  f32_gemm_nn_4x8__wasmsimd(sh.F, P, ckk, y, P, w, ckk, col, P, false, gw);
  if (bias) f32_channel_bias_add__wasmsimd(sh.F, P, y, bias);
  if (a) f32_act_forward__wasmsimd(yout_of(sh), act, leak, a, y);
}

}  // namespace

// The per-shape choice between the direct kernel and im2col + GEMM (conv2d_forward_path in
// internal.h): a rule on the shape alone, so it is deterministic, and both paths give the same bits.
ConvPath conv2d_forward_path(const ConvShape& sh) {
  if (conv_path_override != ConvPath::Auto) return conv_path_override;
  if (pointwise(sh) || sh.s != 1) return ConvPath::Gemm;  // 1x1: the GEMM on x directly; strided taps are not contiguous
  return ConvPath::Direct;
}

// Backward-filter: direct (no im2col, no packing) at stride 1, else im2col + GEMM.
// Same bits either way; `conv_filter_path_override` is the hook.
ConvPath conv2d_backward_filter_path(const ConvShape& sh) {
  if (conv_filter_path_override != ConvPath::Auto) return conv_filter_path_override;
  if (pointwise(sh) || sh.s != 1) return ConvPath::Gemm;
  return ConvPath::Direct;
}

// The largest of the three passes' needs; none depends on the batch size.
size_t conv2d_workspace_floats(const ConvShape& sh) {
  const size_t ckk = ckk_of(sh), P = pos_of(sh), col = pointwise(sh) ? 0 : ckk * P;
  size_t need = std::max(padded_floats(sh) + 16, col + gemm_workspace_floats(sh.F, P, ckk));  // forward
  need = std::max({need, filter_workspace_floats(sh), col + gemm_workspace_floats(sh.F, ckk, P)});  // backward-filter
  need = std::max({need, data_workspace_floats(sh), ckk * P + gemm_workspace_floats(ckk, P, sh.F)});  // backward-data
  return need;
}

void f32_conv2d_forward__wasmsimd(const ConvShape& sh, size_t n, float* y, float* a, Act act, float leak, const float* x,
                                  const float* w, const float* bias, float* work) {
  const size_t xin = xin_of(sh), yout = yout_of(sh);
  for (size_t r = 0; r < n; r++) {
    // x itself serves the direct kernel when it needs no padding, except for the last image when a
    // ragged tile would load past the end of x.
    const bool slack = r + 1 < n || sh.OW() % 4 == 0;
    forward_image(sh, y + r * yout, a ? a + r * yout : nullptr, act, leak, x + r * xin, slack, r == 0, w, bias, work);
  }
}

void f32_conv2d_backward_data__wasmsimd(const ConvShape& sh, size_t n, float* dx, const float* dy, const float* w, float* work) {
  if (sh.s == 1) return backward_data_direct(sh, n, dx, dy, w, work);
  const size_t ckk = ckk_of(sh), P = pos_of(sh), xin = xin_of(sh), yout = yout_of(sh);
  std::fill(dx, dx + n * xin, 0.0f);
  for (size_t r = 0; r < n; r++) {
    // dcol (C k k, OH OW) = wᵀ dy: w is (F, C k k) = (K, M) for the tn form, K = F summed in order from 0.
    f32_gemm_tn_4x8__wasmsimd(ckk, P, sh.F, work, P, w, ckk, dy + r * yout, P, false, work + ckk * P);
    col2im_add(sh, dx + r * xin, work);
  }
}

void f32_conv2d_backward_filter__wasmsimd(const ConvShape& sh, size_t n, float* dw, float* dbias, const float* dy, const float* x,
                                          float* work) {
  if (conv2d_backward_filter_path(sh) == ConvPath::Direct) return backward_filter_direct(sh, n, dw, dbias, dy, x, work);
  const size_t ckk = ckk_of(sh), P = pos_of(sh), xin = xin_of(sh), yout = yout_of(sh);
  for (size_t r = 0; r < n; r++) {
    const float* col = x + r * xin;
    float* gw = work;
    if (!pointwise(sh)) {
      im2col(sh, work, x + r * xin);
      col = work;
      gw = work + ckk * P;
    }
    // dw (F, C k k) += dy (F, OH OW) colᵀ: the nt form, K = OH OW summed in order from dw.
    f32_gemm_nt_4x8__wasmsimd(sh.F, ckk, P, dw, ckk, dy + r * yout, P, col, P, true, gw);
    if (dbias) f32_channel_bias_grad__wasmsimd(sh.F, P, dbias, dy + r * yout);
  }
}

}  // namespace nnplay::kernels
