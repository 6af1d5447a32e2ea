// `make bench`: one run, side by side in one Node process, single thread: our wasm SIMD and scalar
// kernels (build/<dir>/nnplay_bench.js, a module whose nb_time() runs one repetition; training steps
// through nnplay::Session), TensorFlow.js 4.22.0's WASM backend (XNNPACK, SIMD binary, 1 thread),
// ConvNetJS 0.3.0 and the SIMD128 peak loop. The engines of a workload take turns repetition by
// repetition, so a busy phase of this shared machine slows them alike and the ratios hold.
// Prints the table, writes build/bench/results.json and table.md.
// Env: NNPLAY_WASM_DIR (default build/wasm), NNPLAY_BENCH_QUICK=1 for a short smoke run, NNPLAY_BENCH_OUT (default build/bench).
// `node bench/run.mjs --only conv2,lenet` runs only the workloads whose names contain one of the
// comma-separated substrings (the peak loop always runs beside them).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { performance } from 'node:perf_hooks';

// Garbage collection on this thread only, and a full collection before every timed repetition:
// the peers allocate a tensor or a Vol per call, and without this their medians moved by up to 1.9x
// between runs (collections landing in timed calls, background GC threads competing on 2 cores).
if (!process.execArgv.includes('--single-threaded-gc')) {
  const r = spawnSync(process.execPath, ['--single-threaded-gc', ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
v8.setFlagsFromString('--no-liftoff');  // optimized wasm from the start, for every engine alike
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');     // before each repetition, untimed
const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const wasmDir = path.resolve(root, process.env.NNPLAY_WASM_DIR || 'build/wasm');
const quick = process.env.NNPLAY_BENCH_QUICK === '1';
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 && process.argv[onlyArg + 1] ? process.argv[onlyArg + 1].split(',') : null;
const results = [];
const TF = 'tfjs-wasm', CN = 'convnetjs', SIMD = 'nnplay-simd', SCALAR = 'nnplay-scalar';

// ---- ours: the wasm bench module, in this process ----
const benchJs = path.join(wasmDir, 'nnplay_bench.js');
if (!fs.existsSync(benchJs)) { console.error(`missing ${benchJs}: build the wasm targets first (make wasm)`); process.exit(1); }
const nb = await require(benchJs)({ noInitialRun: true, wasmBinary: fs.readFileSync(benchJs.replace(/\.js$/, '.wasm')) });
const ours = Array.from({ length: nb._nb_count() }, (_, i) => ({
  i, name: nb.UTF8ToString(nb._nb_name(i)), flops: nb._nb_flops(i), samples: nb._nb_samples(i),
  inner: nb._nb_inner(i), simdOnly: nb._nb_simd_only(i) === 1,
}));
const PEAK = 'peak_f32x4_12chain';
const peakW = ours.find(w => w.name === PEAK);

// ---- the peers: per workload, a list of { engine, fn, inner } (fn is one call) ----
const peers = new Map();
const cleanups = [];
function peer(workload, engine, fn, inner = 1) {
  if (!peers.has(workload)) peers.set(workload, []);
  peers.get(workload).push({ engine, fn, inner });
}
function rand(n, seed) { const a = new Float32Array(n); let s = seed >>> 0; for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; a[i] = (s >>> 8) / 8388608 - 1; } return a; }

// TensorFlow.js WASM
const tf = require('@tensorflow/tfjs');
const tfwasm = require('@tensorflow/tfjs-backend-wasm');
tfwasm.setWasmPaths(path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
tfwasm.setThreadsCount(1);
await tf.setBackend('wasm');
await tf.ready();
function tfGemm(name, M, N, K, ta, tb) {
  const a = tf.tensor2d(rand(M * K, 1), ta ? [K, M] : [M, K]), b = tf.tensor2d(rand(K * N, 2), tb ? [N, K] : [K, N]);
  const flops = 2 * M * N * K;
  peer(name, TF, () => { const c = tf.matMul(a, b, ta, tb); c.dataSync(); c.dispose(); }, flops < 1e5 ? 200 : flops < 1e7 ? 10 : 1);
  cleanups.push(() => tf.dispose([a, b]));
}
tfGemm('gemm_nn_64', 64, 64, 64, false, false);
tfGemm('gemm_nn_256', 256, 256, 256, false, false);
tfGemm('gemm_nn_512', 512, 512, 512, false, false);
tfGemm('gemm_nn_32x784x128', 32, 128, 784, false, false);
tfGemm('gemm_nt_32x784x128', 32, 128, 784, false, true);
tfGemm('gemm_tn_32x784x128', 32, 128, 784, true, false);
tfGemm('gemm_nn_10x8x8', 10, 8, 8, false, false);

function tfConv(tag, C, H, F, k) {
  const B = 32, OH = H - k + 1;
  const x = tf.tensor4d(rand(B * H * H * C, 3), [B, H, H, C]), w = tf.tensor4d(rand(k * k * C * F, 4), [k, k, C, F]);
  const bias = tf.tensor1d(rand(F, 5)), dy = tf.tensor4d(rand(B * OH * OH * F, 6), [B, OH, OH, F]);
  const fwd = () => { const y = tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'valid', bias }); y.dataSync(); y.dispose(); };
  peer(`${tag}_fwd`, TF, fwd);
  peer(`${tag}_fwd_b32`, TF, fwd);  // tfjs runs the batch in one call either way
  // backward: dx and dw (and dbias) from dy through tf's own gradients of conv2d
  const g = tf.grads((xx, ww) => tf.conv2d(xx, ww, 1, 'valid'));
  const bwd = () => { tf.tidy(() => { const [dx, dw] = g([x, w], dy); dx.dataSync(); dw.dataSync(); tf.sum(dy, [0, 1, 2]).dataSync(); }); };
  try { bwd(); peer(`${tag}_bwd`, TF, bwd); } catch (e) { console.error(`tfjs ${tag}_bwd: ${e.message}`); }
  cleanups.push(() => tf.dispose([x, w, bias, dy]));
}
tfConv('conv1', 1, 28, 6, 5);
tfConv('conv2', 6, 12, 16, 5);

{
  const B = 32;
  const W1 = tf.variable(tf.randomUniform([784, 128], -0.05, 0.05)), b1 = tf.variable(tf.zeros([128]));
  const W2 = tf.variable(tf.randomUniform([128, 10], -0.1, 0.1)), b2 = tf.variable(tf.zeros([10]));
  const x = tf.tensor2d(rand(B * 784, 7).map(v => (v + 1) / 2), [B, 784]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: B }, (_, i) => i % 10), 'int32'), 10);
  const opt = tf.train.sgd(0.01);
  peer('mlp_784_128_10_step', TF, () => {
    const l = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, W1), b1)), W2), b2)), true);
    l.dataSync(); l.dispose();
  });
}
{
  const B = 10, v = (s, r) => tf.variable(tf.randomUniform(s, -r, r));
  const W1 = v([2, 8], 0.5), b1 = v([8], 0.1), W2 = v([8, 8], 0.5), b2 = v([8], 0.1), W3 = v([8, 1], 0.5), b3 = v([1], 0.1);
  const x = tf.tensor2d(rand(B * 2, 8), [B, 2]), t = tf.tensor2d(rand(B, 9).map(v => (v > 0 ? 1 : -1)), [B, 1]);
  const opt = tf.train.sgd(0.03);
  peer('playground_2_8_8_1_step', TF, () => {
    const l = opt.minimize(() => {
      const h1 = tf.tanh(tf.add(tf.matMul(x, W1), b1)), h2 = tf.tanh(tf.add(tf.matMul(h1, W2), b2));
      return tf.mean(tf.square(tf.sub(tf.tanh(tf.add(tf.matMul(h2, W3), b3)), t)));
    }, true);
    l.dataSync(); l.dispose();
  }, 10);
}

