// Tests of the UI key table (web/share/ui_keys.cpp): finding rows (the *_hide pattern too), value
// checks and their messages, the whitelists handed to the link reader, and the JSON that JS reads.
#include <gtest/gtest.h>
#include <algorithm>
#include <nlohmann/json.hpp>
#include "share/ui_keys.h"

using namespace share;

namespace {
bool has(const std::vector<std::string>& v, const char* x) { return std::find(v.begin(), v.end(), x) != v.end(); }
}  // namespace

TEST(UiKeys, FindsKeysAndTheHidePattern) {
  ASSERT_NE(find_ui_key("stepSize"), nullptr);
  EXPECT_EQ(find_ui_key("stepSize")->owner, UiOwner::App);
  ASSERT_NE(find_ui_key("data_hide"), nullptr);
  EXPECT_STREQ(find_ui_key("data_hide")->name, "*_hide");
  EXPECT_EQ(find_ui_key("learningRate"), nullptr);     // an engine setting, not a UI key
  EXPECT_EQ(find_ui_key("_hide"), nullptr);
  EXPECT_EQ(hidden_part("learningRate_hide"), "learningRate");
  EXPECT_EQ(hidden_part("hide"), "");
}

TEST(UiKeys, ValuesAreCheckedWithMessagesNamingTheKey) {
  EXPECT_EQ(check_ui_value("stepSize", "batch"), "");
  EXPECT_EQ(check_ui_value("stepSize", "sideways"), "stepSize=sideways: expected example, batch or epoch");
  EXPECT_EQ(check_ui_value("stepsPerFrame", "100"), "");
  EXPECT_EQ(check_ui_value("stepsPerFrame", "101"), "stepsPerFrame=101: expected an integer 1..100");
  EXPECT_EQ(check_ui_value("stepsPerFrame", "2.5"), "stepsPerFrame=2.5: expected an integer 1..100");
  EXPECT_EQ(check_ui_value("stepsPerFrame", "99999999999999"), "stepsPerFrame=99999999999999: expected an integer 1..100");
  EXPECT_EQ(check_ui_value("gradients", "on"), "");
  EXPECT_EQ(check_ui_value("gradients", "yes"), "gradients=yes: expected 0 or 1");
  EXPECT_EQ(check_ui_value("controls_hide", "1"), "");
  EXPECT_EQ(check_ui_value("network_hide", "1").rfind("network_hide: unknown part \"network\"", 0), 0u);
  EXPECT_EQ(check_ui_value("tutorial", ""), "tutorial=: expected a name");
  EXPECT_EQ(check_ui_value("colour", "red"), "unknown key 'colour'");
  bool on = false;
  EXPECT_TRUE(read_flag("true", &on));
  EXPECT_TRUE(on);
  EXPECT_FALSE(read_flag("2", &on));
}

TEST(UiKeys, WhitelistsAndViewKeys) {
  const auto links = link_whitelist(), setups = setup_whitelist(), views = app_view_keys();
  EXPECT_TRUE(has(links, "*_hide") && has(links, "tutorial") && has(links, "stepSize"));
  EXPECT_FALSE(has(links, "weights"));                 // tutorial setups only
  EXPECT_TRUE(has(setups, "weights") && has(setups, "traceExample"));
  // what every link writes from App (web/api/bindings.cpp link()): the view, not the classroom setup
  EXPECT_EQ(views, (std::vector<std::string>{"stepSize", "stepsPerFrame", "showTestData", "discretize", "gradients"}));
}

TEST(UiKeys, JsonForThePageScript) {
  const nlohmann::json j = nlohmann::json::parse(ui_keys_json());
  ASSERT_TRUE(j["keys"].is_array());
  EXPECT_EQ(j["keys"].size(), ui_keys().size());
  EXPECT_EQ(j["progress"], nlohmann::json({"step", "replay", "hash", "w"}));
  int setup = 0;
  for (const auto& k : j["keys"]) setup += k["setup"].get<bool>();
  EXPECT_EQ(setup, 2);                                 // *_hide and embed: a change of them is a new setup
  EXPECT_EQ(j["keys"][0]["choices"], nlohmann::json({"example", "batch", "epoch"}));
}
