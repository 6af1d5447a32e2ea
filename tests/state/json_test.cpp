// JSON codec tests without a Session: config round trips (bit-exact floats, odd values) and a
// table of malformed files, each with the message naming its JSON path.
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nnplay/state.h"
#include "expect_refused.h"
#include "test_util.h"

using namespace nnplay;
using namespace nnplay::testing_state;
using json = nlohmann::json;

namespace {

// A valid file: the default config, 25 flat parameters (4-2-1 on two features), SGD's empty state.
json base_file() {
  json f = json::object();
  f["format"] = "nnplay";
  f["version"] = 1;
  f["config"] = json::parse(config_to_json(default_config()));
  json st = json::object();
  st["steps"] = 3;
  st["examples"] = 30;
  json ls = json::array();
  ls.push_back({{"w", std::vector<float>(8, 0.25f)}, {"b", std::vector<float>(4, 0.0f)}});
  ls.push_back({{"w", std::vector<float>(8, -0.5f)}, {"b", std::vector<float>(2, 0.125f)}});
  ls.push_back({{"w", std::vector<float>(2, 1.0f)}, {"b", std::vector<float>(1, 0.0f)}});
  st["layers"] = ls;
  st["parameter_count"] = 25;
  st["optimizer_state"] = json::array();
  f["state"] = st;
  f["ui"] = {{"tutorial", "backprop"}};
  return f;
}

}  // namespace

TEST(JsonCodec, ConfigRoundTripsExactly) {
  for (const Config& c : {default_config(), multiclass_config(), regression_config(), user_points_config(), cnn_config()}) {
    std::string text = config_to_json(c);
    json f = {{"format", "nnplay"}, {"version", 1}, {"config", json::parse(text)}};
    StateParse p = parse_json(f.dump());
    ASSERT_TRUE(p.ok) << p.error << "\n" << text;
    EXPECT_EQ(config_diff(c, p.config), "") << text;
    EXPECT_EQ(config_to_json(p.config), text);
    EXPECT_FALSE(p.has_weights);
    EXPECT_TRUE(p.warnings.empty());
  }
}

TEST(JsonCodec, OddFloatsAreExactNumbers) {
  std::string text = config_to_json(user_points_config());
  EXPECT_NE(text.find("-0.0"), std::string::npos) << text;   // -0.0 survives as a JSON number
  EXPECT_NE(text.find("1e-40"), std::string::npos) << text;  // a denormal, shortest form
  EXPECT_NE(text.find("\"learning_rate\": 0.1,"), std::string::npos) << text;  // readable, not 0.10000000149011612
}

TEST(JsonCodec, BaseFileParsesWithItsState) {
  StateParse p = parse_json(base_file().dump(1));
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_TRUE(p.has_weights);
  EXPECT_EQ(p.params.size(), 25u);
  EXPECT_EQ(p.params[12], -0.5f);
  EXPECT_EQ(p.steps, 3);
  EXPECT_EQ(p.examples, 30);
  EXPECT_EQ(p.extras["tutorial"], "backprop");
  json f = base_file();
  f["config"]["train"]["colour"] = "red";
  p = parse_json(f.dump());
  ASSERT_TRUE(p.ok) << p.error;
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_EQ(p.warnings[0], "config.train.colour: unknown key ignored");
}

struct BadFile { std::string text, message; };

