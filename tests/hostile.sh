# Hostile input at the command line (SPEC §6): binary scripts, damaged
# report files, out-of-range tokens, unwritable reports, signals. Each case
# used to crash, hang or lose output; each must now end with a clear
# message and SPEC's exit status.
. "$(dirname "$0")/lib.sh"

# ---- precompiled chunks ----------------------------------------------------
lua5.4 -e 'io.write(string.dump(function() print("binary ran") end))' > "$T/bin.luac"
run "$T/bin.luac"
expect_rc "a precompiled script is refused (exit 2)" 2
expect_err "a precompiled script is refused with Lua's message" "attempt to load a binary chunk"
if grep -q "binary ran" "$T/out"; then fail "a precompiled script does not run"; else pass "a precompiled script does not run"; fi
printf 'print(pcall(require, "mod"))\n' > "$T/main.lua"
cp "$T/bin.luac" "$T/mod.lua"
run "$T/main.lua"
expect_out "require beside the script refuses a binary module" "attempt to load a binary chunk"

# ---- tsbox merge on damaged or mismatched reports ---------------------------
cat > "$T/m.lua" <<'LUA'
local ts = require "tsbox"
local x = 0
local t = ts.spawn(function() x = x + 1 end)
x = x + 1
t:join()
ts.outcome("x=" .. x)
LUA
"$TSBOX" --seed 5 --runs 20 --shard 1/2 --json "$T/s1.json" "$T/m.lua" 2> /dev/null
"$TSBOX" --seed 5 --runs 20 --shard 2/2 --json "$T/s2.json" "$T/m.lua" 2> /dev/null
run merge "$T/s1.json" "$T/s2.json"
expect_rc "merge of two shards of one exploration works" 0
expect_err "merge of two shards counts every run once" "20 runs of m.lua"
run merge "$T/s1.json" "$T/s1.json" "$T/s2.json"
expect_rc "merge refuses a shard given twice (exit 2)" 2
expect_err "merge says which reports overlap" "cover the same runs"
"$TSBOX" --seed 5 --runs 30 --shard 2/2 --json "$T/s3.json" "$T/m.lua" 2> /dev/null
run merge "$T/s1.json" "$T/s3.json"
expect_rc "merge refuses shards of explorations of another size (exit 2)" 2
expect_err "merge names the mismatch" "different explorations"
"$TSBOX" --seed 9 --runs 20 --shard 2/2 --json "$T/s4.json" "$T/m.lua" 2> /dev/null
run merge "$T/s1.json" "$T/s4.json"
expect_rc "merge refuses shards with another base seed (exit 2)" 2
"$TSBOX" --seed 5 --runs 20 --json "$T/a.json" "$T/m.lua" 2> /dev/null
"$TSBOX" --seed 15 --runs 20 --json "$T/b.json" "$T/m.lua" 2> /dev/null
run merge "$T/a.json" "$T/b.json"
expect_rc "merge refuses explorations whose seeds overlap (exit 2)" 2
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "["; print "" }' > "$T/deep.json"
run merge "$T/deep.json"
expect_rc "merge of 200 000 nested arrays is a clear error (exit 2)" 2
expect_err "merge says the deep file is not a report" "is not a tsbox JSON report"
sed 's/"runs": 10,/"runs": 1e300,/' "$T/s1.json" > "$T/huge.json"
run merge "$T/huge.json" "$T/s2.json"
expect_rc "merge refuses an out-of-range number (exit 2)" 2
expect_err "merge names the damaged field" 'field "runs" is damaged'
printf '{"tsbox": "0.1.0", "script": "\\u12' > "$T/cut.json"
run merge "$T/cut.json"
expect_rc "merge of a report cut inside a \\u escape is a clear error (exit 2)" 2

# ---- reports that run out of memory -----------------------------------------
# With -v a limit report builds each thread's traceback; at the memory limit
# that allocation fails, on whichever OS thread reports. It must fail there.
cat > "$T/bomb.lua" <<'LUA'
local ts = require "tsbox"
local t = ts.spawn(function()
  while true do H = { H } end   -- luacheck: ignore
end)
t:join()
LUA
for s in 1 2 3; do
  run -v --max-memory 4M --seed $s "$T/bomb.lua"
  expect_rc "-v at the memory limit reports the limit (exit 4, seed $s)" 4
done
expect_err "a traceback that cannot be built is a line of the report" "no traceback: not enough memory"

