// Browser end-to-end tests of the playground (issue 5): training the default experiment, every
// control through the UI and through set(), step sizes, step back, divergence, screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, waitForNnplay, screenshot, clickWidget, frames as framesOf } from './lib.mjs';

let server, context, page;
const api = (script, arg) => page.evaluate(async ([s, a]) => { const api = await window.nnplay; return (0, eval)(`(api, arg) => (${s})`)(api, a); }, [script, arg]);
const state = () => api('api.state()');
const until = async (what, cond, timeout = 120000) => {
  const t0 = Date.now();
  for (;;) {
    const s = await state();
    if (cond(s)) return s;
    if (Date.now() - t0 > timeout) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(s).slice(0, 400)}`);
    await page.waitForTimeout(200);
  }
};
// lib.mjs's click; true when the widget moved while it was being clicked.
const click = async (name) => (await clickWidget(page, name)).moved;
// Clicks `name` until `cond(state)` holds. A click is repeated only when the widget moved under the
// pointer during it (the layout shifted between press and release, so ImGui saw no click on it);
// a click on a still widget that changes nothing fails the test.
const clickUntil = async (name, cond, what) => {
  for (let tries = 0; ; ++tries) {
    const moved = await click(name);
    for (let i = 0; i < 5; ++i) {
      const st = await state();
      if (cond(st)) return st;
      await frames(1);
    }
    if (!moved || tries >= 3) assert.fail(`clicking ${name}: ${what}${moved ? ' (the widget kept moving)' : ''}`);
  }
};
// Opens combo `combo` and picks `option` (reopening the combo if its popup did not open).
const pick = async (combo, option, cond, what) => {
  for (let tries = 0; ; ++tries) {
    await click(combo);
    if ((await api('api.uiRects()'))[option]) break;
    if (tries >= 3) assert.fail(`the popup of ${combo} did not open`);
  }
  return clickUntil(option, cond, what);
};
const frames = (n) => framesOf(page, n);
const key = async (k) => { await page.keyboard.down(k); await frames(1); await page.keyboard.up(k); await frames(2); };
const fresh = async () => {
  await page.goto(server.url);                         // no fragment: the default experiment (reload would reopen the address's link)
  await waitForNnplay(page);
  await page.waitForTimeout(200);
};

before(async () => {
  server = await serveDist();
  context = await launch();
  page = await openPage(context, server.url);
  await waitForNnplay(page);
});
after(async () => { await context?.close(); await server?.close(); });

test('the default experiment is TF Playground\'s and, played, reaches test loss < 0.05 within 300 epochs', async () => {
  const s0 = await state();
  const c = s0.config;
  assert.equal(c.dataset, 'circle'); assert.equal(c.x, '1'); assert.equal(c.y, '1'); assert.equal(c.xSquared, '0');
  assert.equal(c.networkShape, '4,2'); assert.equal(c.activation, 'tanh,tanh'); assert.equal(c.learningRate, '0.03');
  assert.equal(c.batchSize, '10'); assert.equal(c.percTrainData, '50'); assert.equal(c.noise, '0');
  assert.equal(s0.step, 0); assert.equal(s0.playing, false);
  await screenshot(page, 'playground-default');
  // Frame budget at the default speed (one epoch per frame), measured by the page itself.
  assert.equal((await api('api.play()')).ok, true);
  const s30 = await until('30 epochs at default speed', s => s.epoch >= 30);
  assert.ok(s30.testLoss < s0.testLoss, `test loss fell while playing: ${s0.testLoss} -> ${s30.testLoss}`);
  const fs = await api('api.frameStats()');
  console.log(`# frameStats while playing the default: ${JSON.stringify(fs)}`);
  assert.ok(fs.cpuMsMedian < 8, `median CPU ms per frame ${fs.cpuMsMedian} >= 8`);
  // SwiftShader draws only a few frames a second here: speed up to 10 epochs per frame to reach 300 in time.
  assert.equal((await api('api.set("stepsPerFrame", 10)')).ok, true);
  const losses = [];
  const s = await until('test loss < 0.05 or 300 epochs', st => { losses.push(st.testLoss); return st.testLoss < 0.05 || st.epoch >= 300; }, 240000);
  await api('api.pause()');
  assert.ok(s.testLoss < 0.05, `test loss ${s.testLoss} after ${s.epoch} epochs`);
  assert.ok(s.epoch <= 300, `took ${s.epoch} epochs`);
  assert.ok(losses[losses.length - 1] <= s30.testLoss, 'the loss kept falling');
  await screenshot(page, 'playground-training');
  assert.deepEqual(page.consoleErrors, []);
});

