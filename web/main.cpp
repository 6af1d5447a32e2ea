// nnplay's one main, for the browser (Emscripten, WebGL2) and a native desktop build (SDL2, GLES3),
// and the page's composition root: window, GL context, Dear ImGui and fonts, then the parts wired
// together (the modes given to App, the tutorial around it) and the frame loop. Not the parts
// themselves (web/README.md).
#include <SDL.h>
#include <cmath>
#include <cstdio>
#include "app/app.h"
#include "cnn/cnn.h"
#include "platform/gl.h"
#include "imgui.h"
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"
#include "platform/main_loop.h"
#include "playground/playground.h"
#include "tutorial/tutorial.h"

namespace {

struct Window {
  SDL_Window* window = nullptr;
  SDL_GLContext gl = nullptr;
  App* app = nullptr;
  float font_scale = 0;                                // the devicePixelRatio the font atlas was built for
  bool first_frame_done = false;
};

void report_failure(const char* title, const char* detail) {
  std::fprintf(stderr, "%s: %s\n", title, detail);
#ifdef __EMSCRIPTEN__
  EM_ASM({ if (Module.nnplayFail) Module.nnplayFail(UTF8ToString($0), UTF8ToString($1)); }, title, detail);
#endif
}

// Rasterizes the font at the framebuffer's pixel density and scales it back, so text stays crisp
// at any devicePixelRatio (ImGui works in CSS pixels, the framebuffer in device pixels).
void build_fonts(float scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  const float px = 15.0f;
#ifdef NNPLAY_FONT_FILE
  ImFontConfig cfg;
  cfg.OversampleH = 2; cfg.OversampleV = 1;
  if (!io.Fonts->AddFontFromFileTTF(NNPLAY_FONT_FILE, px * scale, &cfg, io.Fonts->GetGlyphRangesDefault()))
#endif
  {
    ImFontConfig cfg;
    cfg.SizePixels = 13.0f * std::max(1.0f, std::round(scale));
    io.Fonts->AddFontDefault(&cfg);
  }
  tutorial_add_fonts(io.Fonts->ConfigData.back().SizePixels);  // the Chinese subset, merged into the UI font
  io.FontGlobalScale = 1.0f / scale;
}

void update_dpi(Window& w) {
  int ww, wh, dw, dh;
  SDL_GetWindowSize(w.window, &ww, &wh);
  SDL_GL_GetDrawableSize(w.window, &dw, &dh);
  float scale = ww > 0 ? (float)dw / (float)ww : 1.0f;
  if (!(scale > 0.25f && scale < 8.0f)) scale = 1.0f;
  if (std::fabs(scale - w.font_scale) < 0.01f) return;
  w.font_scale = scale;
  build_fonts(scale);
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
}

bool frame(void* arg) {
  Window& w = *(Window*)arg;
  const double t0 = now_ms();
  bool keep_running = true;
  SDL_Event e;
  while (SDL_PollEvent(&e)) {
    ImGui_ImplSDL2_ProcessEvent(&e);
    if (e.type == SDL_QUIT) keep_running = false;
    if (e.type == SDL_KEYDOWN) w.app->on_key(e.key.keysym.scancode, e.key.repeat != 0);
  }
  update_dpi(w);
  w.app->update();                                     // training for this frame
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGui::NewFrame();
  tutorial_before_draw(*w.app);                        // the tutorial strip takes the right of the work area
  w.app->draw();
  tutorial_after_draw(*w.app);
  ImGui::Render();
  const double t1 = now_ms();                          // CPU work ends here; GL submission below may wait on the GPU
  const ImGuiIO& io = ImGui::GetIO();
  glViewport(0, 0, (int)(io.DisplaySize.x * io.DisplayFramebufferScale.x), (int)(io.DisplaySize.y * io.DisplayFramebufferScale.y));
  glClearColor(0.106f, 0.118f, 0.137f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  w.app->frame_done(t1 - t0, now_ms() - t1);           // the page's own CPU time; the GL submission time
  SDL_GL_SwapWindow(w.window);
  if (!w.first_frame_done) {
    w.first_frame_done = true;
#ifdef __EMSCRIPTEN__
    EM_ASM({ if (Module.nnplayFirstFrame) Module.nnplayFirstFrame(); });
#endif
  }
  return keep_running;
}

}  // namespace

int main(int, char**) {
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    report_failure("SDL could not start", SDL_GetError());
    return 1;
  }
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
  SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
#ifdef SDL_HINT_IME_SHOW_UI
  SDL_SetHint(SDL_HINT_IME_SHOW_UI, "1");
#endif
#ifdef __EMSCRIPTEN__
  // Keyboard events go to the canvas only, so the page around it (and the test harness) keeps its keys.
  SDL_SetHint(SDL_HINT_EMSCRIPTEN_KEYBOARD_ELEMENT, "#canvas");
#endif
  auto* w = new Window;                                // on the heap: in the browser main() never returns
  const auto flags = (SDL_WindowFlags)(SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  w->window = SDL_CreateWindow("nnplay " NNPLAY_VERSION, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 1280, 800, flags);
  if (!w->window) { report_failure("Could not create the window", SDL_GetError()); return 1; }
  w->gl = SDL_GL_CreateContext(w->window);
  if (!w->gl) { report_failure("Could not create a WebGL2 / OpenGL ES 3.0 context", SDL_GetError()); return 1; }
  SDL_GL_MakeCurrent(w->window, w->gl);
  SDL_GL_SetSwapInterval(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;                            // no imgui.ini: the layout is fixed, state lives in the link
  ImGui::StyleColorsDark();
  ImGuiStyle& style = ImGui::GetStyle();
  style.WindowRounding = 0; style.FrameRounding = 3; style.GrabRounding = 3; style.ChildRounding = 4;
  ImGui_ImplSDL2_InitForOpenGL(w->window, w->gl);
  ImGui_ImplOpenGL3_Init("#version 300 es");

  std::string error;
  Playground* playground = Playground::create(&error);  // its heatmap shaders need the GL context
  if (!playground) { report_failure("nnplay could not start", error.c_str()); return 1; }
  w->app = App::create({playground, &cnn::image_mode()}, &error);
  if (!w->app) { report_failure("nnplay could not start", error.c_str()); return 1; }
  update_dpi(*w);
  run_main_loop(frame, w);
#ifndef __EMSCRIPTEN__
  delete w->app;
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_GL_DeleteContext(w->gl);
  SDL_DestroyWindow(w->window);
  SDL_Quit();
  delete w;
#endif
  return 0;
}
