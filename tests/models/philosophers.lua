-- philosophers.lua N [ordered]: N dining philosophers, one meal each; each
-- takes the left fork then the right one (deadlock), or the lower-numbered
-- fork first with "ordered" (no deadlock).
local ts = require "tsbox"
local N = tonumber(arg[1]) or 2
local ordered = arg[2] == "ordered"
local forks = {}
for i = 1, N do forks[i] = ts.Lock("fork-" .. i) end
local function philosopher(i)
  local a, b = i, i % N + 1
  if ordered and b < a then a, b = b, a end
  forks[a]:acquire()
  forks[b]:acquire()
  forks[b]:release()
  forks[a]:release()
end
local t = {}
for i = 1, N do t[i] = ts.Thread{ target = philosopher, args = { i }, name = "philosopher-" .. i } end
for i = 1, N do t[i]:start() end
for i = 1, N do t[i]:join() end