TEST(JsonErrors, EachMalformedFileGetsItsMessage) {
  auto edit = [](const std::function<void(json&)>& fn) { json f = base_file(); fn(f); return f.dump(); };
  std::string whole = base_file().dump(1);
  json many = base_file();
  for (int i = 0; i < 17; ++i) many["config"]["layers"].push_back(many["config"]["layers"][0]);
  const std::vector<BadFile> table = {
      {"", "not valid JSON: parse error at line 1, column 1: syntax error while parsing value - unexpected end of input"},
      {"{", "not valid JSON: parse error at line 1, column 2: syntax error while parsing object key - unexpected end of input"},
      {whole.substr(0, whole.size() / 2), "not valid JSON: parse error at line "},
      {whole + "x", "syntax error while parsing value - invalid literal; last read: '1<U+000A>}x'; expected end of input"},
      // a broken 3000-character key (found by fuzz_json): the message quotes 40 characters of it, not all
      {"{\"" + std::string(3000, 'K') + "\n", "invalid string: control character U+000A (LF) must be escaped to \\u000A or \\n; last read: '\"KKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKK...'"},
      {"[]", "(top level): expected an object, got an array"},
      {std::string(100000, '[') + std::string(100000, ']'), "(top level): expected an object, got an array"},
      {"{}", "format: missing (not an nnplay file?)"},
      {edit([](json& f) { f["format"] = "tfjs"; }), "format: expected \"nnplay\", got \"tfjs\""},
      {edit([](json& f) { f.erase("version"); }), "version: missing"},
      {edit([](json& f) { f["version"] = 2; }), "version: unknown file version 2 (this page reads 1)"},
      {edit([](json& f) { f["version"] = "1"; }), "version: unknown file version \"1\""},
      {edit([](json& f) { f.erase("config"); }), "config: missing"},
      {edit([](json& f) { f["config"] = json::array(); }), "config: expected an object, got an array"},
      {edit([](json& f) { f["config"].erase("layers"); }), "config: missing \"layers\""},
      {edit([](json& f) { f["config"]["layers"] = json::object(); }), "config.layers: expected an array, got an object"},
      {edit([](json& f) { f["config"]["layers"][2]["units"] = "x"; }), "config.layers[2].units: expected an integer 1..1024, got \"x\""},
      {edit([](json& f) { f["config"]["layers"][0]["units"] = 0; }), "config.layers[0].units: expected an integer 1..1024, got 0"},
      {edit([](json& f) { f["config"]["layers"][0]["units"] = 4.5; }), "config.layers[0].units: expected an integer 1..1024, got 4.5"},
      {edit([](json& f) { f["config"]["layers"][1].erase("type"); }), "config.layers[1]: missing \"type\""},
      {edit([](json& f) { f["config"]["layers"][1]["type"] = "lstm"; }), "config.layers[1].type: expected a layer type (dense, conv, maxpool, avgpool, flatten, batchnorm, dropout), got \"lstm\""},
      {edit([](json& f) { f["config"]["layers"][0]["act"] = 3; }), "config.layers[0].act: expected an activation name, got 3"},
      {edit([](json& f) { f["config"]["layers"][0] = 7; }), "config.layers[0]: expected an object, got 7"},
      {many.dump(), "config.layers: 20 layers, the limit is 16"},
      {edit([](json& f) { f["config"]["data"]["set"] = "torus"; }), "config.data.set: expected a data set name, got \"torus\""},
      {edit([](json& f) { f["config"]["data"]["noise"] = 51; }), "config.data.noise: expected a number in 0..50, got 51"},
      {edit([](json& f) { f["config"]["data"]["noise"] = "0x7fc00000"; }), "config.data.noise: NaN/Inf is not allowed here"},
      {edit([](json& f) { f["config"]["data"]["features"] = "x1"; }), "config.data.features: expected an array, got \"x1\""},
      {edit([](json& f) { f["config"]["data"]["features"] = {"x1", "z"}; }), "config.data.features[1]: expected a feature name, got \"z\""},
      {edit([](json& f) { f["config"]["data"]["features"] = {"x1", "x1"}; }), "config.data.features[1]: duplicate feature \"x1\""},
      {edit([](json& f) { f["config"]["data"]["user_points"] = {{1, 2}}; }), "config.data.user_points[0]: expected [x1, x2, label], got an array"},
      {edit([](json& f) { f["config"]["data"]["user_points"] = {{1, "a", 0}}; }), "config.data.user_points[0][1]: expected a number or \"0x<8 hex digits>\", got \"a\""},
      {edit([](json& f) { f["config"]["train"]["batch"] = 0; }), "config.train.batch: expected an integer 1..1024, got 0"},
      {edit([](json& f) { f["config"]["train"]["learning_rate"] = 1e300; }), "config.train.learning_rate: out of float range, got 1e+300"},
      {edit([](json& f) { f["config"]["train"]["optimizer"] = "rmsprop"; }), "config.train.optimizer: expected an optimizer name, got \"rmsprop\""},
      {edit([](json& f) { f["config"]["train"] = true; }), "config.train: expected an object, got true"},
      {edit([](json& f) { f["config"]["seed"] = -3; }), "config.seed: expected an integer 0..18446744073709551615, got -3"},
      {edit([](json& f) { f["config"]["train"]["learning_rate"] = 50; }), "config: invalid experiment: train.learning_rate must be in [0, 10], got 50"},
      {edit([](json& f) { f["config"]["train"]["momentum"] = 1; }), "config: invalid experiment: train.momentum must be in [0, 0.9999], got 1"},
      {edit([](json& f) { f["config"]["layers"][2]["units"] = 3; }), "config: invalid experiment: layer 3 (output): 3 units, but the data set needs 1"},
      {edit([](json& f) { f["state"].erase("steps"); }), "state: missing \"steps\""},
      {edit([](json& f) { f["state"]["steps"] = -1; }), "state.steps: expected an integer 0..9007199254740992, got -1"},
      {edit([](json& f) { f["state"]["examples"] = "30"; }), "state.examples: expected an integer 0..9007199254740992, got \"30\""},
      {edit([](json& f) { f["state"].erase("layers"); }), "state: expected exactly one of \"layers\" (per-layer w and b) or \"parameters\" (flat)"},
      {edit([](json& f) { f["state"]["layers"][1]["w"][3] = "abc"; }), "state.layers[1].w[3]: expected a number or \"0x<8 hex digits>\", got \"abc\""},
      {edit([](json& f) { f["state"]["layers"][0]["w"][0] = nullptr; }), "state.layers[0].w[0]: expected a number, got null"},
      {edit([](json& f) { f["state"]["layers"][0]["b"][1] = "0x7f800000"; }), "state.layers[0].b[1]: NaN/Inf is not allowed here"},
      {edit([](json& f) { f["state"]["layers"][2].erase("b"); }), "state.layers[2]: expected {\"w\": [...], \"b\": [...]}"},
      {edit([](json& f) { f["state"]["parameter_count"] = 30; }), "state.parameter_count: says 30 but 25 parameters are stored (truncated file?)"},
      {edit([](json& f) { f["state"]["parameters_hash"] = "zz"; }), "state.parameters_hash: expected 16 lowercase hex digits, got \"zz\""},
      {edit([](json& f) { f["state"].erase("optimizer_state"); }), "state: missing \"optimizer_state\""},
      {edit([](json& f) { f["state"]["optimizer_state"] = {1, {2}}; }), "state.optimizer_state[1]: expected a number, got an array"},
      {edit([](json& f) { f["ui"]["tutorial"] = 5; }), "ui.tutorial: expected a string, got 5"},
      {edit([](json& f) { f["ui"] = "x"; }), "ui: expected an object, got \"x\""},
  };
  ASSERT_GE(table.size(), 30u);
  for (const BadFile& b : table) expect_refused(parse_json(b.text), b.text, b.message);
}
