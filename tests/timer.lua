-- Timer: CPython's test_threading.TimerTests, plus tsbox's API extras
-- (intervals on tsbox's clock, cancel before and after firing, Timer is a
-- Thread).
local ts = require "tsbox"
local T = require "tap"

T.test("Timer: args default to a fresh table per timer (issue 17435)", function()
  local calls = {}
  local fired = ts.Event()
  local function spy(...)
    calls[#calls + 1] = table.pack(...)
    fired:set()
  end
  local timer1 = ts.Timer(0.01, spy)
  timer1:start()
  fired:wait()
  table.insert(timer1.args, "blah")
  fired:clear()
  local timer2 = ts.Timer(0.01, spy)
  timer2:start()
  fired:wait()
  T.eq(#calls, 2)
  T.eq(calls[1].n, 0)
  T.eq(calls[2].n, 0, "timer2 got timer1's args")
  T.join(timer1)
  T.join(timer2)
end)

T.test("Timer: fires once, after its interval on tsbox's clock, with its arguments", function()
  local got, at
  local t0 = ts.time()
  local t = ts.Timer(0.5, function(...) got = table.pack(...); at = ts.time() end, 1, nil, "three")
  t:start()
  T.join(t)
  T.eq(got.n, 3)
  T.eq(got[1], 1); T.eq(got[2], nil); T.eq(got[3], "three")
  T.timeout_ok(at - t0, 0.5)
end)

T.test("Timer: cancel() before firing prevents the call and ends the thread early", function()
  local called = false
  local t = ts.Timer(5, function() called = true end)
  local t0 = ts.time()
  t:start()
  ts.sleep(0.1)
  t:cancel()
  T.join(t)
  T.eq(called, false)
  T.ok(ts.time() - t0 < 5, "a cancelled timer waited its whole interval")
  T.eq(t.finished:is_set(), true)
end)

T.test("Timer: cancel() before start() means it never fires", function()
  local called = false
  local t = ts.Timer(0.01, function() called = true end)
  t:cancel()
  t:start()
  T.join(t)
  T.eq(called, false)
end)

T.test("Timer: cancel() after firing is a no-op", function()
  local calls = 0
  local t = ts.Timer(0.01, function() calls = calls + 1 end)
  t:start()
  T.join(t)
  t:cancel()
  t:cancel()
  T.eq(calls, 1)
end)

T.test("Timer: cancel() while the function runs does not stop it", function()
  local inside, go, finished = ts.Event(), ts.Event(), false
  local t = ts.Timer(0, function()
    inside:set()
    go:wait()
    finished = true
  end)
  t:start()
  inside:wait()
  t:cancel()
  go:set()
  T.join(t)
  T.eq(finished, true)
end)

T.test("Timer: several timers fire in the order of their intervals", function()
  local order = {}
  local lock = ts.Lock()
  local timers = {}
  for _, d in ipairs { 0.3, 0.1, 0.4, 0.2 } do
    local t = ts.Timer(d, function() lock:with(function() order[#order + 1] = d end) end)
    timers[#timers + 1] = t
  end
  for _, t in ipairs(timers) do t:start() end
  for _, t in ipairs(timers) do T.join(t) end
  T.same(order, { 0.1, 0.2, 0.3, 0.4 })
end)

T.test("Timer: an interval of 0 or less fires at once", function()
  for _, d in ipairs { 0, -1 } do
    local called = false
    local t = ts.Timer(d, function() called = true end)
    local t0 = ts.time()
    t:start()
    T.join(t)
    T.eq(called, true)
    T.ok(ts.time() - t0 < 1)
  end
end)

T.test("Timer: is a Thread named Thread-N; join, is_alive, ident, current_thread work", function()
  local inside
  local go = ts.Event()
  local t = ts.Timer(0.01, function() go:wait(); inside = ts.current_thread() end)
  T.match(t.name, "^Thread%-%d+$")
  T.match(tostring(t), '^<Thread "Thread%-%d+" initial')
  T.eq(t.ident, nil)
  T.eq(t:is_alive(), false)
  t:start()
  T.ok(t.ident ~= nil)
  T.eq(t:is_alive(), true)
  T.raises(function() t:start() end, ts.RuntimeError, "threads can only be started once")
  go:set()
  T.eq(t:join(T.LIMIT), true)
  T.eq(t:is_alive(), false)
  T.ok(rawequal(inside, t), "current_thread() inside the function is the timer")
  T.eq(t.interval, 0.01)
  T.eq(type(t["function"]), "function")
end)

T.test("Timer: names count with other threads, as in Python", function()
  local a = ts.Thread { target = print }
  local timer = ts.Timer(1, print)
  local b = ts.Thread { target = print }
  local na, nt, nb = tonumber(a.name:match("%d+")), tonumber(timer.name:match("%d+")), tonumber(b.name:match("%d+"))
  T.eq(nt, na + 1)
  T.eq(nb, nt + 1)
end)

T.test("Timer: table form takes interval, function, args, name and daemon", function()
  local got
  local t = ts.Timer { interval = 0.01, ["function"] = function(a, b) got = a + b end, args = { 2, 3 },
                       name = "alarm", daemon = true }
  T.eq(t.name, "alarm")
  T.eq(t.daemon, true)
  t:start()
  T.join(t)
  T.eq(got, 5)
  T.raises(function() ts.Timer { interval = 1, fn = print } end, nil, "unexpected field 'fn'")
end)

T.test("Timer: daemon can be set before start, like any thread", function()
  local t = ts.Timer(0.01, function() end)
  t.daemon = true
  T.eq(t.daemon, true)
  t:start()
  T.join(t)
end)

T.test("Timer: wrong argument types raise bad argument errors", function()
  T.raises(function() ts.Timer("soon", print) end, nil, "bad argument #1 to 'Timer' (number expected, got string)")
  T.raises(function() ts.Timer(1) end, nil, "bad argument #2 to 'Timer' (function expected, got no value)")
  T.raises(function() ts.Timer(1, 42) end, nil, "bad argument #2 to 'Timer' (function expected, got number)")
  T.raises(function() ts.Timer { interval = 1, ["function"] = print, args = 3 } end, nil,
    "bad argument #3 to 'Timer' (table expected, got number)")
end)

T.test("Timer: a forgotten timer keeps the program alive until it fires, as in Python", function()
  local path = os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write([[
    local ts = require "tsbox"
    ts.Timer(2, function() print(string.format("fired at %.1f", ts.time())) end):start()
    print("main ends")
  ]])
  f:close()
  local p = assert(io.popen(('"/proc/$PPID/exe" --seed 1 "%s" 2>&1; echo "rc=$?"'):format(path)))
  local out = p:read("a")
  p:close()
  os.remove(path)
  T.match(out, "^main ends\nfired at 2%.%d\nrc=0\n$")
end)

T.test("Timer: an error in the function is an uncaught error of the timer thread (exit 1)", function()
  local path = os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write([[
    local ts = require "tsbox"
    local t = ts.Timer(0.1, function() error("alarm failed") end)
    t:start()
    t:join()
    print("main goes on")
  ]])
  f:close()
  local p = assert(io.popen(('"/proc/$PPID/exe" --seed 1 "%s" 2>&1; echo "rc=$?"'):format(path)))
  local out = p:read("a")
  p:close()
  os.remove(path)
  T.match(out, "Exception in thread Thread%-%d+:")
  T.has(out, "alarm failed")
  T.has(out, "main goes on")
  T.match(out, "rc=1%s*$")
end)

T.test("Timer: a NaN or too large interval raises at the call, not in the timer thread", function()
  T.raises(function() ts.Timer(0 / 0, print) end, ts.ValueError, "NaN")
  T.raises(function() ts.Timer(1e300, print) end, ts.OverflowError)
  T.raises(function() ts.Timer(nil, print) end, nil, "bad argument #1 to 'Timer' (number expected, got nil)")
end)

T.done()
