// Saving and sharing, the browser side: the address bar follows the experiment (replaceState while
// it trains, pushState when its setup changes, so back/forward move between setups), local storage
// remembers it for the next visit, the Share popup's actions (clipboard, downloads, JSON file picker,
// drag and drop of .json files) and the API calls open/openJson/saveJson/... (web/api/state_bindings.cpp).
(function () {
  'use strict';
  const M = Module;
  const call = M['nnplayCall'];
  const STORE = 'nnplay.experiment.v1';
  let lastLink = null, lastPush = 0, lastJsonSave = 0, tooBigNoted = false, started = false;
  // The UI key table (web/share/ui_keys.h, read once the module runs): the keys whose change is
  // not a new setup (progress, views, the tutorial's position), and those a tutorial link has.
  let notSetup = new Set(), tutorialKeys = new Set();
  function readKeyTable() {
    const t = call('uiKeys', [], 0);
    if (!t || !Array.isArray(t.keys)) return;
    notSetup = new Set(t.progress.concat(t.keys.filter(k => !k.setup).map(k => k.name)));
    tutorialKeys = new Set(t.keys.filter(k => k.owner === 'tutorial' && k.inLinks).map(k => k.name));
  }

  const frag = () => { try { return decodeURIComponent(location.hash.slice(1)); } catch (e) { return location.hash.slice(1); } };
  const report = (msg, isError) => call('report', [msg, !!isError], 2);
  const keyOf = kv => kv.split('=')[0];
  const setupPart = l => (l || '').split('&').filter(kv => !notSetup.has(keyOf(kv))).join('&');
  const isTutorialLink = h => h.split('&').some(kv => tutorialKeys.has(keyOf(kv)));

  // The state as a link: exact (step, replay or weights) when it fits, else the setup only.
  function stateLink() {
    const l = call('link', [], 0);
    if (typeof l === 'string') return { link: l, exact: true };
    const s = call('setupLink', [], 0);
    return { link: typeof s === 'string' ? s : '', exact: false, why: l && l.error };
  }
  function st() { const s = call('state', [], 0); return s && s.ok ? s : null; }

  function loadSaved() {
    try { const o = JSON.parse(localStorage.getItem(STORE) || 'null'); return o && typeof o.fragment === 'string' ? o : null; } catch (e) { return null; }
  }
  // Local storage: the link; with the JSON file too when the link can't hold the exact state or
  // replaying it would take long (many steps of a big network). JSON at most every 5 s.
  function save(cur, force) {
    try {
      const s = st();
      const heavy = !cur.exact || (s && s.parameters * s.step > 2e8);
      const o = { fragment: cur.link, json: null };
      if (heavy) {
        const now = Date.now();
        const prev = loadSaved();
        if (!force && now - lastJsonSave < 5000 && prev && prev.json) { o.json = prev.json; o.jsonFragment = prev.jsonFragment; }
        else { o.json = call('saveJson', [], 0); o.jsonFragment = cur.link; lastJsonSave = now; }
        if (typeof o.json !== 'string') o.json = null;
      }
      localStorage.setItem(STORE, JSON.stringify(o));
    } catch (e) { /* storage full or disabled: links still work */ }
  }

  function sync(force) {
    if (!started) return;
    const cur = stateLink();
    if (!force && cur.link === lastLink) return;
    if (!cur.exact && !tooBigNoted) {
      tooBigNoted = true;
      report('This network is too large to share by link (' + (cur.why || 'over 32 KB') + '): the address holds its settings only. Use Share / files > Save file for the exact state.', false);
    }
    if (cur.exact) tooBigNoted = false;
    const meaningful = lastLink !== null && setupPart(cur.link) !== setupPart(lastLink);
    lastLink = cur.link;
    const url = location.pathname + location.search + '#' + cur.link;
    const now = Date.now();
    try {
      if (meaningful && now - lastPush > 1000) { history.pushState(null, '', url); lastPush = now; }
      else history.replaceState(null, '', url);
    } catch (e) { /* too many history calls: the next tick retries */ lastLink = null; }
    save(cur, false);
  }

  function openFragment(h, what) {
    const r = call('open', [h, what], 2);
    lastLink = stateLink().link;                        // what is open now (unchanged after a failure)
    return r;
  }
  function openJson(text, name) {
    const r = call('openJson', [text, name || '(JSON)'], 2);
    return r;
  }

  // On the page's URL changing by the user (typed, back/forward): open it unless it is what we wrote.
  function onNavigate() {
    const h = frag();
    if (!h || h === lastLink || isTutorialLink(h)) return;
    openFragment(h, 'link');
  }

  function start() {
    if (started) return;
    started = true;
    readKeyTable();
    const h = frag(), saved = loadSaved();
    if (h && isTutorialLink(h)) {
      call('tutorialOpenLink', [h], 1);                 // the player opens that step (web/tutorial)
    } else if (h) {
      // The address we wrote last time, reloaded: the stored JSON is exact and needs no replay.
      const r = saved && saved.json && saved.jsonFragment === h ? openJson(saved.json, 'saved experiment') : openFragment(h, 'link');
      if (!r.ok && saved && saved.json && saved.jsonFragment === h) openFragment(h, 'link');
    } else if (!h && saved) {
      const r = saved.json ? openJson(saved.json, 'saved experiment') : call('open', [saved.fragment, 'saved experiment'], 2);
      if (r.ok) report('Your last experiment is back (from this browser). Share / files > New experiment starts over.', false);
      else try { localStorage.removeItem(STORE); } catch (e) {}
    }
    const h2 = frag();
    lastLink = stateLink().link;
    if (!h2) { try { history.replaceState(null, '', location.pathname + location.search + '#' + lastLink); } catch (e) {} }
    setInterval(() => sync(false), 500);
    window.addEventListener('popstate', onNavigate);
    window.addEventListener('hashchange', onNavigate);
    window.addEventListener('pagehide', () => { const c = stateLink(); save(c, true); });
  }

  function download(name, text, type) {
    if (typeof text !== 'string') return;               // an error value: its message is in the page's status line
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement('a');
    a.href = url; a.download = name; a.style.display = 'none';
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
  function copyLink(kind) {
    const l = kind === 'setup' ? call('setupLink', [], 0) : call('link', [], 0);
    if (typeof l !== 'string') { report((l && l.error) || 'no link', true); return { ok: false, error: l && l.error }; }
    const url = location.origin + location.pathname + location.search + '#' + l;
    const what = kind === 'setup' ? 'Setup link' : 'Link to this step';
    const shown = () => report(what + ' (' + url.length + ' characters) could not be put on the clipboard; copy it from the address bar.', false);
    try {
      navigator.clipboard.writeText(url).then(() => report(what + ' copied (' + url.length + ' characters).', false), shown);
    } catch (e) { shown(); }
    return { ok: true, url };
  }
  async function openFile(file) {
    try {
      if (file.size > 256 * 1048576) return call('openJson', ['', file.name + ' (larger than 256 MB)'], 2);
      return openJson(await file.text(), file.name);
    } catch (e) {
      report('file ' + file.name + ': could not be read (' + String((e && e.message) || e) + ')', true);
      return { ok: false, error: String(e) };
    }
  }
  function pickJson() {
    let input = document.getElementById('nnplay-json-input');
    if (!input) {
      input = document.createElement('input');
      input.type = 'file'; input.id = 'nnplay-json-input'; input.accept = '.json,application/json';
      input.style.display = 'none';
      input.addEventListener('change', () => { const f = input.files[0]; if (f) openFile(f).finally(() => { input.value = ''; }); });
      document.body.appendChild(input);
    }
    input.click();
  }
  // A dropped .json file is an experiment; IDX files go on to web/api/cnn_api.js's handler.
  window.addEventListener('drop', e => {
    const files = e.dataTransfer && e.dataTransfer.files;
    if (!files || files.length !== 1 || !/\.json$/i.test(files[0].name) && files[0].type !== 'application/json') return;
    e.preventDefault();
    e.stopImmediatePropagation();
    openFile(files[0]);
  }, true);

  function newExperiment() {
    try { localStorage.removeItem(STORE); } catch (e) {}
    const r = call('newExperiment', [], 0);
    sync(true);
    return r;
  }

  M['nnplayShare'] = function (action) {
    if (action === 'copy-step') copyLink('step');
    else if (action === 'copy-setup') copyLink('setup');
    else if (action === 'save-json') download('nnplay-experiment.json', call('saveJson', [], 0), 'application/json');
    else if (action === 'open-json') pickJson();
    else if (action === 'export-numpy') download('nnplay_model_numpy.py', call('exportScript', ['numpy'], 1), 'text/x-python');
    else if (action === 'export-pytorch') download('nnplay_model_pytorch.py', call('exportScript', ['pytorch'], 1), 'text/x-python');
    else if (action === 'export-train-pytorch') download('nnplay_train_pytorch.py', call('exportTrainingScript', ['pytorch'], 1), 'text/x-python');
    else if (action === 'new') newExperiment();
  };

  const base = M['nnplayMakeApi'];
  M['nnplayMakeApi'] = function () {
    const api = Object.assign({}, base(), {
      open(fragment) { const r = openFragment(String(fragment).replace(/^#/, ''), 'link'); sync(true); return r; },
      openJson(text, name) { const r = openJson(text, name); sync(true); return r; },
      openFile,                                                       // async (File) -> {ok, error}
      saveJson() { return call('saveJson', arguments, 0); },          // the JSON file's text
      setupLink() { return call('setupLink', arguments, 0); },        // settings and seed, step 0
      exportScript(kind) { return call('exportScript', arguments, 1); }, // 'numpy' | 'pytorch'
      exportTrainingScript(kind) { return call('exportTrainingScript', arguments, 1); }, // 'pytorch' | 'numpy': the script's text, or {ok: false, error}
      copyLink,                                                       // ('step' | 'setup') -> {ok, url}
      newExperiment,
      syncNow() { sync(true); return { ok: true, link: lastLink }; }, // write the address now (tests)
    });
    setTimeout(start, 0);                               // after the API promise resolves: open the link or the saved state
    return Object.freeze(api);
  };
})();
