// What App asks of a mode of the page (the 2-D playground, image mode): every mode has the same
// shape. App owns the list it was given and calls the mode that owns the current configuration;
// modes include app.h, app.h includes only this declaration's name (no cycle).
#pragma once
#include <string>
#include "app/ui.h"
#include "nnplay/config.h"
#include "nnplay/dataset.h"

class App;

class Mode {
 public:
  virtual ~Mode() = default;
  virtual bool owns(const nnplay::Config& c) const = 0;  // c's data set is shown by this mode
  virtual void draw(App& app, Area a) = 0;               // its panels, right of the data column
  // App::set asks every mode first: true when the key means something of its own here (image mode:
  // switching to and from the image data sets), with *error "" or the message.
  virtual bool set_key(App& app, const std::string& key, const std::string& value, std::string* error) {
    (void)app; (void)key; (void)value; (void)error;
    return false;
  }
  // The data the sessions of c train on instead of generating c.data (the user's files), or null.
  virtual const nnplay::Dataset* data(const nnplay::Config& c) { (void)c; return nullptr; }
  // App::open adopted a state from outside, which never carries the user's files; fresh_views:
  // the mode starts its views over (a tutorial step keeps them).
  virtual void opened(App& app, bool fresh_views) { (void)app; (void)fresh_views; }
  virtual void update(App& app) { (void)app; }           // once per frame while it owns the config, after training
  // App::step: whether to recompute the metrics now (image sets throttle them while playing).
  virtual bool metrics_due(App& app, bool diverged) { (void)app; (void)diverged; return true; }
};
