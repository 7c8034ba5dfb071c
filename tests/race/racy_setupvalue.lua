-- expect: race upvalue "n"
-- debug.setupvalue writes a captured local behind the function that reads it.
local ts = require "tsbox"
local n = 0
local function get() return n end
local function w() local v = get(); debug.setupvalue(get, 1, v + 1) end
local a, b = ts.spawn(w), ts.spawn(w)
a:join(); b:join()
ts.check(n == 2, "n=" .. n)
