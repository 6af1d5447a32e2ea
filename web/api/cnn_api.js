// Image mode's part of window.nnplay (appended after web/api/api.js with --post-js) and the page side
// of loading MNIST IDX files: file picker, drag and drop, gzip through the browser's own
// DecompressionStream('gzip'); the bytes then go to C++ (web/api/cnn_bindings.cpp), which parses them.
(function () {
  'use strict';
  const M = Module;
  const call = M['nnplayCall'];                        // web/api/api.js
  const isGzip = b => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
  const magic = b => b.length >= 4 ? ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0 : -1;

  async function gunzip(bytes, what) {
    if (typeof DecompressionStream !== 'function') throw new Error(what + ' is gzip-compressed, but this browser has no DecompressionStream: decompress it first');
    try {
      const s = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
      return new Uint8Array(await new Response(s).arrayBuffer());
    } catch (e) {
      throw new Error(what + ': not a valid gzip file (' + String((e && e.message) || e) + ')');
    }
  }
  async function plain(bytes, what) {
    if (bytes instanceof ArrayBuffer) bytes = new Uint8Array(bytes);
    if (!(bytes instanceof Uint8Array)) throw new Error(what + ': a Uint8Array or ArrayBuffer expected');
    return isGzip(bytes) ? gunzip(bytes, what) : bytes;
  }

  // loadIdx(images, labels): bytes of an images file and a labels file, plain or gzip -> {ok, error, ...}.
  async function loadIdx(images, labels, name) {
    try {
      const im = await plain(images, 'images file'), lb = await plain(labels, 'labels file');
      return call('loadIdx', [im, lb, name || ''], 3);
    } catch (e) {
      return call('idxError', [String((e && e.message) || e)], 1);
    }
  }
  // Two File objects (picker or drop): which is which is read from their IDX magic numbers.
  async function loadFiles(files) {
    files = Array.from(files || []);
    try {
      if (files.length !== 2) throw new Error('choose two files, an images file (idx3-ubyte) and a labels file (idx1-ubyte), got ' + files.length);
      const data = [];
      for (const f of files) data.push(await plain(new Uint8Array(await f.arrayBuffer()), f.name));
      let im = data.findIndex(d => magic(d) === 0x803);
      if (im < 0) { const lb = data.findIndex(d => magic(d) === 0x801); im = lb >= 0 ? 1 - lb : (/label/i.test(files[0].name) ? 1 : 0); }
      if (data.length === 2 && magic(data[1 - im]) === 0x803 && im >= 0 && magic(data[im]) === 0x803)
        throw new Error(files[0].name + ' and ' + files[1].name + ' are both images files; one must be a labels file (idx1-ubyte)');
      return call('loadIdx', [data[im], data[1 - im], files[im].name + ' + ' + files[1 - im].name], 3);
    } catch (e) {
      return call('idxError', [String((e && e.message) || e)], 1);
    }
  }
  M['nnplayLoadIdxFiles'] = loadFiles;

  // The in-page button opens a hidden file input (the click's user activation is still valid in the next frame).
  M['nnplayPickIdx'] = function () {
    let input = document.getElementById('nnplay-idx-input');
    if (!input) {
      input = document.createElement('input');
      input.type = 'file'; input.multiple = true; input.id = 'nnplay-idx-input';
      input.accept = '.gz,.idx,.ubyte,.idx1-ubyte,.idx3-ubyte,application/gzip,application/octet-stream';
      input.style.display = 'none';
      input.addEventListener('change', () => { const f = input.files; loadFiles(f).finally(() => { input.value = ''; }); });
      document.body.appendChild(input);
    }
    input.click();
  };
  window.addEventListener('dragover', e => { if (e.dataTransfer && Array.from(e.dataTransfer.types || []).includes('Files')) e.preventDefault(); });
  window.addEventListener('drop', e => {
    if (!e.dataTransfer || !e.dataTransfer.files || !e.dataTransfer.files.length) return;
    e.preventDefault();
    loadFiles(e.dataTransfer.files);
  });

  const base = M['nnplayMakeApi'];
  M['nnplayMakeApi'] = function () {
    const api = Object.assign({}, base(), {
      cnnState() { return call('cnnState', arguments, 0); },           // layers and shapes, current input, prediction
      confusion() { return call('confusion', arguments, 0); },         // {classes, matrix[true][pred], accuracy, misclassified}
      loadIdx,                                                          // async (images, labels[, name]) -> {ok, error}
      loadIdxFiles: loadFiles,                                          // async (FileList or File[]) -> {ok, error}
      cnnSelect(source, index) { return call('cnnSelect', arguments, 2); }, // 'train' | 'test' | 'pad'
      cnnView(name) { return call('cnnView', arguments, 1); },         // 'maps' | 'filters' | 'explainer' | 'test'
      cnnOpen(fragment) { return call('cnnOpen', arguments, 1); },     // opens a share link (presets)
      cnnPresets() { return call('cnnPresets', arguments, 0); },       // {tiny, lenet} share-link fragments
    });
    return Object.freeze(api);
  };
})();
