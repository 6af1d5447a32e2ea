// Controls panel (the top bar): reset, play/pause, step with a chosen size, step back, counters,
// and the training settings: learning rate, activation, regularization and rate, problem, loss,
// optimizer, speed, and the gradient view toggle.
#include <cstdio>
#include "app/panels.h"

using namespace nnplay;

void controls_panel(App& app, Area a) {
  ImGui::SetCursorScreenPos(ImVec2(a.min.x, a.min.y + 16));
  const float bh = 32;
  if (ImGui::Button("Reset", ImVec2(0, bh))) app.reset(false);
  app.note_rect("button:reset");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("fresh weights from the same seed (key r)");
  ImGui::SameLine();
  if (ImGui::Button("New seed", ImVec2(0, bh))) app.reset(true);
  app.note_rect("button:newSeed");
  ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Button, app.playing ? IM_COL32(150, 60, 40, 255) : IM_COL32(30, 110, 60, 255));
  if (ImGui::Button(app.playing ? "Pause" : "Play", ImVec2(64, bh))) { if (app.playing) app.pause(); else app.play(); }
  ImGui::PopStyleColor();
  app.note_rect("button:play");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("play / pause (space)");
  ImGui::SameLine();
  if (ImGui::Button("<", ImVec2(30, bh))) app.back(1);
  app.note_rect("button:back");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("step back one update (left arrow); %d available", app.session->can_back());
  ImGui::SameLine();
  if (ImGui::Button(">", ImVec2(30, bh))) app.step(app.step_size, 1);
  app.note_rect("button:step");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("one step of the chosen size (right arrow)");
  ImGui::SameLine();
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() - 18);
  ui::key_combo(app, "Step size", "stepSize", {"example", "batch", "epoch"}, {}, 80);
  ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::TextColored(ImColor(ui::kDim).Value, "Epoch / step");
  ImGui::Text("%06lld / %lld", (long long)app.session->epoch(), (long long)app.session->step_count());
  ImGui::EndGroup();
  app.note_rect("counter");
  ImGui::SameLine(0, 16);
  ui::key_combo(app, "Learning rate", "learningRate",
                {"1e-05", "0.0001", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10"},
                {"0.00001", "0.0001", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10"}, 84);
  ImGui::SameLine();
  // One activation for every hidden layer (each layer's own is in the network panel).
  {
    const std::string acts = app.get("activation");
    const std::string first = acts.substr(0, acts.find(','));
    bool same = true;
    for (int l = 0; l < app.hidden_count(); ++l) same = same && first == nnplay::name(app.cfg.layers[l].act);
    ImGui::BeginGroup();
    ImGui::TextColored(ImColor(ui::kDim).Value, "Activation");
    ImGui::SetNextItemWidth(90);
    if (ImGui::BeginCombo("##allact", app.hidden_count() == 0 ? "-" : same ? first.c_str() : "mixed")) {
      for (const char* v : {"tanh", "sigmoid", "relu", "leakyrelu", "linear"}) {
        if (ImGui::Selectable(v, same && first == v)) ui::set(app, "activation", v);
        app.note_rect((std::string("option:activation:") + v).c_str());
      }
      ImGui::EndCombo();
    }
    app.note_rect("combo:activation");
    ImGui::EndGroup();
  }
  ImGui::SameLine();
  ui::key_combo(app, "Regularization", "regularization", {"none", "l1", "l2"}, {"None", "L1", "L2"}, 70);
  ImGui::SameLine();
  ui::key_combo(app, "Reg. rate", "regularizationRate", {"0", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10"}, {}, 70);
  ImGui::SameLine();
  ui::key_combo(app, "Problem type", "problem", {"classification", "multiclass", "regression"}, {"Classification", "Multi-class", "Regression"}, 110);
  ImGui::SameLine();
  if (app.problem() == Problem::Multiclass)
    ui::key_combo(app, "Loss", "loss", {"softmaxce"}, {"cross-entropy"}, 100);
  else
    ui::key_combo(app, "Loss", "loss", {"halfsquare", "square"}, {"(1/2) squared", "squared"}, 96);
  ImGui::SameLine();
  ui::key_combo(app, "Optimizer", "optimizer", {"sgd", "momentum", "nesterov", "adam"}, {"SGD", "Momentum", "Nesterov", "Adam"}, 84);
  ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::TextColored(ImColor(ui::kDim).Value, "Steps/frame");
  ImGui::SetNextItemWidth(80);
  int spf = app.steps_per_frame;
  if (ImGui::SliderInt("##spf", &spf, 1, 20)) ui::set(app, "stepsPerFrame", std::to_string(spf));
  app.note_rect("slider:stepsPerFrame");
  ImGui::EndGroup();
}
