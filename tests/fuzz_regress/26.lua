-- fuzz regression case (fuzz/run.sh), seed 26: lua5.4 fuzz/gen.lua 26
-- command: tsbox-asan --seed 26 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 26.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 26.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 26
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.BoundedSemaphore{value = 1}
P[2] = ts.Condition(nil, "condition-2")
P[3] = ts.Condition(ts.RLock())
P[4] = ts.Condition(nil, "condition-4")
local function W1(...)
  if not pcall(function() P[2]:acquire() end) then ts.yield() end
  pcall(function() P[3].wait(P[4], function() end, 0.0) end)
  pcall(ts.spawn, setmetatable({}, {__call = print}))
  local r = P[3]:with(function(...)
    if not pcall(function() local _ = P[3]:release() end) then ts.yield() end
    pcall(function() local t = ts.Timer(0/0, error); t:start(); t:cancel(); t:join(0.001) end)
    pcall(function() local t = setmetatable({}, {__tostring = function(s) return tostring(s) end}) return tostring(t) end)
    G.n = G.n + 1
  end)
  ts.check()
  return P[1], ...
end
local function W2(...)
  local n = G.n; ts.yield(); G.n = n + 1
  pcall(ts.sleep, -math.huge)
  ts.check(1, nil)
  do
    local ok, e = pcall(function() return P[3]:wait(0.05) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  ts.check(1)
  pcall(function()
    local t = ts.spawn(function(...)
      pcall(function() P[2]:release() end)
      P[2].acquire()
      pcall(function() local _ = P[1]:release() end)
    end, P[2])
    t:join(0.001)
  end)
  pcall(function() T[4]:join(0.0) end)
  do
    local ok, e = pcall(function() return P[1]:release() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(coroutine.wrap(P[1].value), P[1])
end
local function W3(...)
  local _ = F[4]:cancel()
  pcall(function() P[2]:release() end)
  for _ = 1, 1 do
    pcall(P[1].release, P[1])
  end
  pcall(function() local x = ts.Event(1, nil); G.last = tostring(x) end)
  if G.local_ then G.local_.x = nil end
  pcall(coroutine.wrap(function() P[3]:with(function() coroutine.yield(1) end) end))
end
local function W4(...)
  pcall(function() P[2]:wait(math.mininteger) end)
  setmetatable({}, {__gc = function() ts.yield() end})
  return {}, ...
end
T[1] = ts.Thread{target = W1, args = {0}, name = "w1", daemon = true}
T[1]:start()
ts.check(1, 'check 587')
T[2] = ts.Thread{target = W2, args = {0/0}, name = "w2", daemon = true}
T[2]:start()
T[3] = ts.spawn(W3)
T[4] = ts.Thread{target = W4, args = {"RuntimeError"}, name = "w4"}
T[4]:start()
ts.sleep(0.01)
pcall(function() local _ = P[4]:release() end)
pcall(P[1].release, P[1])
pcall(function() P[1].acquire(P[3]) end)
pcall(T[4].join, T[4])
