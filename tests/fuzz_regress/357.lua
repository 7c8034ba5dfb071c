-- fuzz regression case (fuzz/run.sh), seed 357: lua5.4 fuzz/gen.lua 357
-- command: tsbox-asan --seed 357 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 357.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 357.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 357
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.RLock("rlock-1")
P[3] = ts.Barrier(4, function() G.n = G.n + 1 end, 0.002, "barrier-3")
P[4] = ts.Event()
P[5] = ts.Semaphore{value = 1}
P[8] = ts.Condition()
if ts.Queue then
  P[2] = ts.Queue(1)
  P[6] = ts.Queue(1)
  P[7] = ts.ThreadPool(1)
else
  P[2] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[6] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[7] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  pcall(function() P[8]:with(function() return P[8]:wait_for(function() G.n = G.n + 1; return G.n % 3 == 0 end, 0.02) end) end)
  pcall(function() P[4].set() end)
  return coroutine.running(), ...
end
local function W2(...)
  pcall(function() local x = ts.Barrier(math.mininteger, "a"); G.last = tostring(x) end)
  local r = P[5]:with(function(...)
    pcall(function() local r = P[5]:with(function(...)
      pcall(function() local _ = P[3]:wait(3.5, "err", "err") end)
      if not pcall(function() P[4]:clear() end) then ts.yield() end
      return ...
    end, 'not hostile') end)
    pcall(function() P[3]:wait(0.05) end)
    local r = P[8]:with(function(...)
      ts.check(G.n % 7 ~= 3, 'check 342')
      ts.sleep(0.002)
      pcall(function()
        do
          local _ <close> = P[5]:hold()
          ts.sleep(0.001)
          collectgarbage('incremental')
          pcall(function() P[8]:with(function() return P[8]:wait_for(function() error('pred boom') end, 0.005) end) end)
        end
      end)
      pcall(P[8].notify, P[8])
    end, "x", ts.BrokenBarrierError)
    pcall(function() for i = 1, 3 do P[6]:put(i, true, 0.02) end end)
    return ...
  end, 'not hostile', -1)
  local r = P[5]:with(function(...)
    pcall(function() local q = ts.LifoQueue(); q:put(nil); G.v = q:get() end)
    pcall(function()
      do
        local _ <close> = P[5]:hold()
        pcall(function()
          do
            local _ <close> = P[1]:hold()
            pcall(function() P[2].put_nowait(P[2]) end)
            pcall(P[7].map, P[7], 42, {1, 2, 3})
            for _ = 1, 49 do G.n = G.n + 1 end
            pcall(function() T[2].ident = {kind = 42} end)
          end
        end)
      end
    end)
    return ...
  end, ts.current_thread())
  P[6]:join()
  local _ = P[3].parties, P[3].n_waiting, P[3].broken, P[3].nope
  pcall(function() T[8]:start() end)
  pcall(function() local x = ts.Event('not hostile', "fork-1"); G.last = tostring(x) end)
  pcall(function() local _ = P[3]:wait(true) end)
  pcall(P[5].release, P[5], 3)
end
local function W3(...)
  local _ = ts.time()
  pcall(function() local r = P[1]:with(function(...)
    pcall(function() local _ = T[1]:is_alive(), T[1].ident, T[1].name, T[1].result, T[1].error, T[1].daemon end)
    pcall(function() P[2]:get(true, TO(30)) end)
    ts.yield(1, 2)
    if not pcall(function() P[8]:release() end) then ts.yield() end
    return ...
  end, true, math.huge) end)
  P[3]:abort()
