-- expect: lock-order -> Lock "y" -> Lock "z" ->
-- A cycle of three locks over three threads that never overlap.
local ts = require "tsbox"
local x, y, z = ts.Lock("x"), ts.Lock("y"), ts.Lock("z")
local function nest(first, second, delay)
  return ts.spawn(function()
    ts.sleep(delay)
    first:acquire(); second:acquire(); second:release(); first:release()
  end)
end
local ts_ = { nest(x, y, 0), nest(y, z, 1), nest(z, x, 2) }
for _, t in ipairs(ts_) do t:join() end
print("done")
