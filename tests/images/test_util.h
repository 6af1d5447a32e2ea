// Helpers shared by the image tests: a generated set held in memory and the byte hash of its golden
// values (digits_test.cpp, shapes_test.cpp); deflate's stored blocks and CRC-32, enough to write a
// gzip file (idx_test.cpp) or a PNG (sheet_test.cpp) without zlib. Test-only.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>
#include "src/images/images.h"

namespace nnplay::testing_images {

// FNV-1a 64 over the bytes of the floats: the same bits give the same hash on every target.
inline uint64_t fnv1a(const float* p, size_t n) {
  const unsigned char* b = (const unsigned char*)p;
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < n * sizeof(float); ++i) h = (h ^ b[i]) * 0x100000001b3ull;
  return h;
}

// n images of a generator (make_digit_images, make_shape_images) from `seed`.
template <void (*Make)(int, uint64_t, float*, float*)>
struct ImageSet {
  std::vector<float> x, y;
  ImageSet(int n, uint64_t seed) : x((size_t)n * kImagePixels), y(n) { Make(n, seed, x.data(), y.data()); }
  const float* img(int i) const { return x.data() + (size_t)i * kImagePixels; }
};

// CRC-32 (IEEE, as gzip and PNG use it) of p[0..n), continuing from c (start: 0xFFFFFFFF; finish: ^ 0xFFFFFFFF).
inline uint32_t crc32(const uint8_t* p, size_t n, uint32_t c = 0xFFFFFFFFu) {
  for (size_t i = 0; i < n; ++i) {
    c ^= p[i];
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return c;
}

// Appends `raw` as stored (uncompressed) deflate blocks of at most 65535 bytes; one empty block for no bytes.
inline void append_stored_deflate(const std::vector<uint8_t>& raw, std::vector<uint8_t>* out) {
  size_t at = 0;
  do {
    const size_t len = std::min<size_t>(65535, raw.size() - at);
    out->push_back(at + len == raw.size() ? 1 : 0);    // BFINAL on the last block
    out->push_back((uint8_t)len); out->push_back((uint8_t)(len >> 8));
    out->push_back((uint8_t)~len); out->push_back((uint8_t)(~len >> 8));
    out->insert(out->end(), raw.begin() + at, raw.begin() + at + len);
    at += len;
  } while (at < raw.size());
}

}  // namespace nnplay::testing_images
