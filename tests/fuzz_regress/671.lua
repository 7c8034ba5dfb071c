-- fuzz regression case (fuzz/run.sh), seed 671: lua5.4 fuzz/gen.lua 671
-- command: tsbox-asan --seed 671 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 671.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 671.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 671
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[2] = ts.Event()
P[3] = ts.Semaphore(2)
if ts.Queue then
  P[1] = ts.Timer(0.002, function() G.n = G.n + 1 end)
else
  P[1] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  pcall(function() ts.Thread{target = nil, args = nil, name = "", daemon = "RuntimeError"}:start() end)
  P[1]:is_alive()
  pcall(P[3].release, P[3])
  if not pcall(function() local _ = P[2]:wait() end) then ts.yield() end
  local r = P[3]:with(function(...)
    local _ = ts.time()
  end, ts.RuntimeError, "")
  if not pcall(function() P[1]:join(0.0, ts.yield, {false, k = P[1]}) end) then ts.yield() end
  pcall(function() local q = ts.LifoQueue(); q:put(nil); G.v = q:get() end)
  ts.check(type(G) == 'table', 'check 418')
  if not pcall(function() T[1]:join() end) then ts.yield() end
  pcall(function() local t = ts.Timer(0, function() G.n = G.n + 1 end); t:start(); t:cancel(); t:join(0.001) end)
end
local function W2(...)
  ts.sleep(0.005)
  pcall(function() T[4].daemon = "" end)
  if not pcall(function() P[2]:clear() end) then ts.yield() end
  pcall(function()
    do
      local _ <close> = P[3]:hold()
      ts.check(G.n >= 0)
      pcall(function() P[3].acquire(P[2]) end)
      pcall(function() local r = P[3]:with(function(...)
        pcall(function() local _ = P[1]:start() end)
        P[3]:value()
        pcall(function() local _ = P[3]:value() end)
        return ...
      end, 0/0, true) end)
      do
        local ok, e = pcall(function() return P[2]:is_set() end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
    end
  end)
  pcall(function() local s = string.rep('x', -1); G.len = #s end)
  local _ = ts.seed(), ts.sched()
  pcall(function() P[3]:release(2^31) end)
  pcall(function() P[3]:value() end)
  pcall(function() P[3]:release(1) end)
  pcall(function() T[1]:join(0.001) end)
end
local function W3(...)
  pcall(print, 'n', G.n)
  pcall(function() local x = ts.Lock(0/0, 'h'); G.last = tostring(x) end)
  ts.sleep(0.01)
  pcall(P[3].release, P[3], 1)
  pcall(function() local x = ts.Condition({name = 'not hostile', name = "vault"}); G.last = tostring(x) end)
  error(nil, -1)
  pcall(function() P[1]:start() end)
  CO[3] = coroutine.create(function()
    local _ <close> = P[3]:hold()
    coroutine.yield(1)
    G.n = G.n + 1
  end)
  ts.sleep(0.002)
  ts.sleep(0.001)
  local _ = ts.time()
  return ts.main_thread(), ...
end
local function W4(...)
  pcall(function() local _ = P[3]:release(2) end)
  local r = P[3]:with(function(...)
    pcall(P[3].release, P[3])
    do
      local ok, e = pcall(function() return P[1]:cancel() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    local r = P[3]:with(function(...)
      pcall(function() local t = ts.Timer(0/0, print); t:start(); t:join(0.02) end)
      if not pcall(function() T[3]:join(0.002) end) then ts.yield() end
      P[1].start(P[2], false, -2)
      local _ = ts.time()
    end)
  end, true, string.rep('v', 1000000))
  pcall(function()
    do
      local _ <close> = P[3]:hold()
      pcall(function() local function f(s) return (string.gsub(s, '.', f)) end return f('ab') end)
      pcall(function() T[4]:start() end)
    end
  end)
  return false, ...
end
local function W5(...)
  pcall(coroutine.wrap(P[3].release), P[3])
  T[6]:join(TO(30))
  P[2]:wait(0.05)
  if not pcall(function() T[1]:start() end) then ts.yield() end
  P[2]:wait(0.005)
  pcall(coroutine.yield, 1)
  pcall(function() local r = P[3]:with(function(...)
    ts.sleep(0.005)
    pcall(function() local _ = F[2]:done() end)
    return ...
  end, {kind = 42}) end)
  pcall(ts.sleep, 0.02)
end
local function W6(...)
  CO.t2 = coroutine.running()
  pcall(function() local function f(s) return (string.gsub(s, '.', f)) end return f('ab') end)
  for _ = 1, 7 do G.n = G.n + 1 end
  pcall(function() local _ = F[5]:cancel() end)
  collectgarbage()
  return ts.current_thread(), ...
end
T[1] = ts.Thread{target = W1, args = {ts.main_thread(), "x"}, name = "w1"}
T[1]:start()
T[2] = ts.Thread{target = W2, args = {}, name = "w2"}
T[2]:start()
T[3] = ts.spawn(W3)
T[4] = ts.Thread{target = W4, args = {"err", ""}, name = "w4", daemon = true}
T[4]:start()
T[5] = ts.spawn(W5, "err", P[1])
pcall(function() local r = P[3]:with(function(...)
  pcall(function() local function f() return coroutine.wrap(f)() end return f() end)
  pcall(function() local _ = P[1]:is_alive() end)
  pcall(P[3].release, P[3])
  pcall(function() local r = P[3]:with(function(...)
    if not pcall(function() P[3]:release(0/0, "RuntimeError", 'not hostile') end) then ts.yield() end
    if not pcall(function() local _ = P[3]:value() end) then ts.yield() end
    error({kind = 'RuntimeError'})
    CO[3] = coroutine.create(function()
      local _ <close> = P[3]:hold()
      coroutine.yield(1)
      G.n = G.n + 1
    end)
    pcall(coroutine.resume, CO[3])
    return ...
  end, false) end)
end, 'not hostile', {1, 2, 3}) end)
T[6] = ts.spawn(W6, 'not hostile', "")
pcall(function() P[3]:acquire(print, 0.005) end)
pcall(T[1].join, T[1])
pcall(T[3].join, T[3])
pcall(T[5].join, T[5])
print('done', G.n)