# ---- signals: what the script wrote is flushed, exit 128 + signal -----------
# start_bg ARGS...: runs tsbox in the background; waits (bounded) until the
# script writes "ready" on stderr.
start_bg() {
  rm -f "$T/out" "$T/err"
  "$TSBOX" "$@" > "$T/out" 2> "$T/err" &
  pid=$!
  for _ in $(seq 200); do grep -qs ready "$T/err" && return; sleep 0.05; done
}
cat > "$T/spin.lua" <<'LUA'
for i = 1, 1000 do io.write("line ", i, "\n") end
io.stderr:write("ready\n")
while true do end
LUA
cat > "$T/sleepy.lua" <<'LUA'
for i = 1, 1000 do io.write("line ", i, "\n") end
io.stderr:write("ready\n")
require("tsbox").sleep(1000)
LUA
for case in "TERM 143 spin.lua" "HUP 129 spin.lua" "INT 130 spin.lua" "USR1 138 spin.lua" \
            "TERM 143 sleepy.lua --sched os"; do
  set -- $case
  sig=$1 want=$2 script=$3
  shift 3
  start_bg "$@" "$T/$script"
  kill -s "$sig" "$pid"
  wait "$pid"
  rc=$?
  expect_rc "SIG$sig ends a run of $script with exit $want" "$want"
  lines=$(wc -l < "$T/out")
  if [ "$lines" = 1000 ]; then pass "SIG$sig keeps all 1000 lines $script wrote"
  else fail "SIG$sig keeps all 1000 lines $script wrote" "got $lines"; fi
  expect_err "SIG$sig is named in the report" "interrupted (SIG$sig)"
done

# ---- explorations: interrupted, timed out, os.exit --------------------------
# no_leftovers NAME PATTERN: no process matches PATTERN (the ones found are
# ended, by pid, so that a failing tsbox leaves nothing behind).
no_leftovers() {
  sleep 0.2
  left=$(pgrep -f "$2")
  if [ -z "$left" ]; then pass "$1"; else fail "$1" "left running: $left"; kill $left 2> /dev/null; fi
}
cat > "$T/ex.lua" <<'LUA'
local ts = require "tsbox"
if ts.seed() % 3 == 0 then os.execute("sleep 311.5 & sleep 311.5") end
ts.outcome("ok")
LUA
run --runs 6 --seed 0 --jobs 2 --timeout 1 "$T/ex.lua"
expect_rc "an explored run that hits --timeout makes the exploration exit 4" 4
expect_err "an explored run that hits --timeout is a limit" "timeout: 1 s of wall time (--timeout)"
printf 'if require("tsbox").seed() %% 2 == 1 then os.exit(%s) end\n' 3 > "$T/exit3.lua"
printf 'if require("tsbox").seed() %% 2 == 1 then os.exit(%s) end\n' 4 > "$T/exit4.lua"
for status in 3 4; do
  run --runs 4 --seed 0 --jobs 2 "$T/exit$status.lua"
  expect_rc "os.exit($status) in explored runs makes the exploration fail (exit 1)" 1
  expect_err "os.exit($status) in an explored run is an error" \
    "error          2 runs, first run 2: exited with status $status"
  expect_err "os.exit($status) in an explored run is neither a deadlock nor a limit" "deadlocks: 0   limits hit: 0"
done
no_leftovers "a timed-out run's os.execute children are ended" "sleep 311.5"
cat > "$T/ex2.lua" <<'LUA'
local ts = require "tsbox"
if ts.seed() >= 3 then
  io.open(arg[1] .. "/started", "w"):close()
  os.execute("sleep 313.5")
end
ts.outcome("quick")
LUA
for case in "TERM 143" "INT 130"; do
  set -- $case
  rm -f "$T/started"
  "$TSBOX" --runs 10 --seed 0 --jobs 2 "$T/ex2.lua" "$T" > "$T/out" 2> "$T/err" &
  pid=$!
  for _ in $(seq 200); do [ -e "$T/started" ] && break; sleep 0.05; done
  kill -s "$1" "$pid"
  wait "$pid"
  rc=$?
  expect_rc "SIG$1 ends an exploration with exit $2" "$2"
  # seeds 0-2 are quick, 3 and later block: 2 or 3 runs are done by now
  if grep -qE "not exhausted: interrupted \(SIG$1\) after [23] of 10 runs" "$T/err"; then
    pass "an exploration ended by SIG$1 prints its partial summary"
  else
    fail "an exploration ended by SIG$1 prints its partial summary" "stderr: $(head -c 600 "$T/err")"
  fi
  no_leftovers "SIG$1 to the explorer ends its runs and their children" "sleep 313.5"
done

