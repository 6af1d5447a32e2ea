// window.nnplay's object, built from the Embind functions of web/bindings.cpp (appended to
// nnplay.js with --post-js). Every call returns a value; a JS-side failure becomes {ok:false,error}.
Module['nnplayMakeApi'] = function () {
  'use strict';
  const M = Module;
  const wrap = (name) => function () {
    try { return M[name].apply(null, arguments); }
    catch (e) { return { ok: false, error: String((e && e.message) || e) }; }
  };
  const api = { version: M['nnplay_version'] };
  for (const k of Object.keys(M)) {
    if (k.startsWith('nnplay_') && typeof M[k] === 'function') api[k.slice(7)] = wrap(k);
  }
  return Object.freeze(api);
};
