-- fuzz regression case (fuzz/run.sh), seed 297: lua5.4 fuzz/gen.lua 297
-- command: tsbox-asan --seed 297 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 297.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 297.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 297
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.RLock()
P[2] = ts.Condition(nil, "condition-2")
P[3] = ts.Condition(ts.RLock(), "conditionl-3")
P[4] = ts.Barrier(2, function() error('action failed') end, nil, "barrier-4")
P[5] = ts.RLock()
if ts.Queue then
  P[6] = ts.Timer(0.02, function() G.n = G.n + 1 end)
else
  P[6] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  ts.yield(1, 2)
  pcall(P[3].with, P[3], function()
    local tries = 0
    while not G.flag and tries < 1 do
      tries = tries + 1
      local _ = P[3]:wait(0.005)
    end
  end)
  ts.sleep(0.05)
  P[2].wait()
  pcall(function()
    do
      local _ <close> = P[1]:hold()
      local r = P[1]:with(function(...)
        pcall(function() local function f(n) return P[5]:with(f, n + 1) end return f(1) end)
        ts.sleep(TO(1))
      end, "RuntimeError")
      pcall(function() P[2]:notify_all() end)
      pcall(ts.sleep, 0.0)
      pcall(function() ts.Barrier(2):abort() end); collectgarbage()
    end
  end)
  pcall(function() local p = ts.ThreadPool(2); p:shutdown(); p:submit(print) end)
  return nil, ...
end
local function W2(...)
  coroutine.yield(1)
  do
    local _ <close> = P[2]:hold()
    do
      local ok, e = pcall(function() return P[1]:release() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
  end
  local _ = ts.seed(), ts.sched()
  P[4]:abort()
  pcall(ts.spawn, ts.current_thread)
  ts.yield(1, 2)
  error({1, 2})
  pcall(function() P[1]:release() end)
end
local function W3(...)
  pcall(function()
    do
      local _ <close> = P[5]:hold()
      pcall(function() local _ = P[2]:wait(0.01) end)
      do
        local ok, e = pcall(function() return T[2]:join(ts) end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
    end
  end)
  do
    local co = coroutine.wrap(function(...)
      for _, p in ipairs(P) do G.last = tostring(p) end
      pcall(function() P[3]:notify(2) end)
      pcall(function() P[1].acquire(P[4], "boom", TO(5)) end)
      do
        local ok, e = pcall(function() return P[5]:acquire('no') end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
    end)
    pcall(co, ts.main_thread())
    pcall(co)
  end
  P[2].wait(P[3], function() end, 0.005)
  pcall(function()
    do
      local _ <close> = P[2]:hold({traceback = 1})
      pcall(coroutine.wrap(function() P[5]:with(function() coroutine.yield(1) end) end))
      pcall(function() P[5]:locked() end)
      local r = P[3]:with(function(...)
        pcall(function() P[1].release(P[6]) end)
      end, ts)
    end
  end)
  pcall(ts.sleep, 0.02)
  pcall(ts.sleep, 0.005)
  pcall(function() local r = P[5]:with(function(...)
    pcall(function() local _ = F[5]:exception(0.002) end)
  end) end)
  local r = P[1]:with(function(...)
    if not pcall(function() local _ = P[2]:wait() end) then ts.yield() end
    P[6].cancel()
    P[5].locked(print)
    for _ = 1, 40 do G.n = G.n + 1 end
    return ...
  end, "x", "RuntimeError")
  pcall(function()
    local t = ts.spawn(function(...)
      pcall(function() for _ = 1, 24 do ts.spawn(function() G.n = G.n + 1 end) end end)
      pcall(function() ts.Thread{target = print}:join() end)
      local _ = P[3]:notify_all()
    end)
    t:join(nil)
  end)
  pcall(function() P[5].locked(P[4]) end)
  return nil, ...
end
local function W4(...)
  pcall(function() local function f(n) return pcall(f, n + 1) end return f(1) end)
  do
    local ok, e = pcall(function() return P[3]:acquire(false, -1e308) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() local _ = P[4]:wait(0.0) end)
  local r = P[5]:with(function(...)
    pcall(P[1].release, P[1])
    pcall(string.rep, 'ab', 2^62, ',')
    error("boom in critical section", 2)
    return ...
  end, 1e308, {{kind = 42}, k = nil})
  if not pcall(function() local _ = P[5]:release() end) then ts.yield() end
end
T[1] = ts.Thread{target = W1, args = {}, name = "w1", daemon = true}
T[1]:start()
do
  local co = coroutine.wrap(function(...)
    pcall(function()
      local t = {}
      for i = 1, 100000 do t[i] = {i} end
      G.big = nil
    end)
    pcall(function() local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k .. 'x'] end return t.a end)
    pcall(function() local _ = P[1]:acquire({}, -(0/0)) end)
    do
      local co = coroutine.wrap(function(...)
        pcall(function()
          do
            local _ <close> = P[3]:hold()
            pcall(function() local _ = F[5]:running() end)
            CO.main = coroutine.running()
            collectgarbage()
          end
        end)
        error({})
      end)
      pcall(co)
    end
  end)
  pcall(co, string.rep('v', 100000))
end
T[2] = ts.Thread{target = W2, args = {{"x", k = 1e308}}, name = "w2", daemon = true}
T[2]:start()
T[3] = ts.spawn(W3, coroutine.running(), ts.main_thread())
T[4] = ts.spawn(W4, T[1], 42)
pcall(function() local r = P[2]:with(function(...)
  do
    local co = coroutine.wrap(function(...)
      do
        local ok, e = pcall(function() return P[5]:acquire(true, nil) end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
    end)
    pcall(co)
  end
  pcall(function() P[4].wait(P[6]) end)
  return ...
end, print) end)
ts.sleep(0.001)
G.last = tostring(ts.current_thread())
CO[1] = coroutine.create(function()
  local _ <close> = P[5]:hold()
  coroutine.yield(1)
  G.n = G.n + 1
end)
pcall(coroutine.resume, CO[1])
pcall(T[3].join, T[3])
T[4]:join()
