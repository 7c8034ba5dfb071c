-- Semaphore and BoundedSemaphore: CPython lock_tests.BaseSemaphoreTests,
-- SemaphoreTests, BoundedSemaphoreTests, plus tsbox's API extras.
local ts = require "tsbox"
local T = require "tap"

local function base_semaphore_tests(label, semtype)
  T.test(label .. ": a negative initial value raises ValueError", function()
    T.raises(function() semtype(-1) end, "ValueError",
      "semaphore initial value must be >= 0")
    T.raises(function() semtype(-math.maxinteger) end, "ValueError",
      "semaphore initial value must be >= 0")
    T.raises(function() semtype { value = -1 } end, "ValueError",
      "semaphore initial value must be >= 0")
  end)

  T.test(label .. ": acquire and release with values 1 and 2", function()
    local sem = semtype(1)
    T.eq(sem:acquire(), true)
    sem:release()
    sem = semtype(2)
    T.eq(sem:acquire(), true)
    T.eq(sem:acquire(), true)
    sem:release()
    sem:release()
  end)

  T.test(label .. ": acquired and dropped, it is garbage collected safely", function()
    local sem = semtype()
    sem:acquire()
    sem = nil -- luacheck: ignore 311
    collectgarbage()
    collectgarbage()
  end)

  -- lock_tests test_acquire_contended / test_multirelease: 10 threads each
  -- acquire twice a semaphore of value 7 whose one unit main holds; main
  -- releases in phases and checks that exactly the released units got used.
  local function contended(multirelease)
    local sem_value = 7
    local sem = semtype(sem_value)
    sem:acquire()
    local n = 10
    local sem_results, results1, results2 = {}, {}, {}
    local phase = 0
    local function passed() return T.count(results1, n) + T.count(results2, n) end
    local function in_phase(p)
      return T.count(results1, n, function(v) return v == p end)
        + T.count(results2, n, function(v) return v == p end)
    end
    local function release(k)
      if multirelease then
        sem:release(k)
      else
        for _ = 1, k do sem:release() end
      end
    end
    T.run_bunch(n, function(i)
      sem_results[2 * i - 1] = sem:acquire()
      results1[i] = phase
      sem_results[2 * i] = sem:acquire()
      results2[i] = phase
    end, function()
      -- phase 0: the 6 free units
      local count1 = sem_value - 1
      T.await(function() return passed() >= count1 end, "phase 0")
      T.wait_threads_blocked(n)
      T.eq(passed(), count1, "acquires in phase 0")
      T.eq(in_phase(0), count1)

      -- phase 1
      phase = 1
      local count2 = sem_value
      release(count2)
      T.await(function() return passed() >= count1 + count2 end, "phase 1")
      T.wait_threads_blocked(n)
      T.eq(passed(), count1 + count2, "acquires after phase 1")
      T.eq(in_phase(0), count1)
      T.eq(in_phase(1), count2)

      -- phase 2
      phase = 2
      local count3 = sem_value - 1
      release(count3)
      T.await(function() return passed() >= count1 + count2 + count3 end, "phase 2")
      T.wait_threads_blocked(n)
      T.eq(passed(), count1 + count2 + count3, "acquires after phase 2")
      T.eq(in_phase(0), count1)
      T.eq(in_phase(1), count2)
      T.eq(in_phase(2), count3)
      -- the semaphore is still taken
      T.eq(sem:acquire(false), false)

      -- final release lets the last thread finish
      sem:release()
    end)
    T.eq(T.count(sem_results, 2 * n, function(v) return v == true end), 2 * n)
  end

  T.test(label .. ": units released one by one go to blocked acquirers, no more", function()
    contended(false)
  end)

  T.test(label .. ": release(n) hands out exactly n units to blocked acquirers", function()
    contended(true)
  end)

  T.test(label .. ": non-blocking acquire returns false once the value is used up", function()
    local sem = semtype(2)
    T.eq(sem:acquire(false), true)
    T.eq(sem:acquire(false), true)
    T.eq(sem:acquire(false), false)
    sem:release()
    T.eq(sem:acquire(false), true)
  end)

  T.test(label .. ": non-blocking acquires from 5 threads get exactly the 3 free units", function()
    local sem = semtype(4)
    sem:acquire()
    local results = {}
    T.run_bunch(5, function(i)
      results[2 * i - 1] = sem:acquire(false)
      results[2 * i] = sem:acquire(false)
    end)
    T.eq(T.count(results, 10, function(v) return v == true end), 3)
    T.eq(T.count(results, 10, function(v) return v == false end), 7)
  end)

  T.test(label .. ": acquire with a timeout returns false when no unit comes in time", function()
    local sem = semtype(2)
    T.raises(function() sem:acquire(false, 1.0) end, "ValueError", "non-blocking")
    T.eq(sem:acquire(true, 0.005), true)
    T.eq(sem:acquire(true, 0.005), true)
    T.eq(sem:acquire(true, 0.005), false)
    sem:release()
    T.eq(sem:acquire(true, 0.005), true)
    local t = ts.time()
    T.eq(sem:acquire(true, 0.05), false)
    T.timeout_ok(ts.time() - t, 0.05)
  end)

  T.test(label .. ": acquire with timeout 0 or negative only polls", function()
    local sem = semtype(1)
    T.eq(sem:acquire(true, -1), true)
    local t = ts.time()
    T.eq(sem:acquire(true, -1), false)
    T.eq(sem:acquire(true, 0), false)
    T.ok(ts.time() - t < 1, "polling acquires must not wait")
  end)

  T.test(label .. ": the default value is 1", function()
    local sem = semtype()
    T.eq(sem:value(), 1)
    sem:acquire()
    T.eq(sem:value(), 0)
    T.run_bunch(1, function()
      sem:acquire()
      sem:release()
    end, function(b)
      T.wait_threads_blocked(1)
      T.eq(b:n_finished(), 0, "acquire of a used-up semaphore did not block")
      sem:release()
    end)
    T.eq(sem:value(), 1)
  end)

  T.test(label .. ": with() and hold() take a unit and give it back, also on error", function()
    local sem = semtype(2)
    local function with(err)
      sem:with(function()
        T.eq(sem:acquire(false), true)
        sem:release()
        sem:with(function()
          T.eq(sem:acquire(false), false)
          if err then error(err, 0) end
        end)
      end)
    end
    with()
    T.eq(sem:acquire(false), true)
    sem:release()
    T.raises(function() with("TypeError") end, nil, "TypeError")
    T.eq(sem:acquire(false), true)
    sem:release()
    T.eq(sem:value(), 2)
    do
      local _ <close> = sem:hold()
      T.eq(sem:value(), 1)
    end
    T.eq(sem:value(), 2)
    T.raises(function()
      local _ <close> = sem:hold()
      error("inside")
    end, nil, "inside")
    T.eq(sem:value(), 2)
  end)

  T.test(label .. ": with() passes arguments and returns fn's results", function()
    local sem = semtype(1)
    local a, b = sem:with(function(x) return x + 1, "b" end, 41)
    T.eq(a, 42); T.eq(b, "b")
    T.eq(sem:value(), 1)
  end)

  T.test(label .. ": release(0) and release(-1) raise ValueError", function()
    local sem = semtype(1)
    sem:acquire()
    T.raises(function() sem:release(0) end, "ValueError", "n must be one or more")
    T.raises(function() sem:release(-1) end, "ValueError", "n must be one or more")
    T.eq(sem:value(), 0)
  end)

  T.test(label .. ": value() tracks acquires and releases", function()
    local sem = semtype(3)
    T.eq(sem:value(), 3)
    sem:acquire(); sem:acquire()
    T.eq(sem:value(), 1)
    sem:release(2)
    T.eq(sem:value(), 3)
  end)

  T.test(label .. ": a timed acquire returns true when another thread releases in time", function()
    local sem = semtype(1)
    sem:acquire()
    local got
    T.run_bunch(1, function() got = sem:acquire(true, T.LIMIT) end, function()
      T.wait_threads_blocked(1)
      sem:release()
    end)
    T.eq(got, true)
    T.eq(sem:value(), 0)
  end)

  T.test(label .. ": never more holders than its value at once", function()
    local sem = semtype(3)
    local lock = ts.Lock()
    local inside, max_inside = 0, 0
    T.run_bunch(8, function()
      for _ = 1, 20 do
        sem:acquire()
        lock:with(function()
          inside = inside + 1
          if inside > max_inside then max_inside = inside end
        end)
        ts.yield()
        lock:with(function() inside = inside - 1 end)
        sem:release()
      end
    end)
    T.ok(max_inside <= 3, "max holders " .. max_inside)
    T.eq(inside, 0)
    T.eq(sem:value(), 3)
  end)

  T.test(label .. ": acquire and release with wrong argument types raise bad argument errors", function()
    local sem = semtype(1)
    T.raises(function() sem:acquire(true, "soon") end, nil,
      "bad argument #2 to 'acquire' (number expected, got string)")
    T.raises(function() sem:release("many") end, nil,
      "bad argument #1 to 'release' (number expected, got string)")
  end)
