// Share links and files in the page: round trips into a fresh browser (default, multi-class,
// regression, CNN), the address bar and history, local storage, JSON save/open (API, Share popup,
// drag and drop), and a table of malformed links and files that each leave a working page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, waitForNnplay, screenshot, clickWidget } from './lib.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

const api = (page, expr) => page.evaluate(`(async () => { const api = await window.nnplay; return ${expr}; })()`);
// The page opens its address's link just after the API resolves; wait until it has.
async function openedAt(page, step) {
  await page.waitForFunction(async s => (await window.nnplay).state().step === s, step, { polling: 50, timeout: 120000 });
}
// batchLoss is the loss of the last step's batch: a link with w= restores the weights without
// that step's batch, so it is compared only for replayed links.
function comparable(s, exact) {
  const { playing, message, canBack, batchLoss, ...rest } = s;
  return exact ? rest : { ...rest, batchLoss };
}

// The page in a fresh browser (launch's options): body(page), then no console error, then closed.
async function inFreshPage(options, body) {
  const ctx = await launch(options);
  try {
    const page = await openPage(ctx, server.url);
    await waitForNnplay(page);
    await body(page);
    assert.deepEqual(page.consoleErrors, []);
  } finally { await ctx.close(); }
}

async function roundTrip(name, setup, steps, more) {
  const a = await launch(), b = await launch();
  try {
    const pa = await openPage(a, server.url);
    await waitForNnplay(pa);
    for (const [k, v] of setup) {
      const r = await api(pa, `api.set(${JSON.stringify(k)}, ${JSON.stringify(v)})`);
      assert.equal(r.ok, true, `${name}: set ${k}=${v}: ${JSON.stringify(r)}`);
    }
    assert.equal((await api(pa, `api.step('batch', ${steps})`)).ok, true);
    const link = await api(pa, 'api.link()');
    assert.equal(typeof link, 'string', `${name}: link() ${JSON.stringify(link)}`);
    assert.ok(link.length < 32000, `${name}: link of ${link.length} characters`);
    const sa = await api(pa, 'api.state()');
    const ha = await api(pa, 'api.weightsHash()');
    const pb = await openPage(b, server.url + '#' + link);
    await waitForNnplay(pb);
    await openedAt(pb, steps);
    assert.equal(await api(pb, 'api.weightsHash()'), ha, `${name}: same weights after opening the link`);
    const sb = await api(pb, 'api.state()');
    const w = /(^|&)w=/.test(link);
    assert.deepEqual(comparable(sb, w), comparable(sa, w), `${name}: same state()`);
    assert.equal((await api(pa, `api.step('batch', ${more})`)).ok, true);
    assert.equal((await api(pb, `api.step('batch', ${more})`)).ok, true);
    assert.equal(await api(pb, 'api.weightsHash()'), await api(pa, 'api.weightsHash()'), `${name}: ${more} more steps agree bit for bit`);
    assert.deepEqual(pa.consoleErrors, []);
    assert.deepEqual(pb.consoleErrors, []);
    return link;
  } finally {
    await a.close(); await b.close();
  }
}

test('round trip: the default experiment after 137 steps, opened in a fresh browser, continues bit for bit', { timeout: 180000 }, async () => {
  const link = await roundTrip('default', [], 137, 50);
  assert.ok(link.length < 500, `default link ${link.length} characters: ${link}`);
});

test('round trip: multi-class, regression and a CNN', { timeout: 300000 }, async () => {
  await roundTrip('multi-class', [['dataset', 'blobs'], ['classes', '4'], ['networkShape', '8,6']], 137, 50);
  await roundTrip('regression', [['dataset', 'regplane'], ['noise', '10']], 137, 50);
  await roundTrip('learning rate 0.1, batch 5', [['learningRate', '0.1'], ['batchSize', '5']], 20, 10);
  // a CNN: the tiny preset on the shapes
  const a = await launch(), b = await launch();
  try {
    const pa = await openPage(a, server.url);
    await waitForNnplay(pa);
    const tiny = (await api(pa, 'api.cnnPresets()')).tiny;
    assert.equal((await api(pa, `api.open(${JSON.stringify(tiny)})`)).ok, true);
    assert.equal((await api(pa, `api.step('batch', 37)`)).ok, true);
    const link = await api(pa, 'api.link()');
    const pb = await openPage(b, server.url + '#' + link);
    await waitForNnplay(pb);
    await openedAt(pb, 37);
    assert.equal(await api(pb, 'api.weightsHash()'), await api(pa, 'api.weightsHash()'), 'CNN: same weights');
    await api(pa, `api.step('batch', 20)`); await api(pb, `api.step('batch', 20)`);
    assert.equal(await api(pb, 'api.weightsHash()'), await api(pa, 'api.weightsHash()'), 'CNN: 20 more steps agree');
    assert.equal((await api(pb, 'api.cnnState()')).imageMode, true);
  } finally { await a.close(); await b.close(); }
});

