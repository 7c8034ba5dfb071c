-- fuzz regression case (fuzz/run.sh), seed 866: lua5.4 fuzz/gen.lua 866
-- command: tsbox-asan --seed 866 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 866.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 866.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 866
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[2] = ts.Lock()
P[4] = ts.BoundedSemaphore(0, "boundedsemaphore-4")
P[5] = ts.Lock("lock-5")
P[6] = ts.Condition(nil, "condition-6")
P[7] = ts.Lock{name = "p7"}
P[9] = ts.BoundedSemaphore{value = 1}
if ts.Queue then
  P[1] = ts.ThreadPool(2)
  P[3] = ts.Timer(0.002, function() G.n = G.n + 1 end)
  P[8] = ts.Timer(0.01, function() G.n = G.n + 1 end)
  P[10] = ts.Timer(0.05, function() G.n = G.n + 1 end)
else
  P[1] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[3] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[8] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[10] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  pcall(P[6].release, P[6])
  local r = P[7]:with(function(...)
    do local s = string.rep('x', 100000000); G.len = #s end
    error(nil, 100)
    pcall(function() local _ = P[7]:locked() end)
    return ...
  end, 'not hostile')
  pcall(function() for _ = 1, 11 do ts.spawn(function() G.n = G.n + 1 end) end end)
  setmetatable({}, {__gc = function() P[1]:shutdown(0.02) end})
  collectgarbage()
  pcall(function() P[4]:release(nil, T[1]) end)
  pcall(function() local q = ts.Queue(math.huge); q:put(1, false); q:put(2, false) end)
  collectgarbage()
  do
    local ok, e = pcall(function() return P[6]:notify('2') end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  if not pcall(function() local _ = P[5]:release() end) then ts.yield() end
  pcall(function() local x = ts.Semaphore({timeout = -1, name = '\xff\xfe'}); G.last = tostring(x) end)
  pcall(coroutine.yield, 1)
  error({}, 2)
end
local function W2(...)
  pcall(function()
    local t = ts.spawn(function(...)
      pcall(function() P[4].acquire(print, P[1], 0.01) end)
    end)
    t:join(TO(2^63))
  end)
  pcall(function()
    local t = {}
    for i = 1, 100 do t[i] = {i} end
    G.big = nil
  end)
  pcall(function() local _ = F[5]:result(0.01) end)
  error({})
end
local function W3(...)
  setmetatable({}, {__gc = function() ts.yield() end})
  local r = P[5]:with(function(...)
    pcall(P[6].with, P[6], function()
      G.flag = true
      P[6]:notify_all()
    end)
    pcall(function()
      local t = {}
      for i = 1, 100000 do t[i] = {i} end
      G.big = nil
    end)
    pcall(function() P[5].acquire(ts.current_thread()) end)
    pcall(coroutine.wrap(function() P[9]:with(function() coroutine.yield(1) end) end))
  end)
  do
    local _ <close> = P[6]:hold()
    pcall(function() P[4]:release() end)
    pcall(function() P[10]:is_alive() end)
    pcall(ts.sleep, nil)
  end
  if not pcall(function() P[2]:acquire(false) end) then ts.yield() end
  return nil, ...
end
local function W4(...)
  pcall(function() T[7].name = false end)
  local r = P[2]:with(function(...)
    pcall(function() local r = P[5]:with(function(...)
      pcall(function() local _ = F[5]:exception(0.05) end)
      pcall(function()
        F[#F % 6 + 1] = P[1]:submit(function(...)
          pcall(function() local _ = P[5]:acquire(true, 0.05, math.huge, false, print) end)
          P[2].acquire()
          if not pcall(function() P[1]:shutdown(true, true) end) then ts.yield() end
          return {true, k = string.rep('v', 100000)}
        end)
      end)
    end, "boom") end)
    if not pcall(function() local _ = P[9]:acquire(false) end) then ts.yield() end
  end, string.rep('v', 100000))
  T[8]:join(ts.current_thread())
  pcall(function() P[1].shutdown(P[2]) end)
  pcall(function() ts.Semaphore(0):release() end); collectgarbage()
  pcall(function() P[8]:is_alive() end)
end
local function W5(...)
  pcall(ts.sleep, 0.05)
  pcall(function() local q = ts.PriorityQueue(); q:put({2, 'b'}); q:put({1, 'a'}); q:put(-1); G.v = q:get() end)
  pcall(ts.check, false, "x")
  do
    local ok, e = pcall(function() return P[2]:acquire(true, 0.02) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() P[4]:acquire(nil, 0/0) end)
  if not pcall(function() T[2]:join(TO(1e308)) end) then ts.yield() end
  pcall(function() ts.Thread{target = print}:join() end)
  pcall(function() T[1]:join(0.005) end)
  pcall(function() local r = P[7]:with(function(...)
    pcall(P[6].with, P[6], function()
      local tries = 0
      while not G.flag and tries < 1 do
        tries = tries + 1
        local _ = P[6]:wait(0.001)
      end
    end)
    P[6]:with(function() return P[6]:wait_for(function() coroutine.yield() end, TO(30)) end)
    do
      local _ <close> = P[9]:hold()
      pcall(function() local _ = P[7]:release() end)
      pcall(function() P[7].acquire(ts) end)
    end
    pcall(function()
      do
        local _ <close> = P[4]:hold()
        if G.local_ then G.local_.x = "err" end
      end
    end)
  end) end)
  pcall(P[4].release, P[4])
  pcall(function() local q = ts.Queue(1); q:put(1, false); q:put(2, false) end)
  do
    local _ <close> = P[7]:hold()
    pcall(function() local r = P[7]:with(function(...)
      pcall(function() local _ = P[1]:shutdown(true, true) end)
      pcall(function()
        do
          local _ <close> = P[4]:hold()
          pcall(function() local s = string.rep('x', 100000000); G.len = #s end)
        end
      end)
      pcall(function() local r = P[7]:with(function(...)
        pcall(P[6].notify_all, P[6])
        if not pcall(function() local _ = P[4]:value() end) then ts.yield() end
        pcall(function()
          do
            local _ <close> = P[4]:hold()
            pcall(function() P[1].shutdown() end)
            do
              local ok, e = pcall(function() return P[7]:release() end)
              if not ok then
                local s = select(2, pcall(tostring, e))
                G.log[#G.log % 8 + 1] = s
                if type(e) == 'table' then G.kind = rawget(e, 'kind') end
              end
            end
          end
        end)
        pcall(function() local r = P[4]:with(function(...)
          if not pcall(function() P[3]:cancel() end) then ts.yield() end
          ts.check(G.n >= 0, "RuntimeError")
          pcall(function() local p <close> = ts.ThreadPool(1); p:submit(print, 1) end)
          return ...
        end, string.rep('v', 1000), math.huge) end)
      end) end)
    end, "x") end)
    if not pcall(function() P[7]:release() end) then ts.yield() end
    pcall(function() P[6].release(P[4], "RuntimeError", 0.001) end)
    local r = P[4]:with(function(...)
      pcall(ts.Thread, {})
      P[9]:acquire(nil, -0.0)
    end, math.huge)
  end
end
local function W6(...)
  pcall(function()
    do
      local _ <close> = P[9]:hold()
      pcall(function() P[2].acquire() end)
      pcall(function() P[1]:shutdown(0, false, 'not hostile', nil, math.mininteger) end)
    end
  end)
  pcall(P[6].with, P[6], function()
    local tries = 0
    while not G.flag and tries < 2 do
      tries = tries + 1
      local _ = P[6]:wait(0.001)
    end
  end)
  pcall(function()
    F[#F % 6 + 1] = P[1]:submit(function(...)
      if not pcall(function() local _ = P[5]:acquire(false, 42, 0, math.huge) end) then ts.yield() end
      pcall(P[6].with, P[6], function()
        local tries = 0
        while not G.flag and tries < 3 do
          tries = tries + 1
          local _ = P[6]:wait(0.02)
        end
      end)
    end)
  end)
  pcall(print, 'n', G.n)
  pcall(function() local p <close> = ts.ThreadPool(0); p:submit(print, 1) end)
  pcall(function()
    do
      local _ <close> = P[5]:hold()
      pcall(function() P[8]:join(0.002, ts.BrokenBarrierError, {1, 2, 3}, nil) end)
      pcall(P[6].with, P[6], function()
        G.flag = not G.flag
        P[6]:notify()
      end)
      pcall(function() P[3].is_alive(P[3]) end)
      local r = P[4]:with(function(...)
        pcall(function() P[2].locked(P[1]) end)
        pcall(function() P[6]:notify_all() end)
        pcall(function() P[2]:with(H and print) end)
        return ...
      end, 1, string.rep('v', 1000))
    end
  end)
  pcall(P[6].release, P[6])
  do
    local ok, e = pcall(function() return P[8]:start() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  for _ = 1, 3 do
    pcall(function()
      local t = ts.spawn(function(...)
        pcall(coroutine.wrap(P[2].release), P[2])
        pcall(function() local function f(n) return P[6]:with(f, n + 1) end return f(1) end)
        pcall(function() local _ = P[8]:is_alive() end)
      end)
      t:join()
    end)
    pcall(P[6].with, P[6], function()
      local tries = 0
      while not G.flag and tries < 1 do
        tries = tries + 1
        local _ = P[6]:wait(0.001)
      end
    end)
  end
  pcall(function()
    do
      local _ <close> = P[5]:hold(3.5)
      pcall(ts.spawn, print, 1, 2)
    end
  end)
end
local function W7(...)
  pcall(string.rep, 'ab', 2^31, ',')
  ts.sleep(0.02)
  if not pcall(function() P[8]:cancel() end) then ts.yield() end
  G.n = G.n + 1
  pcall(function() local x = ts.Lock(2^31, "tellers"); G.last = tostring(x) end)
  pcall(function() local r = P[9]:with(function(...)
    pcall(function() P[1]:shutdown(print, false, 3.5) end)
    pcall(function()
      F[#F % 6 + 1] = P[1]:submit(function(...)
        pcall(function()
          local t = ts.spawn(function(...)
            local r = P[9]:with(function(...)
              P[4]:value()
              pcall(P[7].release, P[7])
              collectgarbage()
            end, 0/0)
            ts.check()
            pcall(function() P[7].release() end)
          end, coroutine.create(print))
          t:join()
        end)
        return {kind = 'RuntimeError', message = 'fake'}
      end, 0/0)
    end)
    pcall(function() local x = ts.BoundedSemaphore(1, "a"); G.last = tostring(x) end)
  end, function() end) end)
  ts.yield()
  error(select(2, pcall(ts.Lock().release, ts.Lock())))
  pcall(function() ts.Thread{target = 42, args = {1, 2}, name = "vault", daemon = 1e308}:start() end)
  do local s = string.rep('x', 100000); G.len = #s end
end
local function W8(...)
  pcall(function() P[3]:start() end)
  pcall(function() P[8].cancel({}) end)
  do
    local co = coroutine.wrap(function(...)
      ts.sleep(0.005)
      ts.yield()
    end)
    pcall(co, 0/0)
    pcall(co)
  end
  ts.yield()
  return ts.RuntimeError, ...
end
T[1] = ts.Thread{target = W1, args = {print}, name = "w1"}
T[1]:start()
T[2] = ts.Thread{target = W2, args = {0/0, 42}, name = "w2"}
T[2]:start()
T[3] = ts.spawn(W3, 'not hostile', 3.5)
T[4] = ts.spawn(W4)
T[5] = ts.Thread{target = W5, args = {3.5}, name = "w5"}
T[5]:start()
T[6] = ts.Thread{target = W6, args = {}, name = "w6"}
T[6]:start()
T[7] = ts.Thread{target = W7, args = {42}, name = "w7", daemon = true}
T[7]:start()
T[8] = ts.Thread{target = W8, args = {{traceback = 1}, P[8]}, name = "w8"}
T[8]:start()
ts.yield()
pcall(T[2].join, T[2], 0.002)
pcall(T[4].join, T[4])
pcall(T[5].join, T[5])
pcall(T[6].join, T[6])
pcall(T[8].join, T[8])
