// The tutorial player (tutorial.h): opening a step (setups merged as lessons/README.md defines, by
// the state door web/share/share.h, adopted by App::open), Next/Back and the waits, the learner's actions
// observed from the App's state, the right-hand strip (picker, step text, views, formula panel),
// the pulsing highlights of the `point` elements, the Chinese font merge. Not the views (views.h).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>
#include "app/i18n.h"
#include "app/ui.h"
#include "playground/playground.h"
#include "share/share.h"
#include "share/ui_keys.h"
#include "tutorial/tutorial.h"
#include "tutorial/views.h"

using namespace nnplay;
using nlohmann::json;

namespace {

Player g_player;

// The lecture's name of parameter `idx` (parameters() order), "" when it has none.
std::string lecture_name(const Session& s, size_t idx) {
  const int L = s.layer_count();
  size_t off = 0;
  for (int l = 0; l < L && l < 2; ++l) {
    const LayerTrace& t = s.trace(l);
    if (t.type != LayerType::Dense) return "";
    const int O = t.w.shape[0], I = t.w.shape[1];
    const size_t nw = (size_t)O * I;
    if (idx < off + nw) {
      const int o = (int)((idx - off) / I), i = (int)((idx - off) % I);
      if (l == 0) return "w" + std::to_string(i + 1) + std::to_string(o + 1);
      return o == 0 ? "v" + std::to_string(i + 1) : "";
    }
    if (idx < off + nw + O) {
      const int o = (int)(idx - off - nw);
      if (l == 0) return "w0" + std::to_string(o + 1);
      return o == 0 ? "v0" : "";
    }
    off += nw + O;
  }
  return "";
}

bool contains(const ImVec4& r, ImVec2 p) { return p.x >= r.x && p.x <= r.x + r.z && p.y >= r.y && p.y <= r.y + r.w; }

// UI id (README.md) -> rectangle names of App::ui_rects ("x*" = prefix); union: one outline around all.
struct PointMap { const char* id; bool unite; std::vector<const char*> names; };
const std::vector<PointMap>& point_map() {
  static const std::vector<PointMap> m = {
      {"tutorial", false, {"tutorial:strip"}},
      {"data", true, {"dataset:*", "slider:noise", "slider:percTrainData", "slider:batchSize", "button:regenerate"}},
      {"dataset", true, {"dataset:*"}},
      {"noise", false, {"slider:noise"}},
      {"train-ratio", false, {"slider:percTrainData"}},
      {"batch-size", false, {"slider:batchSize"}},
      {"regenerate", false, {"button:regenerate"}},
      {"features", true, {"feature:*"}},
      {"network", true, {"neuron:*", "layer:*", "activation:*"}},
      {"layers", false, {"layer:add", "layer:remove", "neuron:add:*", "neuron:remove:*"}},
      {"activation", false, {"combo:activation", "activation:*"}},
      {"heatmap", false, {"neuron:*"}},
      {"link", true, {"feature:*", "neuron:*"}},
      {"output", false, {"output"}},
      {"show-test", false, {"check:showTestData"}},
      {"discretize", false, {"check:discretize"}},
      {"loss-curve", false, {"loss-curve", "curve*"}},
      {"accuracy", false, {"accuracy*", "counter"}},
      {"counters", false, {"counter*"}},
      {"controls", true, {"button:play", "button:step", "button:back", "button:reset"}},
      {"play", false, {"button:play"}},
      {"step", false, {"button:step"}},
      {"step-size", false, {"combo:stepSize"}},
      {"back", false, {"button:back"}},
      {"reset", false, {"button:reset"}},
      {"learning-rate", false, {"combo:learningRate"}},
      {"loss", false, {"combo:loss", "loss:switch"}},
      {"optimizer", false, {"combo:optimizer"}},
      {"regularization", false, {"combo:regularization"}},
      {"regularization-rate", false, {"combo:regularizationRate"}},
      {"gradients", false, {"check:gradients"}},
      {"formula", false, {"formula"}},
      {"numeric-check", false, {"numeric-check*"}},
      {"conv-view", false, {"conv-view"}},
      {"feature-maps", false, {"feature-maps*", "cnn:feature-maps*"}},
      {"filters", false, {"filters*", "cnn:filters*"}},
      {"drawing-pad", false, {"drawing-pad*", "cnn:drawing-pad*"}},
      {"confusion", false, {"confusion*", "cnn:confusion*"}},
  };
  return m;
}

bool name_matches(const std::string& name, const char* pat) {
  const std::string p = pat;
  if (!p.empty() && p.back() == '*') return name.compare(0, p.size() - 1, p, 0, p.size() - 1) == 0;
  return name == p;
}

// Decodes one UTF-8 code point at s (advances s).
unsigned next_cp(const char*& s, const char* e) {
  const unsigned char c = (unsigned char)*s++;
  if (c < 0x80) return c;
  int n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
  unsigned cp = c & (0x3F >> n);
  while (n-- > 0 && s < e) cp = (cp << 6) | ((unsigned char)*s++ & 0x3F);
  return cp;
}
bool is_cjk(unsigned cp) { return cp >= 0x2E80; }
bool no_break_before(unsigned cp) {            // closing punctuation stays on the line before
  static const unsigned k[] = {0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF01, 0xFF1F, 0xFF09, 0x201D, 0x300B, 0x2019};
  for (unsigned c : k) if (c == cp) return true;
  return cp == ',' || cp == '.' || cp == ')' || cp == ';' || cp == ':';
}
bool no_break_after(unsigned cp) { return cp == 0xFF08 || cp == 0x201C || cp == 0x300A || cp == 0x2018 || cp == '('; }

}  // namespace

