-- expect: silent
-- Objects handed over through a Queue and mutated by the taker.
local ts = require "tsbox"
local q = ts.Queue(2)
local producer = ts.spawn(function()
  for i = 1, 5 do
    local order = { id = i, done = false }
    q:put(order)
  end
  q:put(false)
end)
local done = {}
local consumer = ts.spawn(function()
  while true do
    local order = q:get()
    if not order then return end
    order.done = true
    done[#done + 1] = order.id
    q:task_done()
  end
end)
producer:join(); consumer:join()
print(#done)
