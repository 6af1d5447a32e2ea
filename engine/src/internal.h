// nnplay internal header (not public API): small helpers shared by config, dataset and session.
#pragma once
#include <string>
#include <vector>
#include "nnplay/config.h"

namespace nnplay {
bool is_multiclass(DataSet s);                         // blobs, multi-spiral, images
int data_classes(const DataSpec& d);                   // 2 two-class, k multi-class, 0 regression
int output_units(const Config& c);                     // units the output layer must have
std::string validate_data(const DataSpec& d);          // the data part of validate()
namespace detail {
std::string validate_train(const TrainSpec& t, const std::vector<LayerSpec>& layers);
}
}  // namespace nnplay
