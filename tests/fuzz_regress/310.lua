-- fuzz regression case (fuzz/run.sh), seed 310: lua5.4 fuzz/gen.lua 310
-- command: tsbox-asan --seed 310 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 310.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 310.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 310
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[3] = ts.Condition(ts.RLock())
P[4] = ts.Event{name = "p4"}
P[5] = ts.Barrier(2, function() G.n = G.n + 1 end, 0.001)
if ts.Queue then
  P[1] = ts.Queue(0)
  P[2] = ts.Queue(0)
  P[6] = ts.ThreadPool(3)
else
  P[1] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[2] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[6] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  pcall(string.rep, 'ab', 2^31, ',')
  pcall(function() T[5]:join(nil) end)
  pcall(function() local _ = P[1]:qsize() end)
  pcall(P[3].release, P[3])
end
local function W2(...)
  if not pcall(function() P[3]:release(P[4]) end) then ts.yield() end
  pcall(function() P[4]:clear() end)
  pcall(function() local x = ts.BoundedSemaphore({action = "boom", name = ""}); G.last = tostring(x) end)
end
local function W3(...)
  pcall(P[3].with, P[3], function()
    G.flag = not G.flag
    P[3]:notify(1)
  end)
  pcall(function()
    do
      local _ <close> = P[3]:hold()
      collectgarbage()
      local _ = ts.time()
    end
  end)
  pcall(function() P[4].set() end)
  pcall(P[3].with, P[3], function()
    local tries = 0
    while not G.flag and tries < 3 do
      tries = tries + 1
      local _ = P[3]:wait(0.001)
    end
  end)
  pcall(function()
    do
      local _ <close> = P[3]:hold(ts.yield)
      P[3]:notify(math.huge)
    end
  end)
  if CO.t2 then pcall(coroutine.resume, CO.t2) end
  return "RuntimeError", ...
end
local function W4(...)
  collectgarbage()
  pcall(function() P[5]:wait(0.01) end)
  do
    local ok, e = pcall(function() return P[3]:with(function() return P[3]:wait_for(function() return G.flag end, 0.01) end) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  for _ = 1, 8 do G.n = G.n + 1 end
  ts.check(G.n % 7 ~= 3, false)
  pcall(function()
    do
      local _ <close> = P[3]:hold()
      collectgarbage()
      if not pcall(function() local _ = P[5]:reset() end) then ts.yield() end
    end
  end)
  pcall(function()
    do
      local _ <close> = P[3]:hold()
      if CO[1] then pcall(coroutine.resume, CO[1]) end
    end
  end)
  do
    local ok, e = pcall(function() return T[7]:join() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function()
    local t = ts.spawn(function(...)
      ts.check(G.n % 7 ~= 3, 'check 281')
      pcall(function() P[1].get(P[6]) end)
      pcall(function() P[2].join() end)
    end)
  end)
  pcall(ts.sleep, nil)
end
local function W5(...)
  for _ = 1, 4 do
    ts.sleep(TO(0.1))
  end
  pcall(function()
    local t = ts.spawn(function(...)
      do
        local ok, e = pcall(function() return P[4]:is_set() end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
    end)
  end)
  do
    local ok, e = pcall(function() return P[6]:shutdown(nil) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  local r = P[3]:with(function(...)
    ts.check(true, 'check 878')
    pcall(function() local x = ts.Condition({parties = {}, name = nil}); G.last = tostring(x) end)
  end, "RuntimeError", 1)
  do
    local co = coroutine.wrap(function(...)
      pcall(function() ts.Barrier(2):abort() end); collectgarbage()
    end)
    pcall(co, error)
    pcall(co)
  end
  ts.sleep(0.05)
  local _ = #ts.enumerate()
  ts.sleep(0.05)
  do
    local ok, e = pcall(function() return P[2]:empty() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function()
    local t = ts.spawn(function(...)
      pcall(function() local r = P[3]:with(function(...)
        pcall(function() P[6]:shutdown(false, nil) end)
        pcall(function() local r = P[3]:with(function(...)
          pcall(P[3].release, P[3])
          pcall(function() local _ = P[3]:notify_all() end)
        end) end)
        ts.sleep(0.001)
        local _ = ts.seed(), ts.sched()
      end) end)
    end, 'not hostile')
    t:join({})
  end)
  ts.sleep(0.05)
  pcall(function() local t = ts.Timer('x', ts.yield); t:start(); t:cancel(); t:join(0.001) end)
end
local function W6(...)
  pcall(function() P[4]:set() end)
  local r = P[3]:with(function(...)
    pcall(function() P[3].acquire() end)
    pcall(P[3].release, P[3])
  end)
  pcall(function() local x = ts.Barrier(0, "vault"); G.last = tostring(x) end)
  CO[2] = coroutine.create(function()
    local _ <close> = P[3]:hold()
    coroutine.yield(1)
    G.n = G.n + 1
  end)
  return error, ...
end
T[1] = ts.Thread{target = W1, args = {}, name = "w1"}
T[1]:start()
T[2] = ts.Thread{target = W2, args = {}, name = "w2"}
T[2]:start()
T[3] = ts.spawn(W3)
T[4] = ts.Thread{target = W4, args = {'not hostile', nil}, name = "w4", daemon = true}
T[4]:start()
T[5] = ts.spawn(W5, nil)
if not pcall(function() P[5]:wait(-(0/0)) end) then ts.yield() end
T[6] = ts.spawn(W6)
error(T[1])
for _ = 1, 17 do G.n = G.n + 1 end
ts.sleep(0.05)
pcall(P[6].map, P[6], function(x) return x end, {n = 3})
pcall(function() P[6]:shutdown(true, true) end)
pcall(ts.sleep, nil)
pcall(T[1].join, T[1])
pcall(T[2].join, T[2], 0.001)
pcall(T[3].join, T[3], 0.01)
T[5]:join()
pcall(T[6].join, T[6], 0.02)
ts.outcome(G.n % 5, G.flag)
