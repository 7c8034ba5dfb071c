-- Condition: CPython lock_tests.ConditionTests, ConditionAsRLockTests (the
-- base lock and RLock suites run on a Condition, whose default lock is an
-- RLock), plus tsbox's API extras.
local ts = require "tsbox"
local T = require "tap"

T.base_lock_tests("Condition as RLock", function() return ts.Condition() end)
T.rlock_tests("Condition as RLock", function() return ts.Condition() end)

T.test("Condition: the default lock is reentrant; an explicit Lock is the one used", function()
  local cond = ts.Condition()
  cond:acquire()
  cond:acquire()
  cond:release()
  cond:release()
  local lock = ts.Lock()
  cond = ts.Condition(lock)
  cond:acquire()
  T.eq(lock:acquire(false), false, "the lock must be held through the condition")
  cond:release()
  T.eq(lock:acquire(false), true, "the lock must be free after cond:release()")
  T.eq(cond:acquire(false), false, "cond:acquire must fail while the lock is held")
  lock:release()
  cond:with(function()
    T.eq(lock:acquire(false), false, "the lock must be held inside cond:with()")
  end)
  T.eq(lock:acquire(false), true, "the lock must be free after cond:with()")
  lock:release()
  do
    local _ <close> = cond:hold()
    T.eq(lock:locked(), true, "the lock must be held by cond:hold()")
  end
  T.eq(lock:locked(), false, "the lock must be free after the hold() scope")
end)

T.test("Condition: wait() without holding the lock raises RuntimeError", function()
  local cond = ts.Condition()
  T.raises(function() cond:wait() end, "RuntimeError", "cannot wait on un-acquired lock")
  T.raises(function() cond:wait(0.01) end, "RuntimeError", "cannot wait on un-acquired lock")
end)

T.test("Condition: notify() and notify_all() without holding the lock raise RuntimeError", function()
  local cond = ts.Condition()
  T.raises(function() cond:notify() end, "RuntimeError", "cannot notify on un-acquired lock")
  T.raises(function() cond:notify_all() end, "RuntimeError", "cannot notify on un-acquired lock")
end)

T.test("Condition: wait() by a thread while another thread owns the RLock raises RuntimeError", function()
  local cond = ts.Condition()
  cond:acquire()
  local err
  T.run_bunch(1, function()
    local ok, e = pcall(cond.wait, cond, 0.01)
    err = ok and "no error" or e
  end)
  cond:release()
  T.eq(type(err) == "table" and err.kind, "RuntimeError", T.describe(err))
  T.eq(err.message, "cannot wait on un-acquired lock")
end)

-- lock_tests.ConditionTests._check_notify: 5 threads wait twice; notify(3),
-- then notify(5) (threads in their first or second wait), then notify_all().
-- `phase` tells in which phase a waiter came back.
local function check_notify(cond)
  local n = 5
  local ready = 0 -- changed only with cond's lock held
  local results1, results2 = {}, {}
  local phase = 0
  local function with_phase(p)
    return function(v) return v[1] == true and v[2] == p end
  end
  T.run_bunch(n, function(i)
    cond:acquire()
    ready = ready + 1
    local r = cond:wait()
    cond:release()
    results1[i] = { r, phase }
    cond:acquire()
    ready = ready + 1
    r = cond:wait()
    cond:release()
    results2[i] = { r, phase }
  end, function()
    T.await(function() return ready >= n end, "all threads to wait")
    cond:acquire() -- now all n are inside wait()
    ready = 0
    T.eq(T.count(results1, n), 0)

    -- notify 3 threads
    cond:notify(3)
    T.wait_threads_blocked(3)
    phase = 1
    cond:release()
    T.await(function() return T.count(results1, n) >= 3 end, "3 threads to wake")
    T.eq(T.count(results1, n, with_phase(1)), 3, "phase 1 wakers in results1")
    T.eq(T.count(results1, n), 3, "only 3 threads woke")
    T.eq(T.count(results2, n), 0)

    -- wait until the 3 woken threads are in their second wait
    T.await(function() return ready >= 3 end, "3 threads to wait again")
    cond:acquire()
    cond:notify(5)
    T.wait_threads_blocked(n)
    phase = 2
    cond:release()
    T.await(function()
      return T.count(results1, n) + T.count(results2, n) >= n + 3
    end, "5 more threads to wake")
    T.eq(T.count(results1, n, with_phase(1)), 3)
    T.eq(T.count(results1, n, with_phase(2)), 2)
    T.eq(T.count(results2, n, with_phase(2)), 3)
    T.eq(T.count(results2, n), 3)

    -- all threads are now in their second wait
    T.await(function() return ready >= n end, "all threads to wait again")
    cond:acquire()
    cond:notify_all()
    T.wait_threads_blocked(n)
    phase = 3
    cond:release()
    T.await(function() return T.count(results2, n) >= n end, "all threads to wake")
    T.eq(T.count(results1, n, with_phase(1)), 3)
    T.eq(T.count(results1, n, with_phase(2)), 2)
    T.eq(T.count(results2, n, with_phase(2)), 3)
    T.eq(T.count(results2, n, with_phase(3)), 2)
  end)
