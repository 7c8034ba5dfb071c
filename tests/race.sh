# --race (SPEC §5): every scenario of tests/race/ under several seeds and
# rr. Each scenario's first lines say what --race must find:
#   -- expect: race LOCATION         exit 1, "data race on LOCATION"
#   -- expect: lock-order TEXT       exit 1, a lock-order inversion naming TEXT
#   -- expect: silent                exit 0, no report
# Then the report's shape, the replay command, --runs grouping, JSON kinds,
# and that --race never changes the run it watches.
. "$(dirname "$0")/lib.sh"

# check NAME EXPECT: judge the last run against an expect line.
check() {
  case "$2" in
    silent)
      if [ "$rc" = 0 ] && ! grep -q "data race\|lock-order" "$T/err"; then pass "$1: silent"
      else fail "$1: silent" "exit $rc" "stderr: $(head -c 800 "$T/err")"; fi ;;
    race\ *)
      if [ "$rc" = 1 ] && grep -qF -- "data race on ${2#race }" "$T/err"; then pass "$1: ${2}"
      else fail "$1: $2" "exit $rc" "stderr: $(head -c 800 "$T/err")"; fi ;;
    lock-order\ *)
      if [ "$rc" = 1 ] && grep -q "^tsbox: lock-order inversion: " "$T/err" && grep -qF -- "${2#lock-order }" "$T/err"; then pass "$1: $2"
      else fail "$1: $2" "exit $rc" "stderr: $(head -c 800 "$T/err")"; fi ;;
    *) fail "$1: unknown expectation '$2'" ;;
  esac
}

