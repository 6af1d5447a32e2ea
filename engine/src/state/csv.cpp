// The CSV points reader and writer (format in nnplay/csv.h): every error a message naming the
// line, never an exception. Not the data set generator (dataset.cpp) nor the page's file picker.
#include "nnplay/csv.h"
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>
#include "src/state/text.h"

namespace nnplay {
using namespace state;

namespace {

std::string line_of(size_t n) { return "line " + std::to_string(n) + ": "; }

// The first byte that is not UTF-8 text, or a NUL; "" when the whole text is fine.
std::string check_text(const std::string& s) {
  size_t line = 1, col = 1;
  auto bad = [&](const char* what, unsigned char b) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", b);
    return line_of(line) + what + " (byte " + hex + " at column " + std::to_string(col) + "); expected a text file";
  };
  for (size_t i = 0; i < s.size();) {
    const unsigned char b = (unsigned char)s[i];
    if (b == 0) return bad("binary data, a NUL byte", b);
    if (b < 0x80) {
      if (b == '\n') { ++line; col = 0; }
      ++i; ++col;
      continue;
    }
    // Multi-byte sequence: lead byte gives the length; reject overlongs, surrogates, > U+10FFFF.
    int n = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xC2 && b <= 0xDF ? 2 : 0;
    if (n == 0 || i + n > s.size()) return bad("not UTF-8 text", b);
    uint32_t cp = b & (0xFF >> (n + 1));
    for (int k = 1; k < n; ++k) {
      const unsigned char c = (unsigned char)s[i + k];
      if ((c & 0xC0) != 0x80) return bad("not UTF-8 text", b);
      cp = (cp << 6) | (c & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
      return bad("not UTF-8 text", b);
    i += n;
    ++col;
  }
  return "";
}

std::string trim(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) --b;
  return s.substr(a, b - a);
}

// Splits a line at commas; strips a field's surrounding quotes. "" or the problem.
std::string split_fields(const std::string& line, std::vector<std::string>* out) {
  out->clear();
  size_t i = 0;
  while (true) {
    size_t j = line.find(',', i);
    std::string f = trim(line.substr(i, j == std::string::npos ? std::string::npos : j - i));
    const size_t q = std::count(f.begin(), f.end(), '"');
    if (q) {
      if (q != 2 || f.front() != '"' || f.back() != '"')
        return "field " + std::to_string(out->size() + 1) + " has an unbalanced or inner quote (" + quote(f) + ")";
      f = trim(f.substr(1, f.size() - 2));
    }
    out->push_back(f);
    if (j == std::string::npos) return "";
    i = j + 1;
  }
}

// A decimal number as csv.h describes; "" or why not (parse_float's words).
std::string number(const std::string& field, float* out) {
  std::string s = field;
  const size_t d = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
  const size_t e = s.find_first_of("eE", d);
  const size_t m = e == std::string::npos ? s.size() : e;
  bool digit = false;
  for (size_t i = d; i < m; ++i) digit = digit || (s[i] >= '0' && s[i] <= '9');
  if (!digit) return parse_float(field, out);          // no digit before the exponent: its message ("nan", "inf", "-", ".")
  if (s[d] == '+' || s[d] == '-') return "not a number"; // a second sign
  if (s[d] == '.') s.insert(d, "0");                   // ".5" -> "0.5"
  const size_t m2 = s.find_first_of("eE", d);
  const size_t end = m2 == std::string::npos ? s.size() : m2;
  if (s[end - 1] == '.') s.insert(end, "0");           // "5." -> "5.0"
  if (s[0] == '+') s.erase(0, 1);
  return parse_float(s, out);
}

bool is_number(const std::string& f) {
  float v;
  return number(f, &v).empty();
}
// A label written as a number, even one a float cannot hold ("nan", "1e40"): an error, not a name.
bool numeric_label(const std::string& f) {
  float v;
  const std::string e = number(f, &v);
  return e.empty() || e == "NaN/Inf is not allowed" || e == "out of float range";
}

bool lower_eq(const std::string& a, const char* b) {
  size_t n = std::strlen(b);
  if (a.size() != n) return false;
  for (size_t i = 0; i < n; ++i)
    if ((char)std::tolower((unsigned char)a[i]) != b[i]) return false;
  return true;
}

std::string class_list(const std::vector<std::string>& names) {
  std::string o;
  for (size_t i = 0; i < names.size(); ++i) o += (i ? ", " : "") + names[i];
  return o;
}

constexpr size_t kMaxName = 64;

// Why a class name cannot stand in a file ("" when it can): it must survive the writer's header.
std::string name_problem(const std::string& n) {
  if (n.empty()) return "is empty";
  if (n.size() > kMaxName) return "is longer than " + std::to_string(kMaxName) + " characters";
  if (n != trim(n)) return "starts or ends with a space";
  for (char c : n) {
    if (c == '|' || c == ',' || c == '"') return std::string("holds '") + c + "', not allowed in a class name";
    if ((unsigned char)c < 0x20 || c == 0x7f) return "holds a control character";
  }
  return "";
}

struct Row { float x1, x2; std::string label; size_t line; };

}  // namespace

std::string read_csv_points(const std::string& text, const CsvOptions& opt, CsvPoints* out) {
  *out = CsvPoints{};
  if (text.empty()) return "the file is empty";
  if (text.size() > kCsvMaxBytes)
    return "the file has " + std::to_string(text.size()) + " bytes, more than the limit of " + std::to_string(kCsvMaxBytes);
  std::string e = check_text(text);
  if (!e.empty()) return e;
  size_t pos = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  CsvPoints r;
  bool declared_regression = false;
  std::vector<std::string> declared;                   // classes declared by the header
  std::vector<Row> rows;
  std::vector<std::string> fields;
  size_t line = 0;
  bool first = true;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string ln = text.substr(pos, end - pos);
    pos = end + 1;
    ++line;
    if (!ln.empty() && ln.back() == '\r') ln.pop_back();
    if (ln.size() > kCsvMaxLine)
      return line_of(line) + "longer than " + std::to_string(kCsvMaxLine) + " characters";
    if (trim(ln).empty()) continue;
    e = split_fields(ln, &fields);
    if (!e.empty()) return line_of(line) + e;
    if (fields.size() != 3)
      return line_of(line) + "expected 3 columns (x1,x2,label) separated by commas, found " + std::to_string(fields.size());
    if (first && (!is_number(fields[0]) || !is_number(fields[1]))) {  // the header
      first = false;
      r.header = true;
      const std::string& h = fields[2];
      if (lower_eq(h, "target")) {
        declared_regression = true;
      } else if (h.size() > 6 && lower_eq(h.substr(0, 6), "label:")) {
        std::string list = h.substr(6);
        for (size_t i = 0;;) {
          size_t j = list.find('|', i);
          std::string n = trim(list.substr(i, j == std::string::npos ? std::string::npos : j - i));
          if (n.empty()) return line_of(line) + "an empty class name in the header's " + quote(h);
          if (!(e = name_problem(n)).empty()) return line_of(line) + "the class name " + quote(n) + " " + e;
          for (const std::string& d : declared)
            if (d == n) return line_of(line) + "class " + quote(n) + " is declared twice";
          declared.push_back(n);
          if (j == std::string::npos) break;
          i = j + 1;
        }
        if (declared.size() < 2 || (int)declared.size() > kCsvMaxClasses)
          return line_of(line) + "the header declares " + std::to_string(declared.size()) + " class" +
                 (declared.size() == 1 ? "" : "es") + "; 2 to " + std::to_string(kCsvMaxClasses) + " are allowed";
      }
      continue;
    }
    first = false;
    if ((int)rows.size() == kMaxPoints)
      return line_of(line) + "more than " + std::to_string(kMaxPoints) + " points (the limit)";
    Row row;
    row.line = line;
    const char* names[2] = {"x1", "x2"};
    float* dst[2] = {&row.x1, &row.x2};
    for (int k = 0; k < 2; ++k) {
      if (fields[k].empty()) return line_of(line) + names[k] + " is empty";
      e = number(fields[k], dst[k]);
      if (e == "NaN/Inf is not allowed") return line_of(line) + names[k] + " " + quote(fields[k]) + " is NaN or infinite";
      if (!e.empty()) return line_of(line) + names[k] + " " + quote(fields[k]) + " is not a number" +
                             (e == "out of float range" ? " in float range" : "");
    }
    if (fields[2].empty()) return line_of(line) + "the label is empty";
    if (fields[2].size() > kMaxName) return line_of(line) + "the label is longer than " + std::to_string(kMaxName) + " characters";
    row.label = fields[2];
    rows.push_back(row);
  }
  if (rows.empty()) return r.header ? "the file has a header but no data rows" : "the file has no data rows";

