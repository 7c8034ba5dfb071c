#!/bin/sh
# runs_to_bug.sh: how many runs each scheduler needs to hit the bug of each
# bug scenario of tests/ and scripts/: random, pct and pos as the median
# of the first failing run over S base seeds (each exploration stops at
# its first failure, at most N runs), dfs as its one deterministic count.
# A "-" means no failure within N runs for at least half the seeds.
#   sh bench/runs_to_bug.sh [TSBOX] [S] [N]
set -eu
cd "$(dirname "$0")/.."
TSBOX=${1:-./tsbox}
S=${2:-9}
N=${3:-1000}
J=$(mktemp)
trap 'rm -f "$J"' EXIT
first() {  # first SCHED SEED ARGS...: index of the first failing run, or 0
  sched=$1; seed=$2; shift 2
  "$TSBOX" -q -j1 --sched "$sched" --runs "$N" --seed "$seed" --stop-on-failure --json "$J" "$@" \
    > /dev/null 2>&1 || true
  sed -n 's/.*"first_failure": {"run": \([0-9]*\).*/\1/p' "$J" | head -1 | grep . || echo 0
}
median() {  # median of the arguments, 0 standing for "not found" (infinite)
  printf '%s\n' "$@" | awk '{ print ($1 == 0 ? 1e18 : $1) }' | sort -g |
    awk '{ a[NR] = $1 } END { m = a[int((NR + 1) / 2)]; if (m >= 1e18) print "-"; else print m }'
}
printf '%-40s %8s %8s %8s %8s\n' scenario random pct pos dfs
while read -r opts script args; do
  [ -z "$opts" ] && continue
  [ "$opts" = - ] && opts=
  row=""
  for sched in random pct pos; do
    vals=""
    i=0
    while [ $i -lt "$S" ]; do
      # shellcheck disable=SC2086
      vals="$vals $(first $sched $((1 + i * 100000)) $opts $script $args)"
      i=$((i + 1))
    done
    # shellcheck disable=SC2086
    row="$row $(median $vals)"
  done
  # shellcheck disable=SC2086
  d=$(first dfs 1 $opts $script $args)
  [ "$d" = 0 ] && d=-
  # shellcheck disable=SC2086
  printf '%-40s %8s %8s %8s %8s\n' "$(echo "$opts $script $args" | sed 's/^ //; s|tests/||; s|scripts/||')" $row "$d"
done <<'LIST'
- scripts/race.lua
- scripts/deadlock.lua
- tests/explain/lost_update.lua
- tests/explain/check_then_act.lua
- tests/explain/nil_error.lua
- tests/explain/abba.lua
- tests/bugs/wrong_lock.lua
- tests/bugs/order_violation.lua
- tests/bugs/missed_signal.lua
- tests/bugs/barrier_reuse.lua
- tests/bugs/semaphore_leak.lua
- tests/models/philosophers.lua 2
- tests/models/philosophers.lua 5
- tests/models/counter.lua unlocked 3 2
- tests/models/peterson.lua broken 1
--race tests/race/racy_lazy_init.lua
--race tests/race/racy_flag_publish.lua
--race tests/race/order_two_locks.lua
LIST
