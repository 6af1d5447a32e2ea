// The one Embind registration of the page's JavaScript API: Module.nnplay_<name> for every
// function of api.h, in its order. Not their behaviour (the *_bindings.cpp files).
#include <emscripten/bind.h>
#include <string>
#include "api/api.h"

using emscripten::function;
using namespace api;

EMSCRIPTEN_BINDINGS(nnplay_api) {
  emscripten::constant("nnplay_version", std::string(NNPLAY_VERSION));
  function("nnplay_frameStats", &core::frame_stats);
  function("nnplay_state", &core::state);
  function("nnplay_play", &core::play);
  function("nnplay_pause", &core::pause);
  function("nnplay_step", &core::step);
  function("nnplay_back", &core::back);
  function("nnplay_reset", &core::reset);
  function("nnplay_set", &core::set);
  function("nnplay_get", &core::get);
  function("nnplay_weights", &core::weights);
  function("nnplay_weightsHash", &core::weights_hash);
  function("nnplay_trace", &core::trace);
  function("nnplay_setWeight", &core::set_weight);
  function("nnplay_addPoint", &core::add_point);
  function("nnplay_clearPoints", &core::clear_points);
  function("nnplay_uiRects", &core::ui_rects);
  function("nnplay_link", &core::link);
  function("nnplay_uiKeys", &core::ui_keys);

  function("nnplay_open", &files::open);
  function("nnplay_openJson", &files::open_json);
  function("nnplay_saveJson", &files::save_json);
  function("nnplay_setupLink", &files::setup_link);
  function("nnplay_exportScript", &files::export_script);
  function("nnplay_exportTrainingScript", &files::export_training);
  function("nnplay_newExperiment", &files::new_experiment);
  function("nnplay_report", &files::report);

  function("nnplay_cnnState", &images::cnn_state_js);
  function("nnplay_confusion", &images::confusion_js);
  function("nnplay_loadIdx", &images::load_idx_js);
  function("nnplay_idxError", &images::idx_error_js);
  function("nnplay_cnnSelect", &images::select_input_js);
  function("nnplay_cnnView", &images::view_js);
  function("nnplay_cnnOpen", &images::open_link_js);
  function("nnplay_cnnPresets", &images::presets);

  function("nnplay_tutorialState", &lessons::tutorial_state);
  function("nnplay_tutorials", &lessons::tutorials_list);
  function("nnplay_tutorial", &lessons::tutorial_open);
  function("nnplay_tutorialNext", &lessons::tutorial_next);
  function("nnplay_tutorialBack", &lessons::tutorial_back);
  function("nnplay_tutorialClose", &lessons::tutorial_close);
  function("nnplay_tutorialOpenLink", &lessons::tutorial_open_link_js);
  function("nnplay_setLanguage", &lessons::set_language);
  function("nnplay_select", &lessons::select_item);
  function("nnplay_explain", &lessons::explain_numbers);
}