  // Labels.
  const bool regression = opt.regression || declared_regression;
  bool all_numeric = true;
  for (const Row& w : rows) all_numeric = all_numeric && numeric_label(w.label);
  std::vector<float> values(rows.size());
  if (!declared.empty()) {
    if (regression) return "the header declares classes, but regression was asked for";
    r.class_names = declared;
    for (size_t i = 0; i < rows.size(); ++i) {
      size_t k = 0;
      while (k < declared.size() && declared[k] != rows[i].label) ++k;
      if (k == declared.size())
        return line_of(rows[i].line) + "label " + quote(rows[i].label) + " is not one of the classes the header declares (" +
               class_list(declared) + ")";
      values[i] = (float)k;
    }
    r.classes = (int)declared.size();
  } else if (all_numeric || regression) {
    bool pm = true, zo = true;
    for (size_t i = 0; i < rows.size(); ++i) {
      e = number(rows[i].label, &values[i]);
      if (e == "NaN/Inf is not allowed") return line_of(rows[i].line) + "the label " + quote(rows[i].label) + " is NaN or infinite";
      if (!e.empty())
        return line_of(rows[i].line) + "the label " + quote(rows[i].label) + " is not a number" +
               (e == "out of float range" ? " in float range" : "") + (regression ? " (regression)" : "");
      pm = pm && (values[i] == -1.0f || values[i] == 1.0f);
      zo = zo && (values[i] == 0.0f || values[i] == 1.0f);
    }
    if (!regression && (pm || zo)) {
      for (float& v : values) v = v == 1.0f ? 1.0f : 0.0f;
      r.classes = 2;
    } else {
      r.regression = true;
    }
  } else {
    for (size_t i = 0; i < rows.size(); ++i) {
      size_t k = 0;
      while (k < r.class_names.size() && r.class_names[k] != rows[i].label) ++k;
      if (k == r.class_names.size()) {
        if (!(e = name_problem(rows[i].label)).empty()) return line_of(rows[i].line) + "the label " + quote(rows[i].label) + " " + e;
        if ((int)k == kCsvMaxClasses)
          return line_of(rows[i].line) + "a " + std::to_string(kCsvMaxClasses + 1) + "th class " + quote(rows[i].label) +
                 "; at most " + std::to_string(kCsvMaxClasses) + " classes (" + class_list(r.class_names) + ")";
        r.class_names.push_back(rows[i].label);
      }
      values[i] = (float)k;
    }
    if (r.class_names.size() < 2)
      return "labels: only one class (" + quote(r.class_names[0]) + "); a classification set needs 2 to " +
             std::to_string(kCsvMaxClasses) + " classes";
    r.classes = (int)r.class_names.size();
  }

