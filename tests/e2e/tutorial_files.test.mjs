// The tutorial files (web/tutorial/lessons/*.json) against the format of web/tutorial/lessons/README.md:
// structure, both languages, placeholders, UI ids, views, waits, setup keys and values; and no
// sentence copied from the lecture. No browser: node --test tests/e2e/tutorial_files.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = path.join(repo, 'web', 'tutorial', 'lessons');
const lecturePath = path.join(repo, '..', 'shared', 'seed', '000_a9334f96edca7ede.txt');

// ---- the documented vocabulary (README.md) ----
const ENGINE_KEYS = `dataset noise percTrainData points classes x y xSquared ySquared xTimesY sinX sinY userPoints
  networkShape activation outputActivation outputUnits leak layers loss optimizer learningRate
  momentum beta1 beta2 epsilon regularization regularizationRate batchSize init initRange seed step`.split(/\s+/);
const UI_KEYS = ['weights', 'traceExample', 'stepSize', 'showTestData', 'discretize', 'gradients'];
const SETUP_KEYS = new Set([...ENGINE_KEYS, ...UI_KEYS]);

const POINT_IDS = new Set(`tutorial data dataset noise train-ratio batch-size regenerate features network layers
  activation heatmap link output show-test discretize loss-curve accuracy counters controls
  play step step-size back reset learning-rate loss optimizer regularization
  regularization-rate gradients formula numeric-check conv-view feature-maps filters
  drawing-pad confusion`.split(/\s+/));

const VIEW_IDS = new Set(['formula', 'mp.truth-table', 'perceptron.rule', 'linear.collapse', 'activations.plot',
  'layers.count', 'backprop.forward', 'backprop.error', 'backprop.output-gradient', 'backprop.hidden-gradient',
  'backprop.update', 'backprop.half', 'conv.1d', 'conv.explainer', 'conv.flip', 'pool.max', 'pool.avg',
  'cnn.feature-maps', 'cnn.filters', 'cnn.confusion']);

const PLACEHOLDERS = `k x[1-9] z w[0-9][1-9] theta a[1-9] b[1-9] v[0-9] c zt E prevE lossFactor dE_dzt dzt_dc dE_dc
  dE_dv[0-9] dE_db[1-9] db_da[1-9] dE_da[1-9] dE_dw[0-9][1-9] num_dE_dv[0-9] num_dE_dw[0-9][1-9]
  maxRelErr new_v[0-9] new_w[0-9][1-9] alpha step epoch trainLoss testLoss trainAccuracy
  testAccuracy trainCount testCount prediction`.split(/\s+/);
const PLACEHOLDER_RE = new RegExp(`^(?:${PLACEHOLDERS.join('|')})$`);

const ACTIONS = {
  play: null, pause: null, back: null, reset: null, draw: null, 'apply-update': null,
  step: ['example', 'batch', 'epoch'],
  set: [...SETUP_KEYS],
  'edit-weight': /^(?:w[0-9][1-9]|v[0-9])$/,
  select: ['neuron', 'weight', 'cell', 'image'],
  toggle: ['flip', 'derivative'],
};
const KEY_REQUIRED = new Set(['set', 'select', 'toggle']);
const METRICS = new Set(['step', 'epoch', 'trainLoss', 'testLoss', 'trainAccuracy', 'testAccuracy', 'E']);

// Value checks for the setup keys whose syntax is fixed (state.h / config.cpp names).
const ENUMS = {
  dataset: 'circle xor gauss spiral moons user blobs multispiral regplane reggauss shapes digits',
  outputActivation: 'linear sigmoid tanh relu leakyrelu step softmax',
  loss: 'square halfsquare softmaxce',
  optimizer: 'sgd momentum nesterov adam perceptron',
  regularization: 'none l1 l2',
  init: 'xavier he uniform zeros',
  stepSize: 'example batch epoch',
};
const ACTS = new Set(ENUMS.outputActivation.split(' '));
const NUM = /^-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;
const INT = /^\d+$/;
const BOOL_KEYS = new Set(['x', 'y', 'xSquared', 'ySquared', 'xTimesY', 'sinX', 'sinY', 'showTestData', 'discretize', 'gradients']);
const LAYER_TOKEN = /^(?:dense\d+\.[a-z]+(?::[-0-9.e]+)?|conv\d+k\d+s\d+p\d+\.[a-z]+(?::[-0-9.e]+)?|(?:max|avg)pool\d+s\d+|flatten)$/;

