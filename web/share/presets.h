// Image mode's presets as share links: a first quick CNN on the shapes and LeNet-5 on the generated
// digits. Pure C++. Opening one is share::open_link(preset_link(id)).
#pragma once
#include <string>
#include <vector>
#include "nnplay/config.h"

namespace share {

struct Preset { const char* id, *label; };
const std::vector<Preset>& presets();                  // tiny, lenet
nnplay::Config preset_config(const std::string& id);   // default_config() for an unknown id
std::string preset_link(const std::string& id);        // its share link (fragment without '#'), step 0, batch steps

}  // namespace share
