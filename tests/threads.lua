-- Thread API: start, join, results, identity, names, daemons, enumeration.
local ts = require "tsbox"
local T = require "tap"

local function contains(list, x)
  for _, v in ipairs(list) do
    if v == x then return true end
  end
  return false
end

T.test("module: require 'tsbox' is the global tsbox, with its error kinds", function()
  T.ok(rawequal(ts, tsbox), "require 'tsbox' and the global tsbox differ")
  T.eq(ts.RuntimeError, "RuntimeError")
  T.eq(ts.ValueError, "ValueError")
  T.eq(ts.BrokenBarrierError, "BrokenBarrierError")
end)

T.test("module: sched() names the scheduler", function()
  local s = ts.sched()
  T.ok(s == "random" or s == "pct" or s == "dfs" or s == "rr" or s == "os",
    "unknown scheduler " .. tostring(s))
  if s == "random" or s == "pct" then
    T.eq(math.type(ts.seed()), "integer")
  end
end)

T.test("Thread: start() runs the target with args; join() returns true", function()
  local got
  local t = ts.Thread { target = function(a, b, c) got = { a, b, c } end,
                        args = { 1, "two", 3 } }
  t:start()
  T.eq(t:join(), true)
  T.same(got, { 1, "two", 3 })
end)

T.test("Thread: a second start() raises RuntimeError", function()
  local t = ts.Thread { target = function() end }
  t:start()
  T.raises(function() t:start() end, "RuntimeError", "threads can only be started once")
  t:join()
  T.raises(function() t:start() end, "RuntimeError", "threads can only be started once")
end)

T.test("Thread: error position points at the offending Lua line", function()
  local t = ts.Thread { target = function() end }
  t:start()
  local line = debug.getinfo(1, "l").currentline + 1
  local e = T.raises(function() t:start() end, "RuntimeError")
  T.match(tostring(e), "threads%.lua:" .. line .. ": RuntimeError: threads can only be started once")
  T.eq(type(e.traceback), "string")
  t:join()
end)

T.test("Thread: join() of a thread never started raises RuntimeError", function()
  local t = ts.Thread { target = function() end }
  T.raises(function() t:join() end, "RuntimeError", "cannot join thread before it is started")
  T.raises(function() t:join(0.01) end, "RuntimeError", "cannot join thread before it is started")
end)

T.test("Thread: join() of the current thread raises RuntimeError, in main and in a thread", function()
  T.raises(function() ts.current_thread():join() end, "RuntimeError", "cannot join current thread")
  T.raises(function() ts.main_thread():join(0.01) end, "RuntimeError", "cannot join current thread")
  local err
  local t = ts.Thread { target = function()
    local ok, e = pcall(function() ts.current_thread():join() end)
    err = ok and "no error" or e
  end }
  t:start()
  T.join(t)
  T.eq(type(err) == "table" and err.kind, "RuntimeError", T.describe(err))
  T.eq(err.message, "cannot join current thread")
end)

T.test("Thread: join(timeout) returns false while the thread runs, true after it ends", function()
  local go = ts.Event()
  local t = ts.spawn(function() go:wait(T.LIMIT) end)
  local t1 = ts.time()
  T.eq(t:join(0.05), false)
  T.timeout_ok(ts.time() - t1, 0.05)
  T.eq(t:is_alive(), true)
  T.eq(t:join(0), false)
  go:set()
  T.eq(t:join(T.LIMIT), true)
  T.eq(t:is_alive(), false)
  T.eq(t:join(), true, "join() of a finished thread")
  T.eq(t:join(0), true, "join(0) of a finished thread")
end)

T.test("Thread: join with a negative timeout only polls", function()
  local go = ts.Event()
  local t = ts.spawn(function() go:wait(T.LIMIT) end)
  local t1 = ts.time()
  T.eq(t:join(-1), false)
  T.ok(ts.time() - t1 < 1, "join(-1) must not wait")
  go:set()
  T.join(t)
  T.eq(t:join(-1), true)
end)

T.test("Thread: join() waits for a thread that sleeps", function()
  local done = false
  local t = ts.spawn(function() ts.sleep(0.05); done = true end)
  T.eq(t:join(), true)
  T.eq(done, true)
end)

T.test("Thread: several threads can join the same thread", function()
  local go = ts.Event()
  local target = ts.spawn(function() go:wait(T.LIMIT) end)
  local results = {}
  T.run_bunch(3, function(i) results[i] = target:join(T.LIMIT) end, function()
    T.wait_threads_blocked(3)
    go:set()
  end)
  for i = 1, 3 do T.eq(results[i], true) end
end)

