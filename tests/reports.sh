# Failure reports: deadlocks with their cycle, limits, replay (SPEC §4, §6).
. "$(dirname "$0")/lib.sh"

lua philosophers.lua <<'L'
local ts = require "tsbox"
local forks = {}
for i = 1, 3 do forks[i] = ts.Lock("fork-" .. i) end
local function dine(i)
  local left, right = forks[i], forks[i % 3 + 1]
  for _ = 1, 50 do
    left:acquire()
    right:acquire()
    right:release()
    left:release()
  end
end
for i = 1, 3 do ts.Thread{name = "philosopher-" .. i, target = dine, args = {i}}:start() end
L
run --seed 1 "$T/philosophers.lua"
expect_rc "three philosophers deadlock: exit 3" 3
expect_err "the deadlock header counts blocked threads" "tsbox: deadlock: 4 of 4 threads blocked (seed 0x1, sched random, step"
expect_err "each philosopher's wait names the lock and its holder" "\"philosopher-1\" waits for Lock \"fork-2\" held by \"philosopher-2\""
expect_err "the wait names the source line" "philosophers.lua:8"
expect_err "the wait-for cycle is printed" "cycle: philosopher-1 -> fork-2 -> philosopher-2 -> fork-3 -> philosopher-3 -> fork-1 -> philosopher-1"
expect_err "the deadlock report ends with the replay command" "replay: tsbox --replay r:0x1 $T/philosophers.lua"
cp "$T/err" "$T/first.err"; cp "$T/out" "$T/first.out"
run --replay r:0x1 "$T/philosophers.lua"
if cmp -s "$T/err" "$T/first.err" && cmp -s "$T/out" "$T/first.out"; then
  pass "the replay command reproduces the report byte for byte"
else
  fail "the replay command reproduces the report byte for byte" "$(diff "$T/first.err" "$T/err" | head -5)"
fi

run -v --seed 1 "$T/philosophers.lua"
expect_err "-v adds each thread's traceback" "stack traceback:"

lua partial.lua <<'L'
local ts = require "tsbox"
local a, b = ts.Lock("a"), ts.Lock("b")
local both = ts.Barrier(2)
ts.Thread{name = "left", target = function() a:acquire(); both:wait(); b:acquire() end}:start()
ts.Thread{name = "right", target = function() b:acquire(); both:wait(); a:acquire() end}:start()
local worker = ts.spawn(function() for _ = 1, 100 do ts.sleep(0.01) end end)
worker:join()
print("the worker finished")
L
run --seed 1 "$T/partial.lua"
expect_rc "two threads in a lock cycle while a third works: reported when the run ends, exit 3" 3
expect_out "the third thread's work is done first" "the worker finished"
expect_err "the stuck pair's cycle is named" "cycle: left -> b -> right -> a -> left"
expect_err "the table says what each thread holds" "holds Lock \"a\""

run --seed 3 -e 'local l = tsbox.Lock("vault"); l:acquire(); l:acquire()'
expect_rc "a Lock acquired twice by one thread deadlocks: exit 3" 3
expect_err "the self-deadlock names the lock and its holder" "\"MainThread\" waits for Lock \"vault\" held by \"MainThread\""
expect_err "the self-deadlock cycle" "cycle: MainThread -> vault -> MainThread"

run --seed 3 -e 'local e = tsbox.Event("never"); local t = tsbox.spawn(function() e:wait() end); t:join()'
expect_rc "waiting on an Event nobody sets is a deadlock" 3
expect_err "the report names the event" "waits for Event \"never\""
expect_err "a join names the joined thread" "\"MainThread\" waits to join Thread \"Thread-1 ((command line):1)\""

run --sched os -e 'local l = tsbox.Lock("vault"); l:acquire(); l:acquire()'
expect_rc "deadlocks are detected under --sched os too" 3

run --seed 2 --max-steps 100000 -e 'local ts = require "tsbox"
ts.Thread{name = "spinner", target = function() while true do end end}:start()'
expect_rc "an endless loop hits the step limit: exit 4" 4
expect_err "the step limit is named" "step limit: 100000 VM instructions (--max-steps)"
expect_err "the looping thread's position is shown" "\"spinner\" is running"
expect_err "the limit report has a replay command" "replay: tsbox --replay r:0x2"

