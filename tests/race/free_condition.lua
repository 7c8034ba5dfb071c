-- expect: silent
-- Condition producer/consumer with wait_for.
local ts = require "tsbox"
local cond = ts.Condition(nil, "items")
local items = {}
local consumer = ts.spawn(function()
  local got = 0
  for _ = 1, 3 do
    cond:acquire()
    cond:wait_for(function() return #items > 0 end)
    got = got + table.remove(items, 1)
    cond:release()
  end
  return got
end)
for i = 1, 3 do
  cond:acquire()
  items[#items + 1] = i
  cond:notify()
  cond:release()
end
consumer:join()
print(consumer.result[1])
