// Browser smoke test of the built page: it loads in headless Chromium with WebGL2, resolves
// window.nnplay with the build's version, draws the ImGui UI and logs no console error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, waitForNnplay, screenshot, canvasStats } from './lib.mjs';

let server, context;
before(async () => { server = await serveDist(); context = await launch(); });
after(async () => { await context?.close(); await server?.close(); });

test('page loads, draws the UI and reports the build version', async () => {
  const page = await openPage(context, server.url);
  const version = await waitForNnplay(page);
  if (process.env.NNPLAY_VERSION) assert.equal(version, process.env.NNPLAY_VERSION);
  assert.match(version, /^\d+\.\d+\.\d+/);
  await page.waitForTimeout(500);
  const stats = await canvasStats(page);
  await screenshot(page, 'smoke');
  assert.ok(stats.differShare > 0.05, `only ${(stats.differShare * 100).toFixed(1)}% of the canvas differs from its background`);
  assert.ok(stats.distinctColours > 50, `only ${stats.distinctColours} distinct colours: no text or UI drawn?`);
  const fs = await page.evaluate(async () => (await window.nnplay).frameStats());
  for (const k of ['cpuMsMedian', 'cpuMsP95', 'stepsPerFrame']) assert.equal(typeof fs[k], 'number', `frameStats().${k}`);
  assert.deepEqual(page.consoleErrors, []);
  await page.close();
});

test('canvas fills the window and follows resizes and devicePixelRatio', async () => {
  const hidpi = await launch({ deviceScaleFactor: 2 });
  try {
    const page = await openPage(hidpi, server.url);
    await waitForNnplay(page);
    const size = () => page.evaluate(() => {
      const c = document.querySelector('canvas'); const r = c.getBoundingClientRect();
      return { cw: c.width, ch: c.height, w: r.width, h: r.height, iw: innerWidth, ih: innerHeight, dpr: devicePixelRatio };
    });
    let s = await size();
    assert.equal(s.dpr, 2);
    assert.ok(Math.abs(s.w - s.iw) <= 1 && Math.abs(s.h - s.ih) <= 1, `canvas ${s.w}x${s.h} vs window ${s.iw}x${s.ih}`);
    assert.ok(Math.abs(s.cw - s.w * 2) <= 2 && Math.abs(s.ch - s.h * 2) <= 2, `backing store ${s.cw}x${s.ch} for ${s.w}x${s.h} css px at dpr 2`);
    await page.setViewportSize({ width: 900, height: 600 });
    await page.waitForTimeout(400);
    s = await size();
    assert.ok(Math.abs(s.w - 900) <= 1 && Math.abs(s.h - 600) <= 1, `after resize canvas is ${s.w}x${s.h}`);
    assert.ok(Math.abs(s.cw - 1800) <= 2 && Math.abs(s.ch - 1200) <= 2, `after resize backing store is ${s.cw}x${s.ch}`);
    await screenshot(page, 'smoke-hidpi');
    assert.deepEqual(page.consoleErrors, []);
  } finally { await hidpi.close(); }
});
