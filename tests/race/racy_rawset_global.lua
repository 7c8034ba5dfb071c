-- expect: race global "cnt"
-- rawset on _G writes a global.
local ts = require "tsbox"
-- luacheck: globals cnt
cnt = 0
local function w() local v = rawget(_G, "cnt"); rawset(_G, "cnt", v + 1) end
local a, b = ts.spawn(w), ts.spawn(w)
a:join(); b:join()
ts.check(cnt == 2, "cnt=" .. cnt)
