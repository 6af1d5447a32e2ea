// The tutorial part of window.nnplay (web/api/tutorial_bindings.cpp): appended after web/api/api.js with
// --post-js; it extends the object api.js builds. Every call returns a value, never throws.
(function () {
  'use strict';
  const base = Module['nnplayMakeApi'];
  Module['nnplayMakeApi'] = function () {
    const call = Module['nnplayCall'];
    const api = Object.assign({}, base ? base() : {}, {
      tutorials() { return call('tutorials', arguments, 0); },                 // [{id, order, steps, title}]
      tutorial(id, step) { return call('tutorial', arguments, 2); },           // opens step (0-based) of tutorial id
      tutorialState() { return call('tutorialState', arguments, 0); },         // {id, step, steps, waiting, lang, text, ...}
      tutorialNext() { return call('tutorialNext', arguments, 0); },
      tutorialBack() { return call('tutorialBack', arguments, 0); },
      tutorialClose() { return call('tutorialClose', arguments, 0); },
      setLanguage(lang) { return call('setLanguage', arguments, 1); },        // 'en' | 'zh'
      select(kind, layer, out, inp) { return call('select', arguments, 4); }, // formula panel: 'weight'|'bias'|'neuron'
      explain() { return call('explain', arguments, 0); },                    // the numbers the tutorial views show
    });
    return Object.freeze(api);
  };
})();
