// The UI language and the strings file (i18n.h), loaded once on first use.
#include "app/i18n.h"
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#ifndef NNPLAY_I18N_FILE
#define NNPLAY_I18N_FILE "/i18n/strings.json"
#endif

namespace {

Lang g_lang = Lang::En;

const nlohmann::json& strings() {
  static const nlohmann::json j = [] {
    std::ifstream in(NNPLAY_I18N_FILE);
    std::stringstream ss;
    ss << in.rdbuf();
    nlohmann::json v = nlohmann::json::parse(ss.str(), nullptr, false);
    return v.is_discarded() || !v.is_object() ? nlohmann::json::object() : v;
  }();
  return j;
}

}  // namespace

Lang ui_language() { return g_lang; }
void set_ui_language(Lang l) { g_lang = l; }

const char* tr(const char* key) {
  const nlohmann::json& j = strings();
  auto it = j.find(key);
  if (it == j.end() || !it->is_object()) return key;
  auto s = it->find(g_lang == Lang::Zh ? "zh" : "en");
  return s != it->end() && s->is_string() ? s->get_ref<const std::string&>().c_str() : key;
}

std::string tr_fill(const char* key, const std::map<std::string, std::string>& values) {
  const std::string t = tr(key);
  std::string out;
  for (size_t i = 0; i < t.size(); ++i) {
    const size_t e = t[i] == '{' ? t.find('}', i) : std::string::npos;
    auto v = e == std::string::npos ? values.end() : values.find(t.substr(i + 1, e - i - 1));
    if (v == values.end()) { out += t[i]; continue; }
    out += v->second;
    i = e;
  }
  return out;
}

void for_each_string(const std::function<void(const std::string&)>& f) {
  for (const auto& entry : strings())
    if (entry.is_object())
      for (const auto& s : entry)
        if (s.is_string()) f(s.get<std::string>());
}
