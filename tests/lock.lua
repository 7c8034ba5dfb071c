-- Lock: CPython lock_tests.BaseLockTests + LockTests, plus tsbox's API extras.
local ts = require "tsbox"
local T = require "tap"

T.base_lock_tests("Lock", function() return ts.Lock() end)

T.test("Lock: a thread blocks re-acquiring a Lock it holds until another thread releases it", function()
  local lock = ts.Lock()
  local phase = {}
  local t = ts.Thread { target = function()
    lock:acquire()
    phase[1] = true
    lock:acquire()
    phase[2] = true
  end, daemon = true }
  t:start()
  T.await(function() return phase[1] end, "the first acquire")
  T.wait_threads_blocked(1)
  T.eq(phase[2], nil, "second acquire of a non-reentrant Lock must block")
  lock:release()
  T.await(function() return phase[2] end, "the second acquire")
  T.join(t)
  T.eq(lock:locked(), true)
end)

T.test("Lock: the holder's non-blocking acquire returns false (not reentrant)", function()
  local lock = ts.Lock()
  lock:acquire()
  T.eq(lock:acquire(false), false)
  T.eq(lock:acquire(true, 0), false)
  lock:release()
end)

T.test("Lock: the holder's timed acquire times out (not reentrant)", function()
  local lock = ts.Lock()
  lock:acquire()
  local t1 = ts.time()
  T.eq(lock:acquire(true, 0.02), false)
  T.timeout_ok(ts.time() - t1, 0.02)
  lock:release()
end)

T.test("Lock: can be released by a different thread than the one that acquired it", function()
  local lock = ts.Lock()
  lock:acquire()
  T.run_bunch(1, function() lock:release() end)
  T.eq(lock:locked(), false)
  lock:acquire()
  lock:release()
end)

T.test("Lock: is in a proper state after a timed-out acquire", function()
  local lock = ts.Lock()
  lock:acquire()
  T.eq(lock:acquire(true, 0.01), false)
  lock:release()
  T.eq(lock:locked(), false)
  T.eq(lock:acquire(false), true)
  lock:release()
end)

T.test("Lock: release of an unlocked Lock raises RuntimeError", function()
  local lock = ts.Lock()
  T.raises(function() lock:release() end, "RuntimeError", "release unlocked lock")
  lock:acquire()
  lock:release()
  T.raises(function() lock:release() end, "RuntimeError", "release unlocked lock")
end)

T.test("Lock: locked() reports the state", function()
  local lock = ts.Lock()
  T.eq(lock:locked(), false)
  lock:acquire()
  T.eq(lock:locked(), true)
  lock:release()
  T.eq(lock:locked(), false)
end)

T.test("Lock: locked() is true inside with() and false after", function()
  local lock = ts.Lock()
  local inside = lock:with(function() return lock:locked() end)
  T.eq(inside, true)
  T.eq(lock:locked(), false)
end)

T.test("Lock: acquire(true, 0) only polls", function()
  local lock = ts.Lock()
  T.eq(lock:acquire(true, 0), true)
  local got
  T.run_bunch(1, function() got = lock:acquire(true, 0) end)
  T.eq(got, false)
  lock:release()
end)

T.test("Lock: a blocked acquire returns true once another thread releases", function()
  local lock = ts.Lock()
  lock:acquire()
  local got
  T.run_bunch(1, function()
    got = lock:acquire(true, T.LIMIT)
    lock:release()
  end, function()
    T.wait_threads_blocked(1)
    lock:release()
  end)
  T.eq(got, true)
  T.eq(lock:locked(), false)
end)

T.test("Lock: a counter protected by a Lock is exact under contention", function()
  local lock = ts.Lock()
  local counter = 0
  T.run_bunch(4, function()
    for _ = 1, 300 do
      lock:acquire()
      local v = counter
      ts.yield()
      counter = v + 1
      lock:release()
    end
  end)
  T.eq(counter, 1200)
end)

