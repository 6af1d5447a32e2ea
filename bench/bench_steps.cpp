// Training steps on the kernels for the benchmark (see bench_steps.h).
#include "bench_steps.h"
#include <algorithm>
#include <cmath>
#include "kernels/kernels.h"

using namespace nnplay::kernels;

namespace bench {
namespace {
float frand(uint32_t& s) { s = s * 1664525u + 1013904223u; return static_cast<float>(s >> 8) * (1.0f / 16777216.0f); }
void init(std::vector<float>& v, size_t n, float r, uint32_t seed) { v.resize(n); for (auto& x : v) x = (2 * frand(seed) - 1) * r; }
void sgd(std::vector<float>& w, const std::vector<float>& dw, float lr) { for (size_t i = 0; i < w.size(); i++) w[i] -= lr * dw[i]; }
}  // namespace

MlpStep::MlpStep(int batch) : B(batch) {
  uint32_t s = 42;
  X.resize(B * 784);
  for (auto& x : X) x = frand(s);
  label.resize(B);
  for (int i = 0; i < B; i++) label[i] = i % 10;
  init(W1, 128 * 784, 0.05f, 1), init(b1, 128, 0.0f, 2), init(W2, 10 * 128, 0.1f, 3), init(b2, 10, 0.0f, 4);
  Z1.resize(B * 128), A1 = Z1, dA1 = Z1, dZ1 = Z1, Z2.resize(B * 10), P = Z2, dZ2 = Z2;
  dW1.resize(W1.size()), db1.resize(128), dW2.resize(W2.size()), db2.resize(10);
  size_t ws = std::max({gemm_workspace_floats(B, 128, 784), gemm_workspace_floats(B, 10, 128), gemm_workspace_floats(10, 128, B),
                        gemm_workspace_floats(B, 128, 10), gemm_workspace_floats(128, 784, B)});
  work.resize(ws);
}

void MlpStep::step() {
  // forward: Z1 (B,128) = X (B,784) W1ᵀ + b1; A1 = relu; Z2 (B,10) = A1 W2ᵀ + b2
  f32_gemm_nt(B, 128, 784, Z1.data(), 128, X.data(), 784, W1.data(), 784, false, work.data());
  f32_bias_add(B, 128, Z1.data(), 128, b1.data());
  f32_act_forward(B * 128, Act::Relu, 0, A1.data(), Z1.data());
  f32_gemm_nt(B, 10, 128, Z2.data(), 10, A1.data(), 128, W2.data(), 128, false, work.data());
  f32_bias_add(B, 10, Z2.data(), 10, b2.data());
  // softmax cross-entropy, mean over the batch: dZ2 = (P - onehot) / B
  loss = 0;
  for (int i = 0; i < B; i++) {
    float* z = &Z2[i * 10];
    float m = *std::max_element(z, z + 10), sum = 0;
    for (int j = 0; j < 10; j++) sum += (P[i * 10 + j] = nn_expf(z[j] - m));
    for (int j = 0; j < 10; j++) {
      P[i * 10 + j] /= sum;
      dZ2[i * 10 + j] = (P[i * 10 + j] - (j == label[i] ? 1.0f : 0.0f)) / B;
    }
    loss -= std::log(std::max(P[i * 10 + label[i]], 1e-30f));
  }
  // backward: dW2 = dZ2ᵀ A1, db2, dA1 = dZ2 W2, dZ1 = relu'(Z1) dA1, dW1 = dZ1ᵀ X, db1
  f32_gemm_tn(10, 128, B, dW2.data(), 128, dZ2.data(), 10, A1.data(), 128, false, work.data());
  f32_bias_grad(B, 10, db2.data(), dZ2.data(), 10, false);
  f32_gemm_nn(B, 128, 10, dA1.data(), 128, dZ2.data(), 10, W2.data(), 128, false, work.data());
  f32_act_backward(B * 128, Act::Relu, 0, dZ1.data(), dA1.data(), Z1.data(), A1.data());
  f32_gemm_tn(128, 784, B, dW1.data(), 784, dZ1.data(), 128, X.data(), 784, false, work.data());
  f32_bias_grad(B, 128, db1.data(), dZ1.data(), 128, false);
  const float lr = 0.01f;
  sgd(W1, dW1, lr), sgd(b1, db1, lr), sgd(W2, dW2, lr), sgd(b2, db2, lr);
}

PlaygroundStep::PlaygroundStep(int batch) : B(batch) {
  uint32_t s = 7;
  X.resize(B * 2), T.resize(B);
  for (int i = 0; i < B; i++) {
    X[2 * i] = 2 * frand(s) - 1, X[2 * i + 1] = 2 * frand(s) - 1;
    T[i] = X[2 * i] * X[2 * i + 1] > 0 ? 1.0f : -1.0f;
  }
  const int in[3] = {2, 8, 8}, out[3] = {8, 8, 1};
  size_t ws = 0;
  for (int l = 0; l < 3; l++) {
    init(W[l], out[l] * in[l], 0.5f, 10 + l), init(b[l], out[l], 0.1f, 20 + l);
    Z[l].resize(B * out[l]), A[l] = Z[l], dZ[l] = Z[l], dA[l] = Z[l], dW[l].resize(W[l].size()), db[l].resize(out[l]);
    ws = std::max({ws, gemm_workspace_floats(B, out[l], in[l]), gemm_workspace_floats(out[l], in[l], B), gemm_workspace_floats(B, in[l], out[l])});
  }
  work.resize(ws);
}

void PlaygroundStep::step() {
  const int in[3] = {2, 8, 8}, out[3] = {8, 8, 1};
  const float* x = X.data();
  for (int l = 0; l < 3; l++) {
    f32_gemm_nt(B, out[l], in[l], Z[l].data(), out[l], x, in[l], W[l].data(), in[l], false, work.data());
    f32_bias_add(B, out[l], Z[l].data(), out[l], b[l].data());
    f32_act_forward(B * out[l], Act::Tanh, 0, A[l].data(), Z[l].data());
    x = A[l].data();
  }
  loss = 0;
  for (int i = 0; i < B; i++) {
    const float e = A[2][i] - T[i];
    loss += e * e;
    dA[2][i] = 2 * e / B;
  }
  for (int l = 2; l >= 0; l--) {
    f32_act_backward(B * out[l], Act::Tanh, 0, dZ[l].data(), dA[l].data(), Z[l].data(), A[l].data());
    const float* xin = l ? A[l - 1].data() : X.data();
    f32_gemm_tn(out[l], in[l], B, dW[l].data(), in[l], dZ[l].data(), out[l], xin, in[l], false, work.data());
    f32_bias_grad(B, out[l], db[l].data(), dZ[l].data(), out[l], false);
    if (l) f32_gemm_nn(B, in[l], out[l], dA[l - 1].data(), in[l], dZ[l].data(), out[l], W[l].data(), in[l], false, work.data());
  }
  const float lr = 0.03f;
  for (int l = 0; l < 3; l++) sgd(W[l], dW[l], lr), sgd(b[l], db[l], lr);
}

}  // namespace bench
