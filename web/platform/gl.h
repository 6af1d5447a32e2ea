// OpenGL ES 3.0 everywhere (WebGL2 in the browser, GLES3 natively), as the ImGui backend is built.
#pragma once
#include <GLES3/gl3.h>
