// nnplay kernel and training-step benchmarks: one registry of workloads, for native and wasm.
// bench/run.mjs loads the wasm build in its own Node process and calls nb_time() rep by rep,
// interleaved with the peers (TensorFlow.js, ConvNetJS) and the SIMD128 peak, so every engine
// sees the same machine weather. main() measures the registry alone ("RESULT {...}" lines).
// Not a test: no assertion on time. Usage (native): nnplay_bench [--quick] [--only <substring>]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>
#include "kernels/internal.h"
#include "kernels/simd.h"
#include "bench_steps.h"

using namespace nnplay::kernels;

namespace {

double now_us() {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// One workload: `run` is one call (a GEMM, a batch of convolutions, a training step); `inner`
// calls make one repetition long enough to time.
struct Workload {
  std::string name;
  double flops = 0, samples = 0;
  int inner = 1;
  bool simd_only = false;                              // the im2col record and the peak have no scalar twin
  std::function<void()> run;
};

// ---- the SIMD128 peak: 12 independent chains of x = x * m + a on f32x4 ----
float g_sink;
volatile float g_m = 0.999f, g_a = 0.001f;  // opaque: keeps the loop's constants in registers (a v128.const is rebuilt each use)
constexpr long kPeakIters = 250000;
void peak_loop() {
  v128_t m = wasm_f32x4_splat(g_m), a = wasm_f32x4_splat(g_a);
  v128_t x0 = wasm_f32x4_splat(0.1f), x1 = wasm_f32x4_splat(0.2f), x2 = wasm_f32x4_splat(0.3f), x3 = wasm_f32x4_splat(0.4f),
         x4 = wasm_f32x4_splat(0.5f), x5 = wasm_f32x4_splat(0.6f), x6 = wasm_f32x4_splat(0.7f), x7 = wasm_f32x4_splat(0.8f),
         x8 = wasm_f32x4_splat(0.9f), x9 = wasm_f32x4_splat(1.0f), x10 = wasm_f32x4_splat(1.1f), x11 = wasm_f32x4_splat(1.2f);
  for (long i = 0; i < kPeakIters; i++) {
#define STEP(x) x = wasm_f32x4_add(wasm_f32x4_mul(x, m), a);
    STEP(x0) STEP(x1) STEP(x2) STEP(x3) STEP(x4) STEP(x5) STEP(x6) STEP(x7) STEP(x8) STEP(x9) STEP(x10) STEP(x11)
#undef STEP
#if defined(__wasm_simd128__)
    __asm__ volatile("" : "+r"(i));  // keeps the loop from being folded
#endif
  }
  v128_t s = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(x0, x1), wasm_f32x4_add(x2, x3)),
                            wasm_f32x4_add(wasm_f32x4_add(x4, x5), wasm_f32x4_add(x6, x7)));
  s = wasm_f32x4_add(s, wasm_f32x4_add(wasm_f32x4_add(x8, x9), wasm_f32x4_add(x10, x11)));
  g_sink += wasm_f32x4_extract_lane(s, 0);
}

void fill(std::vector<float>& v, uint32_t seed) {
  for (auto& x : v) { seed = seed * 1664525u + 1013904223u; x = static_cast<float>(seed >> 8) * (2.0f / 16777216.0f) - 1.0f; }
}

struct Registry {
  std::vector<Workload> w;

  void peak() {
    Workload p{"peak_f32x4_12chain", 12.0 * 2 * 4 * kPeakIters, 0, 1, true, peak_loop};
    w.push_back(std::move(p));
  }

  void gemm(const char* form, size_t M, size_t N, size_t K, const std::string& name) {
    const bool ta = form[0] == 't', tb = form[1] == 't';
    auto A = std::make_shared<std::vector<float>>(M * K), B = std::make_shared<std::vector<float>>(K * N);
    auto C = std::make_shared<std::vector<float>>(M * N), work = std::make_shared<std::vector<float>>(gemm_workspace_floats(M, N, K) + 1);
    fill(*A, 1), fill(*B, 2);
    const size_t lda = ta ? M : K, ldb = tb ? K : N;
    const double flops = 2.0 * M * N * K;
    Workload g{name, flops, 0, flops < 1e5 ? 2000 : flops < 1e7 ? 20 : 1, false, [=] {
      if (!ta && !tb) f32_gemm_nn(M, N, K, C->data(), N, A->data(), lda, B->data(), ldb, false, work->data());
      else if (tb) f32_gemm_nt(M, N, K, C->data(), N, A->data(), lda, B->data(), ldb, false, work->data());
      else f32_gemm_tn(M, N, K, C->data(), N, A->data(), lda, B->data(), ldb, false, work->data());
    }};
    w.push_back(std::move(g));
  }

