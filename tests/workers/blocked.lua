-- blocked.lua: a run ends (its main chunk fails, returns, or deadlocks)
-- while threads wait in every blocking call tsbox has: futures, pools and
-- their iterators, queues, events, locks with timeouts, joins, barriers,
-- timers, semaphores, conditions. A worker abandons each and runs the next
-- schedule; tests/workers_hostile.sh compares it with a process per run.
local ts = require "tsbox"
local ops = {
  function() local f = ts.Future(); f:result() end,
  function() local f = ts.Future(); f:result(3) end,
  function()
    local p = ts.ThreadPool(2)
    for _ in p:imap(function(x) ts.sleep(x) return x end, { 1, 2, 3 }) do end
  end,
  function() local p = ts.ThreadPool(2); p:map(function(x) ts.Event():wait() return x end, { 1, 2 }) end,
  function() local q = ts.Queue(); q:put(1); q:join() end,
  function() ts.SimpleQueue():get() end,
  function() ts.Event():wait(2) end,
  function() local l = ts.Lock(); l:acquire(); l:acquire(true, 2) end,
  function() ts.spawn(function() ts.Event():wait() end):join(1) end,
  function() local b = ts.Barrier(2, nil, 1); pcall(b.wait, b); b:wait() end,
  function() local t = ts.Timer(1, function() end); t:start(); ts.sleep(0.5); t:cancel(); ts.Event():wait() end,
  function()
    local p, fs = ts.ThreadPoolExecutor(2), {}
    for i = 1, 3 do fs[i] = p:submit(function() ts.sleep(i) end) end
    for _ in ts.as_completed(fs) do ts.Event():wait() end
  end,
  function() local s = ts.BoundedSemaphore(1); s:acquire(); s:acquire(true, 1.5) end,
  function() local c = ts.Condition(ts.RLock()); c:acquire(); c:acquire(); c:wait(1); c:wait() end,
  function() local q = ts.PriorityQueue(1); q:put(1); q:put(2, true, 1); q:put(3) end,
  function() local q = ts.LifoQueue(); q:shutdown(); pcall(q.get, q); ts.Event():wait() end,
}
local n = math.random(1, 6)
for _ = 1, n do
  local op = ops[math.random(#ops)]
  ts.Thread{ target = op, daemon = math.random(2) == 1 }:start()
end
for _ = 1, math.random(0, 30) do ts.yield() end
local r = math.random(1, 4)
if r == 1 then error("main leaves " .. n) elseif r == 2 then ts.sleep(math.random() * 4) end
ts.outcome(string.format("%d %d %d %s", n, r, ts.active_count(), tostring({})))
