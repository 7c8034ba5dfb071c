# Memory bounds (issue 12): --max-memory bounds the process's real memory,
# and memory a script frees is not kept for one size class alone.
. "$(dirname "$0")/lib.sh"

# Fill ~18 MB with strings of one size, drop them, collect, next size: 32
# sizes. Only one size is alive at a time. The script reports the peak
# resident size of its own process and where a fresh table lands.
lua churn.lua <<'L'
for k = 1, 32 do
  local size = 24 + 40 * k
  local t = {}
  local base = string.rep("x", size - 8)
  for i = 1, (18 * 1024 * 1024) // size do t[i] = base .. string.format("%08d", i) end
  t = nil   -- luacheck: no unused
  collectgarbage()
end
local peak
for line in io.lines("/proc/self/status") do
  peak = peak or tonumber(line:match("^VmHWM:%s*(%d+) kB"))
end
print("peak MB", peak // 1024)
print("fresh", tostring({}))
L
run --seed 1 --max-memory 50M --timeout 120 "$T/churn.lua"
expect_rc "churning through 32 string sizes fits in --max-memory 50M" 0
peak=$(sed -n 's/^peak MB\t//p' "$T/out")
if [ -n "${TSBOX_SANITIZER:-}" ]; then
  pass "# SKIP sanitizer builds use the system allocator and keep a quarantine"
elif [ -n "$peak" ] && [ "$peak" -le 80 ]; then
  pass "the process's peak resident size stays near the limit (${peak} MB)"
else
  fail "the process's peak resident size stays near the limit" "peak: ${peak:-?} MB, limit 50 MB"
fi
grep '^fresh' "$T/out" > "$T/fresh1"
run --seed 1 --max-memory 50M --timeout 120 "$T/churn.lua"
grep '^fresh' "$T/out" > "$T/fresh2"
if [ -s "$T/fresh1" ] && cmp -s "$T/fresh1" "$T/fresh2"; then
  pass "memory given back and reused keeps addresses reproducible"
else
  fail "memory given back and reused keeps addresses reproducible" "$(cat "$T/fresh1" "$T/fresh2")"
fi

# The limit counts pages as blocks reach them, not whole slabs: a small
# limit still holds a small script.
run --seed 1 --max-memory 512K -e 'print("small", collectgarbage("count") < 512)'
expect_rc "a 512K limit holds the base universe" 0
expect_out "and the script runs" "small	true"

# Live data beyond the limit is still refused, whatever its size class.
run --seed 1 --max-memory 20M -e 'local t = {} for i = 1, 1e6 do t[i] = string.rep("y", 200) .. i end'
expect_rc "live strings past --max-memory end the run as a limit" 4

# An exploration's memory does not grow with each run's output: runs that
# print 1 MB each are grouped by a digest, and one sample is kept per
# outcome. The explorer's peak resident size is read while it runs.
lua loud.lua <<'L'
local line = string.rep("abcdefghij", 100) .. "\n"
for _ = 1, 1000 do io.write(line) end
if tsbox.seed() % 4 == 0 then print("the odd one") end
L
"$TSBOX" --seed 1 --runs 200 -j 2 --json "$T/loud.json" "$T/loud.lua" > "$T/out" 2> "$T/err" &
pid=$!
hwm=0
while kill -0 "$pid" 2> /dev/null; do
  h=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status" 2> /dev/null)
  [ -n "$h" ] && hwm=$h
  sleep 0.05
done
wait "$pid"
rc=$?
expect_rc "200 runs printing 1 MB each are explored" 0
if [ -z "${TSBOX_SANITIZER:-}" ] && [ "$hwm" -gt 102400 ]; then
  fail "the explorer's memory does not grow with the runs' output" "peak $((hwm / 1024)) MB"
else
  pass "the explorer's memory does not grow with the runs' output (peak $((hwm / 1024)) MB)"
fi
digests=$(grep -o 'bytes, digest [0-9a-f]*' "$T/loud.json" | sort -u | wc -l)
if grep -q '"runs": 150' "$T/loud.json" && grep -q '"runs": 50' "$T/loud.json" && [ "$digests" = 2 ]; then
  pass "runs still group by their whole output, each group with a sample and its size"
else
  fail "runs still group by their whole output" "$(head -c 600 "$T/loud.json")"
fi

# A failure's message is kept per run too: a long one is cut to a sample.
run --seed 1 --runs 3 -e 'error(string.rep("z", 5000))'
expect_rc "runs that fail with a 5000-byte message are explored" 1
expect_err "the summary shows a sample of the message and its length" "zzz... (50"

finish