function checkValue(key, value) {
  if (ENUMS[key]) return ENUMS[key].split(' ').includes(value) ? '' : `unknown value`;
  if (BOOL_KEYS.has(key)) return value === '0' || value === '1' ? '' : 'expected 0 or 1';
  switch (key) {
    case 'activation':
      return value.split(',').every((a) => ACTS.has(a)) ? '' : 'unknown activation';
    case 'networkShape':
      return value === '' || value.split(',').every((u) => INT.test(u) && +u >= 1 && +u <= 16) ? '' : 'expected units 1..16, comma-separated';
    case 'layers':
      return value.split(',').every((t) => LAYER_TOKEN.test(t)) ? '' : 'bad layer token';
    case 'userPoints':
      return value.split(',').every((p) => {
        const f = p.split(':');
        return f.length === 3 && f.every((n) => NUM.test(n)) && Math.abs(+f[0]) <= 6 && Math.abs(+f[1]) <= 6;
      }) ? '' : 'expected x1:x2:label,... inside [-6, 6]';
    case 'weights': case 'leak':
      return value.split(',').every((n) => NUM.test(n)) ? '' : 'expected numbers';
    case 'noise': return NUM.test(value) && +value >= 0 && +value <= 50 ? '' : 'expected 0..50';
    case 'percTrainData': return INT.test(value) && +value >= 10 && +value <= 90 ? '' : 'expected 10..90';
    case 'points': return INT.test(value) && +value >= 10 && +value <= 5000 ? '' : 'expected 10..5000';
    case 'classes': return INT.test(value) && +value >= 3 && +value <= 6 ? '' : 'expected 3..6';
    case 'batchSize': return INT.test(value) && +value >= 1 && +value <= 1024 ? '' : 'expected 1..1024';
    case 'learningRate': return NUM.test(value) && +value > 0 && +value <= 10 ? '' : 'expected (0, 10]';
    case 'regularizationRate': return NUM.test(value) && +value >= 0 && +value <= 10 ? '' : 'expected 0..10';
    case 'seed': case 'step': case 'traceExample': case 'outputUnits': return INT.test(value) ? '' : 'expected an integer';
    default: return NUM.test(value) ? '' : 'expected a number';
  }
}

function parseSetup(s) {
  if (s === '') return new Map();
  assert.match(s, /^[A-Za-z][A-Za-z0-9_.-]*=[^&=]*(?:&[A-Za-z][A-Za-z0-9_.-]*=[^&=]*)*$/, `setup ${JSON.stringify(s)}: expected key=value(&key=value)*`);
  const m = new Map();
  for (const seg of s.split('&')) {
    const eq = seg.indexOf('=');
    const k = seg.slice(0, eq), v = decodeURIComponent(seg.slice(eq + 1));
    assert.ok(SETUP_KEYS.has(k), `setup key ${k} is not in the documented key list`);
    assert.ok(!m.has(k), `setup key ${k} given twice in ${JSON.stringify(s)}`);
    const e = checkValue(k, v);
    assert.equal(e, '', `setup ${k}=${v}: ${e}`);
    m.set(k, v);
  }
  return m;
}