  // LeNet convolutions on a batch of 32: one image per call (the records kept for comparison with
  // earlier runs) and the whole batch per call (`_b32`: what the engine runs). A first layer's
  // backward computes no dx (nobody reads it): `conv1_bwd_b32` is backward-filter + bias gradient,
  // its flops those of one convolution; the other backward records also compute dx (2x the flops).
  void conv(const char* tag, ConvShape sh, bool first_layer) {
    const int B = 32;
    const size_t xin = static_cast<size_t>(sh.C) * sh.H * sh.W, yout = static_cast<size_t>(sh.F) * sh.OH() * sh.OW();
    struct Buf { std::vector<float> x, dx, y, dy, w, dw, bias, dbias, work; };
    auto b = std::make_shared<Buf>();
    b->x.resize(B * xin); b->dx.resize(B * xin); b->y.resize(B * yout); b->dy.resize(B * yout);
    b->w.resize(static_cast<size_t>(sh.F) * sh.C * sh.k * sh.k); b->dw.resize(b->w.size());
    b->bias.resize(sh.F); b->dbias.resize(sh.F); b->work.resize(conv2d_workspace_floats(sh));
    fill(b->x, 3), fill(b->w, 4), fill(b->bias, 5), fill(b->dy, 6);
    const double flops = 2.0 * B * yout * sh.C * sh.k * sh.k;
    auto fwd = [=] {
      for (int i = 0; i < B; i++)
        f32_conv2d_forward(sh, 1, &b->y[i * yout], nullptr, Act::Linear, 0, &b->x[i * xin], b->w.data(), b->bias.data(), b->work.data());
    };
    w.push_back(Workload{std::string(tag) + "_fwd", flops, B, 1, false, fwd});
    // the path not chosen, for the record (internal.h)
    w.push_back(Workload{std::string(tag) + "_fwd_im2col", flops, B, 1, true, [=] {
      conv_path_override = ConvPath::Gemm;
      fwd();
      conv_path_override = ConvPath::Auto;
    }});
    // backward-data and backward-filter (+ bias gradient), one image per call
    auto bwd = [=] {
      for (int i = 0; i < B; i++) {
        f32_conv2d_backward_data(sh, 1, &b->dx[i * xin], &b->dy[i * yout], b->w.data(), b->work.data());
        f32_conv2d_backward_filter(sh, 1, b->dw.data(), b->dbias.data(), &b->dy[i * yout], &b->x[i * xin], b->work.data());
      }
    };
    w.push_back(Workload{std::string(tag) + "_bwd", 2 * flops, B, 1, false, bwd});
    w.push_back(Workload{std::string(tag) + "_bwd_im2col", 2 * flops, B, 1, true, [=] {  // backward-filter's path not chosen
      conv_filter_path_override = ConvPath::Gemm;
      bwd();
      conv_filter_path_override = ConvPath::Auto;
    }});
    // the whole batch per call
    w.push_back(Workload{std::string(tag) + "_fwd_b32", flops, B, 1, false, [=] {
      f32_conv2d_forward(sh, B, b->y.data(), nullptr, Act::Linear, 0, b->x.data(), b->w.data(), b->bias.data(), b->work.data());
    }});
    w.push_back(Workload{std::string(tag) + "_bwd_b32", first_layer ? flops : 2 * flops, B, 1, false, [=] {
      if (!first_layer) f32_conv2d_backward_data(sh, B, b->dx.data(), b->dy.data(), b->w.data(), b->work.data());
      f32_conv2d_backward_filter(sh, B, b->dw.data(), b->dbias.data(), b->dy.data(), b->x.data(), b->work.data());
    }});
  }

  // Whole training steps, through nnplay::Session (bench_steps.h).
  void session(const std::string& name, const nnplay::Config& cfg, int inner) {
    auto st = std::make_shared<bench::SessionStep>(cfg);
    if (!st->s) return;
    w.push_back(Workload{name, 0, static_cast<double>(st->batch()), inner, false, [st] { st->step(); }});
  }

