-- fuzz regression (hostile script, lower priority): debug.sethook() removes
-- tsbox's count hook from the calling coroutine, so that thread is never
-- preempted again; --max-steps cannot fire, the virtual clock stops, and
-- without --timeout the run never ends. With --timeout 3 it ends after ~4 s,
-- exit 4, saying "no thread was running Lua code" although one was.
--   ./tsbox --seed 1 --max-steps 100000 tests/fuzz_regress/sethook_runaway.lua   (hangs)
-- Expected: the step limit (exit 4), or debug.sethook refused (5c312cc: exit 1).
local ts = require "tsbox"
debug.sethook()
local t0 = ts.time()
while ts.time() < t0 + 0.01 do end
print("done")
