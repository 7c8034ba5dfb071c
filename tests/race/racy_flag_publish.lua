-- expect: race upvalue "ready"
-- Data published through a plain boolean flag (no Event): nothing orders
-- the reader's use of the data after the writer's store.
local ts = require "tsbox"
local data, ready = nil, false
local producer = ts.spawn(function()
  data = { answer = 42 }
  ready = true
end)
local consumer = ts.spawn(function()
  while not ready do ts.yield() end
  return data.answer
end)
producer:join(); consumer:join()
print(consumer.result[1])
