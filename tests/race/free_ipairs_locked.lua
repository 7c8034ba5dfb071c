-- expect: silent
-- The same walk, update and append under one lock: ordered, no race.
local ts = require "tsbox"
local list = { 1, 2, 3 }
local lock = ts.Lock("list")
local sum = 0
local reader = ts.spawn(function()
  lock:with(function() for _, v in ipairs(list) do sum = sum + v end end)
end)
local writer = ts.spawn(function() lock:with(function() list[2] = 10; list[#list + 1] = 4 end) end)
reader:join(); writer:join()
ts.check(sum == 6 or sum == 18, "the walk summed " .. sum)