Player& player() { return g_player; }

std::string num4(double v) { return format_placeholder("v", v); }
std::string num6(double v) { return format_placeholder("dE_", v); }

// Lines of `text` wrapped to `width` (UTF-8 ranges); shared by drawing and measuring.
static void wrap_lines(const std::string& text, float width, std::vector<std::pair<const char*, const char*>>* lines) {
  const char* s = text.c_str();
  const char* end = s + text.size();
  while (s <= end) {
    const char* para_end = std::find(s, end, '\n');
    const char* line = s;
    while (line < para_end) {
      // greedy: extend while it fits, remember the last break opportunity
      const char* p = line;
      const char* brk = nullptr;
      unsigned prev = 0;
      while (p < para_end) {
        const char* q = p;
        const unsigned cp = next_cp(q, para_end);
        if (p > line && ((prev == ' ') || ((is_cjk(cp) || is_cjk(prev)) && !no_break_before(cp) && !no_break_after(prev) && cp != ' ')))
          brk = p;
        if (ImGui::CalcTextSize(line, q).x > width && p > line) break;
        prev = cp;
        p = q;
      }
      const char* cut = p >= para_end ? para_end : (brk && brk > line ? brk : p);
      const char* shown_end = cut;
      while (shown_end > line && shown_end[-1] == ' ') --shown_end;
      lines->emplace_back(line, shown_end);
      line = cut;
      while (line < para_end && *line == ' ') ++line;
    }
    if (para_end == s) lines->emplace_back(s, s);
    s = para_end + 1;
  }
}

void wrapped_text(const std::string& text, float width, ImU32 col) {
  std::vector<std::pair<const char*, const char*>> lines;
  wrap_lines(text, width, &lines);
  if (col) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(col));
  for (const auto& [a, b] : lines) ImGui::TextUnformatted(a, b);
  if (col) ImGui::PopStyleColor();
}

float wrapped_text_height(const std::string& text, float width) {
  std::vector<std::pair<const char*, const char*>> lines;
  wrap_lines(text, width, &lines);
  return lines.size() * ImGui::GetTextLineHeightWithSpacing();
}

// ================================ opening steps ================================

