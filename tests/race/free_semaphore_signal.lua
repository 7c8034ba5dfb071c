-- expect: silent
-- Semaphore(0) as a signal: release after writing, acquire before reading.
local ts = require "tsbox"
local ready = ts.Semaphore(0, "ready")
local box = {}
local writer = ts.spawn(function()
  box.value = 7
  ready:release()
end)
ready:acquire()
print(box.value)
writer:join()