// ConvNetJS (float64, batch-1 API; momentum 0 so it is plain SGD like ours)
const convnetjs = require('convnetjs');
function cnTrainer(layers, batch, lr) {
  const net = new convnetjs.Net();
  net.makeLayers(layers);
  return { net, trainer: new convnetjs.Trainer(net, { method: 'sgd', learning_rate: lr, momentum: 0, batch_size: batch, l2_decay: 0 }) };
}
{
  const B = 32, { trainer } = cnTrainer([{ type: 'input', out_sx: 1, out_sy: 1, out_depth: 784 }, { type: 'fc', num_neurons: 128, activation: 'relu' }, { type: 'softmax', num_classes: 10 }], B, 0.01);
  const xs = Array.from({ length: B }, (_, i) => { const v = new convnetjs.Vol(1, 1, 784, 0); const r = rand(784, 100 + i); for (let j = 0; j < 784; j++) v.w[j] = (r[j] + 1) / 2; return v; });
  peer('mlp_784_128_10_step', CN, () => { for (let i = 0; i < B; i++) trainer.train(xs[i], i % 10); });
}
{
  const B = 10, { trainer } = cnTrainer([{ type: 'input', out_sx: 1, out_sy: 1, out_depth: 2 }, { type: 'fc', num_neurons: 8, activation: 'tanh' }, { type: 'fc', num_neurons: 8, activation: 'tanh' }, { type: 'regression', num_neurons: 1 }], B, 0.03);
  const xs = Array.from({ length: B }, (_, i) => { const r = rand(2, 200 + i); return new convnetjs.Vol([r[0], r[1]]); });
  peer('playground_2_8_8_1_step', CN, () => { for (let i = 0; i < B; i++) trainer.train(xs[i], [i % 2 ? 1 : -1]); }, 20);
}
{  // LeNet-5 as bench/bench_steps.cpp's lenet5(): conv 6@5x5, pool 2, conv 16@5x5, pool 2, fc 120, 84, softmax 10; ReLU
  const B = 32, { trainer } = cnTrainer([{ type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 },
    { type: 'conv', sx: 5, filters: 6, stride: 1, pad: 0, activation: 'relu' }, { type: 'pool', sx: 2, stride: 2 },
    { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 0, activation: 'relu' }, { type: 'pool', sx: 2, stride: 2 },
    { type: 'fc', num_neurons: 120, activation: 'relu' }, { type: 'fc', num_neurons: 84, activation: 'relu' },
    { type: 'softmax', num_classes: 10 }], B, 0.01);
  const xs = Array.from({ length: B }, (_, i) => { const v = new convnetjs.Vol(28, 28, 1, 0); const r = rand(784, 400 + i); for (let j = 0; j < 784; j++) v.w[j] = (r[j] + 1) / 2; return v; });
  peer('lenet5_step', CN, () => { for (let i = 0; i < B; i++) trainer.train(xs[i], i % 10); });
}
function cnConv(tag, C, H, F, k) {
  const B = 32, net = new convnetjs.Net();
  net.makeLayers([{ type: 'input', out_sx: H, out_sy: H, out_depth: C }, { type: 'conv', sx: k, filters: F, stride: 1, pad: 0 }]);
  const xs = Array.from({ length: B }, (_, i) => { const v = new convnetjs.Vol(H, H, C, 0); v.w.set(rand(H * H * C, 300 + i)); return v; });
  const fwd = () => { for (let i = 0; i < B; i++) net.forward(xs[i]); };
  peer(`${tag}_fwd`, CN, fwd);
  peer(`${tag}_fwd_b32`, CN, fwd);  // ConvNetJS has only a batch-1 API
}
cnConv('conv1', 1, 28, 6, 5);
cnConv('conv2', 6, 12, 16, 5);

