# Determinism (SPEC §1): same seed, same script, same binary: the same run,
# byte for byte; different seeds explore different interleavings.
. "$(dirname "$0")/lib.sh"

lua racy.lua <<'L'
local ts = require "tsbox"
counter = 0   -- luacheck: ignore
local function work() for _ = 1, 200 do counter = counter + 1 end end
local a, b = ts.spawn(work), ts.spawn(work)
a:join(); b:join()
local keys = {}
local t = {}
for i = 1, 12 do t["k" .. i] = i; t[{}] = i end
for k in pairs(t) do keys[#keys + 1] = tostring(k) end
print("counter=" .. counter)
print(table.concat(keys, " "))
print(tostring(work), tostring({}), os.time(), os.clock(), math.random(1000000), ts.time())
io.stderr:write("stderr too ", tostring({}), "\n")
L

same=0; values=""
for s in $(seq 1 20); do
  run --seed "$s" "$T/racy.lua"; cat "$T/out" "$T/err" > "$T/a"
  run --seed "$s" "$T/racy.lua"; cat "$T/out" "$T/err" > "$T/b"
  cmp -s "$T/a" "$T/b" && same=$((same + 1))
  values="$values $(head -1 "$T/out")"
done
if [ "$same" = 20 ]; then pass "20 seeds: two runs each give byte-identical stdout and stderr"
else fail "20 seeds: two runs each give byte-identical stdout and stderr" "$same of 20 identical"; fi

distinct=$(echo "$values" | tr ' ' '\n' | grep . | sort -u | wc -l)
if [ "$distinct" -gt 1 ]; then pass "across seeds the racy counter takes more than one value ($distinct)"
else fail "across seeds the racy counter takes more than one value" "values:$values"; fi
if echo "$values" | tr ' ' '\n' | grep -q . && ! echo "$values" | tr ' ' '\n' | grep . | grep -qvx "counter=400"; then
  fail "some seed loses an update" "values:$values"
else pass "some seed loses an update"; fi

run --seed 7 "$T/racy.lua"; cp "$T/out" "$T/a"
run --replay r:0x7 "$T/racy.lua"
if cmp -s "$T/a" "$T/out"; then pass "--seed 7 and --replay r:0x7 give the same run"
else fail "--seed 7 and --replay r:0x7 give the same run" "$(diff "$T/a" "$T/out" | head -4)"; fi

FILLER=$(printf '%2000s' x) run --seed 7 "$T/racy.lua"
if cmp -s "$T/a" "$T/out"; then pass "the environment does not change the run"
else fail "the environment does not change the run" "$(diff "$T/a" "$T/out" | head -4)"; fi

run --sched rr "$T/racy.lua"; cp "$T/out" "$T/a"
run --sched rr "$T/racy.lua"
if cmp -s "$T/a" "$T/out"; then pass "rr runs are deterministic without a seed"
else fail "rr runs are deterministic without a seed"; fi

run --seed 7 --quantum 3 "$T/racy.lua"; cp "$T/out" "$T/a"
run --replay r:0x7:q3 "$T/racy.lua"
if cmp -s "$T/a" "$T/out"; then pass "the replay token carries a non-default quantum"
else fail "the replay token carries a non-default quantum"; fi

run --seed 7 -e 'print(os.time(), os.clock(), tsbox.time()); tsbox.sleep(2); print(os.time(), tsbox.time() >= 2)'
expect_out "os.time follows the virtual clock" "1700000002	true"

run --seed 3 -e 'print(io.stdout, io.stderr, io.open("/dev/null"))'; cp "$T/out" "$T/a"
run --seed 3 -e 'print(io.stdout, io.stderr, io.open("/dev/null"))'
if cmp -s "$T/a" "$T/out" && grep -q '^file (0x' "$T/out"; then pass "tostring of a file handle is the same in every run"
else fail "tostring of a file handle is the same in every run" "$(cat "$T/a")" "$(cat "$T/out")"; fi
run -e 'local f = io.open("/dev/null"); f:close(); print(f)'
expect_out "a closed file prints as lua prints it" "file (closed)"

finish
