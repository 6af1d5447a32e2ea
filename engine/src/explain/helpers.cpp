// Small explainer helpers for the tutorials: activation curves and their derivatives sampled with
// the engine's own kernels (own exp/tanh), and the collapse of a deep linear net into one affine
// map. Not plotting.
#include <algorithm>
#include <cmath>
#include "kernels/kernels.h"
#include "nnplay/explain.h"
#include "../net.h"
#include "refnet.h"

namespace nnplay::explain {
namespace k = nnplay::kernels;

using detail::kact;                                     // engine/src/net.h

float activation(Activation act, float leak, float x) {
  float y = 0.0f;
  k::f32_act_forward(1, kact(act), leak, &y, &x);
  return y;
}

std::string sample_activation(Activation act, float leak, float lo, float hi, int n, ActivationCurve* out) {
  if (act == Activation::Softmax) return "activation: softmax is not element-wise; no curve";
  if ((int)act > (int)Activation::Silu) return "activation: unknown activation";
  if (n < 2 || n > 100000) return "activation: the number of samples must be 2..100000";
  if (!std::isfinite(lo) || !std::isfinite(hi) || !(lo < hi)) return "activation: the range must be finite with lo < hi";
  ActivationCurve& c = *out;
  c.act = act;
  c.leak = leak;
  c.x.resize(n);
  c.y.resize(n);
  c.dy.resize(n);
  for (int i = 0; i < n; ++i) c.x[i] = (float)((double)lo + ((double)hi - lo) * i / (n - 1));
  const std::vector<float> ones(n, 1.0f);
  k::f32_act_forward(n, kact(act), leak, c.y.data(), c.x.data());
  k::f32_act_backward(n, kact(act), leak, c.dy.data(), ones.data(), c.x.data(), c.y.data());
  return "";
}

std::string linear_collapse(Session& s, ExampleRef ex, LinearCollapse* out) {
  ref::Net net;
  std::string e = ref::from_session(s, ex, &net);  // runs trace_example
  if (!e.empty()) return e;
  const int L = (int)net.layers.size();
  for (int l = 0; l < L; ++l) {
    const ref::Layer& p = net.layers[l];
    if (p.spec.type != LayerType::Dense) return "collapse: layer " + std::to_string(l + 1) + " is not dense";
    if (l < L - 1 && p.spec.act != Activation::Linear)
      return "collapse: hidden layer " + std::to_string(l + 1) + " is " + name(p.spec.act) +
             ", not linear, so the layers do not fold into one";
  }
  LinearCollapse& c = *out;
  c = LinearCollapse{};
  c.layers = L;
  c.inputs = net.layers[0].nin;
  c.outputs = net.layers.back().nout;
  // Fold left to right: M_l = W_l M_{l-1}, v_l = W_l v_{l-1} + b_l (M_0 = I, v_0 = 0), in double.
  Grid M;
  M.resize(c.inputs, c.inputs);
  for (int i = 0; i < c.inputs; ++i) M.at(i, i) = 1.0;
  std::vector<double> v(c.inputs, 0.0);
  for (const ref::Layer& p : net.layers) {
    const double* w = net.params.data() + p.w_off;
    const double* b = net.params.data() + p.b_off;
    Grid N;
    N.resize(p.nout, c.inputs);
    std::vector<double> u(p.nout, 0.0);
    for (int o = 0; o < p.nout; ++o) {
      for (int j = 0; j < c.inputs; ++j) {
        double acc = 0;
        for (int i = 0; i < p.nin; ++i) acc += w[(size_t)o * p.nin + i] * M.at(i, j);
        N.at(o, j) = acc;
      }
      double acc = 0;
      for (int i = 0; i < p.nin; ++i) acc += w[(size_t)o * p.nin + i] * v[i];
      u[o] = acc + b[o];
    }
    M = std::move(N);
    v = std::move(u);
  }
  c.W = M;
  c.b = v;
  c.x = net.x;
  c.z.assign(c.outputs, 0.0);
  for (int o = 0; o < c.outputs; ++o) {
    double acc = c.b[o];
    for (int i = 0; i < c.inputs; ++i) acc += c.W.at(o, i) * c.x[i];
    c.z[o] = acc;
  }
  const LayerSpec& os = net.layers.back().spec;
  c.a.assign(c.outputs, 0.0);
  if (os.act == Activation::Softmax) {
    double m = *std::max_element(c.z.begin(), c.z.end()), sum = 0;
    for (int o = 0; o < c.outputs; ++o) { c.a[o] = std::exp(c.z[o] - m); sum += c.a[o]; }
    for (double& a : c.a) a /= sum;
  } else {
    for (int o = 0; o < c.outputs; ++o) c.a[o] = ref::act_d(os.act, os.leak, c.z[o]);
  }
  const LayerTrace& T = s.trace(L - 1);
  c.engine_z.assign(T.ex_z.data, T.ex_z.data + c.outputs);
  c.engine_a.assign(T.ex_a.data, T.ex_a.data + c.outputs);
  for (int o = 0; o < c.outputs; ++o) c.max_abs_diff = std::max(c.max_abs_diff, std::fabs(c.a[o] - c.engine_a[o]));
  return "";
}

}  // namespace nnplay::explain
