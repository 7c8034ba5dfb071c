-- expect: race global "hits"
-- An unlocked global counter: two threads run `hits = hits + 1`.
local ts = require "tsbox"
hits = 0   -- luacheck: ignore
local function work() for _ = 1, 20 do hits = hits + 1 end end   -- luacheck: ignore
local a, b = ts.spawn(work), ts.spawn(work)
a:join(); b:join()
print(hits)   -- luacheck: ignore
