-- fuzz regression case (fuzz/run.sh), seed 535: lua5.4 fuzz/gen.lua 535
-- command: tsbox-asan --seed 535 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 535.lua
-- failed: --sched random: crash: exit status 134 (signal 6, ABRT)
-- stderr of the first failing run: 535.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 535
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
P[1] = ts.Semaphore(1, "semaphore-1")
P[2] = ts.RLock()
P[3] = ts.Event("event-3")
P[4] = ts.Condition(nil, "condition-4")
local function W1(...)
  for _ = 1, 3 do
    if not pcall(function() P[1]:acquire(false, 0.02) end) then ts.yield() end
  end
  if not pcall(function() P[1]:release() end) then ts.yield() end
  if not pcall(function() local _ = P[2]:release() end) then ts.yield() end
  pcall(function() local r = P[1]:with(function(...)
    if CO.main then pcall(coroutine.resume, CO.main) end
    return ...
  end, coroutine.create(print), nil) end)
  pcall(P[4].with, P[4], function()
    local tries = 0
    while not G.flag and tries < 1 do
      tries = tries + 1
      local _ = P[4]:wait(0.002)
    end
  end)
  do
    local ok, e = pcall(function() return P[3]:set() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  error(H(4))
  pcall(function() P[2]:release() end)
  pcall(function() local r = P[1]:with(function(...)
    pcall(function() local function f(n) return pcall(f, n + 1) end return f(1) end)
  end, ts.main_thread(), "RuntimeError") end)
  pcall(function()
    local t = {}
    for i = 1, 10000 do t[i] = {i} end
    G.big = nil
  end)
  ts.sleep(TO(0.1))
end
local function W2(...)
  local r = P[4]:with(function(...)
    pcall(print, 'n', G.n)
    if not pcall(function() P[4]:with(function() return P[4]:wait_for(function() ts.yield(); return true end, 0.02) end) end) then ts.yield() end
  end, nil, "err")
  pcall(ts.sleep, nil)
  return nil, ...
end
local function W3(...)
  pcall(function() T[5]:join(TO(0.2)) end)
  pcall(function() local _ = T[3]:is_alive(), T[3].ident, T[3].name, T[3].result, T[3].error, T[3].daemon end)
  do
    local _ <close> = P[4]:hold()
    pcall(function() local _ = P[2]:acquire(true, 0.05) end)
  end
  pcall(function() P[2]:acquire(false, -0.0) end)
  pcall(print, 'n', G.n)
end
local function W4(...)
  pcall(function() ts.shared(string.rep('v', 1000000)) end)
  pcall(P[1].release, P[1])
  ts.yield(1, 2)
  do local x = ts.Lock(2, "vault"); G.last = tostring(x) end
  pcall(function() T[5]:join() end)
  do
    local ok, e = pcall(function() return P[1]:acquire(true, 0.02) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  for _ = 1, 42 do G.n = G.n + 1 end
  local _ = ts.seed(), ts.sched()
  pcall(function()
    do
      local _ <close> = P[1]:hold()
      local r = P[2]:with(function(...)
        do
          local ok, e = pcall(function() return T[3]:join(0.01) end)
          if not ok then
            local s = select(2, pcall(tostring, e))
            G.log[#G.log % 8 + 1] = s
            if type(e) == 'table' then G.kind = rawget(e, 'kind') end
          end
        end
        ts.yield()
        pcall(function() ts.Thread{target = nil, args = {n = 5}, name = "x y", daemon = ts.RuntimeError}:start() end)
      end, "err", true)
      local n = G.n; ts.yield(); G.n = n + 1
      setmetatable({}, {__gc = function() P[4]:notify(0.05) end})
      collectgarbage()
      pcall(function() local function f() return coroutine.wrap(f)() end return f() end)
    end
  end)
  error("x")
  pcall(function() local t = setmetatable({}, {__tostring = function(s) return tostring(s) end}) return tostring(t) end)
  return ts.current_thread(), ...
end
T[1] = ts.Thread{target = W1, args = {coroutine.create(print)}, name = "w1", daemon = true}
T[1]:start()
T[2] = ts.Thread{target = W2, args = {"RuntimeError", 0}, name = "w2"}
T[2]:start()
T[3] = ts.Thread{target = W3, args = {"boom"}, name = "w3", daemon = true}
T[3]:start()
pcall(function() local _ = P[1]:release(0) end)
T[4] = ts.Thread{target = W4, args = {{}, nil}, name = "w4", daemon = true}
T[4]:start()
do
  local ok, e = pcall(function() return T[5]:join(-math.huge) end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
pcall(P[4].with, P[4], function()
  local tries = 0
  while not G.flag and tries < 3 do
    tries = tries + 1
    local _ = P[4]:wait(0.002)
  end
end)
pcall(P[1].release, P[1])
