-- Two threads each add one to a shared global, without a lock: the
-- smallest lost update. tests/explain.sh draws it with --explain.
local ts = require "tsbox"
-- luacheck: globals x
x = 0
local function bump() x = x + 1 end
local a = ts.Thread{target = bump, name = "a"}
local b = ts.Thread{target = bump, name = "b"}
a:start(); b:start(); a:join(); b:join()
ts.check(x == 2, "lost update: x is " .. x)