// ---- the run: per workload, every engine (and the peak loop, for GEMM and conv) in turn ----
// One repetition: a full collection, a first call untimed (warm caches after the other engines'
// turns), then `inner` timed calls. Ours below do the same (nb_time makes the untimed call itself).
function jsRep(fn, inner) { gc(); fn(); const s = performance.now(); for (let i = 0; i < inner; i++) fn(); return (performance.now() - s) * 1000 / inner; }
const peakSamples = [];
function stats(t) { const s = [...t].sort((a, b) => a - b); return { median_us: s[s.length >> 1], min_us: s[0], max_us: s[s.length - 1], reps: s.length }; }
function add(workload, engine, st, flops, samples) {
  const o = { workload, engine, ...st };
  if (flops) o.gflops = flops / st.median_us / 1e3;
  if (samples) o.samples_per_s = samples / st.median_us * 1e6;
  results.push(o);
}
for (const w of ours) {
  if (w === peakW) continue;
  if (only && !only.some(o => w.name.includes(o))) continue;
  const engines = [{ engine: SIMD, rep: () => { gc(); return nb._nb_time(w.i, 0, w.inner); } }];
  if (!w.simdOnly) engines.push({ engine: SCALAR, rep: () => { gc(); return nb._nb_time(w.i, 1, w.inner); } });
  for (const p of peers.get(w.name) || []) engines.push({ engine: p.engine, rep: () => jsRep(p.fn, p.inner) });
  if (w.flops > 0 && peakW) engines.push({ engine: 'peak', rep: () => { gc(); return nb._nb_time(peakW.i, 0, 1); } });
  // Each engine gets about 700 ms of repetitions (7 to 100), spread evenly over the rounds: the
  // scalar 512^3 (0.2 s a call) takes 7 turns while the fast engines take up to 100 around it.
  for (const e of engines) {
    e.rep();
    const s = performance.now();
    e.rep();
    e.cost = performance.now() - s;
    e.reps = quick ? 3 : Math.max(7, Math.min(100, Math.floor(700 / Math.max(e.cost, 1e-3))));
    e.t = [];
  }
  const rounds = Math.max(...engines.map(e => e.reps));
  for (let r = 0; r < rounds; r++)
    for (let j = 0; j < engines.length; j++) {  // a rotating start, so no engine always runs first
      const e = engines[(j + r) % engines.length];
      if (Math.floor((r + 1) * e.reps / rounds) > Math.floor(r * e.reps / rounds)) e.t.push(e.rep());
    }
  for (const e of engines) {
    if (e.engine === 'peak') { peakSamples.push(...e.t); continue; }
    add(w.name, e.engine, stats(e.t), w.flops, w.samples);
  }
}
for (const c of cleanups) c();
if (peakW && peakSamples.length) { add(PEAK, SIMD, stats(peakSamples), peakW.flops, 0); results.unshift(results.pop()); }

