-- fuzz regression case (fuzz/run.sh), seed 370: lua5.4 fuzz/gen.lua 370
-- command: tsbox-asan --seed 370 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 370.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 370.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 370
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.RLock{name = "p1"}
P[2] = ts.Barrier(4, function() P[2]:reset() end, 0.002)
P[3] = ts.Condition(P[1])
P[4] = ts.Semaphore(0, "semaphore-4")
P[6] = ts.RLock("rlock-6")
P[7] = ts.Condition(ts.RLock())
P[9] = ts.Semaphore(1)
if ts.Queue then
  P[5] = ts.Timer(0.01, function() G.n = G.n + 1 end)
  P[8] = ts.ThreadPool(1)
  P[10] = ts.ThreadPool()
else
  P[5] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[8] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[10] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  CO[2] = coroutine.create(function()
    local _ <close> = P[9]:hold()
    coroutine.yield(1)
    G.n = G.n + 1
  end)
  pcall(coroutine.resume, CO[2])
  ts.yield()
  local r = P[4]:with(function(...)
    do
      local ok, e = pcall(function() return P[7]:acquire(true, 0.0) end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    pcall(function()
      F[#F % 6 + 1] = P[8]:submit(function(...)
        error("x")
        pcall(function() P[4]:with({}) end)
        ts.sleep(0.05)
      end, {string.rep('v', 1000), k = {kind = 'RuntimeError', message = 'fake'}})
    end)
    do
      local ok, e = pcall(function() return P[7]:with(function() return P[7]:wait_for(42, 0.01) end) end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    P[4]:with({})
    return ...
  end, ts.BrokenBarrierError, true)
  P[3]:notify(2^53)
  pcall(function() local _ = P[3]:release() end)
  if not pcall(function() P[4]:value() end) then ts.yield() end
  pcall(function() local _ = P[1]:release() end)
  local _ = P[2].parties, P[2].n_waiting, P[2].broken, P[2].nope
  local _ = ts.seed(), ts.sched()
  do local s = string.rep('x', 10); G.len = #s end
  pcall(function() local function f() return coroutine.wrap(f)() end return f() end)
  pcall(function() P[6].locked(ts.current_thread()) end)
end
local function W2(...)
  for _ = 1, 3 do
    pcall(coroutine.wrap(function() tostring(setmetatable({}, {__tostring = function() coroutine.yield() end})) end))
  end
  pcall(coroutine.wrap(function() P[3]:with(function() coroutine.yield(1) end) end))
  for _ = 1, 33 do G.n = G.n + 1 end
  pcall(function()
    F[#F % 6 + 1] = P[8]:submit(function(...)
      ts.sleep(0.05)
      local _ = P[2].parties, P[2].n_waiting, P[2].broken, P[2].nope
    end, {kind = 42})
  end)
end
local function W3(...)
  pcall(function() local r = P[1]:with(function(...)
    collectgarbage()
    pcall(function()
      local t = ts.spawn(function(...)
        ts.sleep(0.02)
        collectgarbage('generational')
      end, coroutine.running())
      t:join(0/0)
    end)
    pcall(function() local _ = P[2]:wait() end)
    pcall(function() P[7]:notify() end)
  end, coroutine.running()) end)
  do
    local ok, e = pcall(function() return P[1]:release() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() local r = P[3]:with(function(...)
    local _ = ts.enumerate(), ts.active_count(), ts.get_ident(), ts.main_thread()
    if not pcall(function() T[4]:start() end) then ts.yield() end
    pcall(ts.sleep, print)
  end, "boom") end)
  pcall(function()
    local t = ts.spawn(function(...)
      local r = P[1]:with(function(...)
        pcall(function() local _ = P[4]:value() end)
        pcall(function() local _ = P[2]:wait(0.005) end)
        pcall(ts.sleep, -0.0)
        if G.local_ then G.local_.x = nil end
      end, P[3], nil)
    end, "boom")
  end)
  for _, p in ipairs(P) do G.last = tostring(p) end
  pcall(function() local r = P[6]:with(function(...)
    pcall(P[7].with, P[7], function()
      G.flag = true
      P[7]:notify(nil)
    end)
  end, "err") end)
  pcall(function()
    do
      local _ <close> = P[3]:hold()
      ts.sleep(0.001)
      ts.sleep(0.002)
      pcall(function() local t = ts.Timer(0/0, print); t:start(); t:cancel(); t:join(0.01) end)
      pcall(function() local s = string.rep('x', 10); G.len = #s end)
    end
  end)
  pcall(function()
    local t = {}
    for i = 1, 10000 do t[i] = {i} end
    G.big = t
  end)
end
local function W4(...)
  if not pcall(function() P[9]:release(nil) end) then ts.yield() end
  pcall(P[7].with, P[7], function()
    local tries = 0
    while not G.flag and tries < 1 do
      tries = tries + 1
      local _ = P[7]:wait(0.001)
    end
  end)
  pcall(function() local r = P[9]:with(function(...)
    pcall(function() T[4]:join(-math.huge) end)
    ts.sleep(0.02)
    local _ = P[3]:notify(2)
    error(setmetatable({}, {}))
  end) end)
  pcall(function() P[7]:with(function() return P[7]:wait_for(function() error('pred boom') end, 0.02) end) end)
  ts.sleep(TO(1))
  pcall(P[3].with, P[3], function()
    G.flag = true
    P[3]:notify_all()
  end)
  pcall(function() local r = P[3]:with(function(...)
    pcall(function() P[3]:notify_all() end)
    ts.check(type(G) == 'table', nil)
    do
      local ok, e = pcall(function() return P[9]:acquire(true, TO(2^63)) end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    pcall(function() P[2].reset() end)
  end) end)
  pcall(function() local _ = F[1]:result(1e-300) end)
  error(nil)
  pcall(function()
    F[#F % 6 + 1] = P[8]:submit(function(...)
      pcall(function() local _ = T[1]:is_alive(), T[1].ident, T[1].name, T[1].result, T[1].error, T[1].daemon end)
      return math.huge
    end)
  end)
end
local function W5(...)
  pcall(function() local _ = ts.wait(F, 0.01) end)
  for _ = 1, 3 do
    do
      local ok, e = pcall(function() return P[9]:acquire() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
  end
end
T[1] = ts.spawn(W1, P[8], {message = {}})
T[2] = ts.Thread{target = W2, args = {}, name = "w2"}
T[2]:start()
T[3] = ts.Thread{target = W3, args = {true}, name = "w3", daemon = true}
T[3]:start()
T[4] = ts.Thread{target = W4, args = {"err"}, name = "w4"}
T[4]:start()
T[5] = ts.spawn(W5, 'not hostile', "x")
if not pcall(function() local _ = P[10]:shutdown() end) then ts.yield() end
do
  local ok, e = pcall(function() return P[3]:notify(1) end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
error({})
pcall(function()
  do
    local _ <close> = P[3]:hold()
    CO[1] = coroutine.create(function()
      local _ <close> = P[7]:hold()
      coroutine.yield(1)
      G.n = G.n + 1
    end)
    pcall(coroutine.resume, CO[1])
    P[6].locked()
    local _ = #ts.enumerate()
    local r = P[9]:with(function(...)
      pcall(function() local t = {} for i = 1, 64 do t[i] = string.rep(tostring(i), 4096) end G.s = table.concat(t) end)
      pcall(function()
        do
          local _ <close> = P[4]:hold()
          local _ = F[4]:running()
          pcall(function()
            do
              local _ <close> = P[4]:hold()
              local _ = P[2].parties, P[2].n_waiting, P[2].broken, P[2].nope
              pcall(function() P[3]:wait({kind = 'ValueError'}, "boom") end)
              pcall(P[7].release, P[7])
            end
          end)
          local r = P[3]:with(function(...)
            pcall(function() local _ = P[2]:reset() end)
            local _ = P[2].parties, P[2].n_waiting, P[2].broken, P[2].nope
            pcall(function() local q = ts.PriorityQueue(); q:put({2, 'b'}); q:put({1, 'a'}); q:put(nil); G.v = q:get() end)
            if not pcall(function() local _ = F[6]:cancel() end) then ts.yield() end
          end, {1, 2, 3})
        end
      end)
    end)
  end
end)
pcall(T[1].join, T[1], 0.02)
pcall(T[4].join, T[4])
T[5]:join(TO(1))
ts.outcome(G.n % 5, G.flag)
