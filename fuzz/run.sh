#!/usr/bin/env bash
# Builds the libFuzzer targets (clang++, ASan + UBSan) in build-fuzz/ and runs each of them.
#
#   fuzz/run.sh                    the short CI run: at most FUZZ_RUNS executions (50000) and
#                                  FUZZ_TIME seconds (40) per target
#   FUZZ_RUNS=0 FUZZ_TIME=3600 fuzz/run.sh    a long run: one hour per target (`make fuzz`)
#   FUZZ_TARGETS="need dataset" fuzz/run.sh   some targets only
#
# First every input of fuzz/regressions/<target>/ (inputs that once crashed) is replayed; then
# the target fuzzes from its working corpus build-fuzz/fuzz-corpus/<target>/ (kept between
# runs, so long runs build on earlier ones) and the seeds fuzz/seeds/<target>/ plus the test
# data. A crash leaves its input in build-fuzz/fuzz-artifacts/ and makes the script fail.
# Executions, coverage and corpus sizes go to build-fuzz/fuzz-summary.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${FUZZ_BUILD_DIR:-build-fuzz}
RUNS=${FUZZ_RUNS:-50000}
TIME=${FUZZ_TIME:-40}
TARGETS=${FUZZ_TARGETS:-"match_request need profile dataset collectivites_csv assignment_csv"}

# clang++ and its sanitizer runtimes (libFuzzer comes with libclang-rt-14-dev on Debian 12).
need=()
command -v clang++ >/dev/null || need+=(clang)
dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null | grep -q "install ok installed" || need+=(libclang-rt-14-dev)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "fuzz: installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$BUILD" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" -DEXPECTMATCH_BUILD_FUZZERS=ON -DEXPECTMATCH_SANITIZE=address,undefined \
  -DEXPECTMATCH_BUILD_TESTS=OFF -DEXPECTMATCH_BUILD_BENCHMARKS=OFF "${launcher[@]}" >/dev/null
targets=()
for t in $TARGETS; do targets+=("fuzz_$t"); done
if ! cmake --build "$BUILD" -j "$(nproc)" --target "${targets[@]}" > "$BUILD/fuzz-build.log" 2>&1; then
  tail -n 60 "$BUILD/fuzz-build.log"
  exit 1
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
summary="$BUILD/fuzz-summary.txt"
printf "%-18s %10s %8s %10s %8s %8s\n" target executions seconds exec/s cov corpus > "$summary"
mkdir -p "$BUILD/fuzz-artifacts"
for t in $TARGETS; do
  binary="$BUILD/fuzz/fuzz_$t"
  corpus="$BUILD/fuzz-corpus/$t"
  mkdir -p "$corpus"
  case $t in
    dataset) dict=fuzz/json.dict; max_len=65536
      # The sample data set too, as one input.
      { for f in themes collectivites cooperations missions needs; do cat "datasets/sample/$f.json"; printf '\n@@\n'; done; } \
        > "$corpus/sample.txt" ;;
    collectivites_csv) dict=fuzz/csv.dict; max_len=8192; cp tests/data/csv/*.csv "$corpus/" ;;
    assignment_csv) dict=fuzz/csv.dict; max_len=8192 ;;
    *) dict=fuzz/json.dict; max_len=8192 ;;
  esac
  if [ -d "fuzz/regressions/$t" ] && [ -n "$(ls -A "fuzz/regressions/$t")" ]; then
    echo "fuzz: $t: replaying fuzz/regressions/$t"
    "$binary" fuzz/regressions/$t/* 2>&1 | tail -n 2
  fi
  runs=()
  [ "$RUNS" -gt 0 ] && runs=(-runs="$RUNS")
  log="$BUILD/fuzz-$t.log"
  echo "fuzz: $t (${RUNS} runs at most, ${TIME} s at most)"
  start=$(date +%s.%N)
  if ! "$binary" "${runs[@]}" -max_total_time="$TIME" -max_len="$max_len" -dict="$dict" -print_final_stats=1 \
      -artifact_prefix="$BUILD/fuzz-artifacts/$t-" "$corpus" "fuzz/seeds/$t" > "$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz: $t FAILED; the input is in $BUILD/fuzz-artifacts/" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*' || echo 0)
  files=$(ls "$corpus" | wc -l)
  printf "%-18s %10s %8.1f %10s %8s %8s\n" "$t" "$execs" "$(awk "BEGIN {print $end - $start}")" "$rate" "$cov" "$files" >> "$summary"
done
cat "$summary"
