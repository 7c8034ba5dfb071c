-- fuzz regression case (fuzz/run.sh), seed 411: lua5.4 fuzz/gen.lua 411
-- command: tsbox-asan --seed 411 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 411.lua
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 411.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 411
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Condition(ts.RLock(), "conditionl-1")
if ts.Queue then
  P[2] = ts.ThreadPool(2)
  P[3] = ts.PriorityQueue(5)
  P[4] = ts.Queue(1)
else
  P[2] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[3] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[4] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  do
    local ok, e = pcall(function() return P[2]:shutdown('no', {}) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  do local x <close> = setmetatable({}, {__close = function() ts.yield() end}) end
  pcall(function()
    F[#F % 6 + 1] = P[2]:submit(function(...)
      pcall(function()
        do
          local _ <close> = P[1]:hold()
          pcall(function()
            local t = ts.spawn(function(...)
              ts.check(G.n >= 0)
              pcall(P[1].release, P[1])
              do
                local _ <close> = P[1]:hold()
                G.last = tostring(ts.current_thread())
                do
                  local ok, e = pcall(function() return F[2]:cancel() end)
                  if not ok then
                    local s = select(2, pcall(tostring, e))
                    G.log[#G.log % 8 + 1] = s
                    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
                  end
                end
                pcall(function() local function f() return coroutine.wrap(f)() end return f() end)
                P[1]:notify_all()
              end
            end)
          end)
          pcall(function() T[2]:join(0.01) end)
        end
      end)
      pcall(function()
        local t = ts.spawn(function(...)
          pcall(P[1].with, P[1], function()
            local tries = 0
            while not G.flag and tries < 1 do
              tries = tries + 1
              local _ = P[1]:wait(0.02)
            end
          end)
        end)
      end)
      debug.sethook()
    end, true)
  end)
  pcall(function() local x = ts.Condition({parties = {kind = 'ValueError'}, name = string.rep('N', 100000)}); G.last = tostring(x) end)
  pcall(function() P[2]:shutdown(0) end)
  pcall(ts.spawn, setmetatable({}, {__call = print}))
  error({})
  pcall(function() P[1]:with(function() return P[1]:wait_for(function() G.n = G.n + 1; return G.n % 3 == 0 end, 0.002) end) end)
end
local function W2(...)
  pcall(function() local _ = P[4]:empty() end)
  if not pcall(function() P[1]:release() end) then ts.yield() end
  pcall(function()
    do
      local _ <close> = P[1]:hold()
      do
        local _ <close> = P[1]:hold(ts.current_thread())
        if CO.main then pcall(coroutine.resume, CO.main) end
        pcall(ts.check, false, ts)
      end
      pcall(function() P[4]:get(true, nil, 'not hostile') end)
      pcall(function() P[1]:notify(math.maxinteger) end)
    end
  end)
  if not pcall(function() P[3]:put(true, true) end) then ts.yield() end
end
local function W3(...)
  pcall(function()
    local t = {}
    for i = 1, 100 do t[i] = {i} end
    G.big = nil
  end)
  P[4].empty(ts.current_thread())
  do
    local ok, e = pcall(function() return P[4]:qsize() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  return "RuntimeError", ...
end
local function W4(...)
  pcall(function() local t = ts.Timer(-1, nil); t:start(); t:join(0.005) end)
  if not pcall(function() local _ = P[4]:task_done() end) then ts.yield() end
  pcall(P[1].release, P[1])
  pcall(function() local x = ts.Barrier(1, "x y"); G.last = tostring(x) end)
  pcall(function()
    local t = ts.spawn(function(...)
      do
        local co = coroutine.wrap(function(...)
          ts.check(G.n % 7 ~= 3, 'check 444')
          pcall(ts.spawn, coroutine.yield)
          local r = P[1]:with(function(...)
            do
              local ok, e = pcall(function() return P[3]:get(true, nil) end)
              if not ok then
                local s = select(2, pcall(tostring, e))
                G.log[#G.log % 8 + 1] = s
                if type(e) == 'table' then G.kind = rawget(e, 'kind') end
              end
            end
          end)
          pcall(ts.Thread, 'x')
        end)
        pcall(co)
      end
    end)
    t:join()
  end)
  pcall(function()
    do
      local _ <close> = P[1]:hold()
      pcall(function() P[3]:empty() end)
      pcall(function() P[4].task_done() end)
    end
  end)
  pcall(function() debug.sethook(coroutine.running(), nil) end)
  local r = P[1]:with(function(...)
    pcall(function() local _ = P[3]:get(false, 0) end)
    do
      local _ <close> = P[1]:hold()
      pcall(P[2].map, P[2], function(x) ts.sleep(0.001) return x end, nil)
      error(nil)
      pcall(P[1].with, P[1], function()
        local tries = 0
        while not G.flag and tries < 1 do
          tries = tries + 1
          local _ = P[1]:wait(0.05)
        end
      end)
      pcall(print, 'n', G.n)
    end
    pcall(function()
      F[#F % 6 + 1] = P[2]:submit(function(...)
        pcall(ts.spawn, nil)
        pcall(function() T[1].daemon = nil end)
        return false
      end)
    end)
  end, 'not hostile', nil)
end
local function W5(...)
  local _ = P[3]:empty()
  pcall(function() for i = 1, 2 do P[3]:put(i, true, 0.002) end end)
  if not pcall(function() P[4]:empty() end) then ts.yield() end
  do
    local ok, e = pcall(function() return P[2]:shutdown(false, ts.RuntimeError, 1e308, "x") end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() local s = string.rep('x', 1000000); G.len = #s end)
  ts.check(1, 'check 180')
  pcall(function() local _ = P[3]:empty() end)
  pcall(function() P[3]:put(coroutine.running(), true, 0.002) end)
  pcall(function() local _ = P[2]:shutdown(false, {}) end)
  do
    local _ <close> = P[4]:hold("RuntimeError")
    pcall(P[1].release, P[1])
    do local x <close> = setmetatable({}, {__close = function() collectgarbage() end}) end
  end
  pcall(function() P[4]:task_done() end)
  return P[4], ...
end
local function W6(...)
  debug.sethook()
  local r = P[1]:with(function(...)
    pcall(function()
      F[#F % 6 + 1] = P[2]:submit(function(...)
        pcall(function() local t = {} for i = 1, 64 do t[i] = string.rep(tostring(i), 4096) end G.s = table.concat(t) end)
        pcall(function()
          local t = ts.spawn(function(...)
            pcall(P[1].release, P[1], 2)
            local r = P[1]:with(function(...)
              pcall(P[1].release, P[1])
              pcall(function() ts.Thread{target = print}:join() end)
              pcall(function() ts.current_thread():join(-0.0) end)
              P[3]:full()
              return ...
            end)
            local r = P[1]:with(function(...)
              ts.check(G.n % 7 ~= 3, 'check 950')
              collectgarbage()
              pcall(function() debug.sethook(coroutine.running(), nil) end)
            end, "boom", "err")
          end)
        end)
        pcall(function() local t = ts.Timer(TO(1), ts.yield); t:start(); t:join(0.01) end)
        return P[4]
      end, T[1])
    end)
    pcall(function() P[1]:notify(3) end)
  end, "x", 42)
  if not pcall(function() T[3]:join(-(0/0)) end) then ts.yield() end
  pcall(function() local _ = P[2]:shutdown({}, true) end)
  do
    local ok, e = pcall(function() return P[4]:get_nowait(1, math.huge) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function()
    local t = {}
    for i = 1, 100000 do t[i] = {i} end
    G.big = t
  end)
  setmetatable({}, {__gc = function() P[3]:task_done(0.02) end})
  collectgarbage()
  for _ = 1, 1 do
    local _ = ts.seed(), ts.sched()
  end
  ts.check(type(G) == 'table', "RuntimeError")
end
T[1] = ts.Thread{target = W1, args = {-1}, name = "w1"}
T[1]:start()
pcall(function() local t = {} for i = 1, 64 do t[i] = string.rep(tostring(i), 4096) end G.s = table.concat(t) end)
T[2] = ts.spawn(W2)
T[3] = ts.Thread{target = W3, args = {}, name = "w3", daemon = true}
T[3]:start()
T[4] = ts.spawn(W4, 1, ts.BrokenBarrierError)
T[5] = ts.Thread{target = W5, args = {}, name = "w5"}
T[5]:start()
ts.check(true, G)
T[6] = ts.spawn(W6)
error("")
do
  local ok, e = pcall(function() return P[4]:get_nowait() end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
pcall(function() while true do local v = P[3]:get(true, 0.01); pcall(P[3].task_done, P[3]); G.v = v end end)
for _ = 1, 1 do
  P[3]:empty()
  pcall(function() local _ = F[1]:running() end)
  P[1]:notify(math.huge)
end
do
  local ok, e = pcall(function() return P[3]:put_nowait(P[1]) end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
do
  local ok, e = pcall(function() return T[1]:start() end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
pcall(P[1].with, P[1], function()
  local tries = 0
  while not G.flag and tries < 2 do
    tries = tries + 1
    local _ = P[1]:wait(0.005)
  end
end)
ts.check(type(G) == 'table', 'check 446')
do
  local ok, e = pcall(function() return P[3]:get({}, 0.001) end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
pcall(T[1].join, T[1], TO(1))
pcall(T[2].join, T[2])
pcall(T[4].join, T[4])
pcall(T[5].join, T[5])
pcall(T[6].join, T[6], 0.005)
ts.outcome(G.n % 5, G.flag)
