-- ts.shared and ts.outcome (SPEC §3 Toolbox).
local ts = require "tsbox"
local T = require "tap"

T.test("shared returns the table itself: reads, writes, pairs and # are untouched", function()
  local raw = { 1, 2, 3, x = "a" }
  local t = ts.shared(raw, "accounts")
  T.ok(rawequal(t, raw), "the same table")
  t[4] = 4
  T.eq(#t, 4)
  local keys = 0
  for _ in pairs(t) do keys = keys + 1 end
  T.eq(keys, 5)
end)

T.test("shared names the table for reports", function()
  local t = ts.shared({}, "vault")
  T.eq(ts.shared_name(t), "vault")
  local u = ts.shared({})
  T.match(ts.shared_name(u), "^shared%-%d+$")
  T.eq(ts.shared_name({}), nil)
end)

T.test("shared rejects a non-table with Lua's bad argument message", function()
  T.raises(function() ts.shared(42) end, nil, "bad argument #1 to 'shared' (table expected, got number)")
  T.raises(function() ts.shared({}, 7) end, nil, "bad argument #2 to 'shared' (string expected, got number)")
end)

T.test("shared state is seen by every thread", function()
  local t = ts.shared({ n = 0 }, "counter")
  local lock = ts.Lock()
  local threads = {}
  for i = 1, 4 do
    threads[i] = ts.spawn(function() for _ = 1, 10 do lock:with(function() t.n = t.n + 1 end) end end)
  end
  for i = 1, 4 do threads[i]:join() end
  T.eq(t.n, 40)
end)

T.test("outcome accepts any printable values and returns nothing", function()
  T.eq(select("#", ts.outcome("balance=", 100, true, nil)), 0)
end)

T.done()
