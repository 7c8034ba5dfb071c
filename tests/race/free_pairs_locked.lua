-- expect: silent
-- The same walk and insertion, each under one lock: ordered, no race.
local ts = require "tsbox"
local reg = ts.shared({ a = 1 }, "registry")
local lock = ts.Lock()
local seen = 0
local reader = ts.spawn(function()
  lock:acquire()
  for _ in pairs(reg) do seen = seen + 1 end
  lock:release()
end)
local writer = ts.spawn(function() lock:acquire(); reg.b = 2; lock:release() end)
reader:join(); writer:join()
ts.check(seen >= 1, "the walk saw nothing")
