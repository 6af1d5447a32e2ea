#version 300 es
// Heatmap tiles are drawn as ImGui image quads: same vertex layout and projection as ImGui's own shader.
layout (location = 0) in vec2 Position;
layout (location = 1) in vec2 UV;
layout (location = 2) in vec4 Color;
uniform mat4 ProjMtx;
out vec2 vUV;
out vec4 vColor;
void main() {
  vUV = UV;
  vColor = Color;
  gl_Position = ProjMtx * vec4(Position.xy, 0.0, 1.0);
}
