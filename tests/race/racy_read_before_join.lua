-- expect: race global "result"
-- The main thread reads before it joins the writer.
local ts = require "tsbox"
result = nil   -- luacheck: ignore
local t = ts.spawn(function() result = 42 end)   -- luacheck: ignore
ts.sleep(1)
print(result)   -- luacheck: ignore
t:join()
