// divergence_text (divergence.h): the engine's numbers in the strings of web/app/i18n/strings.json.
#include "app/divergence.h"
#include <cstdio>
#include "app/i18n.h"

using namespace nnplay;

namespace {
std::string num(const char* f, double v) {
  char b[32];
  std::snprintf(b, sizeof b, f, v);
  return b;
}
}  // namespace

std::string divergence_text(const Divergence& d) {
  const std::string where = d.layer >= 0 ? tr_fill("diverged.where", {{"layer", std::to_string(d.layer + 1)}}) : "";
  std::string what;
  if (d.kind == DivergenceKind::Overshoot) {
    what = tr_fill("diverged.overshoot", {{"step", std::to_string(d.step)}, {"where", where}, {"factor", num("%.1f", d.factor)}});
  } else {
    const char* value = d.value == BadValue::Loss ? "diverged.loss" : d.value == BadValue::Gradient ? "diverged.gradient"
                        : d.value == BadValue::Statistics ? "diverged.statistics" : "diverged.weight";
    what = tr_fill("diverged.nonfinite", {{"step", std::to_string(d.step)}, {"what", tr(value)}, {"where", where}});
  }
  return what + " " + tr_fill("diverged.advice", {{"lr", num("%g", d.learning_rate)}, {"suggested", num("%g", d.suggested_learning_rate)}});
}
