#version 300 es
// Colours one heatmap tile: the per-neuron values over the input square live in an R32F atlas of
// GxG tiles; float textures do not filter in WebGL2, so bilinear interpolation is done here by hand.
precision highp float;
precision highp int;
uniform highp sampler2D uValues;   // R32F atlas
uniform ivec2 uTileOrigin;         // texel origin of this tile (class 0's tile in multi-class mode)
uniform int uTile;                 // G, texels per tile side
uniform int uMode;                 // 0: diverging scale of one value; 1: multi-class, uClasses tiles of probabilities
uniform int uPalette;              // 0: values (orange - white - blue); 1: gradients (magenta - white - green)
uniform float uOffset;             // the colour shows (v - uOffset) * uScale, clamped to [-1, 1]
uniform float uScale;
uniform int uDiscretize;           // 1: sign (or argmax) only
uniform int uClasses;
uniform ivec2 uClassOrigin[6];
in vec2 vUV;
in vec4 vColor;
out vec4 oColor;

float fetch(ivec2 origin, ivec2 p) { return texelFetch(uValues, origin + p, 0).r; }

float bilinear(ivec2 origin, vec2 local) {
  vec2 p = clamp(local - 0.5, vec2(0.0), vec2(float(uTile - 1)));
  ivec2 i0 = ivec2(floor(p));
  ivec2 i1 = min(i0 + 1, ivec2(uTile - 1));
  vec2 f = p - vec2(i0);
  float a = mix(fetch(origin, i0), fetch(origin, ivec2(i1.x, i0.y)), f.x);
  float b = mix(fetch(origin, ivec2(i0.x, i1.y)), fetch(origin, i1), f.x);
  return mix(a, b, f.y);
}

vec3 diverging(float t) {          // t in [-1, 1]
  vec3 neg = uPalette == 0 ? vec3(0.961, 0.576, 0.133) : vec3(0.761, 0.094, 0.357);
  vec3 mid = vec3(0.910, 0.918, 0.922);
  vec3 pos = uPalette == 0 ? vec3(0.031, 0.467, 0.741) : vec3(0.180, 0.490, 0.196);
  return t < 0.0 ? mix(mid, neg, -t) : mix(mid, pos, t);
}

const vec3 kClass[6] = vec3[6](vec3(0.031, 0.467, 0.741), vec3(0.961, 0.576, 0.133), vec3(0.227, 0.651, 0.333),
                               vec3(0.557, 0.373, 0.761), vec3(0.839, 0.271, 0.255), vec3(0.090, 0.635, 0.722));

void main() {
  vec2 texel = vUV * vec2(textureSize(uValues, 0));
  vec2 local = texel - vec2(uTileOrigin);
  vec3 rgb;
  if (uMode == 1) {
    float best = -1.0; int arg = 0; vec3 soft = vec3(0.0); float total = 0.0;
    for (int c = 0; c < 6; ++c) {
      if (c >= uClasses) break;
      float p = max(bilinear(uClassOrigin[c], local), 0.0);
      soft += p * kClass[c]; total += p;
      if (p > best) { best = p; arg = c; }
    }
    rgb = uDiscretize == 1 ? kClass[arg] : soft / max(total, 1e-6);
    rgb = mix(rgb, vec3(1.0), 0.35);
  } else {
    float t = clamp((bilinear(uTileOrigin, local) - uOffset) * uScale, -1.0, 1.0);
    if (uDiscretize == 1) t = t < 0.0 ? -1.0 : 1.0;
    rgb = diverging(t);
  }
  oColor = vec4(rgb, vColor.a);
}
