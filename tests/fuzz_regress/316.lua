-- fuzz regression case (fuzz/run.sh), seed 316: lua5.4 fuzz/gen.lua 316
-- command: tsbox-asan --seed 316 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 316.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 316.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 316
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
P[1] = ts.BoundedSemaphore(0, "boundedsemaphore-1")
P[2] = ts.Barrier{parties = 9, action = nil, timeout = 0.001}
P[3] = ts.Barrier(4, function() G.n = G.n + 1 end, 0.05)
P[4] = ts.Event("event-4")
P[5] = ts.Barrier{parties = 3, action = function() return P[5]:wait(0.001) end, timeout = 0.005}
P[6] = ts.BoundedSemaphore(2)
local function W1(...)
  pcall(function() ts.Thread{target = print}:join() end)
  if not pcall(function() T[3]:start() end) then ts.yield() end
  local r = P[1]:with(function(...)
    pcall(string.rep, 'ab', 1e10, ',')
  end, "RuntimeError")
  ts.check(G.n >= 0, P[4])
  return 42, ...
end
local function W2(...)
  do
    local ok, e = pcall(function() return P[1]:release(2) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() local _ = P[2]:reset() end)
end
local function W3(...)
  local _ = P[1]:value(string.rep('v', 1000), 42, H(6))
  pcall(function() P[6]:release(1) end)
  P[6]:with(H and print)
  if not pcall(function() local _ = P[3]:wait(print) end) then ts.yield() end
  pcall(function()
    do
      local _ <close> = P[5]:hold()
      pcall(coroutine.wrap(function() P[6]:with(function() coroutine.yield(1) end) end))
      pcall(function() local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k .. 'x'] end return t.a end)
    end
  end)
  pcall(function() P[2].abort() end)
  pcall(function() local r = P[1]:with(function(...)
    pcall(function() ts.current_thread():join(nil) end)
    pcall(coroutine.wrap(function() tostring(setmetatable({}, {__tostring = function() coroutine.yield() end})) end))
    return ...
  end, G) end)
  pcall(function() local _ = P[3]:wait(0.002) end)
  if not pcall(function() local _ = P[2]:reset() end) then ts.yield() end
  if not pcall(function() P[2]:wait(TO(2^53)) end) then ts.yield() end
  pcall(function() local r = P[6]:with(function(...)
    P[4]:is_set()
    error({kind = 'RuntimeError'})
    pcall(function() local _ = P[4]:set() end)
    return ...
  end, "RuntimeError") end)
end
local function W4(...)
  local r = P[1]:with(function(...)
    if not pcall(function() local _ = P[4]:set() end) then ts.yield() end
    do
      local ok, e = pcall(function() return P[4]:is_set() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    ts.sleep(TO(10))
    pcall(function() local r = P[6]:with(function(...)
      pcall(coroutine.wrap(P[1].acquire), P[1])
    end, H(2), coroutine.yield) end)
  end)
  if not pcall(function() P[5]:reset() end) then ts.yield() end
  do
    local ok, e = pcall(function() return P[2]:wait(nil) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() ts.current_thread():join() end)
  pcall(function() local x = ts.Barrier(100, nil); G.last = tostring(x) end)
  do local x = ts.Semaphore(nil); G.last = tostring(x) end
  collectgarbage()
  do
    local _ <close> = P[1]:hold()
    pcall(function()
      local t = ts.spawn(function(...)
        pcall(function()
          do
            local _ <close> = P[6]:hold()
            P[5]:reset()
            local _ = ts.time()
            if not pcall(function() T[2]:join() end) then ts.yield() end
          end
        end)
      end)
    end)
    pcall(function() P[6].value(P[3]) end)
  end
  if not pcall(function() P[3]:abort() end) then ts.yield() end
  local _ = P[5].parties, P[5].n_waiting, P[5].broken, P[5].nope
  if not pcall(function() P[4]:clear() end) then ts.yield() end
end
local function W5(...)
  ts.sleep(0.001)
  do local s = string.rep('x', 2^40); G.len = #s end
  local r = P[6]:with(function(...)
    local _ = ts.time()
    G.n = G.n + 1
    pcall(function() P[5]:reset() end)
    pcall(ts.sleep, nil)
    return ...
  end)
  if not pcall(function() P[5]:reset() end) then ts.yield() end
  ts.sleep(0.01)
  pcall(function() P[5]:wait(0.01) end)
end
local function W6(...)
  for _ = 1, 1 do
    local r = P[6]:with(function(...)
      pcall(function() local _ = P[3]:wait(nil) end)
      P[5]:wait(0/0)
    end)
    ts.sleep(0.02)
  end
  pcall(function() P[5].abort() end)
  pcall(function()
    do
      local _ <close> = P[1]:hold()
      pcall(function() local _ = P[3]:abort() end)
      pcall(function() ts.current_thread():join(TO(5), 0) end)
      ts.sleep(0.001)
      do
        local ok, e = pcall(function() return P[5]:wait(0.002) end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
    end
  end)
  if not pcall(function() P[4]:wait() end) then ts.yield() end
  do
    local ok, e = pcall(function() return P[3]:abort() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() local r = P[1]:with(function(...)
    pcall(function() local r = P[1]:with(function(...)
      ts.yield()
    end, "RuntimeError") end)
    ts.yield()
    return ...
  end) end)
  ts.yield()
  return error, ...
end
local function W7(...)
  ts.yield()
end
local function W8(...)
  ts.yield()
end
T[1] = ts.Thread{target = W1, args = {P[3]}, name = "w1", daemon = true}
T[2] = ts.Thread{target = W2, args = {H(8), H(12)}, name = "w2"}
T[2]:start()
T[3] = ts.Thread{target = W3, args = {"x"}, name = "w3"}
T[3]:start()
T[4] = ts.Thread{target = W4, args = {ts.current_thread(), string.rep('v', 1000000)}, name = "w4"}
T[4]:start()
T[5] = ts.spawn(W5, coroutine.yield, string.rep('v', 100000))
T[6] = ts.Thread{target = W6, args = {}, name = "w6"}
T[6]:start()
T[7] = ts.Thread{target = W7, args = {{H(10), k = coroutine.create(print)}}, name = "w7"}
T[7]:start()
ts.yield()
T[8] = ts.Thread{target = W8, args = {}, name = "w8", daemon = true}
ts.yield()
T[2]:join()
T[3]:join()
pcall(T[4].join, T[4])
pcall(T[5].join, T[5])
T[6]:join(TO(1))
