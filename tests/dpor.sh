# --sched dfs with partial-order reduction (SPEC §1): small correct models
# are verified (the space is exhausted, exit 0), their broken twins are
# found, and an exploration that stops early never claims verification.
. "$(dirname "$0")/lib.sh"
M=tests/models

run --sched dfs $M/counter.lua locked 3 2
expect_rc "3 threads x 2 locked increments: exit 0" 0
expect_err "3 threads x 2 locked increments are verified" "verified, no failure"
runs_n=$(sed -n 's/^tsbox: dfs explored all \([0-9]*\) executions.*/\1/p' "$T/err")
if [ -n "${TSBOX_SANITIZER:-}" ]; then
  # sanitizer builds use the system allocator, which rules out sleep sets (dpor.c)
  n=$((n + 1)); echo "ok $n # SKIP sleep sets are off in sanitizer builds"
elif [ -n "$runs_n" ] && [ "$runs_n" -le 200 ]; then pass "the locked model needs about one execution per order of its critical sections ($runs_n)"
else fail "the locked model needs about one execution per order of its critical sections" "executions: ${runs_n:-none}"; fi

run --sched dfs $M/counter.lua unlocked 2 1
expect_rc "the same model without its lock fails (exit 1)" 1
expect_err "dfs finds the lost update" "lost update: n is"
expect_err "an exhausted space with failures says so" "failing"
tok=$(grep -o 'replay d:[^ ]*' "$T/err" | head -1 | cut -d' ' -f2)
run --replay "$tok" $M/counter.lua unlocked 2 1
expect_rc "the failing dfs token replays the one failing run" 1
expect_err "the replayed run fails the same way" "lost update: n is"

run --sched dfs $M/peterson.lua correct 1
expect_rc "Peterson's algorithm (spinning with ts.yield) is verified: exit 0" 0
expect_err "Peterson's algorithm is verified" "verified, no failure"
run --sched dfs --stop-on-failure $M/peterson.lua broken 1
expect_rc "Peterson with the flag raised after the turn is given away fails" 1
expect_err "the broken twin violates mutual exclusion" "mutual exclusion violated"
expect_err "a search stopped at its first failure is not called exhaustive" "not exhausted: stopped at the first failure"

run --sched dfs $M/philosophers.lua 2
expect_rc "two dining philosophers deadlock in some schedule (exit 3)" 3
run --sched dfs --stop-on-failure $M/philosophers.lua 5
expect_rc "five dining philosophers deadlock in some schedule (exit 3)" 3
run --sched dfs $M/philosophers.lua 3 ordered
expect_rc "ordered forks never deadlock" 0
expect_err "ordered forks are verified" "verified, no failure"

run --sched dfs --runs 3 --json "$T/capped.json" $M/counter.lua locked 3 2
expect_rc "a capped search that saw no failure exits 0" 0
expect_err "a capped search says it is not exhausted" "dfs not exhausted: stopped after 3 runs (--runs)"
if grep -q "verified, no failure" "$T/err"; then fail "a capped search never claims verification" "$(cat "$T/err")"
else pass "a capped search never claims verification"; fi
if grep -q '"exhausted": false' "$T/capped.json"; then pass "its JSON report says exhausted: false"
else fail "its JSON report says exhausted: false" "$(head -c 300 "$T/capped.json")"; fi
run --sched dfs --json "$T/full.json" $M/philosophers.lua 3 ordered
if grep -q '"exhausted": true' "$T/full.json"; then pass "a verified search's JSON report says exhausted: true"
else fail "a verified search's JSON report says exhausted: true" "$(head -c 300 "$T/full.json")"; fi

# Without the reduction, every order of the scheduling points is a run.
run --sched dfs --no-reduction --preemptions 1 $M/counter.lua locked 2 1
full=$(sed -n 's/^tsbox: dfs explored all \([0-9]*\) executions.*/\1/p' "$T/err")
run --sched dfs $M/counter.lua locked 2 1
red=$(sed -n 's/^tsbox: dfs explored all \([0-9]*\) executions.*/\1/p' "$T/err")
if [ -n "$full" ] && [ -n "$red" ] && [ "$red" -lt "$full" ]; then
  pass "partial-order reduction runs fewer executions than every order ($red < $full)"
else fail "partial-order reduction runs fewer executions than every order" "reduced: ${red:-?}, every order: ${full:-?}"; fi
finish