  // Coordinates: inside the square, or rescaled into it.
  float m = 0.0f;
  for (const Row& w : rows) m = std::max(m, std::max(std::fabs(w.x1), std::fabs(w.x2)));
  if (m > kCsvRange) {
    if (!opt.rescale) {
      size_t i = 0;
      while (std::fabs(rows[i].x1) <= kCsvRange && std::fabs(rows[i].x2) <= kCsvRange) ++i;
      const bool first_x = std::fabs(rows[i].x1) > kCsvRange;
      return line_of(rows[i].line) + (first_x ? "x1 " : "x2 ") + format_float(first_x ? rows[i].x1 : rows[i].x2) +
             " lies outside the playground's square [-6, 6] (scale the data into it, or let the reader rescale it)";
    }
    r.scale = (float)((double)kCsvRange / (double)m);
    for (Row& w : rows) {                              // rounding may land a hair outside: clamp
      w.x1 = std::fmin(kCsvRange, std::fmax(-kCsvRange, w.x1 * r.scale));
      w.x2 = std::fmin(kCsvRange, std::fmax(-kCsvRange, w.x2 * r.scale));
    }
  }
  r.points.resize(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) r.points[i] = Point{rows[i].x1, rows[i].x2, values[i]};
  *out = std::move(r);
  return "";
}

