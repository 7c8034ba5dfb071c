-- A worker that finds the service closed returns without releasing its
-- slot; whether it does depends on when it looks, and the main thread
-- then waits forever to collect every slot.
local ts = require "tsbox"

local slots = ts.Semaphore(2)
local service = ts.shared({ closed = false }, "service")
local function worker()
  slots:acquire()
  if service.closed then return end   -- the leak: no release on this path
  slots:release()
end
local maintenance = ts.Thread{name = "maintenance", target = function()
  service.closed = true
  service.closed = false
end}
local w1 = ts.Thread{name = "worker-1", target = worker}
local w2 = ts.Thread{name = "worker-2", target = worker}
w1:start(); maintenance:start(); w2:start()
w1:join(); maintenance:join(); w2:join()
slots:acquire(); slots:acquire()      -- every slot back
