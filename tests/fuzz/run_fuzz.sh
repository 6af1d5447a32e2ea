#!/usr/bin/env bash
# Builds every libFuzzer target tests/fuzz/fuzz_*.cpp with clang++-14 (AddressSanitizer +
# UndefinedBehaviorSanitizer, UB fatal) and runs each for the given seconds on its seed corpus
# tests/fuzz/corpus/<name> (fuzz_link.cpp -> corpus/link). Prints one line per target,
# "FUZZ PASS <name> ..." or "FUZZ FAIL <name> (<why>)", and exits non-zero on any crash or build failure.
# Usage: tests/fuzz/run_fuzz.sh [seconds per target, default 60]
# A target names the engine sources it links in a "// fuzz-sources: <paths or globs>" comment
# ("all" = every engine source); without one, the engine/*.cpp paths of its "// Build:" comment;
# else all. Objects are cached under build/fuzz (make, with header dependencies).
set -uo pipefail
secs=${1:-60}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
out=${NNPLAY_FUZZ_BUILD:-$root/build/fuzz}
cxx=${NNPLAY_FUZZ_CXX:-clang++-14}
jobs=${JOBS:-$(nproc)}
mkdir -p "$out"
if ! command -v "$cxx" >/dev/null; then
  echo "FUZZ FAIL (all) ($cxx not found: apt-get install clang-14 libclang-rt-14-dev)"; exit 1
fi
flags="-std=c++20 -g -O1 -ffp-contract=off -fno-fast-math -msse4.1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -Iengine/include -Iengine"
all_sources() { find engine/src engine/kernels -name '*.cpp' | sort; }

# The Makefile compiles any engine source into $out/obj with dependency tracking.
cat > "$out/Makefile" <<MK
CXX := $cxx
FLAGS := $flags -fsanitize=fuzzer-no-link
$out/obj/%.o: %.cpp
	@mkdir -p \$(@D)
	@\$(CXX) \$(FLAGS) -MMD -MP -c \$< -o \$@
-include \$(shell find $out/obj -name '*.d' 2>/dev/null)
MK

rc=0
targets=$(ls tests/fuzz/fuzz_*.cpp 2>/dev/null)
[ -n "$targets" ] || { echo "FUZZ FAIL (none) (no tests/fuzz/fuzz_*.cpp)"; exit 1; }
for t in $targets; do
  name=$(basename "$t" .cpp); name=${name#fuzz_}
  spec=$(sed -n 's|^// fuzz-sources:[[:space:]]*||p' "$t" | head -1)
  if [ -z "$spec" ]; then
    spec=$(grep '^//' "$t" | grep -o 'engine/[^[:space:]]*\.cpp' | sort -u | tr '\n' ' ')
  fi
  if [ -z "$spec" ] || [ "$spec" = all ]; then srcs=$(all_sources); else srcs=$(for g in $spec; do ls $g; done | sort -u); fi
  objs=$(for s in $srcs; do echo "$out/obj/${s%.cpp}.o"; done)
  log="$out/$name.build.log"
  if ! make -s -j"$jobs" -f "$out/Makefile" $objs >"$log" 2>&1 ||
     ! $cxx $flags -fsanitize=fuzzer "$t" $objs -o "$out/fuzz_$name" >>"$log" 2>&1; then
    tail -20 "$log"
    echo "FUZZ FAIL $name (build failed, log: $log)"; rc=1; continue
  fi
  seeds=tests/fuzz/corpus/$name
  work="$out/corpus-$name"
  mkdir -p "$work" "$seeds"
  runlog="$out/$name.run.log"
  "$out/fuzz_$name" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2560 -print_final_stats=1 \
      -artifact_prefix="$out/$name-" "$work" "$seeds" >"$runlog" 2>&1
  r=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$runlog" | tail -1)
  if [ $r = 0 ]; then
    echo "FUZZ PASS $name (${secs}s, ${execs:-?} runs, corpus $(ls "$work" | wc -l) + $(ls "$seeds" | wc -l) seeds)"
  else
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$runlog" | head -8
    echo "FUZZ FAIL $name (exit $r, log: $runlog)"; rc=1
  fi
done
exit $rc
