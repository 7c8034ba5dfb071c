-- expect: silent
-- Every access under one Lock: acquire/release, with(), and <close>.
local ts = require "tsbox"
local lock = ts.Lock("vault")
local balance = 0
local function plain() for _ = 1, 5 do lock:acquire(); balance = balance + 1; lock:release() end end
local function with() for _ = 1, 5 do lock:with(function() balance = balance + 1 end) end end
local function scoped()
  for _ = 1, 5 do
    local _ <close> = lock:hold()
    balance = balance + 1
  end
end
local ts_ = { ts.spawn(plain), ts.spawn(with), ts.spawn(scoped) }
for _, t in ipairs(ts_) do t:join() end
print(balance)
