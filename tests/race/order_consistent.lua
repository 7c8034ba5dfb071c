-- expect: silent
-- Consistent order, sequential (non-nested) use, RLock re-entry.
local ts = require "tsbox"
local a, b = ts.Lock("a"), ts.Lock("b")
local r = ts.RLock("r")
local function ordered()
  a:acquire(); b:acquire(); b:release(); a:release()
end
local function sequential()
  b:acquire(); b:release()
  a:acquire(); a:release()
end
local function reentrant()
  r:acquire(); a:acquire(); r:acquire(); r:release(); a:release(); r:release()
end
local ts_ = { ts.spawn(ordered), ts.spawn(sequential), ts.spawn(reentrant), ts.spawn(ordered) }
for _, t in ipairs(ts_) do t:join() end
print("done")