// ---- the table ----
const get = (w, e) => results.find(r => r.workload === w && r.engine === e);
const peak = get('peak_f32x4_12chain', 'nnplay-simd');
const fmt = (v, d = 1) => (v === undefined || v === null || Number.isNaN(v) ? '-' : v.toFixed(d));
const workloads = [...new Set(results.map(r => r.workload))];
const lines = [];
lines.push(`SIMD128 peak (12-chain f32x4 mul+add, median of ${peak?.reps} repetitions interleaved with the GEMM and conv workloads): ${fmt(peak?.gflops)} GFLOP/s`);
lines.push('`of peak` divides medians (the targets use it); `of peak (mins)` divides the fastest repetitions, which a busy shared machine disturbs less.');
lines.push('| workload | engine | median µs | min µs | max µs | GFLOP/s | samples/s | ×tfjs | ×convnetjs | ×scalar | of peak | of peak (mins) |');
lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const w of workloads) {
  for (const r of results.filter(x => x.workload === w)) {
    const tfr = get(w, TF), cnr = get(w, CN), sc = get(w, 'nnplay-scalar');
    const speed = (o) => (o ? o.median_us : NaN);
    const ratio = (o) => (o && o !== r ? speed(o) / r.median_us : NaN);
    lines.push(`| ${w} | ${r.engine} | ${fmt(r.median_us, 2)} | ${fmt(r.min_us, 2)} | ${fmt(r.max_us, 2)} | ${fmt(r.gflops, 2)} | ${fmt(r.samples_per_s, 0)} | ${r.engine.startsWith('nnplay') ? fmt(ratio(tfr), 2) : '-'} | ${r.engine.startsWith('nnplay') ? fmt(ratio(cnr), 2) : '-'} | ${r.engine === 'nnplay-simd' ? fmt(ratio(sc), 2) : '-'} | ${r.gflops && peak && r.engine.startsWith('nnplay') && w !== peak.workload ? fmt(r.gflops / peak.gflops, 2) : '-'} | ${r.gflops && peak && r.engine.startsWith('nnplay') && w !== peak.workload ? fmt(peak.min_us / r.min_us * r.gflops * r.median_us / (peak.gflops * peak.median_us), 2) : '-'} |`);
  }
}
// ---- the targets (ratios of medians in this run): issue 16's, then the earlier ones still held ----
const simd = (w) => get(w, 'nnplay-simd');
const x = (w, e) => (get(w, e) && simd(w) ? get(w, e).median_us / simd(w).median_us : NaN);
const ofPeak = (w) => simd(w)?.gflops / peak?.gflops;
const checks = [
  ['conv1 backward (batch 32, first layer: no dx) ≥ 0.5 of peak', ofPeak('conv1_bwd_b32'), 0.5],
  ['conv2 backward (batch 32) ≥ 0.7 of peak', ofPeak('conv2_bwd_b32'), 0.7],
  ['conv1 forward (batch 32) ≥ 0.6 of peak', ofPeak('conv1_fwd_b32'), 0.6],
  ['conv2 forward (batch 32) ≥ 0.85 of peak', ofPeak('conv2_fwd_b32'), 0.85],
  ['LeNet-5 step ≥ 80× convnetjs', x('lenet5_step', CN), 80],
  ['MLP step ≥ 12× tfjs', x('mlp_784_128_10_step', TF), 12],
  ['MLP step ≥ 60× convnetjs', x('mlp_784_128_10_step', CN), 60],
  ['stretch: GEMM 256³ ≥ 0.85 of peak', ofPeak('gemm_nn_256'), 0.85],
  ['stretch: GEMM 512³ ≥ 0.85 of peak', ofPeak('gemm_nn_512'), 0.85],
  ['stretch: GEMM nn 32×784×128 ≥ 0.85 of peak', ofPeak('gemm_nn_32x784x128'), 0.85],
  ['stretch: GEMM nt 32×784×128 ≥ 0.85 of peak', ofPeak('gemm_nt_32x784x128'), 0.85],
  ['stretch: GEMM tn 32×784×128 ≥ 0.85 of peak', ofPeak('gemm_tn_32x784x128'), 0.85],
  ['GEMM 10×8×8 ≤ 0.25 µs/call', simd('gemm_nn_10x8x8')?.median_us, 0.25, true],
  ['conv1 fwd (batch 32) ≥ 3× tfjs', x('conv1_fwd_b32', TF), 3],
  ['2-8-8-1 step ≥ 10× convnetjs', x('playground_2_8_8_1_step', CN), 10],
  ['SIMD ≥ 3× scalar on 256³', x('gemm_nn_256', 'nnplay-scalar'), 3],
];
lines.push('', '| target | value | met |', '|---|---:|---|');
for (const [name, v, goal, atMost] of checks) lines.push(`| ${name} | ${fmt(v, 2)} | ${Number.isNaN(v) || v === undefined ? 'n/a' : (atMost ? v <= goal : v >= goal) ? 'yes' : 'NO'} |`);
console.log(lines.join('\n'));
const out = path.resolve(root, process.env.NNPLAY_BENCH_OUT || 'build/bench');
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'results.json'), JSON.stringify(results, null, 1));
fs.writeFileSync(path.join(out, 'table.md'), lines.join('\n') + '\n');
console.log(`wrote ${path.relative(process.cwd(), path.join(out, 'results.json'))}`);
