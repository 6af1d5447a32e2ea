// NumPy and PyTorch scripts that rebuild a session's network (dense, conv, pool, flatten) with its
// exact weights and print the outputs for probe inputs. Not a general model converter.
#include <string>
#include <vector>

#include "nnplay/state.h"
#include "src/state/text.h"

namespace nnplay {
using namespace state;

namespace {

// One layer of the exported network, with its shapes and its slice of parameters().
struct XLayer {
  LayerSpec spec;
  int in[3] = {0, 0, 0}, out[3] = {0, 0, 0};           // per-example (C,H,W) -> (C,P,Q)
  size_t w_off = 0, nw = 0, b_off = 0, nb = 0;
};

// Walks the config the way the engine plans it (net.h): dense reads its input flattened.
std::string plan(const Session& s, std::vector<XLayer>* out) {
  const Dataset& d = s.data();
  int sh[3] = {d.input_shape[0], d.input_shape[1], d.input_shape[2]};
  if (sh[0] <= 0) { sh[0] = d.input_size; sh[1] = 1; sh[2] = 1; }
  if (sh[1] <= 0) sh[1] = 1;
  if (sh[2] <= 0) sh[2] = 1;
  size_t at = 0;
  for (const LayerSpec& l : s.config().layers) {  // guard: what the scripts do not rebuild yet
    const bool new_act = (l.type == LayerType::Dense || l.type == LayerType::Conv) &&
                         (l.act == Activation::Elu || l.act == Activation::Gelu || l.act == Activation::Silu);
    if (l.type == LayerType::BatchNorm || l.type == LayerType::Dropout || new_act)
      return std::string("export: the scripts cannot rebuild ") + (new_act ? name(l.act) : name(l.type)) +
             (new_act ? " activations" : " layers") + " yet; save the experiment as JSON instead";
  }
  for (const LayerSpec& l : s.config().layers) {
    XLayer x;
    x.spec = l;
    for (int i = 0; i < 3; ++i) x.in[i] = sh[i];
    const int C = sh[0], H = sh[1], W = sh[2];
    switch (l.type) {
      case LayerType::Dense:
        x.out[0] = l.units; x.out[1] = 1; x.out[2] = 1;
        x.nw = (size_t)l.units * C * H * W; x.nb = l.units;
        break;
      case LayerType::Conv:
        x.out[0] = l.filters; x.out[1] = (H + 2 * l.pad - l.kernel) / l.stride + 1; x.out[2] = (W + 2 * l.pad - l.kernel) / l.stride + 1;
        x.nw = (size_t)l.filters * C * l.kernel * l.kernel; x.nb = l.filters;
        break;
      case LayerType::MaxPool: case LayerType::AvgPool:
        x.out[0] = C; x.out[1] = (H - l.pool) / l.pool_stride + 1; x.out[2] = (W - l.pool) / l.pool_stride + 1;
        break;
      case LayerType::Flatten:
        x.out[0] = C * H * W; x.out[1] = 1; x.out[2] = 1;
        break;
    }
    x.w_off = at; at += x.nw; x.b_off = at; at += x.nb;
    for (int i = 0; i < 3; ++i) sh[i] = x.out[i];
    out->push_back(x);
  }
  if (at != s.parameter_count())
    return "export: the layer plan has " + std::to_string(at) + " parameters, the session " + std::to_string(s.parameter_count());
  return "";
}

// Float literals wrapped 8 to a line, each exact as float32 (see format_float).
std::string literals(const float* p, size_t n, const char* indent) {
  std::string o;
  for (size_t i = 0; i < n; ++i) {
    if (i % 8 == 0) o += i ? ",\n" + std::string(indent) : "";
    else o += ", ";
    o += format_float(p[i]);
  }
  return o;
}

std::string dims(const int* d, int n) {
  std::string o;
  for (int i = 0; i < n; ++i) o += (i ? ", " : "") + std::to_string(d[i]);
  return o;
}

std::string summary(const std::vector<XLayer>& ls) {
  std::string o;
  for (const XLayer& x : ls) {
    switch (x.spec.type) {
      case LayerType::Dense: o += " dense" + std::to_string(x.spec.units) + "." + name(x.spec.act); break;
      case LayerType::Conv:
        o += " conv" + std::to_string(x.spec.filters) + "k" + std::to_string(x.spec.kernel) + "s" +
             std::to_string(x.spec.stride) + "p" + std::to_string(x.spec.pad) + "." + name(x.spec.act);
        break;
      case LayerType::MaxPool: o += " maxpool" + std::to_string(x.spec.pool) + "s" + std::to_string(x.spec.pool_stride); break;
      case LayerType::AvgPool: o += " avgpool" + std::to_string(x.spec.pool) + "s" + std::to_string(x.spec.pool_stride); break;
      case LayerType::Flatten: o += " flatten"; break;
    }
  }
  return o;
}

std::string features_line(const Session& s) {
  if (is_image(s.config().data.set)) return "# Inputs: images (C, H, W) flattened row-major, as the engine reads them.\n";
  std::string o = "# Inputs: the enabled features of a point (x1, x2), in this order:";
  for (int f = 0; f < (int)Feature::Count; ++f)
    if (s.config().data.features >> f & 1) o += std::string(" ") + name((Feature)f);
  return o + "\n";
}

ExportProbe default_probe(const Session& s) {
  ExportProbe p;
  const Dataset& d = s.data();
  p.input_size = d.input_size;
  const std::vector<float>& src = d.test_count() > 0 ? d.test_x : d.train_x;
  size_t n = src.size() / (d.input_size > 0 ? d.input_size : 1);
  if (n > 4) n = 4;
  p.inputs.assign(src.begin(), src.begin() + n * d.input_size);
  return p;
}

std::string probe_block(const ExportProbe& p, int outputs, bool torch) {
  const char* arr = torch ? "torch.tensor" : "np.array";
  const char* dt = torch ? "dtype=torch.float32" : "dtype=np.float32";
  size_t n = p.input_size > 0 ? p.inputs.size() / p.input_size : 0;
  std::string o = "inputs = " + std::string(arr) + "([\n    " + literals(p.inputs.data(), p.inputs.size(), "    ") +
                  "], " + dt + ").reshape(" + std::to_string(n) + ", " + std::to_string(p.input_size) + ")\n";
  if (!p.expected.empty())
    o += "expected = " + std::string(arr) + "([\n    " + literals(p.expected.data(), p.expected.size(), "    ") +
         "], " + dt + ").reshape(" + std::to_string(n) + ", " + std::to_string(outputs) + ")  # nnplay's own outputs\n";
  else
    o += "expected = None\n";
  return o;
}

}  // namespace

ExportProbe make_probe(Session& s, int n) {
  ExportProbe p = default_probe(s);
  const Dataset& d = s.data();
  const std::vector<float>& src = d.test_count() > 0 ? d.test_x : d.train_x;
  size_t avail = d.input_size > 0 ? src.size() / d.input_size : 0;
  size_t m = n < 0 ? 0 : ((size_t)n < avail ? (size_t)n : avail);
  p.inputs.assign(src.begin(), src.begin() + m * d.input_size);
  const int outs = s.config().layers.empty() ? 0 : s.config().layers.back().units;
  p.expected.assign(m * outs, 0.0f);
  for (size_t i = 0; i < m; ++i) s.predict(p.inputs.data() + i * d.input_size, p.expected.data() + i * outs);
  return p;
}

std::string export_numpy(const Session& s) { return export_numpy(s, default_probe(s)); }
std::string export_pytorch(const Session& s) { return export_pytorch(s, default_probe(s)); }

std::string export_numpy(const Session& s, const ExportProbe& probe) {
  std::vector<XLayer> ls;
  std::string e = plan(s, &ls);
  if (!e.empty()) return "# " + e + "\nraise SystemExit(1)\n";
  std::vector<float> params(s.parameter_count());
  if (!params.empty()) s.parameters(params.data());
  std::string o;
  o += "# nnplay export (NumPy): the network" + summary(ls) + "\n";
  o += "# at step " + std::to_string(s.step_count()) + ", parameters_hash " + s.parameters_hash() +
       ". Weights are exact float32 literals.\n";
  o += features_line(s);
  o += "# Prints the network's outputs for the inputs below, one line per input.\n";
  o += "import sys\nimport numpy as np\n\n";
  o += "def act(z, name, leak):\n"
       "    if name == 'linear': return z\n"
       "    if name == 'sigmoid': return 1.0 / (1.0 + np.exp(-z))\n"
       "    if name == 'tanh': return np.tanh(z)\n"
       "    if name == 'relu': return np.where(z < 0, 0.0, z)\n"
       "    if name == 'leakyrelu': return np.where(z < 0, leak * z, z)\n"
       "    if name == 'step': return np.where(z > 0, 1.0, 0.0)\n"
       "    if name == 'softmax':\n"
       "        e = np.exp(z - z.max(axis=1, keepdims=True))\n"
       "        return e / e.sum(axis=1, keepdims=True)\n"
       "    raise ValueError(name)\n\n"
       "def conv2d(x, w, b, stride, pad):  # x (N,C,H,W), w (F,C,k,k): cross-correlation, zero padding\n"
       "    N, C, H, W = x.shape\n"
       "    F, _, k, _ = w.shape\n"
       "    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))\n"
       "    P = (H + 2 * pad - k) // stride + 1\n"
       "    Q = (W + 2 * pad - k) // stride + 1\n"
       "    y = np.zeros((N, F, P, Q))\n"
       "    for ky in range(k):\n"
       "        for kx in range(k):\n"
       "            patch = x[:, :, ky:ky + stride * (P - 1) + 1:stride, kx:kx + stride * (Q - 1) + 1:stride]\n"
       "            y += np.einsum('ncpq,fc->nfpq', patch, w[:, :, ky, kx])\n"
       "    return y + b[None, :, None, None]\n\n"
       "def pool2d(x, p, s, mode):  # x (N,C,H,W), no padding\n"
       "    N, C, H, W = x.shape\n"
       "    P = (H - p) // s + 1\n"
       "    Q = (W - p) // s + 1\n"
       "    win = [x[:, :, ky:ky + s * (P - 1) + 1:s, kx:kx + s * (Q - 1) + 1:s] for ky in range(p) for kx in range(p)]\n"
       "    return np.max(win, axis=0) if mode == 'max' else np.mean(win, axis=0)\n\n";
  o += "layers = []  # (kind, params...)\n";
  for (size_t i = 0; i < ls.size(); ++i) {
    const XLayer& x = ls[i];
    const LayerSpec& l = x.spec;
    std::string li = "# layer " + std::to_string(i + 1) + ": ";
    switch (l.type) {
      case LayerType::Dense: {
        int I = x.in[0] * x.in[1] * x.in[2];
        o += li + "dense " + std::to_string(I) + " -> " + std::to_string(l.units) + ", W (out, in)\n";
        o += "W = np.array([\n    " + literals(params.data() + x.w_off, x.nw, "    ") + "], dtype=np.float32).reshape(" +
             std::to_string(l.units) + ", " + std::to_string(I) + ")\n";
        o += "b = np.array([" + literals(params.data() + x.b_off, x.nb, "    ") + "], dtype=np.float32)\n";
        o += "layers.append(('dense', W, b, '" + std::string(name(l.act)) + "', " + format_float(l.leak) + "))\n";
        break;
      }
      case LayerType::Conv:
        o += li + "conv (" + dims(x.in, 3) + ") -> (" + dims(x.out, 3) + "), w (F, C, k, k)\n";
        o += "w = np.array([\n    " + literals(params.data() + x.w_off, x.nw, "    ") + "], dtype=np.float32).reshape(" +
             std::to_string(l.filters) + ", " + std::to_string(x.in[0]) + ", " + std::to_string(l.kernel) + ", " +
             std::to_string(l.kernel) + ")\n";
        o += "b = np.array([" + literals(params.data() + x.b_off, x.nb, "    ") + "], dtype=np.float32)\n";
        o += "layers.append(('conv', w, b, " + std::to_string(l.stride) + ", " + std::to_string(l.pad) + ", '" +
             name(l.act) + "', " + format_float(l.leak) + "))\n";
        break;
      case LayerType::MaxPool: case LayerType::AvgPool:
        o += li + (l.type == LayerType::MaxPool ? "max" : "avg") + " pool (" + dims(x.in, 3) + ") -> (" + dims(x.out, 3) + ")\n";
        o += "layers.append(('pool', " + std::to_string(l.pool) + ", " + std::to_string(l.pool_stride) + ", '" +
             (l.type == LayerType::MaxPool ? "max" : "avg") + "'))\n";
        break;
      case LayerType::Flatten:
        o += li + "flatten\nlayers.append(('flatten',))\n";
        break;
    }
  }
  o += "\nINPUT_SHAPE = (" + dims(ls.empty() ? nullptr : ls[0].in, ls.empty() ? 0 : 3) + ")  # (C, H, W) of one example\n\n";
  o += "def forward(x):  # x (N, input_size) float32 -> outputs (N, O), computed in float64\n"
       "    x = np.asarray(x, dtype=np.float64).reshape((x.shape[0],) + INPUT_SHAPE)\n"
       "    for L in layers:\n"
       "        if L[0] == 'dense':\n"
       "            x = x.reshape(x.shape[0], -1)\n"
       "            x = act(x @ L[1].astype(np.float64).T + L[2], L[3], L[4])\n"
       "        elif L[0] == 'conv':\n"
       "            x = act(conv2d(x, L[1].astype(np.float64), L[2].astype(np.float64), L[3], L[4]), L[5], L[6])\n"
       "        elif L[0] == 'pool':\n"
       "            x = pool2d(x, L[1], L[2], L[3])\n"
       "        else:\n"
       "            x = x.reshape(x.shape[0], -1, 1, 1)\n"
       "    return x.reshape(x.shape[0], -1)\n\n";
  o += probe_block(probe, ls.empty() ? 0 : ls.back().out[0], false);
  o += "\nout = forward(inputs)\n"
       "for row in out:\n"
       "    print(' '.join('%.9g' % v for v in row))\n"
       "if expected is not None:\n"
       "    print('max |numpy - nnplay| = %.3g' % np.abs(out - expected).max(), file=sys.stderr)\n";
  return o;
}

std::string export_pytorch(const Session& s, const ExportProbe& probe) {
  std::vector<XLayer> ls;
  std::string e = plan(s, &ls);
  if (!e.empty()) return "# " + e + "\nraise SystemExit(1)\n";
  std::vector<float> params(s.parameter_count());
  if (!params.empty()) s.parameters(params.data());
  std::string o;
  o += "# nnplay export (PyTorch): the network" + summary(ls) + "\n";
  o += "# at step " + std::to_string(s.step_count()) + ", parameters_hash " + s.parameters_hash() +
       ". Weights are exact float32 literals.\n";
  o += features_line(s);
  o += "# Builds an nn.Sequential with these weights and prints its outputs for the inputs below.\n";
  o += "import sys\nimport torch\nfrom torch import nn\n\n";
  o += "class Step(nn.Module):  # McCulloch-Pitts threshold: 1 if z > 0 else 0\n"
       "    def forward(self, z):\n"
       "        return (z > 0).to(z.dtype)\n\n"
       "def activation(name, leak):\n"
       "    return {'linear': nn.Identity(), 'sigmoid': nn.Sigmoid(), 'tanh': nn.Tanh(), 'relu': nn.ReLU(),\n"
       "            'leakyrelu': nn.LeakyReLU(leak), 'step': Step(), 'softmax': nn.Softmax(dim=1)}[name]\n\n"
       "def t(values, *shape):\n"
       "    return torch.tensor(values, dtype=torch.float32).reshape(*shape)\n\n";
  o += "INPUT_SHAPE = (" + dims(ls.empty() ? nullptr : ls[0].in, ls.empty() ? 0 : 3) + ")  # (C, H, W) of one example\n";
  o += "modules = [nn.Unflatten(1, INPUT_SHAPE)]\n";
  bool flat = false;  // is the running tensor (N, features)?
  for (size_t i = 0; i < ls.size(); ++i) {
    const XLayer& x = ls[i];
    const LayerSpec& l = x.spec;
    std::string li = "# layer " + std::to_string(i + 1) + ": ";
    switch (l.type) {
      case LayerType::Dense: {
        int I = x.in[0] * x.in[1] * x.in[2];
        if (!flat) o += "modules.append(nn.Flatten())\n";
        flat = true;
        o += li + "dense " + std::to_string(I) + " -> " + std::to_string(l.units) + "\n";
        o += "m = nn.Linear(" + std::to_string(I) + ", " + std::to_string(l.units) + ")\n";
        o += "with torch.no_grad():\n";
        o += "    m.weight.copy_(t([\n        " + literals(params.data() + x.w_off, x.nw, "        ") + "], " +
             std::to_string(l.units) + ", " + std::to_string(I) + "))\n";
        o += "    m.bias.copy_(t([" + literals(params.data() + x.b_off, x.nb, "        ") + "], " + std::to_string(l.units) + "))\n";
        o += "modules += [m, activation('" + std::string(name(l.act)) + "', " + format_float(l.leak) + ")]\n";
        break;
      }
      case LayerType::Conv:
        if (flat) o += "modules.append(nn.Unflatten(1, (" + dims(x.in, 3) + ")))\n";
        flat = false;
        o += li + "conv (" + dims(x.in, 3) + ") -> (" + dims(x.out, 3) + ")\n";
        o += "m = nn.Conv2d(" + std::to_string(x.in[0]) + ", " + std::to_string(l.filters) + ", " + std::to_string(l.kernel) +
             ", stride=" + std::to_string(l.stride) + ", padding=" + std::to_string(l.pad) + ")\n";
        o += "with torch.no_grad():\n";
        o += "    m.weight.copy_(t([\n        " + literals(params.data() + x.w_off, x.nw, "        ") + "], " +
             std::to_string(l.filters) + ", " + std::to_string(x.in[0]) + ", " + std::to_string(l.kernel) + ", " +
             std::to_string(l.kernel) + "))\n";
        o += "    m.bias.copy_(t([" + literals(params.data() + x.b_off, x.nb, "        ") + "], " + std::to_string(l.filters) + "))\n";
        o += "modules += [m, activation('" + std::string(name(l.act)) + "', " + format_float(l.leak) + ")]\n";
        break;
      case LayerType::MaxPool: case LayerType::AvgPool:
        if (flat) o += "modules.append(nn.Unflatten(1, (" + dims(x.in, 3) + ")))\n";
        flat = false;
        o += li + (l.type == LayerType::MaxPool ? "max" : "avg") + " pool\n";
        o += std::string("modules.append(nn.") + (l.type == LayerType::MaxPool ? "MaxPool2d" : "AvgPool2d") + "(" +
             std::to_string(l.pool) + ", stride=" + std::to_string(l.pool_stride) + "))\n";
        break;
      case LayerType::Flatten:
        o += li + "flatten\n";
        if (!flat) o += "modules.append(nn.Flatten())\n";
        flat = true;
        break;
    }
  }
  if (!flat) o += "modules.append(nn.Flatten())\n";
  o += "model = nn.Sequential(*modules).eval()\n\n";
  o += probe_block(probe, ls.empty() ? 0 : ls.back().out[0], true);
  o += "\nwith torch.no_grad():\n"
       "    out = model(inputs)\n"
       "for row in out.tolist():\n"
       "    print(' '.join('%.9g' % v for v in row))\n"
       "if expected is not None:\n"
       "    print('max |torch - nnplay| = %.3g' % (out - expected).abs().max().item(), file=sys.stderr)\n";
  return o;
}

}  // namespace nnplay
