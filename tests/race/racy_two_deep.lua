-- expect: race field "count" of inner
-- A field two tables deep.
local ts = require "tsbox"
local state = { inner = { count = 0 } }
local function bump() state.inner.count = state.inner.count + 1 end
local a, b = ts.spawn(bump), ts.spawn(bump)
a:join(); b:join()
print(state.inner.count)