std::string Player::apply_setup(App& app, int k, bool fresh) {
  const Tutorial& t = *tutorial;
  std::map<std::string, std::string> ui;
  if (!fresh) {
    if (t.steps[k].setup.empty()) return "";
    fresh = !share::ui_only_setup(t.steps[k].setup, &ui);  // only UI keys (not weights): the session is kept
  }
  if (fresh) {
    std::vector<std::string> setups = {t.base};
    for (int i = 0; i <= k; ++i) setups.push_back(t.steps[i].setup);
    share::Opened r = share::open_setups(setups);
    ui = r.ui;
    const std::string e = app.open(std::move(r), false);  // a lesson step keeps the modes' views
    if (!e.empty()) return "step " + std::to_string(k + 1) + ": " + e;
    trace_example = 0;
  }
  for (const auto& [key, v] : ui) {
    if (key == "traceExample") {
      trace_example = std::max(0, std::atoi(v.c_str()));
    } else if (!fresh) {                               // App's own view keys (a fresh open has set them)
      const std::string e = app.set(key, v);
      if (!e.empty()) return e;
    }
  }
  return "";
}

// Opening step k (from scratch, or going on from the step before), then what every opening does.
std::string Player::enter(App& app, int k, bool fresh) {
  step = k;
  done_count = 0;
  if (fresh) numbers.prevE = NAN;
  error = apply_setup(app, k, fresh);
  refresh(app, true);
  reset_observer(app);
  return error;
}

std::string Player::open(App& app, const std::string& id, int k) {
  const Tutorial* t = find_tutorial(id);
  if (!t) return "no tutorial '" + id + "'";
  if (k < 0 || k >= (int)t->steps.size())
    return "tutorial '" + id + "' has steps 0.." + std::to_string(t->steps.size() - 1) + ", not " + std::to_string(k);
  tutorial = t;
  mode = StripMode::Tutorial;
  flip = derivative = false;
  return enter(app, k, true);
}

std::string Player::next(App& app) {
  if (!tutorial) return "no tutorial is open";
  if (waiting()) return "waiting: " + hint();
  if (step + 1 >= (int)tutorial->steps.size()) { close(); return ""; }
  return enter(app, step + 1, false);
}

std::string Player::back(App& app) {
  if (!tutorial) return "no tutorial is open";
  if (step == 0) return "already at the first step";
  return enter(app, step - 1, true);
}

void Player::action(const std::string& a, const std::string& key, const std::string& value) {
  const TutorialStep* st = current();
  if (!st || mode != StripMode::Tutorial || st->wait != "action" || a != st->action) return;
  if (!st->key.empty() && key != st->key) return;
  if (!st->value.empty() && value != st->value) return;
  ++done_count;
}

void Player::select(App& app, const explain::Selection& s, bool weight_or_neuron) {
  formula_sel = s;
  formula_has_sel = true;
  (void)app;
  action("select", s.what == explain::Pick::Neuron ? "neuron" : "weight");
  (void)weight_or_neuron;
}

bool Player::waiting() const {
  const TutorialStep* st = current();
  if (!st || mode != StripMode::Tutorial) return false;
  if (st->wait == "action") return done_count < std::max(1, st->count);
  if (st->wait == "condition") {
    auto it = numbers.v.find(st->metric);
    if (it == numbers.v.end() || !std::isfinite(it->second)) return true;
    return st->op == "<=" ? !(it->second <= st->threshold) : !(it->second >= st->threshold);
  }
  return false;
}

std::string Player::hint() const {
  const TutorialStep* st = current();
  if (!st || !waiting()) return "";
  char b[256];
  if (st->wait == "condition") {
    auto it = numbers.v.find(st->metric);
    const std::string now = it == numbers.v.end() ? "—" : format_placeholder(st->metric, it->second);
    const std::string want = format_placeholder(st->metric, st->threshold);
    std::snprintf(b, sizeof b, tr("hint.condition"), st->metric.c_str(), st->op.c_str(), want.c_str(), now.c_str());
    return b;
  }
  std::string what = std::string("action.") + st->action;
  std::string s = tr(what.c_str());
  if (!st->key.empty()) s += " (" + st->key + (st->value.empty() ? "" : " = " + st->value) + ")";
  if (st->count > 1) {
    std::snprintf(b, sizeof b, " %d/%d", done_count, st->count);
    s += b;
  }
  return std::string(tr("hint.action")) + s;
}

std::string Player::text() const {
  const TutorialStep* st = current();
  return st ? fill_placeholders(st->text[(int)lang()], numbers) : "";
}

// ================================ observing the learner ================================

