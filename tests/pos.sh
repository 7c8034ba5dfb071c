# --sched pos: partial-order sampling (SPEC §1 schedulers; issue: a random
# scheduler that samples the partial order). Seeded and replayable like
# random; chooses only at visible operations; finds the bug scenarios.
. "$(dirname "$0")/lib.sh"

run --sched pos -s 7 scripts/race.lua; cp "$T/out" "$T/out1"; cp "$T/err" "$T/err1"; rc1=$rc
run --sched pos -s 7 scripts/race.lua
if [ "$rc" = "$rc1" ] && cmp -s "$T/out" "$T/out1" && cmp -s "$T/err" "$T/err1"; then
  pass "the same seed gives the same run, byte for byte"
else fail "the same seed gives the same run, byte for byte"; fi
expect_err "a failure prints a pos replay token" "replay: tsbox --replay pos:0x7 scripts/race.lua"
run --replay pos:0x7 scripts/race.lua
if cmp -s "$T/out" "$T/out1"; then pass "the pos token replays the run"; else fail "the pos token replays the run"; fi

run --sched pos --runs 200 -s 1 tests/explain/lost_update.lua
expect_rc "pos finds the lost update" 1
run --sched pos --runs 200 -s 1 -e '
local ts = require "tsbox"
local t = ts.shared({ n = 0 }, "t")
local function bump() t.n = t.n + 1 end
local a, b = ts.Thread{target = bump}, ts.Thread{target = bump}
a:start(); b:start(); a:join(); b:join()
ts.outcome("n=" .. t.n)'
expect_err "both outcomes of an unlocked double increment are sampled (n=1)" "n=1 "
expect_err "both outcomes of an unlocked double increment are sampled (n=2)" "n=2 "

run --sched pos --runs 100 -s 1 -e '
local ts = require "tsbox"
local t = ts.shared({ n = 0 }, "t")
local lock = ts.Lock()
local function bump() lock:acquire(); t.n = t.n + 1; lock:release() end
local a, b = ts.Thread{target = bump}, ts.Thread{target = bump}
a:start(); b:start(); a:join(); b:join()
ts.check(t.n == 2, "lost")'
expect_rc "pos never breaks a locked increment" 0

run --race --sched pos -s 3 tests/race/racy_global_counter.lua
expect_rc "--race works under pos: a racy counter is reported" 1
expect_err "... as a data race" "data race on"
run --race --sched pos -s 3 tests/race/free_one_lock.lua
expect_rc "--race under pos: a locked counter is race-free" 0

run --sched pos --stop-on-failure --runs 300 -s 1 tests/models/philosophers.lua 3
expect_rc "pos finds the philosophers' deadlock" 3

run --sched pos --quantum 50 -s 2 -e 'print(1)'
expect_rc "--quantum does not disturb pos (it chooses at visible operations)" 0

run --replay pos: -e 'print(1)'
expect_rc "a malformed pos token is a usage error" 2

finish
