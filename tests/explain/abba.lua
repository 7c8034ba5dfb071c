-- Two threads take two locks in opposite orders: a deadlock.
-- tests/explain.sh draws each thread's acquisitions and its last wait.
local ts = require "tsbox"

local a, b = ts.Lock("a"), ts.Lock("b")
local function take(first, second)
  return function()
    first:acquire()
    second:acquire()
    second:release()
    first:release()
  end
end
local t1 = ts.Thread{name = "t1", target = take(a, b)}
local t2 = ts.Thread{name = "t2", target = take(b, a)}
t1:start(); t2:start(); t1:join(); t2:join()
