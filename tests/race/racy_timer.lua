-- expect: race upvalue "hits"
-- A Timer callback and the main thread, after start: unordered.
local ts = require "tsbox"
local hits = 0
local t = ts.Timer(0.1, function() hits = hits + 1 end)
t:start()
hits = hits + 1
t:join()
print(hits)
