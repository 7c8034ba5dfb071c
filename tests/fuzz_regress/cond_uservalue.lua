-- fuzz regression: a Condition keeps a raw `Lock *` (src/cond.c:16) whose
-- userdata is "kept alive by the user value"; debug.setuservalue(c, nil, 1)
-- lets the lock be collected, then c:wait() reads it: heap-use-after-free in
-- lock_owned (src/lock.c:75).
--   ./tsbox-asan --seed 1 tests/fuzz_regress/cond_uservalue.lua
-- Expected: a Lua error, no use after free (5c312cc refuses
-- debug.setuservalue: exit 1).
local ts = require "tsbox"
local c = ts.Condition(ts.Lock())
debug.setuservalue(c, nil, 1)
collectgarbage()
collectgarbage()
for _ = 1, 100 do ts.Lock() end
print(pcall(c.wait, c, 0.01))
print(pcall(c.notify, c))
