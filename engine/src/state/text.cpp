// Exact float text and the small encoders of the state codecs (see text.h). No allocation tricks,
// no locale: snprintf/strtof run in the "C" locale the engine never changes.
#include "src/state/text.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace nnplay::state {

static uint32_t bits_of(float f) { uint32_t u; std::memcpy(&u, &f, 4); return u; }

std::string format_float(float f) {
  if (f == 0.0f) return std::signbit(f) ? "-0" : "0";
  // Both read-back paths must give the same bits: strtof (our parsers) and strtod then a cast
  // (nlohmann-json and Python). 9 significant digits always satisfy both (the decimal lies far
  // inside the float's rounding interval, so the double rounding step cannot cross a midpoint).
  // Of the precisions that do, keep the shortest text (50 rather than 5e+01).
  std::string best;
  char buf[48];
  for (int p = 1; p <= 9; ++p) {
    std::snprintf(buf, sizeof buf, "%.*g", p, (double)f);
    float a = std::strtof(buf, nullptr);
    float b = (float)std::strtod(buf, nullptr);
    if (bits_of(a) == bits_of(f) && bits_of(b) == bits_of(f) && (best.empty() || std::strlen(buf) < best.size()))
      best = buf;
  }
  return best;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string parse_float(const std::string& s, float* out) {
  if (s.empty()) return "empty, expected a number";
  std::string low;
  for (char c : s) low += (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
  const char* l = low.c_str() + ((low[0] == '-' || low[0] == '+') ? 1 : 0);
  if (std::strncmp(l, "nan", 3) == 0 || std::strncmp(l, "inf", 3) == 0) return "NaN/Inf is not allowed";
  if (s.size() > 40) return "not a number (too long)";
  size_t i = 0, n = s.size();
  if (s[i] == '-') ++i;
  size_t d0 = i;
  while (i < n && is_digit(s[i])) ++i;
  if (i == d0) return "not a number";
  if (i < n && s[i] == '.') {
    ++i; size_t f0 = i;
    while (i < n && is_digit(s[i])) ++i;
    if (i == f0) return "not a number";
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    size_t e0 = i;
    while (i < n && is_digit(s[i])) ++i;
    if (i == e0) return "not a number";
  }
  if (i != n) return "not a number";
  float v = std::strtof(s.c_str(), nullptr);
  if (!std::isfinite(v)) return "out of float range";
  *out = v;
  return "";
}

std::string parse_int(const std::string& s, int64_t lo, int64_t hi, int64_t* out) {
  size_t i = 0, n = s.size();
  if (n == 0) return "empty, expected an integer";
  if (s[0] == '-') ++i;
  if (i == n) return "not an integer";
  for (size_t j = i; j < n; ++j)
    if (!is_digit(s[j])) return "not an integer";
  if (n - i > 18) return "out of range";
  int64_t v = 0;
  for (size_t j = i; j < n; ++j) v = v * 10 + (s[j] - '0');
  if (i) v = -v;
  if (v < lo || v > hi) return "out of range";
  *out = v;
  return "";
}

static bool safe_char(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit((char)c) ||
         std::strchr("-_.~,:;!*'()/", c) != nullptr;
}

std::string percent_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string o;
  for (unsigned char c : s) {
    if (c != 0 && safe_char(c)) o += (char)c;
    else { o += '%'; o += hex[c >> 4]; o += hex[c & 15]; }
  }
  return o;
}

static int hexval(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool percent_decode(const std::string& s, std::string* out) {
  std::string o;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') { o += s[i]; continue; }
    if (i + 2 >= s.size()) return false;
    int a = hexval(s[i + 1]), b = hexval(s[i + 2]);
    if (a < 0 || b < 0) return false;
    o += (char)(a * 16 + b);
    i += 2;
  }
  *out = std::move(o);
  return true;
}

static const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url_encode(const uint8_t* p, size_t n) {
  std::string o;
  o.reserve((n * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
    o += kB64[v >> 18]; o += kB64[(v >> 12) & 63]; o += kB64[(v >> 6) & 63]; o += kB64[v & 63];
  }
  if (n - i == 1) {
    uint32_t v = (uint32_t)p[i] << 16;
    o += kB64[v >> 18]; o += kB64[(v >> 12) & 63];
  } else if (n - i == 2) {
    uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
    o += kB64[v >> 18]; o += kB64[(v >> 12) & 63]; o += kB64[(v >> 6) & 63];
  }
  return o;
}

static int b64val(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (is_digit(c)) return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

std::string base64url_decode(const std::string& s, std::vector<uint8_t>* out) {
  out->clear();
  if (s.size() % 4 == 1) return "truncated (" + std::to_string(s.size()) + " characters is not a whole number of bytes)";
  out->reserve(s.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    int v = b64val(s[i]);
    if (v < 0) {
      char c[8];
      std::snprintf(c, sizeof c, (unsigned char)s[i] >= 32 && (unsigned char)s[i] < 127 ? "'%c'" : "0x%02x",
                    (unsigned char)s[i]);
      return std::string("bad character ") + c + " at position " + std::to_string(i);
    }
    acc = (acc << 6) | (uint32_t)v;
    bits += 6;
    if (bits >= 8) { bits -= 8; out->push_back((uint8_t)(acc >> bits)); acc &= (1u << bits) - 1; }
  }
  return "";
}

uint32_t fnv1a32(const uint8_t* p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; ++i) { h ^= p[i]; h *= 16777619u; }
  return h;
}

std::string hex_bits(float f) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", (unsigned)bits_of(f));
  return buf;
}

bool parse_hex_bits(const std::string& s, float* out) {
  if (s.size() != 10 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return false;
  uint32_t u = 0;
  for (size_t i = 2; i < 10; ++i) {
    int v = hexval(s[i]);
    if (v < 0) return false;
    u = u << 4 | (uint32_t)v;
  }
  std::memcpy(out, &u, 4);
  return true;
}

std::string quote(const std::string& s, size_t max) {
  std::string o = "\"";
  size_t n = s.size() < max ? s.size() : max;
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = (unsigned char)s[i];
    if (c < 32 || c == 127) { char b[8]; std::snprintf(b, sizeof b, "\\x%02x", c); o += b; }
    else if (c == '"' || c == '\\') { o += '\\'; o += (char)c; }
    else o += (char)c;
  }
  if (s.size() > max) o += "...";
  return o + "\"";
}

bool in_bounds(float v, Bounds b) { return (double)v >= b.lo && (double)v <= b.hi; }

std::string format_bounds(Bounds b) {
  char t[64];
  std::snprintf(t, sizeof t, "%g..%g", b.lo, b.hi);
  return t;
}

}  // namespace nnplay::state
