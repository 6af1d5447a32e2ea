// The page's JavaScript API as C++ (docs/design.md, "The page's JavaScript API"): every function
// web/api/registry.cpp binds with Embind as Module.nnplay_<name>, by the part of the page it
// serves. The *_api.js files wrap them into window.nnplay. Every one returns a value (an error
// is {ok:false, error}), never throws. Arguments arrive as plain JS values and are checked inside.
#pragma once
#include <emscripten/val.h>

namespace api {
using emscripten::val;

namespace core {                                       // bindings.cpp: the playground's state and actions (api.js)
val frame_stats();                                     // frameStats
val state();                                           // state: step, losses, accuracies, config
val play();
val pause();
val step(val size, val n);
val back(val n);
val reset(val new_seed);
val set(val key, val value);                           // the link's keys (web/share/KEYS.md)
val get(val key);
val weights();                                         // Float32Array in the documented order
val weights_hash();
val trace(val layer);                                  // the per-step trace of a layer, typed arrays with shapes
val set_weight(val layer, val bias, val index, val value);
val add_point(val x1, val x2, val label);
val clear_points();
val ui_rects();                                        // widget rectangles of the last frame (tests)
val link();                                            // the share link's fragment
val ui_keys();                                         // the UI key table (web/share/ui_keys.h)
}  // namespace core

namespace files {                                      // state_bindings.cpp: links, files, export (web/share/state_api.js)
val open(val fragment, val what);
val open_json(val text, val name);
val save_json();
val setup_link();
val export_script(val kind);                           // 'numpy' | 'pytorch'
val export_training(val kind);                         // 'pytorch' | 'numpy': the training script's text
val new_experiment();
val report(val message, val error);                    // a message of the page's script in the status line
}  // namespace files

namespace images {                                     // cnn_bindings.cpp: image mode (cnn_api.js)
val cnn_state_js();
val confusion_js();
val load_idx_js(val images, val labels, val name);
val idx_error_js(val message);
val select_input_js(val source, val index);
val view_js(val name);
val open_link_js(val fragment);
val presets();
}  // namespace images

namespace lessons {                                    // tutorial_bindings.cpp: the tutorials (tutorial_api.js)
val tutorial_state();
val tutorials_list();
val tutorial_open(val id, val step);
val tutorial_next();
val tutorial_back();
val tutorial_close();
val tutorial_open_link_js(val fragment);               // a link's tutorial=<id>&tstep=<k> (state_api.js)
val set_language(val lang);
val select_item(val kind, val layer, val out, val in);
val explain_numbers();
}  // namespace lessons

}  // namespace api
