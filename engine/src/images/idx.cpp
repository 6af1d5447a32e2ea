// The MNIST IDX parser (images 0x00000803, labels 0x00000801; unsigned bytes, big-endian header).
// It checks every size before reading and never trusts the header; it does not decompress gzip.
// Self-contained (only images.h and the standard library) so the fuzz target links it alone.
#include "images.h"
#include <cstdio>

namespace nnplay {
namespace {

uint32_t be32(const uint8_t* p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

std::string fmt(const char* f, unsigned long long a = 0, unsigned long long b = 0, unsigned long long c = 0,
                unsigned long long d = 0) {
  char buf[320];
  std::snprintf(buf, sizeof buf, f, a, b, c, d);
  return buf;
}

const char* type_name(uint8_t t) {
  switch (t) {
    case 0x08: return "unsigned byte";
    case 0x09: return "signed byte";
    case 0x0B: return "short";
    case 0x0C: return "int";
    case 0x0D: return "float";
    case 0x0E: return "double";
    default: return "unknown";
  }
}

// Checks the 4-byte magic of an IDX file that should have `want_dims` dimensions; "" if fine.
std::string check_magic(const uint8_t* data, size_t n, int want_dims, const char* what) {
  uint32_t want = 0x00000800u | (uint32_t)want_dims;
  if (data == nullptr || n == 0) return std::string("the ") + what + " file is empty (0 bytes)";
  if (n >= 2 && data[0] == 0x1F && data[1] == 0x8B)
    return std::string("the ") + what + " file is gzip-compressed (it starts with 1f 8b): decompress it first";
  if (n < 4)
    return std::string("the ") + what + fmt(" file is truncated: %llu bytes, an IDX header needs at least 4", n);
  uint32_t magic = be32(data);
  if (data[0] != 0 || data[1] != 0)
    return std::string("not an IDX ") + what + fmt(" file: magic number 0x%08llx, expected 0x%08llx", magic, want);
  if (data[2] != 0x08)
    return std::string("unsupported IDX element type in the ") + what +
           fmt(" file: 0x%02llx (", data[2]) + type_name(data[2]) + "), expected 0x08 (unsigned byte)";
  if (data[3] != want_dims) {
    if (data[3] == 1 && want_dims == 3)
      return fmt("this is an IDX labels file (magic 0x%08llx), expected an images file (magic 0x%08llx)", magic, want);
    if (data[3] == 3 && want_dims == 1)
      return fmt("this is an IDX images file (magic 0x%08llx), expected a labels file (magic 0x%08llx)", magic, want);
    return std::string("wrong magic number for an IDX ") + what +
           fmt(" file: 0x%08llx (%llu dimensions), expected 0x%08llx (%llu dimensions)", magic, data[3], want,
               (unsigned long long)want_dims);
  }
  size_t header = 4 + 4 * (size_t)want_dims;
  if (n < header)
    return std::string("the ") + what + fmt(" file is truncated in its header: %llu bytes, expected at least %llu", n, header);
  return "";
}

// Checks that the file holds exactly `header + payload` bytes; "" if fine.
std::string check_length(size_t n, size_t header, unsigned long long payload, const std::string& said, const char* what) {
  unsigned long long want = header + payload;
  if (n < want)
    return std::string("the ") + what + " file is truncated: its header says " + said +
           fmt(", i.e. %llu bytes in all, but the file has %llu bytes (%llu missing)", want, n, want - n);
  if (n > want)
    return std::string("the ") + what + " file is too long: its header says " + said +
           fmt(", i.e. %llu bytes in all, but the file has %llu bytes (%llu extra)", want, n, n - want);
  return "";
}

}  // namespace

std::string parse_idx_images(const uint8_t* data, size_t n, IdxImages* out) {
  if (out == nullptr) return "parse_idx_images: no output";
  *out = IdxImages{};
  std::string e = check_magic(data, n, 3, "images");
  if (!e.empty()) return e;
  uint32_t count = be32(data + 4), rows = be32(data + 8), cols = be32(data + 12);
  if (count == 0) return "the images file holds no images (count 0 in its header)";
  if (count > (uint32_t)kIdxMaxCount)
    return fmt("too many images: the header says %llu, the limit is %llu", count, (unsigned long long)kIdxMaxCount);
  if (rows == 0 || cols == 0 || rows > (uint32_t)kIdxMaxSide || cols > (uint32_t)kIdxMaxSide)
    return fmt("unsupported image size %llux%llu (rows x cols): each side must be 1..%llu", rows, cols,
               (unsigned long long)kIdxMaxSide);
  // Below the limits count * rows * cols <= 409,600,000: no overflow in 64 bits.
  unsigned long long payload = (unsigned long long)count * rows * cols;
  if (payload > (unsigned long long)kIdxMaxPixels)
    return fmt("too large: %llu images of %llux%llu", count, rows, cols) +
           fmt(" are %llu pixels, the limit is %llu (100000 images of 28x28)", payload,
               (unsigned long long)kIdxMaxPixels);
  e = check_length(n, 16, payload, fmt("%llu images of %llux%llu", count, rows, cols), "images");
  if (!e.empty()) return e;
  out->count = (int)count;
  out->rows = (int)rows;
  out->cols = (int)cols;
  out->pixels.resize((size_t)payload);
  const uint8_t* p = data + 16;
  for (size_t i = 0; i < (size_t)payload; ++i) out->pixels[i] = (float)p[i] / 255.0f;
  return "";
}

std::string parse_idx_labels(const uint8_t* data, size_t n, IdxLabels* out) {
  if (out == nullptr) return "parse_idx_labels: no output";
  *out = IdxLabels{};
  std::string e = check_magic(data, n, 1, "labels");
  if (!e.empty()) return e;
  uint32_t count = be32(data + 4);
  if (count == 0) return "the labels file holds no labels (count 0 in its header)";
  if (count > (uint32_t)kIdxMaxCount)
    return fmt("too many labels: the header says %llu, the limit is %llu", count, (unsigned long long)kIdxMaxCount);
  e = check_length(n, 8, count, fmt("%llu labels", count), "labels");
  if (!e.empty()) return e;
  const uint8_t* p = data + 8;
  for (uint32_t i = 0; i < count; ++i)
    if (p[i] > 9) return fmt("label %llu at index %llu is out of range: labels must be digits 0..9", p[i], i);
  out->count = (int)count;
  out->labels.resize(count);
  for (uint32_t i = 0; i < count; ++i) out->labels[i] = (float)p[i];
  return "";
}

std::string check_idx_pair(const IdxImages& images, const IdxLabels& labels) {
  if (images.count != labels.count)
    return fmt("the images and labels files do not match: %llu images but %llu labels", (unsigned long long)images.count,
               (unsigned long long)labels.count);
  return "";
}

}  // namespace nnplay
