-- fuzz regression case (fuzz/run.sh), seed 562: lua5.4 fuzz/gen.lua 562
-- command: tsbox-asan --seed 562 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 562.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 562.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 562
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
P[2] = ts.Barrier(4, function() P[2]:abort() end, nil)
P[3] = ts.BoundedSemaphore{value = 1}
if ts.Queue then
  P[1] = ts.PriorityQueue()
else
  P[1] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  do
    local ok, e = pcall(function() return P[3]:release(0) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(ts.sleep, -(0/0))
  pcall(function() local _ = T[3]:is_alive(), T[3].ident, T[3].name, T[3].result, T[3].error, T[3].daemon end)
end
local function W2(...)
  pcall(function() P[2]:wait(TO(1e18)) end)
  collectgarbage('isrunning')
  pcall(function() P[3].release(P[3], function() end, TO(30)) end)
  pcall(function() local s = string.rep('x', math.maxinteger); G.len = #s end)
  do
    local ok, e = pcall(function() return P[2]:wait(5) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  do local x = ts.RLock(math.mininteger, "vault", "err", string.rep('v', 1000), ""); G.last = tostring(x) end
  pcall(function() P[1]:qsize() end)
  pcall(function() P[2]:reset() end)
  return string.rep('v', 1000000), ...
end
local function W3(...)
  local _ = P[2]:wait()
  for _ = 1, 3 do
    pcall(function() local q = ts.PriorityQueue(); q:put({2, 'b'}); q:put({1, 'a'}); q:put({traceback = 1}); G.v = q:get() end)
  end
  pcall(function() P[2]:reset() end)
  if not pcall(function() local _ = P[1]:join() end) then ts.yield() end
  pcall(function() T[9].ident = 42 end)
  do
    local ok, e = pcall(function() return F[5]:cancel() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
end
local function W4(...)
  local _ = #ts.enumerate()
  pcall(ts.sleep, -(0/0))
  for _ = 1, 1 do
    do
      local ok, e = pcall(function() return P[3]:value() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    if not pcall(function() local _ = F[6]:add_done_callback(42) end) then ts.yield() end
    pcall(function() P[2].abort() end)
  end
  pcall(function() P[2].reset(P[2]) end)
  ts.yield()
  pcall(function() local x = ts.BoundedSemaphore({value = 1e308, name = H(5)}); G.last = tostring(x) end)
  pcall(function() P[3].value(P[3]) end)
  pcall(function()
    local t = {}
    for i = 1, 100000 do t[i] = {i} end
    G.big = nil
  end)
  ts.check(G.n % 7 ~= 3, 'check 806')
  local r = P[3]:with(function(...)
    do
      local co = coroutine.wrap(function(...)
        pcall(function() local r = P[3]:with(function(...)
          ts.yield(1, 2)
          pcall(function() P[2]:reset() end)
        end, P[3], 1e308) end)
        if not pcall(function() local _ = P[2]:wait(math.huge) end) then ts.yield() end
        pcall(function() local _ = P[2]:wait(0.002) end)
      end)
      pcall(co)
      pcall(co)
    end
  end)
end
local function W5(...)
  pcall(function() T[4].daemon = "err" end)
  pcall(function() local _ = P[1]:full() end)
  pcall(function()
    local t = ts.spawn(function(...)
      pcall(function()
        local t = ts.spawn(function(...)
          if not pcall(function() local _ = P[1]:empty() end) then ts.yield() end
        end)
      end)
      pcall(function() ts.Thread{target = print}:join() end)
      ts.check(type(G) == 'table', nil)
    end, "x")
    t:join(math.mininteger)
  end)
  P[3]:acquire()
  do
    local _ <close> = P[3]:hold(P[2])
    pcall(function()
      do
        local _ <close> = P[3]:hold()
        CO.t2 = coroutine.running()
        for _ = 1, 1 do G.n = G.n + 1 end
        local r = P[3]:with(function(...)
          pcall(P[3].release, P[3])
        end)
      end
    end)
    ts.sleep(0.01)
    pcall(function()
      local t = {}
      for i = 1, 100000 do t[i] = {i} end
      G.big = nil
    end)
  end
end
local function W6(...)
  pcall(P[3].release, P[3])
  P[1]:join()
  T[4]:join(0.005)
end
local function W7(...)
  pcall(function() P[1].put_nowait(setmetatable({}, getmetatable(P[1])), nil, '0.01') end)
  pcall(function() P[1]:put({kind = 42}, true, 0.02, coroutine.yield, nil, ts.current_thread()) end)
  pcall(function() local function f(s) return (string.gsub(s, '.', f)) end return f('ab') end)
  collectgarbage('isrunning')
  pcall(P[3].release, P[3])
  do
    local co = coroutine.wrap(function(...)
      do
        local _ <close> = P[3]:hold()
        pcall(function()
          do
            local _ <close> = P[3]:hold()
            ts.sleep(0.001)
            pcall(coroutine.wrap(function() P[3]:with(function() coroutine.yield(1) end) end))
            pcall(function() P[1]:full() end)
          end
        end)
      end
      do
        local co = coroutine.wrap(function(...)
          pcall(function() for i = 1, 2 do P[1]:put(i, true, 0.05) end end)
          do
            local _ <close> = P[3]:hold()
            pcall(coroutine.wrap(P[3].release), P[3])
          end
          do
            local ok, e = pcall(function() return P[3]:acquire(true, TO(0.2)) end)
            if not ok then
              local s = select(2, pcall(tostring, e))
              G.log[#G.log % 8 + 1] = s
              if type(e) == 'table' then G.kind = rawget(e, 'kind') end
            end
          end
          do
            local ok, e = pcall(function() return T[3]:start() end)
            if not ok then
              local s = select(2, pcall(tostring, e))
              G.log[#G.log % 8 + 1] = s
              if type(e) == 'table' then G.kind = rawget(e, 'kind') end
            end
          end
        end)
        pcall(co)
        pcall(co)
      end
      pcall(function() P[1].task_done() end)
      pcall(function() local _ = P[1]:get(true, TO(math.huge), "RuntimeError", 0, nil) end)
    end)
    pcall(co)
  end
  pcall(function() P[3]:value() end)
  pcall(function() local _ = P[2]:wait(0.002) end)
  pcall(function() P[3]:release(1) end)
  do
    local ok, e = pcall(function() return P[3]:release(2) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  collectgarbage('step')
end
local function W8(...)
  ts.sleep(0.01)
  do
    local ok, e = pcall(function() return P[2]:reset() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() local function f(n) return 1 + f(n + 1) end return f(1) end)
end
T[1] = ts.spawn(W1, string.rep('v', 100000), "err")
T[2] = ts.Thread{target = W2, args = {"", "boom"}, name = "w2", daemon = true}
T[3] = ts.Thread{target = W3, args = {}, name = "w3", daemon = true}
T[3]:start()
local r = P[3]:with(function(...)
  pcall(function() local _ = P[2]:abort() end)
  pcall(function() local x = ts.Event(1, string.rep('v', 1000)); G.last = tostring(x) end)
  do
    local co = coroutine.wrap(function(...)
      ts.sleep(0.001)
      if not pcall(function() local _ = P[2]:wait() end) then ts.yield() end
      pcall(function() P[3].release(ts, {1, 2, 3}) end)
    end)
    pcall(co)
  end
end, "RuntimeError", "")
T[4] = ts.Thread{target = W4, args = {math.mininteger, nil}, name = "w4", daemon = true}
T[4]:start()
T[5] = ts.spawn(W5, false)
T[6] = ts.Thread{target = W6, args = {}, name = "w6", daemon = true}
T[6]:start()
T[7] = ts.Thread{target = W7, args = {false, true}, name = "w7"}
T[7]:start()
T[8] = ts.Thread{target = W8, args = {}, name = "w8", daemon = true}
T[8]:start()
pcall(function() P[3]:acquire('no', TO(math.huge)) end)
pcall(function() local t = ts.Timer(0/0, ts.yield); t:start(); t:cancel(); t:join(0.05) end)
pcall(function() local x = ts.Condition({H(5), k = {traceback = 1}}, 0.5); G.last = tostring(x) end)
P[2]:wait(nil)
ts.sleep(TO(0.1))
pcall(function() local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k .. 'x'] end return t.a end)
local _ = F[1]:cancel()
pcall(function() P[3]:acquire(true) end)
local r = P[3]:with(function(...)
  P[2]:reset()
  ts.sleep(0.005)
end, true, "boom")
pcall(T[1].join, T[1], TO(math.huge))
T[7]:join(TO(1))
print('done', G.n)