test('the address bar follows the experiment; back and forward move between setups', { timeout: 120000 }, async () => {
  await inFreshPage({}, async page => {
    await page.waitForFunction(() => location.hash.includes('v=1'), null, { timeout: 10000 });
    const len0 = await page.evaluate(() => history.length);
    await api(page, `api.step('batch', 5)`);
    await api(page, 'api.syncNow()');
    assert.match(await page.evaluate(() => location.hash), /step=5/);
    await api(page, `api.step('batch', 5)`);
    await api(page, 'api.syncNow()');
    assert.equal(await page.evaluate(() => history.length), len0, 'training steps replace the history entry');
    await page.waitForTimeout(1100);
    assert.equal((await api(page, `api.set('dataset', 'xor')`)).ok, true);
    await api(page, 'api.syncNow()');
    assert.match(await page.evaluate(() => location.hash), /dataset=xor/);
    assert.equal(await page.evaluate(() => history.length), len0 + 1, 'a new setup is a new history entry');
    await page.goBack();
    await page.waitForFunction(async () => (await window.nnplay).state().config.dataset === 'circle', null, { timeout: 10000 });
    assert.equal((await api(page, 'api.state()')).step, 10, 'back: the circle experiment at step 10 again');
    await page.goForward();
    await page.waitForFunction(async () => (await window.nnplay).state().config.dataset === 'xor', null, { timeout: 10000 });
    // a link typed into the address bar opens
    await page.evaluate(async () => { location.hash = (await window.nnplay).setupLink().replace('dataset=xor', 'dataset=spiral'); });
    await page.waitForFunction(async () => (await window.nnplay).state().config.dataset === 'spiral', null, { timeout: 10000 });
  });
});

test('local storage restores the last experiment on reload; "New experiment" clears it', { timeout: 120000 }, async () => {
  await inFreshPage({ keepStorage: true }, async page => {
    await api(page, `api.set('dataset', 'moons')`);
    await api(page, `api.step('batch', 30)`);
    await api(page, 'api.syncNow()');
    const h = await api(page, 'api.weightsHash()');
    await page.goto(server.url);                       // no link: the saved experiment comes back
    await waitForNnplay(page);
    await openedAt(page, 30);
    assert.equal(await api(page, 'api.weightsHash()'), h);
    const s = await api(page, 'api.state()');
    assert.equal(s.config.dataset, 'moons');
    assert.match(s.message, /last experiment is back/);
    await screenshot(page, 'links-restored');
    assert.equal((await api(page, 'api.newExperiment()')).ok, true);
    assert.equal((await api(page, 'api.state()')).config.dataset, 'circle');
    await page.goto(server.url);
    await waitForNnplay(page);
    await page.waitForTimeout(300);
    const t = await api(page, 'api.state()');
    assert.equal(t.step, 0);
    assert.equal(t.config.dataset, 'circle');
  });
});

test('JSON files: save then open is bit-exact (API, Share popup download, drag and drop)', { timeout: 120000 }, async () => {
  await inFreshPage({ acceptDownloads: true }, async page => {
    await api(page, `api.set('dataset', 'spiral')`);
    await api(page, `api.step('batch', 40)`);
    await api(page, `api.setWeight(0, false, 1, 0.123456789)`);   // not reproducible by replay
    await api(page, `api.set('learningRate', '0.3')`);            // mid-run change
    await api(page, `api.step('batch', 3)`);
    const h = await api(page, 'api.weightsHash()');
    const text = await api(page, 'api.saveJson()');
    assert.match(text, /"format": "nnplay"/);
    // the Share popup's "Save file" downloads the same text
    const rects = await api(page, 'api.uiRects()');
    const click = name => clickWidget(page, name);     // lib.mjs
    assert.ok(rects['button:share']);
    await click('button:share');
    const [dl] = await Promise.all([page.waitForEvent('download'), click('share:saveJson')]);
    assert.equal(dl.suggestedFilename(), 'nnplay-experiment.json');
    await screenshot(page, 'links-share-popup');
    const fs = await import('node:fs');
    assert.equal(fs.readFileSync(await dl.path(), 'utf8'), text);
    // open it after a reset (API)
    await api(page, 'api.newExperiment()');
    assert.notEqual(await api(page, 'api.weightsHash()'), h);
    assert.equal((await api(page, `api.openJson(${JSON.stringify(text)}, 'saved.json')`)).ok, true);
    assert.equal(await api(page, 'api.weightsHash()'), h);
    assert.equal((await api(page, 'api.state()')).step, 43);
    // drag and drop onto the canvas
    await api(page, 'api.newExperiment()');
    await page.evaluate(t => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], 'dropped.json', { type: 'application/json' }));
      document.getElementById('canvas').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, text);
    await page.waitForFunction(async h => (await window.nnplay).weightsHash() === h, h, { timeout: 10000 });
    await api(page, `api.step('batch', 7)`);
    const h7 = await api(page, 'api.weightsHash()');
    assert.equal((await api(page, `api.openJson(${JSON.stringify(text)}, 'again.json')`)).ok, true);
    await api(page, `api.step('batch', 7)`);
    assert.equal(await api(page, 'api.weightsHash()'), h7, 'training on from the file is deterministic');
    // export scripts
    const py = await api(page, `api.exportScript('numpy')`);
    assert.match(py, /import numpy/);
    assert.match(await api(page, `api.exportScript('pytorch')`), /import torch/);
  });
});