for f in tests/race/*.lua; do
  want=$(sed -n 's/^-- expect: //p' "$f" | head -1)
  name=$(basename "$f" .lua)
  for s in 1 2 3 4 5; do
    run --race --seed "$s" "$f"
    check "$name (seed $s)" "$want"
  done
  run --race --sched rr "$f"
  check "$name (rr)" "$want"
done

# Without --race nothing is reported: the racy counter just runs.
run --seed 1 tests/race/racy_global_counter.lua
if [ "$rc" = 0 ] && ! grep -q "data race" "$T/err"; then pass "without --race a racy script exits 0 and reports nothing"
else fail "without --race a racy script exits 0 and reports nothing" "exit $rc"; fi

# The report as SPEC §5 shows it.
run --race --seed 7 tests/race/racy_upvalue_balance.lua
expect_rc "a race fails the run with exit 1" 1
expect_err "the header names the location, seed, scheduler and step" 'tsbox: data race on upvalue "balance" (seed 0x7, sched random, step '
if grep -Eq '^  (write|read ) by "(alice|bob)" +at tests/race/racy_upvalue_balance.lua:6 \(balance (<-|->) (100|0)\), holding no locks$' "$T/err"; then
  pass "each access gives thread, line, value and the locks held"
else fail "each access gives thread, line, value and the locks held" "$(head -c 800 "$T/err")"; fi
expect_err "the report says that nothing orders them" "  nothing orders them: no common lock, no join, Event or Queue between them"
expect_err "the replay command keeps --race" "  replay: tsbox --race --replay r:0x7 tests/race/racy_upvalue_balance.lua"
expect_err "the run's summary counts the race" "tsbox: run failed: 1 data race (seed 0x7"
grep -v "step" "$T/err" > "$T/first"
run --race --replay r:0x7 tests/race/racy_upvalue_balance.lua
grep -v "step" "$T/err" > "$T/second"
if cmp -s "$T/first" "$T/second"; then pass "the replay command gives the same report"
else fail "the replay command gives the same report" "$(diff "$T/first" "$T/second" | head -5)"; fi

run --race --seed 3 tests/race/racy_reader_unlocked.lua
expect_err "a locked access says which lock it held" 'holding Lock "gauge"'
run --race --seed 2 tests/race/racy_local_table_field.lua
expect_err "a table is named by its variable and where it was made" \
  'field "savings" of account (table created at tests/race/racy_local_table_field.lua:4)'
run --race --seed 2 tests/race/racy_append.lua
expect_err "t[#t+1] = x names the length" 'data race on length of log (table created at'
# A walk that ends at an absent element reads the set of keys (not a slot
# per absent index): an append racing with it is reported there, or on
# the new slot when the append comes first and the walk reads it.
run --race --seed 1 tests/bugs/walk_during_append.lua
expect_err "ipairs reaching the end of a list appended to meanwhile races on its keys" \
  'data race on the set of keys of list (table created at tests/bugs/walk_during_append.lua:4)'
run --race --sched rr tests/bugs/walk_during_append.lua
expect_err "an ipairs step reading the appended element races on its slot" 'data race on index 4 of list'
# string.gsub with a table: the key a match looks up and finds absent is a
# read of the set of keys, which adding it writes.
lua gsub_absent.lua <<'L'
local ts = require "tsbox"
local vars = {}
local reader = ts.spawn(function() return ("hi $who"):gsub("%$(%w+)", vars) end)
local writer = ts.spawn(function() vars.who = "ann" end)
reader:join(); writer:join()
L
run --race --seed 1 "$T/gsub_absent.lua"
expect_err "a gsub lookup of a key added meanwhile races on the set of keys" "data race on the set of keys of vars"
# A library function run by pcall is seen as if called directly.
lua pcall_sort.lua <<'L'
local ts = require "tsbox"
local scores = { 3, 9, 5 }
local reader = ts.spawn(function() return scores[2] end)
local sorter = ts.spawn(function() assert(pcall(table.sort, scores)) end)
reader:join(); sorter:join()
L
run --race --seed 1 "$T/pcall_sort.lua"
expect_err "pcall(table.sort, t) writes the elements of t" "data race on index 2 of scores"
run --race --seed 1 tests/race/racy_global_counter.lua
nrep=$(grep -c "^tsbox: data race" "$T/err")
if [ "$nrep" -ge 1 ] && [ "$nrep" -le 3 ]; then pass "each pair of source positions is reported once per run ($nrep reports for 40 updates)"
else fail "each pair of source positions is reported once per run" "$nrep reports"; fi

# Lock order: every lock and where each edge was taken.
run --race --seed 1 tests/race/order_two_locks.lua
expect_err "a lock-order report names the cycle" 'tsbox: lock-order inversion: Lock "a" -> Lock "b" -> Lock "a"'
expect_err "it says where the first edge was taken" 'took Lock "b" while holding Lock "a"   at tests/race/order_two_locks.lua:7'
expect_err "and the second" 'took Lock "a" while holding Lock "b"   at tests/race/order_two_locks.lua:11'
expect_err "the lock-order replay keeps --race" "  replay: tsbox --race --replay r:0x1 tests/race/order_two_locks.lua"

# JSON kinds.
run --race --seed 1 --json "$T/r.json" tests/race/racy_global_counter.lua
if grep -q '"kind": "race"' "$T/r.json"; then pass "JSON: kind race"; else fail "JSON: kind race" "$(cat "$T/r.json")"; fi
run --race --seed 1 --json "$T/o.json" tests/race/order_three_locks.lua
if grep -q '"kind": "lock-order"' "$T/o.json"; then pass "JSON: kind lock-order"; else fail "JSON: kind lock-order" "$(cat "$T/o.json")"; fi

# Exploration groups races by their pair of positions, each with a replay.
lua two_races.lua <<'L'
local ts = require "tsbox"
local a, b = 0, 0
local t1 = ts.spawn(function() a = a + 1 end)
local t2 = ts.spawn(function() a = a + 1 end)
t1:join(); t2:join()
local t3 = ts.spawn(function() b = b + 1 end)
b = b + 1
t3:join()
L
run --race --runs 30 --seed 1 -j 2 "$T/two_races.lua"
expect_rc "an exploration with races exits 1" 1
# Whichever thread comes first, the pair (lines 3 and 4) is one group.
if [ "$(grep -c '^  race ' "$T/err")" = 1 ] && grep -q '^  race  *30 runs, first run 1: upvalue "a" (.*two_races.lua:3, .*two_races.lua:4)$' "$T/err"; then
  pass "--runs groups races by their pair of source positions"
else fail "--runs groups races by their pair of source positions" "$(cat "$T/err")"; fi
expect_err "each group has a replay command with --race" "    replay: tsbox --race --replay r:0x"
run --race --runs 10 --seed 1 --shard 1/2 --json "$T/s1.json" tests/race/racy_global_counter.lua
run --race --runs 10 --seed 1 --shard 2/2 --json "$T/s2.json" tests/race/racy_global_counter.lua
run merge "$T/s1.json" "$T/s2.json"
expect_err "merged shards keep --race in a race's replay command" \
  "    replay: tsbox --race --replay r:0x1 tests/race/racy_global_counter.lua"

# The timeline shows the racing accesses: each race names two instants
# (a read or a write) of the racing location, on the two threads.
run --race --seed 1 --timeline "$T/race.json" scripts/race.lua
if python3 - "$T/race.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ev = {e["args"]["seq"]: e for e in d["traceEvents"] if e.get("ph") == "i"}
races = d["otherData"]["races"]
assert races, "no races recorded"
for r in races:
    a, b = ev[r["a"]], ev[r["b"]]
    assert {a["cat"], b["cat"]} <= {"read", "write"} and "write" in (a["cat"], b["cat"]), (a, b)
    assert a["tid"] != b["tid"] and a["tid"] == r["a_tid"] and b["tid"] == r["b_tid"]
assert any(r["what"] == 'data race on global "balance"' for r in races)
accs = [e for e in d["traceEvents"] if e.get("cat") in ("read", "write")]
assert all(e["name"].split()[1] in ("balance", "counter") for e in accs), "a location that did not race is drawn"
PY
then pass "timeline JSON: each race joins a read or write of the location on two threads"
else fail "timeline JSON: each race joins a read or write of the location on two threads"; fi
run --seed 1 --timeline "$T/lock.json" scripts/lock.lua
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); ev=d["traceEvents"]
n=sum(1 for e in ev if e.get("cat")=="lock" and e["ph"]=="b" and " holds Lock " in e["name"])
sys.exit(0 if n and n==sum(1 for e in ev if e.get("cat")=="acquire") else 1)' "$T/lock.json"; then
  pass "timeline JSON: a lock-held slice per holding, for Perfetto"
else fail "timeline JSON: a lock-held slice per holding, for Perfetto"; fi
if command -v chromium > /dev/null 2>&1; then
  run --race --seed 1 --timeline "$T/race.html" scripts/race.lua
  prof=$(mktemp -d "$T/profile.XXXXXX")
  timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$prof" \
    --dump-dom "file://$T/race.html" > "$T/race.dom" 2> /dev/null
  if grep -q 'data-ok="1"' "$T/race.dom" && grep -q 'class="raceline"' "$T/race.dom" &&
     grep -q 'class="acc-read"' "$T/race.dom" && grep -q 'class="acc-write"' "$T/race.dom" &&
     grep -q '<b>data race on global "balance"</b>' "$T/race.dom"; then
    pass "the HTML timeline draws reads, writes, the red race line and a banner naming the variable"
  else fail "the HTML timeline draws reads, writes, the red race line and a banner naming the variable" \
    "$(grep -o '<div id="status"[^>]*>' "$T/race.dom")"; fi
else
  n=$((n + 1)); echo "ok $n # SKIP chromium not available"
fi

# --race watches the run without changing it: the same schedule (trace)
# and the same output, seed after seed.
same=0
for s in 1 2 3 4 5 6; do
  for f in scripts/race.lua scripts/pool.lua tests/race/racy_coroutine.lua tests/race/free_queue_handoff.lua \
           tests/race/free_proxy_view.lua tests/race/free_gsub_locked.lua; do
    "$TSBOX" --seed "$s" --trace "$f" > "$T/a" 2>&1
    "$TSBOX" --seed "$s" --trace --race "$f" > "$T/b" 2>&1
    grep -a '^    [0-9]' "$T/a" > "$T/ta"; grep -a '^    [0-9]' "$T/b" > "$T/tb"
    "$TSBOX" --seed "$s" "$f" > "$T/oa" 2>/dev/null
    "$TSBOX" --seed "$s" --race "$f" > "$T/ob" 2>/dev/null
    if cmp -s "$T/ta" "$T/tb" && cmp -s "$T/oa" "$T/ob"; then same=$((same + 1))
    else echo "# differs: seed $s $f"; fi
  done
done
if [ "$same" = 36 ]; then pass "--race leaves the schedule and the output unchanged (6 seeds x 6 scripts)"
else fail "--race leaves the schedule and the output unchanged" "$same of 36 identical"; fi

finish
