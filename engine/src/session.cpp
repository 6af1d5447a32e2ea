// A training session: data, network, optimizer, step counters, rewind history and the trace.
// Not the layer math (net.cpp) nor the data generators (dataset.cpp). Every buffer a step touches
// is planned in create()/plan(); step(), back() and the trace calls never allocate.
#include "nnplay/session.h"
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include "detmath.h"
#include "internal.h"
#include "net.h"
#include "optimizer.h"

namespace nnplay {

size_t View::size() const {
  if (rank == 0) return 0;
  size_t n = 1;
  for (int i = 0; i < rank; ++i) n *= (size_t)shape[i];
  return n;
}

namespace {
constexpr uint64_t kTagInit = 0x696e6974;              // "init"
constexpr uint64_t kTagOrder = 0x6f726472;             // "ordr"
constexpr uint64_t kTagDrop = 0x64726f70;              // "drop": dropout masks, one key per update
constexpr long kEvalFloats = 4'000'000;                // eval chunk: activations budget in floats
constexpr int kEvalRowsMax = 256;

View view(const float* d, int r, int a, int b = 0, int c = 0, int e = 0) {
  View v;
  v.data = d;
  v.rank = r;
  v.shape[0] = a; v.shape[1] = b; v.shape[2] = c; v.shape[3] = e;
  return v;
}
bool finite_all(const float* p, size_t n) {
  // x - x is 0 for finite x and NaN for Inf/NaN; the sum stays NaN once one appears.
  float acc = 0.0f;
  for (size_t i = 0; i < n; ++i) acc += p[i] - p[i];
  return acc == 0.0f;
}
// A learning rate to try after a divergence: lr / (10 max(1, factor)), rounded down to the 1-3-10
// ladder of the page's learning-rate menu (1e-7 at the least).
float suggested_rate(float lr, double factor) {
  static const double kLadder[] = {1e-7, 3e-7, 1e-6, 3e-6, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3,
                                   0.01, 0.03, 0.1, 0.3, 1, 3, 10};
  const double target = (double)lr / (10.0 * std::max(1.0, factor)) * (1 + 1e-6);  // float lr 0.03 -> 0.003
  double best = kLadder[0];
  for (double v : kLadder)
    if (v <= target) best = v;
  return (float)best;
}
}  // namespace

struct Session::Impl {
  Config cfg;
  Dataset data;
  bool generated = true;                               // false: caller-supplied data (kept on reset)
  detail::Net net;
  std::vector<float> params, grads, opt;               // opt: [v] (momentum), [m, v, b1^t, b2^t] (adam)
  std::vector<float> prev_params, prev_opt;            // the state before the last update (divergence)
  std::vector<float> stats, prev_stats;                // layer state: batch-norm running mean/variance (net.h LayerPlan::s_off)
  std::vector<float> ex_grads;                         // trace_example's gradients (not shown)
  detail::Workspace train_ws, eval_ws, ex_ws;
  std::vector<float> batch_x, batch_y, grid_x;
  std::vector<uint32_t> order;                         // the current epoch's shuffled example order
  int64_t order_epoch = -1;
  int64_t steps = 0, examples = 0;
  double batch_loss = 0;
  // rewind history (see session.h)
  struct Key { int64_t step = 0, examples = 0; bool forced = false; };
  int K = 1, M = 2;                                    // keyframe interval, ring slots
  size_t S = 0;                                        // floats per snapshot: params + opt + stats
  std::vector<int32_t> sizes;                          // sizes[j % kRewindSteps]: examples of update j
  std::vector<Key> keys;                               // ring of M
  std::vector<float> key_data;                         // M * S
  int key_first = 0, key_count = 0;
  int64_t sizes_lo = 1;                                // lowest update whose size is still recorded
  bool replaying = false;
  // trace
  std::vector<LayerTrace> traces;
  bool metrics_dirty = true;
  Metrics cached;

