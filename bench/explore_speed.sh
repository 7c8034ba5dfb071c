#!/bin/sh
# explore_speed.sh: schedules explored per second, by explorer workers (one
# process runs schedule after schedule from one built universe) and with a
# process forked for every run (TSBOX_EXPLORE=fork), and by workers whose
# switches all wake POSIX threads (TSBOX_CARRY=0), with 1 and 2 jobs,
# against the compute floor: plain lua5.4 running the same scenario's work
# with a stand-in tsbox module (bench/floor.lua), no scheduler at all.
# Scenarios: the lost update (bench/explore_counter.lua, 2 threads x 100
# increments), the bank of scripts/race.lua, and the 5 dining philosophers
# of scripts/deadlock.lua. Each figure is the best of R timings of the
# whole command (summaries without their minimization: -q), measured in
# one run, the modes taking turns.
#   sh bench/explore_speed.sh [TSBOX] [R] [SCALE]
set -eu
cd "$(dirname "$0")/.."
TSBOX=${1:-./tsbox}
R=${2:-3}
SCALE=${3:-1}
LUA=${LUA:-lua5.4}

# best N CMD...: runs per second of the fastest of R timings of CMD.
best() {
  n=$1
  shift
  top=0
  for _ in $(seq "$R"); do
    t0=$(date +%s.%N)
    "$@" > /dev/null 2>&1 || true
    t1=$(date +%s.%N)
    top=$(awk -v a="$t0" -v b="$t1" -v n="$n" -v top="$top" \
      'BEGIN { r = n / (b - a); print (r > top ? r : top) }')
  done
  echo "$top"
}

printf '%-26s %5s %12s %12s %12s %12s %9s %9s %9s\n' scenario jobs workers/s no-carry/s fork/s floor/s \
  "w/nocarry" "w/fork" "w/floor"
for s in "bench/explore_counter.lua 10000" "scripts/race.lua 3000" "scripts/deadlock.lua 2000"; do
  # shellcheck disable=SC2086
  set -- $s
  script=$1
  n=$(( $2 * SCALE ))
  nf=$(( n / 4 ))
  floor=$(best $(( n * 10 )) "$LUA" bench/floor.lua $(( n * 10 )) "$script")
  for jobs in 1 2; do
    w=$(best "$n" "$TSBOX" -q -j "$jobs" --runs "$n" "$script")
    c=$(best "$n" env TSBOX_CARRY=0 "$TSBOX" -q -j "$jobs" --runs "$n" "$script")
    f=$(best "$nf" env TSBOX_EXPLORE=fork "$TSBOX" -q -j "$jobs" --runs "$nf" "$script")
    awk -v s="$script" -v j="$jobs" -v w="$w" -v c="$c" -v f="$f" -v fl="$floor" 'BEGIN {
      printf "%-26s %5d %12.0f %12.0f %12.0f %12.0f %8.1fx %8.1fx %9s\n", s, j, w, c, f, fl, w / c, w / f,
        "1/" int(fl / w + 0.5) }'
  done
done
