#!/bin/sh
# bench/run.sh: the tsbox benchmark suite (`make bench`).
#
# Prints one table (tsbox vs a baseline measured in the same run: CPython 3
# `threading` twins, plain lua5.4, or tsbox in another mode) and writes it,
# with a description of the machine, to bench/RESULTS.md. The measuring is
# done by bench/harness.py: tsbox and lua5.4 are timed from outside (wall
# time around the process minus the start-up time of bench/empty.lua run the
# same way), CPython twins time themselves with time.perf_counter(); the
# explorer (`tsbox --runs`) is timed as a whole against as many fresh
# CPython processes of its twin. Benchmarks are not tests: this never fails
# on a figure.
#
# Environment: TSBOX (default ./tsbox), LUA (default lua5.4), PYTHON
# (default python3), BENCH_REPS (default 3), BENCH_OUT (default
# bench/RESULTS.md), BENCH_EXPLORE_RUNS (default 2000),
# BENCH_EXPLORE_PY_RUNS (default 200), BENCH_ONLY (default: all groups),
# BENCH_BASE (a baseline tsbox binary, e.g. a build of main, that
# bench/handoff.sh measures beside TSBOX; default: none).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
: "${TSBOX:=$root/tsbox}"
: "${LUA:=lua5.4}"
: "${PYTHON:=python3}"
PYTHONDONTWRITEBYTECODE=1
export TSBOX LUA PYTHONDONTWRITEBYTECODE

for tool in "$PYTHON" "$LUA" xargs; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "bench: $tool not found on PATH" >&2
    exit 2
  fi
done
if ! [ -x "$TSBOX" ]; then
  echo "bench: no tsbox binary at $TSBOX (run make)" >&2
  exit 2
fi

start=$(date +%s.%N)
"$PYTHON" "$here/harness.py"
# dfs: executions to exhaust small models with and without partial-order
# reduction (bench/dpor.sh), and runs to the first bug under each
# scheduler (bench/runs_to_bug.sh), appended as their own sections.
out=${BENCH_OUT:-$root/bench/RESULTS.md}
{
  printf '\n## dfs: executions to exhaust small models (bench/dpor.sh)\n\n```\n'
  sh "$here/dpor.sh" "$TSBOX" 1
  printf '```\n'
  printf '\n## Runs to the first bug (bench/runs_to_bug.sh)\n\n```\n'
  sh "$here/runs_to_bug.sh" "$TSBOX" 5 500
  printf '```\n'
} >> "$out"
# Schedules explored per second by workers and by a process per run,
# against the compute floor (bench/explore_speed.sh).
{
  printf '\n## Exploration speed: workers, a process per run, the floor (bench/explore_speed.sh)\n\n```\n'
  sh "$here/explore_speed.sh" "$TSBOX" 3
  printf '```\n'
} >> "$out"
# Hand-overs among more busy threads than cores (bench/handoff.sh), against
# a baseline binary when BENCH_BASE names one.
{
  printf '\n## Busy threads in `while true`: steps/s by thread count (bench/handoff.sh)\n\n```\n'
  sh "$here/handoff.sh" "$TSBOX" "${BENCH_BASE:-}" 3 2000000
  printf '```\n'
} >> "$out"
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "bench: sh bench/run.sh took %.1f s\n", e - s }'
