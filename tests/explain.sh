# --explain and --minimize (SPEC §2, §4): a failing run drawn as a
# whiteboard interleaving, one column per thread; the schedule with the
# fewest preemptions that fails the same way; summaries and reports that
# point at both.
. "$(dirname "$0")/lib.sh"
E=tests/explain

# minimized TOKEN SCRIPT: the token --minimize prints for a failing run.
minimized() {
  "$TSBOX" --minimize --replay "$1" "$2" > /dev/null 2> "$T/min"
  sed -n 's/^  replay: tsbox --replay \([^ ]*\) .*/\1/p' "$T/min" | head -1
}

# explain_only: the drawing alone, from the last run's stderr.
explain_only() { sed -n '/how it went wrong/,$p' "$T/err"; }

# --- the smallest lost update --------------------------------------------
run --sched dfs --stop-on-failure $E/lost_update.lua
expect_rc "dfs finds the lost update" 1
expect_err "the summary prints a minimized schedule beside the first failure" "minimized (1 preemption): tsbox --replay d:"
expect_err "... and the command that explains it" "explain: tsbox --explain --replay d:"
tok=$(minimized "$(grep -o 'replay d:[^ ]*' "$T/err" | head -1 | cut -d' ' -f2)" $E/lost_update.lua)
if grep -q "with 1 preemption" "$T/min"; then pass "--minimize: one preemption is enough for a lost update"
else fail "--minimize: one preemption is enough for a lost update" "$(cat "$T/min")"; fi
if grep -q '^  explain: tsbox --explain --replay d:' "$T/min"; then pass "--minimize prints the explain command"
else fail "--minimize prints the explain command" "$(cat "$T/min")"; fi

run --explain --replay "$tok" $E/lost_update.lua
expect_rc "--explain keeps the run's exit status" 1
expect_err "the drawing names the location" "how it went wrong: x"
header=$(explain_only | sed -n 2p)
case "$header" in
  *MainThread*a*b*) pass "one column per thread involved, in creation order" ;;
  *) fail "one column per thread involved, in creation order" "header: $header" ;;
esac
reads=$(explain_only | grep -c 'lost_update.lua:6  read  x -> 0')
writes=$(explain_only | grep -c 'lost_update.lua:6  write x <- 1')
if [ "$reads" = 2 ] && [ "$writes" = 2 ]; then pass "both threads read 0 and both write 1"
else fail "both threads read 0 and both write 1" "$(explain_only)"; fi
expect_err "the preemption between a read and its write is drawn" "-- preempted --"
expect_err "the failure ends the drawing" "check failed at lost_update.lua:10: lost update: x is 1"
lines=$(explain_only | wc -l)
if [ "$lines" -lt 15 ]; then pass "a lost update explains in under 15 lines ($lines)"
else fail "a lost update explains in under 15 lines" "$(explain_only)"; fi
# The preempted thread read before the other's write and wrote after it.
order=$(explain_only | grep -n 'read  x -> 0\|write x <- 1\|preempted' | cut -d: -f1 | tr '\n' ' ')
col_a=$(explain_only | sed -n 2p | awk '{ print index($0, " a ") }')
first_read=$(explain_only | grep 'read  x -> 0' | head -1)
last_write=$(explain_only | grep 'write x <- 1' | tail -1)
ia=$(printf '%s\n' "$first_read" | awk '{ print index($0, "lost") }')
ib=$(printf '%s\n' "$last_write" | awk '{ print index($0, "lost") }')
if [ -n "$order" ] && [ "$ia" = "$ib" ] && [ "$col_a" -gt 0 ]; then
  pass "the thread that read first writes last, in its own column (a lost update)"
else
  fail "the thread that read first writes last, in its own column (a lost update)" "$(explain_only)"
fi

# --- --explain watches, it does not steer --------------------------------
same=1
for s in 1 2 3 4 5; do
  "$TSBOX" -s $s scripts/race.lua > "$T/plain" 2> /dev/null
  "$TSBOX" --explain -s $s scripts/race.lua > "$T/explained" 2> /dev/null
  cmp -s "$T/plain" "$T/explained" || same=0
done
if [ $same = 1 ]; then pass "--explain does not change a seed's schedule or output"
else fail "--explain does not change a seed's schedule or output"; fi

