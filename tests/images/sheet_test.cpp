// Writes contact sheets of the generated image sets to build/screenshots/ (PNG, for looking at
// them) and checks the tiny PNG encoder used for that. Not the generators' own tests.
#include <gtest/gtest.h>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>
#include "src/images/images.h"
#include "test_util.h"

namespace {

using nnplay::testing_images::crc32;

void put32(std::vector<uint8_t>& v, uint32_t x) {
  for (int s = 24; s >= 0; s -= 8) v.push_back((uint8_t)(x >> s));
}

void chunk(std::vector<uint8_t>& png, const char* type, const std::vector<uint8_t>& data) {
  put32(png, (uint32_t)data.size());
  size_t at = png.size();
  png.insert(png.end(), type, type + 4);
  png.insert(png.end(), data.begin(), data.end());
  put32(png, crc32(png.data() + at, png.size() - at) ^ 0xFFFFFFFFu);
}

// An 8-bit grey PNG with stored (uncompressed) deflate blocks: no zlib needed.
std::vector<uint8_t> encode_png_grey(int w, int h, const std::vector<uint8_t>& grey) {
  std::vector<uint8_t> raw;
  for (int y = 0; y < h; ++y) {
    raw.push_back(0);                                  // filter: none
    raw.insert(raw.end(), grey.begin() + (size_t)y * w, grey.begin() + (size_t)(y + 1) * w);
  }
  std::vector<uint8_t> z = {0x78, 0x01};
  nnplay::testing_images::append_stored_deflate(raw, &z);
  uint32_t a = 1, b = 0;
  for (uint8_t c : raw) { a = (a + c) % 65521; b = (b + a) % 65521; }
  put32(z, b << 16 | a);
  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  std::vector<uint8_t> ihdr;
  put32(ihdr, (uint32_t)w); put32(ihdr, (uint32_t)h);
  ihdr.insert(ihdr.end(), {8, 0, 0, 0, 0});            // 8-bit greyscale, no interlace
  chunk(png, "IHDR", ihdr);
  chunk(png, "IDAT", z);
  chunk(png, "IEND", {});
  return png;
}

// Tiles `count` 28x28 images `cols` per row, scaled up `zoom` times, with a 2-pixel grey gutter.
std::vector<uint8_t> tile(const float* images, int count, int cols, int zoom, int* w, int* h) {
  int rows = (count + cols - 1) / cols, cell = 28 * zoom + 2;
  *w = cols * cell + 2;
  *h = rows * cell + 2;
  std::vector<uint8_t> g((size_t)*w * *h, 96);
  for (int i = 0; i < count; ++i) {
    int ox = 2 + (i % cols) * cell, oy = 2 + (i / cols) * cell;
    for (int y = 0; y < 28 * zoom; ++y)
      for (int x = 0; x < 28 * zoom; ++x)
        g[(size_t)(oy + y) * *w + ox + x] = (uint8_t)(images[(size_t)i * 784 + (y / zoom) * 28 + x / zoom] * 255.0f + 0.5f);
  }
  return g;
}

bool write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  return std::fclose(f) == 0 && ok;
}

}  // namespace

TEST(ImagesSheet, PngEncoderMatchesKnownCrcAndLayout) {
  const char* s = "IEND";
  EXPECT_EQ(crc32((const uint8_t*)s, 4) ^ 0xFFFFFFFFu, 0xAE426082u);  // every PNG ends with this CRC
  std::vector<uint8_t> png = encode_png_grey(3, 2, {0, 128, 255, 1, 2, 3});
  ASSERT_EQ(png.size(), 8u + 25u + (12u + 2u + 5u + 2u * 4u + 4u) + 12u);
  EXPECT_EQ(png[12], 'I');
  EXPECT_EQ(png[16 + 3], 3);                            // width
  EXPECT_EQ(png[20 + 3], 2);                            // height
}

// Writes build/screenshots/images_digits.png (100 digits, one class per column) and
// images_shapes.png (42 shapes, one class per column), the same bytes from the native and the
// wasm run. Look at them: the digits must read as handwritten 0-9.
TEST(ImagesSheet, WritesContactSheets) {
  std::filesystem::create_directories("build/screenshots");
  std::vector<float> digits(100 * 784), dl(100), shapes(42 * 784), sl(42);
  nnplay::make_digit_images(100, 1, digits.data(), dl.data());
  nnplay::make_shape_images(42, 1, shapes.data(), sl.data());
  int w, h;
  std::vector<uint8_t> g = tile(digits.data(), 100, 10, 3, &w, &h);
  ASSERT_TRUE(write_file("build/screenshots/images_digits.png", encode_png_grey(w, h, g)));
  g = tile(shapes.data(), 42, 7, 3, &w, &h);
  ASSERT_TRUE(write_file("build/screenshots/images_shapes.png", encode_png_grey(w, h, g)));
  EXPECT_GT(std::filesystem::file_size("build/screenshots/images_digits.png"), 100u * 784u);
}
