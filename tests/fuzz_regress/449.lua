-- fuzz regression case (fuzz/run.sh), seed 449: lua5.4 fuzz/gen.lua 449
-- command: tsbox-asan --seed 449 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 449.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 449.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 449
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.RLock()
P[2] = ts.Barrier{parties = 2, action = nil, timeout = nil}
P[3] = ts.Condition()
P[4] = ts.RLock("rlock-4")
P[5] = ts.Lock{name = "p5"}
P[6] = ts.RLock{name = "p6"}
P[7] = ts.Semaphore(3, "semaphore-7")
P[8] = ts.Barrier(1, nil, 0)
local function W1(...)
  pcall(function() local _ = P[4]:release() end)
  do
    local _ <close> = P[4]:hold()
    collectgarbage()
    pcall(coroutine.wrap(function() table.sort({3, 2, 1}, function() coroutine.yield() end) end))
    pcall(function()
      do
        local _ <close> = P[7]:hold()
        pcall(function() P[4]:locked() end)
      end
    end)
    ts.yield()
  end
  ts.check()
  pcall(function() P[7]:value() end)
  pcall(function() ts.Thread{target = print}:join() end)
  do
    local ok, e = pcall(function() return P[8]:wait(-0.5) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(ts.sleep, 0.02)
  local r = P[1]:with(function(...)
    pcall(P[1].release, P[1])
  end)
  pcall(function() local _ = F[5]:exception(0.001) end)
  if not pcall(function() P[8]:reset() end) then ts.yield() end
  pcall(function() local _ = ts.wait(F, 0.01) end)
  pcall(function() local function f() return coroutine.wrap(f)() end return f() end)
end
local function W2(...)
  pcall(function() local _ = P[7]:acquire(true) end)
  pcall(function() P[5].acquire() end)
  pcall(function() T[8]:join(0.02) end)
end
local function W3(...)
  pcall(function() local x = ts.RLock("err"); G.last = tostring(x) end)
  pcall(function() P[6]:locked() end)
end
local function W4(...)
  pcall(function() ts.Thread{target = print}:join() end)
  CO[3] = coroutine.create(function()
    local _ <close> = P[7]:hold()
    coroutine.yield(1)
    G.n = G.n + 1
  end)
  pcall(coroutine.resume, CO[3])
  pcall(function() P[1]:locked() end)
  pcall(function() local q = ts.LifoQueue(); q:put(nil); G.v = q:get() end)
  pcall(function() P[8]:reset() end)
  return "x", ...
end
local function W5(...)
  pcall(P[4].release, P[4])
  pcall(function() local r = P[1]:with(function(...)
    local _ = #ts.enumerate()
    return ...
  end, "x", "RuntimeError") end)
  ts.check(nil ~= false, 'check 650')
  pcall(ts.spawn, ts.yield)
  pcall(function() local r = P[4]:with(function(...)
    ts.outcome(P[7])
    ts.sleep(0.001)
    pcall(function() local x = ts.Barrier(2, "a"); G.last = tostring(x) end)
    return ...
  end) end)
  pcall(function() P[3]:with(function() return P[3]:wait_for(function() return G.flag end, 0.002) end) end)
  for _ = 1, 2 do
    do
      local ok, e = pcall(function() return P[4]:acquire(true) end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    pcall(function() P[6]:locked() end)
    pcall(function() local _ = P[8]:wait() end)
  end
  if CO.t1 then pcall(coroutine.resume, CO.t1) end
  pcall(coroutine.wrap(function() ts.spawn(coroutine.yield):join(0.002) end))
  if not pcall(function() P[4]:acquire({}, 0.002, {"err", k = math.huge}, "", nil) end) then ts.yield() end
end
local function W6(...)
  pcall(function() local r = P[1]:with(function(...)
    do
      local ok, e = pcall(function() return P[8]:wait(TO(math.huge)) end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    pcall(function() local x = ts.BoundedSemaphore({parties = "err", name = "fork-1"}); G.last = tostring(x) end)
    local _ = P[6]:acquire(true, TO(2^63))
    ts.sleep(TO(0))
    return ...
  end, "err") end)
  pcall(function()
    do
      local _ <close> = P[3]:hold()
      collectgarbage('step', 1000)
      local _ = ts.time()
      pcall(function() local r = P[7]:with(function(...)
        collectgarbage()
        pcall(function() local function f(n) return pcall(f, n + 1) end return f(1) end)
      end) end)
    end
  end)
  P[7]:acquire()
  CO[3] = coroutine.create(function()
    local _ <close> = P[5]:hold()
    coroutine.yield(1)
    G.n = G.n + 1
  end)
  pcall(function() local _ = P[2]:wait(0/0) end)
  pcall(function() ts.Thread{target = error, args = nil, name = "fork-1", daemon = string.rep('v', 1000)}:start() end)
  if G.n % 2 == 0 then error("") end
  ts.check()
  pcall(ts.Thread, print)
  pcall(function() local _ = P[8]:wait(0.02) end)
  return ts.main_thread(), ...
end
local function W7(...)
  pcall(function() P[5]:acquire(true, nil) end)
  G.n = G.n + 1
  pcall(ts.Thread, {target = print, args = {}, extra = 1})
  pcall(P[3].with, P[3], function()
    G.flag = not G.flag
    P[3]:notify(2)
  end)
  if not pcall(function() local _ = P[4]:acquire(true, 0.01) end) then ts.yield() end
  P[8]:wait(nil)
  local _ = P[8].parties, P[8].n_waiting, P[8].broken, P[8].nope
  do
    local ok, e = pcall(function() return P[1]:locked() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() local s = string.rep('x', -1); G.len = #s end)
  pcall(function()
    do
      local _ <close> = P[4]:hold()
      do
        local ok, e = pcall(function() return P[7]:value() end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
      pcall(function() local _ = P[8]:wait(0.001) end)
      pcall(function() P[8]:abort() end)
      pcall(function()
        local t = ts.spawn(function(...)
          ts.sleep(0.002)
          pcall(function() local r = P[6]:with(function(...)
            pcall(function()
              local t = {}
              for i = 1, 10000 do t[i] = {i} end
              G.big = nil
            end)
          end, math.huge, P[7]) end)
          pcall(function() P[8]:wait(0.01) end)
        end)
        t:join()
      end)
    end
  end)
  pcall(function() P[6]:locked() end)
end
local function W8(...)
  pcall(function() P[2].broken = T[1] end)
  pcall(function() P[8].wait(nil) end)
  pcall(function() local r = P[3]:with(function(...)
    ts.yield()
    return ...
  end) end)
  pcall(function() ts.Thread{target = print}:join() end)
  for _ = 1, 2 do
    G.last = tostring(ts.current_thread())
  end
  do
    local ok, e = pcall(function() return P[6]:release() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  ts.yield()
  for _, p in ipairs(P) do G.last = tostring(p) end
  return 'not hostile', ...
end
T[1] = ts.spawn(W1, ts.current_thread())
T[2] = ts.Thread{target = W2, args = {"", 3.5}, name = "w2", daemon = true}
T[2]:start()
T[3] = ts.Thread{target = W3, args = {true}, name = "w3", daemon = true}
T[3]:start()
T[4] = ts.spawn(W4, "")
T[5] = ts.Thread{target = W5, args = {}, name = "w5", daemon = true}
T[5]:start()
T[6] = ts.Thread{target = W6, args = {0, true}, name = "w6"}
T[6]:start()
pcall(function() P[2]:abort() end)
T[7] = ts.spawn(W7, coroutine.running(), 42)
T[8] = ts.Thread{target = W8, args = {"boom", 1e308}, name = "w8", daemon = true}
T[8]:start()
pcall(function() P[1].acquire() end)
P[6]:acquire(true, 0.002)
pcall(string.rep, 'ab', 1e10, ',')
pcall(function() P[6]:release() end)
ts.yield()
pcall(T[4].join, T[4])
pcall(T[6].join, T[6], 0.01)
pcall(T[7].join, T[7])
print('done', G.n)
