// nnplay public header: the MNIST IDX file parser (images and labels, unsigned bytes), used by the
// page for the user's own image data. Plain bytes only: the page decompresses gzip itself.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nnplay {

// MNIST IDX files (unsigned-byte data only; big-endian header).
inline constexpr uint32_t kIdxImagesMagic = 0x00000803;
inline constexpr uint32_t kIdxLabelsMagic = 0x00000801;
inline constexpr int kIdxMaxCount = 100000;            // images or labels per file
inline constexpr int kIdxMaxSide = 64;                 // rows and cols each 1..64
inline constexpr long kIdxMaxPixels = 100000L * 28 * 28;  // count*rows*cols: 313 MB of floats at most

struct IdxImages {
  int count = 0, rows = 0, cols = 0;
  std::vector<float> pixels;                           // (count, rows, cols), byte / 255 in [0, 1]
};
struct IdxLabels {
  int count = 0;
  std::vector<float> labels;                           // count class indices 0..9
};

// Each returns "" on success, else a message naming what is wrong (expected vs found); on error
// *out is left empty. Safe on any bytes (fuzzed). gzip input is refused: decompress it first.
std::string parse_idx_images(const uint8_t* data, size_t n, IdxImages* out);
std::string parse_idx_labels(const uint8_t* data, size_t n, IdxLabels* out);
std::string check_idx_pair(const IdxImages& images, const IdxLabels& labels);  // counts must match

}  // namespace nnplay
