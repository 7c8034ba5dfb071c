-- expect: silent
-- The same point unpacked and moved, each under one lock: never torn.
local ts = require "tsbox"
local point = { 0, 0 }
local lock = ts.Lock("point")
local x, y
local reader = ts.spawn(function() lock:with(function() x, y = table.unpack(point, 1, 2) end) end)
local writer = ts.spawn(function() lock:with(function() point[1] = 1; point[2] = 1 end) end)
reader:join(); writer:join()
ts.check(x == y, string.format("a torn point: (%d, %d)", x, y))