end

T.test("Condition: notify(n) wakes n waiters and notify_all() wakes the rest, twice in a row", function()
  local cond = ts.Condition()
  check_notify(cond)
  check_notify(cond) -- internal state must still be fine
end)

T.test("Condition: the same notify protocol works on a Condition over a Lock", function()
  check_notify(ts.Condition(ts.Lock()))
end)

T.test("Condition: wait(timeout) without notify returns false after the timeout", function()
  local cond = ts.Condition()
  local n = 5
  local results, times = {}, {}
  T.run_bunch(n, function(i)
    cond:acquire()
    local t1 = ts.time()
    results[i] = cond:wait(0.05)
    times[i] = ts.time() - t1
    cond:release()
  end)
  for i = 1, n do
    T.eq(results[i], false, "thread " .. i)
    T.timeout_ok(times[i], 0.05)
  end
end)

T.test("Condition: wait(0) and wait with a negative timeout only poll", function()
  local cond = ts.Condition()
  cond:with(function()
    local t1 = ts.time()
    T.eq(cond:wait(0), false)
    T.eq(cond:wait(-1), false)
    T.ok(ts.time() - t1 < 1, "polling waits must not wait")
  end)
end)

T.test("Condition: wait_for(pred) returns once pred holds after notifications", function()
  local cond = ts.Condition()
  local state = 0
  local result, seen
  T.run_bunch(1, function()
    cond:with(function()
      result = cond:wait_for(function() return state == 4 end)
      seen = state
    end)
  end, function()
    for _ = 1, 4 do
      ts.sleep(0.01)
      cond:with(function()
        state = state + 1
        cond:notify()
      end)
    end
  end)
  T.eq(result, true)
  T.eq(seen, 4)
end)

T.test("Condition: wait_for(pred, timeout) returns false when pred never holds", function()
  local cond = ts.Condition()
  local state = 0
  local result, dt
  T.run_bunch(1, function()
    cond:with(function()
      local t1 = ts.time()
      result = cond:wait_for(function() return state == 4 end, 0.1)
      dt = ts.time() - t1
    end)
  end, function()
    for _ = 1, 3 do -- state == 4 is never reached
      ts.sleep(0.01)
      cond:with(function()
        state = state + 1
        cond:notify()
      end)
    end
  end)
  T.eq(result, false)
  T.timeout_ok(dt, 0.1)
end)

T.test("Condition: wait_for returns the predicate's last value", function()
  local cond = ts.Condition()
  cond:with(function()
    T.eq(cond:wait_for(function() return "yes" end), "yes")
    T.eq(cond:wait_for(function() return 42 end, 1), 42)
    T.eq(cond:wait_for(function() return nil end, 0), nil)
    T.eq(cond:wait_for(function() return false end, 0), false)
  end)
end)

T.test("Condition: wait(timeout) returns true when notified in time", function()
  local cond = ts.Condition()
  local ready = false
  local result
  T.run_bunch(1, function()
    cond:with(function()
      ready = true
      result = cond:wait(T.LIMIT)
    end)
  end, function()
    T.await(function() return ready end, "the waiter")
    cond:with(function() cond:notify() end)
  end)
  T.eq(result, true)
end)

T.test("Condition: notify(1) wakes exactly one of two waiters", function()
  local cond = ts.Condition()
  local ready = 0
  local woke = {}
  T.run_bunch(2, function(i)
    cond:with(function()
      ready = ready + 1
      woke[i] = cond:wait(T.LIMIT)
    end)
  end, function()
    T.await(function() return ready == 2 end, "both waiters")
    cond:with(function() cond:notify(1) end)
    T.await(function() return T.count(woke, 2) >= 1 end, "one waiter to wake")
    T.wait_threads_blocked(2)
    T.eq(T.count(woke, 2), 1, "notify(1) woke more than one thread")
    cond:with(function() cond:notify(1) end)
  end)
  T.eq(woke[1], true)
  T.eq(woke[2], true)
end)

T.test("Condition: notify() with no waiter is a no-op and is not remembered", function()
  local cond = ts.Condition()
  cond:with(function()
    cond:notify()
    cond:notify(3)
    cond:notify_all()
    T.eq(cond:wait(0.01), false)
  end)
end)

