// Whole training steps for the benchmark, through the engine's public API (nnplay::Session):
// what the page runs, trace and rewind history included. Not a test: nothing is asserted here.
#pragma once
#include <memory>
#include <string>
#include "nnplay/session.h"

namespace bench {

// One workload: a Session on its generated data set, stepped one batch at a time.
struct SessionStep {
  explicit SessionStep(const nnplay::Config& c);
  void step();                                         // one batch update (re-seeds if the session diverged)
  int batch() const { return cfg.train.batch; }
  nnplay::Config cfg;
  std::unique_ptr<nnplay::Session> s;
  std::string error;                                   // non-empty when create() failed
};

nnplay::Config mlp_784_128_10();                       // Digits, dense 128 ReLU, dense 10 softmax, CE, SGD 0.01, batch 32
nnplay::Config playground_2_8_8_1();                   // XOR (x1, x2), 8-8-1 tanh, squared error, SGD 0.03, batch 10
nnplay::Config lenet5();                               // Digits 28x28x1, conv 6@5x5, pool 2, conv 16@5x5, pool 2, 120-84-10, ReLU, CE, SGD 0.01, batch 32
nnplay::Config lenet5_page();                          // the page's LeNet preset: conv1 padded (28x28 maps), Adam 0.001, batch 32

}  // namespace bench
