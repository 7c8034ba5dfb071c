-- expect: lock-order Lock "a" -> Lock "b" -> Lock "a"
-- Two locks taken in opposite orders; one thread sleeps a virtual second
-- first, so this run never deadlocks, and the inversion is still reported.
local ts = require "tsbox"
local a, b = ts.Lock("a"), ts.Lock("b")
local t1 = ts.spawn(function()
  a:acquire(); b:acquire(); b:release(); a:release()
end)
local t2 = ts.spawn(function()
  ts.sleep(1)
  b:acquire(); a:acquire(); a:release(); b:release()
end)
t1:join(); t2:join()
print("done")
