-- counter.lua [locked]: THREADS threads each add 1 to a shared counter
-- ROUNDS times; with "locked" every increment holds one Lock. The model
-- that dfs proves (locked) or breaks (not locked).
local ts = require "tsbox"
local locked = arg[1] == "locked"
local THREADS, ROUNDS = tonumber(arg[2]) or 3, tonumber(arg[3]) or 2
local lock = ts.Lock("counter")
local n = 0
local function worker()
  for _ = 1, ROUNDS do
    if locked then lock:acquire() end
    n = n + 1
    if locked then lock:release() end
  end
end
local threads = {}
for i = 1, THREADS do threads[i] = ts.spawn(worker) end
for i = 1, THREADS do threads[i]:join() end
ts.outcome("n=" .. n)
ts.check(n == THREADS * ROUNDS, "lost update: n is " .. n)
