// Inverted dropout, forward and backward (layers.h). Not a random generator with state: each
// mask value is a hash of (the update's key, layer, position), so replaying an update, or
// rewinding and stepping again, draws the very same mask without storing it.
#include <cstring>
#include "layers.h"

namespace nnplay::detail {

float dropout_mask(uint64_t key, int layer, uint64_t index, float rate) {
  // splitmix64's finalizer over a counter: key, then layer and position spread by odd constants.
  uint64_t z = key ^ ((uint64_t)(layer + 1) * 0xD6E8FEB86659FD93ull);
  z += (index + 1) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  // Dropped when the top 32 bits fall below p * 2^32 (computed in double: exact for every float p).
  const uint64_t threshold = (uint64_t)((double)rate * 4294967296.0);
  return (z >> 32) < threshold ? 0.0f : 1.0f / (1.0f - rate);
}

void dropout_forward(const LayerPlan& p, Workspace::Layer& L, const float* x, int B, int layer, uint64_t key,
                     bool train) {
  const size_t n = (size_t)B * p.nout;
  std::memcpy(L.z.data(), x, sizeof(float) * n);
  if (!train) {
    std::memcpy(L.a.data(), x, sizeof(float) * n);
    return;
  }
  float* m = L.mask.data();
  float* a = L.a.data();
  for (size_t i = 0; i < n; ++i) {
    m[i] = dropout_mask(key, layer, i, p.spec.rate);
    a[i] = x[i] * m[i];
  }
}

void dropout_backward(const LayerPlan& p, Workspace::Layer& L, int B, float* dx, bool train) {
  const size_t n = (size_t)B * p.nout;
  float* dz = L.dz.data();
  const float* da = L.da.data();
  if (train)
    for (size_t i = 0; i < n; ++i) dz[i] = da[i] * L.mask[i];
  else
    std::memcpy(dz, da, sizeof(float) * n);
  if (dx) std::memcpy(dx, dz, sizeof(float) * n);
}

}  // namespace nnplay::detail