# --- check-then-act on a named shared table ------------------------------
run --sched dfs --stop-on-failure $E/check_then_act.lua
tok=$(minimized "$(grep -o 'replay d:[^ ]*' "$T/err" | head -1 | cut -d' ' -f2)" $E/check_then_act.lua)
run --explain --replay "$tok" $E/check_then_act.lua
expect_rc "the oversold stock fails its check" 1
expect_err "a field of a shared table is named by the table's name" "how it went wrong: stock.items"
if explain_only | grep -q 'read  stock.items -> 1' && explain_only | grep -q 'write stock.items <- -1'; then
  pass "both buyers saw one item; the stock went negative"
else
  fail "both buyers saw one item; the stock went negative" "$(explain_only)"
fi

# --- an uncaught error: the location its line read -----------------------
run --sched dfs --stop-on-failure $E/nil_error.lua
tok=$(grep -o 'replay d:[^ ]*' "$T/err" | head -1 | cut -d' ' -f2)
run --explain --replay "$tok" $E/nil_error.lua
expect_err "an error is explained by the field its line read" "how it went wrong: conn.handle"
expect_err "the other thread's write of nil is drawn" "write conn.handle <- nil"
expect_err "the failing read is drawn" "read  conn.handle -> nil"
expect_err "the error ends the drawing" 'error in "user"'

# --- a deadlock: each thread's acquisitions and last wait ----------------
run --sched dfs --stop-on-failure $E/abba.lua
expect_rc "two locks taken in opposite orders deadlock" 3
tok=$(grep -o 'replay d:[^ ]*' "$T/err" | head -1 | cut -d' ' -f2)
run --explain --replay "$tok" $E/abba.lua
expect_rc "--explain keeps a deadlock's exit status" 3
expect_err "t1 took a" 'acquire Lock "a"'
expect_err "t2 took b" 'acquire Lock "b"'
expect_err "t1 waits for b" 'waits for Lock "b"'
expect_err "t2 waits for a" 'waits for Lock "a"'
if explain_only | grep -q 'MainThread'; then fail "a thread outside the cycle is left out" "$(explain_only)"
else pass "a thread outside the cycle (MainThread joining) is left out"; fi

run --sched dfs --stop-on-failure tests/models/philosophers.lua 5
tok=$(grep -o 'replay d:[^ ]*' "$T/err" | head -1 | cut -d' ' -f2)
run --explain --replay "$tok" tests/models/philosophers.lua 5
waits=$(explain_only | grep -c 'waits for Lock')
if [ "$waits" = 5 ]; then pass "five philosophers: one last wait each, listed one per line"
else fail "five philosophers: one last wait each, listed one per line" "$(explain_only)"; fi

# --- a data race under --race --------------------------------------------
run --race --explain -s 3 tests/race/racy_lazy_init.lua
expect_rc "a race fails the run" 1
expect_err "the race's location is drawn" "how it went wrong: cache.conn"
expect_err "the racing write is drawn" "racy_lazy_init.lua:9  write cache.conn"
expect_err "the racing read is drawn" "racy_lazy_init.lua:7  read  cache.conn"
expect_err "the drawing ends with the race" "data race on field \"conn\""

# --- a lock-order inversion: each thread's acquisitions of the cycle's locks
run --race --explain -s 1 tests/race/order_two_locks.lua
expect_rc "an inversion fails the run under --race" 1
expect_err "the drawing is about the cycle's locks" "the locks of the cycle, as each thread took them"
first=$(explain_only | grep -n 'acquire Lock "a"' | head -1 | cut -d: -f1)
second=$(explain_only | grep -n 'acquire Lock "b"' | head -1 | cut -d: -f1)
if [ -n "$first" ] && [ -n "$second" ] && [ "$first" -lt "$second" ] &&
   [ "$(explain_only | grep -c 'acquire Lock')" = 4 ]; then
  pass "both threads' nested acquisitions are drawn, a before b in the first"
else fail "both threads' nested acquisitions are drawn" "$(explain_only)"; fi

# --- a switch at ts.yield() is no preemption
run --minimize --replay r:0x2 tests/explain/yield_overdraft.lua
expect_err "a check-then-act split at a yield needs no preemption" "with 0 preemptions"
run --explain --replay d:q1 tests/explain/yield_overdraft.lua
expect_err "the switch at ts.yield() is drawn as a yield" "-- yields --"
if explain_only | grep -q 'preempted'; then fail "no preemption is drawn where there was none" "$(explain_only)"
else pass "no preemption is drawn where there was none"; fi

