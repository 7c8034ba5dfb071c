-- expect: race upvalue "level"
-- The writer takes the lock, the reader does not.
local ts = require "tsbox"
local lock = ts.Lock("gauge")
local level = 0
local writer = ts.spawn(function()
  for i = 1, 5 do lock:with(function() level = i end) end
end)
local reader = ts.spawn(function()
  local seen = 0
  for _ = 1, 5 do seen = seen + level end
  return seen
end)
writer:join(); reader:join()
print(level)
