// nnplay kernel and training-step benchmarks, one binary for native and wasm (Node). Prints one
// JSON object per line ("RESULT {...}") for bench/run.mjs, which puts the peers beside them.
// Not a test: no assertion on time. Usage: nnplay_bench [--quick] [--only <substring>]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>
#include "kernels/internal.h"
#include "kernels/simd.h"
#include "bench_steps.h"

using namespace nnplay::kernels;

namespace {

bool g_quick = false;
std::string g_only;

double now_us() {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Stats { double median, min, max; int reps; };

// Runs fn `inner` times per repetition after a warm-up; reps adapt to keep each workload near `budget_ms`.
Stats measure(const std::function<void()>& fn, int inner = 1, double budget_ms = 400) {
  fn();
  double t0 = now_us();
  for (int i = 0; i < inner; i++) fn();
  double one = (now_us() - t0) / inner;
  int reps = static_cast<int>(std::clamp(budget_ms * 1000.0 / std::max(one * inner, 1.0), 5.0, 200.0));
  if (g_quick) reps = std::min(reps, 5);
  std::vector<double> t(reps);
  for (int r = 0; r < reps; r++) {
    double s = now_us();
    for (int i = 0; i < inner; i++) fn();
    t[r] = (now_us() - s) / inner;
  }
  std::sort(t.begin(), t.end());
  return {t[reps / 2], t.front(), t.back(), reps};
}

void emit(const std::string& workload, const char* engine, const Stats& s, double flops, double samples) {
  std::printf("RESULT {\"workload\":\"%s\",\"engine\":\"%s\",\"median_us\":%.4f,\"min_us\":%.4f,\"max_us\":%.4f,\"reps\":%d",
              workload.c_str(), engine, s.median, s.min, s.max, s.reps);
  if (flops > 0) std::printf(",\"gflops\":%.3f", flops / s.median / 1e3);
  if (samples > 0) std::printf(",\"samples_per_s\":%.1f", samples / s.median * 1e6);
  std::printf("}\n");
  std::fflush(stdout);
}

bool wanted(const std::string& w) { return g_only.empty() || w.find(g_only) != std::string::npos; }

const char* engine_name() { return backend() == Backend::Simd ? "nnplay-simd" : "nnplay-scalar"; }

// ---- the SIMD128 peak: 12 independent chains of x = x * m + a on f32x4 ----
float g_sink;
volatile float g_m = 0.999f, g_a = 0.001f;  // opaque: keeps the loop's constants in registers (a v128.const is rebuilt each use)
void bench_peak() {
  if (!wanted("peak")) return;
  const long iters = 2000000;
  auto run = [&] {
    v128_t m = wasm_f32x4_splat(g_m), a = wasm_f32x4_splat(g_a);
    v128_t x0 = wasm_f32x4_splat(0.1f), x1 = wasm_f32x4_splat(0.2f), x2 = wasm_f32x4_splat(0.3f), x3 = wasm_f32x4_splat(0.4f),
           x4 = wasm_f32x4_splat(0.5f), x5 = wasm_f32x4_splat(0.6f), x6 = wasm_f32x4_splat(0.7f), x7 = wasm_f32x4_splat(0.8f),
           x8 = wasm_f32x4_splat(0.9f), x9 = wasm_f32x4_splat(1.0f), x10 = wasm_f32x4_splat(1.1f), x11 = wasm_f32x4_splat(1.2f);
    for (long i = 0; i < iters; i++) {
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
  };
  Stats s = measure(run, 1, 600);
  emit("peak_f32x4_12chain", "nnplay-simd", s, 12.0 * 2 * 4 * iters, 0);
}

// ---- GEMM ----
void fill(std::vector<float>& v, uint32_t seed) {
  for (auto& x : v) { seed = seed * 1664525u + 1013904223u; x = static_cast<float>(seed >> 8) * (2.0f / 16777216.0f) - 1.0f; }
}

void bench_gemm(const char* form, size_t M, size_t N, size_t K, const std::string& name) {
  if (!wanted(name)) return;
  const bool ta = form[0] == 't', tb = form[1] == 't';
  std::vector<float> A(M * K), B(K * N), C(M * N), work(gemm_workspace_floats(M, N, K) + 1);
  fill(A, 1), fill(B, 2);
  const size_t lda = ta ? M : K, ldb = tb ? K : N;
  auto call = [&] {
    if (!ta && !tb) f32_gemm_nn(M, N, K, C.data(), N, A.data(), lda, B.data(), ldb, false, work.data());
    else if (tb) f32_gemm_nt(M, N, K, C.data(), N, A.data(), lda, B.data(), ldb, false, work.data());
    else f32_gemm_tn(M, N, K, C.data(), N, A.data(), lda, B.data(), ldb, false, work.data());
  };
  const double flops = 2.0 * M * N * K;
  const int inner = flops < 1e5 ? 2000 : flops < 1e7 ? 20 : 1;
  const bool slow = backend() == Backend::Scalar && flops > 5e7;
  Stats s = measure(call, inner, slow ? 1500 : 400);
  emit(name, engine_name(), s, flops, 0);
}

// ---- LeNet convolutions, batch 32, one image per call as the engine does ----
void bench_conv(const char* tag, ConvShape sh) {
  const int B = 32;
  const size_t xin = static_cast<size_t>(sh.C) * sh.H * sh.W, yout = static_cast<size_t>(sh.F) * sh.OH() * sh.OW();
  std::vector<float> x(B * xin), dx(B * xin), y(B * yout), dy(B * yout), w(static_cast<size_t>(sh.F) * sh.C * sh.k * sh.k),
      dw(w.size()), bias(sh.F), dbias(sh.F), work(conv2d_workspace_floats(sh));
  fill(x, 3), fill(w, 4), fill(bias, 5), fill(dy, 6);
  const double flops = 2.0 * B * yout * sh.C * sh.k * sh.k;
  std::string fwd = std::string(tag) + "_fwd", bwd = std::string(tag) + "_bwd";
  if (wanted(fwd)) {
    Stats s = measure([&] { for (int b = 0; b < B; b++) f32_conv2d_forward(sh, &y[b * yout], &x[b * xin], w.data(), bias.data(), work.data()); });
    emit(fwd, engine_name(), s, flops, B);
  }
  if (wanted(fwd + "_im2col") && backend() == Backend::Simd) {  // the path not chosen, for the record (internal.h)
    conv_path_override = ConvPath::Gemm;
    Stats s = measure([&] { for (int b = 0; b < B; b++) f32_conv2d_forward(sh, &y[b * yout], &x[b * xin], w.data(), bias.data(), work.data()); });
    conv_path_override = ConvPath::Auto;
    emit(fwd + "_im2col", engine_name(), s, flops, B);
  }
  if (wanted(bwd)) {  // backward-data and backward-filter (+ bias gradient) of the whole batch
    Stats s = measure([&] {
      for (int b = 0; b < B; b++) {
        f32_conv2d_backward_data(sh, &dx[b * xin], &dy[b * yout], w.data(), work.data());
        f32_conv2d_backward_filter(sh, dw.data(), dbias.data(), &dy[b * yout], &x[b * xin], work.data());
      }
    });
    emit(bwd, engine_name(), s, 2 * flops, B);
  }
}

// ---- whole training steps, through nnplay::Session (bench_steps.h) ----
void bench_session(const std::string& name, const nnplay::Config& cfg, int inner) {
  if (!wanted(name)) return;
  bench::SessionStep st(cfg);
  if (!st.s) return;
  Stats s = measure([&] { st.step(); }, inner);
  emit(name, engine_name(), s, 0, st.batch());
}
void bench_steps() {
  bench_session("mlp_784_128_10_step", bench::mlp_784_128_10(), 1);
  bench_session("playground_2_8_8_1_step", bench::playground_2_8_8_1(), 200);
  bench_session("lenet5_step", bench::lenet5(), 1);
}

void run_all() {
  bench_gemm("nn", 64, 64, 64, "gemm_nn_64");
  bench_gemm("nn", 256, 256, 256, "gemm_nn_256");
  bench_gemm("nn", 512, 512, 512, "gemm_nn_512");
  bench_gemm("nn", 32, 128, 784, "gemm_nn_32x784x128");
  bench_gemm("nt", 32, 128, 784, "gemm_nt_32x784x128");
  bench_gemm("tn", 32, 128, 784, "gemm_tn_32x784x128");
  bench_gemm("nn", 10, 8, 8, "gemm_nn_10x8x8");
  bench_conv("conv1", ConvShape{1, 28, 28, 6, 5, 1, 0});
  bench_conv("conv2", ConvShape{6, 12, 12, 16, 5, 1, 0});
  bench_steps();
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; i++) {
    if (!std::strcmp(argv[i], "--quick")) g_quick = true;
    else if (!std::strcmp(argv[i], "--only") && i + 1 < argc) g_only = argv[++i];
  }
  bench_peak();
  set_backend(Backend::Simd);
  run_all();
  set_backend(Backend::Scalar);
  run_all();
  set_backend(Backend::Simd);
  std::printf("DONE %g\n", static_cast<double>(g_sink));
  return 0;
}
