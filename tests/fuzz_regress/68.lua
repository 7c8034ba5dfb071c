-- fuzz regression case (fuzz/run.sh), seed 68: lua5.4 fuzz/gen.lua 68
-- command: tsbox-asan --seed 68 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 68.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 68.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 68
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Barrier{parties = 8, action = nil, timeout = nil}
P[2] = ts.Barrier(2, function() P[2]:abort() end, 0)
P[3] = ts.Semaphore(1)
local function W1(...)
  local r = P[3]:with(function(...)
    P[2]:wait(0.002)
    pcall(ts.sleep, TO(0.2))
    pcall(function()
      do
        local _ <close> = P[1]:hold()
        pcall(P[3].release, P[3])
        pcall(function() local function f(n) return pcall(f, n + 1) end return f(1) end)
        pcall(function() local r = P[3]:with(function(...)
          error("", 2)
          if not pcall(function() P[2]:wait() end) then ts.yield() end
        end, "RuntimeError") end)
        pcall(function() local t = setmetatable({}, {__tostring = function(s) return tostring(s) end}) return tostring(t) end)
      end
    end)
    pcall(function() local r = P[3]:with(function(...)
      for _ = 1, 4 do
        G.n = G.n + 1
      end
    end) end)
  end)
  pcall(function() local r = P[3]:with(function(...)
    ts.sleep(TO(10))
  end, "") end)
  pcall(function() local _ = P[1]:reset("err") end)
end
local function W2(...)
  pcall(function() P[2]:wait(0.002) end)
  pcall(function()
    local t = ts.spawn(function(...)
      if not pcall(function() P[3]:release() end) then ts.yield() end
      error(setmetatable({}, {}))
    end)
    t:join()
  end)
  pcall(function() ts.current_thread():join(0) end)
  do
    local _ <close> = P[2]:hold()
    pcall(ts.sleep, 0.02)
    pcall(string.rep, 'ab', 1e10, ',')
    pcall(function() local _ = P[1]:abort() end)
  end
  pcall(ts.sleep, nil)
  return nil, ...
end
local function W3(...)
  if not pcall(function() local _ = P[3]:release(1) end) then ts.yield() end
  pcall(function() P[2]:abort() end)
  pcall(function() local _ = P[2]:abort(P[2], {"x", k = 'not hostile'}) end)
  P[1]:reset()
  pcall(function() local t = ts.Timer(0/0, function() G.n = G.n + 1 end); t:start(); t:cancel(); t:join(0.01) end)
  if not pcall(function() P[3]:acquire(true) end) then ts.yield() end
  error({}, -1)
  pcall(function() local r = P[3]:with(function(...)
    pcall(function() P[2]:wait() end)
  end, nil, false) end)
  pcall(ts.sleep, -0.0)
  ts.sleep(0.002)
  if not pcall(function() local _ = P[1]:reset() end) then ts.yield() end
  pcall(function() local _ = P[1]:abort(string.rep('v', 1000000), false, P[3]) end)