void Player::reset_observer(App& app) {
  seen_session_ = app.session.get();
  seen_step_ = app.session->step_count();
  seen_playing_ = app.playing;
  Config c = app.cfg;
  c.seed = 1;
  seen_config_ = make_config_link(c);
  for (const std::string& k : App::keys()) seen_keys_[k] = app.get(k);
  const size_t n = app.session->parameter_count();
  seen_params_.resize(n <= 200000 ? n : 0);
  if (!seen_params_.empty()) app.session->parameters(seen_params_.data());
  seen_popup_ = app.ui_rects.count("edit:value") > 0;
}

void Player::observe(App& app) {
  if (mode != StripMode::Tutorial) { reset_observer(app); return; }
  Session& s = *app.session;
  if (app.playing != seen_playing_) action(app.playing ? "play" : "pause");
  for (const std::string& k : App::keys()) {
    const std::string v = app.get(k);
    auto it = seen_keys_.find(k);
    if (it == seen_keys_.end() || it->second == v) continue;
    // one value for every hidden layer ("tanh,tanh") is that value, as a setup writes it
    std::stringstream ss(v);
    std::string tok, one;
    bool same = true;
    for (int n = 0; std::getline(ss, tok, ','); ++n) { if (n == 0) one = tok; else same = same && tok == one; }
    action("set", k, same ? one : v);
  }
  if (&s != seen_session_) {
    Config c = app.cfg;
    c.seed = 1;
    if (make_config_link(c) == seen_config_ && s.step_count() == 0) action("reset");
  } else if (s.step_count() < seen_step_) {
    action("back");
  } else if (s.step_count() > seen_step_ && !app.playing && !seen_playing_) {
    action("step", app.get("stepSize"));
  } else if (s.step_count() == seen_step_ && seen_params_.size() == s.parameter_count() && !seen_params_.empty()) {
    std::vector<float> now(seen_params_.size());
    s.parameters(now.data());
    for (size_t i = 0; i < now.size(); ++i)
      if (std::memcmp(&now[i], &seen_params_[i], sizeof(float)) != 0) action("edit-weight", lecture_name(s, i));
  }
  cnn_observe(*this);
  reset_observer(app);
}

// ================================ per frame ================================

void Player::before_draw() {
  ImGuiViewport* vp = ImGui::GetMainViewport();
  strip_w = 0;
  if (mode == StripMode::Tutorial || mode == StripMode::Picker || mode == StripMode::Formula) {
    strip_w = std::min(560.0f, std::max(380.0f, vp->WorkSize.x * 0.34f));
    vp->WorkSize.x -= strip_w;                        // App::draw lays the playground out in what is left
  }
}

void Player::after_draw(App& app) {
  const ImGuiIO& io = ImGui::GetIO();
  // Clicks on the playground's neurons and links select them for the formula panel.
  const bool popup_before = seen_popup_;
  if (ImGui::IsMouseClicked(0) && (strip_w == 0 || io.MousePos.x < ImGui::GetMainViewport()->WorkPos.x + ImGui::GetMainViewport()->WorkSize.x)) {
    bool hit = false;
    for (const auto& [name, r] : app.ui_rects)
      if (name.rfind("neuron:", 0) == 0 && name.find(":add") == std::string::npos && name.find(":remove") == std::string::npos && contains(r, io.MousePos)) {
        int l = 0, u = 0;
        if (std::sscanf(name.c_str(), "neuron:%d:%d", &l, &u) == 2) {
          select(app, explain::Selection{explain::Pick::Neuron, l, u, 0}, true);
          hit = true;
        }
      }
    const Playground::LinkRef& k = playground().hovered_link;  // the link under the mouse, as the network panel drew it
    if (!hit && !popup_before && playground().owns(app.cfg) && k.layer >= 0)
      select(app, explain::Selection{explain::Pick::Weight, k.layer, k.out, k.in}, true);
  }
  if (mode == StripMode::Tutorial) refresh(app);
  observe(app);
  playground_rects_.clear();
  for (const auto& kv : app.ui_rects) playground_rects_.push_back(kv.first);
  draw_strip(app);
  if (mode == StripMode::Tutorial) highlight(app);
}

