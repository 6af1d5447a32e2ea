// Bias add and bias-gradient scalar references. Gradients sum rows (or pixels) in order.
#include "../internal.h"

namespace nnplay::kernels {

// y (rows, cols) ldy: y[r][c] += bias[c]
void f32_bias_add__scalar(size_t rows, size_t cols, float* y, size_t ldy, const float* bias) {
  for (size_t r = 0; r < rows; r++)
    for (size_t c = 0; c < cols; c++) y[r * ldy + c] += bias[c];
}

// dbias[c] = (dbias[c] when accumulate, else 0) + dy[0][c] + dy[1][c] + ... (r in order)
void f32_bias_grad__scalar(size_t rows, size_t cols, float* dbias, const float* dy, size_t ldy, bool accumulate) {
  for (size_t c = 0; c < cols; c++) {
    float acc = accumulate ? dbias[c] : 0.0f;
    for (size_t r = 0; r < rows; r++) acc += dy[r * ldy + c];
    dbias[c] = acc;
  }
}

// y (C, HW): y[c][i] += bias[c]
void f32_channel_bias_add__scalar(size_t C, size_t HW, float* y, const float* bias) {
  for (size_t c = 0; c < C; c++)
    for (size_t i = 0; i < HW; i++) y[c * HW + i] += bias[c];
}

// dbias[c] += s, s = ((0 + dy[c][0]) + dy[c][1]) + ... : the image's sum first, then one add into dbias.
void f32_channel_bias_grad__scalar(size_t C, size_t HW, float* dbias, const float* dy) {
  for (size_t c = 0; c < C; c++) {
    float s = 0.0f;
    for (size_t i = 0; i < HW; i++) s += dy[c * HW + i];
    dbias[c] += s;
  }
}

}  // namespace nnplay::kernels
