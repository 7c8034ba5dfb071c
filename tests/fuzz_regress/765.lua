-- fuzz regression case (fuzz/run.sh), seed 765: lua5.4 fuzz/gen.lua 765
-- command: tsbox-asan --seed 765 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 765.lua
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 765.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 765
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
local function H(k)
  if k == 1 then return setmetatable({}, {__tostring = function() error('tostring boom') end})
  elseif k == 2 then return setmetatable({}, {__tostring = function() return {} end})
  elseif k == 3 then return setmetatable({}, {__index = function() error('index boom') end})
  elseif k == 4 then return setmetatable({kind = 'RuntimeError'}, {__tostring = function() coroutine.yield() end})
  elseif k == 5 then return {kind = {}, message = 42, traceback = false}
  elseif k == 6 then return setmetatable({}, {__name = 42, __metatable = false})
  elseif k == 7 then return setmetatable({}, {__gc = function() error('gc boom') end})
  elseif k == 8 then return string.rep('E', 100000)
  elseif k == 9 then return setmetatable({}, {__call = function() return 1 end, __name = 'tsbox.Lock'})
  elseif k == 10 then return setmetatable({}, {__len = function() error('len boom') end, __pairs = function() error('pairs boom') end, __index = function() ts.sleep(0.001) end})
  elseif k == 11 then return setmetatable({kind = 'ValueError', message = setmetatable({}, {__tostring = function() error('msg boom') end})}, {__concat = function() error('concat boom') end})
  else return coroutine.create(print) end
end
P[1] = ts.Lock("lock-1")
P[2] = ts.Barrier(1, nil, nil, "barrier-2")
P[4] = ts.BoundedSemaphore{value = 2}
P[5] = ts.Barrier{parties = 4, action = nil, timeout = nil}
P[6] = ts.Event()
P[7] = ts.RLock("rlock-7")
P[9] = ts.Condition()
P[10] = ts.Barrier{parties = 3, action = function() G.n = G.n + 1 end, timeout = 0.005}
if ts.Queue then
  P[3] = ts.Queue(1)
  P[8] = ts.Queue(5)
else
  P[3] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[8] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  collectgarbage('isrunning')
  do
    local co = coroutine.wrap(function(...)
      if not pcall(function() local _ = P[3]:put_nowait({nil, k = {P[5], k = "boom"}}) end) then ts.yield() end
      pcall(function() P[10]:reset() end)
    end)
    pcall(co)
  end
  collectgarbage()