  std::string plan(const Config& c, Dataset d, bool gen);
  void init_params();
  void clear_history();
  void push_key(bool forced);
  const Key& key_at(int i) const { return keys[(key_first + i) % M]; }
  float* key_slot(int i) { return key_data.data() + (size_t)((key_first + i) % M) * S; }
  void restore_key(int i);
  int64_t min_reachable() const;
  void go_to(int64_t s);
  void ensure_order(int64_t ep);
  bool update(int want, Divergence* why);
  bool overshot(const detail::UpdateSums& u, Divergence* why) const;
  int first_nonfinite_layer(const float* v) const;   // -1 when every layer's values are finite
  int first_nonfinite_state_layer() const;            // the same over the layer state (batch-norm statistics)
  void set_views(int rows);
  void compute_metrics();
  void example_trace(const float* x, const float* label);
  detail::Pass infer() {                               // inference: running statistics, no dropout
    detail::Pass p;
    p.state = stats.data();
    return p;
  }
};

std::string Session::Impl::plan(const Config& c, Dataset d, bool gen) {
  cfg = c;
  data = std::move(d);
  generated = gen;
  if (data.train_count() < 1) return "data: the training set is empty";
  int rows_hint = std::max(1, cfg.train.batch);
  std::string e = net.setup(data.input_shape, cfg.layers, cfg.train.loss, data.classification, 1);
  if (!e.empty()) return e;
  long per_example = 0;
  for (const auto& p : net.plan) per_example += p.nout;
  int E = (int)std::max(1L, std::min((long)kEvalRowsMax, kEvalFloats / (4 * per_example)));
  e = net.setup(data.input_shape, cfg.layers, cfg.train.loss, data.classification, std::max(rows_hint, E));
  if (!e.empty()) return e;
  const size_t P = net.param_count, I = (size_t)net.input_size();
  params.assign(P, 0.0f);
  grads.assign(P, 0.0f);
  ex_grads.assign(P, 0.0f);
  size_t nopt = 0;
  switch (cfg.train.optimizer) {
    case Optimizer::Momentum: case Optimizer::Nesterov: nopt = P; break;
    case Optimizer::Adam: nopt = 2 * P + 2; break;
    default: break;
  }
  opt.assign(nopt, 0.0f);
  prev_params.assign(P, 0.0f);
  prev_opt.assign(nopt, 0.0f);
  stats.assign(net.state_count, 0.0f);
  prev_stats.assign(net.state_count, 0.0f);
  net.make_workspace(&train_ws, rows_hint);
  net.make_workspace(&eval_ws, E);
  net.make_workspace(&ex_ws, 1);
  batch_x.assign((size_t)rows_hint * I, 0.0f);
  batch_y.assign((size_t)rows_hint, 0.0f);
  grid_x.assign((size_t)E * I, 0.0f);
  order.assign((size_t)data.train_count(), 0);
  // Rewind ring: M snapshots of S floats within kRewindBytes (at least 2), one every K updates.
  S = P + nopt + net.state_count;
  const size_t fit = kRewindBytes / (sizeof(float) * std::max<size_t>(S, 1));
  M = (int)std::clamp<size_t>(fit, 2, (size_t)kRewindSteps + 6);
  const int spare = M > 8 ? 4 : 0;                     // room for forced snapshots (edits)
  K = std::max(1, (kRewindSteps + 1 + (M - spare - 2)) / std::max(1, M - spare - 1));
  sizes.assign(kRewindSteps, 0);
  keys.assign(M, Key{});
  key_data.assign((size_t)M * S, 0.0f);
  traces.assign(net.plan.size(), LayerTrace{});
  init_params();
  clear_history();
  set_views(0);
  return "";
}

void Session::Impl::init_params() {
  det::Rng r(det::stream(cfg.seed, kTagInit));
  for (const auto& p : net.plan) {
    if (p.nw == 0) continue;
    double fan_in = p.nin, fan_out = p.nout;
    if (p.spec.type == LayerType::Conv) {
      fan_in = (double)p.conv.C * p.conv.k * p.conv.k;
      fan_out = (double)p.conv.F * p.conv.k * p.conv.k;
    } else {
      fan_out = (double)p.spec.units;
    }
    double lim = 0;
    switch (cfg.train.init) {
      case Init::Xavier: lim = std::sqrt(6.0 / (fan_in + fan_out)); break;
      case Init::He: lim = std::sqrt(6.0 / fan_in); break;
      case Init::Uniform: lim = cfg.train.init_range; break;
      case Init::Zeros: lim = 0; break;
    }
    if (p.spec.type == LayerType::BatchNorm) {         // gamma 1, beta 0; draws nothing from the stream
      for (size_t i = 0; i < p.nw; ++i) params[p.w_off + i] = 1.0f;
      for (size_t i = 0; i < p.nb; ++i) params[p.b_off + i] = 0.0f;
      continue;
    }
    for (size_t i = 0; i < p.nw; ++i) params[p.w_off + i] = lim == 0 ? 0.0f : (float)r.range(-lim, lim);
    for (size_t i = 0; i < p.nb; ++i) params[p.b_off + i] = 0.0f;
  }
  net.init_state(stats.data());
  std::fill(opt.begin(), opt.end(), 0.0f);
  if (cfg.train.optimizer == Optimizer::Adam) {
    opt[2 * net.param_count] = 1.0f;                   // beta1^t and beta2^t at t = 0
    opt[2 * net.param_count + 1] = 1.0f;
  }
  steps = 0;
  examples = 0;
  batch_loss = 0;
  order_epoch = -1;
  metrics_dirty = true;
}

void Session::Impl::clear_history() {
  key_first = 0;
  key_count = 0;
  sizes_lo = steps + 1;
  push_key(true);
}

void Session::Impl::push_key(bool forced) {
  if (key_count > 0) {
    const Key& last = key_at(key_count - 1);
    if (last.step == steps) {                          // same step (an edit): replace it
      float* d = key_slot(key_count - 1);
      std::memcpy(d, params.data(), sizeof(float) * params.size());
      std::memcpy(d + params.size(), opt.data(), sizeof(float) * opt.size());
      std::memcpy(d + params.size() + opt.size(), stats.data(), sizeof(float) * stats.size());
      keys[(key_first + key_count - 1) % M] = Key{steps, examples, forced || last.forced};
      return;
    }
  }
  if (key_count == M) { key_first = (key_first + 1) % M; --key_count; }
  ++key_count;
  keys[(key_first + key_count - 1) % M] = Key{steps, examples, forced};
  float* d = key_slot(key_count - 1);
  std::memcpy(d, params.data(), sizeof(float) * params.size());
  std::memcpy(d + params.size(), opt.data(), sizeof(float) * opt.size());
  std::memcpy(d + params.size() + opt.size(), stats.data(), sizeof(float) * stats.size());
}

void Session::Impl::restore_key(int i) {
  const float* d = key_slot(i);
  std::memcpy(params.data(), d, sizeof(float) * params.size());
  std::memcpy(opt.data(), d + params.size(), sizeof(float) * opt.size());
  std::memcpy(stats.data(), d + params.size() + opt.size(), sizeof(float) * stats.size());
  steps = key_at(i).step;
  examples = key_at(i).examples;
}

int64_t Session::Impl::min_reachable() const {
  // A snapshot at step k can be replayed forward while the sizes of updates k+1.. are recorded.
  for (int i = 0; i < key_count; ++i)
    if (key_at(i).step >= sizes_lo - 1 && key_at(i).step <= steps) return key_at(i).step;
  return steps;
}

void Session::Impl::go_to(int64_t s) {
  // The latest snapshot strictly before s, so the replayed last update rebuilds the trace; a
  // snapshot at exactly s is used as is when it is forced (an edit) or nothing earlier is usable.
  int at = -1, before = -1;
  const int64_t lo = sizes_lo - 1;
  for (int i = 0; i < key_count; ++i) {
    const Key& k = key_at(i);
    if (k.step < lo) continue;
    if (k.step == s) at = i;
    if (k.step < s) before = i;
  }
  int use = (at >= 0 && (key_at(at).forced || before < 0)) ? at : before;
  if (use < 0) return;
  restore_key(use);
  // Drop snapshots after the one used (their future is being rewritten).
  key_count = use + 1;
  replaying = true;
  bool traced = false;
  while (steps < s) {
    const int n = sizes[(size_t)((steps + 1) % kRewindSteps)];
    update(n, nullptr);
    traced = true;
  }
  replaying = false;
  // Keep the snapshot at s if the replay passed a regular keyframe step.
  if (steps % K == 0 && key_at(key_count - 1).step != steps) push_key(false);
  if (!traced) set_views(0);
  metrics_dirty = true;
}

void Session::Impl::ensure_order(int64_t ep) {
  if (ep == order_epoch) return;
  const uint32_t N = (uint32_t)order.size();
  for (uint32_t i = 0; i < N; ++i) order[i] = i;
  det::Rng r(det::stream(cfg.seed, kTagOrder, (uint64_t)ep));
  for (uint32_t i = N; i > 1; --i) std::swap(order[i - 1], order[r.below(i)]);  // Fisher-Yates
  order_epoch = ep;
}

bool Session::Impl::update(int want, Divergence* why) {
  const int64_t N = (int64_t)order.size();
  const int64_t ep = examples / N, pos = examples % N;
  ensure_order(ep);
  const int B = (int)std::min<int64_t>(std::min(want, train_ws.capacity), N - pos);
  const int I = net.input_size();
  for (int r = 0; r < B; ++r) {
    const uint32_t j = order[(size_t)(pos + r)];
    std::memcpy(&batch_x[(size_t)r * I], &data.train_x[(size_t)j * I], sizeof(float) * I);
    batch_y[r] = data.train_y[j];
  }
  std::memcpy(prev_stats.data(), stats.data(), sizeof(float) * stats.size());
  detail::Pass pass;
  pass.train = true;
  pass.state = stats.data();
  pass.noise = det::stream(cfg.seed, kTagDrop, (uint64_t)(steps + 1));  // the update's index
  net.forward(train_ws, params.data(), batch_x.data(), B, pass);
  net.encode_targets(train_ws, batch_y.data(), B);
  const double loss = net.loss_and_output_grad(train_ws);
  if (cfg.train.optimizer == Optimizer::Perceptron) net.perceptron_grad(train_ws);
  net.backward(train_ws, params.data(), grads.data());
  set_views(B);
  batch_loss = loss;
  metrics_dirty = true;
  const bool bad_loss = !std::isfinite(loss);
  const bool bad_stats = !bad_loss && !finite_all(stats.data(), stats.size());
  bool bad = bad_loss || bad_stats;
  detail::UpdateSums sums;
  if (!bad) {
    sums = detail::apply_update(cfg.train, net.plan, params.data(), grads.data(), opt, prev_params.data(), prev_opt);
    if (!sums.finite) {                                // revert, after naming the first thing that went wrong
      bad = true;
      if (why) {
        const int g = first_nonfinite_layer(grads.data());
        *why = Divergence{};
        why->value = g >= 0 ? BadValue::Gradient : BadValue::Weight;
        why->layer = g >= 0 ? g : first_nonfinite_layer(params.data());
      }
      std::memcpy(params.data(), prev_params.data(), sizeof(float) * params.size());
      std::memcpy(opt.data(), prev_opt.data(), sizeof(float) * opt.size());
    }
  }
  if (bad) {
    std::memcpy(stats.data(), prev_stats.data(), sizeof(float) * stats.size());
    if (why) {
      if (bad_loss || bad_stats) *why = Divergence{};  // value Loss (layer -1) or Statistics
      if (bad_stats) { why->value = BadValue::Statistics; why->layer = first_nonfinite_state_layer(); }
      why->kind = DivergenceKind::NonFinite;
      why->step = steps + 1;
      why->learning_rate = cfg.train.learning_rate;
      why->suggested_learning_rate = suggested_rate(cfg.train.learning_rate, 1.0);
    }
    return false;
  }
  ++steps;
  examples += B;
  if (!replaying) {
    sizes[(size_t)(steps % kRewindSteps)] = B;
    sizes_lo = std::max(sizes_lo, steps - kRewindSteps + 1);
    if (steps % K == 0) push_key(false);
    if (overshot(sums, why)) return false;             // kept (step back undoes it), but training stops
  }
  return true;
}

int Session::Impl::first_nonfinite_state_layer() const {
  for (size_t l = 0; l < net.plan.size(); ++l)
    if (!finite_all(stats.data() + net.plan[l].s_off, net.plan[l].ns)) return (int)l;
  return -1;
}

int Session::Impl::first_nonfinite_layer(const float* v) const {
  for (size_t l = 0; l < net.plan.size(); ++l) {
    const detail::LayerPlan& p = net.plan[l];
    if (!finite_all(v + p.w_off, p.nw) || !finite_all(v + p.b_off, p.nb)) return (int)l;
  }
  return -1;
}

// An update larger than the weights it changes (||dw|| > ||w||) overshoots: healthy steps change
// the weights by about 1e-3 of their size (CS231n's rule of thumb). With a bounded output (tanh,
// sigmoid) such a step drives the units into saturation and training dies without any NaN, so it
// counts as divergence too. Skipped for the perceptron (its rule is scale-free). Norms in double,
// summed in a fixed order (optimizer.cpp, kernels' f32_sgd_update): the same on every platform.
// Measured on the default 2-4-2-1 tanh net, 40 seeds per set: lr 10 trips on 40/40 spiral,
// circle, xor, moons runs (gauss 32/40), always within 3 steps; lr 1 trips on 1/40 gauss runs only.
bool Session::Impl::overshot(const detail::UpdateSums& u, Divergence* why) const {
  if (cfg.train.optimizer == Optimizer::Perceptron) return false;
  const double w2 = u.w2, d2 = u.d2;
  // Weights near zero (a zero or tiny init growing) are measured against the size a Xavier init
  // would give them: 1/fan_in per weight, i.e. one per output unit (dense) or filter (conv).
  double ref2 = 0;
  for (const detail::LayerPlan& p : net.plan)
    if (p.nw > 0) ref2 += (double)p.nb;
  if (d2 <= std::max(w2, ref2)) return false;
  if (why) {
    // The layer that grew most for its size (only here, after the fact: the step itself sums all).
    double worst = -1;
    int layer = -1;
    for (size_t l = 0; l < net.plan.size(); ++l) {
      const detail::LayerPlan& p = net.plan[l];
      if (p.nw == 0) continue;
      double lw2 = 0, ld2 = 0;
      for (size_t i = p.w_off; i < p.w_off + p.nw; ++i) {
        const double w = prev_params[i], d = (double)params[i] - w;
        lw2 += w * w;
        ld2 += d * d;
      }
      const double r = ld2 / std::max(lw2, (double)p.nb);
      if (r > worst) { worst = r; layer = (int)l; }
    }
    const double factor = std::sqrt(d2 / std::max(w2, ref2));
    *why = Divergence{};
    why->kind = DivergenceKind::Overshoot;
    why->step = steps;
    why->layer = layer;
    why->factor = (float)factor;
    why->learning_rate = cfg.train.learning_rate;
    why->suggested_learning_rate = suggested_rate(cfg.train.learning_rate, factor);
  }
  return true;
}

void Session::Impl::set_views(int B) {
  for (size_t l = 0; l < net.plan.size(); ++l) {
    const detail::LayerPlan& p = net.plan[l];
    LayerTrace& t = traces[l];
    auto& L = train_ws.layers[l];
    auto& X = ex_ws.layers[l];
    t.type = p.spec.type;
    t.act = (p.spec.type == LayerType::Dense || p.spec.type == LayerType::Conv || p.spec.type == LayerType::BatchNorm)
                ? p.spec.act : Activation::Linear;
    for (int i = 0; i < 3; ++i) { t.in_shape[i] = p.in[i]; t.out_shape[i] = p.out[i]; }
    if (p.spec.type == LayerType::Dense) { t.in_shape[0] = p.nin; t.in_shape[1] = t.in_shape[2] = 1; }  // (I,1,1)
    if (p.spec.type == LayerType::Dense) {
      t.w = view(params.data() + p.w_off, 2, p.nout, p.nin);
      t.dw = view(grads.data() + p.w_off, 2, p.nout, p.nin);
    } else if (p.spec.type == LayerType::Conv) {
      t.w = view(params.data() + p.w_off, 4, p.conv.F, p.conv.C, p.conv.k, p.conv.k);
      t.dw = view(grads.data() + p.w_off, 4, p.conv.F, p.conv.C, p.conv.k, p.conv.k);
    } else if (p.spec.type == LayerType::BatchNorm) {  // gamma (C); beta is b
      t.w = view(params.data() + p.w_off, 1, (int)p.nw);
      t.dw = view(grads.data() + p.w_off, 1, (int)p.nw);
    } else {
      t.w = t.dw = View{};
    }
    t.running_mean = p.ns ? view(stats.data() + p.s_off, 1, (int)p.ns / 2) : View{};
    t.running_var = p.ns ? view(stats.data() + p.s_off + p.ns / 2, 1, (int)p.ns / 2) : View{};
    t.b = p.nb ? view(params.data() + p.b_off, 1, (int)p.nb) : View{};
    t.db = p.nb ? view(grads.data() + p.b_off, 1, (int)p.nb) : View{};
    const bool img = p.out[1] * p.out[2] > 1 || p.spec.type == LayerType::Conv ||
                     p.spec.type == LayerType::MaxPool || p.spec.type == LayerType::AvgPool;
    const bool act = !L.a.empty();
    const float* z = L.z.data();
    const float* a = act ? L.a.data() : z;
    const float* dz = L.dz.data();
    const float* da = act ? L.da.data() : dz;
    const float* xz = X.z.data();
    const float* xa = act ? X.a.data() : xz;
    const float* xdz = X.dz.data();
    const float* xda = act ? X.da.data() : xdz;
    if (img) {
      t.z = view(z, 4, B, p.out[0], p.out[1], p.out[2]); t.a = view(a, 4, B, p.out[0], p.out[1], p.out[2]);
      t.dz = view(dz, 4, B, p.out[0], p.out[1], p.out[2]); t.da = view(da, 4, B, p.out[0], p.out[1], p.out[2]);
      t.ex_z = view(xz, 3, p.out[0], p.out[1], p.out[2]); t.ex_a = view(xa, 3, p.out[0], p.out[1], p.out[2]);
      t.ex_dz = view(xdz, 3, p.out[0], p.out[1], p.out[2]); t.ex_da = view(xda, 3, p.out[0], p.out[1], p.out[2]);
    } else {
      t.z = view(z, 2, B, p.nout); t.a = view(a, 2, B, p.nout);
      t.dz = view(dz, 2, B, p.nout); t.da = view(da, 2, B, p.nout);
      t.ex_z = view(xz, 1, p.nout); t.ex_a = view(xa, 1, p.nout);
      t.ex_dz = view(xdz, 1, p.nout); t.ex_da = view(xda, 1, p.nout);
    }
    t.argmax = L.argmax.empty() ? nullptr : L.argmax.data();
    t.ex_argmax = X.argmax.empty() ? nullptr : X.argmax.data();
    t.mask = View{};
    if (!L.mask.empty()) {
      t.mask = t.a;
      t.mask.data = L.mask.data();
    }
  }
}

void Session::Impl::compute_metrics() {
  Metrics m;
  m.batch_loss = batch_loss;
  const int I = net.input_size(), O = net.outputs(), L = (int)net.plan.size() - 1;
  const float mid = detail::midpoint(net.plan.back().spec.act);
  for (int part = 0; part < 2; ++part) {
    const std::vector<float>& X = part == 0 ? data.train_x : data.test_x;
    const std::vector<float>& Y = part == 0 ? data.train_y : data.test_y;
    const int n = (int)Y.size();
    double loss = 0;
    long correct = 0;
    for (int r0 = 0; r0 < n; r0 += eval_ws.capacity) {
      const int B = std::min(eval_ws.capacity, n - r0);
      net.forward(eval_ws, params.data(), X.data() + (size_t)r0 * I, B, infer());
      net.encode_targets(eval_ws, Y.data() + r0, B);
      const float* y = eval_ws.a(L, net.plan);
      for (int r = 0; r < B; ++r) {
        loss += net.row_loss(eval_ws, r);
        if (!data.classification) continue;
        const float* yr = y + (size_t)r * O;
        int pred;
        if (O == 1) pred = yr[0] >= mid ? 1 : 0;
        else { pred = 0; for (int o = 1; o < O; ++o) if (yr[o] > yr[pred]) pred = o; }
        correct += pred == (int)Y[r0 + r];
      }
    }
    const double ml = n ? loss / n : 0.0;
    const double acc = data.classification && n ? (double)correct / n : -1.0;
    if (part == 0) { m.train_loss = ml; m.train_accuracy = acc; }
    else { m.test_loss = ml; m.test_accuracy = acc; }
  }
  cached = m;
  metrics_dirty = false;
}

void Session::Impl::example_trace(const float* x, const float* label) {
  net.forward(ex_ws, params.data(), x, 1, infer());
  if (label) {
    net.encode_targets(ex_ws, label, 1);
    net.loss_and_output_grad(ex_ws);
    if (cfg.train.optimizer == Optimizer::Perceptron) net.perceptron_grad(ex_ws);
    net.backward(ex_ws, params.data(), ex_grads.data());
  } else {
    for (auto& L : ex_ws.layers) {
      std::fill(L.dz.begin(), L.dz.end(), 0.0f);
      std::fill(L.da.begin(), L.da.end(), 0.0f);
    }
  }
}

// ---------------------------------------------------------------------------------------------

Session::Session() : impl_(new Impl) {}
Session::~Session() = default;

std::unique_ptr<Session> Session::create(const Config& config, std::string* error) {
  std::string e = validate(config);
  Dataset d;
  if (e.empty()) e = make_dataset(config.data, config.seed, &d);
  if (!e.empty()) {
    if (error) *error = e;
    return nullptr;
  }
  std::unique_ptr<Session> s(new Session());
  e = s->impl_->plan(config, std::move(d), true);
  if (!e.empty()) {
    if (error) *error = e;
    return nullptr;
  }
  s->trace_example(false, 0);
  if (error) error->clear();
  return s;
}

std::unique_ptr<Session> Session::create(const Config& config, Dataset d, std::string* error) {
  auto fail = [&](const std::string& m) { if (error) *error = m; return std::unique_ptr<Session>(); };
  if (d.input_shape[0] < 1 || d.input_shape[1] < 1 || d.input_shape[2] < 1 ||
      (long)d.input_shape[0] * d.input_shape[1] * d.input_shape[2] != d.input_size)
    return fail("data: input_shape does not match input_size");
  if (d.train_count() < 1) return fail("data: the training set is empty");
  if (d.train_x.size() != (size_t)d.train_count() * d.input_size || d.test_x.size() != (size_t)d.test_count() * d.input_size)
    return fail("data: inputs and labels have different counts");
  if ((long)d.train_count() + d.test_count() > 1'000'000) return fail("data: more than 1000000 examples");
  if (d.outputs < 1 || d.outputs > kMaxUnits) return fail("data: outputs out of range");
  if (!finite_all(d.train_x.data(), d.train_x.size()) || !finite_all(d.test_x.data(), d.test_x.size()))
    return fail("data: an input value is NaN or infinite");
  const int k = d.outputs > 1 ? d.outputs : 2;
  for (int part = 0; part < 2; ++part)
    for (float y : part == 0 ? d.train_y : d.test_y) {
      if (!std::isfinite(y)) return fail("data: a label is NaN or infinite");
      if (d.classification && (y < 0 || y >= k || y != std::floor(y)))
        return fail("data: a class label is not an integer in 0.." + std::to_string(k - 1));
    }
  if (config.layers.empty()) return fail("layers: the network needs at least an output layer");
  if ((int)config.layers.size() > kMaxLayers) return fail("layers: too many layers");
  std::vector<detail::LayerPlan> plan;
  long params = 0;
  std::string e = detail::plan_layers(d.input_shape, config.layers, &plan, &params);
  if (!e.empty()) return fail(e);
  const LayerSpec& out = config.layers.back();
  if (out.type != LayerType::Dense) return fail("layer " + std::to_string(config.layers.size()) + " (output): the output layer must be dense");
  const int want = !d.classification ? 1 : d.outputs > 1 ? d.outputs : (out.act == Activation::Softmax ? 2 : 1);
  if (out.units != want)
    return fail("layer " + std::to_string(config.layers.size()) + " (output): " + std::to_string(out.units) +
                " units, but the data set needs " + std::to_string(want));
  e = detail::validate_train(config.train, config.layers);
  if (!e.empty()) return fail(e);
  std::unique_ptr<Session> s(new Session());
  e = s->impl_->plan(config, std::move(d), false);
  if (!e.empty()) return fail(e);
  s->trace_example(false, 0);
  if (error) error->clear();
  return s;
}

const Config& Session::config() const { return impl_->cfg; }
const Dataset& Session::data() const { return impl_->data; }

StepResult Session::step(StepSize size, int n) {
  StepResult res;
  Impl& m = *impl_;
  const int64_t N = (int64_t)m.order.size();
  for (int i = 0; i < n; ++i) {
    bool ok = true;
    if (size == StepSize::Epoch) {
      do {
        const int64_t before = m.steps;
        ok = m.update(m.cfg.train.batch, &res.divergence);
        res.steps_done += (int)(m.steps - before);
      } while (ok && m.examples % N != 0);
    } else {
      const int64_t before = m.steps;
      ok = m.update(size == StepSize::Example ? 1 : m.cfg.train.batch, &res.divergence);
      res.steps_done += (int)(m.steps - before);
    }
    if (!ok) { res.status = StepStatus::Diverged; break; }
  }
  return res;
}

int Session::can_back() const { return (int)(impl_->steps - impl_->min_reachable()); }
int Session::back(int n) {
  const int m = std::min(std::max(n, 0), can_back());
  if (m == 0) return 0;
  impl_->go_to(impl_->steps - m);
  return m;
}
int Session::keyframe_interval() const { return impl_->K; }
size_t Session::history_bytes() const {
  return impl_->key_data.size() * sizeof(float) + impl_->sizes.size() * sizeof(int32_t) + impl_->keys.size() * sizeof(Impl::Key);
}

void Session::reset(uint64_t seed) {
  Impl& m = *impl_;
  m.cfg.seed = seed;
  if (m.generated) {
    Dataset d;
    if (make_dataset(m.cfg.data, seed, &d).empty() && d.train_count() == m.data.train_count() &&
        d.input_size == m.data.input_size)
      m.data = std::move(d);
  }
  m.init_params();
  m.clear_history();
  std::fill(m.grads.begin(), m.grads.end(), 0.0f);
  m.set_views(0);
  trace_example(false, 0);
}

int64_t Session::step_count() const { return impl_->steps; }
int64_t Session::examples_seen() const { return impl_->examples; }
int64_t Session::epoch() const { return impl_->examples / (int64_t)impl_->order.size(); }

size_t Session::parameter_count() const { return impl_->params.size(); }
void Session::parameters(float* out) const {
  std::memcpy(out, impl_->params.data(), sizeof(float) * impl_->params.size());
}
std::string Session::parameters_hash() const {
  uint64_t h = 0xcbf29ce484222325ull;                  // FNV-1a 64 over the little-endian bytes
  for (float f : impl_->params) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    for (int i = 0; i < 4; ++i) { h ^= (u >> (8 * i)) & 0xff; h *= 0x100000001b3ull; }
  }
  char b[17];
  std::snprintf(b, sizeof b, "%016llx", (unsigned long long)h);
  return b;
}

