// nnplay internal header (not public API): the image data sets, i.e. generated digits and shapes
// (28x28 grey, seeded, bit-identical natively and in wasm) and the MNIST IDX parser. No UI here.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nnplay {

inline constexpr int kImageSide = 28;                  // generated images are (1, 28, 28)
inline constexpr int kImagePixels = kImageSide * kImageSide;
inline constexpr int kDigitClasses = 10;               // labels 0..9
inline constexpr int kShapeClasses = 7;                // labels 0..6, see shape_name()

// Generated sets. images is (count, 28, 28) row-major, grey in [0, 1] (0 = background);
// labels has count floats. Image i has label i % classes, so classes are balanced in every
// prefix and any contiguous split; image i depends only on (seed, i), never on count.
void make_digit_images(int count, uint64_t seed, float* images, float* labels);
void make_shape_images(int count, uint64_t seed, float* images, float* labels);
const char* shape_name(int label);                     // "circle", "square", ...; "?" if out of range
// Extra pixel noise for the data panel's noise slider: adds zero-mean noise of std dev sigma
// (0..1; e.g. sigma = noise% / 100) to `floats` values, clamped to [0, 1]. Seeded like the rest.
void add_image_noise(float* images, size_t floats, uint64_t seed, float sigma);

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
