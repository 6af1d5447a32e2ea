// The heatmap renderer (see heatmap.h): shader setup, the R32F atlas, and the draw-list callback
// that switches ImGui's program for our own while a heatmap quad is drawn.
#include "platform/heatmap.h"
#include <cstring>
#include "platform/gl.h"
#include "nnplay_shaders.h"

namespace {
// "" when the shader compiled (or the program linked), else its info log.
std::string gl_failure(GLuint obj, bool program) {
  GLint ok = 0;
  if (program) glGetProgramiv(obj, GL_LINK_STATUS, &ok);
  else glGetShaderiv(obj, GL_COMPILE_STATUS, &ok);
  if (ok) return "";
  char log[1024] = {0};
  if (program) glGetProgramInfoLog(obj, sizeof log - 1, nullptr, log);
  else glGetShaderInfoLog(obj, sizeof log - 1, nullptr, log);
  return log[0] ? log : "(no log)";
}

GLuint compile(GLenum type, const char* src, std::string* error) {
  GLuint s = glCreateShader(type);
  glShaderSource(s, 1, &src, nullptr);
  glCompileShader(s);
  const std::string e = gl_failure(s, false);
  if (e.empty()) return s;
  *error = std::string(type == GL_VERTEX_SHADER ? "heatmap vertex shader: " : "heatmap fragment shader: ") + e;
  glDeleteShader(s);
  return 0;
}
}  // namespace

bool Heatmaps::init(int grid, std::string* error) {
  grid_ = grid;
  GLuint vs = compile(GL_VERTEX_SHADER, kShader_heatmap_vert, error);
  if (!vs) return false;
  GLuint fs = compile(GL_FRAGMENT_SHADER, kShader_heatmap_frag, error);
  if (!fs) { glDeleteShader(vs); return false; }
  program_ = glCreateProgram();
  glAttachShader(program_, vs);
  glAttachShader(program_, fs);
  glLinkProgram(program_);
  glDeleteShader(vs);
  glDeleteShader(fs);
  const std::string e = gl_failure(program_, true);
  if (!e.empty()) {
    *error = "heatmap shader program: " + e;
    return false;
  }
  u_proj_ = glGetUniformLocation(program_, "ProjMtx");
  u_values_ = glGetUniformLocation(program_, "uValues");
  u_origin_ = glGetUniformLocation(program_, "uTileOrigin");
  u_tile_ = glGetUniformLocation(program_, "uTile");
  u_mode_ = glGetUniformLocation(program_, "uMode");
  u_palette_ = glGetUniformLocation(program_, "uPalette");
  u_offset_ = glGetUniformLocation(program_, "uOffset");
  u_scale_ = glGetUniformLocation(program_, "uScale");
  u_disc_ = glGetUniformLocation(program_, "uDiscretize");
  u_classes_ = glGetUniformLocation(program_, "uClasses");
  u_class_origin_ = glGetUniformLocation(program_, "uClassOrigin");
  glGenTextures(1, &texture_);
  return true;
}

void Heatmaps::reserve(int tiles) {
  if (tiles <= tiles_) return;
  tiles_ = tiles;
  width_ = kPerRow * grid_;
  height_ = ((tiles + kPerRow - 1) / kPerRow) * grid_;
  staging_.assign((size_t)width_ * height_, 0.0f);
  glBindTexture(GL_TEXTURE_2D, texture_);
  // R32F does not filter in WebGL2: NEAREST keeps the texture complete; the shader interpolates.
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, width_, height_, 0, GL_RED, GL_FLOAT, staging_.data());
}

float* Heatmaps::row(int tile, int gy) {
  int x, y;
  tile_origin(tile, &x, &y);
  return staging_.data() + (size_t)(y + gy) * width_ + x;
}

void Heatmaps::upload() {
  if (!tiles_) return;
  glBindTexture(GL_TEXTURE_2D, texture_);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width_, height_, GL_RED, GL_FLOAT, staging_.data());
}

void Heatmaps::draw(ImDrawList* dl, int tile, ImVec2 p0, ImVec2 p1, const Style& s, float alpha) {
  if (tile < 0 || tile >= tiles_ || used_ >= kMaxDraws) return;
  Pending& p = pending_[used_++];
  p.self = this;
  p.style = s;
  tile_origin(tile, &p.ox, &p.oy);
  dl->AddCallback(&Heatmaps::callback, &p);
  const ImVec2 uv0((float)p.ox / width_, (float)p.oy / height_);
  const ImVec2 uv1((float)(p.ox + grid_) / width_, (float)(p.oy + grid_) / height_);
  dl->AddImage((ImTextureID)(intptr_t)texture_, p0, p1, uv0, uv1, IM_COL32(255, 255, 255, (int)(alpha * 255)));
}

void Heatmaps::end(ImDrawList* dl) { dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr); }

// Runs inside ImGui_ImplOpenGL3_RenderDrawData: its VAO and vertex buffer are bound with the
// attribute layout our vertex shader declares (locations 0, 1, 2), so only the program changes.
void Heatmaps::callback(const ImDrawList*, const ImDrawCmd* cmd) {
  const Pending& p = *(const Pending*)cmd->UserCallbackData;
  const Heatmaps& h = *p.self;
  const ImDrawData* dd = ImGui::GetDrawData();
  const float L = dd->DisplayPos.x, R = dd->DisplayPos.x + dd->DisplaySize.x;
  const float T = dd->DisplayPos.y, B = dd->DisplayPos.y + dd->DisplaySize.y;
  const float ortho[16] = {2.0f / (R - L), 0, 0, 0, 0, 2.0f / (T - B), 0, 0, 0, 0, -1.0f, 0,
                           (R + L) / (L - R), (T + B) / (B - T), 0, 1.0f};
  glUseProgram(h.program_);
  glUniformMatrix4fv(h.u_proj_, 1, GL_FALSE, ortho);
  glUniform1i(h.u_values_, 0);
  glUniform2i(h.u_origin_, p.ox, p.oy);
  glUniform1i(h.u_tile_, h.grid_);
  glUniform1i(h.u_mode_, p.style.mode);
  glUniform1i(h.u_palette_, p.style.palette);
  glUniform1f(h.u_offset_, p.style.offset);
  glUniform1f(h.u_scale_, p.style.scale);
  glUniform1i(h.u_disc_, p.style.discretize ? 1 : 0);
  glUniform1i(h.u_classes_, p.style.mode == 1 ? p.style.classes : 0);
  if (p.style.mode == 1) {
    int origins[12];
    for (int c = 0; c < 6; ++c) h.tile_origin(p.style.class_tiles[c], &origins[2 * c], &origins[2 * c + 1]);
    glUniform2iv(h.u_class_origin_, 6, origins);
  }
}