void Player::highlight(App& app) {
  const TutorialStep* st = current();
  if (!st) return;
  ImDrawList* fg = ImGui::GetForegroundDrawList();
  const float strip_x = ImGui::GetMainViewport()->WorkPos.x + ImGui::GetMainViewport()->WorkSize.x;
  const float t = (float)ImGui::GetTime();
  const float pulse = 0.5f + 0.5f * std::sin(t * 5.0f);
  const ImU32 col = IM_COL32(255, 196, 0, (int)(120 + 135 * pulse));
  for (const std::string& id : st->point) {
    const PointMap* pm = nullptr;
    for (const PointMap& m : point_map()) if (id == m.id) pm = &m;
    std::vector<ImVec4> rs;
    for (const auto& [name, r] : app.ui_rects) {
      bool match = pm ? false : name_matches(name, (id + "*").c_str());
      if (pm) for (const char* p : pm->names) match = match || name_matches(name, p);
      // a playground widget under the strip is hidden: no outline there
      const bool hidden = strip_w > 0 && r.x >= strip_x &&
                          std::find(playground_rects_.begin(), playground_rects_.end(), name) != playground_rects_.end();
      if (match && !hidden && r.z > 0 && r.w > 0) rs.push_back(r);
    }
    if (rs.empty()) continue;
    if (pm && pm->unite) {
      ImVec4 u = rs[0];
      float x1 = u.x + u.z, y1 = u.y + u.w;
      for (const ImVec4& r : rs) { u.x = std::min(u.x, r.x); u.y = std::min(u.y, r.y); x1 = std::max(x1, r.x + r.z); y1 = std::max(y1, r.y + r.w); }
      u.z = x1 - u.x; u.w = y1 - u.y;
      rs.assign(1, u);
    }
    for (const ImVec4& r : rs) {
      const float g = 3 + 2 * pulse;
      fg->AddRect(ImVec2(r.x - g, r.y - g), ImVec2(r.x + r.z + g, r.y + r.w + g), col, 5, 0, 2.5f);
    }
    // one arrow per id, pointing down at the first rectangle
    const ImVec4& r = rs[0];
    if (strip_w > 0 && r.x >= ImGui::GetMainViewport()->WorkPos.x + ImGui::GetMainViewport()->WorkSize.x) continue;  // inside the strip: outline only
    const float cx = r.x + std::min(r.z * 0.5f, 24.0f), y = r.y - 6 - 4 * pulse;
    if (y > 14) fg->AddTriangleFilled(ImVec2(cx - 8, y - 12), ImVec2(cx + 8, y - 12), ImVec2(cx, y), col);
  }
}

