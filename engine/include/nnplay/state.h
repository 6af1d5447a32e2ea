// nnplay public header: the experiment's state outside the page: share links (URL fragment),
// JSON save/load, NumPy/PyTorch script export (models and training scripts). Pure C++; every
// error comes back as a value.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>
#include "nnplay/config.h"
#include "nnplay/session.h"

namespace nnplay {

// ================================ share links ================================
// A link fragment is `v=1&key=value&...` in TF Playground's readable style, keys in a fixed order:
//   v=1  dataset=circle  noise=0  percTrainData=50  points=500  [classes=3]
//   x=1 y=1 xSquared=0 ySquared=0 xTimesY=0 sinX=0 sinY=0          (input features, 2-D sets)
//   [userPoints=x1:x2:label,...]                                     (points added by clicking)
//   problem=classification|multiclass|regression|image               (derived; checked on parse)
//   network, either (all layers dense)
//     networkShape=4,2  activation=tanh (or one per hidden layer: tanh,relu)
//     outputActivation=tanh  [outputUnits=1]  [leak=0.01 or one per layer]
//   or (any conv/pool/flatten layer) the whole list, output layer included:
//     layers=conv6k5s1p0.relu,maxpool2s2,conv16k5s1p0.relu,avgpool2s2,flatten,dense32.relu,dense10.softmax
//     token grammar: dense<units>.<act>[:<leak>] | conv<filters>k<kernel>s<stride>p<pad>.<act>[:<leak>]
//                    | maxpool<size>s<stride> | avgpool<size>s<stride> | flatten
//                    | batchnorm[.<act>[:<leak>]] (no suffix: linear) | dropout<rate 0..0.9> (e.g. dropout0.25)
//     (batchnorm and dropout are hidden layers only; config.h documents what they compute)
//   loss=halfsquare  optimizer=sgd  learningRate=0.03  [momentum=0.9]  [beta1= beta2= epsilon=]
//   regularization=none  regularizationRate=0  batchSize=10  init=xavier  [initRange=0.5]
//   seed=1  step=137  [replay=x5.b20.e1:25.r3]  hash=<parameters_hash at that step>
//   <UI keys, sorted, percent-encoded values>   [w=<exact weights, base64url>]
// Keys in [] are written only where they matter or differ from the default; the parser accepts
// every key always. Enum values are the name() strings of config.h. Floats are written in the
// shortest decimal that reads back to the same float bits. Per-layer fields that do not apply to
// a layer's type (e.g. filters of a dense layer) are not carried: they come back as defaults.
//
// Parse rules: unknown version, malformed value, NaN/Inf, out-of-range size, duplicate key and
// input longer than kMaxLinkChars are errors naming the key and value; an unknown key (not an
// engine key and not in the caller's UI whitelist) is a warning and is ignored.
//
// Exact weights. Primary: replay. The engine is deterministic, so config + seed + the same
// sequence of step calls gives the same weights. The sequence is a StepLog (below); when the log
// is just `step` batch steps the link carries only step=N, else replay=<log>. hash= lets the
// receiver check it got the sender's weights. Replay can't reproduce hand-edited weights or
// hyper-parameters changed mid-run: then (or on request) the link carries w=, all parameters and
// optimizer state bit-exact: base64url (no padding) of the little-endian bytes
//   "nw" u8 version=1 u8 flags | u32 params | u32 opt | i64 steps | i64 examples | [u32 state]
//   | f32 params[] | f32 opt[] | [f32 state[]] | u32 FNV-1a-32 of all the preceding bytes
// whose length and checksum are checked. flags bit 0 says the [] parts are there: the layer state
// (Session::layer_state(), batch-norm running statistics); it is 0, and the blob as before, for
// networks without batch norm. Other flag bits are errors. A link longer than kMaxLinkChars is refused with
// "too large to share by link, export a file instead".
inline constexpr int kLinkVersion = 1;
inline constexpr size_t kMaxLinkChars = 32000;          // whole fragment, made or parsed
inline constexpr int64_t kMaxReplayUpdates = 2'000'000; // beyond this a link must carry w=

// How a session reached its step, as the calls the UI made; replaying them on a fresh session
// reproduces the weights bit for bit. Text form: runs `x<n>` (n example steps), `b<n>` (n batch
// steps), `e<n>:<u>` (n epochs that made u updates), `r<n>` (back n), joined by '.', e.g.
// "b120.e2:50.r3". Replay calls step(size, n) / back(n) exactly so and checks each returns the
// recorded count. Adjacent runs of one kind merge; back() eats into a trailing x/b run. Rules: record
// every step()/back() the UI makes with what they returned; clear() after create()/reset();
// invalidate() after set_weight(), restore() or a hyper-parameter change kept without reset.
class StepLog {
 public:
  void record(StepSize size, int n, const StepResult& r); // after r = session.step(size, n)
  void back(int undone);                               // after undone = session.back(n)
  void clear();                                        // fresh session (create / reset): empty, replayable
  void invalidate();                                   // replay can no longer reproduce the state
  bool replayable() const { return replayable_; }
  int64_t updates() const { return updates_; }         // parameter updates the log leads to
  std::string str() const;                             // text form ("" when empty)
  static bool parse(const std::string& s, StepLog* out, std::string* error); // inverse of str()
  struct Run { char op; int64_t n; int64_t updates; };  // op: 'x' 'b' 'e' 'r'; updates: done by the run (e)
  const std::vector<Run>& runs() const { return runs_; }
 private:
  std::vector<Run> runs_;
  int64_t updates_ = 0;
  bool replayable_ = true;
  bool open_ = false;                                  // the last run may be extended (no divergence ended it)
};

struct LinkExtras {
  std::map<std::string, std::string> ui;               // UI-only keys (view options, tutorial, *_hide), written as given
  const StepLog* log = nullptr;                        // how the session got here; null: step_count() batch steps
};

// What a link or a JSON file holds, ready for open_state().
struct StateParse {
  bool ok = false;
  std::string error;                                   // when !ok: what was wrong and where (key=value or JSON path)
  std::vector<std::string> warnings;                   // ignored unknown keys and the like
  Config config;
  int64_t steps = 0;                                   // parameter updates to reach
  StepLog log;                                         // the replay plan (link without w=)
  std::string hash;                                    // expected parameters_hash(), "" when absent
  std::map<std::string, std::string> extras;           // whitelisted UI keys, decoded
  bool has_weights = false;                            // exact state present (w= or JSON parameters)
  std::vector<float> params, opt_state;                // when has_weights
  std::vector<float> layer_state;                      // when has_weights: Session::layer_state() (empty without batch norm)
  int64_t examples = 0;                                // when has_weights: examples_seen to restore
};
using LinkParse = StateParse;

// UI whitelist entries: exact names, "*suffix" (e.g. "*_hide") or "prefix*".
std::string make_link(const Session& s, const LinkExtras& extras, bool include_weights,
                      std::string* error = nullptr);   // "" with *error set when too large or bad UI key
std::string make_config_link(const Config& c, const std::map<std::string, std::string>& ui = {}); // step 0, no hash
LinkParse parse_link(const std::string& fragment, const std::vector<std::string>& ui_whitelist = {});
// parse_link in two halves: split_link decodes a fragment into its key=value fields (length,
// '&' and '=', %-escapes; "" or the error); parse_link_fields reads fields, however they were made.
using LinkFields = std::vector<std::pair<std::string, std::string>>;  // decoded, in link order
std::string split_link(const std::string& fragment, LinkFields* out);
LinkParse parse_link_fields(const LinkFields& fields, const std::vector<std::string>& ui_whitelist = {});
// The JS API's set(key, value): `c` with one link key changed (same keys and messages as links;
// step/replay/hash/w/v are not settings). !ok with the message when the value or result is invalid.
LinkParse set_link_key(const Config& c, const std::string& key, const std::string& value);
LinkParse set_link_keys(const Config& c, const LinkFields& changes);  // several keys at once (networkShape with activation)
std::string layers_text(const std::vector<LayerSpec>& layers);         // the layers= value (token grammar above) of any network
// Creates the session and brings it to the parsed state: restore() the exact weights (with the
// optimizer state and the batch-norm running statistics) when present, else replay the log; then
// checks the hash. Null with *error set on any failure (the caller keeps
// its current session). Afterwards the UI's StepLog is p.log when !p.has_weights, else a cleared
// and invalidated log (restored weights cannot be replayed).
struct OpenOptions {
  // Data imported from files travels neither by link nor by JSON, only config.data does: a caller
  // that holds such data passes it here (Session::create with a Dataset; config.data is recorded).
  const Dataset* data = nullptr;
  Metrics* start = nullptr;                            // when set: the fresh session's metrics, before restore or replay
};
std::unique_ptr<Session> open_state(const StateParse& p, std::string* error, const OpenOptions& options = {});

// ================================ JSON files ================================
// {"format":"nnplay","version":1,"config":{data,layers[],train,seed},"state":{steps,examples,epoch,
//  parameters_hash,layers:[{w:[..],b:[..]}],optimizer_state:[..]},"ui":{..}}
// A batch-norm layer's entry in state.layers also holds "running_mean":[..] and "running_var":[..]
// (w is gamma, b is beta); a config layer is {"type":"batchnorm","act":..,"leak":..} or
// {"type":"dropout","rate":0.25}.
// Floats are JSON numbers in the shortest decimal that reads back (via double) to the same float;
// a non-finite optimizer-state value is written as the string "0x<8 hex digits>" of its bits.
// Errors name the path: `config.layers[2].units: expected an integer 1..1024, got "x"`.
inline constexpr int kJsonVersion = 1;
inline constexpr size_t kMaxJsonBytes = 256u << 20;
std::string to_json(const Session& s, const std::map<std::string, std::string>& ui = {}); // pretty, 1 space indent
std::string config_to_json(const Config& c);           // only the config object
StateParse parse_json(const std::string& text);        // never throws

// ================================ script export ================================
// Model scripts rebuild the network (dense, conv, pool, flatten) with the same weights as exact
// float32 literals and print the outputs for the probe inputs, one line per input, space-separated;
// given the engine's outputs (make_probe) they exit 1 past 1e-5 * max(1, |output|), printing the difference.
std::string script_support(const Session& s);          // "" when the script writers can express s's network, else why not
struct ExportProbe {
  int input_size = 0;                                  // network-input floats per example
  std::vector<float> inputs;                           // (N, input_size), features already applied
  std::vector<float> expected;                         // (N, outputs) the engine's outputs, or empty
};
ExportProbe make_probe(Session& s, int n = 4);         // n test examples (fewer if the set is smaller), outputs via predict()
std::string export_numpy(const Session& s, const ExportProbe& probe);
std::string export_pytorch(const Session& s, const ExportProbe& probe);
std::string export_numpy(const Session& s);            // probe: the first 4 test examples, no expected numbers
std::string export_pytorch(const Session& s);

// Training scripts continue the experiment where the session stands, in PyTorch (data-parallel
// under torchrun) or NumPy: one self-contained .py file with the data set (train/test split, inputs
// after features), exact weights and optimizer state, the loss, regularization and optimizer with
// the engine's conventions, and the batch order (the engine's seeded shuffle, ported). `--check`
// trains the next check_steps batch steps and compares them with the engine's own, computed here on
// a copy of the session (s does not move): each loss within 1e-5 relative, each weight tensor
// within 1e-5 of its largest magnitude; else exit 1. !ok with the message when it cannot be written.
enum class ScriptKind : uint8_t { Pytorch, Numpy };
inline constexpr int kCheckSteps = 20;                 // the steps `--check` compares by default
struct TrainingScript {
  bool ok = false;
  std::string error;                                   // when !ok
  std::string text;                                    // the script
  std::vector<double> losses;                          // the engine's next batch losses (embedded; fewer if it diverged)
  std::vector<float> params_after;                     // its parameters after them (embedded)
};
TrainingScript export_training_script(const Session& s, ScriptKind kind, int check_steps = kCheckSteps);

}  // namespace nnplay
