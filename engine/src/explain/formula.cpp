// The formula panel: for any weight, bias or neuron of any network and one example, its forward
// value and its gradient as the chain dE/dw = dE/dz · a_in, dE/dz = dE/da · f'(z),
// dE/da = sum_k w_k dE/dz_k, with the engine's numbers and a numeric check. Not the lecture's
// fixed 2-layer walk-through (lecture.cpp).
#include <algorithm>
#include <cmath>
#include "kernels/kernels.h"
#include "nnplay/explain.h"
#include "refnet.h"

namespace nnplay::explain {

namespace {
// f'(z) as the engine's f32_act_backward takes it (sigmoid/tanh from a; ReLU/leaky from z;
// ELU from z and a; GELU/SiLU recomputed from z by the kernels' own functions).
double engine_fprime(Activation act, float leak, float z, float a) {
  switch (act) {
    case Activation::Sigmoid: return a * (1.0f - a);
    case Activation::Tanh: return 1.0f - a * a;
    case Activation::Relu: return z > 0.0f ? 1.0 : 0.0;
    case Activation::LeakyRelu: return z > 0.0f ? 1.0 : (double)leak;
    case Activation::Step: return 0.0;
    case Activation::Elu: return z > 0.0f ? 1.0 : (double)(a + 1.0f);
    case Activation::Gelu: return kernels::nn_gelu_gradf(z);
    case Activation::Silu: return kernels::nn_silu_gradf(z);
    default: return 1.0;
  }
}

void finish(std::vector<Term>& all, int top, TermSum* out) {
  out->count = (int)all.size();
  out->sum = 0;
  for (const Term& t : all) out->sum += t.product;  // in the order the terms were made
  std::stable_sort(all.begin(), all.end(), [](const Term& x, const Term& y) { return std::fabs(x.product) > std::fabs(y.product); });
  const int keep = std::min<int>(std::max(top, 0), (int)all.size());
  out->top.assign(all.begin(), all.begin() + keep);
  out->rest_count = (int)all.size() - keep;
  out->rest_sum = 0;
  for (size_t i = keep; i < all.size(); ++i) out->rest_sum += all[i].product;
}

const float* layer_input(const Session& s, const ref::Net& net, int l) {
  return l == 0 ? net.x_f.data() : s.trace(l - 1).ex_a.data;
}

// dE/da of unit u of layer l as the sum over the units of layer l+1 that read it.
void back_terms(const Session& s, const ref::Net& net, int l, int u, int top, TermSum* out) {
  std::vector<Term> all;
  const int n = l + 1;
  if (n >= (int)net.layers.size()) { finish(all, top, out); return; }
  const ref::Layer& p = net.layers[n];
  const LayerTrace& T = s.trace(n);
  const float* dz = T.ex_dz.data;
  auto add = [&](int k, double j) { all.push_back(Term{n, k, j, (double)dz[k], j * (double)dz[k]}); };
  const int C = p.in[0], H = p.in[1], W = p.in[2];
  const int c = u / (H * W), iy = (u / W) % H, ix = u % W;
  switch (p.spec.type) {
    case LayerType::Dense:
      for (int k = 0; k < p.nout; ++k) add(k, T.w.data[(size_t)k * p.nin + u]);
      break;
    case LayerType::Conv: {
      const int k = p.spec.kernel, st = p.spec.stride, pad = p.spec.pad, P = p.out[1], Q = p.out[2];
      for (int f = 0; f < p.out[0]; ++f)
        for (int ky = 0; ky < k; ++ky)
          for (int kx = 0; kx < k; ++kx) {
            const int ty = iy + pad - ky, tx = ix + pad - kx;
            if (ty < 0 || tx < 0 || ty % st || tx % st || ty / st >= P || tx / st >= Q) continue;
            add((f * P + ty / st) * Q + tx / st, T.w.data[(((size_t)f * C + c) * k + ky) * k + kx]);
          }
      break;
    }
    case LayerType::MaxPool: case LayerType::AvgPool: {
      const int k = p.spec.pool, st = p.spec.pool_stride, P = p.out[1], Q = p.out[2];
      for (int oy = 0; oy < P; ++oy)
        for (int ox = 0; ox < Q; ++ox) {
          if (iy < oy * st || iy >= oy * st + k || ix < ox * st || ix >= ox * st + k) continue;
          const int o = (c * P + oy) * Q + ox;
          if (p.spec.type == LayerType::AvgPool) add(o, 1.0 / (double)(k * k));
          else add(o, T.ex_argmax && T.ex_argmax[o] == u ? 1.0 : 0.0);
        }
      break;
    }
    case LayerType::Flatten: case LayerType::Dropout:  // dropout's z is its input (trace_example: no mask)
      add(u, 1.0);
      break;
    case LayerType::BatchNorm:                         // z = x^ = (a - running mean) / sqrt(running var + eps)
      add(u, 1.0 / std::sqrt((double)T.running_var.data[c] + (double)kBatchNormEpsilon));
      break;
  }
  finish(all, top, out);
}
}  // namespace

std::string explain_formula(Session& s, ExampleRef ex, const Selection& sel, int top, FormulaExplain* out) {
  ref::Net net;
  std::string e = ref::from_session(s, ex, &net);  // runs trace_example
  if (!e.empty()) return e;
  const int L = (int)net.layers.size();
  if (sel.layer < 0 || sel.layer >= L)
    return "formula: no layer " + std::to_string(sel.layer + 1) + " (the network has " + std::to_string(L) + ")";
  const ref::Layer& p = net.layers[sel.layer];
  const LayerTrace& T = s.trace(sel.layer);
  FormulaExplain& f = *out;
  f = FormulaExplain{};
  f.sel = sel;
  f.type = p.spec.type;
  f.act = T.act;
  f.output_layer = sel.layer == L - 1;
  f.engine_is_loss_gradient = s.config().train.optimizer != Optimizer::Perceptron;
  const std::string who = "formula: layer " + std::to_string(sel.layer + 1) + " (" + name(p.spec.type) + ")";
  if (p.spec.type == LayerType::BatchNorm || p.spec.type == LayerType::Dropout)
    return who + ": the formula panel covers dense, conv, pool and flatten layers; see the trace for this one";
  const float* x = layer_input(s, net, sel.layer);
  const float* dz = T.ex_dz.data;
  auto fill_unit = [&](int u) {
    f.unit = u;
    f.z = T.ex_z.data[u];
    f.a = T.ex_a.data[u];
    f.fprime = engine_fprime(T.act, p.spec.leak, T.ex_z.data[u], T.ex_a.data[u]);
    f.dE_da = T.ex_da.data[u];
    f.dE_dz = dz[u];
    if (f.output_layer) f.target = net.target[u];
    back_terms(s, net, sel.layer, u, top, &f.back);
  };
  if (sel.what == Pick::Neuron) {
    if (sel.out < 0 || sel.out >= p.nout) return who + ": no unit " + std::to_string(sel.out) + " (it has " + std::to_string(p.nout) + ")";
    fill_unit(sel.out);
    f.value = f.a;
    f.check = ref::numeric_unit(net, sel.layer, true, sel.out, f.dE_da);
    f.check_z = ref::numeric_unit(net, sel.layer, false, sel.out, f.dE_dz);
    return "";
  }
  if (p.nw == 0) return who + ": has no weights or biases";
  std::vector<Term> terms;
  size_t index = 0;
  if (p.spec.type == LayerType::Dense) {
    if (sel.out < 0 || sel.out >= p.nout) return who + ": no unit " + std::to_string(sel.out);
    fill_unit(sel.out);
    if (sel.what == Pick::Weight) {
      if (sel.in < 0 || sel.in >= p.nin) return who + ": no input " + std::to_string(sel.in) + " (it has " + std::to_string(p.nin) + ")";
      index = p.w_off + (size_t)sel.out * p.nin + sel.in;
      f.input = x[sel.in];
      f.dE_dparam = dz[sel.out] * x[sel.in];  // dense backward, batch of one: 0 + dz * x
      terms.push_back(Term{sel.layer, sel.out, (double)x[sel.in], (double)dz[sel.out], (double)x[sel.in] * dz[sel.out]});
    } else {
      index = p.b_off + sel.out;
      f.dE_dparam = dz[sel.out];
      terms.push_back(Term{sel.layer, sel.out, 1.0, (double)dz[sel.out], (double)dz[sel.out]});
    }
  } else {  // conv: the parameter is shared by every output pixel of its filter
    const int C = p.in[0], H = p.in[1], W = p.in[2], P = p.out[1], Q = p.out[2];
    const int k = p.spec.kernel, st = p.spec.stride, pad = p.spec.pad;
    if (sel.out < 0 || sel.out >= p.out[0]) return who + ": no filter " + std::to_string(sel.out);
    const int fi = sel.out;
    float acc = 0.0f;
    if (sel.what == Pick::Weight) {
      if (sel.in < 0 || sel.in >= C * k * k) return who + ": no kernel element " + std::to_string(sel.in);
      const int c = sel.in / (k * k), ky = (sel.in / k) % k, kx = sel.in % k;
      index = p.w_off + (size_t)fi * C * k * k + sel.in;
      // The kernel's backward-filter order: (oy, ox) in order, from 0, padding taps as x = 0.
      for (int oy = 0; oy < P; ++oy)
        for (int ox = 0; ox < Q; ++ox) {
          const int iy = oy * st + ky - pad, ix = ox * st + kx - pad;
          const bool in = iy >= 0 && ix >= 0 && iy < H && ix < W;
          const float xv = in ? x[((size_t)c * H + iy) * W + ix] : 0.0f;
          const int o = (fi * P + oy) * Q + ox;
          acc += dz[o] * xv;
          if (in) terms.push_back(Term{sel.layer, o, (double)xv, (double)dz[o], (double)xv * dz[o]});
        }
    } else {
      index = p.b_off + fi;
      for (int o = fi * P * Q; o < (fi + 1) * P * Q; ++o) {
        acc += dz[o];
        terms.push_back(Term{sel.layer, o, 1.0, (double)dz[o], (double)dz[o]});
      }
    }
    f.dE_dparam = acc;
  }
  f.value = net.params[index];
  finish(terms, top, &f.param);
  f.check = ref::numeric_param(net, index, net.loss, f.dE_dparam);
  return "";
}

std::string check_layer(Session& s, ExampleRef ex, int layer, std::vector<NumericCheck>* out) {
  out->clear();
  if (layer < 0 || layer >= s.layer_count()) return "check: no layer " + std::to_string(layer + 1);
  const LayerTrace& T = s.trace(layer);
  const size_t nw = T.w.size(), nb = T.b.size();
  int per_filter = 1;
  if (T.type == LayerType::Conv) per_filter = T.w.shape[1] * T.w.shape[2] * T.w.shape[3];
  for (size_t i = 0; i < nw + nb; ++i) {
    Selection sel;
    sel.layer = layer;
    if (i < nw) {
      sel.what = Pick::Weight;
      const int row = T.type == LayerType::Conv ? per_filter : T.in_shape[0] * T.in_shape[1] * T.in_shape[2];
      sel.out = (int)(i / row);
      sel.in = (int)(i % row);
    } else {
      sel.what = Pick::Bias;
      sel.out = (int)(i - nw);
    }
    FormulaExplain f;
    std::string e = explain_formula(s, ex, sel, 0, &f);
    if (!e.empty()) return e;
    out->push_back(f.check);
  }
  return "";
}

}  // namespace nnplay::explain
