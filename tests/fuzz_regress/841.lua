-- fuzz regression case (fuzz/run.sh), seed 841: lua5.4 fuzz/gen.lua 841
-- command: tsbox-asan --seed 841 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 841.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 841.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 841
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Event("event-1")
P[2] = ts.BoundedSemaphore{value = 1}
P[3] = ts.Barrier(4, function() return P[3]:wait(0.001) end, nil)
P[4] = ts.Barrier(4, nil, nil, "barrier-4")
if ts.Queue then
  P[5] = ts.LifoQueue()
else
  P[5] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  pcall(function() P[2]:value() end)
  ts.sleep(0.005)
  pcall(function() local x = ts.Event(-1, "", 0.001, "x y"); G.last = tostring(x) end)
  ts.sleep(0.005)
  error({})
  do
    local ok, e = pcall(function() return P[5]:join() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  local _ = ts.current_thread().name .. ''
  pcall(function() local r = P[2]:with(function(...)
    pcall(function() P[2]:acquire(true, nil) end)
    if not pcall(function() local _ = P[2]:release(1) end) then ts.yield() end
  end, 1e308, false) end)
  P[1]:wait(-0.0)
  P[1]:is_set()
  do
    local co = coroutine.wrap(function(...)
      local _ = P[3]:wait()
      if not pcall(function() P[2]:acquire(true) end) then ts.yield() end
      pcall(P[2].release, P[2])
    end)
    pcall(co)
  end
  return "boom", ...
end
local function W2(...)
  ts.sleep(TO(10))
  pcall(function()
    local t = ts.spawn(function(...)
      P[3]:reset()
      for _ = 1, 1 do
        do local x <close> = setmetatable({}, {__close = function() error('close boom') end}) end
        do
          local ok, e = pcall(function() return P[4]:abort() end)
          if not ok then
            local s = select(2, pcall(tostring, e))
            G.log[#G.log % 8 + 1] = s
            if type(e) == 'table' then G.kind = rawget(e, 'kind') end
          end
        end
      end
      local _ = F[3]:add_done_callback(42)
    end, G)
  end)
  pcall(function() local t = ts.Timer(0.002, function() G.n = G.n + 1 end); t:start(); t:join(0.001) end)
  error("")
  debug.sethook()
  pcall(function() local _ = P[2]:value() end)
  CO[2] = coroutine.create(function()
    local _ <close> = P[2]:hold()
    coroutine.yield(1)
    G.n = G.n + 1
  end)
  return coroutine.create(print), ...
end
local function W3(...)
  error("x")
  P[1]:is_set()
  pcall(function() local r = P[2]:with(function(...)
    if not pcall(function() local _ = F[4]:running() end) then ts.yield() end
    for _ = 1, 4 do
      error("", 2)
      do
        local ok, e = pcall(function() return P[3]:wait({}) end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
      pcall(P[2].release, P[2])
    end
    return ...
  end) end)
  G.last = tostring(ts.current_thread())
  pcall(function()
    local t = ts.spawn(function(...)
      local _ = F[1]:add_done_callback(42)
      ts.yield()
    end, "x")
  end)
  pcall(coroutine.yield, 1)
  for _ = 1, 1 do
    do
      local ok, e = pcall(function() return P[3]:reset() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
  end
  P[5]:full()
  if not pcall(function() P[5]:empty() end) then ts.yield() end
  pcall(function() P[4].wait() end)
end
local function W4(...)
  pcall(function() P[2]:release(2, ts.RuntimeError, 1) end)
  do
    local co = coroutine.wrap(function(...)
      pcall(P[2].release, P[2])
      ts.sleep(0.001)
      pcall(P[2].release, P[2])
    end)
    pcall(co)
  end
  P[4]:reset(P[3])
end
local function W5(...)
  pcall(function() P[3]:abort() end)
  pcall(function() local x = ts.Event({traceback = 1}, {}); G.last = tostring(x) end)
  pcall(function() local r = P[2]:with(function(...)
    do
      local ok, e = pcall(function() return P[4]:abort() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    pcall(function() for f in ts.as_completed(F, 0.002) do G.v = f end end)
    pcall(function() local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k .. 'x'] end return t.a end)
  end) end)
  CO.t1 = coroutine.running()
  if not pcall(function() local _ = P[3]:abort() end) then ts.yield() end
  local _ = ts.current_thread().name .. ''
  pcall(function()
    local t = ts.spawn(function(...)
      pcall(coroutine.wrap(P[5].get), P[5])
      pcall(ts.check, false, ts.BrokenBarrierError)
    end, false)
  end)
  ts.check()
  pcall(function() P[3].wait(P[2], "", TO(1e18)) end)
  P[1]:set()
  pcall(function() local _ = P[3]:wait() end)
  pcall(function() while true do local v = P[5]:get(true, 0.02); pcall(P[5].task_done, P[5]); G.v = v end end)
  return "x", ...
end
local function W6(...)
  pcall(function() P[2].release(1, {kind = 'ValueError'}) end)
  pcall(function() P[1].wait({}, {kind = 42}, nil) end)
  if not pcall(function() P[4]:wait(1e-300) end) then ts.yield() end
  pcall(function() P[3]:abort() end)
  pcall(function() local function f(s) return (string.gsub(s, '.', f)) end return f('ab') end)
  pcall(function() local r = P[2]:with(function(...)
    pcall(function() local r = P[2]:with(function(...)
      pcall(P[2].release, P[2])
      pcall(function()
        do
          local _ <close> = P[2]:hold()
          if not pcall(function() P[3]:wait() end) then ts.yield() end
          local _ = P[5]:put({message = {}}, true, 0.01)
        end
      end)
    end) end)
    return ...
  end, nil, T[1]) end)
  pcall(function() for i = 1, 2 do P[5]:put(i, true, 0.05) end end)
  pcall(function() local _ = F[5]:running() end)
  pcall(function() local _ = F[2]:running() end)
end
T[1] = ts.Thread{target = W1, args = {"", {}}, name = "w1", daemon = true}
T[2] = ts.spawn(W2, "err", "RuntimeError")
T[3] = ts.spawn(W3)
do
  local ok, e = pcall(function() return F[5]:cancel() end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
T[4] = ts.spawn(W4, nil)
T[5] = ts.spawn(W5, P[4], "boom")
T[6] = ts.spawn(W6)
pcall(function() P[4].reset(P[3], 42) end)
debug.sethook()
local _ = P[4]:wait(0/0)
ts.sleep(0.01)
if G.local_ then G.local_.x = "x" end
pcall(function() local t = {} for i = 1, 64 do t[i] = string.rep(tostring(i), 4096) end G.s = table.concat(t) end)
pcall(function() local _ = F[4]:exception(0.002) end)
pcall(function() T[4].name = string.rep('v', 1000) end)
pcall(T[2].join, T[2], 0.05)
pcall(T[3].join, T[3], 0.01)
pcall(T[4].join, T[4], 0.005)
T[5]:join(0.01)
ts.outcome(G.n % 5, G.flag)
