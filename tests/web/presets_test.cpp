// Tests of the presets (web/share/presets.cpp): their configurations, and their links reading back.
#include <gtest/gtest.h>
#include "nnplay/state.h"
#include "share/presets.h"

using namespace nnplay;
using namespace share;

TEST(Presets, ConfigurationsAndLinks) {
  const Config tiny = preset_config("tiny"), lenet = preset_config("lenet");
  EXPECT_EQ(tiny.data.set, DataSet::Shapes);
  EXPECT_EQ(layers_text(tiny.layers), "conv4k5s1p0.relu,maxpool2s2,flatten,dense7.softmax");
  EXPECT_EQ(tiny.train.optimizer, Optimizer::Adam);
  EXPECT_EQ(tiny.train.batch, 32);
  EXPECT_EQ(lenet.data.set, DataSet::Digits);
  EXPECT_EQ(lenet.data.points, 12500);
  EXPECT_EQ(lenet.train.learning_rate, 0.001f);
  EXPECT_EQ(layers_text(lenet.layers),
            "conv6k5s1p2.relu,maxpool2s2,conv16k5s1p0.relu,maxpool2s2,flatten,dense120.relu,dense84.relu,dense10.softmax");
  for (const Preset& p : presets()) {
    const std::string link = preset_link(p.id);
    EXPECT_NE(link.find("&stepSize=batch"), std::string::npos) << link;
    LinkParse r = parse_link(link, {"stepSize"});
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(make_config_link(r.config), make_config_link(preset_config(p.id)));
  }
  EXPECT_EQ(make_config_link(preset_config("nope")), make_config_link(default_config()));
}
