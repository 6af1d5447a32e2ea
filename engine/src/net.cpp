// The network: layer planning, forward, loss and backward over a batch, on the kernels.
// Not the optimizer (optimizer.cpp) nor the session's bookkeeping (session.cpp).
// Shapes (see net.h): x (B, I); dense w (O, I), b (O); conv w (F, C, k, k), b (F); z/a (B, N).
#include "net.h"
#include <cmath>
#include <cstdio>
#include <cstring>
#include "detmath.h"
#include "layers/layers.h"

namespace nnplay::detail {
namespace k = nnplay::kernels;

namespace {
std::string layer_name(int i, LayerType t, bool output) {
  char b[64];
  std::snprintf(b, sizeof b, "layer %d (%s%s): ", i + 1, output ? "output, " : "", name(t));
  return b;
}
std::string num(const char* f, long a, long b = 0, long c = 0) {
  char s[200];
  std::snprintf(s, sizeof s, f, a, b, c);
  return s;
}
bool has_act(LayerType t) { return t == LayerType::Dense || t == LayerType::Conv || t == LayerType::BatchNorm; }
// Layers whose output a (and da) is a tensor of its own; the others alias a to z.
bool has_a(LayerType t) { return has_act(t) || t == LayerType::Dropout; }
float low_of(Activation a) { return (a == Activation::Tanh || a == Activation::Linear) ? -1.0f : 0.0f; }
}  // namespace

k::Act kact(Activation a) {
  switch (a) {
    case Activation::Sigmoid: return k::Act::Sigmoid;
    case Activation::Tanh: return k::Act::Tanh;
    case Activation::Relu: return k::Act::Relu;
    case Activation::LeakyRelu: return k::Act::LeakyRelu;
    case Activation::Step: return k::Act::Step;
    case Activation::Elu: return k::Act::Elu;
    case Activation::Gelu: return k::Act::Gelu;
    case Activation::Silu: return k::Act::Silu;
    default: return k::Act::Linear;
  }
}

std::string plan_layers(const int in_shape[3], const std::vector<LayerSpec>& layers,
                        std::vector<LayerPlan>* out, long* param_count) {
  out->clear();
  int C = in_shape[0], H = in_shape[1], W = in_shape[2];
  if (C < 1 || H < 1 || W < 1) return "input: the data set gives no input values";
  bool image = H * W > 1;
  long params = 0, state = 0;
  const int L = (int)layers.size();
  for (int i = 0; i < L; ++i) {
    const LayerSpec& s = layers[i];
    LayerPlan p;
    p.spec = s;
    p.in[0] = C; p.in[1] = H; p.in[2] = W;
    p.nin = C * H * W;
    if ((int)s.type > (int)LayerType::Dropout) return num("layer %ld: unknown layer type", i + 1);
    const std::string who = layer_name(i, s.type, i == L - 1);
    if (has_act(s.type)) {
      if ((int)s.act > (int)Activation::Silu) return who + "unknown activation";
      if (s.act == Activation::Softmax && (i != L - 1 || s.type != LayerType::Dense))
        return who + "softmax is only allowed on the output layer (dense)";
      if (s.act == Activation::LeakyRelu && !(s.leak >= 0.0f && s.leak <= 1.0f))
        return who + (std::isnan(s.leak) ? std::string("leak is NaN") : "leak must be in [0, 1]");
    }
    switch (s.type) {
      case LayerType::Dense: {
        if (s.units < 1 || s.units > kMaxUnits) return who + num("%ld units; must be 1..%ld", s.units, kMaxUnits);
        p.nw = (size_t)s.units * p.nin; p.nb = (size_t)s.units;
        C = s.units; H = 1; W = 1; image = false;
        break;
      }
      case LayerType::Conv: {
        if (!image) return who + num("needs an image input (C,H,W), but its input is %ld flat values", p.nin);
        if (s.filters < 1 || s.filters > kMaxUnits) return who + num("%ld filters; must be 1..%ld", s.filters, kMaxUnits);
        if (s.kernel < 1) return who + num("kernel size %ld; must be at least 1", s.kernel);
        if (s.stride < 1 || s.stride > 16) return who + num("stride %ld; must be 1..16", s.stride);
        if (s.pad < 0 || s.pad >= s.kernel) return who + num("padding %ld; must be 0..kernel-1 (%ld)", s.pad, s.kernel - 1);
        if (s.kernel > H + 2 * s.pad || s.kernel > W + 2 * s.pad)
          return who + num("kernel %ldx%ld", s.kernel, s.kernel) + num(" is larger than its input %ldx%ld", H, W) +
                 num(" (padding %ld)", s.pad);
        p.conv = k::ConvShape{C, H, W, s.filters, s.kernel, s.stride, s.pad};
        p.nw = (size_t)s.filters * C * s.kernel * s.kernel; p.nb = (size_t)s.filters;
        C = s.filters; H = p.conv.OH(); W = p.conv.OW();
        break;
      }
      case LayerType::MaxPool: case LayerType::AvgPool: {
        if (!image) return who + num("needs an image input (C,H,W), but its input is %ld flat values", p.nin);
        if (s.pool < 1) return who + num("window %ld; must be at least 1", s.pool);
        if (s.pool_stride < 1 || s.pool_stride > 16) return who + num("stride %ld; must be 1..16", s.pool_stride);
        if (s.pool > H || s.pool > W)
          return who + num("window %ldx%ld", s.pool, s.pool) + num(" is larger than its input %ldx%ld", H, W);
        p.pool = k::PoolShape{C, H, W, s.pool, s.pool_stride};
        H = p.pool.OH(); W = p.pool.OW();
        break;
      }
      case LayerType::Flatten:
        C = C * H * W; H = 1; W = 1; image = false;
        break;
      case LayerType::BatchNorm:                       // per channel of an image, per unit of a flat input
        p.nw = (size_t)C; p.nb = (size_t)C; p.ns = 2 * (size_t)C;
        break;
      case LayerType::Dropout:
        if (!(s.rate >= 0.0f && s.rate <= kMaxDropout))
          return who + (std::isnan(s.rate) ? std::string("rate is NaN") : "rate must be in [0, 0.9]");
        break;
    }
    p.out[0] = C; p.out[1] = H; p.out[2] = W;
    p.nout = C * H * W;
    p.w_off = (size_t)params; p.b_off = p.w_off + p.nw;
    params += (long)(p.nw + p.nb);
    p.s_off = (size_t)state;
    state += (long)p.ns;
    if (params > kMaxParams) return who + num("the network reaches %ld parameters, beyond the limit %ld", params, kMaxParams);
    if ((long)p.nout > kMaxExampleFloats) return who + num("%ld outputs per example, beyond the limit %ld", p.nout, kMaxExampleFloats);
    out->push_back(p);
  }
  *param_count = params;
  return "";
}

float* Workspace::a(int l, const std::vector<LayerPlan>& p) {
  return has_a(p[l].spec.type) ? layers[l].a.data() : layers[l].z.data();
}
float* Workspace::da(int l, const std::vector<LayerPlan>& p) {
  return has_a(p[l].spec.type) ? layers[l].da.data() : layers[l].dz.data();
}

TargetCode target_code(Activation out_act, bool classification, int outputs) {
  TargetCode c;
  c.regression = !classification;
  c.one_hot = classification && outputs > 1;
  c.off = out_act == Activation::Softmax ? 0.0f : low_of(out_act);
  c.on = 1.0f;
  return c;
}
float midpoint(Activation out_act) { return (low_of(out_act) + 1.0f) * 0.5f; }

std::string Net::setup(const int in_shape[3], const std::vector<LayerSpec>& layers, LossType loss_type,
                       bool classification, int max_rows) {
  long n = 0;
  std::string e = plan_layers(in_shape, layers, &plan, &n);
  if (!e.empty()) return e;
  param_count = (size_t)n;
  state_count = 0;
  for (const LayerPlan& p : plan) state_count += p.ns;
  loss = loss_type;
  code = target_code(plan.back().spec.act, classification, plan.back().nout);
  // Kernel scratch: the largest any call needs, for every batch size up to max_rows.
  size_t ws = 0;
  auto upd = [&](size_t v) { if (v > ws) ws = v; };
  for (const LayerPlan& p : plan) {
    if (p.spec.type == LayerType::Dense) {
      const size_t O = p.nout, I = p.nin;
      for (size_t B : {(size_t)1, (size_t)max_rows}) {
        upd(k::gemm_workspace_floats(B, O, I));
        upd(k::gemm_workspace_floats(O, I, B));
        upd(k::gemm_workspace_floats(B, I, O));
      }
    } else if (p.spec.type == LayerType::Conv) {
      upd(k::conv2d_workspace_floats(p.conv));
    }
  }
  work.assign(ws + 16, 0.0f);
  return "";
}

void Net::make_workspace(Workspace* ws, int capacity) const {
  ws->capacity = capacity;
  ws->layers.assign(plan.size(), {});
  for (size_t l = 0; l < plan.size(); ++l) {
    const size_t n = (size_t)capacity * plan[l].nout;
    auto& L = ws->layers[l];
    L.z.assign(n, 0.0f);
    L.dz.assign(n, 0.0f);
    if (has_a(plan[l].spec.type)) { L.a.assign(n, 0.0f); L.da.assign(n, 0.0f); }
    if (plan[l].spec.type == LayerType::MaxPool) L.argmax.assign(n, 0);
    if (plan[l].spec.type == LayerType::BatchNorm) {
      if (plan[l].spec.act != Activation::Linear) L.pre.assign(n, 0.0f);
      L.mean.assign((size_t)plan[l].in[0], 0.0f);
      L.istd.assign((size_t)plan[l].in[0], 0.0f);
    }
    if (plan[l].spec.type == LayerType::Dropout) L.mask.assign(n, 0.0f);
  }
  ws->target.assign((size_t)capacity * plan.back().nout, 0.0f);
  ws->rows = 0;
  ws->input = nullptr;
}

namespace {
// Row-wise softmax: p = exp(z - max) / sum, summed over o in order (our own exp, docs/design.md contract 1).
void softmax_rows(int B, int O, float* p, const float* z) {
  for (int r = 0; r < B; ++r) {
    const float* zr = z + (size_t)r * O;
    float* pr = p + (size_t)r * O;
    float m = zr[0];
    for (int o = 1; o < O; ++o) m = zr[o] > m ? zr[o] : m;
    float s = 0.0f;
    for (int o = 0; o < O; ++o) { pr[o] = k::nn_expf(zr[o] - m); s += pr[o]; }
    const float inv = 1.0f / s;
    for (int o = 0; o < O; ++o) pr[o] *= inv;
  }
}
}  // namespace

void Net::init_state(float* state) const {
  for (const LayerPlan& p : plan)
    for (size_t i = 0; i < p.ns; ++i) state[p.s_off + i] = i < p.ns / 2 ? 0.0f : 1.0f;  // mean 0, then variance 1
}

void Net::forward(Workspace& ws, const float* params, const float* input, int B, const Pass& pass) {
  ws.input = input;
  ws.rows = B;
  ws.train = pass.train;
  const float* x = input;
  for (size_t l = 0; l < plan.size(); ++l) {
    const LayerPlan& p = plan[l];
    float* z = ws.z((int)l);
    const float* w = params + p.w_off;
    const float* b = params + p.b_off;
    switch (p.spec.type) {
      case LayerType::Dense:
        // z (B,O) = x (B,I) · wᵀ (I,O), summed over i in order; then + b.
        k::f32_gemm_nt(B, p.nout, p.nin, z, p.nout, x, p.nin, w, p.nin, false, work.data());
        k::f32_bias_add(B, p.nout, z, p.nout, b);
        break;
      case LayerType::Conv:
        // The whole batch in one call, the activation fused into the kernel's stores.
        k::f32_conv2d_forward(p.conv, (size_t)B, z, ws.layers[l].a.data(), kact(p.spec.act), p.spec.leak, x, w, b, work.data());
        break;
      case LayerType::MaxPool:
        for (int r = 0; r < B; ++r)
          k::f32_maxpool_forward(p.pool, z + (size_t)r * p.nout, ws.layers[l].argmax.data() + (size_t)r * p.nout,
                                 x + (size_t)r * p.nin);
        break;
      case LayerType::AvgPool:
        for (int r = 0; r < B; ++r) k::f32_avgpool_forward(p.pool, z + (size_t)r * p.nout, x + (size_t)r * p.nin);
        break;
      case LayerType::Flatten:
        std::memcpy(z, x, sizeof(float) * (size_t)B * p.nin);
        break;
      case LayerType::BatchNorm:                       // applies its own activation
        batchnorm_forward(p, ws.layers[l], x, B, w, b, pass.state, pass.train);
        break;
      case LayerType::Dropout:
        dropout_forward(p, ws.layers[l], x, B, (int)l, pass.noise, pass.train);
        break;
    }
    if (p.spec.type == LayerType::Dense) {             // conv: the kernel wrote a; batch norm applies its own
      float* a = ws.layers[l].a.data();
      if (p.spec.act == Activation::Softmax) softmax_rows(B, p.nout, a, z);
      else k::f32_act_forward((size_t)B * p.nout, kact(p.spec.act), p.spec.leak, a, z);
    }
    x = ws.a((int)l, plan);
  }
}

void Net::encode_targets(Workspace& ws, const float* labels, int B) const {
  const int O = plan.back().nout;
  float* t = ws.target.data();
  for (int r = 0; r < B; ++r) {
    if (code.regression) { t[r] = labels[r]; continue; }
    if (!code.one_hot) { t[r] = labels[r] >= 0.5f ? code.on : code.off; continue; }
    const int c = (int)labels[r];
    for (int o = 0; o < O; ++o) t[(size_t)r * O + o] = o == c ? code.on : code.off;
  }
}

double Net::row_loss(const Workspace& ws, int r) const {
  const int L = (int)plan.size() - 1, O = plan[L].nout;
  const float* t = ws.target.data() + (size_t)r * O;
  if (loss == LossType::SoftmaxCrossEntropy) {
    // -log p_t = log(sum_o exp(z_o - m)) + m - z_t, from the logits (no log of a rounded-to-0 p).
    const float* z = ws.layers[L].z.data() + (size_t)r * O;
    float m = z[0];
    for (int o = 1; o < O; ++o) m = z[o] > m ? z[o] : m;
    double s = 0, zt = 0;
    for (int o = 0; o < O; ++o) {
      s += (double)k::nn_expf(z[o] - m);
      zt += (double)t[o] * (double)z[o];
    }
    return det::log(s) + (double)m - zt;
  }
  const float* y = ws.layers[L].a.data() + (size_t)r * O;
  double e = 0;
  for (int o = 0; o < O; ++o) { double d = (double)y[o] - (double)t[o]; e += d * d; }
  return loss == LossType::HalfSquaredError ? 0.5 * e : e;
}

double Net::loss_and_output_grad(Workspace& ws) {
  const int B = ws.rows, L = (int)plan.size() - 1, O = plan[L].nout;
  double sum = 0;
  for (int r = 0; r < B; ++r) sum += row_loss(ws, r);  // rows in order
  const size_t n = (size_t)B * O;
  const float* y = ws.layers[L].a.data();
  const float* t = ws.target.data();
  float* da = ws.layers[L].da.data();
  float* dz = ws.layers[L].dz.data();
  const float invB = 1.0f / (float)B;
  if (loss == LossType::SoftmaxCrossEntropy) {
    // Fused softmax + cross-entropy: dE/dz = (p - t) / B. dE/da = -t / (p B) is shown, not used.
    for (size_t i = 0; i < n; ++i) {
      dz[i] = (y[i] - t[i]) * invB;
      da[i] = t[i] > 0.0f && y[i] > 0.0f ? -(t[i] / y[i]) * invB : 0.0f;
    }
  } else {
    // E = mean_r sum_o c (y - t)^2 with c = 1 (lecture) or 1/2: dE/dy = 2c (y - t) / B.
    const float g = (loss == LossType::SquaredError ? 2.0f : 1.0f) * invB;
    for (size_t i = 0; i < n; ++i) da[i] = (y[i] - t[i]) * g;
    k::f32_act_backward(n, kact(plan[L].spec.act), plan[L].spec.leak, dz, da, ws.layers[L].z.data(), y);
  }
  return sum / (double)B;
}

void Net::perceptron_grad(Workspace& ws) {
  // Rosenblatt's rule w += lr (t - y) x as a gradient step: dE/dz := (y - t) / B at the output.
  const int B = ws.rows, L = (int)plan.size() - 1, O = plan[L].nout;
  const float invB = 1.0f / (float)B;
  const float* y = ws.layers[L].a.data();
  const float* t = ws.target.data();
  for (size_t i = 0; i < (size_t)B * O; ++i) {
    ws.layers[L].dz[i] = (y[i] - t[i]) * invB;
    ws.layers[L].da[i] = ws.layers[L].dz[i];
  }
}

void Net::backward(Workspace& ws, const float* params, float* grads) {
  const int B = ws.rows;
  for (int l = (int)plan.size() - 1; l >= 0; --l) {
    const LayerPlan& p = plan[l];
    float* dz = ws.dz(l);
    if (l != (int)plan.size() - 1 && (p.spec.type == LayerType::Dense || p.spec.type == LayerType::Conv))
      k::f32_act_backward((size_t)B * p.nout, kact(p.spec.act), p.spec.leak, dz, ws.layers[l].da.data(),
                          ws.layers[l].z.data(), ws.layers[l].a.data());
    const float* x = l == 0 ? ws.input : ws.a(l - 1, plan);
    float* dx = l == 0 ? nullptr : ws.da(l - 1, plan);
    const float* w = params + p.w_off;
    float* dw = grads + p.w_off;
    float* db = grads + p.b_off;
    switch (p.spec.type) {
      case LayerType::Dense:
        // dw (O,I) = dzᵀ (O,B) · x (B,I), summed over the batch rows in order; db (O) = sum_r dz.
        k::f32_gemm_tn(p.nout, p.nin, B, dw, p.nin, dz, p.nout, x, p.nin, false, work.data());
        k::f32_bias_grad(B, p.nout, db, dz, p.nout, false);
        // dx (B,I) = dz (B,O) · w (O,I)
        if (dx) k::f32_gemm_nn(B, p.nin, p.nout, dx, p.nin, dz, p.nout, w, p.nin, false, work.data());
        break;
      case LayerType::Conv:
        // The whole batch per call; no dx for the first layer (nobody reads it).
        std::memset(dw, 0, sizeof(float) * (p.nw + p.nb));  // db follows dw
        k::f32_conv2d_backward_filter(p.conv, (size_t)B, dw, db, dz, x, work.data());
        if (dx) k::f32_conv2d_backward_data(p.conv, (size_t)B, dx, dz, w, work.data());
        break;
      case LayerType::MaxPool:
        if (dx) {
          std::memset(dx, 0, sizeof(float) * (size_t)B * p.nin);
          for (int r = 0; r < B; ++r)
            k::f32_maxpool_backward(p.pool, dx + (size_t)r * p.nin, dz + (size_t)r * p.nout,
                                    ws.layers[l].argmax.data() + (size_t)r * p.nout);
        }
        break;
      case LayerType::AvgPool:
        if (dx) {
          std::memset(dx, 0, sizeof(float) * (size_t)B * p.nin);
          for (int r = 0; r < B; ++r) k::f32_avgpool_backward(p.pool, dx + (size_t)r * p.nin, dz + (size_t)r * p.nout);
        }
        break;
      case LayerType::Flatten:
        if (dx) std::memcpy(dx, dz, sizeof(float) * (size_t)B * p.nin);
        break;
      case LayerType::BatchNorm:
        batchnorm_backward(p, ws.layers[l], B, w, dw, db, dx, ws.train);
        break;
      case LayerType::Dropout:
        dropout_backward(p, ws.layers[l], B, dx, ws.train);
        break;
    }
  }
}

}  // namespace nnplay::detail
