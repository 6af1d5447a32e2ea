// The playground's state and actions (what the panels edit and the JS API calls), on top of the
// engine's Session. Not drawing (panel_*.cpp) and not GL (heatmap.h).
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <memory>
#include <string>
#include <vector>
#include "platform/frame_stats.h"
#include "platform/heatmap.h"
#include "imgui.h"
#include "nnplay/config.h"
#include "nnplay/session.h"
#include "nnplay/state.h"

inline constexpr int kMaxHidden = 8;                   // the playground's caps (the engine allows more)
inline constexpr int kMaxNeurons = 16;
inline constexpr int kGrid = 64;                       // heatmap resolution: kGrid x kGrid points over [-6, 6]^2
inline constexpr float kDomain = 6.0f;

enum class Problem : uint8_t { Classification, Multiclass, Regression };

// One point of the loss curves.
struct CurvePoint { int64_t step; float train, test; };

class App {
 public:
  static App* create(std::string* error);              // null with *error set when the default experiment cannot start
  void update();                                       // once per frame, before the UI: training and the heatmap values
  void draw();                                         // once per frame: the whole UI
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
  std::string set(const std::string& key, const std::string& value); // the share link's keys (web/KEYS.md)
  std::string get(const std::string& key) const;       // the current value of a key, as set() reads it ("" if unknown)
  std::string apply(const nnplay::Config& c, bool keep_weights); // new configuration; keep_weights: training-only change
  std::string set_weight(int layer, bool bias, int index, float value);
  std::string add_point(float x1, float x2, float label);
  void clear_points();
  static const std::vector<std::string>& keys();
  void set_status(const std::string& s, bool error) { status = s; status_is_error = error; }
  void report(const std::string& error) { if (!error.empty()) set_status(error, true); } // shows a failed action's message       // every key set() accepts, in the documented order

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
  // ---- classroom / embed mode (web/embed.cpp): <part>_hide=1 and embed=1 link keys ----
  std::set<std::string> hidden_parts;                  // "data", "controls", "output", "share", or a top-bar key
  bool compact = false;                                // embed=1: no title bar, no Share button
  bool hides(const std::string& part) const { return hidden_parts.count(part) > 0; }
  static bool is_embed_key(const std::string& key);
  std::string set_embed_key(const std::string& key, const std::string& value);
  void embed_link_keys(std::map<std::string, std::string>* ui) const;
  static const std::vector<std::string>& link_keys();
  void view_keys(std::map<std::string, std::string>* ui) const; // stepSize, stepsPerFrame, showTestData, discretize, gradients  // keys() plus "*_hide" and "embed": what a link may carry
  std::string status;                                  // the last message shown in the page (divergence, errors)
  bool status_is_error = false;
  bool diverged = false;
  std::vector<CurvePoint> curve;
  nnplay::Metrics metrics;
  int last_updates = 0;                                // parameter updates made by the last frame

  Problem problem() const;
  int output_units() const { return cfg.layers.back().units; }
  int hidden_count() const { return (int)cfg.layers.size() - 1; }
  static float act_low(nnplay::Activation a);          // lowest value of an activation's range (-1 or 0)

  // ---- the heatmaps: per-neuron values over the grid, packed into the renderer's atlas ----
  Heatmaps heat;
  int feature_tile(int f) const { return f; }          // tiles 0..6: the seven input features
  int neuron_tile(int layer, int unit) const { return (int)nnplay::Feature::Count + tile_base_[layer] + unit; }
  float neuron_scale(int layer, int unit) const;       // colour scale of a neuron's tile in the current view
  // Nearest example to (x1, x2) among train (and test when shown): index, set; false if none.
  bool nearest_example(float x1, float x2, bool* test_set, int* index) const;
  ImVec2 features_min, features_max;                   // the features column this frame (links start there)
  std::map<std::string, ImVec4> ui_rects;              // widget rectangles by name (CSS px), for tests: x, y, w, h
  void note_rect(const char* name);                    // records the last ImGui item's rectangle

 private:
  void rebuild_after_change();                         // caches that depend on the data or the network
  void refresh_heatmaps();                             // eval_grid (one batched call) or the gradient field
  void record_curve();

  FrameStats stats_, gl_stats_;
  std::vector<float> grid_xy_;                         // (kGrid*kGrid, 2) input points, row 0 at x2 = +6
  std::vector<float> grid_out_;                        // eval_grid output
  std::vector<float> grad_field_;                      // (train examples, total units) dE/da
  std::vector<int> nearest_train_;                     // per grid cell, the nearest training example
  std::vector<int> tile_base_;                         // first unit index of each layer among all units
  std::vector<float> tile_max_;                        // per unit, max |value| of its tile (gradient view scaling)
  int total_units_ = 0;
  int64_t heat_step_ = -1;                             // step count the heatmaps were computed at
  bool heat_dirty_ = true, heat_grad_ = false;
};

App* the_app();                                        // the page's one App, for the bindings
