-- Check-then-act with a ts.yield() between the check and the act: the
-- switch there is no preemption, and --explain draws it as a yield.
local ts = require "tsbox"
-- luacheck: globals balance
balance = 100
local function w() local b = balance; if b >= 100 then ts.yield(); balance = balance - 100 end end
local a, b = ts.spawn(w), ts.spawn(w)
a:join(); b:join()
ts.check(balance >= 0, "overdrawn")
