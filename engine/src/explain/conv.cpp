// The convolution and pooling explainers: one output pixel's multiply-adds, one kernel element's
// gradient (the correlation of the input with dL/dout), one input pixel's gradient, standalone
// 1-D/2-D convolution vs cross-correlation, and pooling forward/backward on the engine's kernels.
// Not the conv layer itself (engine/kernels/conv). Float sums follow the kernels' documented
// summation orders (kernels.h), so the results equal the engine's bit for bit.
#include <algorithm>
#include "kernels/kernels.h"
#include "nnplay/explain.h"
#include "refnet.h"

namespace nnplay::explain {
namespace k = nnplay::kernels;

namespace {
std::string check_problem(const ConvProblem& pr) {
  if (pr.C < 1 || pr.H < 1 || pr.W < 1 || pr.F < 1 || pr.k < 1 || pr.s < 1 || pr.pad < 0)
    return "conv: sizes must be positive (C, H, W, F, k, stride) and padding >= 0";
  if (pr.k > pr.H + 2 * pr.pad || pr.k > pr.W + 2 * pr.pad) return "conv: the kernel is larger than the padded input";
  if (pr.x.size() != (size_t)pr.C * pr.H * pr.W) return "conv: x must hold C*H*W values";
  if (pr.w.size() != (size_t)pr.F * pr.C * pr.k * pr.k) return "conv: w must hold F*C*k*k values";
  if (!pr.b.empty() && pr.b.size() != (size_t)pr.F) return "conv: b must hold F values (or none)";
  const size_t out = (size_t)pr.F * pr.P() * pr.Q();
  if (!pr.dy.empty() && pr.dy.size() != out) return "conv: dy must hold F*P*Q values (or none)";
  if (!pr.engine_z.empty() && pr.engine_z.size() != out) return "conv: engine_z must hold F*P*Q values (or none)";
  if (!pr.engine_dx.empty() && pr.engine_dx.size() != pr.x.size()) return "conv: engine_dx must hold C*H*W values (or none)";
  return "";
}
float xat(const ConvProblem& pr, int c, int iy, int ix, bool* padding) {
  *padding = iy < 0 || ix < 0 || iy >= pr.H || ix >= pr.W;
  return *padding ? 0.0f : pr.x[((size_t)c * pr.H + iy) * pr.W + ix];
}
}  // namespace

std::string conv_problem(Session& s, ExampleRef ex, int layer, ConvProblem* out) {
  ref::Net net;
  std::string e = ref::from_session(s, ex, &net);  // runs trace_example
  if (!e.empty()) return e;
  if (layer < 0 || layer >= (int)net.layers.size() || net.layers[layer].spec.type != LayerType::Conv)
    return "conv: layer " + std::to_string(layer + 1) + " is not a conv layer";
  const ref::Layer& p = net.layers[layer];
  const LayerTrace& T = s.trace(layer);
  ConvProblem& pr = *out;
  pr = ConvProblem{};
  pr.C = p.in[0]; pr.H = p.in[1]; pr.W = p.in[2];
  pr.F = p.out[0]; pr.k = p.spec.kernel; pr.s = p.spec.stride; pr.pad = p.spec.pad;
  pr.act = p.spec.act; pr.leak = p.spec.leak;
  const float* x = layer == 0 ? net.x_f.data() : s.trace(layer - 1).ex_a.data;
  pr.x.assign(x, x + p.nin);
  pr.w.assign(T.w.data, T.w.data + T.w.size());
  pr.b.assign(T.b.data, T.b.data + T.b.size());
  pr.dy.assign(T.ex_dz.data, T.ex_dz.data + p.nout);
  pr.engine_z.assign(T.ex_z.data, T.ex_z.data + p.nout);
  if (layer > 0) pr.engine_dx.assign(s.trace(layer - 1).ex_da.data, s.trace(layer - 1).ex_da.data + p.nin);
  return "";
}

std::string conv_forward_pixel(const ConvProblem& pr, int f, int p, int q, ConvPixel* out) {
  std::string e = check_problem(pr);
  if (!e.empty()) return e;
  if (f < 0 || f >= pr.F || p < 0 || p >= pr.P() || q < 0 || q >= pr.Q()) return "conv: no output pixel there";
  ConvPixel& o = *out;
  o = ConvPixel{};
  o.f = f; o.p = p; o.q = q;
  float acc = 0.0f;  // the kernel's order: (c, ky, kx), from 0, padding taps multiplied in as 0
  for (int c = 0; c < pr.C; ++c)
    for (int ky = 0; ky < pr.k; ++ky)
      for (int kx = 0; kx < pr.k; ++kx) {
        ConvTap t;
        t.c = c; t.ky = ky; t.kx = kx;
        t.iy = p * pr.s + ky - pr.pad;
        t.ix = q * pr.s + kx - pr.pad;
        t.x = xat(pr, c, t.iy, t.ix, &t.padding);
        t.w = pr.w[(((size_t)f * pr.C + c) * pr.k + ky) * pr.k + kx];
        t.product = t.w * t.x;
        acc += t.product;
        t.running = acc;
        o.taps.push_back(t);
      }
  o.sum = acc;
  o.bias = pr.b.empty() ? 0.0f : pr.b[f];
  o.z = pr.b.empty() ? acc : acc + o.bias;
  o.a = pr.act == Activation::Softmax ? o.z : activation(pr.act, pr.leak, o.z);
  const size_t idx = ((size_t)f * pr.P() + p) * pr.Q() + q;
  o.has_engine = !pr.engine_z.empty();
  if (o.has_engine) o.engine_z = pr.engine_z[idx];
  return "";
}

std::string conv_kernel_grad(const ConvProblem& pr, int f, int c, int ky, int kx, KernelGrad* out) {
  std::string e = check_problem(pr);
  if (!e.empty()) return e;
  if (pr.dy.empty()) return "conv: no dy given (dL/dout), so no backward";
  if (f < 0 || f >= pr.F || c < 0 || c >= pr.C || ky < 0 || ky >= pr.k || kx < 0 || kx >= pr.k) return "conv: no kernel element there";
  KernelGrad& g = *out;
  g = KernelGrad{};
  g.f = f; g.c = c; g.ky = ky; g.kx = kx;
  const int P = pr.P(), Q = pr.Q();
  float acc = 0.0f, bacc = 0.0f;  // backward-filter order: (p, q) in order from 0; bias likewise
  for (int p = 0; p < P; ++p)
    for (int q = 0; q < Q; ++q) {
      KernelGradTap t;
      t.p = p; t.q = q;
      t.iy = p * pr.s + ky - pr.pad;
      t.ix = q * pr.s + kx - pr.pad;
      t.x = xat(pr, c, t.iy, t.ix, &t.padding);
      t.dy = pr.dy[((size_t)f * P + p) * Q + q];
      t.product = t.dy * t.x;
      acc += t.product;
      bacc += t.dy;
      t.running = acc;
      g.taps.push_back(t);
    }
  g.value = acc;
  g.bias_grad = bacc;
  return "";
}

std::string conv_input_grad(const ConvProblem& pr, int c, int iy, int ix, InputGrad* out) {
  std::string e = check_problem(pr);
  if (!e.empty()) return e;
  if (pr.dy.empty()) return "conv: no dy given (dL/dout), so no backward";
  if (c < 0 || c >= pr.C || iy < 0 || iy >= pr.H || ix < 0 || ix >= pr.W) return "conv: no input pixel there";
  InputGrad& g = *out;
  g = InputGrad{};
  g.c = c; g.iy = iy; g.ix = ix;
  const int P = pr.P(), Q = pr.Q();
  // backward-data order: for (ky, kx): v = sum over f from 0 of w * dy; dx += v.
  float acc = 0.0f;
  for (int ky = 0; ky < pr.k; ++ky)
    for (int kx = 0; kx < pr.k; ++kx) {
      const int ty = iy + pr.pad - ky, tx = ix + pr.pad - kx;
      if (ty < 0 || tx < 0 || ty % pr.s || tx % pr.s || ty / pr.s >= P || tx / pr.s >= Q) continue;
      const int p = ty / pr.s, q = tx / pr.s;
      float v = 0.0f;
      for (int f = 0; f < pr.F; ++f) {
        InputGradTerm t;
        t.f = f; t.p = p; t.q = q; t.ky = ky; t.kx = kx;
        t.w = pr.w[(((size_t)f * pr.C + c) * pr.k + ky) * pr.k + kx];
        t.dy = pr.dy[((size_t)f * P + p) * Q + q];
        t.product = t.w * t.dy;
        v += t.product;
        g.terms.push_back(t);
      }
      acc += v;
    }
  g.value = acc;
  g.has_engine = !pr.engine_dx.empty();
  if (g.has_engine) g.engine_value = pr.engine_dx[((size_t)c * pr.H + iy) * pr.W + ix];
  return "";
}

std::string slide2d(const Grid& image, const Grid& kernel, bool convolution, Slide* out) {
  if (image.rows < 1 || image.cols < 1 || kernel.rows < 1 || kernel.cols < 1) return "slide: empty input or kernel";
  if (image.v.size() != (size_t)image.rows * image.cols || kernel.v.size() != (size_t)kernel.rows * kernel.cols)
    return "slide: a grid's values do not match its size";
  if (kernel.rows > image.rows || kernel.cols > image.cols) return "slide: the kernel is larger than the input";
  Slide& s = *out;
  s = Slide{};
  s.convolution = convolution;
  const int kh = kernel.rows, kw = kernel.cols;
  s.kernel_used.resize(kh, kw);
  for (int a = 0; a < kh; ++a)
    for (int b = 0; b < kw; ++b) s.kernel_used.at(a, b) = convolution ? kernel.at(kh - 1 - a, kw - 1 - b) : kernel.at(a, b);
  s.out.resize(image.rows - kh + 1, image.cols - kw + 1);
  for (int i = 0; i < s.out.rows; ++i)
    for (int j = 0; j < s.out.cols; ++j) {
      SlideOut o;
      o.i = i; o.j = j;
      double acc = 0;
      for (int a = 0; a < kh; ++a)
        for (int b = 0; b < kw; ++b) {
          SlideTerm t;
          t.i = i + a; t.j = j + b;
          t.ki = convolution ? kh - 1 - a : a;  // the element of the original kernel g used here
          t.kj = convolution ? kw - 1 - b : b;
          t.x = image.at(t.i, t.j);
          t.k = kernel.at(t.ki, t.kj);
          t.product = t.x * t.k;
          acc += t.product;
          o.terms.push_back(t);
        }
      o.value = acc;
      s.out.at(i, j) = acc;
      s.steps.push_back(std::move(o));
    }
  return "";
}

std::string slide1d(const std::vector<double>& f, const std::vector<double>& g, bool convolution, Slide* out) {
  Grid a, b;
  a.resize(1, (int)f.size());
  a.v = f;
  b.resize(1, (int)g.size());
  b.v = g;
  return slide2d(a, b, convolution, out);
}

std::string pool_explain(const std::vector<float>& x, int H, int W, int p, int s, bool max,
                         const std::vector<float>& dy, PoolExplain* out) {
  if (H < 1 || W < 1 || p < 1 || s < 1 || p > H || p > W) return "pool: sizes must be positive and the window within the input";
  if (x.size() != (size_t)H * W) return "pool: x must hold H*W values";
  PoolExplain& r = *out;
  r = PoolExplain{};
  r.max = max; r.H = H; r.W = W; r.p = p; r.s = s;
  const k::PoolShape sh{1, H, W, p, s};
  r.P = sh.OH(); r.Q = sh.OW();
  if (!dy.empty() && dy.size() != (size_t)r.P * r.Q) return "pool: dy must hold P*Q values (or none)";
  r.x = x;
  r.y.assign((size_t)r.P * r.Q, 0.0f);
  std::vector<int32_t> arg((size_t)r.P * r.Q, 0);
  if (max) k::f32_maxpool_forward(sh, r.y.data(), arg.data(), r.x.data());
  else k::f32_avgpool_forward(sh, r.y.data(), r.x.data());
  for (int oy = 0; oy < r.P; ++oy)
    for (int ox = 0; ox < r.Q; ++ox) {
      PoolWindow w;
      w.p = oy; w.q = ox;
      const size_t o = (size_t)oy * r.Q + ox;
      w.winner = max ? arg[o] : -1;
      int equal = 0;
      for (int ky = 0; ky < p; ++ky)
        for (int kx = 0; kx < p; ++kx) {
          const int i = (oy * s + ky) * W + ox * s + kx;
          w.cells.push_back(i);
          equal += x[i] == r.y[o];
        }
      w.tie = max && equal > 1;
      r.windows.push_back(std::move(w));
    }
  r.dy = dy;
  if (!dy.empty()) {
    r.dx.assign(x.size(), 0.0f);
    if (max) k::f32_maxpool_backward(sh, r.dx.data(), dy.data(), arg.data());
    else k::f32_avgpool_backward(sh, r.dx.data(), dy.data());
  }
  return "";
}

std::vector<float> lecture_pool_grid() {
  // Four 2x2 windows with distinct maxima in different corners, so the switches are easy to see.
  return {1, 3, 2, 9,
          7, 4, 1, 5,
          8, 5, 2, 3,
          4, 2, 1, 4};
}

}  // namespace nnplay::explain
