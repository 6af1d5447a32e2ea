// The tutorials' special views (README.md "Views") and the formula panel. Every view family has
// the same shape: a function of a ViewCtx drawing into the current ImGui window (the player's
// strip), reading numbers only from the engine (explain.h, the trace) and reporting the learner's
// actions to the player. One file per family: view_backprop.cpp, view_formula.cpp, view_conv.cpp,
// view_neuron.cpp, view_network.cpp, view_activations.cpp, view_cnn.cpp.
#pragma once
#include <string>
#include <nlohmann/json.hpp>
#include "app/app.h"
#include "app/i18n.h"
#include "app/ui.h"
#include "tutorial/tutorial.h"

struct ViewCtx {
  App& app;
  Player& pl;
  const std::string& id;                               // the view id, e.g. "backprop.forward"
  const nlohmann::json& args;                          // the step's viewArgs (null when none)
  float width;                                         // content width available
};

bool draw_view(ViewCtx& c);                            // dispatches on c.id; false when the id is unknown
void backprop_view(ViewCtx& c);                        // backprop.forward .error .output-gradient .hidden-gradient .update .half
void formula_view(ViewCtx& c);                         // formula: the selected weight or neuron, its chain and numeric check
void conv_view(ViewCtx& c);                            // conv.1d conv.explainer conv.flip pool.max pool.avg
void neuron_view(ViewCtx& c);                          // mp.truth-table perceptron.rule
void network_view(ViewCtx& c);                         // linear.collapse layers.count
void activations_view(ViewCtx& c);                     // activations.plot
void cnn_view(ViewCtx& c);                             // cnn.feature-maps cnn.filters cnn.confusion (the image mode's tabs)
void cnn_observe(Player& pl);                          // the image mode's picks (select image, draw) -> Player::action
bool cnn_prediction(double* out);                      // {prediction}: the class predicted for the current input

// ---- shared helpers for the views (player.cpp) ----
void wrapped_text(const std::string& s, float width, ImU32 col = 0);  // word wrap that also breaks between CJK characters
float wrapped_text_height(const std::string& s, float width);         // the height wrapped_text takes
std::string num4(double v);                            // %.4g
std::string num6(double v);                            // %.6g
