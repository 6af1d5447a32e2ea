// Image mode's layout (ImageMode::draw): the network column, the views in tabs, the input column; and
// the per-frame work they share: tracing the chosen input, evaluating the test set (cached per step).
#include <algorithm>
#include <chrono>
#include "cnn/parts.h"

using namespace nnplay;

namespace cnn {

State& state() { static State s; return s; }

void trace_current(App& app) {
  State& st = state();
  Session& s = *app.session;
  const Dataset& d = s.data();
  const int L = s.layer_count() - 1;
  if ((int)st.pad.size() != d.input_size) { st.pad.assign(d.input_size, 0.0f); ++st.pad_version; }
  if (st.source != Source::Pad) {
    const bool test = st.source == Source::Test;
    const int n = test ? d.test_count() : d.train_count();
    if (n == 0) { st.source = test ? Source::Train : Source::Test; return trace_current(app); }
    st.index = std::max(0, std::min(st.index, n - 1));
    s.trace_example(test, st.index);
    const float* x = (test ? d.test_x : d.train_x).data() + (size_t)st.index * d.input_size;
    st.input.assign(x, x + d.input_size);
    st.label = (int)(test ? d.test_y : d.train_y)[st.index];
    const View& a = s.trace(L).ex_a;
    st.probs.assign(a.data, a.data + a.size());
  } else {
    st.probs.assign(s.data().outputs, 0.0f);
    s.predict(st.pad.data(), st.probs.data());
    st.input = st.pad;
    st.label = -1;
  }
}

void evaluate_test(App& app) {
  State& st = state();
  Session& s = *app.session;
  static auto last = std::chrono::steady_clock::now();
  const auto now = std::chrono::steady_clock::now();
  if (st.eval_step == s.step_count() && st.eval_session == (const void*)&s) return;
  if (app.playing && st.eval_session == (const void*)&s && now - last < std::chrono::milliseconds(1500)) return;  // at most every 1.5 s while training
  const Dataset& d = s.data();
  const int K = d.outputs, N = d.test_count();
  st.classes = K;
  st.confusion.assign((size_t)K * K, 0);
  st.predicted.assign(N, -1);
  std::vector<float> out(K);
  for (int i = 0; i < N; ++i) {
    s.predict(d.test_x.data() + (size_t)i * d.input_size, out.data());
    const int p = (int)(std::max_element(out.begin(), out.end()) - out.begin());
    st.predicted[i] = p;
    const int t = (int)d.test_y[i];
    if (t >= 0 && t < K) ++st.confusion[(size_t)t * K + p];
  }
  st.eval_step = s.step_count();
  st.eval_session = &s;
  last = std::chrono::steady_clock::now();
  st.eval_ms = std::chrono::duration<double, std::milli>(last - now).count();
}

namespace {
int64_t g_metrics_step = -1;
const void* g_metrics_session = nullptr;
std::chrono::steady_clock::time_point g_metrics_time;
}  // namespace

bool ImageMode::metrics_due(App& app, bool diverged) {
  const auto now = std::chrono::steady_clock::now();
  if (!diverged && app.playing && is_image(app.cfg.data.set) && g_metrics_session == (const void*)app.session.get() &&
      now - g_metrics_time < std::chrono::milliseconds(1500))
    return false;
  g_metrics_time = now;
  g_metrics_step = app.session->step_count();
  g_metrics_session = app.session.get();
  return true;
}

void ImageMode::draw(App& app, Area a) {
  State& st = state();
  if (!app.playing && (g_metrics_step != app.session->step_count() || g_metrics_session != (const void*)app.session.get())) {
    app.metrics = app.session->metrics();              // paused after a throttled stretch: the numbers of this step
    g_metrics_step = app.session->step_count();
    g_metrics_session = app.session.get();
  }
  atlas_begin_frame();
  if (st.tab == 3) evaluate_test(app);                 // before the trace: predict() overwrites the ex_* views
  trace_current(app);
  const float net_w = 250, in_w = 262, gap = 10;
  Area net{a.min, ImVec2(a.min.x + net_w, a.max.y)};
  Area in{ImVec2(a.max.x - in_w, a.min.y), a.max};
  Area mid{ImVec2(net.max.x + gap, a.min.y), ImVec2(in.min.x - gap, a.max.y)};
  auto child = [](const char* id, Area r) {
    ImGui::SetCursorScreenPos(r.min);
    ImGui::BeginChild(id, ImVec2(r.w(), r.h()), false, ImGuiWindowFlags_HorizontalScrollbar);
  };
  child("##cnn_net", net);
  network_column(app, Area{ImGui::GetCursorScreenPos(), ImVec2(net.max.x - 12, net.max.y)});
  ImGui::EndChild();
  child("##cnn_in", in);
  input_column(app, Area{ImGui::GetCursorScreenPos(), ImVec2(in.max.x - 12, in.max.y)});
  ImGui::EndChild();
  ImGui::SetCursorScreenPos(mid.min);
  ImGui::BeginGroup();
  if (ImGui::BeginTabBar("##cnn_tabs")) {
    const char* names[] = {"Feature maps", "Filters", "Convolution explainer", "Test set"};
    const char* ids[] = {"tab:maps", "tab:filters", "tab:explainer", "tab:test"};
    for (int t = 0; t < 4; ++t) {
      const bool open = ImGui::BeginTabItem(names[t], nullptr, st.tab_request == t ? ImGuiTabItemFlags_SetSelected : 0);
      app.note_rect(ids[t]);
      if (open) { st.tab = t; ImGui::EndTabItem(); }
    }
    ImGui::EndTabBar();
    st.tab_request = -1;
  }
  ImGui::Checkbox("show gradients (dE/da, dE/dK)", &app.gradients);
  app.note_rect("check:cnnGradients");
  ImGui::EndGroup();
  const float y = ImGui::GetCursorScreenPos().y;
  child("##cnn_view", Area{ImVec2(mid.min.x, y), mid.max});
  switch (st.tab) {
    case 0: maps_view(app); break;
    case 1: filters_view(app); break;
    case 2: explainer_view(app); break;
    default: test_view(app); break;
  }
  ImGui::EndChild();
  atlas_end_frame();
}

}  // namespace cnn