void Player::draw_strip(App& app) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  if (mode == StripMode::Closed || strip_w <= 0) {
    // a small launcher at the bottom-right corner
    const ImVec2 sz(210, 34);
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x - sz.x - 8, vp->WorkPos.y + vp->WorkSize.y - sz.y - 8));
    ImGui::SetNextWindowSize(sz);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(36, 52, 84, 240));
    ImGui::Begin("##tutorial_launcher", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
    if (ImGui::Button(tr("ui.tutorials"))) mode = tutorial ? StripMode::Tutorial : StripMode::Picker;
    app.note_rect("tutorial:open");
    ImGui::SameLine();
    if (ImGui::Button(tr("ui.formula"))) mode = StripMode::Formula;
    app.note_rect("tutorial:formula");
    ImGui::SameLine();
    if (ImGui::SmallButton(lang() == Lang::En ? "中文" : "EN")) set_language(lang() == Lang::En ? Lang::Zh : Lang::En);
    app.note_rect("tutorial:lang");
    ImGui::End();
    ImGui::PopStyleColor();
    return;
  }
  const ImVec2 pos(vp->WorkPos.x + vp->WorkSize.x, vp->WorkPos.y);
  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSize(ImVec2(strip_w, vp->WorkSize.y));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(24, 33, 52, 255));
  ImGui::PushStyleColor(ImGuiCol_Border, IM_COL32(255, 196, 0, 200));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 2.0f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(12, 10));
  ImGui::Begin("##tutorial_strip", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  ImGui::PopStyleVar(2);
  app.ui_rects["tutorial:strip"] = ImVec4(pos.x, pos.y, strip_w, vp->WorkSize.y);
  const float W = ImGui::GetContentRegionAvail().x;
  // ---- header: modes, language, close ----
  auto tab = [&](const char* label, StripMode m, const char* rect) {
    const bool on = mode == m || (m == StripMode::Picker && mode == StripMode::Tutorial);
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, IM_COL32(70, 100, 160, 255));
    if (ImGui::Button(label)) mode = (m == StripMode::Picker && tutorial && mode != StripMode::Tutorial) ? StripMode::Tutorial : m;
    if (on) ImGui::PopStyleColor();
    app.note_rect(rect);
    ImGui::SameLine();
  };
  tab(tr("ui.tutorials"), StripMode::Picker, "tutorial:tab");
  if (mode == StripMode::Tutorial && ImGui::Button(tr("ui.all"))) close();
  if (mode != StripMode::Picker) app.note_rect("tutorial:list");
  ImGui::SameLine();
  tab(tr("ui.formula"), StripMode::Formula, "tutorial:formula");
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, ImGui::GetContentRegionAvail().x - 118));
  if (ImGui::RadioButton("EN", lang() == Lang::En)) set_language(Lang::En);
  app.note_rect("tutorial:en");
  ImGui::SameLine();
  if (ImGui::RadioButton("中文##zh", lang() == Lang::Zh)) set_language(Lang::Zh);
  app.note_rect("tutorial:zh");
  ImGui::SameLine();
  if (ImGui::SmallButton("x")) mode = StripMode::Closed;
  app.note_rect("tutorial:close");
  ImGui::Separator();

  if (!tutorials_error().empty()) wrapped_text(tutorials_error(), W, IM_COL32(255, 120, 100, 255));
  if (mode == StripMode::Picker) {
    ImGui::TextColored(ImVec4(1, 0.8f, 0.3f, 1), "%s", tr("ui.pick"));
    for (const Tutorial& t : tutorials()) {
      ImGui::PushID(t.id.c_str());
      char label[256];
      std::snprintf(label, sizeof label, "%d. %s", t.order, t.title[(int)lang()].c_str());
      if (ImGui::Selectable(label, tutorial == &t)) { std::string e = open(app, t.id, 0); app.report(e); }
      app.note_rect(("tutorial:pick:" + t.id).c_str());
      ImGui::Indent(18);
      wrapped_text(t.summary[(int)lang()], W - 24, ui::kDim);
      ImGui::Unindent(18);
      ImGui::Spacing();
      ImGui::PopID();
    }
  } else if (mode == StripMode::Formula) {
    refresh(app);
    const std::string id = "formula";
    const json none;
    ViewCtx c{app, *this, id, none, W};
    ImGui::BeginChild("##formula_view", ImVec2(0, 0), false);
    draw_view(c);
    ImGui::EndChild();
  } else if (mode == StripMode::Tutorial && tutorial) {
    const TutorialStep& st = tutorial->steps[step];
    ImGui::TextColored(ImVec4(1, 0.8f, 0.3f, 1), "%s", tutorial->title[(int)lang()].c_str());
    char b[96];
    std::snprintf(b, sizeof b, tr("ui.stepof"), step + 1, (int)tutorial->steps.size());
    ImGui::TextUnformatted(b);
    app.note_rect("tutorial:counter");
    ImGui::SameLine();
    ImGui::ProgressBar((step + 1) / (float)tutorial->steps.size(), ImVec2(-1, 6), "");
    ImGui::Spacing();
    const std::string body = text();
    const float text_h = wrapped_text_height(body, W - 14) + 6;
    ImGui::BeginChild("##tutorial_text", ImVec2(0, std::min({vp->WorkSize.y * 0.42f, 330.0f, text_h})), false);
    wrapped_text(body, ImGui::GetContentRegionAvail().x - 14, IM_COL32(235, 238, 242, 255));
    ImGui::EndChild();
    if (!error.empty()) wrapped_text(error, W, IM_COL32(255, 120, 100, 255));
    const bool wait = waiting();
    if (wait) wrapped_text(hint(), W, IM_COL32(255, 176, 80, 255));
    ImGui::BeginDisabled(step == 0);
    if (ImGui::Button(tr("ui.back"), ImVec2(90, 0))) app.report(back(app));
    ImGui::EndDisabled();
    app.note_rect("tutorial:back");
    ImGui::SameLine();
    ImGui::BeginDisabled(wait);
    const bool last = step + 1 == (int)tutorial->steps.size();
    if (ImGui::Button(last ? tr("ui.finish") : tr("ui.next"), ImVec2(90, 0))) app.report(next(app));
    ImGui::EndDisabled();
    app.note_rect("tutorial:next");
    ImGui::SameLine();
    std::snprintf(b, sizeof b, "#v=1&tutorial=%s&tstep=%d", tutorial->id.c_str(), step);
    if (ImGui::SmallButton(tr("ui.copylink"))) ImGui::SetClipboardText(b);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", b);
    app.note_rect("tutorial:link");
    if (!st.view.empty()) {
      ImGui::Separator();
      ViewCtx c{app, *this, st.view, st.view_args, W};
      ImGui::BeginChild("##tutorial_view", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
      c.width = ImGui::GetContentRegionAvail().x;
      if (!draw_view(c)) ImGui::TextColored(ImVec4(1, 0.5f, 0.4f, 1), "unknown view '%s'", st.view.c_str());
      ImGui::EndChild();
    }
  }
  ImGui::End();
  ImGui::PopStyleColor(2);
}

