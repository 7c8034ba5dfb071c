-- Event: CPython lock_tests.EventTests, plus tsbox's API extras.
local ts = require "tsbox"
local T = require "tap"

T.test("Event: is_set() follows set() and clear(), both idempotent", function()
  local evt = ts.Event()
  T.eq(evt:is_set(), false)
  evt:set()
  T.eq(evt:is_set(), true)
  evt:set()
  T.eq(evt:is_set(), true)
  evt:clear()
  T.eq(evt:is_set(), false)
  evt:clear()
  T.eq(evt:is_set(), false)
end)

-- All N threads, blocked in wait(), are woken by one set(); a second wait()
-- returns at once.
local function check_notify(evt)
  local n = 5
  local results1, results2 = {}, {}
  T.run_bunch(n, function(i)
    results1[i] = evt:wait()
    results2[i] = evt:wait()
  end, function()
    T.wait_threads_blocked(n)
    T.eq(T.count(results1, n), 0, "wait() returned before set()")
    evt:set()
  end)
  T.eq(T.count(results1, n, function(v) return v == true end), n)
  T.eq(T.count(results2, n, function(v) return v == true end), n)
end

T.test("Event: set() wakes every waiting thread and wait() returns true", function()
  check_notify(ts.Event())
end)

T.test("Event: set() wakes every waiting thread again after a clear()", function()
  local evt = ts.Event()
  check_notify(evt)
  evt:set()
  evt:clear()
  check_notify(evt)
end)

T.test("Event: wait(0) and wait(timeout) return false when unset, true when set", function()
  local evt = ts.Event()
  local n = 5
  local results1, results2, times = {}, {}, {}
  local function f(i)
    results1[i] = evt:wait(0)
    local t1 = ts.time()
    results2[i] = evt:wait(0.05)
    times[i] = ts.time() - t1
  end
  T.run_bunch(n, f)
  for i = 1, n do
    T.eq(results1[i], false, "wait(0) of an unset event")
    T.eq(results2[i], false, "wait(0.05) of an unset event")
    T.timeout_ok(times[i], 0.05)
  end
  results1, results2 = {}, {}
  evt:set()
  T.run_bunch(n, f)
  for i = 1, n do
    T.eq(results1[i], true, "wait(0) of a set event")
    T.eq(results2[i], true, "wait(0.05) of a set event")
  end
end)

T.test("Event: wait() returns true even if the event is cleared right after set()", function()
  local evt = ts.Event()
  local n = 5
  local results, about_to_wait = {}, {}
  T.run_bunch(n, function(i)
    about_to_wait[i] = true
    results[i] = evt:wait(T.LIMIT)
  end, function()
    T.await(function() return T.count(about_to_wait, n) == n end, "all threads")
    T.wait_threads_blocked(n)
    evt:set()
    evt:clear()
  end)
  for i = 1, n do T.eq(results[i], true, "thread " .. i) end
end)

T.test("Event: wait with a negative timeout only polls", function()
  local evt = ts.Event()
  local t1 = ts.time()
  T.eq(evt:wait(-1), false)
  T.ok(ts.time() - t1 < 1, "wait(-1) must not wait")
  evt:set()
  T.eq(evt:wait(-1), true)
end)

T.test("Event: wait() on a set event returns true at once", function()
  local evt = ts.Event()
  evt:set()
  T.eq(evt:wait(), true)
  T.eq(evt:wait(nil), true)
  T.eq(evt:wait(5), true)
end)

T.test("Event: a timed wait returns true when another thread sets it in time", function()
  local evt = ts.Event()
  local got
  T.run_bunch(1, function() got = evt:wait(T.LIMIT) end, function()
    T.wait_threads_blocked(1)
    evt:set()
  end)
  T.eq(got, true)
end)

T.test("Event: tostring shows kind, name and set/unset", function()
  local evt = ts.Event("e")
  local unset = tostring(evt)
  T.has(unset, 'Event "e"')
  T.ok(not unset:find("%f[%w]set%f[%W]"), "an unset event shows as set: " .. unset)
  evt:set()
  local set = tostring(evt)
  T.has(set, 'Event "e"')
  T.match(set, "%f[%w]set%f[%W]")
  T.match(tostring(ts.Event()), 'Event "Event%-%d+"')
  T.has(tostring(ts.Event { name = "go" }), 'Event "go"')
end)

T.test("Event: wait with a wrong argument type raises a bad argument error", function()
  local evt = ts.Event()
  T.raises(function() evt:wait("soon") end, nil,
    "bad argument #1 to 'wait' (number expected, got string)")
end)

T.done()
