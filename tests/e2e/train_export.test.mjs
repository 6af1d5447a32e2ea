// "Export training script (PyTorch)" in the Share popup: the downloaded script runs its --check in
// /usr/bin/python3 (PyTorch) and passes, the page does not move when exporting, and the page's own
// next steps then give the losses the script printed. The NumPy script from the API is bit-exact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { serveDist, launch, openPage, waitForNnplay } from './lib.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

const api = (page, expr) => page.evaluate(`(async () => { const api = await window.nnplay; return ${expr}; })()`);
const python = (file, args) => spawnSync('/usr/bin/python3', [file, ...args], { encoding: 'utf8', timeout: 600000 });
const printedLosses = out => [...out.matchAll(/^step (\d+) loss (\S+)$/gm)].map(m => [Number(m[1]), Number(m[2])]);

test('Share popup: the PyTorch training script continues the page, checked in Python', { timeout: 600000 }, async () => {
  const ctx = await launch({ acceptDownloads: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnplay-train-'));
  try {
    const page = await openPage(ctx, server.url);
    await waitForNnplay(page);
    await api(page, `api.set('dataset', 'xor')`);
    await api(page, `api.set('optimizer', 'adam')`);
    await api(page, `api.step('batch', 12)`);
    const before = { hash: await api(page, 'api.weightsHash()'), step: (await api(page, 'api.state()')).step };
    const click = async name => {                      // ImGui sees a press and a release in separate frames
      const r = (await api(page, 'api.uiRects()'))[name]; assert.ok(r, name);
      await page.mouse.move(r[0] + r[2] / 2, r[1] + r[3] / 2); await page.waitForTimeout(100);
      await page.mouse.down(); await page.waitForTimeout(100); await page.mouse.up(); await page.waitForTimeout(200);
    };
    await click('button:share');
    const [dl] = await Promise.all([page.waitForEvent('download'), click('share:exportTrainPytorch')]);
    assert.equal(dl.suggestedFilename(), 'nnplay_train_pytorch.py');
    const file = path.join(dir, 'nnplay_train_pytorch.py');
    await dl.saveAs(file);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /^import torch$/m);
    assert.match(text, /^OPTIMIZER = 'adam'/m);
    assert.equal(await api(page, 'api.weightsHash()'), before.hash, 'exporting does not move the page');
    assert.equal((await api(page, 'api.state()')).step, before.step);

    const run = python(file, ['--check']);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /tolerance 1e-05: OK/);
    const losses = printedLosses(run.stdout);
    assert.equal(losses.length, 20, run.stdout);
    for (const [step, loss] of losses) {               // the page's own next steps
      await api(page, `api.step('batch', 1)`);
      const s = await api(page, 'api.state()');
      assert.equal(s.step, step);
      assert.ok(Math.abs(s.batchLoss - loss) <= 1e-5 * Math.abs(loss), `step ${step}: page ${s.batchLoss}, script ${loss}`);
    }

    const np = await api(page, `api.exportTrainingScript('numpy')`);
    assert.equal(typeof np, 'string', JSON.stringify(np));
    fs.writeFileSync(path.join(dir, 'nnplay_train_numpy.py'), np);
    const n = python(path.join(dir, 'nnplay_train_numpy.py'), ['--check']);
    assert.equal(n.status, 0, n.stdout + n.stderr);
    assert.match(n.stdout, /(\d+) of \1 parameters bit-identical to the page/);
    const bad = await api(page, `api.exportTrainingScript('matlab')`);
    assert.equal(bad.ok, false);
    assert.match(bad.error, /kind must be 'pytorch' or 'numpy'/);
    assert.deepEqual(page.consoleErrors, []);
  } finally {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