bool Session::set_weight(int layer, bool bias, size_t index, float value, std::string* error) {
  Impl& m = *impl_;
  auto fail = [&](const std::string& e) { if (error) *error = e; return false; };
  if (layer < 0 || layer >= (int)m.net.plan.size()) return fail("set_weight: no layer " + std::to_string(layer));
  const auto& p = m.net.plan[layer];
  const size_t n = bias ? p.nb : p.nw;
  if (n == 0) return fail("set_weight: layer " + std::to_string(layer) + " has no parameters");
  if (index >= n) return fail("set_weight: index " + std::to_string(index) + " out of range (" + std::to_string(n) + ")");
  if (!std::isfinite(value)) return fail("set_weight: the value is NaN or infinite");
  m.params[(bias ? p.b_off : p.w_off) + index] = value;
  m.push_key(true);
  m.metrics_dirty = true;
  if (error) error->clear();
  return true;
}

std::vector<float> Session::optimizer_state() const { return impl_->opt; }
std::vector<float> Session::layer_state() const { return impl_->stats; }

bool Session::restore(const std::vector<float>& params, const std::vector<float>& opt_state,
                      int64_t steps, int64_t examples, std::string* error, const std::vector<float>& layer_state) {
  Impl& m = *impl_;
  auto fail = [&](const std::string& e) { if (error) *error = e; return false; };
  if (params.size() != m.params.size())
    return fail("restore: " + std::to_string(params.size()) + " parameters, the network has " + std::to_string(m.params.size()));
  if (!opt_state.empty() && opt_state.size() != m.opt.size())
    return fail("restore: optimizer state of " + std::to_string(opt_state.size()) + " floats, expected " + std::to_string(m.opt.size()));
  if (!layer_state.empty() && layer_state.size() != m.stats.size())
    return fail("restore: layer state (batch-norm running statistics) of " + std::to_string(layer_state.size()) +
                " floats, expected " + std::to_string(m.stats.size()));
  if (!finite_all(params.data(), params.size()) || !finite_all(opt_state.data(), opt_state.size()) ||
      !finite_all(layer_state.data(), layer_state.size()))
    return fail("restore: a value is NaN or infinite");
  for (const auto& p : m.net.plan)                     // running variances are >= 0
    for (size_t i = p.ns / 2; i < p.ns && !layer_state.empty(); ++i)
      if (layer_state[p.s_off + i] < 0.0f) return fail("restore: a batch-norm running variance is negative");
  if (steps < 0 || examples < 0 || steps > (int64_t)1 << 52 || examples > (int64_t)1 << 52)
    return fail("restore: steps " + std::to_string(steps) + " and examples " + std::to_string(examples) + " are out of range");
  m.params = params;
  if (opt_state.empty()) {                             // a fresh optimizer state
    std::fill(m.opt.begin(), m.opt.end(), 0.0f);
    if (m.cfg.train.optimizer == Optimizer::Adam) m.opt[2 * m.params.size()] = m.opt[2 * m.params.size() + 1] = 1.0f;
  } else {
    m.opt = opt_state;
  }
  if (layer_state.empty()) m.net.init_state(m.stats.data());
  else m.stats = layer_state;
  m.steps = steps;
  m.examples = examples;
  m.order_epoch = -1;
  m.batch_loss = 0;
  m.metrics_dirty = true;
  m.clear_history();
  std::fill(m.grads.begin(), m.grads.end(), 0.0f);
  m.set_views(0);
  trace_example(false, 0);
  if (error) error->clear();
  return true;
}

