// The playground's state and actions (what the panels edit and the JS API calls), on top of the
// engine's Session. Not drawing (panel_*.cpp) and not GL (heatmap.h).
#pragma once
#include <memory>
#include <string>
#include "frame_stats.h"

class App {
 public:
  static App* create(std::string* error);              // null with *error set when the default experiment cannot start
  void update();                                       // once per frame, before the UI: training
  void draw();                                         // once per frame: the whole UI
  void frame_done(double cpu_ms, double gl_ms) { stats_.add(cpu_ms); gl_stats_.add(gl_ms); }
  const FrameStats& stats() const { return stats_; }       // training + building the UI
  const FrameStats& gl_stats() const { return gl_stats_; } // submitting the draw data to WebGL (may wait on the GPU)
  int steps_per_frame() const { return 1; }
 private:
  FrameStats stats_, gl_stats_;
};

App* the_app();                                        // the page's one App, for the bindings