T.test("Condition: wait() releases the underlying Lock and holds it again on return", function()
  local lock = ts.Lock()
  local cond = ts.Condition(lock)
  local got
  cond:acquire()
  local t = ts.spawn(function()
    got = lock:acquire(true, T.LIMIT)
    cond:notify()
    lock:release()
  end)
  T.eq(cond:wait(T.LIMIT), true)
  T.eq(got, true, "the other thread must get the lock during wait()")
  T.eq(lock:locked(), true, "the lock must be held again after wait()")
  cond:release()
  T.eq(lock:locked(), false)
  T.join(t)
end)

T.test("Condition: wait() on an RLock held twice releases it fully and restores both levels", function()
  local cond = ts.Condition()
  cond:acquire()
  cond:acquire()
  local t = ts.spawn(function()
    cond:acquire()
    cond:notify()
    cond:release()
  end)
  T.eq(cond:wait(T.LIMIT), true)
  cond:release()
  local other
  T.run_bunch(1, function()
    other = cond:acquire(false)
    if other then cond:release() end
  end)
  T.eq(other, false, "one level must still be held after one release")
  cond:release()
  T.raises(function() cond:release() end, "RuntimeError", "cannot release un-acquired lock")
  T.join(t)
end)

T.test("Condition: a producer/consumer pair over a Condition passes every item in order", function()
  local cond = ts.Condition()
  local items, got = {}, {}
  local head, n = 1, 50
  local consumer = ts.spawn(function()
    for _ = 1, n do
      cond:with(function()
        cond:wait_for(function() return items[head] ~= nil end, T.LIMIT)
        got[#got + 1] = items[head]
        items[head] = nil
        head = head + 1
      end)
    end
  end)
  for i = 1, n do
    cond:with(function()
      items[i] = i * 10
      cond:notify()
    end)
    if i % 7 == 0 then ts.yield() end
  end
  T.join(consumer)
  T.eq(#got, n)
  for i = 1, n do T.eq(got[i], i * 10) end
end)

T.test("Condition: names by position or table and tostring shows kind and name", function()
  T.has(tostring(ts.Condition(nil, "ready")), "Condition")
  T.has(tostring(ts.Condition(nil, "ready")), '"ready"')
  local lock = ts.Lock()
  local c = ts.Condition { lock = lock, name = "go" }
  T.has(tostring(c), '"go"')
  c:acquire()
  T.eq(lock:locked(), true, "Condition{lock=...} must use the given lock")
  c:release()
  T.match(tostring(ts.Condition()), 'Condition "Condition%-%d+"')
end)

T.test("Condition: wait with a wrong argument type raises a bad argument error", function()
  local cond = ts.Condition()
  cond:with(function()
    T.raises(function() cond:wait("soon") end, nil,
      "bad argument #1 to 'wait' (number expected, got string)")
  end)
end)

---------------------------------------------------------------------------
-- CPython's waiter locks: a waiter whose timeout has expired stays in
-- _waiters until it has the lock back, and a notify that picks it is spent.

T.test("Condition: notify(1) goes to a timed-out waiter still re-taking the lock; the next waits on", function()
  local cond = ts.Condition()
  local got = {}
  local a = ts.spawn(function() cond:with(function() got.A = cond:wait(0.05) end) end)
  T.await(function() return tostring(cond):find("waiters=1", 1, true) end, "A waiting")
  local b = ts.spawn(function() cond:with(function() got.B = cond:wait() end) end)
  T.await(function() return tostring(cond):find("waiters=2", 1, true) end, "B waiting")
  cond:acquire()
  ts.sleep(0.5)                  -- A times out, then blocks on the lock
  cond:notify(1)
  cond:release()
  T.join(a, "A")
  T.eq(got.A, false, "A's wait timed out although notify picked it")
  T.eq(b:join(0.2), false, "B was not woken: the notify was spent on A")
  cond:with(function() cond:notify() end)
  T.join(b, "B")
  T.eq(got.B, true)
end)

T.test("Condition: a waiter notified before its timeout returns true and leaves _waiters", function()
  local cond = ts.Condition()
  local got
  local a = ts.spawn(function() cond:with(function() got = cond:wait(T.LIMIT) end) end)
  T.await(function() return tostring(cond):find("waiters=1", 1, true) end, "A waiting")
  cond:with(function() cond:notify(5) end)
  T.join(a, "A")
  T.eq(got, true)
  T.has(tostring(cond), "waiters=0")
end)

T.test("Condition: exploring scripts/lost_notify.lua finds CPython's A=false B=false", function()
  local rc, out = T.tsbox('--runs 200 --seed 1 -j 2 "' .. T.repo_file("scripts/lost_notify.lua") .. '"')
  T.eq(rc, 0, out)
  T.match(out, "\n  A=false B=false +%d+ ", out)
end)

T.done()
