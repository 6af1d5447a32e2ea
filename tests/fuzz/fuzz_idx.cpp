// libFuzzer target for the MNIST IDX parser (engine/src/images/idx.cpp): any bytes, as images,
// as labels, and split in two as an images+labels pair. Traps if a success breaks an invariant.
// Build: clang++-14 -g -O1 -fsanitize=fuzzer,address,undefined -Iengine/include -Iengine \
//          tests/fuzz/fuzz_idx.cpp engine/src/images/idx.cpp -o /tmp/fuzz_idx
// Run:   /tmp/fuzz_idx -max_total_time=30 /tmp/new-corpus tests/fuzz/corpus/idx   (seeds: make_idx_corpus.py;
//        libFuzzer writes new inputs into the FIRST directory, so keep the committed seeds second)
// fuzz-sources: engine/src/images/idx.cpp
#include <cstddef>
#include <cstdint>
#include "nnplay/idx.h"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

void check_images(const uint8_t* d, size_t n, const nnplay::IdxImages& im, const std::string& e) {
  if (!e.empty()) {
    check(im.count == 0 && im.pixels.empty());
    return;
  }
  check(im.count >= 1 && im.count <= nnplay::kIdxMaxCount);
  check(im.rows >= 1 && im.rows <= nnplay::kIdxMaxSide && im.cols >= 1 && im.cols <= nnplay::kIdxMaxSide);
  check(im.pixels.size() == (size_t)im.count * im.rows * im.cols && n == 16 + im.pixels.size());
  for (size_t i = 0; i < im.pixels.size(); ++i) check(im.pixels[i] == (float)d[16 + i] / 255.0f);
}

void check_labels(size_t n, const nnplay::IdxLabels& lb, const std::string& e) {
  if (!e.empty()) {
    check(lb.count == 0 && lb.labels.empty());
    return;
  }
  check(lb.count >= 1 && lb.count <= nnplay::kIdxMaxCount && lb.labels.size() == (size_t)lb.count);
  check(n == 8 + (size_t)lb.count);
  for (float v : lb.labels) check(v >= 0.0f && v <= 9.0f);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nnplay::IdxImages im;
  nnplay::IdxLabels lb;
  std::string e = nnplay::parse_idx_images(data, size, &im);
  check_images(data, size, im, e);
  e = nnplay::parse_idx_labels(data, size, &lb);
  check_labels(size, lb, e);
  // As a pair: the first byte says where the images file ends and the labels file begins.
  if (size >= 1) {
    size_t cut = 1 + (size - 1) * data[0] / 255;
    std::string ei = nnplay::parse_idx_images(data + 1, cut - 1, &im);
    check_images(data + 1, cut - 1, im, ei);
    std::string el = nnplay::parse_idx_labels(data + cut, size - cut, &lb);
    check_labels(size - cut, lb, el);
    if (ei.empty() && el.empty()) check(nnplay::check_idx_pair(im, lb).empty() == (im.count == lb.count));
  }
  return 0;
}
