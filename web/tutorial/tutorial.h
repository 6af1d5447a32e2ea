// The tutorial player: tutorials loaded from their JSON files (web/tutorial/lessons/README.md), the
// player's state (step, waits, language), placeholders filled from the engine, the right-hand
// strip that shows the text and the special views (views.h). Not the views' drawing.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>
#include <nlohmann/json.hpp>
#include "app/app.h"
#include "app/i18n.h"
#include "nnplay/explain.h"

struct TutorialStep {
  std::string setup;                                   // setup string of this step ("" keeps the playground)
  std::string text[2];                                 // en, zh; placeholders {name}
  std::vector<std::string> point;                      // UI ids to highlight
  std::string view;                                    // special view id, or ""
  nlohmann::json view_args;                            // its data (object or null)
  std::string wait = "next";                           // next | action | condition
  std::string action, key, value;                      // wait kind action
  int count = 1;
  std::string metric, op;                              // wait kind condition
  double threshold = 0;
};
struct Tutorial {
  std::string id;
  int order = 0;
  std::string title[2], summary[2];
  std::string base;
  std::vector<TutorialStep> steps;
};

const std::vector<Tutorial>& tutorials();              // every /tutorials/*.json, sorted by order (loaded once)
const std::string& tutorials_error();                  // "" or what failed while loading them
const Tutorial* find_tutorial(const std::string& id);

// The numbers of the placeholders and the backprop views, recomputed when the session changes.
struct Numbers {
  bool lecture = false;                                // the lecture's 2-layer sigmoid net: `bp` is valid
  std::string lecture_error;                           // why not, when !lecture
  nnplay::explain::LectureBackprop bp;
  std::map<std::string, double> v;                     // placeholder name -> value (absent: does not apply)
  double prevE = NAN;                                  // E just before the last apply-update
};
std::string format_placeholder(const std::string& name, double value);  // README.md's number formats
std::string fill_placeholders(const std::string& text, const Numbers& n);

enum class StripMode : uint8_t { Closed, Picker, Tutorial, Formula };  // what the right-hand strip shows

class Player {
 public:
  // ---- actions (the UI, the JS API and share links call these); "" or an error message ----
  std::string open(App& app, const std::string& id, int step);   // the session made anew from step's effective setup
  std::string next(App& app);
  std::string back(App& app);
  void close() { mode = StripMode::Picker; tutorial = nullptr; }
  void set_language(Lang l) { set_ui_language(l); }    // the page's language (app/i18n.h)
  void action(const std::string& a, const std::string& key = "", const std::string& value = "");  // the learner did `a`
  void select(App& app, const nnplay::explain::Selection& s, bool weight_or_neuron);  // formula selection (counts as `select`)

  // ---- per frame ----
  void before_draw();                                  // reserves the right-hand strip (main viewport's work area)
  void after_draw(App& app);                           // observes the learner's actions, draws the strip and the highlights

  // ---- state ----
  StripMode mode = StripMode::Closed;
  Lang lang() const { return ui_language(); }
  const Tutorial* tutorial = nullptr;
  int step = 0;
  int done_count = 0;                                  // matching actions since the step opened
  bool waiting() const;                                // Next is disabled
  std::string hint() const;                            // what Next waits for, in the current language
  std::string text() const;                            // the current step's text, placeholders filled
  const TutorialStep* current() const { return tutorial ? &tutorial->steps[step] : nullptr; }
  std::string error;                                   // the last setup/opening error, shown in the strip

  // ---- shared with the views ----
  int trace_example = 0;                               // traceExample: the training example the numbers show
  Numbers numbers;
  void refresh(App& app, bool force = false);          // recomputes `numbers` when the session changed
  nnplay::explain::Selection formula_sel;              // the formula panel's selection
  bool formula_has_sel = false;
  bool flip = false, derivative = false;               // conv.flip and activations.plot toggles
  int cell_r = 0, cell_c = 0;                          // selected output cell of the conv/pool views
  int cell_step = -1;                                  // step the cell selection was initialised for
  float strip_w = 0;                                   // width of the reserved strip this frame (0: none)
  void rebase(App& app) { reset_observer(app); }       // the current state is the observer's new baseline (after the player's own edits)

 private:
  std::string apply_setup(App& app, int k, bool fresh);
  std::string enter(App& app, int k, bool fresh);       // step k: apply_setup, then the numbers and the observer
  void observe(App& app);
  void highlight(App& app);
  void draw_strip(App& app);
  void reset_observer(App& app);
  // observer state
  const nnplay::Session* seen_session_ = nullptr;
  int64_t seen_step_ = 0;
  bool seen_playing_ = false;
  std::string seen_config_;
  std::map<std::string, std::string> seen_keys_;
  std::vector<float> seen_params_;
  bool seen_popup_ = false;
  std::vector<std::string> playground_rects_;          // names App::draw noted this frame (before the strip)
  // numbers cache key
  const nnplay::Session* num_session_ = nullptr;
  int64_t num_step_ = -1;
  std::string num_hash_;
  int num_example_ = -1;
  int num_loss_ = -1;
};

Player& player();                                      // the page's one player

// ---- hooks called by web/main.cpp and the bindings ----
void tutorial_before_draw(App& app);                   // after ImGui::NewFrame, before App::draw
void tutorial_after_draw(App& app);                    // after App::draw
void tutorial_add_fonts(float size_px);                // merges the Chinese subset font into the atlas (after the UI font)
// Opens the tutorial step a link names (tutorial=<id>&tstep=<k>); the page's script passes the
// address's fragment (web/share/state_api.js). "" or the error, also shown in the page.
std::string tutorial_open_link(App& app, const std::string& fragment);
void tutorial_link_keys(std::map<std::string, std::string>* ui);  // adds tutorial= and tstep= to a share link's UI keys