T.test("Lock: default names are Lock-N and tostring shows kind, name and state", function()
  local a, b = ts.Lock(), ts.Lock()
  local sa = tostring(a)
  T.match(sa, 'Lock "Lock%-%d+"')
  T.match(sa, "unlocked")
  T.ok(tostring(b) ~= sa, "two locks must have different names")
  a:acquire()
  local s = tostring(a)
  T.match(s, 'Lock "Lock%-%d+"')
  T.match(s, "locked")
  T.ok(not s:find("unlocked"), "a held lock must not show as unlocked: " .. s)
  a:release()
end)

T.test("Lock: a name given positionally or in a table shows in tostring", function()
  local a = ts.Lock("vault")
  T.has(tostring(a), 'Lock "vault"')
  T.has(tostring(a), "unlocked")
  local b = ts.Lock { name = "safe" }
  T.has(tostring(b), 'Lock "safe"')
  b:acquire()
  T.ok(not tostring(b):find("unlocked"), tostring(b))
  T.has(tostring(b), "locked")
  b:release()
end)

T.test("Lock: error values carry kind, message, traceback and a positioned tostring", function()
  local lock = ts.Lock()
  local ok, e = pcall(lock.release, lock)
  T.eq(ok, false)
  T.eq(type(e), "table")
  T.eq(e.kind, ts.RuntimeError)
  T.eq(ts.RuntimeError, "RuntimeError")
  T.eq(e.message, "release unlocked lock")
  T.eq(type(e.traceback), "string")
  T.match(tostring(e), "RuntimeError: release unlocked lock$")
  -- the position is that of the Lua code that called release
  local line = debug.getinfo(1, "l").currentline + 1
  local e2 = T.raises(function() lock:release() end, "RuntimeError")
  T.match(tostring(e2), "lock%.lua:" .. line .. ": RuntimeError: release unlocked lock")
end)

T.test("Lock: blocking follows Python's truthiness: acquire(0) and acquire(false) only try", function()
  for _, make in ipairs({ ts.Lock, ts.RLock }) do
    local lock = make()
    local got = {}
    ts.spawn(function() lock:acquire() end):join()   -- held by a finished thread
    -- Each would block forever if 0 or 0.0 counted as true, as Lua has it.
    got[1] = lock:acquire(0)
    got[2] = lock:acquire(0.0)
    got[3] = lock:acquire(false)
    T.same(got, { false, false, false })
    T.raises(function() lock:acquire(0, 1) end, ts.ValueError, "can't specify a timeout for a non-blocking call")
    T.eq(lock:acquire(1, 0.01), false, "1 blocks, with a timeout")
  end
  local free = ts.Lock()
  T.eq(free:acquire(0), true)
end)

T.test("Lock: a timeout above TIMEOUT_MAX raises OverflowError, as in Python", function()
  T.eq(ts.TIMEOUT_MAX, 9223372036.0)
  local lock = ts.Lock()
  lock:acquire()
  T.raises(function() lock:acquire(true, 1e300) end, ts.OverflowError, "timestamp out of range for platform time_t")
  T.raises(function() lock:acquire(true, math.huge) end, ts.OverflowError)
  T.raises(function() lock:acquire(true, ts.TIMEOUT_MAX + 0.5) end, ts.OverflowError, "timeout value is too large")
  T.raises(function() ts.Event():wait(1e300) end, ts.OverflowError)
  T.raises(function() ts.Semaphore(0):acquire(true, 1e300) end, ts.OverflowError)
  local cond = ts.Condition()
  cond:with(function() T.raises(function() cond:wait(1e300) end, ts.OverflowError) end)
  T.eq(lock:locked(), true)
end)

T.test("Lock: ThreadError is RuntimeError, as in Python", function()
  T.eq(ts.ThreadError, ts.RuntimeError)
  local e = T.raises(function() ts.Lock():release() end)
  T.eq(e.kind, ts.ThreadError)
end)

T.done()
