// The explainers' double-precision reference forward (dense, conv, max/avg pool, flatten,
// batch norm and dropout as in inference, softmax) and its central-difference gradients. Not the engine's forward: plain loops, no
// kernels, so a numeric check compares two independent computations.
// exp/tanh here are libm's in double (the numeric check's last digits may differ between native
// and wasm; nothing trained depends on them).
#include "refnet.h"
#include <algorithm>
#include <cmath>
#include <cstdio>
#include "../net.h"

namespace nnplay::explain::ref {

std::string from_session(Session& s, ExampleRef ex, Net* out) {
  const Dataset& d = s.data();
  const int n = ex.test_set ? d.test_count() : d.train_count();
  if (ex.index < 0 || ex.index >= n)
    return "example: index " + std::to_string(ex.index) + " is outside the " + (ex.test_set ? "test" : "training") +
           " set (" + std::to_string(n) + " examples)";
  const Config& cfg = s.config();
  const int L = s.layer_count();
  if (L < 1 || (int)cfg.layers.size() != L) return "session: the network has no layers";
  s.trace_example(ex.test_set, ex.index);
  out->layers.assign(L, Layer{});
  size_t off = 0, soff = 0;
  for (int l = 0; l < L; ++l) {
    const LayerTrace& t = s.trace(l);
    Layer& r = out->layers[l];
    r.spec = cfg.layers[l];
    for (int i = 0; i < 3; ++i) { r.in[i] = t.in_shape[i]; r.out[i] = t.out_shape[i]; }
    r.nin = r.in[0] * r.in[1] * r.in[2];
    r.nout = r.out[0] * r.out[1] * r.out[2];
    r.w_off = off; r.nw = t.w.size(); off += r.nw;
    r.b_off = off; r.nb = t.b.size(); off += r.nb;
    r.s_off = soff; soff += t.running_mean.size() + t.running_var.size();
  }
  const std::vector<float> st = s.layer_state();
  if (soff != st.size()) return "session: the trace's layer-state count does not match layer_state()";
  out->state.assign(st.begin(), st.end());
  if (off != s.parameter_count()) return "session: the trace's parameter count does not match parameters()";
  out->params_f.assign(off, 0.0f);
  s.parameters(out->params_f.data());
  out->params.assign(out->params_f.begin(), out->params_f.end());
  const int I = d.input_size;
  const float* xs = (ex.test_set ? d.test_x.data() : d.train_x.data()) + (size_t)ex.index * I;
  out->x_f.assign(xs, xs + I);
  out->x.assign(xs, xs + I);
  out->label = (ex.test_set ? d.test_y : d.train_y)[(size_t)ex.index];
  out->loss = cfg.train.loss;
  // The engine's target encoding (net.h target_code + encode_targets), for one row.
  const Layer& o = out->layers.back();
  const detail::TargetCode code = detail::target_code(o.spec.act, d.classification, o.nout);
  out->target.assign(o.nout, 0.0);
  if (code.regression) out->target[0] = out->label;
  else if (!code.one_hot) out->target[0] = out->label >= 0.5f ? code.on : code.off;
  else for (int k = 0; k < o.nout; ++k) out->target[k] = k == (int)out->label ? code.on : code.off;
  return "";
}

double act_d(Activation a, float leak, double z) {
  switch (a) {
    case Activation::Sigmoid: return 1.0 / (1.0 + std::exp(-z));
    case Activation::Tanh: return std::tanh(z);
    case Activation::Relu: return z < 0 ? 0.0 : z;
    case Activation::LeakyRelu: return z < 0 ? (double)leak * z : z;
    case Activation::Step: return z > 0 ? 1.0 : 0.0;
    case Activation::Elu: return z > 0 ? z : std::expm1(z);
    case Activation::Gelu: return 0.5 * z * (1.0 + std::tanh(0.7978845608028654 * (z + 0.044715 * z * z * z)));
    case Activation::Silu: return z / (1.0 + std::exp(-z));
    default: return z;
  }
}

static bool kinked(Activation a) { return a == Activation::Relu || a == Activation::LeakyRelu || a == Activation::Step; }

void forward(const Net& net, const double* params, const Nudge& nudge, Run* out) {
  const int L = (int)net.layers.size();
  out->z.assign(L, {});
  out->a.assign(L, {});
  out->y.assign(L, {});
  out->pattern.assign(L, {});
  const double* x = net.x.data();
  for (int l = 0; l < L; ++l) {
    const Layer& p = net.layers[l];
    std::vector<double>& z = out->z[l];
    z.assign(p.nout, 0.0);
    const double* w = params + p.w_off;
    const double* b = params + p.b_off;
    switch (p.spec.type) {
      case LayerType::Dense:
        // z (O) = w (O,I) · x (I) + b
        for (int o = 0; o < p.nout; ++o) {
          double acc = 0;
          for (int i = 0; i < p.nin; ++i) acc += w[(size_t)o * p.nin + i] * x[i];
          z[o] = acc + b[o];
        }
        break;
      case LayerType::Conv: {
        const int C = p.in[0], H = p.in[1], W = p.in[2], F = p.out[0], P = p.out[1], Q = p.out[2];
        const int k = p.spec.kernel, s = p.spec.stride, pad = p.spec.pad;
        for (int f = 0; f < F; ++f)
          for (int oy = 0; oy < P; ++oy)
            for (int ox = 0; ox < Q; ++ox) {
              double acc = 0;
              for (int c = 0; c < C; ++c)
                for (int ky = 0; ky < k; ++ky)
                  for (int kx = 0; kx < k; ++kx) {
                    const int iy = oy * s + ky - pad, ix = ox * s + kx - pad;
                    if (iy < 0 || ix < 0 || iy >= H || ix >= W) continue;
                    acc += w[(((size_t)f * C + c) * k + ky) * k + kx] * x[((size_t)c * H + iy) * W + ix];
                  }
              z[((size_t)f * P + oy) * Q + ox] = acc + b[f];
            }
        break;
      }
      case LayerType::MaxPool: case LayerType::AvgPool: {
        const int C = p.in[0], H = p.in[1], W = p.in[2], P = p.out[1], Q = p.out[2];
        const int k = p.spec.pool, s = p.spec.pool_stride;
        const bool mx = p.spec.type == LayerType::MaxPool;
        if (mx) out->pattern[l].assign(p.nout, 0);
        for (int c = 0; c < C; ++c)
          for (int oy = 0; oy < P; ++oy)
            for (int ox = 0; ox < Q; ++ox) {
              int bi = (c * H + oy * s) * W + ox * s;
              double best = x[bi], sum = 0;
              for (int ky = 0; ky < k; ++ky)
                for (int kx = 0; kx < k; ++kx) {
                  const int i = (c * H + oy * s + ky) * W + ox * s + kx;
                  sum += x[i];
                  if (x[i] > best) { best = x[i]; bi = i; }  // first strictly greater wins, as the kernel
                }
              const size_t o = ((size_t)c * P + oy) * Q + ox;
              z[o] = mx ? best : sum / (double)(k * k);
              if (mx) out->pattern[l][o] = bi;
            }
        break;
      }
      case LayerType::Flatten: case LayerType::Dropout:  // dropout passes values through outside training
        for (int i = 0; i < p.nout; ++i) z[i] = x[i];
        break;
      case LayerType::BatchNorm: {                     // inference: the running statistics
        const int C = p.in[0], S = p.in[1] * p.in[2];
        const double* st = net.state.data() + p.s_off;
        for (int c = 0; c < C; ++c)
          for (int i = 0; i < S; ++i)
            z[(size_t)c * S + i] = (x[(size_t)c * S + i] - st[c]) / std::sqrt(st[C + c] + (double)kBatchNormEpsilon);
        break;
      }
    }
    if (nudge.layer == l && !nudge.on_a) z[nudge.unit] += nudge.delta;
    std::vector<double>& a = out->a[l];
    std::vector<double>& y = out->y[l];
    y = z;
    if (p.spec.type == LayerType::BatchNorm) {         // y = gamma x^ + beta per channel
      const int S = p.in[1] * p.in[2];
      for (int i = 0; i < p.nout; ++i) y[i] = w[i / S] * z[i] + b[i / S];
    }
    const bool has_act = p.spec.type == LayerType::Dense || p.spec.type == LayerType::Conv || p.spec.type == LayerType::BatchNorm;
    if (!has_act) {
      a = z;
    } else if (p.spec.act == Activation::Softmax) {
      a.assign(p.nout, 0.0);
      double m = z[0], sum = 0;
      for (double v : z) m = std::max(m, v);
      for (int o = 0; o < p.nout; ++o) { a[o] = std::exp(z[o] - m); sum += a[o]; }
      for (double& v : a) v /= sum;
    } else {
      a.assign(p.nout, 0.0);
      for (int o = 0; o < p.nout; ++o) a[o] = act_d(p.spec.act, p.spec.leak, y[o]);
      if (kinked(p.spec.act)) {
        out->pattern[l].assign(p.nout, 0);
        for (int o = 0; o < p.nout; ++o) out->pattern[l][o] = y[o] > 0 ? 1 : 0;
      }
    }
    if (nudge.layer == l && nudge.on_a) a[nudge.unit] += nudge.delta;
    x = a.data();
  }
  out->loss = loss_of(net, net.loss, out->z.back(), out->a.back());
}

double loss_of(const Net& net, LossType loss, const std::vector<double>& z, const std::vector<double>& a) {
  const std::vector<double>& t = net.target;
  if (loss == LossType::SoftmaxCrossEntropy) {
    // -sum_o t_o log p_o = log sum exp(z - m) + m - sum_o t_o z_o (t one-hot)
    double m = z[0], s = 0, zt = 0;
    for (double v : z) m = std::max(m, v);
    for (size_t o = 0; o < z.size(); ++o) { s += std::exp(z[o] - m); zt += t[o] * z[o]; }
    return std::log(s) + m - zt;
  }
  double e = 0;
  for (size_t o = 0; o < a.size(); ++o) { const double d = a[o] - t[o]; e += d * d; }
  return loss == LossType::HalfSquaredError ? 0.5 * e : e;
}

double rel_error(double a, double n) {
  const double m = std::max(std::fabs(a), std::fabs(n));
  return m < 1e-12 ? 0.0 : std::fabs(a - n) / m;
}

// Kinks: (1) the activation pattern differs between the p-h and p+h runs (a ReLU/leaky/step
// pre-activation changed side, or a max-pool winner changed); (2) a unit the nudge moves sits
// within kKinkEps of a kink in the base run (ReLU-type |z| small, or a max-pool window whose two
// largest inputs are that close): there the engine's float forward may take the other side.
constexpr double kKinkEps = 1e-5;
static void find_kink(const Net& net, const Run& base, const Run& lo, const Run& hi, NumericCheck* c) {
  char buf[240];
  for (size_t l = 0; l < lo.pattern.size(); ++l) {
    const std::vector<int>& A = lo.pattern[l];
    const std::vector<int>& B = hi.pattern[l];
    const Layer& p = net.layers[l];
    for (size_t u = 0; u < A.size() && u < B.size(); ++u) {
      if (A[u] != B[u]) {
        if (p.spec.type == LayerType::MaxPool)
          std::snprintf(buf, sizeof buf, "layer %d unit %d (max pool): the winner changes from input %d at p-h to %d at p+h",
                        (int)l + 1, (int)u, A[u], B[u]);
        else
          std::snprintf(buf, sizeof buf, "layer %d unit %d (%s): pre-activation %.3g at p-h, %.3g at p+h (the kink at 0)",
                        (int)l + 1, (int)u, name(p.spec.act), lo.y[l][u], hi.y[l][u]);
      } else if (lo.y[l][u] != hi.y[l][u] && p.spec.type != LayerType::MaxPool && std::fabs(base.y[l][u]) < kKinkEps) {
        std::snprintf(buf, sizeof buf, "layer %d unit %d (%s): pre-activation %.3g is within %.0e of the kink at 0",
                      (int)l + 1, (int)u, name(p.spec.act), base.y[l][u], kKinkEps);
      } else if (lo.y[l][u] != hi.y[l][u] && p.spec.type == LayerType::MaxPool) {
        // the runner-up of this window in the base run
        const std::vector<double>& x = l == 0 ? net.x : base.a[l - 1];
        const int H = p.in[1], W = p.in[2], P = p.out[1], Q = p.out[2], k = p.spec.pool, st = p.spec.pool_stride;
        const int ch = (int)u / (P * Q), oy = ((int)u / Q) % P, ox = (int)u % Q;
        double second = -HUGE_VAL;
        for (int ky = 0; ky < k; ++ky)
          for (int kx = 0; kx < k; ++kx) {
            const int i = (ch * H + oy * st + ky) * W + ox * st + kx;
            if (i != A[u]) second = std::max(second, x[i]);
          }
        if (!(base.y[l][u] - second < kKinkEps)) continue;
        std::snprintf(buf, sizeof buf, "layer %d unit %d (max pool): a tie, the two largest inputs differ by %.3g",
                      (int)l + 1, (int)u, base.y[l][u] - second);
      } else {
        continue;
      }
      c->kink = true;
      c->kink_note = buf;
      return;
    }
  }
}

NumericCheck numeric_param(const Net& net, size_t index, LossType loss, double analytic) {
  NumericCheck c;
  c.analytic = analytic;
  // h: small against the parameter, large against double round-off of E (|E| * 1e-16 / h).
  c.h = 1e-6 * std::max(1.0, std::fabs(net.params[index]));
  std::vector<double> p = net.params;
  Net n2 = net;
  n2.loss = loss;
  Run base, lo, hi;
  forward(n2, net.params.data(), Nudge{}, &base);
  p[index] = net.params[index] - c.h;
  forward(n2, p.data(), Nudge{}, &lo);
  p[index] = net.params[index] + c.h;
  forward(n2, p.data(), Nudge{}, &hi);
  c.numeric = (hi.loss - lo.loss) / (2 * c.h);
  c.rel_error = rel_error(analytic, c.numeric);
  find_kink(net, base, lo, hi, &c);
  return c;
}

NumericCheck numeric_unit(const Net& net, int layer, bool on_a, int unit, double analytic) {
  NumericCheck c;
  c.analytic = analytic;
  Run base;
  forward(net, net.params.data(), Nudge{}, &base);
  const double v = on_a ? base.a[layer][unit] : base.z[layer][unit];
  c.h = 1e-6 * std::max(1.0, std::fabs(v));
  Run lo, hi;
  forward(net, net.params.data(), Nudge{layer, on_a, unit, -c.h}, &lo);
  forward(net, net.params.data(), Nudge{layer, on_a, unit, +c.h}, &hi);
  c.numeric = (hi.loss - lo.loss) / (2 * c.h);
  c.rel_error = rel_error(analytic, c.numeric);
  find_kink(net, base, lo, hi, &c);
  return c;
}

}  // namespace nnplay::explain::ref
