-- mix.lua: one scenario, many ways to change the universe. Each run picks
-- one by its seed (math.random is seeded by the run's seed), so an
-- exploration of a few hundred runs tries every way many times over. An
-- explorer's worker must put back whatever a run changed: tests/workers.sh
-- compares the exploration run by workers with one forking every run,
-- byte for byte.
local ts = require "tsbox"

local pick = math.random(1, 16)
local shared = { n = 0 }
local function work(k)
  for _ = 1, 10 do shared.n = shared.n + k end
end

print("seen", tostring({}), tostring(shared))   -- addresses must not drift
if pick == 1 then
  ts.stack_size(65536)
elseif pick == 2 then
  warn("@on"); warn("a warning")
elseif pick == 3 then
  collectgarbage("generational")
elseif pick == 4 then
  getmetatable("").__index.shout = string.upper
elseif pick == 5 then
  _G.leaked_global = (_G.leaked_global or 0) + 1
elseif pick == 6 then
  shared.big = #string.rep("x", 3000000)
elseif pick == 7 then
  local ev = ts.Event()
  ts.Thread{ target = function() ev:wait() end, daemon = true }:start()
elseif pick == 8 then
  local a, b = ts.Lock(), ts.Lock()
  local t1 = ts.spawn(function() a:acquire(); ts.yield(); b:acquire() end)
  local t2 = ts.spawn(function() b:acquire(); ts.yield(); a:acquire() end)
  t1:join(); t2:join()
elseif pick == 9 then
  error("the main chunk fails")
elseif pick == 10 then
  ts.spawn(function() error("a worker fails") end):join()
elseif pick == 11 then
  io.write("no newline at the end")
elseif pick == 12 then
  local co = coroutine.create(function() coroutine.yield(1) end)
  coroutine.resume(co)
  shared.co = co
elseif pick == 13 then
  local q = ts.Queue()
  local pool = ts.ThreadPool(2)
  for i = 1, 3 do pool:submit(function() q:put(i) end) end
  pool:shutdown(true)
elseif pick == 14 then
  ts.check(false, "a failed check")
elseif pick == 15 then
  string.rep = nil   -- luacheck: ignore 122
end
print("leaked", rawget(_G, "leaked_global"), ("x").shout, string.rep)
local t = { ts.spawn(work, 1), ts.spawn(work, 2) }
for _, th in ipairs(t) do th:join() end
-- The outcome carries what a drifting universe would change: addresses,
-- default names, the count, what leaked from an earlier run.
ts.outcome(string.format("pick=%d n=%d %s %s %s %s", pick, shared.n, tostring({}),
  tostring(ts.Lock()), tostring(ts.Semaphore()), tostring(rawget(_G, "leaked_global"))))
