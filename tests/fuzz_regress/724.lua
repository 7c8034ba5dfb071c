-- fuzz regression case (fuzz/run.sh), seed 724: lua5.4 fuzz/gen.lua 724
-- command: tsbox-asan --seed 724 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 724.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 724.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 724
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Event("event-1")
P[2] = ts.Condition()
P[3] = ts.Barrier(3, nil, nil, "barrier-3")
P[4] = ts.Lock()
P[7] = ts.RLock()
P[8] = ts.Event("event-8")
P[9] = ts.Event{name = "p9"}
if ts.Queue then
  P[5] = ts.ThreadPool(2)
  P[6] = ts.ThreadPool(1)
else
  P[5] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[6] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  pcall(function()
    local t = ts.spawn(function(...)
      local _ = pcall(ts._raise, {kind = 'RuntimeError', message = 'fake'}, nil, nil)
    end, 0)
  end)
  pcall(function() local _ = P[3]:wait(0.05) end)
  pcall(function() T[3]:start() end)
  pcall(P[2].with, P[2], function()
    G.flag = true
    P[2]:notify_all()
  end)
  return nil, ...
end
local function W2(...)
  if not pcall(function() T[7]:start() end) then ts.yield() end
  local r = P[4]:with(function(...)
    pcall(function()
      F[#F % 6 + 1] = P[6]:submit(function(...)
        local r = P[4]:with(function(...)
          if not pcall(function() P[4]:locked(false, 0/0) end) then ts.yield() end
          pcall(coroutine.wrap(P[6].shutdown), P[6])
          pcall(P[2].notify_all, P[2])
        end, "RuntimeError", 1e308)
        ts.yield()
      end, "RuntimeError")
    end)
  end)
  local r = P[2]:with(function(...)
    pcall(function() T[2]:join(nil, {0, k = P[3]}, "err", false) end)
    local r = P[2]:with(function(...)
      do
        local ok, e = pcall(function() return P[2]:with(function() return P[2]:wait_for(function() ts.yield(); return true end, 0.02) end) end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
      error("")
      do
        local ok, e = pcall(function() return P[6]:shutdown(0, 0) end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
      P[4].acquire(P[5])
    end, "boom")
    error({1, 2}, 0)
    pcall(function()
      do
        local _ <close> = P[7]:hold()
        if not pcall(function() local _ = P[5]:shutdown() end) then ts.yield() end
        pcall(function() local _ = F[2]:cancel() end)
      end
    end)
  end)
  if CO[3] then pcall(coroutine.close, CO[3]) end
  pcall(function()
    local t = {}
    for i = 1, 100000 do t[i] = {i} end
    G.big = nil
  end)
  pcall(function()
    F[#F % 6 + 1] = P[5]:submit(function(...)
      local _ = P[3]:wait()
      local r = P[7]:with(function(...)
        do
          local ok, e = pcall(function() return P[4]:acquire('no', 0.01) end)
          if not ok then
            local s = select(2, pcall(tostring, e))
            G.log[#G.log % 8 + 1] = s
            if type(e) == 'table' then G.kind = rawget(e, 'kind') end
          end
        end
        return ...
      end, true)
      return 0
    end, {kind = 'RuntimeError', message = 'fake'})
  end)
  local r = P[2]:with(function(...)
    for _, p in ipairs(P) do G.last = tostring(p) end
  end, nil)
  do
    local co = coroutine.wrap(function(...)
      pcall(function()
        local t = ts.spawn(function(...)
          do
            local ok, e = pcall(function() return P[9]:set() end)
            if not ok then
              local s = select(2, pcall(tostring, e))
              G.log[#G.log % 8 + 1] = s
              if type(e) == 'table' then G.kind = rawget(e, 'kind') end
            end
          end
          do
            local ok, e = pcall(function() return P[3]:wait(0.005) end)
            if not ok then
              local s = select(2, pcall(tostring, e))
              G.log[#G.log % 8 + 1] = s
              if type(e) == 'table' then G.kind = rawget(e, 'kind') end
            end
          end
        end)
        t:join(TO(0.2))
      end)
      pcall(ts.sleep, 0.005)
      pcall(function() local _ = P[3]:wait(-1) end)
    end)
    pcall(co)
    pcall(co)
  end
  pcall(function() local _ = P[1]:clear() end)
  pcall(function() P[1].wait(P[1]) end)
  return "x", ...
end
local function W3(...)
  pcall(P[2].with, P[2], function()
    local tries = 0
    while not G.flag and tries < 1 do
      tries = tries + 1
      local _ = P[2]:wait(0.001)
    end
  end)
  pcall(P[2].wait, P[2])
  ts.sleep(0.02)
  if not pcall(function() local _ = P[8]:is_set() end) then ts.yield() end
  error("boom in critical section")
  if not pcall(function() local _ = F[4]:running() end) then ts.yield() end
  do local x <close> = setmetatable({}, {__close = function() ts.yield() end}) end
  if not pcall(function() P[6]:shutdown(nil, true) end) then ts.yield() end
end
local function W4(...)
  do
    local _ <close> = P[2]:hold()
    pcall(function() P[3].abort(P[1]) end)
    if not pcall(function() local _ = P[4]:acquire(nil, 0/0, 1, "err", ts) end) then ts.yield() end
    for _ = 1, 4 do
      pcall(function() local function f(n) return P[2]:with(f, n + 1) end return f(1) end)
      pcall(P[2].with, P[2], function()
        G.flag = false
        P[2]:notify(0/0)
      end)
    end
  end
  do local x = ts.RLock(math.maxinteger, "RuntimeError", 0.01, "fork-1"); G.last = tostring(x) end
  do
    local _ <close> = P[1]:hold("boom")
    pcall(function() P[3]:abort() end)
    ts.check()
  end
  pcall(function()
    do
      local _ <close> = P[2]:hold()
      collectgarbage('count')
    end
  end)
  ts.sleep(0.01)
end
local function W5(...)
  pcall(function()
    do
      local _ <close> = P[4]:hold()
      pcall(function() G.local_ = ts.thread_local(42) end)
    end
  end)
  do
    local ok, e = pcall(function() return P[5]:shutdown('no', 0, math.mininteger, 3.5) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(ts.spawn, coroutine.yield)
  pcall(ts.sleep, nil)
  pcall(function() P[6]:shutdown(true, false) end)
end
local function W6(...)
  pcall(function() local function f(n) return pcall(f, n + 1) end return f(1) end)
  if not pcall(function() local _ = P[3]:reset() end) then ts.yield() end
  local r = P[2]:with(function(...)
    do
      local ok, e = pcall(function() return P[1]:clear() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
  end, nil, coroutine.create(print))
  P[1].is_set(P[5], 'not hostile', '1e999')
  do
    local ok, e = pcall(function() return T[4]:start() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(P[7].release, P[7])
  do
    local _ <close> = P[4]:hold()
    pcall(function()
      F[#F % 6 + 1] = P[6]:submit(function(...)
        pcall(function()
          local t = {}
          for i = 1, 100 do t[i] = {i} end
          G.big = nil
        end)
        setmetatable({}, {__gc = function() P[9]:set(0.002) end})
        return "RuntimeError"
      end)
    end)
    ts.sleep(0.001)
  end
  return nil, ...
end
T[1] = ts.Thread{target = W1, args = {}, name = "w1"}
T[1]:start()
CO[1] = coroutine.create(function()
  local _ <close> = P[4]:hold()
  coroutine.yield(1)
  G.n = G.n + 1
end)
T[2] = ts.spawn(W2, nil)
T[3] = ts.spawn(W3, ts)
ts.yield()
T[4] = ts.Thread{target = W4, args = {}, name = "w4", daemon = true}
T[4]:start()
T[5] = ts.spawn(W5, nil)
T[6] = ts.spawn(W6)
ts.yield()
pcall(T[5].join, T[5])
ts.outcome(G.n % 5, G.flag)
print('done', G.n)
