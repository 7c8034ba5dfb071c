-- fuzz regression case (fuzz/run.sh), seed 374: lua5.4 fuzz/gen.lua 374
-- command: tsbox-asan --seed 374 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 374.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 374.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 374
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Semaphore(0, "semaphore-1")
P[2] = ts.RLock("rlock-2")
P[3] = ts.RLock()
P[6] = ts.Event()
P[8] = ts.Condition()
P[9] = ts.RLock{name = "p9"}
if ts.Queue then
  P[4] = ts.ThreadPool(1)
  P[5] = ts.PriorityQueue(5)
  P[7] = ts.Timer(0.02, function() G.n = G.n + 1 end)
else
  P[4] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[5] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[7] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  local r = P[3]:with(function(...)
    pcall(function() P[5]:put_nowait() end)
    return ...
  end, "")
  pcall(function() P[7]:start() end)
  ts.sleep(TO(0))
end
local function W2(...)
  ts.check()
  pcall(function()
    do
      local _ <close> = P[9]:hold()
      pcall(function() local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k .. 'x'] end return t.a end)
      do
        local ok, e = pcall(function() return P[5]:qsize({1, 2, 3}) end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
      pcall(function()
        local t = ts.spawn(function(...)
          pcall(ts.sleep, nil)
          pcall(function() T[1].daemon = string.rep('v', 1000) end)
        end, true)
        t:join()
      end)
    end
  end)
  do
    local co = coroutine.wrap(function(...)
      pcall(function() local _ = P[7]:cancel() end)
    end)
    pcall(co)
  end
  for _ = 1, 21 do G.n = G.n + 1 end
  pcall(ts.spawn, error, 'spawned error')
  pcall(function() local _ = P[4]:shutdown(true, {}, -1, nil, 3.5) end)
  do
    local ok, e = pcall(function() return P[4]:shutdown(0, false) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
end
local function W3(...)
  pcall(ts.sleep, -(0/0))
  pcall(function() local r = P[1]:with(function(...)
    if not pcall(function() P[2]:release() end) then ts.yield() end
    local n = G.n; ts.yield(); G.n = n + 1
  end) end)
  if G.n % 2 == 0 then error(nil) end
  do
    local _ <close> = P[8]:hold()
    error({kind = 'RuntimeError'})
  end
  for _ = 1, 4 do
    pcall(function() P[6].is_set() end)
    pcall(function() T[3]:join(0.002) end)
  end
  pcall(function() local function f(s) return (string.gsub(s, '.', f)) end return f('ab') end)
  pcall(function() P[2].release(P[8], "x") end)
  for _ = 1, 2 do
    collectgarbage()
    pcall(function() P[4]:shutdown('no', true) end)
  end
  if not pcall(function() local _ = P[1]:acquire({}, 0.01) end) then ts.yield() end
  ts.check(G.n % 7 ~= 3, 'check 897')
end
T[1] = ts.spawn(W1, P[9])
T[2] = ts.spawn(W2)
T[3] = ts.spawn(W3)
P[1]:acquire({}, 0.002)
pcall(P[3].release, P[3])
local _ = P[4]:shutdown(false)
do
  local _ <close> = P[9]:hold()
  pcall(function() P[6].wait(P[8]) end)
  do
    local ok, e = pcall(function() return P[9]:release() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
end
pcall(coroutine.wrap(P[7].cancel), P[7])
pcall(function() local _ = P[2]:release() end)
pcall(function() local s = string.rep('x', -1); G.len = #s end)
pcall(function()
  local t = ts.spawn(function(...)
    pcall(function() P[8]:release() end)
    if G.n % 2 == 0 then error(nil) end
    pcall(function() P[1]:value() end)
  end)
  t:join(0.05)
end)
do
  local ok, e = pcall(function() return F[1]:cancel() end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
pcall(T[2].join, T[2], TO(1))
pcall(T[3].join, T[3], 0.05)
ts.outcome(G.n % 5, G.flag)
print('done', G.n)