end
local function W4(...)
  pcall(function() ts.current_thread():join(-2) end)
  T[3]:join(0.01)
  pcall(function()
    do
      local _ <close> = P[3]:hold()
      P[2]:wait(0.05)
    end
  end)
  if not pcall(function() local _ = F[5]:exception(0.002) end) then ts.yield() end
  if not pcall(function() P[3]:value("", true, ts) end) then ts.yield() end
  P[3]:value()
  P[3].acquire(P[1])
  do
    local ok, e = pcall(function() return P[3]:acquire(0, ts.yield, 42, true) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(P[3].release, P[3])
  pcall(function() local r = P[3]:with(function(...)
    ts.sleep(0.01)
  end, 'not hostile', G) end)
  pcall(function() P[2].broken = error end)
  local _ = P[2].parties, P[2].n_waiting, P[2].broken, P[2].nope
end
local function W5(...)
  pcall(ts.sleep, 0.005)
  pcall(function() local t = setmetatable({}, {__tostring = function(s) return tostring(s) end}) return tostring(t) end)
  pcall(function() P[1]:reset() end)
  local _ = F[3]:result()
  debug.sethook(function() G.hook = (G.hook or 0) + 1 end, '', 100)
  pcall(function() P[2]:reset() end)
  pcall(function()
    do
      local _ <close> = P[3]:hold()
      pcall(ts.sleep, nil)
      pcall(function() P[1]:wait() end)
      if not pcall(function() P[1]:wait(-1) end) then ts.yield() end
      error(nil)
    end
  end)
end
local function W6(...)
  pcall(function()
    local t = ts.spawn(function(...)
      pcall(function() local _ = P[1]:abort() end)
      local t0 = ts.time(); while ts.time() < t0 + 0.01 do G.n = G.n + 1 end
      pcall(function() for _, v in pairs(debug.getregistry()) do G.last = tostring(v) end end)
    end)
    t:join(TO(2^63))
  end)
  pcall(function() local function f(s) return (string.gsub(s, '.', f)) end return f('ab') end)
  pcall(function() local function f() return coroutine.wrap(f)() end return f() end)
  pcall(function()
    local t = {}
    for i = 1, 10000 do t[i] = {i} end
    G.big = nil
  end)
  local _ = #ts.enumerate()
  pcall(P[3].release, P[3])
  CO[3] = coroutine.create(function()
    local _ <close> = P[3]:hold()
    coroutine.yield(1)
    G.n = G.n + 1
  end)
  pcall(coroutine.resume, CO[3])
  CO[1] = coroutine.create(function()
    local _ <close> = P[3]:hold()
    coroutine.yield(1)
    G.n = G.n + 1
  end)
  pcall(coroutine.resume, CO[1])
  pcall(function() local _ = T[4]:is_alive(), T[4].ident, T[4].name, T[4].result, T[4].error, T[4].daemon end)
end
local function W7(...)
  ts.check()
  pcall(function() local s = string.rep('x', math.maxinteger); G.len = #s end)
  if not pcall(function() P[1]:reset() end) then ts.yield() end
  pcall(coroutine.wrap(P[2].reset), P[2])
  do
    local co = coroutine.wrap(function(...)
      pcall(function() local _ = P[1]:abort() end)
    end)
    pcall(co)
  end
  for _ = 1, 2 do
    do local x = ts.Event("err", true); G.last = tostring(x) end
  end
end
T[1] = ts.spawn(W1, ts.current_thread())
T[2] = ts.spawn(W2, 3.5)
if not pcall(function() local _ = P[2]:abort() end) then ts.yield() end
T[3] = ts.Thread{target = W3, args = {"x"}, name = "w3"}
T[3]:start()
T[4] = ts.spawn(W4)
T[5] = ts.spawn(W5, math.huge)
T[6] = ts.Thread{target = W6, args = {nil, ""}, name = "w6", daemon = true}
T[6]:start()
T[7] = ts.Thread{target = W7, args = {coroutine.create(print), T[1]}, name = "w7"}
T[7]:start()
if not pcall(function() local _ = P[3]:acquire(print, TO(2^63), 3.5, "x", "RuntimeError") end) then ts.yield() end
ts.sleep(TO(1))
ts.yield()
do
  local ok, e = pcall(function() return P[2]:wait() end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
pcall(function()
  local t = {}
  for i = 1, 100 do t[i] = {i} end
  G.big = nil
end)
pcall(function() local _ = P[2]:wait(0.002) end)
pcall(function() local x = ts.RLock({value = P[2], name = "fork-1"}); G.last = tostring(x) end)
do
  local ok, e = pcall(function() return P[1]:wait(0) end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
do
  local co = coroutine.wrap(function(...)
    pcall(function() ts.Thread{target = print}:join() end)
    ts.sleep(TO(0))
    pcall(function() local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k .. 'x'] end return t.a end)
  end)
  pcall(co, "boom")
end
do
  local ok, e = pcall(function() return P[2]:reset() end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
T[1]:join()
T[3]:join(TO(1))
pcall(T[7].join, T[7], TO(0.2))
ts.outcome(G.n % 5, G.flag)
