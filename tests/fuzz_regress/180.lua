-- fuzz regression case (fuzz/run.sh), seed 180: lua5.4 fuzz/gen.lua 180
-- command: tsbox-asan --seed 180 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 180.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 180.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 180
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[2] = ts.RLock{name = "p2"}
P[3] = ts.Barrier(1, nil, nil)
P[4] = ts.Barrier{parties = 3, action = function() return P[4]:wait(0.001) end, timeout = nil}
if ts.Queue then
  P[1] = ts.ThreadPool(1)
  P[5] = ts.ThreadPool()
else
  P[1] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[5] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  do
    local ok, e = pcall(function() return F[4]:running() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  if not pcall(function() P[4]:reset() end) then ts.yield() end
end
local function W2(...)
  do
    local ok, e = pcall(function() return P[2]:release() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  do
    local _ <close> = P[2]:hold()
    pcall(function() local _ = P[3]:wait(-(0/0)) end)
    pcall(function() local _ = P[2]:locked() end)
    do
      local ok, e = pcall(function() return P[2]:acquire(true) end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
  end
  do
    local ok, e = pcall(function() return P[4]:wait() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  if not pcall(function() P[4]:reset() end) then ts.yield() end
  do
    local _ <close> = P[2]:hold()
    pcall(function() G.local_ = ts.thread_local(42) end)
    if not pcall(function() T[7]:join(nil) end) then ts.yield() end
    collectgarbage()
  end
  if CO[3] then pcall(coroutine.status, CO[3]) end
  collectgarbage()
  pcall(function() P[2]:with(nil) end)
end
local function W3(...)
  pcall(function()
    do
      local _ <close> = P[2]:hold()
      pcall(function() T[2].ident = 42 end)
    end
  end)
  error(select(2, pcall(ts.Lock().release, ts.Lock())), 2)
  pcall(function() local r = P[2]:with(function(...)
    error("x", -1)
    if not pcall(function() P[1]:shutdown(true, true) end) then ts.yield() end
    do
      local _ <close> = P[2]:hold()
      ts.check(type(G) == 'table', nil)
      pcall(function() ts.shared(false) end)
      ts.yield()
    end
  end, "err") end)
  error({1, 2})
  CO[2] = coroutine.create(function()
    local _ <close> = P[2]:hold()
    coroutine.yield(1)
    G.n = G.n + 1
  end)
  do
    local ok, e = pcall(function() return P[2]:release() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() G.local_ = ts.thread_local(42) end)
  pcall(function() local x = ts.RLock(2, math.huge); G.last = tostring(x) end)
  if not pcall(function() P[2]:acquire(0, TO(math.maxinteger)) end) then ts.yield() end
end
local function W4(...)
  pcall(function()
    do
      local _ <close> = P[4]:hold()
      do
        local ok, e = pcall(function() return P[3]:wait() end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
      local r = P[2]:with(function(...)
        do
          local ok, e = pcall(function() return P[1]:shutdown(0, 1) end)
          if not ok then
            local s = select(2, pcall(tostring, e))
            G.log[#G.log % 8 + 1] = s
            if type(e) == 'table' then G.kind = rawget(e, 'kind') end
          end
        end
        return ...
      end)
    end
  end)
  ts.sleep(0.001)
  pcall(coroutine.wrap(function() load(function() coroutine.yield() end) end))
  error({kind = 'RuntimeError'}, 0)
  pcall(function() local _ = P[2]:acquire() end)
  pcall(function() local x = ts.Event(nil, 'a\0b'); G.last = tostring(x) end)
  pcall(function() local t = setmetatable({}, {__tostring = function(s) return tostring(s) end}) return tostring(t) end)
  do
    local ok, e = pcall(function() return P[1]:shutdown({}, true) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function()
    do
      local _ <close> = P[2]:hold()
      pcall(function() local _ = P[1]:shutdown(print) end)
    end
  end)
  pcall(function() ts.current_thread():join() end)
  pcall(P[2].release, P[2])
end
local function W5(...)
  pcall(function() local s = string.rep('x', 100000); G.len = #s end)
  pcall(function() P[4].abort(io.stdout, "boom", TO(5), "boom", P[3], error) end)
  P[1].shutdown({})
  pcall(function() P[4]:abort() end)
  pcall(function() local function f() return coroutine.wrap(f)() end return f() end)
  pcall(function()
    do
      local _ <close> = P[4]:hold()
      pcall(print, 'n', G.n)
      do
        local _ <close> = P[2]:hold()
        pcall(function() local _ = P[3]:reset() end)
        collectgarbage()
        pcall(ts.spawn, 'f')
      end
    end
  end)
end
local function W6(...)
  ts.check(G.n >= 0, ts.main_thread())
  local _ = ts.time()
  if not pcall(function() local _ = P[3]:wait(0.05) end) then ts.yield() end
  do
    local ok, e = pcall(function() return P[4]:wait() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() local t = ts.Timer(TO(1), print); t:start(); t:join(0.02) end)
  pcall(function()
    F[#F % 6 + 1] = P[1]:submit(function(...)
      pcall(function() P[3]:abort() end)
    end)
  end)
  pcall(function() for _ = 1, 40 do ts.spawn(function() G.n = G.n + 1 end) end end)
  ts.check(type(G) == 'table', nil)
  pcall(function() P[4]:wait(1e-300) end)
end
T[1] = ts.Thread{target = W1, args = {}, name = "w1"}
T[1]:start()
pcall(function() for _ = 1, 14 do ts.spawn(function() G.n = G.n + 1 end) end end)
T[2] = ts.spawn(W2)
T[3] = ts.Thread{target = W3, args = {"x", math.huge}, name = "w3", daemon = true}
T[3]:start()
T[4] = ts.spawn(W4)
T[5] = ts.Thread{target = W5, args = {}, name = "w5", daemon = true}
T[5]:start()
T[6] = ts.Thread{target = W6, args = {1}, name = "w6", daemon = true}
T[6]:start()
if not pcall(function() P[4]:abort() end) then ts.yield() end
do local x <close> = setmetatable({}, {__close = function() ts.yield() end}) end
pcall(function()
  local t = ts.spawn(function(...)
    pcall(function()
      do
        local _ <close> = P[2]:hold()
        pcall(function() T[2]:join() end)
        pcall(function() local _ = P[4]:abort() end)
      end
    end)
  end)
  t:join(0.001)
end)
if not pcall(function() local _ = P[3]:reset() end) then ts.yield() end
pcall(function() P[4]:reset() end)
if not pcall(function() P[2]:release() end) then ts.yield() end
error(nil)
pcall(T[1].join, T[1], 0.02)
pcall(T[2].join, T[2], 0.001)
T[4]:join(0.02)