  Registry() {
    peak();
    gemm("nn", 64, 64, 64, "gemm_nn_64");
    gemm("nn", 256, 256, 256, "gemm_nn_256");
    gemm("nn", 512, 512, 512, "gemm_nn_512");
    gemm("nn", 32, 128, 784, "gemm_nn_32x784x128");
    gemm("nt", 32, 128, 784, "gemm_nt_32x784x128");
    gemm("tn", 32, 128, 784, "gemm_tn_32x784x128");
    gemm("nn", 10, 8, 8, "gemm_nn_10x8x8");
    conv("conv1", ConvShape{1, 28, 28, 6, 5, 1, 0}, true);
    conv("conv2", ConvShape{6, 12, 12, 16, 5, 1, 0}, false);
    session("mlp_784_128_10_step", bench::mlp_784_128_10(), 1);
    session("playground_2_8_8_1_step", bench::playground_2_8_8_1(), 200);
    session("lenet5_step", bench::lenet5(), 1);
    session("lenet5_page_adam_step", bench::lenet5_page(), 1);  // no peer: what the page's preset runs
  }
};

Registry& registry() {
  static Registry r;
  return r;
}

// ---- standalone: each workload alone, median/min/max per call over repetitions after warm-up ----
struct Stats { double median, min, max; int reps; };
double time_reps(const Workload& w, int inner) {
  const double s = now_us();
  for (int i = 0; i < inner; i++) w.run();
  return (now_us() - s) / inner;
}
Stats measure(const Workload& w, bool quick, double budget_ms) {
  w.run();
  const double one = time_reps(w, w.inner);
  int reps = static_cast<int>(std::clamp(budget_ms * 1000.0 / std::max(one * w.inner, 1.0), 5.0, 200.0));
  if (quick) reps = std::min(reps, 5);
  std::vector<double> t(reps);
  for (int r = 0; r < reps; r++) t[r] = time_reps(w, w.inner);
  std::sort(t.begin(), t.end());
  return {t[reps / 2], t.front(), t.back(), reps};
}
void emit(const Workload& w, const char* engine, const Stats& s) {
  std::printf("RESULT {\"workload\":\"%s\",\"engine\":\"%s\",\"median_us\":%.4f,\"min_us\":%.4f,\"max_us\":%.4f,\"reps\":%d",
              w.name.c_str(), engine, s.median, s.min, s.max, s.reps);
  if (w.flops > 0) std::printf(",\"gflops\":%.3f", w.flops / s.median / 1e3);
  if (w.samples > 0) std::printf(",\"samples_per_s\":%.1f", w.samples / s.median * 1e6);
  std::printf("}\n");
  std::fflush(stdout);
}

}  // namespace

// ---- the interface bench/run.mjs calls (exported from the wasm build) ----
extern "C" {
int nb_count() { return static_cast<int>(registry().w.size()); }
const char* nb_name(int i) { return registry().w[i].name.c_str(); }
double nb_flops(int i) { return registry().w[i].flops; }
double nb_samples(int i) { return registry().w[i].samples; }
int nb_inner(int i) { return registry().w[i].inner; }
int nb_simd_only(int i) { return registry().w[i].simd_only ? 1 : 0; }
// Runs workload i once untimed (so caches hold its data, whatever ran before), then `inner` times
// timed, on the SIMD (scalar = 0) or scalar backend; microseconds per call.
double nb_time(int i, int scalar, int inner) {
  set_backend(scalar ? Backend::Scalar : Backend::Simd);
  registry().w[i].run();
  const double t = time_reps(registry().w[i], inner);
  set_backend(Backend::Simd);
  return t;
}
}

int main(int argc, char** argv) {
  bool quick = false;
  std::string only;
  for (int i = 1; i < argc; i++) {
    if (!std::strcmp(argv[i], "--quick")) quick = true;
    else if (!std::strcmp(argv[i], "--only") && i + 1 < argc) only = argv[++i];
  }
  for (const Workload& w : registry().w) {
    if (!only.empty() && w.name.find(only) == std::string::npos) continue;
    for (int scalar = 0; scalar < (w.simd_only ? 1 : 2); scalar++) {
      set_backend(scalar ? Backend::Scalar : Backend::Simd);
      const bool slow = scalar && w.flops > 5e7;
      emit(w, scalar ? "nnplay-scalar" : "nnplay-simd", measure(w, quick, slow ? 1500 : 400));
    }
  }
  set_backend(Backend::Simd);
  std::printf("DONE %g\n", static_cast<double>(g_sink));
  return 0;
}