T.test("Thread: result holds the target's return values; error is nil", function()
  local t = ts.spawn(function(x) return x * 2, "b", true end, 21)
  T.join(t)
  T.eq(type(t.result), "table")
  T.eq(t.result[1], 42)
  T.eq(t.result[2], "b")
  T.eq(t.result[3], true)
  T.eq(t.error, nil)
  local t2 = ts.spawn(function() end)
  T.join(t2)
  T.eq(type(t2.result), "table")
  T.eq(#t2.result, 0)
  T.eq(t2.error, nil)
end)

T.test("Thread: a target that catches its own error ends normally", function()
  local t = ts.spawn(function()
    local ok, e = pcall(error, { kind = "mine" })
    return ok, e.kind
  end)
  T.join(t)
  T.eq(t.result[1], false)
  T.eq(t.result[2], "mine")
  T.eq(t.error, nil)
end)

T.test("Thread: spawn(fn, ...) passes arguments and returns a started thread", function()
  local go = ts.Event()
  local got
  local t = ts.spawn(function(a, b) go:wait(T.LIMIT); got = a + b end, 40, 2)
  T.ok(t.ident ~= nil, "spawned thread has no ident")
  T.eq(t:is_alive(), true)
  go:set()
  T.join(t)
  T.eq(got, 42)
end)

T.test("Thread: is_alive() is false before start, true while running, false after", function()
  local go = ts.Event()
  local t = ts.Thread { target = function() go:wait(T.LIMIT) end }
  T.eq(t:is_alive(), false)
  t:start()
  T.eq(t:is_alive(), true)
  go:set()
  T.join(t)
  T.eq(t:is_alive(), false)
end)

T.test("Thread: ident is nil before start, an integer after, equal to get_ident() inside", function()
  local inside
  local t = ts.Thread { target = function() inside = ts.get_ident() end }
  T.eq(t.ident, nil)
  t:start()
  T.join(t)
  T.eq(math.type(t.ident), "integer")
  T.eq(inside, t.ident)
  T.eq(ts.main_thread().ident, ts.get_ident())
  T.eq(ts.current_thread().ident, ts.get_ident())
end)

T.test("Thread: idents are unique among threads of a run", function()
  local n = 8
  local idents = {}
  local b = T.bunch(n, function(i) idents[i] = ts.get_ident() end):wait_started()
  b:wait_finished()
  local seen = { [ts.get_ident()] = true }
  for i = 1, n do
    T.eq(math.type(idents[i]), "integer")
    T.eq(seen[idents[i]], nil, "ident used twice: " .. tostring(idents[i]))
    seen[idents[i]] = true
    T.eq(b.threads[i].ident, idents[i])
  end
end)

T.test("Thread: default names are Thread-N (target) with increasing N; given names are kept", function()
  local f = function() end
  local a = ts.Thread { target = f }
  local b = ts.Thread { target = f }
  T.match(a.name, "^Thread%-%d+ %(f%)$")
  T.match(b.name, "^Thread%-%d+ %(f%)$")
  local na, nb = tonumber(a.name:match("%d+")), tonumber(b.name:match("%d+"))
  T.ok(nb > na, ("second thread %s not numbered after first %s"):format(b.name, a.name))
  local c = ts.Thread { target = f, name = "worker" }
  T.eq(c.name, "worker")
  local d = ts.spawn(f)
  T.match(d.name, "^Thread%-%d+ %(f%)$")
  T.join(d)
end)

T.test("Thread: main_thread() is MainThread and is current_thread() in the main chunk", function()
  local m = ts.main_thread()
  T.eq(m.name, "MainThread")
  T.ok(ts.current_thread() == m, "current_thread() in main is not main_thread()")
  T.eq(m:is_alive(), true)
  T.eq(m.daemon, false)
end)

T.test("Thread: current_thread() inside a thread is that thread", function()
  local same, name, main_differs, main_name
  local t = ts.Thread { name = "inner", target = function()
    local me = ts.current_thread()
    name = me.name
    main_differs = ts.main_thread() ~= me
    main_name = ts.main_thread().name
    return me
  end }
  t:start()
  T.join(t)
  same = t.result[1] == t
  T.ok(same, "current_thread() inside is not the thread object")
  T.eq(name, "inner")
  T.eq(main_differs, true)
  T.eq(main_name, "MainThread")
end)

T.test("Thread: daemon defaults to false in the main thread and can be set", function()
  local f = function() end
  T.eq(ts.Thread { target = f }.daemon, false)
  T.eq(ts.Thread { target = f, daemon = true }.daemon, true)
  T.eq(ts.Thread { target = f, daemon = false }.daemon, false)
  local t = ts.spawn(f)
  T.eq(t.daemon, false)
  T.join(t)
end)

T.test("Thread: threads created by a daemon thread are daemons unless told otherwise", function()
  local inherited, explicit, spawned
  local f = function() end
  local t = ts.Thread { daemon = true, target = function()
    inherited = ts.Thread { target = f }.daemon
    explicit = ts.Thread { target = f, daemon = false }.daemon
    local s = ts.spawn(f)
    spawned = s.daemon
    s:join()
  end }
  t:start()
  T.join(t)
  T.eq(inherited, true)
  T.eq(explicit, false)
  T.eq(spawned, true)
end)

T.test("Thread: threads created by a non-daemon thread are not daemons", function()
  local inherited
  local t = ts.spawn(function()
    inherited = ts.Thread { target = function() end }.daemon
  end)
  T.join(t)
  T.eq(inherited, false)
end)

T.test("Thread: enumerate() and active_count() list live started threads only", function()
  local go = ts.Event()
  local before = ts.active_count()
  local list0 = ts.enumerate()
  T.eq(#list0, before)
  T.ok(contains(list0, ts.main_thread()), "enumerate() lacks the main thread")
  local unstarted = ts.Thread { target = function() end }
  local t = ts.spawn(function() go:wait(T.LIMIT) end)
  T.eq(ts.active_count(), before + 1)
  local list1 = ts.enumerate()
  T.eq(#list1, before + 1)
  T.ok(contains(list1, t), "enumerate() lacks a running thread")
  T.ok(not contains(list1, unstarted), "enumerate() lists an unstarted thread")
  go:set()
  T.join(t)
  T.eq(ts.active_count(), before)
  T.ok(not contains(ts.enumerate(), t), "enumerate() lists a finished thread")
end)

T.test("Thread: threads share globals, upvalues and tables with the main chunk", function()
  local shared = { n = 0 }
  local up = 0
  local t = ts.spawn(function()
    shared.n = 7
    up = 8
    _G.tsbox_test_global = 9
  end)
  T.join(t)
  T.eq(shared.n, 7)
  T.eq(up, 8)
  T.eq(_G.tsbox_test_global, 9)
  _G.tsbox_test_global = nil
end)

T.test("Thread: a counter incremented by 4 threads x 500 under a Lock is exact", function()
  local lock = ts.Lock()
  local counter = 0
  local threads = {}
  for i = 1, 4 do
    threads[i] = ts.spawn(function()
      for _ = 1, 500 do
        lock:acquire()
        counter = counter + 1
        lock:release()
      end
    end)
  end
  for i = 1, 4 do T.join(threads[i]) end
  T.eq(counter, 2000)
end)

T.test("Thread: sleep() advances time() by at least the delay; yield() returns", function()
  local t1 = ts.time()
  T.eq(type(t1), "number")
  ts.sleep(0.05)
  local dt = ts.time() - t1
  T.timeout_ok(dt, 0.05)
  ts.sleep(0)
  ts.yield()
  T.ok(ts.time() >= t1 + dt, "time() went backwards")
end)

T.test("Thread: a thread sleeping longer finishes after one sleeping shorter", function()
  local order = {}
  local lock = ts.Lock()
  local a = ts.spawn(function() ts.sleep(0.06); lock:with(function() order[#order + 1] = "long" end) end)
  local b = ts.spawn(function() ts.sleep(0.02); lock:with(function() order[#order + 1] = "short" end) end)
  T.join(a); T.join(b)
  T.same(order, { "short", "long" })
end)

T.test("Thread: join with a wrong argument type raises a bad argument error", function()
  local t = ts.spawn(function() end)
  T.raises(function() t:join("soon") end, nil,
    "bad argument #1 to 'join' (number expected, got string)")
  T.join(t)
end)

---------------------------------------------------------------------------
-- Python fidelity (test_threading: ThreadTests, ExceptHookTests)

T.test("Thread: Thread{} without a target runs nothing and ends (test_no_target)", function()
  local t = ts.Thread {}
  T.match(t.name, "^Thread%-%d+$")
  t:start()
  T.join(t)
  T.eq(t.result.n, 0)
  T.eq(t.error, nil)
end)

T.test("Thread: a replaced run method is what start runs, in the new thread", function()
  local t = ts.Thread { name = "custom", target = function() error("the target must not run") end }
  local ran_in
  t.run = function(self)
    ran_in = ts.current_thread().name
    return self.name, 42
  end
  t:start()
  T.join(t)
  T.eq(ran_in, "custom")
  T.same({ t.result[1], t.result[2] }, { "custom", 42 })
end)

T.test("Thread: a 'subclass' made with setmetatable overrides run and keeps its fields", function()
  local Worker = {}
  function Worker.new(n)
    local base = ts.Thread { name = "worker-" .. n }
    return setmetatable({ n = n }, { __index = function(_, k)
      if Worker[k] ~= nil then return Worker[k] end
      return base[k]
    end })
  end
  function Worker:run()
    self.seen = { self.n, self.name, ts.current_thread().name }
  end
  local w = Worker.new(7)
  T.eq(w:is_alive(), false)
  w:start()
  w:join()
  T.same(w.seen, { 7, "worker-7", "worker-7" })
  T.eq(w:is_alive(), false)
  T.raises(function() w:start() end, ts.RuntimeError, "threads can only be started once")
end)

T.test("Thread: run() called directly runs the target in the calling thread", function()
  local where
  local t = ts.Thread { target = function(a, b) where = ts.current_thread().name; return a + b end, args = { 1, 2 } }
  T.eq(t:run(), 3)
  T.eq(where, ts.current_thread().name)
end)

T.test("Thread: native_id is the OS thread id; get_native_id() in each thread (test_native_id)", function()
  local t = ts.Thread { target = function() return ts.get_native_id() end }
  T.eq(t.native_id, nil, "nil before start, as in Python")
  t:start()
  local id = t.native_id
  T.join(t)
  T.eq(math.type(id), "integer")
  T.eq(t.result[1], id)
  T.ok(id ~= ts.get_native_id(), "each thread has its own OS id")
  T.eq(ts.main_thread().native_id, ts.get_native_id())
  T.raises(function() t.native_id = 1 end, nil, "read-only")
end)

T.test("Thread: default names are Thread-N (target name) for locals, globals and anonymous targets", function()
  local function fetch() end
  T.match(ts.Thread { target = fetch }.name, "^Thread%-%d+ %(fetch%)$")
  T.match(ts.Thread { target = print }.name, "^Thread%-%d+ %(print%)$")
  T.match(ts.Thread { target = function() end }.name, "^Thread%-%d+ %([^)]*tests/threads%.lua:%d+%)$")
  T.match(ts.Timer(1, fetch).name, "^Thread%-%d+$")
end)

T.test("Thread: excepthook gets exc_type, exc_value, exc_traceback and thread (ExceptHookTests)", function()
  local rc, out = T.run_child([[
    local ts = require "tsbox"
    assert(ts.excepthook == ts.__excepthook__)
    local seen = {}
    ts.excepthook = function(args) seen[#seen + 1] = args end
    local t = ts.Thread { name = "bad", target = function() error("boom") end }
    t:start(); t:join()
    ts.spawn(function() error({ kind = "ValueError", message = "no" }) end):join()
    local a, b = seen[1], seen[2]
    print(a.exc_type, a.exc_value, a.thread == t, a.exc_traceback:match("^[^\n]*"))
    print(b.exc_type, b.exc_value.message)
    ts.excepthook = ts.__excepthook__
    ts.spawn(function() error("printed") end):join()
    ts.excepthook = function() error("hook failed") end
    ts.Thread { name = "again", target = function() error("kept") end }:start()
  ]])
  T.eq(rc, 1, "uncaught thread errors still fail the run")
  T.match(out, "string\t[^\n]*:5: boom\ttrue\tstack traceback:\n")
  T.has(out, "ValueError\tno\n")
  T.match(out, "Exception in thread Thread%-%d+ %([^)]*%):\n[^\n]*: printed\n")
  T.has(out, "Exception in threading.excepthook:\n")
  T.has(out, "hook failed")
  T.ok(not out:find("Exception in thread again:", 1, true), "a failing hook replaces the report, as in Python")
end)

T.test("Thread: stack_size returns the previous size and refuses sizes Python refuses", function()
  T.eq(ts.stack_size(), 0)
  T.raises(function() ts.stack_size(1000) end, ts.ValueError, "size not valid: 1000 bytes")
  T.raises(function() ts.stack_size(-1) end, ts.ValueError, "size must be 0 or a positive value")
  T.eq(ts.stack_size(32768), 0)
  T.eq(ts.stack_size(4 * 1024 * 1024), 32768)
  local t = ts.spawn(function() return "ran with a 4 MiB stack" end)
  T.join(t)
  T.eq(t.result[1], "ran with a 4 MiB stack")
  T.eq(ts.stack_size(0), 4 * 1024 * 1024)
  T.eq(ts.stack_size(), 0)
end)

T.test("README's translation note: t[#t + 1] = v loses items across threads, table.insert does not", function()
  local function explore(how)
    return select(2, T.tsbox(('--runs 40 --seed 1 -j 2 "%s" %s'):format(T.repo_file("scripts/append.lua"), how)))
  end
  T.match(explore("index"), "\n  items lost +40 ")
  T.match(explore("insert"), "\n  none lost +40 ")
  T.match(explore("locked"), "\n  none lost +40 ")
end)

T.done()
