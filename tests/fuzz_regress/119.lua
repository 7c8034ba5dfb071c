-- fuzz regression case (fuzz/run.sh), seed 119: lua5.4 fuzz/gen.lua 119
-- command: tsbox-asan --seed 119 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 119.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 119.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 119
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Barrier(8, nil, 0.05, "barrier-1")
P[3] = ts.Barrier(2, function() G.n = G.n + 1 end, -1)
P[4] = ts.Barrier(2, nil, nil, "barrier-4")
P[5] = ts.Semaphore(3)
P[6] = ts.Event("event-6")
P[7] = ts.Condition()
P[8] = ts.Condition()
if ts.Queue then
  P[2] = ts.ThreadPool(2)
else
  P[2] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  pcall(function() P[1].abort() end)
  pcall(ts.sleep, nil)
  collectgarbage()
  pcall(function() P[3].wait(P[6]) end)
end
local function W2(...)
  local _ = P[8]:release()
  if not pcall(function() local _ = P[1]:wait() end) then ts.yield() end
  for _ = 1, 4 do
    pcall(function() P[7]:notify() end)
  end
  pcall(function() T[5]:start() end)
  do
    local co = coroutine.wrap(function(...)
      do
        local ok, e = pcall(function() return P[4]:reset() end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
    end)
    pcall(co, "boom")
  end
  P[8].acquire()
  pcall(P[7].with, P[7], function()
    G.flag = not G.flag
    P[7]:notify_all()
  end)
  pcall(function() ts.Thread{target = error, args = 42, name = "a", daemon = nil}:start() end)
  pcall(function() local function f(n) return P[8]:with(f, n + 1) end return f(1) end)
  local _ = ts.time()
  return math.huge, ...
end
local function W3(...)
  local _ = pcall(ts._raise, P[6], 'not hostile', ts.BrokenBarrierError)
  pcall(P[8].release, P[8], 2^63)
  local r = P[5]:with(function(...)
    coroutine.yield(1)
    P[6].is_set(ts.current_thread())
    collectgarbage()
  end, "", coroutine.yield)
  pcall(function() local function f(s) return (string.gsub(s, '.', f)) end return f('ab') end)
  do
    local _ <close> = P[8]:hold()
    do
      local ok, e = pcall(function() return P[3]:reset() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    ts.sleep(0.005)
  end
  G.last = tostring(ts.current_thread())
  pcall(function() local r = P[5]:with(function(...)
    error(nil)
    collectgarbage()
    return ...
  end, 1) end)
  pcall(P[8].with, P[8], function()
    local tries = 0
    while not G.flag and tries < 1 do
      tries = tries + 1
      local _ = P[8]:wait(0.005)
    end
  end)
  do
    local ok, e = pcall(function() return P[3]:reset() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
end
local function W4(...)
  pcall(function() local _ = P[3]:wait(-(0/0)) end)
  pcall(function() P[7]:notify_all() end)
  error(nil, 100)
  pcall(function() T[7].name = "err" end)
  pcall(function() P[4]:wait(nil) end)
  return "x", ...
end
local function W5(...)
  if CO.main then pcall(coroutine.close, CO.main) end
  collectgarbage('generational')
end
local function W6(...)
  pcall(function()
    local t = {}
    for i = 1, 10000 do t[i] = {i} end
    G.big = t
  end)
  local r = P[5]:with(function(...)
    CO[1] = coroutine.create(function()
      local _ <close> = P[5]:hold()
      coroutine.yield(1)
      G.n = G.n + 1
    end)
    pcall(function() P[6]:clear() end)
    pcall(function() local t = {} for i = 1, 64 do t[i] = string.rep(tostring(i), 4096) end G.s = table.concat(t) end)
  end, P[3])
  ts.yield()
  pcall(function() local _ = P[2]:shutdown(nil, nil) end)
  P[3]:abort()
  pcall(P[7].with, P[7], function()
    G.flag = not G.flag
    P[7]:notify_all()
  end)
  return 0/0, ...
end
local function W7(...)
  P[3]:wait(0.001)
  pcall(ts.sleep, 0/0)
  pcall(P[7].with, P[7], function()
    local tries = 0
    while not G.flag and tries < 3 do
      tries = tries + 1
      local _ = P[7]:wait(0.05)
    end
  end)
  ts.sleep(0.02)
  do
    local ok, e = pcall(function() return T[7]:join(TO(30)) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
end
T[1] = ts.Thread{target = W1, args = {nil}, name = "w1"}
T[1]:start()
T[2] = ts.Thread{target = W2, args = {{kind = 'RuntimeError', message = 'fake'}, nil}, name = "w2", daemon = true}
T[3] = ts.Thread{target = W3, args = {}, name = "w3", daemon = true}
T[3]:start()
T[4] = ts.spawn(W4, "RuntimeError", "x")
T[5] = ts.Thread{target = W5, args = {42, -1}, name = "w5"}
T[5]:start()
T[6] = ts.spawn(W6, "boom")
T[7] = ts.spawn(W7, P[4], 'not hostile')
if not pcall(function() P[8]:acquire(true, 0.05) end) then ts.yield() end
pcall(P[8].release, P[8])
P[1]:abort()
ts.sleep(TO(0))
pcall(function()
  local t = ts.spawn(function(...)
    if not pcall(function() local _ = P[1]:abort() end) then ts.yield() end
  end, "")
end)
do
  local ok, e = pcall(function() return P[4]:wait("boom") end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
pcall(function()
  local t = ts.spawn(function(...)
    ts.sleep(0.002)
    do local x = ts.RLock({action = print, name = "vault"}); G.last = tostring(x) end
    G.n = G.n + 1
  end)
  t:join(TO(5))
end)
for _ = 1, 2 do
  if not pcall(function() P[3]:wait() end) then ts.yield() end
  pcall(P[7].with, P[7], function()
    local tries = 0
    while not G.flag and tries < 2 do
      tries = tries + 1
      local _ = P[7]:wait(0.005)
    end
  end)
  do
    local ok, e = pcall(function() return P[3]:wait() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
end
pcall(function() P[7]:notify(1) end)
pcall(T[1].join, T[1])
pcall(T[4].join, T[4])
pcall(T[5].join, T[5])
pcall(T[6].join, T[6])
pcall(T[7].join, T[7])
ts.outcome(G.n % 5, G.flag)
print('done', G.n)
