-- deep.lua: deep recursion, on MainThread or a thread (a pooled POSIX
-- thread in a worker): Lua stack overflow, C stack overflow through gsub,
-- coroutines, __index, sort comparators, and error handlers that fail.
local ts = require "tsbox"
local pick = math.random(1, 6)
local function body()
  if pick == 1 then
    local function r(n) return r(n + 1) + 1 end
    return select(2, pcall(r, 1))
  elseif pick == 2 then
    local s = string.rep("a", 10)
    local function deep(n) return (string.gsub(s, "a", function() return deep(n + 1) end)) end
    return select(2, pcall(deep, 1))
  elseif pick == 3 then
    local function nest(n) return coroutine.wrap(function() return nest(n + 1)() end) end
    return select(2, pcall(function() return nest(1)() end))
  elseif pick == 4 then
    local mt = {}
    mt.__index = function(_, k) return setmetatable({}, mt)[k] end
    return select(2, pcall(function() return setmetatable({}, mt).x end))
  elseif pick == 5 then
    local function h() error(setmetatable({}, { __tostring = h })) end
    return select(2, xpcall(h, h))
  else
    local t = {}
    for i = 1, 100 do t[i] = i end
    local function cmp(a, b) table.sort({ 3, 2, 1 }, cmp); return a < b end
    return select(2, pcall(table.sort, t, cmp))
  end
end
local where = math.random(1, 2)
local r
if where == 1 then r = body() else local t = ts.spawn(body); t:join(); r = t.result end
ts.outcome(string.format("%d %d %s", pick, where, tostring(r)))