bool draw_view(ViewCtx& c) {
  const std::string& id = c.id;
  if (id.rfind("backprop.", 0) == 0) backprop_view(c);
  else if (id == "formula") formula_view(c);
  else if (id == "conv.1d" || id == "conv.explainer" || id == "conv.flip" || id == "pool.max" || id == "pool.avg") conv_view(c);
  else if (id == "mp.truth-table" || id == "perceptron.rule") neuron_view(c);
  else if (id == "linear.collapse" || id == "layers.count") network_view(c);
  else if (id == "activations.plot") activations_view(c);
  else if (id.rfind("cnn.", 0) == 0) cnn_view(c);
  else return false;
  return true;
}

// ================================ hooks ================================

void tutorial_before_draw(App& app) { (void)app; g_player.before_draw(); }
void tutorial_after_draw(App& app) { g_player.after_draw(app); }

void tutorial_add_fonts(float size_px) {
#ifdef NNPLAY_CJK_FONT_FILE
  static ImVector<ImWchar> ranges;
  if (ranges.empty()) {
    ImFontGlyphRangesBuilder b;
    for (const Tutorial& t : tutorials()) {
      for (int l = 0; l < 2; ++l) { b.AddText(t.title[l].c_str()); b.AddText(t.summary[l].c_str()); }
      for (const TutorialStep& s : t.steps) for (int l = 0; l < 2; ++l) b.AddText(s.text[l].c_str());
    }
    for_each_string([&](const std::string& s) { b.AddText(s.c_str()); });
    b.AddText("中文−×·∂αΣ∑θ←→≤≥½~—∞");
    b.BuildRanges(&ranges);
  }
  ImGuiIO& io = ImGui::GetIO();
  ImFontConfig cfg;
  cfg.MergeMode = true;
  cfg.OversampleH = 1; cfg.OversampleV = 1;            // CJK glyphs are many: keep the atlas small at high DPI
  cfg.PixelSnapH = true;
  io.Fonts->AddFontFromFileTTF(NNPLAY_CJK_FONT_FILE, size_px, &cfg, ranges.Data);
#else
  (void)size_px;
#endif
}

std::string tutorial_open_link(App& app, const std::string& fragment) {
  const share::Opened r = share::open_link(fragment);  // the link's keys, checked; its session is not the lesson's
  auto id = r.ui.find("tutorial"), k = r.ui.find("tstep");
  std::string e = !r.ok() ? r.error : id == r.ui.end() ? "no tutorial= in the link" : "";
  if (e.empty()) e = g_player.open(app, id->second, k == r.ui.end() ? 0 : std::atoi(k->second.c_str()));
  if (!e.empty()) app.report("tutorial link: " + e);
  return e;
}

void tutorial_link_keys(std::map<std::string, std::string>* ui) {
  if (g_player.mode != StripMode::Tutorial || !g_player.tutorial) return;
  (*ui)["tutorial"] = g_player.tutorial->id;
  (*ui)["tstep"] = std::to_string(g_player.step);
}
