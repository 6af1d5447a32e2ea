// The lecture's backprop, written out for one example of a 2-layer sigmoid network: forward values,
// every factor of the chain, the chain products, the closed forms, the engine's gradient, numeric
// gradients and the gradient-descent update, for E = (z~-z)^2 and for E = (z~-z)^2 / 2.
// Not a general network (formula.cpp does any network).
#include <cmath>
#include "nnplay/explain.h"
#include "refnet.h"

namespace nnplay::explain {

namespace {
std::string check_lecture_net(const Session& s) {
  const Config& c = s.config();
  if (s.layer_count() != 2 || c.layers.size() != 2)
    return "lecture backprop: needs exactly 2 layers (one hidden dense layer, one output), the network has " +
           std::to_string(s.layer_count());
  const LayerSpec& h = c.layers[0];
  const LayerSpec& o = c.layers[1];
  if (h.type != LayerType::Dense || h.act != Activation::Sigmoid)
    return std::string("lecture backprop: the hidden layer must be dense sigmoid (it is ") + name(h.type) + " " + name(h.act) + ")";
  if (o.type != LayerType::Dense || o.units != 1 || o.act != Activation::Sigmoid)
    return "lecture backprop: the output layer must be one dense sigmoid unit";
  if (c.train.loss != LossType::SquaredError && c.train.loss != LossType::HalfSquaredError)
    return std::string("lecture backprop: the loss must be square or halfsquare (it is ") + name(c.train.loss) + ")";
  return "";
}

// One convention's gradients. K = 2 (E = (z~-z)^2) or 1 (E = (z~-z)^2 / 2).
void grads_for(LossType loss, const LectureBackprop& f, const ref::Net& net, const Session& s, LectureGrads* g) {
  const int n = f.n, m = f.m;
  const float K = loss == LossType::SquaredError ? 2.0f : 1.0f;
  const float zt = (float)f.zt, z = (float)f.z;
  g->loss = loss;
  const double d = f.zt - f.z;
  g->E = loss == LossType::SquaredError ? d * d : 0.5 * d * d;
  // The engine (net.cpp loss_and_output_grad, batch of one): da = (y - t) * (K * 1/B), then
  // dz = da * (y * (1 - y)); hidden: da_j = dz * v_j, dz_j = da_j * (b_j (1 - b_j)); dw = dz * x.
  const float dE_dzt = (zt - z) * (K * (1.0f / 1.0f));
  const float dE_dc = dE_dzt * (float)f.dzt_dc;
  g->dE_dzt = dE_dzt;
  g->dE_dc = dE_dc;
  g->dE_db.assign(m + 1, 0.0);
  g->dE_da.assign(m + 1, 0.0);
  g->dv.assign(m + 1, 0.0);
  g->dv_closed.assign(m + 1, 0.0);
  g->dw.resize(n + 1, m + 1);
  g->dw_closed.resize(n + 1, m + 1);
  const double core = (double)K * f.zt * (1.0 - f.zt) * (f.zt - f.z);  // 2 z~(1-z~)(z~-z)
  for (int j = 0; j <= m; ++j) {
    g->dv[j] = dE_dc * (float)f.dc_dv[j];
    g->dv_closed[j] = core * f.b[j];
  }
  for (int j = 1; j <= m; ++j) {
    const float db = dE_dc * (float)f.dc_db[j];
    const float da = db * (float)f.db_da[j];
    g->dE_db[j] = db;
    g->dE_da[j] = da;
    for (int i = 0; i <= n; ++i) {
      g->dw.at(i, j) = da * (float)f.x[i];
      g->dw_closed.at(i, j) = core * f.v[j] * f.b[j] * (1.0 - f.b[j]) * f.x[i];
    }
  }
  // The engine's own numbers, from the trace of this example (only for the session's loss).
  g->has_engine = loss == f.session_loss;
  if (g->has_engine) {
    const LayerTrace& T0 = s.trace(0);
    const LayerTrace& T1 = s.trace(1);
    const float edc = T1.ex_dz.data[0];
    g->engine_dE_dzt = T1.ex_da.data[0];
    g->engine_dE_dc = edc;
    g->engine_dE_db.assign(m + 1, 0.0);
    g->engine_dE_da.assign(m + 1, 0.0);
    g->dv_engine.assign(m + 1, 0.0);
    g->dw_engine.resize(n + 1, m + 1);
    g->dv_engine[0] = edc;
    for (int j = 1; j <= m; ++j) {
      g->dv_engine[j] = edc * T0.ex_a.data[j - 1];
      g->engine_dE_db[j] = T0.ex_da.data[j - 1];
      const float dzj = T0.ex_dz.data[j - 1];
      g->engine_dE_da[j] = dzj;
      g->dw_engine.at(0, j) = dzj;
      for (int i = 1; i <= n; ++i) g->dw_engine.at(i, j) = dzj * net.x_f[i - 1];
    }
  }
  // Numeric, in double, parameter offsets as documented in explain.h.
  const size_t W0 = 0, B0 = (size_t)m * n, V = B0 + m, V0 = V + m;
  g->dv_numeric.assign(m + 1, 0.0);
  g->dw_numeric.resize(n + 1, m + 1);
  g->dv_numeric[0] = ref::numeric_param(net, V0, loss, g->dv[0]).numeric;
  for (int j = 1; j <= m; ++j) {
    g->dv_numeric[j] = ref::numeric_param(net, V + (j - 1), loss, g->dv[j]).numeric;
    g->dw_numeric.at(0, j) = ref::numeric_param(net, B0 + (j - 1), loss, g->dw.at(0, j)).numeric;
    for (int i = 1; i <= n; ++i)
      g->dw_numeric.at(i, j) = ref::numeric_param(net, W0 + (size_t)(j - 1) * n + (i - 1), loss, g->dw.at(i, j)).numeric;
  }
  // The lecture's update w <- w - alpha dE/dw, in float as the engine's SGD (w -= lr * g).
  const float lr = (float)f.alpha;
  g->v_new.assign(m + 1, 0.0);
  g->w_new.resize(n + 1, m + 1);
  for (int j = 0; j <= m; ++j) g->v_new[j] = (float)f.v[j] - lr * (float)g->dv[j];
  for (int j = 1; j <= m; ++j)
    for (int i = 0; i <= n; ++i) g->w_new.at(i, j) = (float)f.w.at(i, j) - lr * (float)g->dw.at(i, j);
}
}  // namespace

std::string lecture_backprop(Session& s, ExampleRef ex, LectureBackprop* out) {
  std::string e = check_lecture_net(s);
  if (!e.empty()) return e;
  ref::Net net;
  e = ref::from_session(s, ex, &net);  // runs trace_example
  if (!e.empty()) return e;
  const Config& cfg = s.config();
  const LayerTrace& T0 = s.trace(0);
  const LayerTrace& T1 = s.trace(1);
  LectureBackprop& f = *out;
  f = LectureBackprop{};
  const int n = T0.in_shape[0] * T0.in_shape[1] * T0.in_shape[2], m = T0.out_shape[0];
  f.n = n;
  f.m = m;
  f.example = ex;
  f.alpha = cfg.train.learning_rate;
  f.session_loss = cfg.train.loss;
  f.plain_sgd = cfg.train.optimizer == Optimizer::Sgd && (cfg.train.reg == Regularization::None || cfg.train.reg_rate == 0.0f);
  f.x.assign(n + 1, 1.0);
  for (int i = 1; i <= n; ++i) f.x[i] = net.x_f[i - 1];
  f.a.assign(m + 1, 0.0);
  f.b.assign(m + 1, 1.0);
  f.v.assign(m + 1, 0.0);
  f.w.resize(n + 1, m + 1);
  f.dc_dv.assign(m + 1, 1.0);
  f.dc_db.assign(m + 1, 0.0);
  f.db_da.assign(m + 1, 0.0);
  for (int j = 1; j <= m; ++j) {
    f.a[j] = T0.ex_z.data[j - 1];
    const float b = T0.ex_a.data[j - 1];
    f.b[j] = b;
    f.w.at(0, j) = T0.b.data[j - 1];
    for (int i = 1; i <= n; ++i) f.w.at(i, j) = T0.w.data[(size_t)(j - 1) * n + (i - 1)];
    f.v[j] = T1.w.data[j - 1];
    f.dc_dv[j] = b;
    f.dc_db[j] = T1.w.data[j - 1];
    f.db_da[j] = b * (1.0f - b);  // as the engine's sigmoid backward: y * (1 - y)
  }
  f.v[0] = T1.b.data[0];
  f.c = T1.ex_z.data[0];
  const float zt = T1.ex_a.data[0];
  f.zt = zt;
  f.z = net.target[0];
  f.dzt_dc = zt * (1.0f - zt);
  grads_for(LossType::SquaredError, f, net, s, &f.square);
  grads_for(LossType::HalfSquaredError, f, net, s, &f.half);
  return "";
}

}  // namespace nnplay::explain