test('step sizes advance the counters by 1 example / 1 batch / 1 epoch; back restores weightsHash exactly', async () => {
  await fresh();
  let s = await state();
  const h0 = await api('api.weightsHash()');
  let r = await api('api.step("example", 1)');
  assert.equal(r.ok, true); assert.equal(r.stepsDone, 1);
  let t = await state();
  assert.equal(t.examples - s.examples, 1); assert.equal(t.step - s.step, 1);
  const h1 = await api('api.weightsHash()');
  assert.notEqual(h1, h0);
  r = await api('api.step("batch", 1)');
  s = t; t = await state();
  assert.equal(t.examples - s.examples, 10); assert.equal(t.step - s.step, 1);
  r = await api('api.step("epoch", 1)');
  s = t; t = await state();
  assert.equal(t.epoch - s.epoch, 1);
  assert.equal(t.step - s.step, r.stepsDone);
  assert.ok(r.stepsDone >= 23 && r.stepsDone <= 25, `the rest of an epoch of 250 examples at batch 10 made ${r.stepsDone} updates`);
  // back(n) of the epoch's updates, then of the batch step: the hashes come back exactly
  const hb = await api('api.weightsHash()');
  assert.equal((await api('api.back(arg)', r.stepsDone)).undone, r.stepsDone);
  await api('api.back(1)');
  assert.equal(await api('api.weightsHash()'), h1);
  await api('api.back(1)');
  assert.equal(await api('api.weightsHash()'), h0);
  assert.equal((await state()).step, 0);
  await api('api.step("epoch", 1)');
  assert.notEqual(await api('api.weightsHash()'), h0);
  void hb;
  // weights() is every parameter: 2*4+4 + 4*2+2 + 2*1+1 = 25 for the default
  assert.equal(await api('api.weights().length'), 25);
  const tr = await api('(() => { const t = api.trace(0); return {ok: t.ok, w: t.w.shape, n: t.w.data.length, a: t.a.shape}; })()');
  assert.deepEqual(tr.w, [4, 2]); assert.equal(tr.n, 8); assert.equal(tr.ok, true);
  assert.equal((await api('api.trace(99)')).ok, false);
});

test('every control changes the state it names, through set()', async () => {
  await fresh();
  const cases = [
    ['dataset', 'xor'], ['noise', '20'], ['percTrainData', '70'], ['batchSize', '25'], ['learningRate', '0.1'],
    ['activation', 'relu'], ['regularization', 'l2'], ['regularizationRate', '0.01'], ['loss', 'square'],
    ['optimizer', 'adam'], ['xSquared', '1'], ['ySquared', '1'], ['xTimesY', '1'], ['sinX', '1'], ['sinY', '1'], ['x', '0'],
    ['networkShape', '3,3,2'], ['stepsPerFrame', '5'], ['stepSize', 'batch'], ['showTestData', '1'], ['discretize', '1'],
    ['gradients', '1'], ['seed', '7'], ['problem', 'regression'], ['problem', 'multiclass'], ['classes', '5'], ['problem', 'classification'],
  ];
  for (const [k, v] of cases) {
    const r = await api('api.set(arg[0], arg[1])', [k, v]);
    assert.equal(r.ok, true, `set(${k}, ${v}): ${r.error}`);
    const c = (await state()).config;
    if (k === 'activation') assert.equal(c.activation.split(',')[0], v);
    else assert.equal(c[k], v, `after set(${k}, ${v})`);
  }
  assert.equal((await state()).config.networkShape, '3,3,2');
  const multi = await api('(api.set("problem", "multiclass"), api.state())');
  assert.equal(multi.config.outputActivation, 'softmax');
  assert.equal(multi.config.loss, 'softmaxce');
  // errors come back as values, the state is unchanged
  for (const [k, v] of [['noise', 'abc'], ['learningRate', -1], ['networkShape', '1,2,3,4,5,6,7,8,9'], ['networkShape', '17'], ['nope', 1], ['batchSize', 0]]) {
    const before = (await state()).config;
    const r = await api('api.set(arg[0], arg[1])', [k, v]);
    assert.equal(r.ok, false, `set(${k}, ${v}) should fail`);
    assert.match(r.error, /./);
    assert.deepEqual((await state()).config, before);
  }
  assert.equal((await api('api.step("sideways", 1)')).ok, false);
  assert.equal((await api('api.back(-3)')).ok, false);
  assert.deepEqual(page.consoleErrors, []);
});

