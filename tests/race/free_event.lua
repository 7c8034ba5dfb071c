-- expect: silent
-- Publish, then Event:set(); the reader waits, then reads.
local ts = require "tsbox"
local ev = ts.Event("published")
local data
local writer = ts.spawn(function()
  data = { answer = 42 }
  ev:set()
end)
local reader = ts.spawn(function()
  ev:wait()
  return data.answer
end)
writer:join(); reader:join()
print(reader.result[1])