// Rules of the engine's validate() that a merged setup can break (config.cpp).
function checkEffective(eff, where) {
  const out = eff.get('outputActivation') ?? 'tanh';
  const loss = eff.get('loss') ?? 'halfsquare';
  const ds = eff.get('dataset') ?? 'circle';
  if (eff.has('layers')) {
    for (const k of ['networkShape', 'activation', 'outputActivation', 'outputUnits', 'leak'])
      assert.ok(!eff.has(k), `${where}: ${k} cannot be combined with layers=`);
  }
  const lastAct = eff.has('layers') ? eff.get('layers').split(',').at(-1).replace(/^dense\d+\./, '').split(':')[0] : out;
  assert.equal(lastAct === 'softmax', (loss === 'softmaxce'), `${where}: softmax output and loss=softmaxce go together`);
  if (['shapes', 'digits'].includes(ds)) assert.ok(eff.has('layers'), `${where}: image data needs layers=`);
  if (eff.get('optimizer') === 'perceptron')
    assert.ok(eff.get('networkShape') === '' && out === 'step', `${where}: perceptron needs networkShape= and outputActivation=step`);
  if (ds === 'user') assert.ok(eff.get('userPoints'), `${where}: dataset=user needs userPoints`);
  if (eff.has('activation') && eff.has('networkShape')) {
    const acts = eff.get('activation').split(',');
    const hidden = eff.get('networkShape') === '' ? 0 : eff.get('networkShape').split(',').length;
    assert.ok(acts.length === 1 || acts.length === hidden, `${where}: ${acts.length} activations for ${hidden} hidden layers`);
  }
  if (eff.has('weights')) {
    // Dense networks only: count the parameters from the shape and the enabled features.
    const feats = ['x', 'y', 'xSquared', 'ySquared', 'xTimesY', 'sinX', 'sinY'];
    const defaults = { x: '1', y: '1' };
    const nIn = feats.filter((f) => (eff.get(f) ?? defaults[f] ?? '0') === '1').length;
    const shape = (eff.get('networkShape') ?? '4,2') === '' ? [] : (eff.get('networkShape') ?? '4,2').split(',').map(Number);
    const sizes = [nIn, ...shape, 1];
    let n = 0;
    for (let i = 1; i < sizes.length; ++i) n += sizes[i - 1] * sizes[i] + sizes[i];
    assert.equal(eff.get('weights').split(',').length, n, `${where}: weights= needs ${n} values`);
  }
}

// viewArgs of the views that take data (README.md, "Views").
function checkViewArgs(view, a, where) {
  const nums = (v) => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  const grid = (v) => Array.isArray(v) && v.length > 0 && v.every(nums) && v.every((r) => r.length === v[0].length);
  const allowed = {
    'activations.plot': ['functions', 'derivative'], 'conv.1d': ['input', 'kernel', 'at'],
    'conv.explainer': ['input', 'kernel', 'at'], 'conv.flip': ['input', 'kernel', 'at'],
    'pool.max': ['input', 'size', 'stride'], 'pool.avg': ['input', 'size', 'stride'],
    'cnn.feature-maps': ['layer'], 'cnn.filters': ['layer'],
  }[view];
  assert.ok(allowed, `${where}: view ${view} takes no viewArgs`);
  for (const k of Object.keys(a)) assert.ok(allowed.includes(k), `${where}: viewArgs.${k} is not an argument of ${view}`);
  if (view === 'activations.plot') {
    assert.ok(Array.isArray(a.functions) && a.functions.every((f) => ACTS.has(f)), `${where}: viewArgs.functions`);
    if (a.derivative !== undefined) assert.equal(typeof a.derivative, 'boolean', `${where}: viewArgs.derivative`);
  } else if (view === 'conv.1d') {
    assert.ok(nums(a.input) && nums(a.kernel) && a.kernel.length <= a.input.length, `${where}: conv.1d input/kernel`);
    if (a.at !== undefined) assert.ok(Number.isInteger(a.at) && a.at >= 0 && a.at <= a.input.length - a.kernel.length, `${where}: conv.1d at`);
  } else if (view.startsWith('conv.')) {
    assert.ok(grid(a.input) && grid(a.kernel), `${where}: ${view} input/kernel must be grids of numbers`);
    const P = a.input.length - a.kernel.length + 1, Q = a.input[0].length - a.kernel[0].length + 1;
    assert.ok(P >= 1 && Q >= 1, `${where}: kernel larger than the input`);
    if (a.at !== undefined) assert.ok(Array.isArray(a.at) && a.at[0] >= 0 && a.at[0] < P && a.at[1] >= 0 && a.at[1] < Q, `${where}: ${view} at`);
  } else if (view.startsWith('pool.')) {
    assert.ok(grid(a.input), `${where}: ${view} input must be a grid of numbers`);
    assert.ok(Number.isInteger(a.size) && a.size >= 1 && Number.isInteger(a.stride) && a.stride >= 1, `${where}: ${view} size/stride`);
    assert.ok(a.size <= a.input.length && a.size <= a.input[0].length, `${where}: ${view} window larger than the input`);
  } else if (a.layer !== undefined) {
    assert.ok(Number.isInteger(a.layer) && a.layer >= 0, `${where}: viewArgs.layer`);
  }
}

