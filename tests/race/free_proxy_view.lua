-- expect: silent
-- table.concat, unpack, move and sort on a proxy go through its __index,
-- __newindex and __len as they do without --race; what the metamethods
-- touch is what counts, here always under the lock.
local ts = require "tsbox"
local lock = ts.Lock("store")
local store = { "a", "b", "c" }
local view = setmetatable({}, {
  __index = function(_, i) return lock:with(function() return store[i] end) end,
  __newindex = function(_, i, v) lock:with(function() store[i] = v end) end,
  __len = function() return lock:with(function() return #store end) end,
})
local joined, x, y, copy
local reader = ts.spawn(function()
  joined = table.concat(view, ",")
  x, y = table.unpack(view)
end)
local writer = ts.spawn(function()
  table.move({ "A", "B" }, 1, 2, 1, view)
  copy = table.concat(table.move(view, 1, 3, 1, {}))
  table.sort(view, function(p, q) return p > q end)
end)
reader:join(); writer:join()
ts.check(joined:match("^[aAcC],[bB],[cAa]$"), "the join through __index gave " .. joined)
ts.check(x ~= nil and y ~= nil, "unpack through __index and __len gave nothing")
ts.check(copy == "ABc", "the copy through __index gave " .. copy)
ts.check(table.concat(store) == "cBA", "the sort through the proxy left " .. table.concat(store))
ts.check(next(view) == nil, "table.move wrote into the proxy itself, not through __newindex")
