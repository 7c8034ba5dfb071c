-- spin_threads.lua: T threads (default 8) in `while true do x = x + 1 end`
-- on one global, the loop of issue 12: every thread is always runnable, and
-- only the step guard ends the run (run it with --max-steps; it exits 4).
-- bench/handoff.sh times it from outside for T = 2, 4, 8 and 16.
--
-- usage: tsbox --max-steps N [flags] bench/spin_threads.lua [T]
local ts = require "tsbox"

local T = math.tointeger(tonumber(arg[1])) or 8

-- luacheck: globals x
x = 0
for _ = 1, T do
  ts.spawn(function()
    while true do x = x + 1 end
  end)
end
