// What the Python script writers share (script.h): the layer plan, the preamble, exact float text
// and packed data blocks. Not a script writer itself.
#include "src/state/script.h"
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>

#include "nnplay/dataset.h"
#include "src/state/text.h"

namespace nnplay::state {

std::string plan_script(const Session& s, std::vector<XLayer>* out) {
  const Dataset& d = s.data();
  int sh[3] = {d.input_shape[0], d.input_shape[1], d.input_shape[2]};
  if (sh[0] <= 0) { sh[0] = d.input_size; sh[1] = 1; sh[2] = 1; }
  if (sh[1] <= 0) sh[1] = 1;
  if (sh[2] <= 0) sh[2] = 1;
  size_t at = 0;
  const std::vector<LayerSpec>& layers = s.config().layers;
  for (size_t i = 0; i < layers.size(); ++i) {
    const LayerSpec& l = layers[i];
    XLayer x;
    x.spec = l;
    for (int k = 0; k < 3; ++k) x.in[k] = sh[k];
    const int C = sh[0], H = sh[1], W = sh[2];
    if ((l.type == LayerType::Dense || l.type == LayerType::Conv) &&
        (l.act == Activation::Elu || l.act == Activation::Gelu || l.act == Activation::Silu))
      return "layer " + std::to_string(i + 1) + " (" + name(l.type) + ") uses the " + name(l.act) +
             " activation, which the script writers cannot express yet";
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
      default:                                         // a layer type added after these writers
        return "layer " + std::to_string(i + 1) + " (" + name(l.type) +
               ") cannot be written as a Python script yet: the script writers know dense, conv, maxpool, avgpool and flatten";
    }
    x.w_off = at; at += x.nw; x.b_off = at; at += x.nb;
    for (int k = 0; k < 3; ++k) sh[k] = x.out[k];
    out->push_back(x);
  }
  if (at != s.parameter_count())
    return "the layer plan has " + std::to_string(at) + " parameters, the session " + std::to_string(s.parameter_count());
  return "";
}

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
      default: o += std::string(" ") + name(x.spec.type); break;
    }
  }
  return o;
}

std::string py_exact(double v) {
  // 17 significant digits read back to the same double (and a float32 widened to double is one).
  char b[40];
  std::snprintf(b, sizeof b, "%.17g", v);
  std::string s = b;
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}

std::string py_str(const std::string& s) {
  std::string o = "'";
  for (char c : s) {
    if (c == '\\' || c == '\'') o += '\\';
    if ((unsigned char)c < 32) { char b[8]; std::snprintf(b, sizeof b, "\\x%02x", (unsigned char)c); o += b; continue; }
    o += c;
  }
  return o + "'";
}

std::string preamble(const Session& s, const std::vector<XLayer>& ls, const std::string& title,
                     const std::string& purpose, const std::string& imports) {
  std::string o = "# nnplay " + title + ": the network" + summary(ls) + "\n";
  o += "# on the data set '" + std::string(name(s.config().data.set)) + "' at step " + std::to_string(s.step_count()) +
       ", parameters_hash " + s.parameters_hash() + ".\n";
  if (is_image(s.config().data.set) || s.data().input_shape[1] * s.data().input_shape[2] > 1) {
    o += "# Inputs: images (C, H, W) flattened row-major, as the engine reads them.\n";
  } else {
    o += "# Inputs: the enabled features of a point (x1, x2), in this order:";
    for (int f = 0; f < (int)Feature::Count; ++f)
      if (s.config().data.features >> f & 1) o += std::string(" ") + name((Feature)f);
    o += "\n";
  }
  return o + purpose + imports + "\n";
}

namespace {

void put_f32(std::vector<uint8_t>* b, float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  for (int i = 0; i < 4; ++i) b->push_back((uint8_t)(u >> (8 * i)));
}

// base64url (no padding) of b, a newline before every 100 characters, between triple quotes.
// Written straight into the result: the data of an image set is tens of MB.
std::string block(const std::vector<uint8_t>& b) {
  static const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const size_t chars = (b.size() * 4 + 2) / 3;
  std::string o(3 + chars + (chars + 99) / 100 + 3, '\'');
  size_t at = 3, col = 0;
  auto put = [&](uint32_t v) {
    if (col++ % 100 == 0) o[at++] = '\n';
    o[at++] = kB64[v & 63];
  };
  size_t i = 0;
  for (; i + 3 <= b.size(); i += 3) {
    const uint32_t v = (uint32_t)b[i] << 16 | (uint32_t)b[i + 1] << 8 | b[i + 2];
    put(v >> 18); put(v >> 12); put(v >> 6); put(v);
  }
  if (b.size() - i == 1) {
    const uint32_t v = (uint32_t)b[i] << 16;
    put(v >> 18); put(v >> 12);
  } else if (b.size() - i == 2) {
    const uint32_t v = (uint32_t)b[i] << 16 | (uint32_t)b[i + 1] << 8;
    put(v >> 18); put(v >> 12); put(v >> 6);
  }
  return o;                                            // the closing quotes were there from the start
}

}  // namespace

std::string packed_floats(const float* p, size_t n, const std::string& shape) {
  std::map<uint32_t, uint8_t> palette;                 // float bits -> index, when at most 256
  for (size_t i = 0; i < n && palette.size() <= 256; ++i) {
    uint32_t u;
    std::memcpy(&u, &p[i], 4);
    palette.emplace(u, 0);
  }
  std::vector<uint8_t> a, b;
  if (palette.size() <= 256) {
    int k = 0;
    for (auto& [u, idx] : palette) {
      idx = (uint8_t)k++;
      float f;
      std::memcpy(&f, &u, 4);
      put_f32(&a, f);
    }
    b.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      uint32_t u;
      std::memcpy(&u, &p[i], 4);
      b.push_back(palette[u]);
    }
    return "unpack((" + shape + "), 'palette', " + block(a) + ", " + block(b) + ")";
  }
  // sparse: one bit per value (1 = nonzero bits, most significant bit first), then the nonzero values
  a.assign((n + 7) / 8, 0);
  size_t nonzero = 0;
  for (size_t i = 0; i < n; ++i) {
    uint32_t u;
    std::memcpy(&u, &p[i], 4);
    nonzero += u != 0;
  }
  b.resize(4 * nonzero);
  size_t nb = 0;
  for (size_t i = 0; i < n; ++i) {
    uint32_t u;
    std::memcpy(&u, &p[i], 4);
    if (u == 0) continue;
    a[i / 8] |= (uint8_t)(0x80 >> (i % 8));
    for (int k = 0; k < 4; ++k) b[nb++] = (uint8_t)(u >> (8 * k));
  }
  return "unpack((" + shape + "), 'sparse', " + block(a) + ", " + block(b) + ")";
}

}  // namespace nnplay::state
