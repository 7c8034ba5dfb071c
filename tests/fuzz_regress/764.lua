-- fuzz regression case (fuzz/run.sh), seed 764: lua5.4 fuzz/gen.lua 764
-- command: tsbox-asan --seed 764 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 764.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 764.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 764
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[2] = ts.Barrier(4, function() error('action failed') end, nil, "barrier-2")
P[3] = ts.BoundedSemaphore(1, "boundedsemaphore-3")
P[4] = ts.Semaphore{value = 0}
if ts.Queue then
  P[1] = ts.Timer(0.02, function() G.n = G.n + 1 end)
else
  P[1] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  pcall(function()
    do
      local _ <close> = P[4]:hold()
      ts.check(type(G) == 'table', 'check 614')
      do
        local ok, e = pcall(function() return P[4]:acquire(true, 0.05) end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
    end
  end)
  pcall(P[4].release, P[4])
  pcall(function() P[2]:reset() end)
  ts.sleep(0.005)
  pcall(function() P[2].wait() end)
  G.last = tostring(ts.current_thread())
  do
    local ok, e = pcall(function() return P[4]:release(-1) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() ts.Lock():acquire() end); collectgarbage()
end
local function W2(...)
  local t0 = ts.time(); while ts.time() < t0 + 0.01 do G.n = G.n + 1 end
  error(nil, 100)
  P[2]:abort()
  G.n = G.n + 1
  ts.sleep(0.002)
  pcall(P[4].release, P[4])
  ts.check(G.n >= 0, 'check 801')
  pcall(P[3].release, P[3])
  for _ = 1, 45 do G.n = G.n + 1 end
  pcall(ts.spawn, ts.yield)
end
local function W3(...)
  collectgarbage()
  if not pcall(function() T[3]:join(-(0/0)) end) then ts.yield() end
  do
    local ok, e = pcall(function() return P[3]:release(1) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(coroutine.yield, 1)
  local _ = ts.time()
  pcall(function() local _ = P[4]:value() end)
  pcall(function()
    local t = ts.spawn(function(...)
      ts.sleep(TO(10))
      pcall(function() P[1]:start() end)
      pcall(function() P[4]:acquire(true, 0.001) end)
    end, "err")
    t:join()
  end)
  do
    local co = coroutine.wrap(function(...)
      pcall(function() local _ = P[2]:wait(0.005) end)
      pcall(function()
        do
          local _ <close> = P[4]:hold("err")
          pcall(function() P[1]:start() end)
          if not pcall(function() P[2]:wait(0.005) end) then ts.yield() end
        end
      end)
    end)
    pcall(co)
  end
  local r = P[4]:with(function(...)
    collectgarbage()
    pcall(function()
      do
        local _ <close> = P[4]:hold()
        if not pcall(function() P[4]:acquire() end) then ts.yield() end
        P[4]:release()
      end
    end)
  end)
  local _ = P[2].parties, P[2].n_waiting, P[2].broken, P[2].nope
end
local function W4(...)
  if not pcall(function() P[2]:abort(string.rep('v', 1000)) end) then ts.yield() end
  error({})
  pcall(function() local t = coroutine.running(); debug.sethook(t, function() error('hook boom') end, '', 5); for i = 1, 100 do G.n = G.n + i end end); debug.sethook()
  if not pcall(function() P[3]:acquire(true, -2) end) then ts.yield() end
  pcall(function() for f in ts.as_completed(F, 0.05) do G.v = f end end)
  ts.sleep(0.002)
  CO[2] = coroutine.create(function()
    local _ <close> = P[4]:hold()
    coroutine.yield(1)
    G.n = G.n + 1
  end)
  pcall(coroutine.resume, CO[2])
  if CO.t1 then pcall(coroutine.resume, CO.t1) end
  error({1, 2})
  pcall(function() local x = ts.Event(0, "vault"); G.last = tostring(x) end)
end
local function W5(...)
  do
    local ok, e = pcall(function() return P[2]:wait(-1e308) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  ts.sleep(TO(0))
  pcall(function() P[1]:is_alive() end)
  local r = P[3]:with(function(...)
    pcall(function() local _ = P[2]:wait() end)
    pcall(function() P[2]:reset() end)
  end, ts.BrokenBarrierError, {nil, k = false})
  pcall(function() P[2]:wait() end)
  pcall(function() P[2].wait(io.stdout) end)
  pcall(P[3].release, P[3], math.maxinteger)
  pcall(function() P[2].reset() end)
  pcall(function()
    do
      local _ <close> = P[3]:hold()
      for _ = 1, 4 do
        ts.sleep(0.001)
        pcall(ts.sleep, 0.05)
        T[4]:join(TO(2^53))
      end
    end
  end)
end
T[1] = ts.spawn(W1, "RuntimeError")
pcall(function() local _ = P[2]:wait(0.005) end)
T[2] = ts.Thread{target = W2, args = {}, name = "w2"}
T[3] = ts.Thread{target = W3, args = {}, name = "w3", daemon = true}
T[3]:start()
T[4] = ts.Thread{target = W4, args = {}, name = "w4", daemon = true}
T[4]:start()
ts.sleep(0.05)
T[5] = ts.Thread{target = W5, args = {}, name = "w5"}
T[5]:start()
for _ = 1, 4 do
  pcall(function() local _ = F[5]:exception(0.001) end)
  P[4].value(P[2], "RuntimeError", 'not hostile', {"x", k = coroutine.running()})
end
pcall(function() P[4].acquire(P[4], coroutine.running(), -math.huge, "", math.mininteger, G) end)
CO[2] = coroutine.create(function()
  local _ <close> = P[3]:hold()
  coroutine.yield(1)
  G.n = G.n + 1
end)
pcall(coroutine.resume, CO[2])
if not pcall(function() local _ = P[2]:reset() end) then ts.yield() end
if not pcall(function() P[2]:abort(true, "x", P[1]) end) then ts.yield() end
if not pcall(function() local _ = P[3]:value(ts.main_thread()) end) then ts.yield() end
pcall(function() P[2]:reset() end)
pcall(T[1].join, T[1])
T[5]:join(0.005)
ts.outcome(G.n % 5, G.flag)
