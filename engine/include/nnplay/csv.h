// nnplay public header: the user's own 2-D points as CSV text, read with messages that name the
// line and written so that reading gives back the same points bit for bit. Not images (idx.h)
// and not the page's file picker.
#pragma once
#include <string>
#include <vector>
#include "nnplay/config.h"
#include "nnplay/dataset.h"

namespace nnplay {

// The format. Rows `x1,x2,label`, comma-separated, one per line (\n or \r\n; blank lines are
// skipped but counted; a UTF-8 byte-order mark is skipped; spaces and tabs around a field are
// trimmed; a field may be wrapped in double quotes, without escapes inside).
// - Header: optional. The first non-blank line is a header when its x1 or x2 field is not a
//   number. Its third field may declare the labels: `label:<name0>|<name1>|...` declares 2..6
//   classes in index order (every label must then be one of them), `target` (any letter case)
//   declares regression; anything else declares nothing.
// - Coordinates: decimal numbers (sign, digits, optional fraction and exponent; ".5" and "5."
//   are read too), finite, within the playground's square [-kCsvRange, kCsvRange]. A point
//   outside is an error, unless CsvOptions::rescale: then every coordinate is multiplied by
//   kCsvRange / max|coordinate| (one factor, so shapes and the origin stay).
// - Labels, without a declaration: if every label is a number and they all lie in {-1, 1} or
//   all in {0, 1}, the set is two-class (-1 and 0 -> class 0, 1 -> class 1); other numbers make a
//   regression set (the label is the target); NaN, Inf and numbers beyond float range are errors;
//   names (any label that is not a number makes them all names) become classes 0..k-1 in the order of first appearance, 2 <= k <= 6 (k > 2:
//   multi-class). CsvOptions::regression makes every numeric label a target.
// - At most kMaxPoints data rows and kCsvMaxBytes bytes; lines up to kCsvMaxLine characters.
inline constexpr float kCsvRange = 6.0f;
inline constexpr size_t kCsvMaxBytes = 4u << 20;
inline constexpr size_t kCsvMaxLine = 1000;
inline constexpr int kCsvMaxClasses = 6;

struct CsvOptions {
  bool regression = false;                             // the caller asks for regression: numeric labels are targets
  bool rescale = false;                                // scale points beyond the square into it instead of an error
};

struct CsvPoints {
  std::vector<Point> points;                           // in file order; label = class index 0..k-1 or the target
  bool regression = false;
  int classes = 0;                                     // 2..6 for classification, 0 for regression
  std::vector<std::string> class_names;                // named or declared classes, in index order; empty for numeric labels
  bool header = false;                                 // the file had a header row
  float scale = 1.0f;                                  // CsvOptions::rescale: the factor applied to the coordinates
};

// Reads `text`; returns "" or a message naming the line ("line 7: expected 3 columns (x1,x2,label)
// separated by commas, found 2"). On error *out is left empty. Safe on any bytes (fuzzed).
std::string read_csv_points(const std::string& text, const CsvOptions& options, CsvPoints* out);

// Writes points as CSV with a header that declares their kind: `x1,x2,label` for two-class
// (labels 0/1), `x1,x2,label:<names>` for more classes (class_names, or "0".."k-1" when empty),
// `x1,x2,target` for regression. Numbers are the shortest decimals that read back to the same
// float bits, so read_csv_points gives the same points back. classes: 2..6, or 0 for regression.
// Returns "" with *error set when a label or a class name cannot be written.
std::string write_csv_points(const std::vector<Point>& points, int classes,
                             const std::vector<std::string>& class_names, std::string* error);
// A 2-D data set (train points, then test points) as above; "" with *error for an image set.
std::string write_csv_points(const Dataset& data, const std::vector<std::string>& class_names, std::string* error);

}  // namespace nnplay
