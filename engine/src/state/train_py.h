// Internal to engine/src/state: the fixed Python text of the training scripts (train_py.cpp), which
// export_train.cpp puts around the experiment it writes. Not a public header.
#pragma once

namespace nnplay::state::train_py {

// Shared by both kinds: exact data decoding, the engine's seeded batch order, targets, features.
extern const char* const kCommon;
// The network, losses, optimizer and trainer: PyTorch (with DistributedDataParallel) or NumPy
// (forward and backward by hand). Each defines Trainer and add_arguments(parser).
extern const char* const kTorch;
extern const char* const kNumpy;
// Shared: the command line, the training loop, the evaluation and `--check`.
extern const char* const kMain;

}  // namespace nnplay::state::train_py
