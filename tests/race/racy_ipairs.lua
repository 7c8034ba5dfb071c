-- expect: race index 2 of list
-- Each step of ipairs reads the next element: a walk racing with an
-- update of the list sums what the order decides.
local ts = require "tsbox"
local list = { 1, 2, 3 }
local sum = 0
local reader = ts.spawn(function() for _, v in ipairs(list) do sum = sum + v end end)
local writer = ts.spawn(function() list[2] = 10 end)
reader:join(); writer:join()
ts.check(sum == 6, "the walk saw the update made meanwhile: sum " .. sum)