# ---- dfs tokens and run caps --------------------------------------------------
printf 'local ts = require "tsbox"\nlocal l = ts.Lock()\nl:acquire()\nl:acquire()\n' > "$T/self.lua"
run --replay d:q1 "$T/self.lua"
expect_rc "a dfs token with no choices replays one run (exit 3)" 3
expect_err "a dfs token with no choices replays the deadlock, not an exploration" 'waits for Lock "Lock-1" held by "MainThread"'
printf 'local ts = require "tsbox"\nlocal x = 0\nfor _ = 1, 3 do ts.spawn(function() for _ = 1, 5 do x = x + 1; ts.yield() end end) end\n' > "$T/big.lua"
run --sched dfs --runs 20 "$T/big.lua"
expect_err "a dfs exploration stopped by its run cap says it is not exhausted" "not exhausted: stopped after 20 runs (--runs)"

# ---- out-of-range numbers in replay tokens -------------------------------------
for tok in rr:q4294967296 r:0x1:q2147483648 d:q4294967296 d:q1:1.99999999999 d:q1:4294967296.1 p:1:d17:k5; do
  run --replay "$tok" -e 'print(1)'
  expect_rc "--replay $tok is a usage error (exit 2)" 2
done

# ---- long finite sleeps end ----------------------------------------------------
run -e 'local ts = require "tsbox"; ts.sleep(1e10); for _ = 1, 3 do ts.sleep(8.9e9) end; print("woke")'
expect_rc "ts.sleep(1e10) is not a deadlock" 0
expect_out "ts.sleep(1e10) ends" "woke"
run -e 'local ts = require "tsbox"; local t = ts.spawn(ts.sleep, 1e10); print(t:join())'
expect_rc "a thread sleeping 1e10 s is not a deadlock for its joiner" 0
expect_out "the join of a thread sleeping 1e10 s succeeds" "true"

# ---- reports that cannot be written ---------------------------------------------
for args in "--json /dev/full" "--json $T/no/such/dir/r.json" "--timeline $T/no/such/dir/t.html" \
            "--runs 3 --json /dev/full"; do
  # shellcheck disable=SC2086
  run $args -e 'print(1)'
  expect_rc "tsbox $args: an unwritten report is an error (exit 2)" 2
  expect_err "tsbox $args says it cannot write" "tsbox: cannot write"
done
"$TSBOX" --seed 5 --runs 4 --json "$T/ok.json" -e 'print(1)' 2> /dev/null
run merge --json /dev/full "$T/ok.json"
expect_rc "merge --json /dev/full is an error (exit 2)" 2
run --json /dev/full -e 'error("x")'
expect_rc "a failed run keeps its own exit status when its report cannot be written" 1

# ---- bytes that are not UTF-8, control characters in names ---------------------
cat > "$T/bytes.lua" <<'LUA'
local ts = require "tsbox"
ts.current_thread().name = "bad\255\27[31mname\n"
ts.outcome("o\192\128ut\237\160\128")
local l = ts.Lock("lo\27[2Jck\n")
local t = ts.spawn(function() l:acquire() end)
t:join()
ts.check(false, "m\255sg")
l:acquire()
LUA
cp "$T/bytes.lua" "$T/b$(printf '\377')d.lua"
for script in bytes.lua "b$(printf '\377')d.lua"; do
  run --json "$T/u.json" "$T/$script"
  expect_rc "a run with odd bytes in its names still reports its failed check ($script)" 1
  expect_err "a run with odd bytes in its names still reports its deadlock ($script)" "deadlock: 1 of 1"

  if python3 -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$T/u.json" 2> "$T/py"; then
    pass "--json is valid UTF-8 JSON whatever bytes names, outcomes and messages hold ($script)"
  else
    fail "--json is valid UTF-8 JSON whatever bytes names, outcomes and messages hold ($script)" "$(cat "$T/py")"
  fi
done
expect_out_json() { grep -qF -- "$2" "$T/u.json" && pass "$1" || fail "$1" "json: $(head -c 400 "$T/u.json")"; }
expect_out_json "bytes that are not UTF-8 become U+FFFD in JSON" 'bad\ufffd\u001b[31mname\n'
if grep -q "$(printf '\033')" "$T/err"; then fail "no ESC byte reaches a terminal report"
else pass "no ESC byte reaches a terminal report"; fi
expect_err "control characters in names are escaped in terminal reports" 'lo\x1b[2Jck\n'
run --runs 2 --seed 1 -e 'require("tsbox").outcome("a\27[2Jb")'
if grep -q "$(printf '\033')" "$T/err"; then fail "no ESC byte reaches an exploration summary"
else pass "no ESC byte reaches an exploration summary"; fi

finish
