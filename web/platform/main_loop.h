// The one difference between the native and the web main loop: in the browser Emscripten owns the
// loop and calls us once per animation frame; natively we loop until the frame function says stop.
#pragma once
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

// Calls frame(arg) once per displayed frame until it returns false (native) or forever (web).
// Keep the loop's state on the heap: in the browser this function never returns to its caller.
inline void run_main_loop(bool (*frame)(void*), void* arg) {
#ifdef __EMSCRIPTEN__
  static bool (*s_frame)(void*) = frame;
  emscripten_set_main_loop_arg([](void* a) { s_frame(a); }, arg, 0, true);
#else
  while (frame(arg)) {}
#endif
}

// Milliseconds from a monotonic clock, sub-millisecond resolution where the platform has it.
inline double now_ms() {
#ifdef __EMSCRIPTEN__
  return emscripten_get_now();
#else
  return SDL_GetPerformanceCounter() * 1000.0 / (double)SDL_GetPerformanceFrequency();
#endif
}