int Session::layer_count() const { return (int)impl_->net.plan.size(); }
const LayerTrace& Session::trace(int layer) const {
  static const LayerTrace empty{};
  if (layer < 0 || layer >= (int)impl_->traces.size()) return empty;
  return impl_->traces[layer];
}

void Session::trace_example(bool test_set, int index) {
  Impl& m = *impl_;
  const Dataset& d = m.data;
  const int n = test_set ? d.test_count() : d.train_count();
  if (index < 0 || index >= n) return;
  const std::vector<float>& X = test_set ? d.test_x : d.train_x;
  const std::vector<float>& Y = test_set ? d.test_y : d.train_y;
  m.example_trace(X.data() + (size_t)index * d.input_size, &Y[(size_t)index]);
}

Metrics Session::metrics() const {
  if (impl_->metrics_dirty) impl_->compute_metrics();
  return impl_->cached;
}

double Session::batch_loss() const { return impl_->batch_loss; }

size_t Session::grid_output_floats(int n) const {
  if (n <= 0 || is_image(impl_->cfg.data.set) || impl_->net.plan.front().in[1] * impl_->net.plan.front().in[2] > 1) return 0;
  size_t u = 0;
  for (const auto& p : impl_->net.plan)
    if (p.spec.type == LayerType::Dense) u += (size_t)p.nout;
  return u * (size_t)n;
}

