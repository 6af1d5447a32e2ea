// The 2-D playground mode (TF Playground's page): its door. The mode App calls (app/mode.h), and
// the state its panels share: the heatmaps of every neuron over the input square, the features
// column, the link under the mouse. Not image mode (web/cnn).
#pragma once
#include <string>
#include <vector>
#include "app/app.h"
#include "app/mode.h"
#include "platform/heatmap.h"

class Playground : public Mode {
 public:
  static constexpr int kGrid = 64;                     // heatmap resolution: kGrid x kGrid points over the input square
  static Playground* create(std::string* error);       // compiles the heatmap shaders (a GL context must be current)

  bool owns(const nnplay::Config& c) const override { return !nnplay::is_image(c.data.set); }
  void draw(App& app, Area a) override;                // features, network and output columns
  void update(App& app) override;                      // the heatmap values (one batched eval_grid), when anything changed

  // ---- what the panels share ----
  Heatmaps heat;
  int feature_tile(int f) const { return f; }          // tiles 0..6: the seven input features
  int neuron_tile(int layer, int unit) const { return (int)nnplay::Feature::Count + tile_base_[layer] + unit; }
  float neuron_scale(const App& app, int layer, int unit) const;  // colour scale of a neuron's tile in the current view
  // Nearest example to (x1, x2) among train (and test when shown): index, set; false if none.
  bool nearest_example(const App& app, float x1, float x2, bool* test_set, int* index) const;
  ImVec2 features_min, features_max;                   // the features column this frame (links start there)
  struct LinkRef { int layer = -1, out = 0, in = 0; };
  LinkRef hovered_link;                                // the dense link under the mouse this frame (network panel), layer -1: none

 private:
  void rebuild(const App& app);                        // caches that depend on the data or the network
  std::vector<float> grid_xy_;                         // (kGrid*kGrid, 2) input points, row 0 at x2 = +6
  std::vector<float> grid_out_;                        // eval_grid output
  std::vector<float> grad_field_;                      // (train examples, total units) dE/da
  std::vector<int> nearest_train_;                     // per grid cell, the nearest training example
  std::vector<int> tile_base_;                         // first unit index of each layer among all units
  std::vector<float> tile_max_;                        // per unit, max |value| of its tile (gradient view scaling)
  int total_units_ = 0;
  uint64_t seen_serial_ = 0, seen_revision_ = 0;       // the App's session and revision the heatmaps show
  bool seen_grad_ = false, built_ = false, fresh_ = false;
};

Playground& playground();                              // the page's one playground (its panels, the tutorial)
