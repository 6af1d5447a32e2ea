#!/usr/bin/env bash
# Runs every nnplay test: the GoogleTest suite natively and as wasm under Node, the native/wasm
# determinism hash comparison, the fuzzers, a quick benchmark run, and the browser end-to-end tests; prints one closing
# line `N passed, M failed` over all of them and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
logs=build/test-logs
mkdir -p "$logs"
pass=0 fail=0 skip=0
failures=()
ok()  { pass=$((pass + $1)); }
bad() { fail=$((fail + $1)); failures+=("$2"); }
part() { printf '\n==== %s ====\n' "$*"; }

# gtest_counts <json>: prints "passed failed skipped" from a GoogleTest JSON report
gtest_counts() {
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    let p = 0, f = 0, s = 0;
    for (const suite of r.testsuites) for (const t of suite.testsuite) {
      if (t.result === "SKIPPED" || t.status === "NOTRUN") s++; else if (t.failures && t.failures.length) f++; else p++;
    }
    console.log(p, f, s);' "$1"
}

run_gtest() {  # run_gtest <label> <json> <cmd...>
  local label=$1 json=$2 rc p f s; shift 2
  rm -f "$json"
  "$@" --gtest_output=json:"$json" >"$logs/$label.log" 2>&1; rc=$?
  grep -E '^\[  (FAILED|PASSED|SKIPPED) |^\[==========\]|NNPLAY_HASH500|NNPLAY_HASH_LAYERS' "$logs/$label.log" || true
  if [ -f "$json" ]; then
    read -r p f s < <(gtest_counts "$json")
    ok "$p"; skip=$((skip + s))
    if [ "$f" -gt 0 ]; then bad "$f" "$label: $f test(s) failed (log: $logs/$label.log)"
    elif [ "$rc" != 0 ]; then bad 1 "$label: the runner exited with $rc after its tests passed (log: $logs/$label.log)"; fi
  else
    tail -30 "$logs/$label.log"
    bad 1 "$label: the runner crashed or wrote no report, exit $rc (log: $logs/$label.log)"
  fi
}

part "build (native and wasm)"
native_ok=1 wasm_ok=1
make -s native >"$logs/build-native.log" 2>&1 || { native_ok=0; tail -40 "$logs/build-native.log"; bad 1 "native build failed (log: $logs/build-native.log)"; }
make -s wasm   >"$logs/build-wasm.log"   2>&1 || { wasm_ok=0;   tail -40 "$logs/build-wasm.log";   bad 1 "wasm build failed (log: $logs/build-wasm.log)"; }

if [ $native_ok = 1 ]; then
  part "GoogleTest, native"
  run_gtest native build/test-logs/native.json build/native/nnplay_tests
fi
if [ $wasm_ok = 1 ]; then
  part "GoogleTest, wasm under Node"
  run_gtest wasm build/test-logs/wasm.json node --no-experimental-fetch build/wasm/nnplay_tests.js
fi

if [ $native_ok = 1 ] && [ $wasm_ok = 1 ]; then
  part "determinism: native vs wasm weights hash after 500 steps"
  hn=$(grep -ho 'NNPLAY_HASH500 [0-9a-f]*' "$logs/native.log" | head -1)
  hw=$(grep -ho 'NNPLAY_HASH500 [0-9a-f]*' "$logs/wasm.log" | head -1)
  echo "native: ${hn:-none}"; echo "wasm:   ${hw:-none}"
  if [ -n "$hn" ] && [ "$hn" = "$hw" ]; then ok 1; else bad 1 "native and wasm hashes differ or are missing: '$hn' vs '$hw'"; fi
  part "determinism: native vs wasm hash of nets with batch norm, dropout, ELU/GELU/SiLU"
  hn=$(grep -ho 'NNPLAY_HASH_LAYERS [0-9a-f]*' "$logs/native.log" | head -1)
  hw=$(grep -ho 'NNPLAY_HASH_LAYERS [0-9a-f]*' "$logs/wasm.log" | head -1)
  echo "native: ${hn:-none}"; echo "wasm:   ${hw:-none}"
  if [ -n "$hn" ] && [ "$hn" = "$hw" ]; then ok 1; else bad 1 "native and wasm layer hashes differ or are missing: '$hn' vs '$hw'"; fi
fi

if [ -x tests/fuzz/run_fuzz.sh ] || [ -f tests/fuzz/run_fuzz.sh ]; then
  part "fuzzers (ASan + UBSan, ${NNPLAY_FUZZ_SECONDS:-60} s each)"
  out=$(bash tests/fuzz/run_fuzz.sh "${NNPLAY_FUZZ_SECONDS:-60}" 2>&1 | tee "$logs/fuzz.log")
  echo "$out" | grep -E '^FUZZ (PASS|FAIL)' || true
  np=$(echo "$out" | grep -c '^FUZZ PASS'); nf=$(echo "$out" | grep -c '^FUZZ FAIL')
  ok "$np"; [ "$nf" -gt 0 ] && bad "$nf" "fuzz: $nf target(s) crashed or failed to build (log: $logs/fuzz.log)"
  [ "$np" = 0 ] && [ "$nf" = 0 ] && bad 1 "fuzz: run_fuzz.sh ran no target (log: $logs/fuzz.log)"
fi

if [ $wasm_ok = 1 ]; then
  part "benchmark smoke (make bench's quick mode: every workload on every engine; no speed is judged)"
  if NNPLAY_BENCH_QUICK=1 NNPLAY_BENCH_OUT="$logs/bench" node bench/run.mjs >"$logs/bench-quick.log" 2>&1 &&
     node tests/bench_smoke.mjs "$logs/bench/results.json"; then ok 1
  else tail -20 "$logs/bench-quick.log"; bad 1 "bench: the quick run failed or missed an engine (log: $logs/bench-quick.log)"; fi
fi

if [ $wasm_ok = 1 ]; then
  part "browser end-to-end (headless Chromium)"
  NNPLAY_VERSION=$(sed -n 's/^project(nnplay VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt) \
    node --test --test-concurrency=1 --test-reporter=tap tests/e2e/*.test.mjs >"$logs/e2e.tap" 2>&1
  grep -E '^(not )?ok |^# (pass|fail)' "$logs/e2e.tap" | grep -v '^    ' || true
  ep=$(sed -n 's/^# pass \([0-9]*\)/\1/p' "$logs/e2e.tap"); ef=$(sed -n 's/^# fail \([0-9]*\)/\1/p' "$logs/e2e.tap")
  if [ -z "$ep" ]; then bad 1 "e2e: the test runner printed no summary (log: $logs/e2e.tap)"; else
    ok "$ep"; [ "${ef:-0}" -gt 0 ] && { grep -B2 -A25 '^not ok' "$logs/e2e.tap" | head -120; bad "$ef" "e2e: $ef test(s) failed (log: $logs/e2e.tap)"; }
  fi
fi

echo
for f in "${failures[@]}"; do echo "FAILED: $f"; done
if [ $skip -gt 0 ]; then echo "$pass passed, $fail failed, $skip skipped"; else echo "$pass passed, $fail failed"; fi
[ $fail = 0 ]
