-- fuzz regression: a NaN timeout reaches sched_deadline() (src/sched.c:430),
-- which casts NaN to int64_t: undefined behaviour (UBSan: "nan is outside the
-- range of representable values of type 'long'"). In the release build
-- ts.sleep(0/0) then blocks forever (reported as a deadlock, exit 3) and
-- Barrier(2, nil, 0/0) waits forever. Python raises ValueError for NaN.
--   ./tsbox-asan --seed 1 tests/fuzz_regress/nan_timeout.lua
-- Expected: every pcall returns (false, ValueError ...) or a poll result; exit 0.
local ts = require "tsbox"
local nan = 0/0
print(pcall(ts.sleep, nan))
print(pcall(ts.Lock().acquire, ts.Lock(), true, nan))
print(pcall(ts.Event().wait, ts.Event(), nan))
print(pcall(ts.Semaphore(0).acquire, ts.Semaphore(0), true, nan))
local c = ts.Condition()
print(pcall(c.with, c, function() return c:wait(nan) end))
print(pcall(function() return ts.Barrier(2, nil, nan):wait() end))
print(pcall(function() return ts.Barrier(2):wait(-(0/0)) end))
