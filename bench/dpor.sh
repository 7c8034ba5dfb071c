#!/bin/sh
# dpor.sh: executions (and wall time) that --sched dfs needs to exhaust small
# models, with partial-order reduction and without it (--no-reduction,
# every order of the scheduling points), in one run. Without the reduction
# the space is only finite under a preemption bound, so both searches get
# the same bound B; then the reduced search alone, unbounded.
#   sh bench/dpor.sh [TSBOX] [B]
set -eu
cd "$(dirname "$0")/.."
TSBOX=${1:-./tsbox}
B=${2:-2}
M=tests/models
count() {  # count ARGS...: "<executions> <seconds>" of one exhausted search
  t0=$(date +%s.%N)
  n=$("$TSBOX" --sched dfs "$@" 2>&1 | sed -n 's/^tsbox: dfs explored all \([0-9]*\) executions.*/\1/p')
  t1=$(date +%s.%N)
  echo "${n:-?} $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
}
printf '%-34s %22s %22s %8s %22s\n' model "every order (p<=$B)" "reduced (p<=$B)" ratio "reduced, unbounded"
for m in "counter.lua locked 2 1" "counter.lua unlocked 2 2" "counter.lua locked 3 1" "counter.lua locked 3 2" \
         "philosophers.lua 3 ordered" "peterson.lua correct 1" "peterson.lua correct 2"; do
  # shellcheck disable=SC2086
  set -- $m
  f=$1; shift
  full=$(count --no-reduction --preemptions "$B" "$M/$f" "$@")
  red=$(count --preemptions "$B" "$M/$f" "$@")
  unb=$(count "$M/$f" "$@")
  ratio=$(echo "$full $red" | awk '{ if ($3 > 0) printf "%.1fx", $1 / $3; else print "?" }')
  printf '%-34s %14s in %5ss %14s in %5ss %8s %14s in %5ss\n' "$m" \
    "${full% *}" "${full#* }" "${red% *}" "${red#* }" "$ratio" "${unb% *}" "${unb#* }"
done
