// The model scripts (NumPy and PyTorch) that rebuild a session's network (dense, conv, pool,
// flatten) with its exact weights and print, and check, the outputs for probe inputs. Not the
// training scripts (export_train.cpp), not a general model converter.
#include <string>
#include <vector>

#include "nnplay/state.h"
#include "src/state/script.h"
#include "src/state/text.h"

namespace nnplay {
using namespace state;

namespace {

constexpr const char* kPurpose =
    "# Weights are exact float32 literals. Prints the network's outputs for the inputs below, one line\n"
    "# per input; with nnplay's own outputs (expected), exits 1 when they differ by more than\n"
    "# 1e-5 * max(1, |nnplay's output|), printing the difference.\n";

// The end of both model scripts: out and expected are float64 NumPy arrays (expected may be None).
constexpr const char* kCompare =
    "if expected is not None:\n"
    "    import numpy\n"
    "    diff = numpy.abs(out - expected) / numpy.maximum(1.0, numpy.abs(expected))\n"
    "    worst = float(diff.max()) if diff.size else 0.0\n"
    "    print('max |this - nnplay| / max(1, |nnplay|) = %.3g (tolerance 1e-05)' % worst, file=sys.stderr)\n"
    "    if not worst <= 1e-5:\n"
    "        i = numpy.unravel_index(numpy.nanargmax(numpy.where(numpy.isnan(diff), numpy.inf, diff)), diff.shape)\n"
    "        print('MISMATCH: input %d output %d is %.9g here, %.9g in nnplay' % (i[0], i[1], out[i], expected[i]),\n"
    "              file=sys.stderr)\n"
    "        sys.exit(1)\n";

// A script that says why it cannot be written (script_support() tells the caller beforehand).
std::string unsupported(const std::string& why) {
  return "# nnplay export: " + why + "\nraise SystemExit('nnplay export: ' + " + py_str(why) + ")\n";
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

std::string script_support(const Session& s) {
  std::vector<XLayer> ls;
  return plan_script(s, &ls);
}

std::string export_numpy(const Session& s) { return export_numpy(s, default_probe(s)); }
std::string export_pytorch(const Session& s) { return export_pytorch(s, default_probe(s)); }

std::string export_numpy(const Session& s, const ExportProbe& probe) {
  std::vector<XLayer> ls;
  std::string e = plan_script(s, &ls);
  if (!e.empty()) return unsupported(e);
  std::vector<float> params(s.parameter_count());
  if (!params.empty()) s.parameters(params.data());
  std::string o = preamble(s, ls, "export (NumPy)", kPurpose, "import sys\nimport numpy as np\n");
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
      case LayerType::BatchNorm: case LayerType::Dropout: break;  // refused by plan_script()
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
       "    print(' '.join('%.9g' % v for v in row))\n";
  o += kCompare;
  return o;
}

std::string export_pytorch(const Session& s, const ExportProbe& probe) {
  std::vector<XLayer> ls;
  std::string e = plan_script(s, &ls);
  if (!e.empty()) return unsupported(e);
  std::vector<float> params(s.parameter_count());
  if (!params.empty()) s.parameters(params.data());
  std::string o = preamble(s, ls, "export (PyTorch)", std::string(kPurpose) + "# The model is a torch.nn.Sequential.\n",
                           "import sys\nimport torch\nfrom torch import nn\n");
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
      case LayerType::BatchNorm: case LayerType::Dropout: break;  // refused by plan_script()
    }
  }
  if (!flat) o += "modules.append(nn.Flatten())\n";
  o += "model = nn.Sequential(*modules).eval()\n\n";
  o += probe_block(probe, ls.empty() ? 0 : ls.back().out[0], true);
  o += "\nwith torch.no_grad():\n"
       "    out = model(inputs)\n"
       "for row in out.tolist():\n"
       "    print(' '.join('%.9g' % v for v in row))\n"
       "out, expected = out.double().numpy(), None if expected is None else expected.double().numpy()\n";
  o += kCompare;
  return o;
}

}  // namespace nnplay
