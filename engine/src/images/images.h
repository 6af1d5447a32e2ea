// nnplay internal header (not public API): the image data sets, i.e. generated digits and shapes
// (28x28 grey, seeded, bit-identical natively and in wasm). The IDX parser is public: nnplay/idx.h.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>
#include "nnplay/idx.h"                             // the MNIST IDX parser (public: the page loads users' files)

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

}  // namespace nnplay
