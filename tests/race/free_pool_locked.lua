-- expect: silent
-- Pool tasks that update shared state under a lock.
local ts = require "tsbox"
local lock = ts.Lock("tally")
local tally = { n = 0 }
local pool = ts.ThreadPool(3)
for _ = 1, 8 do
  pool:submit(function()
    ts.sleep(0.01)
    lock:with(function() tally.n = tally.n + 1 end)
  end)
end
pool:shutdown(true)
print(tally.n)
