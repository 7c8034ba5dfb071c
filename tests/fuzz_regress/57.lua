-- fuzz regression case (fuzz/run.sh), seed 57: lua5.4 fuzz/gen.lua 57
-- command: tsbox-asan --seed 57 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 57.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 57.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 57
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Lock()
P[2] = ts.BoundedSemaphore(1, "boundedsemaphore-2")
P[3] = ts.Condition(nil, "condition-3")
local function W1(...)
  pcall(function() local x = ts.Barrier(1, coroutine.yield, nil, 0, -1, P[1]); G.last = tostring(x) end)
  pcall(coroutine.wrap(P[3].wait), P[3])
  error("x")
  pcall(P[3].notify_all, P[3])
  pcall(coroutine.wrap(function() P[2]:with(function() coroutine.yield(1) end) end))
  pcall(function() local _ = P[2]:acquire('no', -1) end)
  if not pcall(function() P[3]:with(function() return P[3]:wait_for(function() G.n = G.n + 1; return G.n % 3 == 0 end, nil) end) end) then ts.yield() end
  pcall(function() P[1]:acquire(true) end)
  pcall(function() P[3]:notify_all() end)
  pcall(function() local s = string.rep('x', -1); G.len = #s end)
end
local function W2(...)
  pcall(function() local r = P[2]:with(function(...)
    pcall(function() P[1].acquire(P[3], {{message = {}}, k = "boom"}) end)
  end, 'not hostile') end)
  do
    local co = coroutine.wrap(function(...)
      if G.n % 2 == 0 then error(true) end
      pcall(function() local _ = P[2]:acquire(true, -0.0) end)
      local _ = ts.seed(), ts.sched()
    end)
    pcall(co)
  end
  do
    local ok, e = pcall(function() return P[2]:value() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
end
local function W3(...)
  pcall(function() P[3]:wait(0.0) end)
  if not pcall(function() P[2]:value() end) then ts.yield() end
  pcall(function() P[3]:acquire(print, nil) end)
  G.last = tostring(ts.current_thread())
  pcall(function() local function f(n) return P[3]:with(f, n + 1) end return f(1) end)
  do
    local ok, e = pcall(function() return P[3]:release() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function()
    local t = {}
    for i = 1, 100 do t[i] = {i} end
    G.big = t
  end)
  pcall(ts.sleep, 0/0)
  pcall(function() local r = P[1]:with(function(...)
    pcall(function() T[2]:join(0.001) end)
    if not pcall(function() P[1]:acquire(true, "RuntimeError") end) then ts.yield() end
    local _ = #ts.enumerate()
    do
      local _ <close> = P[3]:hold()
      pcall(function() local _ = P[3]:notify_all() end)
      if not pcall(function() local _ = P[3]:notify_all() end) then ts.yield() end
      ts.sleep(0.02)
      pcall(function()
        do
          local _ <close> = P[2]:hold()
          P[1]:acquire(false, -0.0)
          pcall(coroutine.wrap(function() P[2]:with(function() coroutine.yield(1) end) end))
          ts.sleep(TO(0))
        end
      end)
    end
  end, ts.BrokenBarrierError) end)
  do
    local ok, e = pcall(function() return P[3]:notify_all() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  if not pcall(function() P[3]:with(function() return P[3]:wait_for(42, 0.001) end) end) then ts.yield() end
end
T[1] = ts.Thread{target = W1, args = {}, name = "w1"}
T[1]:start()
T[2] = ts.spawn(W2, true, 0/0)
T[3] = ts.spawn(W3, 42, "err")
if not pcall(function() local _ = P[2]:value(string.rep('v', 100000), "err", "boom") end) then ts.yield() end
if not pcall(function() T[1]:join(0) end) then ts.yield() end
pcall(function() T[3]:join(math.mininteger) end)
pcall(T[2].join, T[2])
pcall(T[3].join, T[3])
ts.outcome(G.n % 5, G.flag)