run --seed 2 -e 'while true do end'
expect_rc "the default step limit stops a runaway script" 4

run --seed 2 --max-threads 5 -e 'for _ = 1, 10 do tsbox.spawn(function() tsbox.sleep(1) end) end'
expect_rc "too many threads: exit 4" 4
expect_err "the thread limit is named" "thread limit: 5 live threads (--max-threads)"

run --seed 2 --max-memory 8M -e 'local t = {} for i = 1, 1e8 do t[i] = {i} end'
expect_rc "too much memory: exit 4" 4
expect_err "the memory limit is named" "memory limit"

run --seed 2 --max-memory 8M -e 'print(pcall(function() local t = {} for i = 1, 1e8 do t[i] = {i} end end)); print("goes on")'
expect_rc "a memory limit hit inside pcall still ends the run: exit 4" 4

run --seed 2 -e 'local ts = require "tsbox"; ts.Queue(0, "jobs"):get()'
expect_rc "a get on a queue nobody fills is a deadlock" 3
expect_err "the report points at the user's line, not into the toolbox" "waits for Condition \"jobs.not_empty\"   at (command line):1"

run --sched os --timeout 0.3 -e 'while true do end'
expect_rc "the wall-clock timeout: exit 4" 4
expect_err "the timeout is named" "timeout"

run --seed 1 --json "$T/one.json" -e 'local l = tsbox.Lock("vault"); tsbox.check(false, "first"); l:acquire(); l:acquire()'
expect_rc "a run with a failed check and then a deadlock exits with the first failure's status" 1
expect_err "both failures are reported: the check" "check failed"
expect_err "both failures are reported: the deadlock" "deadlock: 1 of 1 threads blocked"
if python3 - "$T/one.json" <<'P'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["runs"] == 1 and r["sched"] == "random" and r["seed_first"] == 1
kinds = [f["kind"] for f in r["failures"]]
assert kinds == ["check", "deadlock"], kinds
assert r["failures"][0]["thread"] == "MainThread" and r["failures"][0]["message"] == "first"
assert r["first_failure"] == {"run": 1, "kind": "check", "replay": "r:0x1"}
P
then pass "--json of a single run lists each failure with kind, thread, position, message and replay"
else fail "--json of a single run lists each failure with kind, thread, position, message and replay"; fi

run --seed 4 --trace -e 'local ts = require "tsbox"
local l = ts.Lock("vault")
local t = ts.Thread{name = "teller-1", target = function() l:with(function() ts.sleep(1) end) end}
t:start(); t:join()'
expect_rc "--trace does not change the exit status" 0
expect_err "--trace shows a thread start" "MainThread       start    teller-1"
expect_err "--trace shows an acquire with the lock's kind, name and position" "acquire  Lock \"vault\""
expect_err "--trace shows the sleep's end on the virtual clock" "sleep until 1.000"
expect_err "--trace shows the join wait" "block    Thread \"teller-1\""

lua lost.lua <<'L'
local ts = require "tsbox"
local counter = 0
local function work() for _ = 1, 50 do counter = counter + 1 end end
local a, b = ts.spawn(work), ts.spawn(work)
a:join(); b:join()
print("counter", counter)
L
run --seed 3 "$T/lost.lua"; cp "$T/out" "$T/plain.out"; cp "$T/err" "$T/plain.err"
run --seed 3 --timeline "$T/lost.json" "$T/lost.lua"
if cmp -s "$T/out" "$T/plain.out" && cmp -s "$T/err" "$T/plain.err"; then pass "--timeline does not change the run"
else fail "--timeline does not change the run"; fi
if python3 - "$T/lost.json" <<'P'
import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
lines = [e for e in ev if e.get("cat") == "line" and e["args"].get("at", "").endswith("lost.lua:3")]
pre = [e for e in ev if e.get("cat") == "preempt" and e["args"].get("at", "").endswith("lost.lua:3")]
assert {2, 3} <= {e["tid"] for e in lines}, "both workers' lines"
assert pre, "a preemption inside the counter's line"
P
then pass "the timeline shows both workers' lines and a preemption inside counter = counter + 1"
else fail "the timeline shows both workers' lines and a preemption inside counter = counter + 1"; fi

finish
