-- fuzz regression case (fuzz/run.sh), seed 419: lua5.4 fuzz/gen.lua 419
-- command: tsbox-asan --seed 419 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 419.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 419.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 419
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Event()
P[2] = ts.Condition(ts.RLock())
P[3] = ts.Lock()
P[5] = ts.BoundedSemaphore{value = 1}
P[6] = ts.Lock()
if ts.Queue then
  P[4] = ts.Timer(0.001, function() G.n = G.n + 1 end)
else
  P[4] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  pcall(function() local _ = P[6]:acquire(0, 0/0) end)
  pcall(function() local x = ts.Semaphore(2^31, "vault"); G.last = tostring(x) end)
  pcall(P[6].release, P[6])
  if not pcall(function() P[1]:is_set() end) then ts.yield() end
  pcall(function() P[6].release() end)
  local r = P[2]:with(function(...)
    pcall(function() local r = P[6]:with(function(...)
      do
        local _ <close> = P[5]:hold(ts.current_thread())
        pcall(function() P[3]:release() end)
        pcall(function() ts.current_thread():join(nil) end)
      end
      for _ = 1, 4 do
        pcall(function() local x = ts.BoundedSemaphore({name = "RuntimeError", name = "a"}); G.last = tostring(x) end)
        pcall(function() local t = ts.Timer(-1, function() G.n = G.n + 1 end); t:start(); t:cancel(); t:join(0.002) end)
        if not pcall(function() P[2]:notify(0) end) then ts.yield() end
      end
      pcall(function() P[6]:locked() end)
      pcall(function() ts.Condition(ts.Lock()):acquire() end); collectgarbage()
    end, false, coroutine.yield) end)
    pcall(function() local function f(s) return (string.gsub(s, '.', f)) end return f('ab') end)
    pcall(function() P[2]:wait(nil) end)
    do
      local ok, e = pcall(function() return P[4]:cancel() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
  end, "")
end
local function W2(...)
  do
    local _ <close> = P[2]:hold(1)
    if not pcall(function() P[6]:acquire(false, nil) end) then ts.yield() end
    pcall(function() P[2].notify(P[1]) end)
    pcall(function() local s = string.rep('x', 1000); G.len = #s end)
  end
  pcall(P[5].release, P[5])
  error("")
  pcall(P[2].release, P[2])
  pcall(function() T[4]:start() end)
  if not pcall(function() P[4]:cancel(1, T[1]) end) then ts.yield() end
  do
    local ok, e = pcall(function() return P[2]:notify(nil) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  do
    local _ <close> = P[6]:hold()
    pcall(function() P[1]:set("err") end)
    setmetatable({}, {__gc = function() P[3]:acquire(0.005) end})
    collectgarbage()
  end
  pcall(function()
    local t = {}
    for i = 1, 100 do t[i] = {i} end
    G.big = nil
  end)
  pcall(function() local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k .. 'x'] end return t.a end)
end
local function W3(...)
  pcall(function() P[3].locked(P[1]) end)
  ts.yield()
  if not pcall(function() P[2]:wait(3.5) end) then ts.yield() end
  pcall(function()
    do
      local _ <close> = P[3]:hold()
      pcall(P[2].with, P[2], function()
        G.flag = true
        P[2]:notify_all()
      end)
      pcall(function()
        do
          local _ <close> = P[6]:hold()
          local r = P[2]:with(function(...)
            do
              local ok, e = pcall(function() return F[1]:result() end)
              if not ok then
                local s = select(2, pcall(tostring, e))
                G.log[#G.log % 8 + 1] = s
                if type(e) == 'table' then G.kind = rawget(e, 'kind') end
              end
            end
            pcall(coroutine.wrap(function() pcall(coroutine.yield, 1) end))
            if not pcall(function() P[2]:with(function() return P[2]:wait_for(function() G.n = G.n + 1; return G.n % 3 == 0 end, TO(1)) end) end) then ts.yield() end
            return ...
          end, false, "")
          pcall(P[2].with, P[2], function()
            local tries = 0
            while not G.flag and tries < 2 do
              tries = tries + 1
              local _ = P[2]:wait(nil)
            end
          end)
        end
      end)
      do
        local _ <close> = P[2]:hold()
        if CO.t2 then pcall(coroutine.resume, CO.t2) end
      end
      local _ = pcall(ts._raise, {message = {}}, 1e308, true)
    end
  end)
  setmetatable({}, {__gc = function() print('gc') end})
  T[1]:join()
  pcall(function() P[4]:cancel() end)
  pcall(P[6].release, P[6], math.mininteger)
  pcall(function() ts.shared(1) end)
end
local function W4(...)
  pcall(function() T[1].ident = "err" end)
  ts.yield()
  do
    local ok, e = pcall(function() return P[6]:release() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  do
    local co = coroutine.wrap(function(...)
      pcall(function() local t = setmetatable({}, {__tostring = function(s) return tostring(s) end}) return tostring(t) end)
    end)
    pcall(co)
    pcall(co)
  end
  do
    local ok, e = pcall(function() return P[5]:acquire() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(ts.sleep, nil)
  pcall(function() local t = setmetatable({}, {__tostring = function(s) return tostring(s) end}) return tostring(t) end)
  for _ = 1, 3 do
    pcall(function() local _ = T[5]:is_alive(), T[5].ident, T[5].name, T[5].result, T[5].error, T[5].daemon end)
  end
  if CO[1] then pcall(coroutine.close, CO[1]) end
  P[6]:locked()
  for _ = 1, 2 do
    P[6].locked('x', {math.huge, k = 'not hostile'}, TO(2^63))
    local _ = F[1]:cancel()
    for _ = 1, 1 do
      pcall(function() P[4]:join() end)
      pcall(function()
        local t = {}
        for i = 1, 100 do t[i] = {i} end
        G.big = nil
      end)
      ts.check()
    end
  end
end
local function W5(...)
  pcall(function() local x = ts.BoundedSemaphore({value = {kind = 42}, name = math.mininteger}); G.last = tostring(x) end)
  P[6].acquire(io.stdout)
  pcall(function() for _ = 1, 36 do ts.spawn(function() G.n = G.n + 1 end) end end)
  do
    local ok, e = pcall(function() return P[5]:acquire(false, -2) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() P[1].is_set('x') end)
  do
    local ok, e = pcall(function() return P[1]:clear() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(ts.spawn, error, 'spawned error')
  do
    local ok, e = pcall(function() return P[2]:with(function() return P[2]:wait_for(function() return G.flag end, 0.02) end) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
end
T[1] = ts.Thread{target = W1, args = {}, name = "w1", daemon = true}
T[1]:start()
T[2] = ts.spawn(W2, {})
T[3] = ts.spawn(W3, 'not hostile')
T[4] = ts.spawn(W4)
pcall(function() P[5]:acquire(true) end)
T[5] = ts.Thread{target = W5, args = {true, 'not hostile'}, name = "w5", daemon = true}
T[5]:start()
pcall(function() P[2]:notify() end)
ts.check(true, 'check 233')
pcall(T[3].join, T[3], 0.02)
ts.outcome(G.n % 5, G.flag)
