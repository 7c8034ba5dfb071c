-- fuzz regression: sched_deadline() adds timeout*1e9 to the clock without an
-- overflow check (src/sched.c:430: "signed integer overflow: 8000000000000010000
-- + 8000000000000000000"). Timeouts below the 9e9 s "forever" cut-off are
-- accepted, and under the virtual clock the first sleep moves now to 8e18 ns.
--   ./tsbox-asan --seed 1 tests/fuzz_regress/deadline_overflow.lua
-- Expected: no UB; deadlines saturate (5c312cc: a far deadline is "forever",
-- so the second sleep is reported as a deadlock, exit 3).
local ts = require "tsbox"
ts.sleep(8e9)
print(ts.time())
ts.sleep(8e9)
print(ts.time())
print(ts.Event():wait(8.9e9))
