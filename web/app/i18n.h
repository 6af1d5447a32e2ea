// The page's UI language and its strings (web/app/i18n/strings.json, embedded at /i18n): English
// and Chinese. Not the lessons' own texts (web/tutorial/lessons carry both languages inline).
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>

enum class Lang : uint8_t { En = 0, Zh = 1 };

Lang ui_language();
void set_ui_language(Lang l);
const char* tr(const char* key);                       // the string in the current language (the key itself if absent)
// tr(key) with every {name} replaced by its value ("{step}" -> "12"); unknown names stay as written.
std::string tr_fill(const char* key, const std::map<std::string, std::string>& values);
void for_each_string(const std::function<void(const std::string&)>& f);  // every string of both languages (font glyphs)