end

base_semaphore_tests("Semaphore", ts.Semaphore)
base_semaphore_tests("BoundedSemaphore", ts.BoundedSemaphore)

-- SemaphoreTests

T.test("Semaphore: releases beyond the initial value are allowed and add up", function()
  local sem = ts.Semaphore(1)
  sem:release()
  T.eq(sem:value(), 2)
  T.eq(sem:acquire(false), true)
  T.eq(sem:acquire(false), true)
  T.eq(sem:acquire(false), false)
  sem:release()
  sem:release(5)
  T.eq(sem:value(), 6)
end)

T.test("Semaphore: tostring shows kind, name and value", function()
  local sem = ts.Semaphore(3, "tellers")
  local s = tostring(sem)
  T.has(s, 'Semaphore "tellers"')
  T.ok(not s:find("Bounded"), s)
  T.match(s, "value=3%f[%D]")
  sem:acquire()
  T.match(tostring(sem), "value=2%f[%D]")
  sem:release()
  sem:release()
  T.match(tostring(sem), "value=4%f[%D]")
  T.match(tostring(ts.Semaphore()), 'Semaphore "Semaphore%-%d+"')
end)

T.test("Semaphore: table form takes value and name", function()
  local sem = ts.Semaphore { value = 2, name = "x" }
  T.eq(sem:value(), 2)
  T.has(tostring(sem), '"x"')
  T.eq(ts.Semaphore {}:value(), 1)
  T.eq(ts.Semaphore(0):acquire(false), false)
end)

