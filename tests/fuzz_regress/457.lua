-- fuzz regression case (fuzz/run.sh), seed 457: lua5.4 fuzz/gen.lua 457
-- command: tsbox-asan --seed 457 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 457.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 457.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 457
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Condition(ts.RLock())
P[2] = ts.RLock()
P[3] = ts.RLock("rlock-3")
P[4] = ts.Barrier(1, function() G.n = G.n + 1 end, nil)
P[5] = ts.RLock()
P[8] = ts.Semaphore(1, "semaphore-8")
if ts.Queue then
  P[6] = ts.ThreadPool(2)
  P[7] = ts.PriorityQueue()
else
  P[6] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[7] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  pcall(function() P[5].release(nil, 1, {}) end)
  pcall(function() P[4]:abort() end)
  ts.sleep(0.02)
  ts.yield(1, 2)
  local r = P[8]:with(function(...)
    pcall(function() P[8]:acquire(true) end)
    pcall(function() local r = P[1]:with(function(...)
      P[4]:abort()
      P[8]:value()
      pcall(function() debug.sethook(coroutine.running(), nil) end)
    end, true, {true, k = false}) end)
    P[6]:shutdown({}, true)
    ts.sleep(0.02)
  end, {kind = 42})
  pcall(function() local _ = P[4]:abort() end)
  pcall(function() local s = string.rep('x', 1000000); G.len = #s end)
end
local function W2(...)
  do
    local _ <close> = P[1]:hold()
    pcall(function() local function f(s) return (string.gsub(s, '.', f)) end return f('ab') end)
    pcall(function() P[8]:acquire({}, TO(0.2), nil, {"", k = {1, 2, 3}}, "boom") end)
    do
      local ok, e = pcall(function() return P[7]:get_nowait() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    do
      local _ <close> = P[1]:hold()
      if not pcall(function() P[3]:acquire(true) end) then ts.yield() end
      ts.check(nil ~= false, 'not hostile')
      do
        local _ <close> = P[2]:hold()
        pcall(P[1].release, P[1])
        ts.sleep(TO(1))
        pcall(function() P[3]:acquire(false, math.mininteger) end)
      end
      error({1, 2})
    end
  end
  pcall(function() local _ = P[3]:release() end)
  pcall(function() local _ = P[8]:acquire('no', -0.0) end)
  pcall(function() P[1]:with(function() return P[1]:wait_for(42, 0.02) end) end)
  pcall(function() P[3]:acquire(true) end)
  pcall(P[1].release, P[1])
  pcall(function() ts.shared(string.rep('v', 100000)) end)
  P[4]:abort()
  pcall(ts.sleep, TO(2^53))
  ts.check(G.n >= 0, 'check 775')
  do
    local ok, e = pcall(function() return P[8]:release(math.maxinteger) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  local _ = pcall(ts._raise, "err", 'not hostile', "x")
end
local function W3(...)
  pcall(P[1].with, P[1], function()
    local tries = 0
    while not G.flag and tries < 2 do
      tries = tries + 1
      local _ = P[1]:wait(0.002)
    end
  end)
  pcall(function() for _ = 1, 9 do ts.spawn(function() G.n = G.n + 1 end) end end)
  pcall(function() P[7].empty() end)
  pcall(function() P[7]:put_nowait() end)
  error(nil)
  pcall(function() local _ = P[4]:wait(0.02) end)
  local r = P[8]:with(function(...)
    error("boom in critical section")
    pcall(function() local r = P[2]:with(function(...)
      pcall(function()
        F[#F % 6 + 1] = P[6]:submit(function(...)
          coroutine.yield(1)
          CO[3] = coroutine.create(function()
            local _ <close> = P[1]:hold()
            coroutine.yield(1)
            G.n = G.n + 1
          end)
          pcall(coroutine.resume, CO[3])
          pcall(function() P[4].broken = {kind = 42} end)
          return 42
        end)
      end)
      ts.sleep(TO(0.1))
    end, print, ts.current_thread()) end)
    return ...
  end)
  pcall(function()
    do
      local _ <close> = P[2]:hold()
      collectgarbage('step', 1000)
      if CO.t1 then pcall(coroutine.close, CO.t1) end
      collectgarbage('count')
      pcall(function() ts.Thread{target = error, args = setmetatable({}, {__index = function() error('ai') end}), name = 1, daemon = nil}:start() end)
    end
  end)
end
local function W4(...)
  pcall(function() P[4]:abort() end)
  pcall(function() local _ = P[3]:acquire(0, 0.001, math.mininteger, "boom", P[4]) end)
  pcall(function()
    F[#F % 6 + 1] = P[6]:submit(function(...)
      pcall(function() local x = ts.Barrier(0/0, "a"); G.last = tostring(x) end)
      pcall(function() T[3]:start() end)
    end)
  end)
  pcall(function() local x = ts.Lock(1, "RuntimeError", TO(5), "tellers"); G.last = tostring(x) end)
  if not pcall(function() P[5]:release() end) then ts.yield() end
  pcall(ts.outcome, 3.5, {kind = 'ValueError'})
  pcall(function() local t = ts.Timer(0/0, print); t:start(); t:join(0.02) end)
  for _ = 1, 11 do G.n = G.n + 1 end
  do
    local _ <close> = P[8]:hold()
    pcall(function() P[5].locked() end)
    pcall(function() P[7].full() end)
  end
  return "err", ...
end
local function W5(...)
  pcall(function()
    F[#F % 6 + 1] = P[6]:submit(function(...)
      pcall(function() local x = ts.Event(2, "x y"); G.last = tostring(x) end)
      do
        local ok, e = pcall(function() return P[8]:release(1) end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
      do
        local ok, e = pcall(function() return P[3]:acquire(1) end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
      return ts.main_thread()
    end)
  end)
  ts.check(G.n % 7 ~= 3, 'check 430')
  ts.yield()
end
local function W6(...)
  ts.yield()
end
local function W7(...)
  ts.yield()
end
local function W8(...)
  ts.yield()
end
T[1] = ts.spawn(W1, P[8], P[6])
T[2] = ts.spawn(W2, "err")
ts.yield()
T[3] = ts.Thread{target = W3, args = {{1, 2, 3}, "boom"}, name = "w3"}
T[3]:start()
T[4] = ts.spawn(W4)
T[5] = ts.spawn(W5, "err")
T[6] = ts.Thread{target = W6, args = {ts.yield, 'not hostile'}, name = "w6"}
T[6]:start()
T[7] = ts.Thread{target = W7, args = {}, name = "w7"}
T[8] = ts.spawn(W8)
ts.yield()
ts.yield()
pcall(T[1].join, T[1])
pcall(T[5].join, T[5])
pcall(T[6].join, T[6])
pcall(T[7].join, T[7])
pcall(T[8].join, T[8])
ts.outcome(G.n % 5, G.flag)
