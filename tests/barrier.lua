-- Barrier: CPython lock_tests.BarrierTests, plus tsbox's API extras.
local ts = require "tsbox"
local T = require "tap"

local N = 5
-- Only there to unstick a broken test; never reached when tsbox is right.
local DEFAULT_TIMEOUT = 5.0

-- Runs fn(barrier) with a fresh Barrier(N, nil, DEFAULT_TIMEOUT) and aborts
-- the barrier at the end whatever happens (lock_tests' tearDown).
local function with_barrier(fn)
  return function()
    local barrier = ts.Barrier(N, nil, DEFAULT_TIMEOUT)
    local ok, e = pcall(fn, barrier)
    barrier:abort()
    if not ok then error(e, 0) end
  end
end

local function run_threads(f)
  T.run_bunch(N, f)
end

local function is_broken_error(e)
  return type(e) == "table" and e.kind == "BrokenBarrierError"
end

-- N threads pass the barrier n times in lockstep: results0 counts arrivals
-- before the first wait of each pass, results1 those between the two waits.
local function multipass(barrier, n)
  local lock = ts.Lock()
  local c0, c1 = 0, 0
  run_threads(function()
    local m = barrier.parties
    T.eq(m, N)
    for i = 0, n - 1 do
      lock:with(function() c0 = c0 + 1 end)
      T.eq(c1, i * m, "pass " .. i .. " before first wait")
      barrier:wait()
      lock:with(function() c1 = c1 + 1 end)
      T.eq(c0, (i + 1) * m, "pass " .. i .. " after first wait")
      barrier:wait()
    end
    T.eq(barrier.n_waiting, 0)
    T.eq(barrier.broken, false)
  end)
  T.eq(c0, n * N)
  T.eq(c1, n * N)
end

T.test("Barrier: Barrier(0) and Barrier(-1) raise ValueError", function()
  T.raises(function() ts.Barrier(0) end, "ValueError", "parties must be")
  T.raises(function() ts.Barrier(-1) end, "ValueError", "parties must be")
  T.raises(function() ts.Barrier { parties = 0 } end, "ValueError", "parties must be")
end)

T.test("Barrier: 5 threads pass it in lockstep", with_barrier(function(barrier)
  multipass(barrier, 1)
end))

T.test("Barrier: 5 threads pass it in lockstep 10 times in a row", with_barrier(function(barrier)
  multipass(barrier, 10)
end))

T.test("Barrier: wait() returns each arrival index 0..parties-1 once", with_barrier(function(barrier)
  local results = {}
  run_threads(function(i) results[i] = barrier:wait() end)
  local seen = {}
  for i = 1, N do
    local r = results[i]
    T.eq(math.type(r), "integer", "index " .. tostring(r))
    T.ok(r >= 0 and r < N, "index out of range: " .. r)
    T.eq(seen[r], nil, "index returned twice: " .. r)
    seen[r] = true
  end
end))

T.test("Barrier: the action runs once per pass, before any thread is released", function()
  local calls = 0
  local barrier = ts.Barrier(N, function() calls = calls + 1 end)
  local seen = {}
  local ok, e = pcall(run_threads, function(i)
    barrier:wait()
    seen[i] = calls
  end)
  barrier:abort()
  if not ok then error(e, 0) end
  for i = 1, N do T.eq(seen[i], 1, "calls seen by thread " .. i) end
  T.eq(calls, 1)
end)

T.test("Barrier: the action runs in exactly one of the waiting threads", function()
  local runner
  local idents = {}
  local barrier = ts.Barrier(3, function() runner = ts.get_ident() end)
  local ok, e = pcall(T.run_bunch, 3, function(i)
    idents[i] = ts.get_ident()
    barrier:wait()
  end)
  barrier:abort()
  if not ok then error(e, 0) end
  T.ok(runner ~= nil, "the action did not run")
  T.ok(runner == idents[1] or runner == idents[2] or runner == idents[3],
    "the action ran in a thread that was not waiting")
end)

T.test("Barrier: abort() breaks it; the other waiters get BrokenBarrierError", with_barrier(function(barrier)
  local results1, results2 = {}, {}
  run_threads(function(i)
    local ok, e = pcall(function()
      local r = barrier:wait()
      if r == N // 2 then error("abort here", 0) end
      barrier:wait()
      results1[i] = true
    end)
    if not ok then
      if is_broken_error(e) then
        results2[i] = true
      elseif e == "abort here" then
        barrier:abort()
      else
        error(e, 0)
      end
    end
  end)
  T.eq(T.count(results1, N), 0)
  T.eq(T.count(results2, N), N - 1)
  T.eq(barrier.broken, true)
end))

T.test("Barrier: reset() frees the waiting threads with BrokenBarrierError, then it works again",
  with_barrier(function(barrier)
  local results1, results2, results3 = {}, {}, {}
  run_threads(function(i)
    local r = barrier:wait()
    if r == N // 2 then
      -- wait until the other threads are all in the barrier
      T.await(function() return barrier.n_waiting >= N - 1 end, "the others to wait")
      barrier:reset()
    else
      local ok, e = pcall(barrier.wait, barrier)
      if ok then
        results1[i] = true
      elseif is_broken_error(e) then
        results2[i] = true
      else
        error(e, 0)
      end
    end
    -- pass the barrier again
    barrier:wait()
    results3[i] = true
  end)
  T.eq(T.count(results1, N), 0)
  T.eq(T.count(results2, N), N - 1)
  T.eq(T.count(results3, N), N)
end))

T.test("Barrier: a broken barrier can be reset and used again", with_barrier(function(barrier)
  local results1, results2, results3 = {}, {}, {}
  local barrier2 = ts.Barrier(N, nil, DEFAULT_TIMEOUT)
  local ok0, e0 = pcall(run_threads, function(i)
    local ok, e = pcall(function()
      local r = barrier:wait()
      if r == N // 2 then error("abort here", 0) end
      barrier:wait()
      results1[i] = true
    end)
    if not ok then
      if is_broken_error(e) then
        results2[i] = true
      elseif e == "abort here" then
        barrier:abort()
      else
        error(e, 0)
      end
    end
    -- synchronize, reset, synchronize: nobody is still inside the barrier
    -- when it is reset, nobody enters it before
    if barrier2:wait() == N // 2 then
      barrier:reset()
    end
    barrier2:wait()
    barrier:wait()
    results3[i] = true
  end)
  barrier2:abort()
  if not ok0 then error(e0, 0) end
  T.eq(T.count(results1, N), 0)
  T.eq(T.count(results2, N), N - 1)
  T.eq(T.count(results3, N), N)
end))

T.test("Barrier: wait(timeout) that expires breaks it for everybody", with_barrier(function(barrier)
  local errors = {}
  run_threads(function(i)
    local r = barrier:wait()
    if r == N // 2 then
      ts.sleep(0.2) -- one thread is late
    end
    local ok, e = pcall(barrier.wait, barrier, 0.05)
    errors[i] = ok and "no error" or e
  end)
  for i = 1, N do
    T.ok(is_broken_error(errors[i]), "thread " .. i .. ": " .. T.describe(errors[i]))
  end
  T.eq(barrier.broken, true)
end))

T.test("Barrier: the default timeout given at construction applies to wait()", function()
  local timeout = 0.1
  local barrier = ts.Barrier(2, nil, timeout)
  local err
  local t1 = ts.time()
  T.run_bunch(1, function()
    local ok, e = pcall(barrier.wait, barrier)
    err = ok and "no error" or e
  end)
  local dt = ts.time() - t1
  T.ok(is_broken_error(err), T.describe(err))
  T.ok(dt >= timeout * 0.9, ("returned after %.4fs"):format(dt))
  T.eq(barrier.broken, true)
end)

T.test("Barrier: a barrier of one party never blocks", function()
  local b = ts.Barrier(1)
  T.eq(b:wait(), 0)
  T.eq(b:wait(), 0)
end)

T.test("Barrier: tostring shows name, waiters and broken state", function()
  local barrier = ts.Barrier(3, nil, nil, "b")
  T.has(tostring(barrier), 'Barrier "b"')
  T.has(tostring(barrier), "waiters=0/3")
  local ok, e = pcall(T.run_bunch, 2, function()
    barrier:wait(T.LIMIT)
  end, function()
    T.await(function() return barrier.n_waiting >= 2 end, "two waiters")
    T.has(tostring(barrier), "waiters=2/3")
    barrier:wait(T.LIMIT)
  end)
  if not ok then barrier:abort(); error(e, 0) end
  T.has(tostring(barrier), "waiters=0/3")
  barrier:abort()
  T.has(tostring(barrier), "broken")
  T.match(tostring(ts.Barrier(2)), 'Barrier "Barrier%-%d+"')
end)

T.test("Barrier: fields parties, n_waiting and broken", function()
  local barrier = ts.Barrier(2)
  T.eq(barrier.parties, 2)
  T.eq(barrier.n_waiting, 0)
  T.eq(barrier.broken, false)
  local t = ts.spawn(function() pcall(barrier.wait, barrier, T.LIMIT) end)
  T.await(function() return barrier.n_waiting == 1 end, "one waiter")
  T.eq(barrier.broken, false)
  barrier:abort()
  T.join(t)
  T.eq(barrier.broken, true)
  T.eq(barrier.n_waiting, 0)
  barrier:reset()
  T.eq(barrier.broken, false)
end)

T.test("Barrier: wait() on a broken barrier raises BrokenBarrierError at once", function()
  local barrier = ts.Barrier(2)
  barrier:abort()
  local t1 = ts.time()
  local e = T.raises(function() barrier:wait() end, "BrokenBarrierError")
  T.eq(e.kind, ts.BrokenBarrierError)
  T.eq(ts.BrokenBarrierError, "BrokenBarrierError")
  T.raises(function() barrier:wait(1) end, "BrokenBarrierError")
  T.ok(ts.time() - t1 < 1, "wait on a broken barrier must not wait")
end)

T.test("Barrier: a wait with a zero or negative timeout breaks it at once", function()
  local barrier = ts.Barrier(2)
  local t1 = ts.time()
  T.raises(function() barrier:wait(0) end, "BrokenBarrierError")
  T.eq(barrier.broken, true)
  barrier:reset()
  T.raises(function() barrier:wait(-1) end, "BrokenBarrierError")
  T.ok(ts.time() - t1 < 1, "polling waits must not wait")
end)

T.test("Barrier: an action that raises breaks it; its thread gets the action's error", function()
  local barrier = ts.Barrier(3, function() error("action failed", 0) end)
  local results = {}
  T.run_bunch(3, function(i)
    local ok, e = pcall(barrier.wait, barrier, T.LIMIT)
    results[i] = ok and "no error" or e
  end)
  local broken, action = 0, 0
  for i = 1, 3 do
    if is_broken_error(results[i]) then broken = broken + 1
    elseif results[i] == "action failed" then action = action + 1
    end
  end
  T.eq(action, 1, "threads that got the action's error")
  T.eq(broken, 2, "threads that got BrokenBarrierError")
  T.eq(barrier.broken, true)
end)

T.test("Barrier: table form takes parties, action, timeout and name", function()
  local calls = 0
  local barrier = ts.Barrier { parties = 1, action = function() calls = calls + 1 end,
                               timeout = 1, name = "tbl" }
  T.eq(barrier.parties, 1)
  T.eq(barrier:wait(), 0)
  T.eq(calls, 1)
  T.has(tostring(barrier), '"tbl"')
  local b2 = ts.Barrier { parties = 2, timeout = 0.01 }
  T.raises(function() b2:wait() end, "BrokenBarrierError")
end)

T.test("Barrier: wait with a wrong argument type raises a bad argument error", function()
  local barrier = ts.Barrier(2)
  T.raises(function() barrier:wait("soon") end, nil,
    "bad argument #1 to 'wait' (number expected, got string)")
  T.eq(barrier.broken, false)
end)

T.done()