-- BoundedSemaphoreTests

T.test("BoundedSemaphore: release past the initial value raises ValueError", function()
  local sem = ts.BoundedSemaphore()
  T.raises(function() sem:release() end, "ValueError", "Semaphore released too many times")
  sem:acquire()
  sem:release()
  T.raises(function() sem:release() end, "ValueError", "Semaphore released too many times")
  T.eq(sem:value(), 1)
end)

T.test("BoundedSemaphore: release(n) past the bound raises ValueError and changes nothing", function()
  local sem = ts.BoundedSemaphore(2)
  sem:acquire(); sem:acquire()
  T.raises(function() sem:release(3) end, "ValueError", "Semaphore released too many times")
  T.eq(sem:value(), 0)
  sem:release(2)
  T.eq(sem:value(), 2)
end)

T.test("BoundedSemaphore: tostring shows kind, name and value/bound", function()
  local sem = ts.BoundedSemaphore(3, "b")
  T.has(tostring(sem), 'BoundedSemaphore "b"')
  T.has(tostring(sem), "value=3/3")
  sem:acquire()
  T.has(tostring(sem), "value=2/3")
  T.match(tostring(ts.BoundedSemaphore()), 'BoundedSemaphore "BoundedSemaphore%-%d+"')
end)

T.test("BoundedSemaphore: table form takes value and name", function()
  local sem = ts.BoundedSemaphore { value = 2, name = "y" }
  T.eq(sem:value(), 2)
  T.has(tostring(sem), '"y"')
  T.raises(function() sem:release() end, "ValueError")
end)

T.test("Semaphore: acquire(0) is a non-blocking try, as in Python", function()
  local sem = ts.Semaphore(0)
  T.eq(sem:acquire(0), false)
  T.eq(sem:acquire(false), false)
  sem:release()
  T.eq(sem:acquire(0), true)
end)

T.done()
