# dfs finds, within 1000 executions, every bug that random finds among the
# bug scenarios of tests/ and scripts/ (bench/runs_to_bug.sh measures how
# many runs each scheduler needs). Each line: the exit status the bug
# gives, tsbox options ("-" for none), the scenario and its arguments.
. "$(dirname "$0")/lib.sh"

while read -r code opts script args; do
  [ -z "$code" ] && continue
  # shellcheck disable=SC2086
  [ "$opts" = - ] && opts=
  run --sched dfs --runs 1000 --stop-on-failure $opts $script $args
  first=$(grep -o 'first run [0-9]*' "$T/err" | head -1)
  if [ "$rc" = "$code" ]; then pass "dfs finds the bug of $script $args $opts (exit $code, $first)"
  else fail "dfs finds the bug of $script $args $opts within 1000 executions" "exit $rc, expected $code" "$(tail -5 "$T/err")"; fi
done <<'LIST'
1 - scripts/race.lua
3 - scripts/deadlock.lua
1 - tests/explain/lost_update.lua
1 - tests/explain/check_then_act.lua
1 - tests/explain/nil_error.lua
3 - tests/explain/abba.lua
1 - tests/bugs/wrong_lock.lua
1 - tests/bugs/order_violation.lua
3 - tests/bugs/missed_signal.lua
1 - tests/bugs/barrier_reuse.lua
3 - tests/bugs/semaphore_leak.lua
3 - tests/models/philosophers.lua 2
3 - tests/models/philosophers.lua 5
1 - tests/models/counter.lua unlocked 3 2
1 - tests/models/peterson.lua broken 1
1 - tests/race/racy_rawset.lua
1 - tests/race/racy_rawset_global.lua
1 - tests/race/racy_setupvalue.lua
1 - tests/race/racy_pairs_insert.lua
1 - tests/race/racy_concat.lua
1 - tests/race/racy_unpack.lua
1 - tests/race/racy_move.lua
1 - tests/race/racy_sort.lua
1 - tests/race/racy_ipairs.lua
1 - tests/race/racy_rawlen.lua
1 - tests/race/racy_gsub.lua
1 - tests/bugs/walk_during_append.lua
1 --race tests/race/racy_lazy_init.lua
1 --race tests/race/racy_two_locks.lua
1 --race tests/race/racy_flag_publish.lua
1 --race tests/race/racy_read_before_join.lua
1 --race tests/race/racy_write_after_set.lua
1 --race tests/race/racy_table_insert.lua
1 --race tests/race/order_two_locks.lua
LIST

finish
