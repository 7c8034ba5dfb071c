-- expect: race index 1 of point
-- table.unpack reads the elements it returns: unpacking a point while
-- another thread moves it can give a torn point.
local ts = require "tsbox"
local point = { 0, 0 }
local x, y
local reader = ts.spawn(function() x, y = table.unpack(point) end)
local writer = ts.spawn(function() point[1] = 1; point[2] = 1 end)
reader:join(); writer:join()
ts.check(x == y, string.format("a torn point: (%d, %d)", x, y))
