// Image mode's small pictures (feature maps, kernels, digits) packed each frame into one RGBA8
// texture atlas and drawn with ImGui::Image; only the rows used this frame are uploaded. No engine calls.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>
#include "cnn/parts.h"
#include "platform/gl.h"

namespace cnn {
namespace {

constexpr int kSide = 1024;                            // atlas texels per side
struct Atlas {
  unsigned tex = 0;
  std::vector<uint32_t> px;
  int x = 0, y = 0, row_h = 0, used_h = 0;
  bool full = false;
};
Atlas& atlas() { static Atlas a; return a; }

uint32_t rgba(int r, int g, int b) { return 0xff000000u | ((uint32_t)b << 16) | ((uint32_t)g << 8) | (uint32_t)r; }
uint32_t lerp(int r0, int g0, int b0, int r1, int g1, int b1, float t) {
  return rgba((int)(r0 + (r1 - r0) * t), (int)(g0 + (g1 - g0) * t), (int)(b0 + (b1 - b0) * t));
}
// The colour of value v, already divided by its scale.
uint32_t colour(float t, Scale s) {
  if (!std::isfinite(t)) return rgba(255, 0, 0);
  if (s == Scale::Grey) { const int g = (int)(std::min(1.0f, std::max(0.0f, t)) * 255.0f); return rgba(g, g, g); }
  t = std::min(1.0f, std::max(-1.0f, t));
  if (s == Scale::Diverging)                           // TF Playground's blue (positive) and orange (negative) over dark zero
    return t >= 0 ? lerp(30, 33, 38, 8, 119, 189, t) : lerp(30, 33, 38, 245, 147, 34, -t);
  return t >= 0 ? lerp(30, 33, 38, 46, 175, 60, t) : lerp(30, 33, 38, 214, 40, 120, -t);  // gradients: green / magenta
}

}  // namespace

float max_abs(const float* v, size_t n) {
  float m = 0;
  for (size_t i = 0; i < n; ++i) if (std::isfinite(v[i])) m = std::max(m, std::fabs(v[i]));
  return m;
}

void atlas_begin_frame() {
  Atlas& a = atlas();
  if (!a.tex) {
    a.px.assign((size_t)kSide * kSide, 0);
    glGenTextures(1, &a.tex);
    glBindTexture(GL_TEXTURE_2D, a.tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);   // pixels stay square cells
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, kSide, kSide, 0, GL_RGBA, GL_UNSIGNED_BYTE, a.px.data());
  }
  a.x = a.y = a.row_h = a.used_h = 0;
  a.full = false;
}

void atlas_end_frame() {
  Atlas& a = atlas();
  if (!a.tex || a.used_h == 0) return;
  glBindTexture(GL_TEXTURE_2D, a.tex);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, kSide, a.used_h, GL_RGBA, GL_UNSIGNED_BYTE, a.px.data());
}

bool image(const float* v, int h, int w, float scale, Scale s, ImVec2 size, int* py, int* px) {
  Atlas& a = atlas();
  if (a.x + w + 1 > kSide) { a.x = 0; a.y += a.row_h + 1; a.row_h = 0; }
  if (!a.tex || w + 1 > kSide || a.y + h + 1 > kSide) {  // out of atlas space: a grey box, still clickable
    a.full = true;
    ImGui::Dummy(size);
  } else {
    const float inv = scale > 0 ? 1.0f / scale : 1.0f;
    for (int r = 0; r < h; ++r)
      for (int c = 0; c < w; ++c) a.px[(size_t)(a.y + r) * kSide + a.x + c] = colour(v[(size_t)r * w + c] * inv, s);
    const ImVec2 uv0((float)a.x / kSide, (float)a.y / kSide), uv1((float)(a.x + w) / kSide, (float)(a.y + h) / kSide);
    ImGui::Image((ImTextureID)(intptr_t)a.tex, size, uv0, uv1);
    a.x += w + 1;
    a.row_h = std::max(a.row_h, h);
    a.used_h = std::max(a.used_h, a.y + h);
  }
  const ImVec2 r0 = ImGui::GetItemRectMin();
  if (ImGui::IsItemHovered()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int yy = std::min(h - 1, std::max(0, (int)((m.y - r0.y) / size.y * h)));
    const int xx = std::min(w - 1, std::max(0, (int)((m.x - r0.x) / size.x * w)));
    ImGui::BeginTooltip();
    ImGui::Text("(%d, %d) = %.5g", yy, xx, (double)v[(size_t)yy * w + xx]);
    ImGui::EndTooltip();
    if (ImGui::IsMouseClicked(0)) {
      if (py) *py = yy;
      if (px) *px = xx;
      return true;
    }
  }
  return false;
}

}  // namespace cnn
