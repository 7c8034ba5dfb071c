-- expect: race upvalue "counter"
-- Accesses inside a coroutine run by a thread count for that thread.
local ts = require "tsbox"
local counter = 0
local a = ts.spawn(function()
  local co = coroutine.wrap(function()
    for _ = 1, 3 do
      counter = counter + 1
      coroutine.yield()
    end
  end)
  for _ = 1, 3 do co() end
end)
local b = ts.spawn(function() counter = counter + 10 end)
a:join(); b:join()
print(counter)
