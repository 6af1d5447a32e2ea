// libFuzzer target for the CSV points reader (engine/src/state/csv.cpp): any bytes as a file, with
// each option. Traps if an accepted file breaks an invariant: at most kMaxPoints finite points in
// the square, labels that are classes 0..k-1 (2 <= k <= 6) or finite targets; and writing the
// points back and reading them again gives the same points, kind and class names bit for bit.
// fuzz-sources: engine/src/state/csv.cpp engine/src/state/text.cpp
// Build: tests/fuzz/run_fuzz.sh builds it with clang++-14 -fsanitize=fuzzer,address,undefined.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include "nnplay/csv.h"

namespace {
void check(bool ok) {
  if (!ok) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nnplay;
  const std::string in(reinterpret_cast<const char*>(data), size);
  for (int mode = 0; mode < 4; ++mode) {
    CsvOptions o;
    o.regression = mode & 1;
    o.rescale = mode & 2;
    CsvPoints p;
    const std::string e = read_csv_points(in, o, &p);
    if (!e.empty()) {
      check(p.points.empty() && e.size() < 400);
      continue;
    }
    check(!p.points.empty() && (int)p.points.size() <= kMaxPoints);
    check(p.regression ? p.classes == 0 : p.classes >= 2 && p.classes <= kCsvMaxClasses);
    check(p.class_names.empty() || (int)p.class_names.size() == p.classes);
    check(p.scale > 0.0f && p.scale <= 1.0f);
    for (const Point& q : p.points) {
      check(std::isfinite(q.x1) && std::isfinite(q.x2) && std::isfinite(q.label));
      check(std::fabs(q.x1) <= kCsvRange && std::fabs(q.x2) <= kCsvRange);
      if (!p.regression) check(q.label >= 0 && q.label < p.classes && q.label == std::floor(q.label));
    }
    std::string werr;
    const std::string text = write_csv_points(p.points, p.classes, p.class_names, &werr);
    check(werr.empty() && !text.empty());
    CsvPoints r;
    check(read_csv_points(text, CsvOptions{}, &r).empty());
    check(r.points.size() == p.points.size() &&
          std::memcmp(r.points.data(), p.points.data(), p.points.size() * sizeof(Point)) == 0);
    check(r.regression == p.regression && r.classes == p.classes && r.scale == 1.0f);
    if (!p.class_names.empty()) check(r.class_names == p.class_names);
  }
  return 0;
}
