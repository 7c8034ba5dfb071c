-- expect: race upvalue "total"
-- Pool tasks updating an upvalue: tasks on different workers are unordered.
local ts = require "tsbox"
local total = 0
local pool = ts.ThreadPool(2)
for _ = 1, 6 do
  pool:submit(function()
    ts.sleep(0.01)
    total = total + 1
  end)
end
pool:shutdown(true)
print(total)
