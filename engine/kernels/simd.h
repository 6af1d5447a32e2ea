// Internal to engine/kernels: the one place that picks the SIMD128 intrinsics. In the browser
// build they are the real <wasm_simd128.h>; natively SIMDe maps the same wasm_* names onto SSE,
// so native tests run the very source the browser runs. Not for use outside engine/kernels.
#pragma once
#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#else
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/wasm/simd128.h>
#endif
