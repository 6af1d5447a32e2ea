// Checks a quick `make bench` run's build/bench/results.json (tests/run_all.sh): every workload has
// our SIMD engine, the peers appear where the bench runs them, every time is finite and positive.
// Judges no speed: the machine is shared and noisy.
import fs from 'node:fs';

const file = process.argv[2] || 'build/bench/results.json';
const results = JSON.parse(fs.readFileSync(file, 'utf8'));
const problems = [];
const has = (w, e) => results.some(r => r.workload === w && r.engine === e);
for (const r of results)
  if (!(Number.isFinite(r.median_us) && r.median_us > 0 && r.min_us <= r.median_us && r.median_us <= r.max_us))
    problems.push(`${r.workload}/${r.engine}: bad times ${r.min_us} ${r.median_us} ${r.max_us}`);
const want = {
  'nnplay-simd': ['peak_f32x4_12chain', 'gemm_nn_256', 'gemm_nn_512', 'gemm_nn_32x784x128', 'gemm_nt_32x784x128', 'gemm_tn_32x784x128',
    'gemm_nn_10x8x8', 'conv1_fwd', 'conv1_bwd', 'conv2_fwd', 'conv2_bwd', 'conv1_fwd_b32', 'conv1_bwd_b32', 'conv2_fwd_b32',
    'conv2_bwd_b32', 'mlp_784_128_10_step', 'playground_2_8_8_1_step', 'lenet5_step'],
  'nnplay-scalar': ['gemm_nn_256', 'conv2_fwd', 'conv2_bwd_b32', 'mlp_784_128_10_step'],
  'tfjs-wasm': ['gemm_nn_256', 'gemm_nt_32x784x128', 'conv1_fwd', 'conv2_fwd', 'conv1_fwd_b32', 'conv2_fwd_b32', 'mlp_784_128_10_step', 'playground_2_8_8_1_step'],
  'convnetjs': ['conv1_fwd', 'mlp_784_128_10_step', 'playground_2_8_8_1_step', 'lenet5_step'],
};
for (const [engine, workloads] of Object.entries(want))
  for (const w of workloads) if (!has(w, engine)) problems.push(`missing ${w} on ${engine}`);
if (problems.length) { console.error(problems.join('\n')); process.exit(1); }
console.log(`bench smoke: ${results.length} results, every engine present`);
