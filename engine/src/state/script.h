// Internal to engine/src/state: what the Python script writers (export.cpp: model scripts,
// export_train.cpp: training scripts) share: the layer plan as the scripts see it, the one
// preamble writer, exact float text and the packed data blocks. Not a public header.
#pragma once
#include <cstddef>
#include <string>
#include <vector>
#include "nnplay/session.h"

namespace nnplay::state {

// One layer of the exported network, with its shapes and its slice of parameters().
struct XLayer {
  LayerSpec spec;
  int in[3] = {0, 0, 0}, out[3] = {0, 0, 0};           // per-example (C,H,W) -> (C,P,Q)
  size_t w_off = 0, nw = 0, b_off = 0, nb = 0;
};

// Walks the config the way the engine plans it (net.h): dense reads its input flattened.
// "" or why the script writers cannot express the network (e.g. a layer type they do not know).
std::string plan_script(const Session& s, std::vector<XLayer>* out);

std::string literals(const float* p, size_t n, const char* indent);  // exact float32 literals, 8 a line
std::string dims(const int* d, int n);                 // "1, 28, 28"
std::string summary(const std::vector<XLayer>& ls);    // " conv4k5s1p0.relu maxpool2s2 ..." (link tokens)
std::string py_exact(double v);                        // a Python float literal that reads back to exactly v
std::string py_str(const std::string& s);              // a single-quoted Python string literal

// The opening lines every script shares: "# nnplay <title>: the network ...", its step and hash,
// its inputs, then `purpose` (comment lines, each starting with "# "), then `imports`.
std::string preamble(const Session& s, const std::vector<XLayer>& ls, const std::string& title,
                     const std::string& purpose, const std::string& imports);

// A float32 array as a Python expression the training scripts decode (their unpack() helper):
// unpack((shape), 'palette', '''values''', '''indices''') when it holds at most 256 distinct values
// (class labels, IDX pixels), else unpack((shape), 'sparse', '''nonzero mask''', '''values''')
// (images are half zeros). Blocks are base64url of little-endian bytes, wrapped at 100 columns.
// Exact: the script gets the same float32 bits.
std::string packed_floats(const float* p, size_t n, const std::string& shape);

}  // namespace nnplay::state
