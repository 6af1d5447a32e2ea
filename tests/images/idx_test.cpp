// Tests of the MNIST IDX parser on files built here: good images and labels, gzip (a real gzip
// stream), truncated, too long, wrong magic, wrong type, absurd sizes, bad labels, mismatched
// counts, and a quick in-test fuzz (the libFuzzer target is tests/fuzz/fuzz_idx.cpp).
#include <gtest/gtest.h>
#include <string>
#include <vector>
#include "src/images/draw.h"
#include "nnplay/idx.h"
#include "test_util.h"

namespace {

using Bytes = std::vector<uint8_t>;

void put32(Bytes& b, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back((uint8_t)(v >> s));
}

Bytes idx_images(uint32_t count, uint32_t rows, uint32_t cols, size_t payload_bytes) {
  Bytes b;
  put32(b, 0x00000803);
  put32(b, count); put32(b, rows); put32(b, cols);
  for (size_t i = 0; i < payload_bytes; ++i) b.push_back((uint8_t)(i * 37 + 11));
  return b;
}
Bytes idx_images(uint32_t count, uint32_t rows, uint32_t cols) { return idx_images(count, rows, cols, (size_t)count * rows * cols); }

Bytes idx_labels(const std::vector<uint8_t>& labels) {
  Bytes b;
  put32(b, 0x00000801);
  put32(b, (uint32_t)labels.size());
  b.insert(b.end(), labels.begin(), labels.end());
  return b;
}

// A real gzip member (RFC 1952) holding `raw` in stored deflate blocks, as `gzip` would write
// if it did not compress: what a user's train-images-idx3-ubyte.gz looks like at its start.
Bytes gzip_stored(const Bytes& raw) {
  Bytes g = {0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03};
  nnplay::testing_images::append_stored_deflate(raw, &g);
  const uint32_t c = nnplay::testing_images::crc32(raw.data(), raw.size()) ^ 0xFFFFFFFFu;
  for (int s = 0; s < 32; s += 8) g.push_back((uint8_t)(c >> s));  // CRC32 and ISIZE, little-endian
  for (int s = 0; s < 32; s += 8) g.push_back((uint8_t)(raw.size() >> s));
  return g;
}

std::string images_error(const Bytes& b) {
  nnplay::IdxImages out;
  std::string e = nnplay::parse_idx_images(b.data(), b.size(), &out);
  if (!e.empty()) {
    EXPECT_EQ(out.count, 0);
    EXPECT_TRUE(out.pixels.empty());
  }
  return e;
}
std::string labels_error(const Bytes& b) {
  nnplay::IdxLabels out;
  std::string e = nnplay::parse_idx_labels(b.data(), b.size(), &out);
  if (!e.empty()) {
    EXPECT_EQ(out.count, 0);
    EXPECT_TRUE(out.labels.empty());
  }
  return e;
}

#define EXPECT_HAS(msg, part) EXPECT_NE((msg).find(part), std::string::npos) << "message: " << (msg)

}  // namespace

TEST(IdxParse, GoodImagesAndLabels) {
  Bytes im;
  put32(im, 0x00000803);
  put32(im, 3); put32(im, 28); put32(im, 28);
  for (int i = 0; i < 3 * 784; ++i) im.push_back(i == 0 ? 0 : i == 1 ? 255 : i == 2 ? 51 : (uint8_t)i);
  nnplay::IdxImages images;
  ASSERT_EQ(nnplay::parse_idx_images(im.data(), im.size(), &images), "");
  EXPECT_EQ(images.count, 3);
  EXPECT_EQ(images.rows, 28);
  EXPECT_EQ(images.cols, 28);
  ASSERT_EQ(images.pixels.size(), 3u * 784u);
  EXPECT_EQ(images.pixels[0], 0.0f);
  EXPECT_EQ(images.pixels[1], 1.0f);
  EXPECT_FLOAT_EQ(images.pixels[2], 0.2f);
  EXPECT_EQ(images.pixels[784 * 2 + 5], (float)(uint8_t)(784 * 2 + 5) / 255.0f);

  Bytes lb = idx_labels({7, 0, 9});
  nnplay::IdxLabels labels;
  ASSERT_EQ(nnplay::parse_idx_labels(lb.data(), lb.size(), &labels), "");
  EXPECT_EQ(labels.count, 3);
  EXPECT_EQ(labels.labels, (std::vector<float>{7, 0, 9}));
  EXPECT_EQ(nnplay::check_idx_pair(images, labels), "");
}

