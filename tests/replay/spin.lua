-- Two threads increment one shared global many times: a schedule that
-- switches at every access is a dfs token of thousands of choices
-- (tests/replay.sh).
local ts = require "tsbox"
-- luacheck: globals x
x = 0
local function spin() for _ = 1, 3000 do x = x + 1 end end
local a = ts.Thread{target = spin, name = "a"}
local b = ts.Thread{target = spin, name = "b"}
a:start(); b:start(); a:join(); b:join()
print(x)
ts.check(x == 6000, "lost updates: x is " .. x)
