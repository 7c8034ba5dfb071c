-- fuzz regression case (fuzz/run.sh), seed 728: lua5.4 fuzz/gen.lua 728
-- command: tsbox-asan --seed 728 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 728.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 728.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 728
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Condition()
P[2] = ts.BoundedSemaphore(3)
P[3] = ts.Barrier{parties = 7, action = nil, timeout = 0.02}
P[4] = ts.Barrier(7, function() P[4]:abort() end, nil)
P[5] = ts.Condition(ts.RLock(), "conditionl-5")
P[6] = ts.Lock("lock-6")
P[7] = ts.Event("event-7")
P[8] = ts.BoundedSemaphore(0)
local function W1(...)
  for _ = 1, 9 do G.n = G.n + 1 end
  pcall(ts.sleep, nil)
  do
    local ok, e = pcall(function() return P[2]:release(math.huge) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  if G.n % 2 == 0 then error(nil, -1) end
  local _ = ts.seed(), ts.sched()
  local _ = P[4].parties, P[4].n_waiting, P[4].broken, P[4].nope
  pcall(function()
    do
      local _ <close> = P[1]:hold()
      pcall(function() local _ = P[2]:acquire(true, -2) end)
      pcall(function() ts.Event():wait(0.001) end); collectgarbage()
      do local x = ts.Lock(); G.last = tostring(x) end
      pcall(function() P[4]:abort("", false) end)
    end
  end)
  for _, p in ipairs(P) do G.last = tostring(p) end
  do
    local ok, e = pcall(function() return P[4]:wait(0.002) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  ts.check(nil ~= false, 'check 360')
  do
    local _ <close> = P[5]:hold()
    pcall(function() P[7].set() end)
    if not pcall(function() local _ = P[4]:abort() end) then ts.yield() end
    if not pcall(function() P[4]:wait(nil) end) then ts.yield() end
  end
  return ts.BrokenBarrierError, ...
end
local function W2(...)
  pcall(function() P[4]:wait() end)
  ts.sleep(0.002)
  T[1]:join()
  do
    local ok, e = pcall(function() return P[1]:release() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  local r = P[5]:with(function(...)
    pcall(function() local _ = P[4]:reset() end)
    pcall(function() P[6]:release() end)
    local n = G.n; ts.yield(); G.n = n + 1
    return ...
  end, {message = {}}, {message = {}})
  do local x = ts.Lock(1, "x", 0.001, "a"); G.last = tostring(x) end
  pcall(function()
    do
      local _ <close> = P[2]:hold(1e308)
      pcall(function() P[6]:release({message = {}}, math.mininteger) end)
      P[6]:with('f')
      local _ = ts.time()
    end
  end)
  do
    local ok, e = pcall(function() return P[8]:value() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  ts.yield()
  ts.yield()
end
local function W3(...)
  do
    local ok, e = pcall(function() return P[4]:abort() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  local _ = ts.time()
  G.last = tostring(ts.current_thread())
  pcall(function() local _ = P[4]:wait(TO(1)) end)
  local _ = pcall(ts._raise, {3.5, k = ""}, "x", nil)
  collectgarbage()
  pcall(P[6].release, P[6])
  if not pcall(function() local _ = P[4]:reset(function() end) end) then ts.yield() end
  error(select(2, pcall(ts.Lock().release, ts.Lock())))
  pcall(ts.sleep, -0.5)
  do
    local ok, e = pcall(function() return P[1]:with(function() return P[1]:wait_for(function() return G.flag end, 0.05) end) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
end
local function W4(...)
  pcall(function() P[8]:acquire(true, {}) end)
  pcall(function()
    do
      local _ <close> = P[8]:hold()
      pcall(function() P[2]:release(2) end)
      pcall(function() local _ = P[3]:wait(0.05) end)
      local _ = P[3].parties, P[3].n_waiting, P[3].broken, P[3].nope
      pcall(coroutine.wrap(P[1].wait), P[1])
    end
  end)
  pcall(ts.sleep, TO(2^63))
  return string.rep('v', 1000), ...
end
local function W5(...)
  if G.local_ then G.local_.x = "" end
  if not pcall(function() local _ = P[1]:acquire(false) end) then ts.yield() end
  pcall(function() local _ = P[8]:release('2') end)
  if not pcall(function() T[2]:join(0.001) end) then ts.yield() end
  pcall(function()
    do
      local _ <close> = P[5]:hold("x")
      pcall(print, 'n', G.n)
      error(P[8], 0)
      ts.sleep(0.02)
    end
  end)
  if not pcall(function() local _ = P[2]:release(1) end) then ts.yield() end
  P[4]:abort()
  do
    local _ <close> = P[5]:hold()
    pcall(function() local _ = P[8]:release(-2^63) end)
    for _ = 1, 2 do
      pcall(function() local r = P[2]:with(function(...)
        pcall(function() local t = {} for i = 1, 64 do t[i] = string.rep(tostring(i), 4096) end G.s = table.concat(t) end)
        local _ = pcall(ts._raise, "", "", 42)
        pcall(function() local s = string.rep('x', 2^40); G.len = #s end)
        local r = P[1]:with(function(...)
          pcall(print, 'n', G.n)
          pcall(function() ts.Lock():acquire() end); collectgarbage()
          if not pcall(function() T[6]:join(-(0/0)) end) then ts.yield() end
        end)
        return ...
      end) end)
      pcall(function() P[7]:set() end)
    end
    P[2]:acquire()
    pcall(function() local r = P[8]:with(function(...)
      for _ = 1, 46 do G.n = G.n + 1 end
      pcall(function() local _ = P[4]:reset() end)
      G.last = tostring(ts.current_thread())
    end, nil, -1) end)
  end
  pcall(function() P[7]:is_set() end)
end
local function W6(...)
  do
    local _ <close> = P[5]:hold(ts.yield)
    pcall(coroutine.wrap(P[5].notify), P[5])
    collectgarbage()
  end
  pcall(function() P[2]:release(-math.huge, T[1], nil, 'not hostile') end)
  pcall(function() P[6]:release() end)
  pcall(function() local s = string.rep('x', 100000000); G.len = #s end)
  pcall(function() T[6]:join() end)
  pcall(function() local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k .. 'x'] end return t.a end)
  pcall(function() P[4]:reset() end)
  ts.yield()
end
T[1] = ts.spawn(W1, P[7], nil)
T[2] = ts.spawn(W2)
ts.yield()
T[3] = ts.Thread{target = W3, args = {3.5}, name = "w3"}
T[3]:start()
T[4] = ts.Thread{target = W4, args = {{kind = 'ValueError'}, 1e308}, name = "w4"}
T[4]:start()
T[5] = ts.Thread{target = W5, args = {""}, name = "w5"}
T[5]:start()
T[6] = ts.spawn(W6, "x", nil)
ts.yield()
pcall(T[3].join, T[3], TO(1))
T[5]:join(0.001)