TEST(IdxParse, OtherImageSizesUpTo64) {
  nnplay::IdxImages out;
  Bytes b = idx_images(2, 64, 5);
  ASSERT_EQ(nnplay::parse_idx_images(b.data(), b.size(), &out), "");
  EXPECT_EQ(out.rows, 64);
  EXPECT_EQ(out.cols, 5);
  EXPECT_EQ(out.pixels.size(), 2u * 64u * 5u);
  EXPECT_HAS(images_error(idx_images(2, 65, 5)), "unsupported image size 65x5");
  EXPECT_HAS(images_error(idx_images(2, 28, 0)), "each side must be 1..64");
}

TEST(IdxParse, GzipIsRefusedWithDecompressFirst) {
  Bytes gz = gzip_stored(idx_images(2, 28, 28));
  ASSERT_EQ(gz[0], 0x1F);
  std::string e = images_error(gz);
  EXPECT_HAS(e, "gzip-compressed");
  EXPECT_HAS(e, "1f 8b");
  EXPECT_HAS(e, "decompress it first");
  EXPECT_HAS(labels_error(gzip_stored(idx_labels({1, 2}))), "labels file is gzip-compressed");
  EXPECT_HAS(images_error(Bytes{0x1F, 0x8B}), "gzip");  // even just the magic
}

TEST(IdxParse, TruncatedAndTooLong) {
  Bytes b = idx_images(3, 28, 28);
  b.pop_back();
  std::string e = images_error(b);
  EXPECT_HAS(e, "truncated");
  EXPECT_HAS(e, "3 images of 28x28");
  EXPECT_HAS(e, "2368 bytes in all");
  EXPECT_HAS(e, "2367 bytes (1 missing)");
  EXPECT_HAS(images_error(idx_images(60000, 28, 28, 1000)), "(47039000 missing)");
  Bytes longer = idx_images(3, 28, 28);
  longer.push_back(0);
  EXPECT_HAS(images_error(longer), "too long");
  EXPECT_HAS(images_error(longer), "(1 extra)");
  Bytes head(b.begin(), b.begin() + 10);
  EXPECT_HAS(images_error(head), "truncated in its header: 10 bytes, expected at least 16");
  EXPECT_HAS(images_error(Bytes{0, 0, 8}), "truncated: 3 bytes");
  EXPECT_HAS(images_error(Bytes{}), "empty");
  Bytes lb = idx_labels({1, 2, 3});
  lb.pop_back();
  EXPECT_HAS(labels_error(lb), "labels file is truncated: its header says 3 labels");
  EXPECT_HAS(labels_error(Bytes(lb.begin(), lb.begin() + 6)), "truncated in its header: 6 bytes, expected at least 8");
}

TEST(IdxParse, WrongMagic) {
  Bytes b = idx_images(1, 2, 2);
  b[0] = 'P'; b[1] = 'K';
  EXPECT_HAS(images_error(b), "not an IDX images file: magic number 0x504b0803, expected 0x00000803");
  b = idx_images(1, 2, 2);
  b[3] = 4;
  EXPECT_HAS(images_error(b), "0x00000804 (4 dimensions), expected 0x00000803 (3 dimensions)");
  b = idx_images(1, 2, 2);
  b[2] = 0x0D;
  EXPECT_HAS(images_error(b), "element type in the images file: 0x0d (float), expected 0x08 (unsigned byte)");
  // Swapped files: labels given as images and the other way round.
  EXPECT_HAS(images_error(idx_labels({1})), "this is an IDX labels file (magic 0x00000801), expected an images file");
  EXPECT_HAS(labels_error(idx_images(1, 2, 2)), "this is an IDX images file (magic 0x00000803), expected a labels file");
}