test('malformed links and files: each names what is wrong in the page and the page keeps working', { timeout: 180000 }, async () => {
  const ctx = await launch();
  try {
    const page = await openPage(ctx, server.url);
    await waitForNnplay(page);
    await api(page, `api.step('batch', 12)`);
    const base = await api(page, 'api.setupLink()');
    const good = await api(page, 'api.link()');
    const file = await api(page, 'api.saveJson()');
    const w = k => (l, v) => l.split('&').map(kv => kv.startsWith(k + '=') ? k + '=' + v : kv).join('&');
    const withKey = (l, k, v) => l.split('&').some(kv => kv.startsWith(k + '=')) ? w(k)(l, v) : l + '&' + k + '=' + v;
    const links = [
      ['', /empty link/],
      ['dataset=circle&noise=0', /missing v=1/],
      [withKey(base, 'v', '2'), /v=2: unknown link version/],
      [base + '&noise=5', /duplicate key "noise"/],
      ['v=1&noise', /"noise": expected key=value/],
      ['v=1&noise=%zz', /bad %-escape/],
      [withKey(base, 'dataset', 'torus'), /dataset=torus: unknown data set/],
      [withKey(base, 'noise', 'abc'), /noise=abc: not a number/],
      [withKey(base, 'noise', 'NaN'), /NaN\/Inf is not allowed/],
      [withKey(base, 'noise', '-1'), /noise=-1: expected a number in 0..50/],
      [withKey(base, 'percTrainData', '95'), /percTrainData=95: expected an integer 10..90/],
      [withKey(base, 'points', '99999999999999999999999'), /points=.*expected an integer 10..5000/],
      [withKey(base, 'batchSize', '0'), /batchSize=0: expected an integer 1..1024/],
      [withKey(base, 'networkShape', '4,2000'), /expected units 1..1024/],
      [withKey(base, 'activation', 'swish'), /unknown activation "swish"/],
      [withKey(base, 'learningRate', '50'), /learning_rate must be in \[0, 10\]/],
      [withKey(base, 'optimizer', 'rmsprop'), /unknown optimizer/],
      [withKey(base, 'seed', '-1'), /seed=-1: expected an integer/],
      [withKey(good, 'step', '3000000'), /more than 2000000 updates/],
      [withKey(good, 'hash', 'xyz'), /hash=xyz: expected 16 lowercase hex digits/],
      [withKey(good, 'hash', '0123456789abcdef'), /weights differ/],
      [withKey(base, 'replay', 'q5'), /run "q5"/],
      [withKey(base, 'w', '!!!'), /bad character '!'/],
      [withKey(base, 'w', 'AAAAA'), /truncated/],
      [withKey(base, 'userPoints', '1:2'), /expected x1:x2:label/],
      [withKey(base, 'problem', 'vision'), /unknown problem type/],
      ['v=1&' + 'a'.repeat(40000), /link too long/],
    ];
    const edit = f => { const o = JSON.parse(file); f(o); return JSON.stringify(o); };
    const files = [
      ['', /not valid JSON/],
      [file.slice(0, file.length >> 1), /not valid JSON/],
      ['[]', /expected an object, got an array/],
      ['{}', /format: missing/],
      [edit(o => { o.format = 'tfjs'; }), /format: expected "nnplay"/],
      [edit(o => { o.version = 2; }), /unknown file version 2/],
      [edit(o => { o.config.layers[0].units = 0; }), /config.layers\[0\].units: expected an integer/],
      [edit(o => { o.config.layers[1].type = 'lstm'; }), /config.layers\[1\].type/],
      [edit(o => { o.config.data.set = 'torus'; }), /config.data.set/],
      [edit(o => { o.state.layers[0].w[0] = 'abc'; }), /state.layers\[0\].w\[0\]/],
      [edit(o => { o.state.parameter_count = 999; }), /truncated file/],
      [edit(o => { delete o.state.optimizer_state; }), /optimizer_state/],
    ];
    assert.ok(links.length + files.length >= 30, `${links.length + files.length} cases`);
    const h0 = await api(page, 'api.weightsHash()');
    const rows = [];
    const check = async (what, r, re) => {
      assert.equal(r.ok, false, `${what} was accepted`);
      assert.match(r.error, re, what);
      const s = await api(page, 'api.state()');
      assert.match(s.message, re, `${what}: the page shows the message`);
      assert.equal(await api(page, 'api.weightsHash()'), h0, `${what}: the experiment is kept`);
      assert.equal(s.step, 12);
      rows.push(`${what.slice(0, 60).padEnd(60)} -> ${r.error.slice(0, 110)}`);
    };
    for (const [l, re] of links) await check('link ' + JSON.stringify(l.slice(-40)), await api(page, `api.open(${JSON.stringify(l)})`), re);
    for (const [f, re] of files) await check('file ' + JSON.stringify(f.slice(0, 30)), await api(page, `api.openJson(${JSON.stringify(f)}, 'bad.json')`), re);
    console.log(rows.map(r => '  ' + r).join('\n'));
    // a bad link in the address bar: message, working page
    await page.evaluate(() => { location.hash = 'v=1&dataset=torus'; });
    await page.waitForFunction(async () => /torus/.test((await window.nnplay).state().message), null, { timeout: 10000 });
    await page.waitForTimeout(300);
    await screenshot(page, 'links-bad-link-message');
    assert.equal((await api(page, `api.step('batch', 1)`)).ok, true, 'the page still trains');
    assert.equal((await api(page, 'api.state()')).step, 13);
    assert.deepEqual(page.consoleErrors, []);
  } finally { await ctx.close(); }
  // a bad link as the page's first address: the default experiment runs and the message shows
  const ctx2 = await launch();
  try {
    const page = await openPage(ctx2, server.url + '#v=1&dataset=circle&noise=900');
    await waitForNnplay(page);
    await page.waitForFunction(async () => /noise=900/.test((await window.nnplay).state().message), null, { timeout: 10000 });
    assert.equal((await api(page, `api.step('batch', 3)`)).ok, true);
    assert.deepEqual(page.consoleErrors, []);
  } finally { await ctx2.close(); }
});

