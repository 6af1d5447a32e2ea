// The presets (presets.h), written as link setups and read by the link reader.
#include "share/presets.h"
#include "nnplay/state.h"

using namespace nnplay;

namespace share {
namespace {

const char* const kTiny =
    "v=1&dataset=shapes&points=2000&percTrainData=80&layers=conv4k5s1p0.relu,maxpool2s2,flatten,dense7.softmax"
    "&loss=softmaxce&optimizer=adam&learningRate=0.005&batchSize=32&init=he";
// 12,500 digits at 80%: 10,000 training and 2,500 test images.
const char* const kLenet =
    "v=1&dataset=digits&points=12500&percTrainData=80"
    "&layers=conv6k5s1p2.relu,maxpool2s2,conv16k5s1p0.relu,maxpool2s2,flatten,dense120.relu,dense84.relu,dense10.softmax"
    "&loss=softmaxce&optimizer=adam&learningRate=0.001&batchSize=32&init=he";

}  // namespace

const std::vector<Preset>& presets() {
  static const std::vector<Preset> p = {{"tiny", "tiny CNN"}, {"lenet", "LeNet-5"}};
  return p;
}

Config preset_config(const std::string& id) {
  const LinkParse p = parse_link(id == "tiny" ? kTiny : id == "lenet" ? kLenet : "v=1");
  return p.ok ? p.config : default_config();
}

std::string preset_link(const std::string& id) { return make_config_link(preset_config(id), {{"stepSize", "batch"}}); }

}  // namespace share
