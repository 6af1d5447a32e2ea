// Browser test of the tutorial player: every tutorial walked from its first step to its last in
// English and in Chinese with Next, doing what each waiting step asks through the page (clicks on
// the widgets' rectangles) or the JS API; no console error; screenshots of the backprop steps; and
// the numbers the backprop tutorial shows checked against the engine's trace and the lecture's
// closed forms, recomputed here in double from weights() and the example.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, serveDist, launch, openPage, waitForNnplay, screenshot, clickWidget, frames as framesOf } from './lib.mjs';

const TUT_DIR = path.join(ROOT, 'web', 'tutorial', 'lessons');
const tutorials = fs.readdirSync(TUT_DIR).filter(f => f.endsWith('.json'))
  .map(f => JSON.parse(fs.readFileSync(path.join(TUT_DIR, f), 'utf8'))).sort((a, b) => a.order - b.order);

let server, context;
let imagePick = 0;                                     // a different test image at every pick
before(async () => { server = await serveDist(); context = await launch(); });
after(async () => { await context?.close(); await server?.close(); });

const api = (page, fn, ...args) => page.evaluate(async ([f, a]) => { const n = await window.nnplay; return n[f](...a); }, [fn, args]);
const frames = framesOf;                           // lib.mjs
async function rects(page) { return api(page, 'uiRects'); }
const clickRect = (page, name) => clickWidget(page, name, { waitMs: 0 });  // lib.mjs
const g4 = v => { const s = Number(v).toPrecision(4); return String(Number(s)); };  // %.4g for the magnitudes used here

