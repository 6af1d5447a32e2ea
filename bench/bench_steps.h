// Whole training steps for the benchmark, written directly on the kernels (the same calls the
// engine's dense layers make). Not the engine: bench_main switches to nnplay::Session when it works.
#pragma once
#include <cstddef>
#include <vector>

namespace bench {

// MLP 784-128-10, ReLU, softmax cross-entropy, plain SGD, on one fixed batch.
struct MlpStep {
  explicit MlpStep(int batch);
  void step();
  int B;
  std::vector<float> X, W1, b1, W2, b2, Z1, A1, Z2, P, dZ2, dA1, dZ1, dW1, db1, dW2, db2, work;
  std::vector<int> label;
  float loss = 0;
};

// TF Playground's 2-8-8-1, tanh everywhere, squared error, plain SGD, on one fixed batch.
struct PlaygroundStep {
  explicit PlaygroundStep(int batch);
  void step();
  int B;
  std::vector<float> X, T, W[3], b[3], Z[3], A[3], dZ[3], dA[3], dW[3], db[3], work;
  float loss = 0;
};

}  // namespace bench
