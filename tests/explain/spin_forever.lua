-- A thread spins on a shared global until a limit ends the run.
local ts = require "tsbox"
-- luacheck: globals x
x = 0; local t = ts.spawn(function() while true do x = x + 1 end end); t:join()
