// The heatmap renderer: per-neuron values over the input square in one R32F atlas texture, drawn
// through ImGui's draw list with the fragment shader of shaders/heatmap_frag.glsl. No engine calls.
#pragma once
#include <array>
#include <string>
#include <vector>
#include "imgui.h"

class Heatmaps {
 public:
  struct Style {
    int mode = 0;                                      // 0: one value on a diverging scale; 1: multi-class probabilities
    int palette = 0;                                   // 0: values (orange - blue); 1: gradients (magenta - green)
    float offset = 0, scale = 1;                       // the colour shows (v - offset) * scale in [-1, 1]
    bool discretize = false;
    int classes = 0, class_tiles[6] = {0, 0, 0, 0, 0, 0};
  };
  bool init(int grid, std::string* error);             // compiles the shaders; grid = texels per tile side
  void reserve(int tiles);                             // sizes the atlas for this many tiles (keeps capacity)
  float* row(int tile, int gy);                        // staging: `grid` floats of a tile's row gy (row 0 at the top)
  void upload();                                       // staging -> texture
  void begin_frame() { used_ = 0; }
  // Adds tile `tile` as the rectangle p0..p1 of `dl`; call end(dl) after a run of draws, before other drawing.
  void draw(ImDrawList* dl, int tile, ImVec2 p0, ImVec2 p1, const Style& s, float alpha = 1.0f);
  void end(ImDrawList* dl);
  int grid() const { return grid_; }

 private:
  static void callback(const ImDrawList* dl, const ImDrawCmd* cmd);
  void tile_origin(int tile, int* x, int* y) const { *x = (tile % kPerRow) * grid_; *y = (tile / kPerRow) * grid_; }
  static constexpr int kPerRow = 16;
  static constexpr int kMaxDraws = 512;
  unsigned program_ = 0, texture_ = 0;
  int grid_ = 64, tiles_ = 0, width_ = 0, height_ = 0;
  int u_proj_ = -1, u_values_ = -1, u_origin_ = -1, u_tile_ = -1, u_mode_ = -1, u_palette_ = -1, u_offset_ = -1,
      u_scale_ = -1, u_disc_ = -1, u_classes_ = -1, u_class_origin_ = -1;
  std::vector<float> staging_;
  struct Pending { Heatmaps* self; Style style; int ox, oy; };
  std::array<Pending, kMaxDraws> pending_;             // fixed storage: draw commands point into it until rendered
  int used_ = 0;
};
