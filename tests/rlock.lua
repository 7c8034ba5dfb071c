-- RLock: CPython lock_tests.BaseLockTests + RLockTests, plus tsbox's API extras.
local ts = require "tsbox"
local T = require "tap"

T.base_lock_tests("RLock", function() return ts.RLock() end)
T.rlock_tests("RLock", function() return ts.RLock() end)

T.test("RLock: locked() is true while any thread holds it, at any depth", function()
  local lock = ts.RLock()
  T.eq(lock:locked(), false)
  lock:acquire()
  T.eq(lock:locked(), true)
  lock:acquire()
  T.eq(lock:locked(), true)
  lock:release()
  T.eq(lock:locked(), true)
  local seen
  T.run_bunch(1, function() seen = lock:locked() end)
  T.eq(seen, true, "locked() seen from another thread")
  lock:release()
  T.eq(lock:locked(), false)
end)

T.test("RLock: a thread that owns it may re-acquire while others wait", function()
  local lock = ts.RLock()
  local order = {}
  lock:acquire()
  local b = T.bunch(3, function(i)
    lock:acquire()
    order[i] = true
    lock:release()
  end):wait_started()
  T.wait_threads_blocked(3)
  T.eq(lock:acquire(false), true, "owner re-acquires while others are blocked")
  T.eq(b:n_finished(), 0)
  lock:release()
  T.eq(b:n_finished(), 0, "one release of two must not free it")
  lock:release()
  b:wait_finished()
  T.eq(T.count(order, 3), 3)
end)

T.test("RLock: a counter protected by a recursively held RLock is exact", function()
  local lock = ts.RLock()
  local counter = 0
  local function bump()
    lock:with(function()
      local v = counter
      ts.yield()
      counter = v + 1
    end)
  end
  T.run_bunch(4, function()
    for _ = 1, 200 do
      lock:acquire()
      bump()
      lock:release()
    end
  end)
  T.eq(counter, 800)
end)

T.test("RLock: tostring shows kind, name and state", function()
  local lock = ts.RLock("r")
  T.has(tostring(lock), 'RLock "r"')
  T.has(tostring(lock), "unlocked")
  lock:acquire()
  T.has(tostring(lock), "locked")
  T.ok(not tostring(lock):find("unlocked"), tostring(lock))
  lock:release()
  T.match(tostring(ts.RLock()), 'RLock "RLock%-%d+"')
  T.has(tostring(ts.RLock { name = "t" }), 'RLock "t"')
end)

T.test("RLock: _is_owned() is true only in the thread that holds it (CPython's RLock._is_owned)", function()
  local lock = ts.RLock()
  T.eq(lock:_is_owned(), false)
  lock:acquire()
  lock:acquire()
  T.eq(lock:_is_owned(), true)
  local other
  ts.spawn(function() other = lock:_is_owned() end):join()
  T.eq(other, false)
  lock:release()
  T.eq(lock:_is_owned(), true)
  lock:release()
  T.eq(lock:_is_owned(), false)
end)

T.done()
