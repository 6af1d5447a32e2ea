// Helpers for the browser end-to-end tests: serve dist/, launch headless Chromium with WebGL2
// (SwiftShader), open the page collecting console errors, and wait for window.nnplay.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serveDir } from '../../tools/serve.mjs';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const DIST = process.env.NNPLAY_DIST_DIR || path.join(ROOT, 'dist');
export const SHOTS = path.join(ROOT, 'build', 'screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export async function serveDist(dir = DIST) {
  if (!fs.existsSync(path.join(dir, 'index.html'))) throw new Error(`${dir}/index.html is missing: run 'make dist' first`);
  return serveDir(dir, 0);
}

// options.keepStorage: keep the saved experiment across page loads (the page restores it when
// opened without a link); by default every load starts clean, as the tests expect.
export async function launch(options = {}) {
  const { keepStorage, ...rest } = options;
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (tools/deps.sh test does) or set CHROMIUM=`);
  const userDataDir = fs.mkdtempSync('/tmp/nnplay-chromium-');
  const args = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--no-first-run', '--disable-quic', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'];
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args, viewport: { width: 1280, height: 800 }, ...rest });
  if (!keepStorage) await context.addInitScript(() => { try { localStorage.clear(); } catch (e) {} });
  const close = context.close.bind(context);
  context.close = async () => { await close(); fs.rmSync(userDataDir, { recursive: true, force: true }); };
  return context;
}

// Opens `url` in a new page of `context`; page.consoleErrors collects console errors and page errors.
export async function openPage(context, url) {
  const page = await context.newPage();
  page.consoleErrors = [];
  page.on('console', m => { if (m.type() === 'error') page.consoleErrors.push(m.text()); });
  page.on('pageerror', e => page.consoleErrors.push(String(e)));
  await page.goto(url);
  return page;
}

// Waits until window.nnplay exists and resolves (after the first frame); returns the API's version.
export async function waitForNnplay(page, timeout = 60000) {
  await page.waitForFunction(() => typeof window.nnplay !== 'undefined', null, { timeout });
  return page.evaluate(t => Promise.race([
    Promise.resolve(window.nnplay).then(api => api.version),
    new Promise((_, reject) => setTimeout(() => reject(new Error('window.nnplay did not resolve in time')), t))]), timeout);
}

export async function screenshot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, name.endsWith('.png') ? name : `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

// Pixel statistics of the canvas as shown: the most common colour (the clear colour where the UI
// leaves it visible), the share of pixels that differ from it, and the number of distinct colours.
export async function canvasStats(page, selector = 'canvas') {
  const png = await page.locator(selector).first().screenshot();
  return page.evaluate(async b64 => {
    const img = new Image(); img.src = 'data:image/png;base64,' + b64; await img.decode();
    const c = new OffscreenCanvas(img.width, img.height); const g = c.getContext('2d'); g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, img.width, img.height).data; const count = new Map();
    for (let i = 0; i < d.length; i += 4) { const k = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2]; count.set(k, (count.get(k) || 0) + 1); }
    let top = 0, topN = 0; for (const [k, n] of count) if (n > topN) { top = k; topN = n; }
    const px = d.length / 4;
    return { width: img.width, height: img.height, background: [top >> 16, (top >> 8) & 255, top & 255],
             differShare: 1 - topN / px, distinctColours: count.size };
  }, png.toString('base64'));
}

// Waits until the page has drawn n more frames (its own frame counter, api.frameStats()).
export async function frames(page, n = 2) {
  const count = () => page.evaluate(async () => (await window.nnplay).frameStats().frameCount);
  const f0 = await count();
  await page.waitForFunction(async ([f, k]) => (await window.nnplay).frameStats().frameCount >= f + k, [f0, n], { polling: 30, timeout: 30000 });
}

// The one click of the e2e tests: the centre of the widget `name` the page reports (api.uiRects(),
// CSS pixels of the last frame), waiting up to `waitMs` for it to appear. It aims, lets the page
// draw, and aims again if the widget moved meanwhile (a status line appearing or expiring shifts the
// layout by a line), so a click lands on the widget it names; then it presses and releases in
// separate frames (ImGui 1.86 reads the button state once per frame). Returns the widget's
// rectangle and whether it moved while it was being clicked.
export async function clickWidget(page, name, { waitMs = 4000 } = {}) {
  const rectOf = async () => page.evaluate(async n => (await window.nnplay).uiRects()[n], name);
  let r = null;
  for (const t0 = Date.now(); !(r = await rectOf()) && Date.now() - t0 < waitMs;) await page.waitForTimeout(100);
  if (!r) throw new Error(`no widget named ${name} on screen`);
  for (let tries = 0; tries < 4; ++tries) {
    await page.mouse.move(r[0] + r[2] / 2, r[1] + r[3] / 2);
    await frames(page, 2);
    const now = await rectOf();
    if (!now || now.every((v, i) => Math.abs(v - r[i]) < 0.5)) break;
    r = now;
  }
  await page.mouse.down();
  await frames(page, 2);
  await page.mouse.up();
  await frames(page, 3);
  const after = await rectOf();
  return { rect: r, moved: !after || after.some((v, i) => Math.abs(v - r[i]) >= 0.5) };
}
