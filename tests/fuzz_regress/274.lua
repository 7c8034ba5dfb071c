-- fuzz regression case (fuzz/run.sh), seed 274: lua5.4 fuzz/gen.lua 274
-- command: tsbox-asan --seed 274 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 274.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 274.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 274
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
P[1] = ts.RLock{name = "p1"}
P[2] = ts.Condition(P[1])
P[3] = ts.Semaphore()
P[7] = ts.RLock()
P[8] = ts.BoundedSemaphore(0, "boundedsemaphore-8")
P[9] = ts.Condition(P[1])
P[10] = ts.Lock()
if ts.Queue then
  P[4] = ts.PriorityQueue(5)
  P[5] = ts.LifoQueue(5)
  P[6] = ts.Timer(0.05, function() G.n = G.n + 1 end)
else
  P[4] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[5] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[6] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  local r = P[10]:with(function(...)
    do
      local ok, e = pcall(function() return P[3]:acquire(true, 0.005) end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
  end)
  pcall(function() P[1].acquire(P[7]) end)
  pcall(function() local x = ts.Barrier({name = false, name = "vault"}); G.last = tostring(x) end)
  pcall(function()
    local t = {}
    for i = 1, 100 do t[i] = {i} end
    G.big = nil
  end)
  return coroutine.create(print), ...
end
local function W2(...)
  do
    local ok, e = pcall(function() return P[6]:join(-(0/0)) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  ts.check(true, nil)
  collectgarbage()
end
local function W3(...)
  pcall(ts.Thread, setmetatable({}, {__index = function() error('field boom') end}))
  pcall(function() P[2].notify_all() end)
  for _ = 1, 4 do
    ts.yield()
    pcall(function() local _ = F[6]:result() end)
    pcall(function() local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k .. 'x'] end return t.a end)
  end
  pcall(function() local _ = P[1]:locked() end)
  pcall(function()
    local t = ts.spawn(function(...)
      do
        local ok, e = pcall(function() return P[8]:acquire() end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
    end, -1)
    t:join()
  end)
  CO.t1 = coroutine.running()
  pcall(function()
    do
      local _ <close> = P[1]:hold(-1)
      pcall(function() local r = P[1]:with(function(...)
        local r = P[1]:with(function(...)
          do
            local ok, e = pcall(function() return P[8]:value() end)
            if not ok then
              local s = select(2, pcall(tostring, e))
              G.log[#G.log % 8 + 1] = s
              if type(e) == 'table' then G.kind = rawget(e, 'kind') end
            end
          end
          pcall(P[9].release, P[9])
          pcall(function() local x = ts.Lock({value = 0/0, name = H(10)}); G.last = tostring(x) end)
        end, {H(1), k = nil})
      end) end)
    end
  end)
  if G.n % 3 == 0 then os.exit(true, true) end
  pcall(function() local s = string.rep('x', 1000); G.len = #s end)
end
local function W4(...)
  do
    local ok, e = pcall(function() return P[5]:join() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  local r = P[2]:with(function(...)
    pcall(function() local function f(s) return (string.gsub(s, '.', f)) end return f('ab') end)
    return ...
  end, H(4))
  do
    local ok, e = pcall(function() return P[5]:put(math.mininteger, true, TO(1e308)) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(P[9].notify_all, P[9])
  pcall(function() local t = setmetatable({}, {__tostring = function(s) return tostring(s) end}) return tostring(t) end)
  ts.yield()
  return coroutine.create(print), ...
end
T[1] = ts.Thread{target = W1, args = {"err", false}, name = "w1"}
T[1]:start()
ts.yield()
T[2] = ts.Thread{target = W2, args = {ts.current_thread(), "err"}, name = "w2", daemon = true}
T[2]:start()
T[3] = ts.spawn(W3, "x")
T[4] = ts.Thread{target = W4, args = {}, name = "w4"}
ts.yield()
pcall(T[1].join, T[1])
T[3]:join()
ts.outcome(G.n % 5, G.flag)
print('done', G.n)