const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const tutorials = files.map((f) => {
  const text = fs.readFileSync(path.join(dir, f), 'utf8');
  let json;
  assert.doesNotThrow(() => { json = JSON.parse(text); }, `${f} is not valid JSON`);
  return { file: f, json };
});

function bilingual(obj, where, { placeholders }) {
  assert.equal(typeof obj, 'object', `${where}: expected {"en","zh"}`);
  assert.deepEqual(Object.keys(obj).sort(), ['en', 'zh'], `${where}: expected exactly en and zh`);
  for (const lang of ['en', 'zh']) {
    const s = obj[lang];
    assert.equal(typeof s, 'string', `${where}.${lang}`);
    assert.ok(s.trim().length > 0, `${where}.${lang} is empty`);
    if (lang === 'zh') assert.match(s, /[\u4e00-\u9fff]/, `${where}.zh has no Chinese characters`);
    const names = [...s.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]);
    const stray = s.replace(/\{[^{}]*\}/g, '');
    assert.ok(!/[{}]/.test(stray), `${where}.${lang}: unbalanced or nested braces`);
    if (!placeholders) assert.deepEqual(names, [], `${where}.${lang}: no placeholders allowed here`);
    for (const n of names) assert.match(n, PLACEHOLDER_RE, `${where}.${lang}: placeholder {${n}} is not in the vocabulary`);
  }
  // Both languages show the same live numbers.
  const set = (s) => [...new Set([...s.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]))].sort();
  assert.deepEqual(set(obj.zh), set(obj.en), `${where}: en and zh use different placeholders`);
}

test('there are the required tutorials', () => {
  const ids = tutorials.map((t) => t.json.id);
  for (const id of ['mcculloch-pitts', 'why-activations', 'activations', 'layers', 'backprop',
    'scaling-with-data', 'convolution', 'pooling', 'cnn'])
    assert.ok(ids.includes(id), `missing tutorial ${id}`);
});

test('ids and orders are unique and ids match the file names', () => {
  const ids = new Set(), orders = new Set();
  for (const { file, json } of tutorials) {
    assert.match(json.id, /^[a-z0-9-]+$/, `${file}: id`);
    assert.equal(`${json.id}.json`, file, `${file}: id ${json.id} does not match the file name`);
    assert.ok(Number.isInteger(json.order) && json.order >= 1, `${file}: order must be an integer >= 1`);
    assert.ok(!ids.has(json.id), `duplicate id ${json.id}`);
    assert.ok(!orders.has(json.order), `duplicate order ${json.order} (${file})`);
    ids.add(json.id);
    orders.add(json.order);
  }
});