test('classroom and embed mode: *_hide keys hide panels and settings, embed=1 is compact, and links keep them', { timeout: 120000 }, async () => {
  const ctx = await launch({ viewport: { width: 900, height: 600 } });
  try {
    const page = await openPage(ctx, server.url);
    await waitForNnplay(page);
    const base = await api(page, 'api.setupLink()');
    const rects0 = await api(page, 'api.uiRects()');
    assert.ok(rects0['combo:learningRate'] && rects0['dataset:circle'] && rects0['button:share']);
    await page.goto(server.url + '#' + base + '&data_hide=1&learningRate_hide=1&embed=1');
    await waitForNnplay(page);
    await page.waitForFunction(async () => (await window.nnplay).get('embed') === '1', null, { timeout: 10000 });
    await page.waitForTimeout(300);
    const rects = await api(page, 'api.uiRects()');
    assert.equal(rects['combo:learningRate'], undefined, 'learning rate hidden');
    assert.equal(rects['dataset:circle'], undefined, 'data panel hidden');
    assert.equal(rects['button:share'], undefined, 'no Share button when embedded');
    assert.ok(rects['combo:activation'], 'other settings stay');
    await screenshot(page, 'links-embed-compact');
    const link = await api(page, 'api.link()');
    assert.match(link, /data_hide=1/); assert.match(link, /learningRate_hide=1/); assert.match(link, /embed=1/);
    const r = await api(page, `api.open(${JSON.stringify(base + '&network_hide=1')})`);
    assert.equal(r.ok, false);
    assert.match(r.error, /network_hide: unknown part "network"/);
    assert.equal((await api(page, `api.step('batch', 2)`)).ok, true);
    assert.deepEqual(page.consoleErrors, []);
  } finally { await ctx.close(); }
});