end
local function W4(...)
  collectgarbage('step', 1000)
  if not pcall(function() P[6]:qsize() end) then ts.yield() end
  P[8]:notify(0)
  error("boom in critical section", 0)
  do
    local _ <close> = P[1]:hold()
    if not pcall(function() P[7]:shutdown(P[1], "RuntimeError") end) then ts.yield() end
    pcall(P[8].with, P[8], function()
      local tries = 0
      while not G.flag and tries < 1 do
        tries = tries + 1
        local _ = P[8]:wait(-0.0)
      end
    end)
    pcall(function() P[3]:reset() end)
    pcall(function() local function f(s) return (string.gsub(s, '.', f)) end return f('ab') end)
  end
  pcall(function()
    do
      local _ <close> = P[5]:hold()
      pcall(function() P[5].release(nil, "RuntimeError") end)
      pcall(function() local function f() return coroutine.wrap(f)() end return f() end)
    end
  end)
  do
    local ok, e = pcall(function() return T[7]:join(TO(0.2)) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() P[8]:release() end)
  ts.sleep(TO(0))
  do
    local _ <close> = P[1]:hold()
    pcall(function()
      F[#F % 6 + 1] = P[7]:submit(function(...)
        CO.t2 = coroutine.running()
        do
          local ok, e = pcall(function() return P[7]:shutdown(0) end)
          if not ok then
            local s = select(2, pcall(tostring, e))
            G.log[#G.log % 8 + 1] = s
            if type(e) == 'table' then G.kind = rawget(e, 'kind') end
          end
        end
        if not pcall(function() P[4]:set() end) then ts.yield() end
        return "x"
      end)
    end)
    pcall(coroutine.yield, 1)
    if not pcall(function() P[4]:clear() end) then ts.yield() end
  end
end
local function W5(...)
  pcall(coroutine.wrap(P[7].shutdown), P[7])
  pcall(ts.outcome, nil, "RuntimeError")
  pcall(function() local r = P[8]:with(function(...)
    do
      local ok, e = pcall(function() return P[5]:release(2) end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    pcall(function() ts.current_thread():join(TO(2^63)) end)
    do
      local ok, e = pcall(function() return P[4]:is_set() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    return ...
  end, T[1]) end)
  pcall(function() local r = P[1]:with(function(...)
    do
      local ok, e = pcall(function() return T[2]:join(0.002) end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    pcall(function() local function f() return coroutine.wrap(f)() end return f() end)
  end, nil, 3.5) end)
  collectgarbage()
  if not pcall(function() T[3]:join(-(0/0), "x", 3.5) end) then ts.yield() end
  do
    local co = coroutine.wrap(function(...)
      pcall(P[8].with, P[8], function()
        local tries = 0
        while not G.flag and tries < 2 do
          tries = tries + 1
          local _ = P[8]:wait(0.005)
        end
      end)
      P[1]:with(42)
    end)
    pcall(co)
  end
  pcall(coroutine.wrap(function() P[5]:with(function() coroutine.yield(1) end) end))
  pcall(function() ts.Barrier(2):abort() end); collectgarbage()
end
local function W6(...)
  ts.yield()
  pcall(function() local _ = P[4]:is_set() end)
  error(setmetatable({}, {}))
  return function() end, ...
end
local function W7(...)
  pcall(function() local _ = P[3]:wait(0.05) end)
  pcall(function() P[8]:notify({message = {}}, "RuntimeError") end)
  P[7]:shutdown(true, {})
  pcall(function() while true do local v = P[2]:get(true, 0.05); pcall(P[2].task_done, P[2]); G.v = v end end)
  ts.sleep(0.02)
  if not pcall(function() P[2]:get_nowait() end) then ts.yield() end
  do
    local _ <close> = P[8]:hold()
    if not pcall(function() local _ = P[3]:wait(TO(2^53)) end) then ts.yield() end
    local r = P[8]:with(function(...)
      local r = P[8]:with(function(...)
        pcall(function() local x = ts.BoundedSemaphore({timeout = G, name = 0/0}); G.last = tostring(x) end)
        for _ = 1, 16 do G.n = G.n + 1 end
      end, "x")
    end, true, 1e308)
    pcall(function() local function f(s) return (string.gsub(s, '.', f)) end return f('ab') end)
  end
  pcall(function() P[3].wait(P[3]) end)
  P[4].is_set(P[2], function() end)
  ts.yield()
end
local function W8(...)
  ts.yield()
end
T[1] = ts.Thread{target = W1, args = {}, name = "w1"}
T[1]:start()
T[2] = ts.Thread{target = W2, args = {}, name = "w2"}
T[2]:start()
T[3] = ts.spawn(W3, true)
ts.yield()
T[4] = ts.spawn(W4, "", ts)
T[5] = ts.Thread{target = W5, args = {}, name = "w5", daemon = true}
T[5]:start()
T[6] = ts.Thread{target = W6, args = {}, name = "w6", daemon = true}
T[6]:start()
T[7] = ts.spawn(W7, 42, {"x", k = 'not hostile'})
T[8] = ts.Thread{target = W8, args = {}, name = "w8"}
T[8]:start()
ts.yield()
T[1]:join(-1)
pcall(T[2].join, T[2], 0.01)
pcall(T[4].join, T[4], 0.02)
pcall(T[7].join, T[7])
pcall(T[8].join, T[8])
ts.outcome(G.n % 5, G.flag)
