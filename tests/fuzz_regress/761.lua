-- fuzz regression case (fuzz/run.sh), seed 761: lua5.4 fuzz/gen.lua 761
-- command: tsbox-asan --seed 761 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 761.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 761.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 761
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Barrier(2, function() P[1]:abort() end, nil, "barrier-1")
P[2] = ts.Semaphore(3)
P[3] = ts.Event("event-3")
local function W1(...)
  do
    local _ <close> = P[2]:hold()
    pcall(function() local t = setmetatable({}, {__tostring = function(s) return tostring(s) end}) return tostring(t) end)
    pcall(function() P[3]:set() end)
    for _ = 1, 2 do
      if not pcall(function() P[2]:acquire(true, TO(1e308), coroutine.running()) end) then ts.yield() end
    end
  end
  pcall(function() local _ = P[3]:set() end)
  pcall(function() P[2].value(P[2]) end)
  if not pcall(function() T[2]:join() end) then ts.yield() end
  error(nil)
  pcall(function()
    local t = ts.spawn(function(...)
      pcall(coroutine.wrap(P[3].is_set), P[3])
    end)
    t:join()
  end)
  pcall(function() local _ = P[3]:wait(TO(30)) end)
  local _ = #ts.enumerate()
  pcall(P[2].release, P[2])
  pcall(P[2].release, P[2])
end
local function W2(...)
  pcall(function() local t = setmetatable({}, {__tostring = function(s) return tostring(s) end}) return tostring(t) end)
  pcall(P[2].release, P[2])
  pcall(function() P[2]:value() end)
  do
    local _ <close> = P[2]:hold()
    pcall(P[2].release, P[2])
  end
  pcall(function() local t = ts.Timer(-1, nil); t:start(); t:cancel(); t:join(0.002) end)
  P[1]:wait(-(0/0))
  error({kind = 'RuntimeError'}, 2)
  pcall(ts.outcome, nil, nil)
  return -1, ...
end
T[1] = ts.Thread{target = W1, args = {'not hostile'}, name = "w1"}
T[1]:start()
T[2] = ts.spawn(W2, error, "x")
setmetatable({}, {__gc = function() coroutine.yield() end})
collectgarbage()
if not pcall(function() local _ = P[1]:wait(0) end) then ts.yield() end
coroutine.yield(1)
pcall(function() local r = P[2]:with(function(...)
  pcall(P[2].release, P[2])
  pcall(function() local _ = F[4]:exception(0.02) end)
end, P[3], "x") end)
pcall(function() local _ = F[4]:running() end)
ts.check(G.n % 7 ~= 3, 'check 794')
pcall(coroutine.wrap(P[2].value), P[2])
pcall(function()
  local t = ts.spawn(function(...)
    local r = P[2]:with(function(...)
      if not pcall(function() P[3]:is_set() end) then ts.yield() end
      return ...
    end, P[1], "RuntimeError")
    error(true)
  end)
end)
pcall(function() local _ = P[1]:wait(TO(1e308)) end)
pcall(function() P[2]:release(math.huge) end)
collectgarbage()
T[2]:join()