test('controls work through the UI: clicks and keys', async () => {
  await fresh();
  await clickUntil('button:play', st => st.playing === true, 'Play starts training');
  await clickUntil('button:play', st => st.playing === false, 'Pause stops it');
  await key('Space');
  assert.equal((await state()).playing, true);
  await key('Space');
  assert.equal((await state()).playing, false);
  let s = await state();
  await key('ArrowRight');
  let t = await state();
  assert.equal(t.epoch, s.epoch + 1, 'right arrow steps one epoch (the default step size)');
  await key('ArrowLeft');
  assert.equal((await state()).step, t.step - 1, 'left arrow undoes one update');
  await key('r');
  assert.equal((await state()).step, 0, 'r resets');
  await clickUntil('button:step', st => st.epoch === 1, 'the step button steps one epoch');
  await clickUntil('button:back', st => st.epoch === 0, 'the back button undoes an update');
  await clickUntil('feature:xSquared', st => st.config.xSquared === '1', 'the X1^2 feature turns on');
  await clickUntil('feature:xSquared', st => st.config.xSquared === '0', 'and off');
  await clickUntil('dataset:spiral', st => st.config.dataset === 'spiral', 'the spiral data set is chosen');
  await clickUntil('layer:add', st => st.config.networkShape === '4,2,2', '+ adds a hidden layer');
  await clickUntil('neuron:add:0', st => st.config.networkShape === '5,2,2', '+ adds a neuron to layer 1');
  await clickUntil('neuron:remove:1', st => st.config.networkShape === '5,1,2', '- removes one from layer 2');
  await clickUntil('layer:remove', st => st.config.networkShape === '5,1', '- removes the last hidden layer');
  await clickUntil('check:showTestData', st => st.config.showTestData === '1', 'Show test data turns on');
  await clickUntil('check:discretize', st => st.config.discretize === '1', 'Discretize output turns on');
  await clickUntil('check:gradients', st => st.config.gradients === '1', 'Show gradients turns on');
  await pick('combo:learningRate', 'option:learningRate:0.3', st => st.config.learningRate === '0.3', 'learning rate 0.3');
  await pick('combo:regularization', 'option:regularization:l1', st => st.config.regularization === 'l1', 'L1 regularization');
  await pick('combo:problem', 'option:problem:regression', st => st.config.problem === 'regression', 'regression');
  // click-to-add points: class 0 in the output view
  await api('api.set("problem", "classification")');
  await clickUntil('check:addPoints', st => st.addingPoints === true, 'Add points by clicking turns on');
  await click('addClass:0');
  await clickUntil('output', st => st.userPoints === 1, 'a click in the output view adds a point');
  await clickUntil('button:clearPoints', st => st.userPoints === 0, 'Clear removes the added points');
  assert.deepEqual(page.consoleErrors, []);
});

test('learning rate 10 on spiral diverges: the page pauses, says why, offers step back, keeps working', async () => {
  await fresh();
  assert.equal((await api('api.set("dataset", "spiral")')).ok, true);
  // TF Playground's default net (tanh everywhere): at lr 10 no NaN appears, the first update outgrows
  // the weights and saturates the units; the engine calls that divergence too (session.cpp, overshot).
  assert.equal((await api('api.set("learningRate", 10)')).ok, true);
  await api('api.set("stepsPerFrame", 10)');
  await api('api.play()');
  const s = await until('divergence', st => st.diverged || st.epoch > 2000, 120000);
  assert.equal(s.diverged, true, 'training at lr 10 diverged');
  assert.equal(s.playing, false, 'divergence pauses');
  assert.match(s.message, /diverged/i);
  assert.match(s.message, /learning rate/i);
  assert.ok(s.step <= 3, `divergence caught at once (step ${s.step})`);
  await page.waitForTimeout(300);
  await screenshot(page, 'playground-diverged');
  const rects = await api('api.uiRects()');
  assert.ok(rects['status:back'], 'a step-back button is offered');
  const w = await api('Array.from(api.weights()).every(Number.isFinite)');
  assert.equal(w, true, 'the session stays on the last finite weights');
  await click('status:back');
  const t = await state();
  assert.equal(t.diverged, false);
  // the page keeps working: a saner learning rate trains on
  assert.equal((await api('api.set("learningRate", 0.03)')).ok, true);
  assert.equal((await api('api.step("epoch", 2)')).ok, true);
  const f0 = (await api('api.frameStats()')).frames;
  await page.waitForTimeout(500);
  assert.ok((await api('api.frameStats()')).frames >= f0, 'frames are still drawn');
  assert.deepEqual(page.consoleErrors, []);
});

test('screenshots: gradient view and a multi-class set', async () => {
  await fresh();
  await api('api.step("epoch", 40)');
  await api('api.set("gradients", 1)');
  await api('api.step("batch", 1)');
  await page.waitForTimeout(400);
  await screenshot(page, 'playground-gradients');
  await api('api.set("gradients", 0)');
  assert.equal((await api('api.set("dataset", "blobs")')).ok, true);
  await api('api.set("showTestData", 1)');
  await api('api.step("epoch", 60)');
  await page.waitForTimeout(400);
  const s = await state();
  assert.equal(s.config.problem, 'multiclass');
  assert.ok(s.testAccuracy > 0.8, `multi-class test accuracy ${s.testAccuracy}`);
  await screenshot(page, 'playground-multiclass');
  assert.deepEqual(page.consoleErrors, []);
});