end
local function W2(...)
  do
    local ok, e = pcall(function() return F[3]:add_done_callback(42) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function()
    do
      local _ <close> = P[7]:hold()
      pcall(function() P[9].wait(P[6], {0/0, k = nil}) end)
      pcall(function() P[9]:notify_all() end)
      do
        local ok, e = pcall(function() return F[4]:result(0.002) end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
      CO[1] = coroutine.create(function()
        local _ <close> = P[9]:hold()
        coroutine.yield(1)
        G.n = G.n + 1
      end)
    end
  end)
  if CO[1] then pcall(coroutine.close, CO[1]) end
  for _ = 1, 1 do
    pcall(P[4].release, P[4])
    do
      local ok, e = pcall(function() return T[2]:start() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    ts.yield(1, 2)
  end
  for _ = 1, 3 do
    pcall(function()
      local t = ts.spawn(function(...)
        pcall(function() local _ = P[9]:notify_all() end)
      end)
    end)
    pcall(P[7].release, P[7])
    pcall(function() T[7]:start() end)
  end
  if not pcall(function() P[9]:release() end) then ts.yield() end
  pcall(function() local x = ts.Lock({lock = ts.current_thread(), name = math.mininteger}); G.last = tostring(x) end)
  ts.yield()
  pcall(function() local _ = P[3]:qsize() end)
  pcall(P[9].with, P[9], function()
    G.flag = false
    P[9]:notify_all()
  end)
end
local function W3(...)
  ts.sleep(0.05)
  do
    local ok, e = pcall(function() return P[4]:acquire(true, TO(5)) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(P[4].release, P[4])
  pcall(function() ts.Thread{target = print}:join() end)
  do
    local ok, e = pcall(function() return T[5]:join(0.001) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() for _ = 1, 30 do ts.spawn(function() G.n = G.n + 1 end) end end)
  pcall(function() ts.current_thread():join(0.01) end)
  pcall(function() G.local_ = ts.thread_local({x = 1}) end)
  pcall(function() P[6].set('x') end)
  do
    local ok, e = pcall(function() return P[8]:full({1, 2, 3}) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
end
local function W4(...)
  local r = P[4]:with(function(...)
    pcall(P[9].notify_all, P[9])
    do
      local ok, e = pcall(function() return T[8]:join(0/0) end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
  end)
  error("x")
  collectgarbage()
  local n = G.n; ts.yield(); G.n = n + 1
  error({kind = 'RuntimeError', message = 'fake'}, 2)
  pcall(coroutine.wrap(P[8].full), P[8])
  do
    local _ <close> = P[7]:hold()
    do
      local _ <close> = P[1]:hold()
      ts.sleep(TO(0))
      P[3]:qsize()
      pcall(function() ts.Thread{target = 42, args = {n = 5}, name = string.rep('N', 100000), daemon = {"err", k = {1, 2, 3}}}:start() end)
    end
    CO[2] = coroutine.create(function()
      local _ <close> = P[9]:hold()
      coroutine.yield(1)
      G.n = G.n + 1
    end)
    pcall(function() local _ = P[2]:wait(0.002) end)
  end
  local _ = P[4]:release(2)
  local _ = pcall(ts._raise, "boom", H(4), {})
  do
    local ok, e = pcall(function() return P[4]:value({string.rep('v', 100000), k = G}) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  T[4]:join(-(0/0))
  pcall(function() P[2].abort(P[1]) end)
  return {1, 2, 3}, ...
end
local function W5(...)
  pcall(function()
    local t = {}
    for i = 1, 100 do t[i] = {i} end
    G.big = t
  end)
  pcall(ts.outcome, nil, "RuntimeError")
  P[9]:notify_all()
  do
    local _ <close> = P[5]:hold()
    pcall(ts.Thread, setmetatable({}, {__index = function() error('field boom') end}))
    pcall(function() P[3].full(P[10]) end)
  end
  pcall(function() local _ = P[8]:full() end)
  pcall(function()
    do
      local _ <close> = P[1]:hold()
      pcall(P[9].with, P[9], function()
        G.flag = false
        P[9]:notify_all()
      end)
      do
        local ok, e = pcall(function() return P[5]:reset() end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
      pcall(function() local x = ts.Condition({parties = H(3), name = '%s%s%s%s%n'}); G.last = tostring(x) end)
      do
        local _ <close> = P[4]:hold()
        ts.sleep(0.005)
        pcall(function() P[5]:wait(0.01) end)
        pcall(function() P[3]:put(coroutine.create(print)) end)
      end
    end
  end)
  pcall(function() local p <close> = ts.ThreadPool(math.maxinteger); p:submit(print, 1) end)
  pcall(function() P[9]:with(function() return P[9]:wait_for(function() ts.yield(); return true end, 0.01) end) end)
  pcall(P[9].with, P[9], function()
    G.flag = not G.flag
    P[9]:notify()
  end)
  pcall(function() P[10].wait() end)
  ts.sleep(0.05)
  do
    local _ <close> = P[1]:hold()
    do
      local ok, e = pcall(function() return P[9]:wait(math.mininteger) end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    error(nil)
    pcall(function() local r = P[4]:with(function(...)
      pcall(P[4].release, P[4])
      for _ = 1, 2 do
        local r = P[1]:with(function(...)
          pcall(function() P[5].broken = 42 end)
          error(ts.BrokenBarrierError)
          pcall(function() local x = ts.Barrier(1, print); G.last = tostring(x) end)
          if not pcall(function() P[5]:reset(ts.main_thread()) end) then ts.yield() end
        end, coroutine.create(print))
      end
      pcall(function()
        local t = {}
        for i = 1, 100 do t[i] = {i} end
        G.big = t
      end)
      pcall(function() T[6]:join(0.005) end)
      return ...
    end, nil) end)
    ts.yield(1, 2)
  end
end
local function W6(...)
  pcall(function() local x = ts.Condition(2^53, {message = {}}, -1e308, '%s%n%d'); G.last = tostring(x) end)
  pcall(function() local r = P[7]:with(function(...)
    local _ = ts.time()
    pcall(P[9].with, P[9], function()
      local tries = 0
      while not G.flag and tries < 3 do
        tries = tries + 1
        local _ = P[9]:wait(0.02)
      end
    end)
    do
      local ok, e = pcall(function() return P[2]:reset() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
  end, 3.5) end)
  ts.outcome(P[3])
  if not pcall(function() P[5]:wait(1e-300) end) then ts.yield() end
  pcall(string.rep, 'ab', 1e10, ',')
  pcall(function() local _ = F[2]:cancel() end)
  do
    local ok, e = pcall(function() return F[3]:running() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  ts.yield()
end
local function W7(...)
  ts.yield()
end
local function W8(...)
  ts.yield()
end
T[1] = ts.spawn(W1, error, {})
T[2] = ts.spawn(W2, function() end, string.rep('v', 1000000))
ts.yield()
T[3] = ts.Thread{target = W3, args = {""}, name = "w3"}
T[3]:start()
T[4] = ts.spawn(W4, "err")
T[5] = ts.spawn(W5, nil, 1)
T[6] = ts.Thread{target = W6, args = {42, P[1]}, name = "w6"}
T[6]:start()
T[7] = ts.spawn(W7, math.huge, 0)
T[8] = ts.Thread{target = W8, args = {}, name = "w8"}
T[8]:start()
ts.yield()
pcall(T[1].join, T[1])
pcall(T[3].join, T[3], 0.005)
pcall(T[4].join, T[4])
pcall(T[5].join, T[5], 0.05)
pcall(T[6].join, T[6], 0.02)
pcall(T[7].join, T[7])
pcall(T[8].join, T[8])
ts.outcome(G.n % 5, G.flag)
print('done', G.n)