# --- a runaway loop ended by a limit, after the log has wrapped
run --explain --max-steps 2000000 -s 1 tests/explain/spin_forever.lua
expect_rc "the step limit ends the run (exit 4)" 4
expect_err "the limit is explained by what the spinning thread touched" "how it went wrong: x"
expect_err "the operations the log could not keep are counted" "were not kept"
expect_err "its replay command keeps the limit" "replay: tsbox --replay r:0x1 --max-steps 2000000 tests/explain/spin_forever.lua"

# --- names and values are printed escaped
lua esc.lua <<'LUA'
local ts = require "tsbox"
local t = ts.shared({}, "t")
local function w() t.v = "\27]0;title\7\n"; _G["a\nb\27[2J"] = (_G["a\nb\27[2J"] or 0) + 1 end
local a, b = ts.spawn(w), ts.spawn(w)
a:join(); b:join()
ts.check(false, "x")
LUA
run --race --explain -s 1 "$T/esc.lua"
if grep -q "$(printf '\033')" "$T/err"; then fail "no escape byte of a name or value reaches the terminal" "$(cat -v "$T/err" | head -5)"
else pass "no escape byte of a name or value reaches the terminal"; fi
expect_err "an escaped value is still shown" '\x1b]0;title\x07\n'

# --- a deadlock between a lock's holder and the thread it joins
lua holder.lua <<'LUA'
local ts = require "tsbox"
local L = ts.Lock("L")
L:acquire()
local t = ts.spawn(function() L:acquire() end)
t:join()
LUA
run --explain -s 1 "$T/holder.lua"
expect_rc "holding a lock while joining its waiter deadlocks" 3
expect_err "the holder's acquisition is drawn" 'holder.lua:3  acquire Lock "L"'
expect_err "the waiter's wait is drawn" 'holder.lua:4  waits for Lock "L"'
expect_err "the holder's join is drawn" 'holder.lua:5  waits for Thread'

# --- what the commands say when there is nothing to do -------------------
run --explain -e 'local x = 1'
expect_rc "--explain on a passing run exits 0" 0
expect_err "--explain on a passing run says so" "did not fail; nothing to explain"
run --minimize --replay r:0x1 -e 'local x = 1'
expect_rc "--minimize on a passing run exits 0" 0
expect_err "--minimize on a passing run says so" "did not fail: nothing to minimize"
run --minimize scripts/race.lua
expect_rc "--minimize without --replay is a usage error" 2
expect_err "... which names what it needs" "--minimize needs the failing run's --replay TOKEN"
run --explain --runs 10 scripts/race.lua
expect_rc "--explain with --runs is a usage error" 2
run --minimize --runs 10 --replay r:0x1 scripts/race.lua
expect_rc "--minimize with --runs is a usage error" 2
run --minimize --json "$T/m.json" --replay r:0x1 scripts/race.lua
expect_rc "--minimize with --json is a usage error (it writes no report)" 2

# --- race.lua: the newcomer's path -----------------------------------------
run -s 4 scripts/race.lua
expect_rc "race.lua fails on seed 4" 1
expect_err "a failure report points at --explain" "  explain: tsbox --explain --replay r:0x4 scripts/race.lua"
expect_err "a failure report points at --minimize" "  minimize: tsbox --minimize --replay r:0x4 scripts/race.lua"
tok=$(minimized r:0x4 scripts/race.lua)
if grep -q 'the check failure (lost updates: counter is 1399) with 1 preemption' "$T/min"; then
  pass "race.lua's lost updates minimize to one preemption"
else fail "race.lua's lost updates minimize to one preemption" "$(cat "$T/min")"; fi
run --replay "$tok" scripts/race.lua
expect_err "the minimized schedule fails the same way (same check)" "scripts/race.lua:89: lost updates"
run --explain --replay "$tok" scripts/race.lua
lines=$(explain_only | wc -l)
if [ "$lines" -le 16 ]; then pass "race.lua's minimized failure explains in $lines lines"
else fail "race.lua's minimized failure explains in a screenful" "$(explain_only)"; fi
expect_err "the long loops are folded" "... 199"

run --runs 20 -s 1 --json "$T/sum.json" scripts/race.lua
if grep -q '"minimized": "d:' "$T/sum.json"; then pass "the JSON summary gives the minimized token"
else fail "the JSON summary gives the minimized token" "$(head -c 400 "$T/sum.json")"; fi

finish
