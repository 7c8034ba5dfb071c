-- fuzz regression case (fuzz/run.sh), seed 253: lua5.4 fuzz/gen.lua 253
-- command: tsbox-asan --seed 253 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 253.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 253.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 253
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.RLock()
P[2] = ts.Event()
P[4] = ts.Semaphore(1, "semaphore-4")
P[5] = ts.BoundedSemaphore{value = 1}
P[6] = ts.Condition(nil, "condition-6")
if ts.Queue then
  P[3] = ts.Timer(0.005, function() G.n = G.n + 1 end)
else
  P[3] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  pcall(ts.sleep, nil)
  if G.local_ then G.local_.x = G end
  pcall(function() local _ = P[1]:locked() end)
  do
    local ok, e = pcall(function() return P[4]:value() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() P[6]:notify_all() end)
  return ts.BrokenBarrierError, ...
end
local function W2(...)
  pcall(function() local x = ts.BoundedSemaphore("err", "tellers"); G.last = tostring(x) end)
  if CO[1] then pcall(coroutine.status, CO[1]) end
  pcall(function() P[3]:start(false) end)
  pcall(function() local r = P[1]:with(function(...)
    local _ = ts.seed(), ts.sched()
    if not pcall(function() P[6]:with(function() return P[6]:wait_for(function() error('pred boom') end, 0.05) end) end) then ts.yield() end
    pcall(function() P[6]:with(function() return P[6]:wait_for(function() G.n = G.n + 1; return G.n % 3 == 0 end, TO(2^53)) end) end)
    do local x = ts.BoundedSemaphore(2^63, "", nil, string.rep('N', 300)); G.last = tostring(x) end
    return ...
  end) end)
end
local function W3(...)
  pcall(function() P[4].acquire() end)
  pcall(function() P[3]:cancel() end)
  ts.sleep(0.005)
  for _ = 1, 1 do
    pcall(function() local r = P[1]:with(function(...)
      pcall(function() local r = P[6]:with(function(...)
        if not pcall(function() P[1]:release() end) then ts.yield() end
      end, false, -1) end)
      pcall(function() T[8]:start() end)
      pcall(function() local x = ts.Lock(2, 0.5); G.last = tostring(x) end)
      return ...
    end) end)
    if CO.t2 then pcall(coroutine.close, CO.t2) end
    pcall(function() P[5].release(P[2]) end)
  end
  do
    local ok, e = pcall(function() return P[4]:release(1e9) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(coroutine.yield, 1)
  pcall(function() local _ = P[6]:wait() end)
  pcall(P[4].release, P[4])
  return function() end, ...
end
local function W4(...)
  do
    local _ <close> = P[5]:hold()
    do
      local ok, e = pcall(function() return P[1]:locked({kind = 42}, P[4]) end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    P[1]:release()
    pcall(function() P[1].release() end)
    local r = P[4]:with(function(...)
      collectgarbage('isrunning')
      pcall(function() T[8]:join(0.005) end)
      pcall(function() ts.Thread{target = print}:join() end)
      return ...
    end, {message = {}}, nil)
  end
  do
    local ok, e = pcall(function() return P[4]:release() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() T[3]:join(print) end)
  pcall(function() local p = ts.ThreadPool(2); p:shutdown(); p:submit(print) end)
  return T[1], ...
end
local function W5(...)
  P[6]:release("RuntimeError")
  pcall(function() P[6]:with(function() return P[6]:wait_for(function() coroutine.yield() end, 0.05) end) end)
  local _ = pcall(ts._raise, nil, 'not hostile', "err")
  do
    local ok, e = pcall(function() return P[3]:is_alive() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() local _ = P[4]:release(1e9) end)
  do
    local ok, e = pcall(function() return P[1]:release() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
end
local function W6(...)
  pcall(function()
    local t = ts.spawn(function(...)
      pcall(coroutine.wrap(function() table.sort({3, 2, 1}, function() coroutine.yield() end) end))
      pcall(ts.sleep, -(0/0))
      ts.check(type(G) == 'table', 'check 472')
    end, {})
  end)
  pcall(function() P[1]:acquire(false, '1e999') end)
end
local function W7(...)
  pcall(function() local t = setmetatable({}, {__tostring = function(s) return tostring(s) end}) return tostring(t) end)
  pcall(ts.outcome, {"boom", k = "x"}, "x")
  error("err")
  P[1].locked(io.stdout)
  G.last = tostring(ts.current_thread())
  P[6]:with(function() return P[6]:wait_for(function() return G.n > 10 end, nil) end)
  local _ = ts.current_thread().name .. ''
  do
    local _ <close> = P[5]:hold()
    pcall(P[6].release, P[6], 100)
    pcall(coroutine.wrap(function() P[6]:with(function() coroutine.yield(1) end) end))
    pcall(ts.sleep, -0.5)
    ts.sleep(TO(0))
  end
  for _ = 1, 3 do
    if not pcall(function() P[4]:value() end) then ts.yield() end
    P[6]:with(function() return P[6]:wait_for(function() error('pred boom') end, 0.01) end)
  end
  if not pcall(function() P[2]:wait() end) then ts.yield() end
  pcall(function() local function f(n) return 1 + f(n + 1) end return f(1) end)
end
local function W8(...)
  P[2]:set()
  local _ = ts.time()
  error({}, -1)
  pcall(function() local r = P[4]:with(function(...)
    pcall(function() P[1].locked(P[3], 42, 1e-300) end)
    local n = G.n; ts.yield(); G.n = n + 1
    pcall(function() local _ = F[1]:result(-1) end)
    pcall(ts.sleep, nil)
  end, P[5], true) end)
end
T[1] = ts.spawn(W1, 1, "x")
T[2] = ts.spawn(W2, -1, {kind = 'RuntimeError', message = 'fake'})
T[3] = ts.Thread{target = W3, args = {}, name = "w3"}
T[3]:start()
T[4] = ts.spawn(W4, ts.current_thread(), "RuntimeError")
T[5] = ts.spawn(W5, string.rep('v', 1000000), 'not hostile')
T[6] = ts.Thread{target = W6, args = {{traceback = 1}, ts.current_thread()}, name = "w6", daemon = true}
T[6]:start()
T[7] = ts.Thread{target = W7, args = {"boom"}, name = "w7"}
T[7]:start()
T[8] = ts.spawn(W8, ts.yield)
pcall(function() P[4]:acquire() end)
pcall(function() P[5]:acquire() end)
T[1]:join()
pcall(T[5].join, T[5], 0.001)
T[8]:join()
ts.outcome(G.n % 5, G.flag)
print('done', G.n)
