// The page's state and actions, on top of the engine's Session: the session's life cycle (every
// new session comes through the state door, web/share/share.h, and is adopted here in one way),
// training per frame, the loss curves, the settings by key, the status line. App calls the modes
// (app/mode.h) it was given and names none of them. Not drawing (panels) and not GL.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>
#include "imgui.h"
#include "nnplay/config.h"
#include "nnplay/session.h"
#include "nnplay/state.h"
#include "platform/frame_stats.h"
#include "share/share.h"

class Mode;

enum class Problem : uint8_t { Classification, Multiclass, Regression };

// One point of the loss curves.
struct CurvePoint { int64_t step; float train, test; };

class App {
 public:
  // The default experiment, shown by the first of `modes` that owns it; null with *error set when it cannot start.
  static App* create(std::vector<Mode*> modes, std::string* error);
  void update();                                       // once per frame, before the UI: training, then the mode's per-frame work
  void draw();                                         // once per frame: the whole UI (app/layout.cpp)
  void on_key(int sdl_scancode, bool repeat);          // the keyboard shortcuts (space, right, left, r)
  void frame_done(double cpu_ms, double gl_ms) { stats_.add(cpu_ms); gl_stats_.add(gl_ms); ++frames_total; }
  int64_t frames_total = 0;                            // frames drawn since the page started
  const FrameStats& stats() const { return stats_; }       // training + building the UI
  const FrameStats& gl_stats() const { return gl_stats_; } // submitting the draw data to WebGL (may wait on the GPU)

  // ---- actions; each returns "" or an error message, and never leaves the app without a session ----
  void play();
  void pause() { playing = false; }
  nnplay::StepResult step(nnplay::StepSize size, int n); // pauses and reports on divergence
  int back(int n);                                     // returns how many updates were undone
  void reset(bool new_seed);
  std::string set(const std::string& key, const std::string& value); // the share link's keys (web/share/KEYS.md)
  std::string get(const std::string& key) const;       // the current value of a key, as set() reads it ("" if unknown)
  static const std::vector<std::string>& keys();       // the keys state().config shows: the settings, then the view keys
  // A new configuration through the state door; keep_weights: a training-only change keeps the
  // parameters. The session trains on the owning mode's data (the user's files) when it has some.
  std::string apply(const nnplay::Config& c, bool keep_weights);
  // A whole state from outside (link, file, preset, tutorial step): adopts it and its UI keys, and
  // tells the modes (fresh_views: they start their views over; a tutorial step keeps them).
  std::string open(share::Opened r, bool fresh_views = true);
  std::string set_weight(int layer, bool bias, int index, float value);
  std::string add_point(float x1, float x2, float label);
  void clear_points();
  void set_status(const std::string& s, bool error) { status = s; status_is_error = error; status_is_divergence = false; }
  void report(const std::string& error) { if (!error.empty()) set_status(error, true); }  // shows a failed action's message
  std::string status_text() const;                     // the status line, a divergence worded in the current UI language

  // ---- state the panels read and edit ----
  nnplay::Config cfg;                                  // the configuration of `session`
  std::unique_ptr<nnplay::Session> session;
  nnplay::StepLog log;
  bool playing = false;
  nnplay::StepSize step_size = nnplay::StepSize::Epoch; // of the step button and of playing (TF Playground: an epoch per frame)
  int steps_per_frame = 1;
  bool show_test = false, discretize = false, gradients = false;
  int add_class = 1;                                   // class (or target) of points added by clicking the output
  bool adding_points = false;
  // ---- classroom / embed mode: <part>_hide=1 and embed=1 (web/share/ui_keys.h) ----
  std::set<std::string> hidden_parts;                  // "data", "controls", "output", "share", or a top-bar key
  bool compact = false;                                // embed=1: no title bar, no Share button
  bool hides(const std::string& part) const { return hidden_parts.count(part) > 0; }
  void view_keys(std::map<std::string, std::string>* ui) const;       // stepSize, stepsPerFrame, showTestData, discretize, gradients
  void classroom_keys(std::map<std::string, std::string>* ui) const;  // <part>_hide=1 and embed=1 where set
  std::string status;                                  // the last message shown in the page (errors, notes)
  bool status_is_error = false;
  bool diverged = false;
  nnplay::Divergence divergence;                       // the last one, while `diverged`
  std::vector<CurvePoint> curve;
  nnplay::Metrics metrics;
  int last_updates = 0;                                // parameter updates made by the last frame
  uint64_t revision() const { return revision_; }      // changes with every new session, step, back or weight edit
  uint64_t session_serial() const { return serial_; }  // changes with every new session (addresses may be reused)

  Problem problem() const;
  int output_units() const { return cfg.layers.back().units; }
  int hidden_count() const { return (int)cfg.layers.size() - 1; }
  static float act_low(nnplay::Activation a);          // lowest value of an activation's range (-1 or 0)
  Mode& mode() const;                                  // the mode that owns the current configuration
  std::map<std::string, ImVec4> ui_rects;              // widget rectangles by name (CSS px), for tests and tutorials: x, y, w, h
  void note_rect(const char* name);                    // records the last ImGui item's rectangle

 private:
  void adopt(share::Opened& r);                        // the one way a session comes in
  bool set_ui_key(const std::string& key, const std::string& value);  // App's own UI keys; false if not one
  void record_curve();
  Mode& mode_for(const nnplay::Config& c) const;

  std::vector<Mode*> modes_;
  bool status_is_divergence = false;
  uint64_t revision_ = 0, serial_ = 0;
  FrameStats stats_, gl_stats_;
};

App* the_app();                                        // the page's one App, for the bindings
