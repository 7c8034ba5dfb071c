-- expect: silent
-- A Timer joined before the read; data written before start.
local ts = require "tsbox"
local state = { fired = false, delay = 0.5 }
local t = ts.Timer(state.delay, function() state.fired = true end)
t:start()
t:join()
print(state.fired)
