-- coroutines.lua: what the coroutine library says of a started thread's
-- coroutine, from the thread itself and from another thread while it is
-- preempted. It must say what it says of a coroutine running a C call
-- (as before threads could leave their POSIX threads): it cannot yield,
-- and nobody else may resume or close it.
local ts = require "tsbox"

local busy_co
local spinning = true
local busy = ts.spawn(function()
  busy_co = coroutine.running()
  print("own isyieldable", coroutine.isyieldable(), coroutine.isyieldable(busy_co))
  print("own status", coroutine.status(busy_co))
  print("own resume", coroutine.resume(busy_co))
  print("own close", pcall(coroutine.close, busy_co))
  print("yield", pcall(coroutine.yield, 1))
  local inner = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end)
  print("inner coroutine", inner(1), inner(5))
  local n = 0
  while spinning do n = n + 1 end
  return n
end)

local other = ts.spawn(function()
  while busy_co == nil do ts.yield() end
  for _ = 1, 50 do
    local x = 0
    for i = 1, 200 do x = x + i end
    print("other sees", coroutine.status(busy_co), coroutine.isyieldable(busy_co))
    print("other resume", coroutine.resume(busy_co))
    print("other close", pcall(coroutine.close, busy_co))
    if x < 0 then break end
  end
  spinning = false
end)
other:join()
busy:join()
print("after", coroutine.status(busy_co), coroutine.resume(busy_co))