std::string write_csv_points(const std::vector<Point>& points, int classes, const std::vector<std::string>& class_names,
                             std::string* error) {
  std::string tmp;
  std::string& err = error ? *error : tmp;
  err.clear();
  auto fail = [&](const std::string& m) { err = m; return std::string(); };
  if (classes != 0 && (classes < 2 || classes > kCsvMaxClasses))
    return fail("classes must be 0 (regression) or 2.." + std::to_string(kCsvMaxClasses) + ", got " + std::to_string(classes));
  if ((int)points.size() > kMaxPoints) return fail(std::to_string(points.size()) + " points, more than the limit " + std::to_string(kMaxPoints));
  std::vector<std::string> names = class_names;
  if (classes > 2 && names.empty())
    for (int k = 0; k < classes; ++k) names.push_back(std::to_string(k));
  if (!names.empty()) {
    if ((int)names.size() != classes)
      return fail(std::to_string(names.size()) + " class names for " + std::to_string(classes) + " classes");
    for (size_t k = 0; k < names.size(); ++k) {
      const std::string& n = names[k];
      std::string why = check_text(n).empty() ? name_problem(n) : "is not UTF-8 text";
      for (size_t j = 0; j < k && why.empty(); ++j)
        if (names[j] == n) why = "is there twice";
      if (!why.empty()) return fail("class name " + quote(n) + " cannot be written: it " + why);
    }
  }
  std::string o = classes == 0 ? "x1,x2,target\n" : names.empty() ? "x1,x2,label\n" : "x1,x2,label:";
  if (!names.empty()) {
    for (size_t k = 0; k < names.size(); ++k) o += (k ? "|" : "") + names[k];
    o += "\n";
  }
  for (size_t i = 0; i < points.size(); ++i) {
    const Point& p = points[i];
    if (!std::isfinite(p.x1) || !std::isfinite(p.x2) || !std::isfinite(p.label) || std::fabs(p.x1) > kCsvRange ||
        std::fabs(p.x2) > kCsvRange)
      return fail("point " + std::to_string(i) + " is not finite or lies outside [-6, 6]^2");
    o += format_float(p.x1) + "," + format_float(p.x2) + ",";
    if (classes == 0) {
      o += format_float(p.label);
    } else {
      const int k = (int)p.label;
      if ((float)k != p.label || k < 0 || k >= classes)
        return fail("point " + std::to_string(i) + " has label " + format_float(p.label) + ", not a class 0.." + std::to_string(classes - 1));
      o += names.empty() ? std::to_string(k) : names[k];
    }
    o += "\n";
  }
  return o;
}

std::string write_csv_points(const Dataset& d, const std::vector<std::string>& class_names, std::string* error) {
  if (d.train_points.size() + d.test_points.size() != (size_t)(d.train_count() + d.test_count())) {
    if (error) *error = "the data set has no 2-D points (image sets cannot be written as CSV)";
    return "";
  }
  std::vector<Point> all = d.train_points;
  all.insert(all.end(), d.test_points.begin(), d.test_points.end());
  const int classes = !d.classification ? 0 : d.outputs > 2 ? d.outputs : 2;
  return write_csv_points(all, classes, class_names, error);
}

}  // namespace nnplay
