-- fuzz-options: --race
-- fuzz regression: under --race a write to t[math.mininteger] checked
-- whether t[i - 1] was present (is i the new border element?), and i - 1
-- overflowed (UBSan: "signed integer overflow: -9223372036854775808 - 1").
-- Only 1 .. maxinteger - 1 can be a border element. Odd keys of every kind,
-- written and read by two threads in turn (joined), end cleanly and silently.
--   ./tsbox-asan --race --seed 1 tests/fuzz_regress/race_odd_keys.lua
-- Expected: exit 0, no report.
local ts = require "tsbox"
local t = {}
local long = string.rep("k", 60)
local keys = { math.mininteger, math.maxinteger, 0, -1, 2^53, 1.5, -0.0, true, false, long, t, print }
local function touch()
  for _, k in ipairs(keys) do
    t[k] = k
    local _ = t[k]
    t[k] = nil
  end
  t[math.maxinteger] = 1
  table.insert(t, 1)
  table.remove(t)
end
ts.spawn(touch):join()
ts.spawn(touch):join()
print("ok", t[math.maxinteger])
