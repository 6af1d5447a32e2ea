// In-page timing of the page's own CPU work per frame (training + building and submitting the UI),
// over the last kFrames frames: median and 95th percentile. Not GPU time, not the frame interval.
#pragma once
#include <algorithm>
#include <array>

class FrameStats {
 public:
  static constexpr int kFrames = 240;
  void add(double ms) { ms_[next_++ % kFrames] = ms; count_ = std::min(count_ + 1, kFrames); }
  double percentile(double p) const {                  // p in [0, 1]; 0 when no frame was timed yet
    if (count_ == 0) return 0;
    std::array<double, kFrames> v;
    std::copy(ms_.begin(), ms_.begin() + count_, v.begin());
    const int k = std::min(count_ - 1, (int)(p * (count_ - 1) + 0.5));
    std::nth_element(v.begin(), v.begin() + k, v.begin() + count_);
    return v[k];
  }
  int count() const { return count_; }
  void clear() { count_ = 0; next_ = 0; }
 private:
  std::array<double, kFrames> ms_{};
  int next_ = 0, count_ = 0;
};
