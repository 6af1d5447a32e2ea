// window.nnplay's object, built from the Embind functions of web/api/bindings.cpp (appended to
// nnplay.js with --post-js). Every call returns a value; a JS-side failure becomes {ok:false,error}.
// Calls the Embind function nnplay_<name> with the first n of args. Embind checks the argument
// count: pass every declared argument (missing ones as undefined). Shared by every *_api.js part.
Module['nnplayCall'] = function (name, args, n) {
  try {
    const a = Array.prototype.slice.call(args, 0, n);
    while (a.length < n) a.push(undefined);
    return Module['nnplay_' + name].apply(null, a);
  } catch (e) {
    return { ok: false, error: String((e && e.message) || e) };
  }
};

Module['nnplayMakeApi'] = function () {
  'use strict';
  const M = Module;
  const call = M['nnplayCall'];
  const api = {
    version: M['nnplay_version'],
    state() { return call('state', arguments, 0); },
    play() { return call('play', arguments, 0); },
    pause() { return call('pause', arguments, 0); },
    step(size, n) { return call('step', arguments, 2); },             // size: 'example' | 'batch' | 'epoch'
    back(n) { return call('back', arguments, 1); },
    reset(newSeed) { return call('reset', arguments, 1); },
    set(key, value) { return call('set', arguments, 2); },            // keys: web/share/KEYS.md
    get(key) { return call('get', arguments, 1); },
    weights() { return call('weights', arguments, 0); },              // Float32Array, layer by layer: weights (O,I) then biases
    weightsHash() { return call('weightsHash', arguments, 0); },
    trace(layer) { return call('trace', arguments, 1); },             // {w,b,dw,db,z,a,dz,da,exZ,...: {data, shape}}
    setWeight(layer, bias, index, value) { return call('setWeight', arguments, 4); },
    addPoint(x1, x2, label) { return call('addPoint', arguments, 3); },
    clearPoints() { return call('clearPoints', arguments, 0); },
    frameStats() { return call('frameStats', arguments, 0); },
    uiRects() { return call('uiRects', arguments, 0); },              // widget rectangles (CSS px) of the last frame
    link() { return call('link', arguments, 0); },
  };
  return Object.freeze(api);
};
