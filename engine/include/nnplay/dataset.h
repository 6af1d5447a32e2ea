// nnplay public header: generated data sets (seeded), input features and the train/test split.
#pragma once
#include <cstdint>
#include <string>
#include <vector>
#include "nnplay/config.h"

namespace nnplay {

// A data set in network-input form. Examples are rows of `inputs` (N, input_size) where
// input_size is the number of enabled features (2-D sets) or C*H*W (images).
struct Dataset {
  int input_size = 0;
  int input_shape[3] = {0, 0, 0};                      // (C,H,W); 2-D sets: (features,1,1)
  int outputs = 1;                                     // 1 for two-class and regression, classes for multi-class
  bool classification = true;
  std::vector<Point> train_points, test_points;        // 2-D sets: raw points (x1, x2 in [-6, 6]), for drawing
  std::vector<float> train_x, test_x;                  // (N, input_size)
  std::vector<float> train_y, test_y;                  // class index or regression target, one per example
  int train_count() const { return (int)train_y.size(); }
  int test_count() const { return (int)test_y.size(); }
};

// Generates the data set of `spec` from `seed` (same seed, same points, in every build).
// Returns "" or an error message.
std::string make_dataset(const DataSpec& spec, uint64_t seed, Dataset* out);
// The enabled features of one raw point, in Feature order: out has popcount(features) floats.
void features_of(uint32_t features, float x1, float x2, float* out);
int feature_count(uint32_t features);
// The name of a class of a generated image set: the shapes' "circle", "square", ...; digits "0".."9".
std::string image_class_name(DataSet set, int label);

}  // namespace nnplay
