// The chrome every mode shares: the top bar, the status line, the data column and the Share
// button. Every panel has the same shape: a function of the App and the screen rectangle it owns,
// drawing with ImGui into the main window and editing the App only through its actions.
#pragma once
#include "app/app.h"
#include "app/ui.h"

void controls_panel(App& app, Area a);                 // play/pause, step, back, reset, training settings (top bar)
void status_panel(App& app, Area a);                   // divergence and error messages, with their actions
void data_panel(App& app, Area a);                     // data sets, noise, split, batch, regenerate, clicked points
void share_button(App& app);                           // title bar, right: "Share / files" popup: copy links, save/open JSON, export, new experiment