for (const { file, json } of tutorials) {
  test(`${file}: structure, texts, placeholders, ids, waits and setups`, () => {
    const allowed = new Set(['id', 'order', 'title', 'summary', 'base', 'steps']);
    for (const k of Object.keys(json)) assert.ok(allowed.has(k), `${file}: unknown field ${k}`);
    bilingual(json.title, `${file} title`, { placeholders: false });
    bilingual(json.summary, `${file} summary`, { placeholders: false });
    assert.ok(Array.isArray(json.steps) && json.steps.length >= 1, `${file}: steps`);
    let eff = new Map();
    if (json.base !== undefined) {
      assert.equal(typeof json.base, 'string', `${file}: base`);
      eff = parseSetup(json.base);
    }
    json.steps.forEach((st, i) => {
      const where = `${file} step ${i}`;
      const stepFields = new Set(['setup', 'text', 'point', 'view', 'viewArgs', 'wait']);
      for (const k of Object.keys(st)) assert.ok(stepFields.has(k), `${where}: unknown field ${k}`);
      assert.equal(typeof st.setup, 'string', `${where}: setup must be a string`);
      for (const [k, v] of parseSetup(st.setup)) eff.set(k, v);
      checkEffective(eff, where);
      bilingual(st.text, `${where} text`, { placeholders: true });
      if (st.point !== undefined) {
        assert.ok(Array.isArray(st.point), `${where}: point must be an array`);
        for (const p of st.point) assert.ok(POINT_IDS.has(p), `${where}: point id ${p} is not documented`);
      }
      if (st.view !== undefined) assert.ok(VIEW_IDS.has(st.view), `${where}: view ${st.view} is not documented`);
      if (st.viewArgs !== undefined) {
        assert.ok(st.view !== undefined, `${where}: viewArgs without view`);
        assert.equal(typeof st.viewArgs, 'object', `${where}: viewArgs`);
        checkViewArgs(st.view, st.viewArgs, where);
      }
      const w = st.wait;
      assert.equal(typeof w, 'object', `${where}: wait`);
      if (w.kind === 'next') {
        assert.deepEqual(Object.keys(w), ['kind'], `${where}: next takes no other field`);
      } else if (w.kind === 'action') {
        assert.ok(w.action in ACTIONS, `${where}: unknown action ${w.action}`);
        const keys = ACTIONS[w.action];
        if (KEY_REQUIRED.has(w.action)) assert.ok(w.key !== undefined, `${where}: ${w.action} needs a key`);
        if (w.key !== undefined) {
          assert.ok(keys !== null, `${where}: ${w.action} takes no key`);
          if (keys instanceof RegExp) assert.match(w.key, keys, `${where}: key ${w.key}`);
          else assert.ok(keys.includes(w.key), `${where}: key ${w.key} is not valid for ${w.action}`);
        }
        if (w.value !== undefined) {
          assert.equal(w.action, 'set', `${where}: only set takes a value`);
          assert.equal(checkValue(w.key, String(w.value)), '', `${where}: value ${w.value} for ${w.key}`);
        }
        if (w.count !== undefined) assert.ok(Number.isInteger(w.count) && w.count >= 1, `${where}: count`);
        for (const k of Object.keys(w)) assert.ok(['kind', 'action', 'key', 'value', 'count'].includes(k), `${where}: wait field ${k}`);
      } else if (w.kind === 'condition') {
        assert.ok(METRICS.has(w.metric), `${where}: unknown metric ${w.metric}`);
        assert.ok(w.op === '>=' || w.op === '<=', `${where}: op ${w.op}`);
        assert.equal(typeof w.value, 'number', `${where}: value`);
        if (/Accuracy$/.test(w.metric)) assert.ok(w.value >= 0 && w.value <= 1, `${where}: accuracy is a fraction 0..1`);
        assert.deepEqual(Object.keys(w).sort(), ['kind', 'metric', 'op', 'value'], `${where}: condition fields`);
      } else {
        assert.fail(`${where}: wait kind ${w.kind} is not next, action or condition`);
      }
    });
  });
}

test('the README documents the same vocabulary as this test', () => {
  const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
  for (const k of SETUP_KEYS) assert.ok(readme.includes(k), `README lacks setup key ${k}`);
  for (const p of POINT_IDS) assert.ok(readme.includes(p), `README lacks point id ${p}`);
  for (const v of VIEW_IDS) assert.ok(readme.includes('`' + v + '`'), `README lacks view ${v}`);
  for (const a of Object.keys(ACTIONS)) assert.ok(readme.includes('`' + a + '`'), `README lacks action ${a}`);
  for (const m of METRICS) assert.ok(readme.includes('`' + m + '`'), `README lacks metric ${m}`);
  assert.ok(readme.includes(PLACEHOLDERS.slice(0, 8).join(' ')), 'README lacks the placeholder list');
});

test('no sentence copied from the lecture (no shared run of 12 CJK characters)', (t) => {
  if (!fs.existsSync(lecturePath)) {
    t.skip(`lecture not found at ${lecturePath}`);
    return;
  }
  const N = 12;
  const cjkRuns = (s) => s.match(/[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g) ?? [];
  const grams = new Set();
  for (const run of cjkRuns(fs.readFileSync(lecturePath, 'utf8')))
    for (let i = 0; i + N <= run.length; ++i) grams.add(run.slice(i, i + N));
  const texts = [];
  for (const { file, json } of tutorials) {
    texts.push([`${file} title`, json.title.zh], [`${file} summary`, json.summary.zh]);
    json.steps.forEach((st, i) => texts.push([`${file} step ${i}`, st.text.zh], [`${file} step ${i} en`, st.text.en]));
  }
  for (const [where, s] of texts)
    for (const run of cjkRuns(s))
      for (let i = 0; i + N <= run.length; ++i)
        assert.ok(!grams.has(run.slice(i, i + N)), `${where} copies the lecture: "${run.slice(i, i + N)}"`);
});