TEST(IdxParse, AbsurdCountsAndBadLabels) {
  EXPECT_HAS(images_error(idx_images(0, 28, 28)), "no images");
  EXPECT_HAS(images_error(idx_images(100001, 28, 28, 10)), "too many images: the header says 100001, the limit is 100000");
  EXPECT_HAS(images_error(idx_images(0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0)), "too many images: the header says 4294967295");
  EXPECT_HAS(images_error(idx_images(5, 0xFFFFFFFFu, 0xFFFFFFFFu, 0)), "unsupported image size 4294967295x4294967295");
  EXPECT_HAS(images_error(idx_images(100000, 64, 64, 0)), "too large: 100000 images of 64x64 are 409600000 pixels, the limit is 78400000");
  EXPECT_HAS(images_error(idx_images(100000, 28, 28, 0)), "truncated");  // exactly at the limit: only the size is wrong
  EXPECT_HAS(labels_error(idx_labels({})), "no labels");
  Bytes lb;
  put32(lb, 0x00000801);
  put32(lb, 200000);
  EXPECT_HAS(labels_error(lb), "too many labels: the header says 200000, the limit is 100000");
  EXPECT_HAS(labels_error(idx_labels({3, 10, 4})), "label 10 at index 1 is out of range");
  EXPECT_HAS(labels_error(idx_labels({3, 4, 255})), "label 255 at index 2");
}

TEST(IdxParse, MismatchedCounts) {
  nnplay::IdxImages images;
  nnplay::IdxLabels labels;
  Bytes im = idx_images(3, 4, 4), lb = idx_labels({1, 2});
  ASSERT_EQ(nnplay::parse_idx_images(im.data(), im.size(), &images), "");
  ASSERT_EQ(nnplay::parse_idx_labels(lb.data(), lb.size(), &labels), "");
  EXPECT_EQ(nnplay::check_idx_pair(images, labels), "the images and labels files do not match: 3 images but 2 labels");
}

TEST(IdxParse, NullAndErrorLeaveOutputEmpty) {
  Bytes im = idx_images(2, 3, 3);
  EXPECT_NE(nnplay::parse_idx_images(im.data(), im.size(), nullptr), "");
  EXPECT_HAS(nnplay::parse_idx_images(nullptr, 0, nullptr), "no output");
  nnplay::IdxImages out;
  ASSERT_EQ(nnplay::parse_idx_images(im.data(), im.size(), &out), "");
  im.pop_back();
  EXPECT_NE(nnplay::parse_idx_images(im.data(), im.size(), &out), "");  // a failed parse clears old data
  EXPECT_EQ(out.count, 0);
  EXPECT_TRUE(out.pixels.empty());
  EXPECT_HAS(nnplay::parse_idx_images(nullptr, 0, &out), "empty");
}

// A short in-suite fuzz (runs in wasm too): mutated good files and random bytes never crash,
// and whatever parses is consistent.
TEST(IdxParse, MutatedAndRandomInputsNeverBreakInvariants) {
  nnplay::draw::Rng r(99);
  Bytes good_im = idx_images(3, 5, 4), good_lb = idx_labels({1, 2, 3});
  int ok = 0;
  for (int it = 0; it < 20000; ++it) {
    Bytes b = (it & 1) ? good_im : good_lb;
    int edits = 1 + r.below(4);
    for (int k = 0; k < edits; ++k) {
      int op = r.below(3);
      if (op == 0 && !b.empty()) b[r.below((int)b.size())] = (uint8_t)r.next();
      else if (op == 1 && !b.empty()) b.resize(r.below((int)b.size()));
      else b.push_back((uint8_t)r.next());
    }
    if (it % 7 == 0) { b.resize(r.below(40)); for (auto& v : b) v = (uint8_t)r.next(); }
    nnplay::IdxImages im;
    nnplay::IdxLabels lb;
    std::string ei = nnplay::parse_idx_images(b.data(), b.size(), &im);
    std::string el = nnplay::parse_idx_labels(b.data(), b.size(), &lb);
    if (ei.empty()) {
      ++ok;
      ASSERT_EQ(b.size(), 16u + (size_t)im.count * im.rows * im.cols);
      ASSERT_EQ(im.pixels.size(), (size_t)im.count * im.rows * im.cols);
      for (float v : im.pixels) ASSERT_TRUE(v >= 0.0f && v <= 1.0f);
    }
    if (el.empty()) {
      ++ok;
      ASSERT_EQ(b.size(), 8u + (size_t)lb.count);
      for (float v : lb.labels) ASSERT_TRUE(v >= 0.0f && v <= 9.0f);
    }
  }
  EXPECT_GT(ok, 100);                                  // some mutations (pixel bytes) stay valid
}
