// Times LeNet-5 epochs in the page (headless Chromium): opens the LeNet preset link (10,000
// generated training digits, 2,500 test), then steps one epoch at a time through window.nnplay
// (313 batches of 32, then the metrics pass over all 12,500 images) and prints each epoch's time.
// Not a test: nothing is judged. Usage: node bench/page_epoch.mjs [epochs] (NNPLAY_DIST_DIR= to
// time another build of the page; needs make dist).
import { serveDist, launch, openPage, waitForNnplay } from '../tests/e2e/lib.mjs';

const epochs = Number(process.argv[2] || 3);
const server = await serveDist();
const context = await launch();
try {
  const first = await openPage(context, server.url);
  await waitForNnplay(first, 120000);
  const link = await first.evaluate(async () => (await window.nnplay).cnnPresets().lenet);
  await first.close();
  const page = await openPage(context, server.url + '#' + link);
  await waitForNnplay(page, 120000);
  const st = await page.evaluate(async () => (await window.nnplay).state());
  console.log(`LeNet preset: ${st.trainCount} training, ${st.testCount} test images`);
  const times = [];
  for (let e = 0; e < epochs; e++) {
    const r = await page.evaluate(async () => {
      const n = await window.nnplay;
      const t = performance.now();
      const s = n.step('epoch', 1);
      const ms = performance.now() - t;
      return { ok: s.ok, ms, acc: n.state().testAccuracy, step: n.state().step };
    });
    if (!r.ok) throw new Error('step failed');
    times.push(r.ms);
    console.log(`epoch ${e + 1}: ${(r.ms / 1000).toFixed(3)} s, step ${r.step}, test accuracy ${(100 * r.acc).toFixed(1)}%`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`median epoch ${(sorted[sorted.length >> 1] / 1000).toFixed(3)} s`);
} finally {
  await context.close();
  await server.close();
}