// What a waiting step asks for, done through the page or the API; returns when Next is enabled.
async function perform(page, st, tut, k) {
  const w = tut.steps[k].wait;
  const state = () => api(page, 'tutorialState');
  if (w.kind === 'condition') {
    for (let guard = 0; guard < 400 && (await state()).waiting; ++guard) {
      const s = await api(page, 'state');
      if (w.metric === 'epoch') await api(page, 'step', 'epoch', Math.max(1, Math.min(200, w.value - s.epoch)));
      else if (w.metric === 'step') await api(page, 'step', 'batch', Math.max(1, Math.min(1000, w.value - s.step)));
      else await api(page, 'step', 'epoch', tut.id === 'cnn' ? 1 : 10);
      await frames(page, 1);
    }
    return;
  }
  if (w.kind !== 'action') return;
  const count = w.count || 1;
  for (let i = 0; i < count; ++i) {
    switch (w.action) {
      case 'play': await api(page, 'play'); await frames(page, 2); await api(page, 'pause'); break;
      case 'pause': await api(page, 'play'); await frames(page, 2); await api(page, 'pause'); break;
      case 'step': await clickRect(page, 'button:step'); break;
      case 'back': await api(page, 'back', 1); break;
      case 'reset': await clickRect(page, 'button:reset'); break;
      case 'set': {
        const v = w.value ?? (w.key === 'regularizationRate' ? '0.3' : undefined);
        const r = await api(page, 'set', w.key, v);
        assert.ok(r.ok, `set ${w.key}=${v}: ${r.error}`);
        break;
      }
      case 'edit-weight': {
        const p = Object.values(await api(page, 'weights'));
        const idx = i % 2;                  // w11, w21, w11, ...: the first layer's first weights
        const r = await api(page, 'setWeight', 0, false, idx, p[idx] + 0.25 * (i + 1));
        assert.ok(r.ok, r.error);
        break;
      }
      case 'select': {
        if (w.key === 'cell') { await clickRect(page, `cell:${i}`); break; }
        if (w.key === 'neuron') { await clickRect(page, 'neuron:0:0'); break; }
        if (w.key === 'weight') {
          // a click on the link x1 -> neuron 1 (the network panel's S-curve passes through its midpoint)
          const r = await rects(page);
          const f = r['feature:x'], n = r['neuron:0:0'];
          assert.ok(f && n, 'feature and neuron rectangles');
          const p0 = [f[0] + f[2] + 1, f[1] + f[3] / 2], p1 = [n[0] - 1, n[1] + n[3] / 2];
          await page.mouse.click((p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2);
          await frames(page, 3);
          await page.keyboard.press('Escape');
          await frames(page, 2);
          break;
        }
        if (w.key === 'image') { await api(page, 'cnnSelect', 'test', ++imagePick); await frames(page, 2); break; }
        break;
      }
      case 'toggle': await clickRect(page, `toggle:${w.key}`); break;
      case 'apply-update': await clickRect(page, 'apply-update'); break;
      case 'draw': {
        const r = (await rects(page))['pad'];
        assert.ok(r, 'drawing pad rectangle');
        await page.mouse.move(r[0] + r[2] * 0.3, r[1] + r[3] * 0.3);
        await page.mouse.down();
        await page.mouse.move(r[0] + r[2] * 0.6, r[1] + r[3] * 0.7, { steps: 8 });
        await page.mouse.up();
        await frames(page, 3);
        break;
      }
      default: assert.fail(`unknown action ${w.action}`);
    }
    await frames(page, 2);
  }
}

for (const lang of ['en', 'zh']) {
  test(`every tutorial walks from first to last step with Next (${lang})`, { timeout: 900000 }, async () => {
    const page = await openPage(context, server.url);
    await waitForNnplay(page);
    assert.ok((await api(page, 'setLanguage', lang)).ok);
    const list = await api(page, 'tutorials');
    assert.deepEqual(list.map(t => t.id), tutorials.map(t => t.id), 'the picker lists every tutorial by order');
    for (const tut of tutorials) {
      if (tut.id === 'cnn' && process.env.NNPLAY_SKIP_CNN) continue;
      let st = await api(page, 'tutorial', tut.id, 0);
      assert.ok(st.ok, `${tut.id}: ${st.error}`);
      for (let k = 0; k < tut.steps.length; ++k) {
        await frames(page, 2);
        st = await api(page, 'tutorialState');
        assert.equal(st.id, tut.id);
        assert.equal(st.step, k);
        assert.equal(st.lang, lang);
        assert.equal(st.error, '', `${tut.id} step ${k}: setup error`);
        assert.ok(!/[{}]/.test(st.text), `${tut.id} step ${k}: unfilled placeholder in ${st.text}`);
        if (lang === 'zh') assert.match(st.text, /[\u4e00-\u9fff]/, `${tut.id} step ${k}: Chinese text`);
        if (tut.id === 'backprop') await screenshot(page, `tutorial-backprop-${lang}-${String(k).padStart(2, '0')}`);
        const wait = tut.steps[k].wait;
        if (wait.kind !== 'next') {
          const before = await api(page, 'tutorialNext');
          if (wait.kind === 'action') assert.equal(before.ok, false, `${tut.id} step ${k}: Next must wait for ${wait.action}`);
        }
        await perform(page, st, tut, k);
        st = await api(page, 'tutorialState');
        assert.equal(st.waiting, false, `${tut.id} step ${k}: still waiting (${st.hint})`);
        const r = await api(page, 'tutorialNext');
        assert.ok(r.ok, `${tut.id} step ${k}: Next: ${r.error}`);
      }
      st = await api(page, 'tutorialState');
      assert.equal(st.mode, 'picker', `${tut.id}: Next on the last step returns to the picker`);
    }
    assert.deepEqual(page.consoleErrors, []);
    await page.close();
  });
}

test('a share link #tutorial=<id>&tstep=<k> opens that step, Back re-applies the earlier step', async () => {
  const page = await openPage(context, server.url + '#v=1&tutorial=pooling&tstep=2');
  await waitForNnplay(page);
  await frames(page, 2);
  let st = await api(page, 'tutorialState');
  assert.equal(st.id, 'pooling');
  assert.equal(st.step, 2);
  assert.equal(st.view, 'pool.avg');
  st = await api(page, 'tutorialBack');
  assert.equal(st.step, 1);
  assert.equal(st.link, 'v=1&tutorial=pooling&tstep=1');
  assert.deepEqual(page.consoleErrors, []);
  await page.close();
});

// ---------- the backprop numbers: engine trace and the lecture's closed forms ----------
const sig = x => 1 / (1 + Math.exp(-x));
function forward(p, x, n, m) {              // parameters() order: W1 (m,n), b1 (m), W2 (1,m), b2 (1)
  const a = [], b = [];
  for (let j = 0; j < m; ++j) { let s = p[m * n + j]; for (let i = 0; i < n; ++i) s += p[j * n + i] * x[i]; a.push(s); b.push(sig(s)); }
  let c = p[m * n + 2 * m]; for (let j = 0; j < m; ++j) c += p[m * n + m + j] * b[j];
  return { a, b, c, zt: sig(c) };
}
const close = (a, b, tol, what) => {
  const e = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);
  assert.ok(e <= tol || Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b} (relative error ${e})`);
};

test('the backprop tutorial shows the engine\'s numbers and the lecture\'s closed forms', async () => {
  const page = await openPage(context, server.url);
  await waitForNnplay(page);
  assert.ok((await api(page, 'tutorial', 'backprop', 1)).ok);
  await frames(page, 3);
  const ex = await api(page, 'explain');
  assert.ok(ex.lecture, ex.lectureError);
  const V = ex.values, n = ex.n, m = ex.m;
  assert.equal(n, 2); assert.equal(m, 2);
  assert.equal(V.k, 1, 'traceExample=1 of the tutorial\'s setup');
  const p = Array.from(await api(page, 'weights'));
  assert.equal(p.length, m * n + m + m + 1);
  // the engine's trace for the same example (explain ran trace_example on it)
  const t0 = await api(page, 'trace', 0), t1 = await api(page, 'trace', 1);
  const d = o => Object.values(o.data);
  for (let j = 1; j <= m; ++j) {
    assert.equal(V[`a${j}`], d(t0.exZ)[j - 1], `a${j} = trace(0).exZ`);
    assert.equal(V[`b${j}`], d(t0.exA)[j - 1], `b${j} = trace(0).exA`);
    assert.equal(V[`dE_da${j}`], d(t0.exDz)[j - 1], `dE/da${j} = trace(0).exDz`);
    assert.equal(V[`dE_db${j}`], d(t0.exDa)[j - 1], `dE/db${j} = trace(0).exDa`);
    for (let i = 1; i <= n; ++i) assert.equal(V[`w${i}${j}`], p[(j - 1) * n + (i - 1)], `w${i}${j} = weights()`);
    assert.equal(V[`w0${j}`], p[m * n + j - 1]);
    assert.equal(V[`v${j}`], p[m * n + m + j - 1]);
  }
  assert.equal(V.v0, p[m * n + 2 * m]);
  assert.equal(V.c, d(t1.exZ)[0], 'c = trace(1).exZ');
  assert.equal(V.zt, d(t1.exA)[0], 'z~ = trace(1).exA');
  assert.equal(V.dE_dc, d(t1.exDz)[0], 'dE/dc = trace(1).exDz');
  assert.equal(V.dE_dzt, d(t1.exDa)[0], 'dE/dz~ = trace(1).exDa');
  // forward in double from weights() and the example's inputs
  const x = [V.x1, V.x2], z = V.z;
  const f = forward(p, x, n, m);
  for (let j = 0; j < m; ++j) { close(V[`a${j + 1}`], f.a[j], 1e-5, `a${j + 1}`); close(V[`b${j + 1}`], f.b[j], 1e-5, `b${j + 1}`); }
  close(V.c, f.c, 1e-5, 'c'); close(V.zt, f.zt, 1e-5, 'z~');
  close(V.E, (f.zt - z) ** 2, 1e-5, 'E = (z~ - z)^2');
  // the lecture's closed forms (E without 1/2)
  const k = 2 * f.zt * (1 - f.zt) * (f.zt - z);
  close(V.dE_dzt, 2 * (f.zt - z), 1e-5, 'dE/dz~');
  close(V.dzt_dc, f.zt * (1 - f.zt), 1e-5, 'dz~/dc');
  close(V.dE_dv0, k, 1e-5, 'dE/dv0');
  for (let j = 1; j <= m; ++j) {
    close(V[`dE_dv${j}`], k * f.b[j - 1], 1e-5, `dE/dv${j} = 2 z~(1-z~)(z~-z) b_j`);
    close(V[`db_da${j}`], f.b[j - 1] * (1 - f.b[j - 1]), 1e-5, `db${j}/da${j}`);
    const vj = p[m * n + m + j - 1], bj = f.b[j - 1];
    for (let i = 0; i <= n; ++i)
      close(V[`dE_dw${i}${j}`], k * vj * bj * (1 - bj) * (i ? x[i - 1] : 1), 1e-5, `dE/dw${i}${j} = 2 z~(1-z~)(z~-z) v_j b_j(1-b_j) x_i`);
  }
  // central differences in double, here, against the numeric and analytic values the page shows
  const E = q => (forward(q, x, n, m).zt - z) ** 2, h = 1e-5;
  const num = idx => { const a = p.slice(), b = p.slice(); a[idx] += h; b[idx] -= h; return (E(a) - E(b)) / (2 * h); };
  for (let j = 1; j <= m; ++j) {
    for (let i = 1; i <= n; ++i) close(V[`num_dE_dw${i}${j}`], num((j - 1) * n + i - 1), 1e-5, `num dE/dw${i}${j}`);
    close(V[`num_dE_dw0${j}`], num(m * n + j - 1), 1e-5, `num dE/dw0${j}`);
    close(V[`num_dE_dv${j}`], num(m * n + m + j - 1), 1e-5, `num dE/dv${j}`);
  }
  assert.ok(V.maxRelErr < 1e-4, `maxRelErr ${V.maxRelErr}`);
  // the text prints them with %.4g / %.6g
  const st = await api(page, 'tutorialState');
  assert.ok(st.text.includes(`= ${g4(V.a1)}`), `a1 printed in: ${st.text}`);
  assert.ok(st.text.includes(`b_2 = f(a_2) = ${g4(V.b2)}`), `b2 printed in: ${st.text}`);
  assert.equal(ex.printed.dE_dw11, String(Number(V.dE_dw11.toPrecision(6))));

  // the update: Apply sets every parameter to old - alpha * gradient (float32, as the engine's SGD)
  assert.ok((await api(page, 'tutorial', 'backprop', 9)).ok);
  await frames(page, 3);
  const before = (await api(page, 'explain')).values;
  const p0 = Array.from(await api(page, 'weights'));
  await clickRect(page, 'apply-update');
  const p1 = Array.from(await api(page, 'weights'));
  const alpha = before.alpha, f32 = Math.fround;
  for (let j = 1; j <= m; ++j) {
    for (let i = 1; i <= n; ++i) assert.equal(p1[(j - 1) * n + i - 1], f32(before[`new_w${i}${j}`]), `new w${i}${j}`);
    close(before[`new_w1${j}`], p0[(j - 1) * n] - alpha * before[`dE_dw1${j}`], 1e-6, `new_w1${j} = w - α g`);
    assert.equal(p1[m * n + m + j - 1], f32(before[`new_v${j}`]), `new v${j}`);
  }
  const after = await api(page, 'explain');
  assert.equal(after.prevE, before.E, 'prevE is E before the update');
  assert.ok(after.values.E < before.E, `E went down: ${before.E} -> ${after.values.E}`);
  const st2 = await api(page, 'tutorialState');
  assert.equal(st2.waiting, false, 'apply-update done');

  // the 1/2 switch: every gradient halves, E halves
  assert.ok((await api(page, 'tutorial', 'backprop', 11)).ok);
  await frames(page, 2);
  assert.ok((await api(page, 'set', 'loss', 'halfsquare')).ok);
  await frames(page, 3);
  const hx = await api(page, 'explain');
  assert.equal(hx.loss, 'halfsquare');
  assert.equal(hx.values.lossFactor, 1);
  for (const key of Object.keys(hx.square).filter(q => q.startsWith('dE_') || q === 'E'))
    close(hx.half[key], hx.square[key] / 2, 1e-6, `½ convention ${key}`);
  assert.equal((await api(page, 'tutorialState')).waiting, false, 'set loss=halfsquare done');
  assert.deepEqual(page.consoleErrors, []);
  await page.close();
});

test('the Chinese font is merged and the atlas stays bounded at devicePixelRatio 2', async () => {
  const hidpi = await launch({ deviceScaleFactor: 2 });
  try {
    const page = await openPage(hidpi, server.url + '#v=1&tutorial=backprop&tstep=7');
    await waitForNnplay(page);
    await api(page, 'setLanguage', 'zh');
    await frames(page, 4);
    const st = await api(page, 'tutorialState');
    const [w, h] = st.fontAtlas;
    assert.ok(w > 0 && h > 0 && w * h <= 4096 * 4096, `font atlas ${w}x${h}`);
    await screenshot(page, 'tutorial-backprop-zh-dpr2');
    assert.deepEqual(page.consoleErrors, []);
    await page.close();
  } finally { await hidpi.close(); }
});
