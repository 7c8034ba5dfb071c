-- expect: race upvalue "count"
-- One counter guarded by two different locks: each thread takes its own.
local ts = require "tsbox"
local count = 0
local function bump(lock)
  for _ = 1, 5 do
    lock:acquire()
    count = count + 1
    lock:release()
  end
end
local a = ts.spawn(bump, ts.Lock("a"))
local b = ts.spawn(bump, ts.Lock("b"))
a:join(); b:join()
print(count)
