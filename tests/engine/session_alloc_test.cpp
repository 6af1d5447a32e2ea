// Engine tests: a training step allocates nothing (docs/design.md, contract 6). This file replaces the
// global operator new/delete of the test binary with counting versions (plain malloc underneath).
#include <gtest/gtest.h>
#include <atomic>
#include <functional>
#include <vector>
#include <cstdlib>
#include <new>
#include "nnplay/session.h"

namespace {
std::atomic<long> g_allocs{0};
}
void* operator new(std::size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n ? n : 1);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

using namespace nnplay;

namespace {
long allocs_during(const std::function<void()>& f) {
  const long before = g_allocs.load();
  f();
  return g_allocs.load() - before;
}
LayerSpec dense(int units, Activation act) { LayerSpec l; l.units = units; l.act = act; return l; }
}  // namespace

TEST(EngineAlloc, CountingAllocatorSeesAllocations) {
  EXPECT_GE(allocs_during([] { std::vector<int> v(100); v[0] = 1; EXPECT_EQ(v[0], 1); }), 1);
}

TEST(EngineAlloc, StepsBackTraceAndGridAllocateNothing) {
  std::vector<Config> configs;
  configs.push_back(default_config());
  Config c = default_config();
  c.data.set = DataSet::Blobs;
  c.data.classes = 4;
  c.layers = {dense(6, Activation::Relu), dense(4, Activation::Softmax)};
  c.train.loss = LossType::SoftmaxCrossEntropy;
  c.train.optimizer = Optimizer::Adam;
  c.train.reg = Regularization::L1;
  c.train.reg_rate = 0.001f;
  configs.push_back(c);
  Config g = default_config();
  g.data.set = DataSet::Digits;
  g.data.points = 60;
  LayerSpec cv; cv.type = LayerType::Conv; cv.filters = 2; cv.kernel = 3; cv.act = Activation::LeakyRelu;
  LayerSpec mp; mp.type = LayerType::MaxPool;
  LayerSpec fl; fl.type = LayerType::Flatten;
  g.layers = {cv, mp, fl, dense(10, Activation::Softmax)};
  g.train.loss = LossType::SoftmaxCrossEntropy;
  g.train.optimizer = Optimizer::Nesterov;
  g.train.batch = 4;
  configs.push_back(g);
  // Two conv layers (the batched direct kernels: padding, backward-data into the first) under Adam.
  Config l = g;
  LayerSpec c1 = cv, c2 = cv;
  c1.filters = 3; c1.kernel = 5; c1.pad = 2; c1.act = Activation::Relu;
  c2.filters = 5; c2.kernel = 3; c2.act = Activation::Tanh;
  l.layers = {c1, mp, c2, fl, dense(10, Activation::Softmax)};
  l.train.optimizer = Optimizer::Adam;
  l.train.batch = 7;
  configs.push_back(l);
  // Batch norm (per channel after conv, per unit after dense), dropout, ELU/GELU/SiLU.
  Config b = g;
  LayerSpec bn; bn.type = LayerType::BatchNorm; bn.act = Activation::Relu;
  LayerSpec dr; dr.type = LayerType::Dropout; dr.rate = 0.3f;
  LayerSpec bn2 = bn; bn2.act = Activation::Linear;
  cv.act = Activation::Elu;
  b.layers = {cv, bn, mp, dr, fl, dense(12, Activation::Gelu), bn2, dr, dense(10, Activation::Softmax)};
  b.train.optimizer = Optimizer::Adam;
  configs.push_back(b);
  Config f = default_config();
  f.layers = {dense(6, Activation::Silu), bn, dr, dense(1, Activation::Tanh)};
  configs.push_back(f);
  for (const Config& cfg : configs) {
    std::string err;
    auto s = Session::create(cfg, &err);
    ASSERT_TRUE(s) << err;
    s->step(StepSize::Batch, 1);                       // warm-up outside the count (nothing lazy should remain)
    std::vector<float> pts(2 * 50, 0.5f), out(s->grid_output_floats(50) + 1);
    std::vector<float> probe(s->data().input_size, 0.1f), y(16);
    long n = allocs_during([&] {
      for (int i = 0; i < 20; ++i) s->step(StepSize::Example, 1);
      s->step(StepSize::Batch, 20);
      s->step(StepSize::Epoch, 1);
      s->back(7);
      s->trace_example(true, 0);
      s->predict(probe.data(), y.data());
      (void)s->metrics();
      if (s->grid_output_floats(50)) s->eval_grid(50, pts.data(), out.data());
    });
    EXPECT_EQ(n, 0) << "allocations during training with " << name(cfg.data.set);
  }
}