void Session::eval_grid(int n, const float* x1x2, float* out) {
  Impl& m = *impl_;
  if (grid_output_floats(n) == 0 || !x1x2 || !out) return;
  const int I = m.net.input_size(), E = m.eval_ws.capacity;
  const uint32_t f = m.cfg.data.features;
  if (feature_count(f) != I) return;                   // caller-supplied data without 2-D features
  for (int p0 = 0; p0 < n; p0 += E) {
    const int B = std::min(E, n - p0);
    for (int r = 0; r < B; ++r) features_of(f, x1x2[2 * (size_t)(p0 + r)], x1x2[2 * (size_t)(p0 + r) + 1], &m.grid_x[(size_t)r * I]);
    m.net.forward(m.eval_ws, m.params.data(), m.grid_x.data(), B, m.infer());
    size_t off = 0;
    for (size_t l = 0; l < m.net.plan.size(); ++l) {
      const auto& p = m.net.plan[l];
      if (p.spec.type != LayerType::Dense) continue;
      std::memcpy(out + off + (size_t)p0 * p.nout, m.eval_ws.a((int)l, m.net.plan), sizeof(float) * (size_t)B * p.nout);
      off += (size_t)n * p.nout;
    }
  }
}

void Session::predict(const float* input, float* out) {
  Impl& m = *impl_;
  m.example_trace(input, nullptr);
  const int L = (int)m.net.plan.size() - 1;
  std::memcpy(out, m.ex_ws.a(L, m.net.plan), sizeof(float) * m.net.outputs());
}

}  // namespace nnplay
