-- expect: race upvalue "data"
-- A write after Event:set(): the waiter is ordered after the set only.
local ts = require "tsbox"
local ev = ts.Event("published")
local data = 0
local writer = ts.spawn(function()
  data = 1
  ev:set()
  data = 2
end)
local reader = ts.spawn(function()
  ev:wait()
  return data
end)
writer:join(); reader:join()
print(reader.result[1])
