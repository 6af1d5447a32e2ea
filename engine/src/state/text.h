// Internal to engine/src/state: exact float text, strict number parsing, percent-encoding,
// base64url and the FNV-1a checksum shared by the link and JSON codecs. Not a public header.
#pragma once
#include <cstdint>
#include <string>
#include <vector>
#include "nnplay/config.h"

namespace nnplay::state {

// Shortest "%.<p>g" (p <= 9) that reads back to the same bits both through strtof and through
// strtod + cast to float (the path JSON libraries and Python take). "-0" for -0.0.
// Precondition: finite.
std::string format_float(float f);
// Strict decimal: -?digits[.digits][(e|E)[+-]digits]. Returns "" or why it is not a float
// ("not a number", "NaN/Inf is not allowed", "out of float range").
std::string parse_float(const std::string& s, float* out);
// Strict integer: -?digits, within [lo, hi]. Returns "" or why not.
std::string parse_int(const std::string& s, int64_t lo, int64_t hi, int64_t* out);

std::string percent_encode(const std::string& s);      // keeps A-Z a-z 0-9 - _ . ~ , : ; ! * ' ( ) /
bool percent_decode(const std::string& s, std::string* out); // false on a bad %XX escape

std::string base64url_encode(const uint8_t* p, size_t n);  // no padding
// Returns "" or the message (naming the offending character and its position).
std::string base64url_decode(const std::string& s, std::vector<uint8_t>* out);

uint32_t fnv1a32(const uint8_t* p, size_t n);
std::string hex_bits(float f);                         // "0x3f800000"
bool parse_hex_bits(const std::string& s, float* out); // inverse of hex_bits
std::string quote(const std::string& s, size_t max = 40); // "s" shortened with ... for messages

// The config.h bounds, compared in double so a float at a bound passes exactly as validate() sees it.
inline constexpr Bounds kAnyFloat{-3.4028234663852886e38, 3.4028234663852886e38};  // every finite float
bool in_bounds(float v, Bounds b);
std::string format_bounds(Bounds b);                   // "0..10", "1e-12..1"

}  // namespace nnplay::state
