-- tap.lua: a small TAP harness for tsbox test scripts.
--
--   local T = require "tap"
--   T.test("what is checked", function() T.eq(1 + 1, 2) end)
--   T.done()
--
-- Output goes to stdout only: "ok N - name" / "not ok N - name" followed by
-- "# " diagnostic lines, and the plan "1..N" at the end (TAP allows it last).
--
-- Besides assertions it offers the helpers that CPython's lock_tests.py builds
-- on (a Bunch of threads, polling with a bound, "let threads block"), and the
-- lock test suites shared by Lock, RLock and Condition (see the end of this
-- file).  Everything is built on tsbox threads only; nothing here depends on
-- real time being "long enough": polls are bounded by LIMIT seconds, which is
-- only reached when something is broken.

local ts = require "tsbox"

local T = {}

-- Upper bound (seconds) of every poll and join done by the harness.  Under the
-- deterministic schedulers time is virtual, so this costs nothing; under
-- `--sched os` it is only reached when a test is failing anyway.
T.LIMIT = 10

local count, failed = 0, 0

local function describe(e)
  if type(e) == "table" and e.kind ~= nil then
    local ok, s = pcall(tostring, e)
    if ok and type(s) == "string" and not s:find("^table: ") then return s end
    return ("%s: %s"):format(tostring(e.kind), tostring(e.message))
  end
  local ok, s = pcall(tostring, e)
  if ok then return s end
  return "<" .. type(e) .. ">"
end
T.describe = describe

local function show(v)
  if type(v) == "string" then return ("%q"):format(v) end
  return describe(v)
end

local function diag(text)
  for line in (tostring(text) .. "\n"):gmatch("(.-)\n") do
    print("# " .. line)
  end
end
T.diag = diag

--- Runs one test case.
function T.test(name, fn)
  count = count + 1
  local trace
  local ok, err = xpcall(fn, function(e)
    trace = debug.traceback("", 2)
    return e
  end)
  if ok then
    print(("ok %d - %s"):format(count, name))
  else
    failed = failed + 1
    print(("not ok %d - %s"):format(count, name))
    diag(describe(err))
    if type(err) == "table" and type(err.traceback) == "string" then
      diag(err.traceback)
    elseif trace then
      diag(trace)
    end
  end
  io.stdout:flush()
  return ok
end

--- Marks a test case as skipped (TAP "# SKIP").
function T.skip(name, why)
  count = count + 1
  print(("ok %d - %s # SKIP %s"):format(count, name, why))
end

--- Prints the plan.  Call once, at the end of the script.
function T.done()
  if failed > 0 then
    print(("# failed %d of %d"):format(failed, count))
  end
  print("1.." .. count)
  io.stdout:flush()
end

---------------------------------------------------------------------------
-- Assertions: each raises (with the caller's position) on failure.

function T.eq(got, want, msg)
  if got ~= want then
    error(("%sgot %s, want %s"):format(msg and (msg .. ": ") or "",
      show(got), show(want)), 2)
  end
end

function T.ok(cond, msg)
  if not cond then
    error(msg or "assertion failed", 2)
  end
  return cond
end

--- Compares two arrays (1..n) element by element.
function T.same(got, want, msg)
  local n = math.max(#got, #want)
  for i = 1, n do
    if got[i] ~= want[i] then
      local g, w = {}, {}
      for j = 1, #got do g[j] = show(got[j]) end
      for j = 1, #want do w[j] = show(want[j]) end
      error(("%sgot {%s}, want {%s}"):format(msg and (msg .. ": ") or "",
        table.concat(g, ", "), table.concat(w, ", ")), 2)
    end
  end
end

--- Calls fn, expects it to raise.  kind: a tsbox error kind string, checked
--- against e.kind, with `sub` searched (plainly) in e.message; or nil, and
--- then `sub` is searched in tostring(e).  Returns the error value.
function T.raises(fn, kind, sub)
  local ok, e = pcall(fn)
  if ok then
    error(("expected %s%s, but no error was raised"):format(kind or "an error",
      sub and (" (" .. show(sub) .. ")") or ""), 2)
  end
  if kind ~= nil then
    if type(e) ~= "table" or e.kind ~= kind then
      error(("expected a %s error, got %s"):format(kind, show(e)), 2)
    end
    if sub ~= nil and not tostring(e.message):find(sub, 1, true) then
      error(("expected %s message containing %s, got %s"):format(kind,
        show(sub), show(e.message)), 2)
    end
  elseif sub ~= nil and not describe(e):find(sub, 1, true) then
    error(("expected an error containing %s, got %s"):format(show(sub),
      show(e)), 2)
  end
  return e
end

--- Checks that string s contains the plain substring sub.
function T.has(s, sub, msg)
  if type(s) ~= "string" or not s:find(sub, 1, true) then
    error(("%sexpected %s to contain %s"):format(msg and (msg .. ": ") or "",
      show(s), show(sub)), 2)
  end
end

--- Checks that string s matches the Lua pattern pat.
function T.match(s, pat, msg)
  if type(s) ~= "string" or not s:find(pat) then
    error(("%sexpected %s to match %s"):format(msg and (msg .. ": ") or "",
      show(s), show(pat)), 2)
  end
end

--- Checks a measured duration against an expected timeout: not (much)
--- shorter, and nothing insane (like lock_tests.assertTimeout).
function T.timeout_ok(dt, expected, msg)
  if dt ~= dt or dt < expected * 0.9 then
    error(("%swaited %.4fs, expected at least ~%.4fs"):format(
      msg and (msg .. ": ") or "", dt, expected), 2)
  end
  if dt >= expected * 10 + 1 then
    error(("%swaited %.4fs, expected about %.4fs"):format(
      msg and (msg .. ": ") or "", dt, expected), 2)
  end
end

---------------------------------------------------------------------------
-- Helpers for threads.

--- Number of non-nil entries t[1..n].
function T.count(t, n, pred)
  local c = 0
  for i = 1, n do
    local v = t[i]
    if v ~= nil and (pred == nil or pred(v)) then c = c + 1 end
  end
  return c
end

--- Polls pred() every millisecond until it is true; gives up after `limit`
--- seconds (default T.LIMIT).  Returns whether pred became true.
function T.wait_until(pred, limit)
  local deadline = ts.time() + (limit or T.LIMIT)
  while not pred() do
    if ts.time() > deadline then return pred() and true or false end
    ts.sleep(0.001)
  end
  return true
end

--- Like T.wait_until, but a failed wait is an assertion failure.
function T.await(pred, what)
  if not T.wait_until(pred) then
    error("timed out waiting for " .. (what or "a condition"), 2)
  end
end

--- Gives n threads the chance to block (lock_tests.wait_threads_blocked).
--- Only ever used before checks that hold whether or not they did block.
function T.wait_threads_blocked(n)
  ts.sleep(0.01 * (n or 1))
end

--- Joins t with the harness limit; a thread that does not end is a failure.
function T.join(t, what)
  if not t:join(T.LIMIT) then
    error((what or ("thread " .. tostring(t.name))) .. " did not finish", 2)
  end
end

--- The path of a file of the repository (e.g. "scripts/race.lua"), from
--- wherever the tests are run.
local ROOT = debug.getinfo(1, "S").source:match("^@(.*)tests/tap%.lua$") or ""
function T.repo_file(rel)
  return ROOT .. rel
end

--- Runs a child tsbox (the same binary) with the given command-line
--- arguments (a shell word list); returns its exit status and its combined
--- stdout and stderr.
function T.tsbox(args)
  local p = assert(io.popen(('"/proc/$PPID/exe" %s 2>&1; echo "rc=$?"'):format(args)))
  local out = p:read("a")
  p:close()
  return tonumber(out:match("rc=(%d+)%s*$")), out
end

--- Runs a scenario in a child tsbox with the given options (default
--- "--seed 1"); returns its exit status and its combined stdout and stderr.
function T.run_child(code, opts)
  local path = os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write(code)
  f:close()
  local rc, out = T.tsbox(('%s "%s"'):format(opts or "--seed 1", path))
  os.remove(path)
  return rc, out
end

-- A bunch of n threads all running f(i) (i = 1..n), like lock_tests.Bunch.
-- Threads record themselves in started[i] / finished[i] (a store to a key of
-- one's own is a single VM instruction, so no lock is needed); an error
-- raised by f is caught and kept in errors[i], and re-raised by
-- wait_finished().  With wait_before_exit, the threads do not end before
-- do_finish() is called.  Threads are daemons so that a broken test cannot
-- keep the run alive.
local Bunch = {}
Bunch.__index = Bunch

function T.bunch(n, f, wait_before_exit)
  local b = setmetatable({ n = n, started = {}, finished = {}, errors = {},
                           threads = {} }, Bunch)
  b.can_exit = not wait_before_exit
  local function task(i)
    b.started[i] = ts.get_ident()
    local ok, e = pcall(f, i)
    if not ok then b.errors[i] = e end
    b.finished[i] = ts.get_ident()
    if not b.can_exit then
      T.wait_until(function() return b.can_exit end)
    end
  end
  for i = 1, n do
    local t = ts.Thread { target = task, args = { i }, daemon = true }
    b.threads[i] = t
    t:start()
  end
  return b
end

function Bunch:n_started() return T.count(self.started, self.n) end
function Bunch:n_finished() return T.count(self.finished, self.n) end

function Bunch:wait_started()
  if not T.wait_until(function() return self:n_started() >= self.n end) then
    error(("only %d of %d threads started"):format(self:n_started(), self.n), 2)
  end
  return self
end

function Bunch:do_finish()
  self.can_exit = true
end

--- Waits for every thread to end, then re-raises the first error any raised.
function Bunch:wait_finished()
  for i = 1, self.n do
    if not self.threads[i]:join(T.LIMIT) then
      self:do_finish()
      error(("bunch thread %d of %d did not finish"):format(i, self.n), 2)
    end
  end
  local errs = {}
  for i = 1, self.n do
    if self.errors[i] ~= nil then
      errs[#errs + 1] = ("thread %d: %s"):format(i, describe(self.errors[i]))
    end
  end
  if #errs > 0 then
    error(("%d of %d threads raised:\n%s"):format(#errs, self.n,
      table.concat(errs, "\n")), 2)
  end
  return self
end

--- Runs f in n threads, waits for all to start, calls body(bunch) (if given),
--- then waits for all to finish: the `with Bunch(f, n) as bunch:` idiom.
function T.run_bunch(n, f, body)
  local b = T.bunch(n, f):wait_started()
  if body then
    local ok, e = pcall(body, b)
    if not ok then
      b:do_finish()
      error(e, 0)
    end
  end
  return b:wait_finished()
end

---------------------------------------------------------------------------
-- Shared suites (lock_tests.BaseLockTests and RLockTests), used by lock.lua,
-- rlock.lua and condition.lua.  `make()` returns a new lock-like object.

function T.base_lock_tests(label, make)
  T.test(label .. ": constructor returns an object with acquire and release", function()
    local lock = make()
    T.ok(lock ~= nil)
    T.eq(type(lock.acquire), "function")
    T.eq(type(lock.release), "function")
  end)

  T.test(label .. ": acquired and never released, it is garbage collected safely", function()
    local lock = make()
    lock:acquire()
    lock = nil -- luacheck: ignore 311
    collectgarbage()
    collectgarbage()
  end)

  T.test(label .. ": acquire() returns true, then release() succeeds", function()
    local lock = make()
    T.eq(lock:acquire(), true)
    lock:release()
  end)

  T.test(label .. ": non-blocking acquire of a free lock returns true", function()
    local lock = make()
    T.eq(lock:acquire(false), true)
    lock:release()
  end)

  T.test(label .. ": non-blocking acquire of a lock held by another thread returns false", function()
    local lock = make()
    lock:acquire()
    local result = {}
    T.run_bunch(1, function(i) result[i] = lock:acquire(false) end)
    T.eq(result[1], false)
    lock:release()
  end)

  T.test(label .. ": threads blocked on a held lock all proceed once it is released", function()
    local lock = make()
    lock:acquire()
    local n = 5
    T.run_bunch(n, function()
      lock:acquire()
      lock:release()
    end, function(b)
      T.wait_threads_blocked(n)
      T.eq(b:n_finished(), 0, "threads finished while the lock was held")
      lock:release()
    end)
  end)

  T.test(label .. ": with() releases the lock when fn returns and when fn raises", function()
    local lock = make()
    local function f()
      lock:acquire()
      lock:release()
    end
    lock:with(function() end)
    T.run_bunch(1, f) -- the lock is free again
    local e = T.raises(function()
      lock:with(function() error({ tag = "mine" }) end)
    end)
    T.eq(type(e) == "table" and e.tag, "mine", "with() must re-raise fn's error value")
    T.run_bunch(1, f) -- free again, even after the error
  end)

  T.test(label .. ": with() passes its extra arguments to fn and returns fn's results", function()
    local lock = make()
    local a, b, c = lock:with(function(x, y) return y, x, "z" end, 1, 2)
    T.eq(a, 2); T.eq(b, 1); T.eq(c, "z")
    T.eq(lock:acquire(false), true, "lock must be free after with()")
    lock:release()
  end)

  T.test(label .. ": a <close> variable from hold() keeps the lock until scope exit, also on error", function()
    local lock = make()
    local held_elsewhere
    do
      local _ <close> = lock:hold()
      T.run_bunch(1, function() held_elsewhere = lock:acquire(false) end)
    end
    T.eq(held_elsewhere, false, "lock must be held inside the scope")
    T.run_bunch(1, function() held_elsewhere = lock:acquire(false); if held_elsewhere then lock:release() end end)
    T.eq(held_elsewhere, true, "lock must be free after the scope")
    T.raises(function()
      local _ <close> = lock:hold()
      error("inside")
    end, nil, "inside")
    T.run_bunch(1, function() held_elsewhere = lock:acquire(false); if held_elsewhere then lock:release() end end)
    T.eq(held_elsewhere, true, "lock must be free after a scope left by an error")
  end)

  T.test(label .. ": 15 threads each acquire and release the lock", function()
    local lock = make()
    local done = {}
    T.run_bunch(15, function(i)
      lock:acquire()
      lock:release()
      done[i] = true
    end)
    T.eq(T.count(done, 15), 15)
  end)

  T.test(label .. ": acquire(false, 1) raises ValueError", function()
    local lock = make()
    T.raises(function() lock:acquire(false, 1) end, "ValueError",
      "can't specify a timeout for a non-blocking call")
  end)

  T.test(label .. ": acquire with a negative timeout other than -1 raises ValueError", function()
    local lock = make()
    T.raises(function() lock:acquire(true, -100) end, "ValueError",
      "timeout value must be a non-negative number")
    T.raises(function() lock:acquire(true, -0.5) end, "ValueError",
      "timeout value must be a non-negative number")
  end)

  T.test(label .. ": acquire(true, -1) means wait forever and takes a free lock", function()
    local lock = make()
    T.eq(lock:acquire(true, -1), true)
    lock:release()
  end)

  T.test(label .. ": acquire(false, -1) is a plain non-blocking acquire", function()
    local lock = make()
    T.eq(lock:acquire(false, -1), true)
    lock:release()
  end)

  T.test(label .. ": acquire(true, nil) means wait forever and takes a free lock", function()
    local lock = make()
    T.eq(lock:acquire(true, nil), true)
    lock:release()
  end)

  T.test(label .. ": acquire with a timeout on a free lock returns true at once", function()
    local lock = make()
    local t1 = ts.time()
    T.eq(lock:acquire(true, 5), true)
    local t2 = ts.time()
    T.ok(t2 - t1 < 5, "acquire of a free lock waited for its timeout")
    lock:release()
  end)

  T.test(label .. ": acquire with a timeout on a held lock returns false after the timeout", function()
    local lock = make()
    lock:acquire()
    local got, dt
    T.run_bunch(1, function()
      local t1 = ts.time()
      got = lock:acquire(true, 0.05)
      dt = ts.time() - t1
    end)
    T.eq(got, false)
    T.timeout_ok(dt, 0.05)
    lock:release()
  end)

  T.test(label .. ": acquire with a wrong argument type raises a bad argument error", function()
    local lock = make()
    T.raises(function() lock:acquire(true, "soon") end, nil,
      "bad argument #2 to 'acquire' (number expected, got string)")
  end)
end

function T.rlock_tests(label, make)
  T.test(label .. ": the owner can acquire it again; it needs as many releases", function()
    local lock = make()
    lock:acquire()
    lock:acquire()
    lock:release()
    lock:acquire()
    lock:release()
    lock:release()
    T.eq(lock:acquire(false), true, "non-blocking acquire after full release")
    lock:release()
  end)

  T.test(label .. ": non-blocking acquire by the owner succeeds (reentrant)", function()
    local lock = make()
    lock:acquire()
    T.eq(lock:acquire(false), true)
    T.eq(lock:acquire(true, 0), true)
    lock:release()
    lock:release()
    lock:release()
  end)

  T.test(label .. ": release of an un-acquired lock raises RuntimeError", function()
    local lock = make()
    T.raises(function() lock:release() end, "RuntimeError",
      "cannot release un-acquired lock")
    lock:acquire()
    lock:acquire()
    lock:release()
    lock:acquire()
    lock:release()
    lock:release()
    T.raises(function() lock:release() end, "RuntimeError",
      "cannot release un-acquired lock")
  end)

  T.test(label .. ": acquired 3 times, other threads get it only after the 3rd release", function()
    local lock = make()
    lock:acquire(); lock:acquire(); lock:acquire()
    local function other_can_take()
      local got
      T.run_bunch(1, function()
        got = lock:acquire(false)
        if got then lock:release() end
      end)
      return got
    end
    T.eq(other_can_take(), false, "after 0 releases")
    lock:release()
    T.eq(other_can_take(), false, "after 1 release")
    lock:release()
    T.eq(other_can_take(), false, "after 2 releases")
    lock:release()
    T.eq(other_can_take(), true, "after 3 releases")
  end)

  T.test(label .. ": a thread waiting for it gets it only after the owner's last release", function()
    local lock = make()
    local phase = {}
    local t = ts.spawn(function()
      lock:acquire()
      phase[1] = true
      T.wait_until(function() return phase[2] end)
      lock:release()
      phase[3] = true
    end)
    T.await(function() return phase[1] end, "the thread to acquire")
    T.eq(lock:acquire(false), false, "held by the other thread")
    phase[2] = true
    T.await(function() return phase[3] end, "the thread to release")
    T.eq(lock:acquire(false), true, "free after the other thread released")
    lock:release()
    T.join(t)
  end)

  T.test(label .. ": a thread that does not own it cannot release it (RuntimeError)", function()
    local lock = make()
    local b = T.bunch(1, function() lock:acquire() end, true):wait_started()
    T.await(function() return b:n_finished() == 1 end, "the thread to acquire")
    local ok, e = pcall(function()
      T.raises(function() lock:release() end, "RuntimeError",
        "cannot release un-acquired lock")
    end)
    b:do_finish()
    b:wait_finished()
    if not ok then error(e, 0) end
  end)

  T.test(label .. ": with() can be nested by the owner", function()
    local lock = make()
    local r = lock:with(function()
      return lock:with(function() return "inner" end)
    end)
    T.eq(r, "inner")
    T.eq(lock:acquire(false), true)
    lock:release()
    T.raises(function() lock:release() end, "RuntimeError")
  end)
end

-- Loaded with require "tap": just the module.  Run as a script (prove runs
-- every tests/*.lua): a self-test of the harness, so that a broken assertion
-- cannot make failing tests pass silently.
local modname = ...
if type(modname) == "string" and modname:find("tap$") then
  return T
end

local function fails(fn)
  local ok = pcall(fn)
  return not ok
end

T.test("harness: eq, ok, same, has and match fail when they should", function()
  T.eq(1, 1); T.ok(true); T.same({ 1, 2 }, { 1, 2 }); T.has("abc", "b"); T.match("abc", "^a")
  T.ok(fails(function() T.eq(1, 2) end), "eq")
  T.ok(fails(function() T.eq(nil, false) end), "eq nil/false")
  T.ok(fails(function() T.ok(false) end), "ok")
  T.ok(fails(function() T.same({ 1, 2 }, { 1 }) end), "same")
  T.ok(fails(function() T.has("abc", "x") end), "has")
  T.ok(fails(function() T.has("a.c", ".") end) == false, "has is plain")
  T.ok(fails(function() T.match("abc", "^b") end), "match")
end)

T.test("harness: raises checks that an error happened, its kind and message", function()
  local err = setmetatable({ kind = "RuntimeError", message = "release unlocked lock" },
    { __tostring = function(e) return "x.lua:1: " .. e.kind .. ": " .. e.message end })
  local e = T.raises(function() error(err) end, "RuntimeError", "unlocked")
  T.ok(rawequal(e, err), "raises must return the error value")
  T.ok(fails(function() T.raises(function() end) end), "no error")
  T.ok(fails(function() T.raises(function() error(err) end, "ValueError") end), "kind")
  T.ok(fails(function() T.raises(function() error(err) end, "RuntimeError", "other") end), "message")
  T.ok(fails(function() T.raises(function() error("plain") end, "RuntimeError") end), "string error")
  T.raises(function() error("bad argument #1 to 'f'") end, nil, "bad argument #1")
  T.ok(fails(function() T.raises(function() error("plain") end, nil, "other") end), "substring")
end)

T.test("harness: timeout_ok rejects too short and absurdly long waits", function()
  T.timeout_ok(0.05, 0.05)
  T.ok(fails(function() T.timeout_ok(0.01, 0.05) end), "too short")
  T.ok(fails(function() T.timeout_ok(100, 0.05) end), "too long")
  T.ok(fails(function() T.timeout_ok(0 / 0, 0.05) end), "NaN")
end)

T.test("harness: a bunch runs n threads and re-raises their errors", function()
  local seen = {}
  local b = T.bunch(4, function(i) seen[i] = ts.get_ident() end):wait_started()
  b:wait_finished()
  T.eq(T.count(seen, 4), 4)
  T.eq(b:n_finished(), 4)
  local bad = T.bunch(3, function(i) if i == 2 then error("boom") end end):wait_started()
  local ok, e = pcall(bad.wait_finished, bad)
  T.eq(ok, false)
  T.has(e, "boom")
  T.has(e, "1 of 3 threads raised")
end)

T.test("harness: a bunch with wait_before_exit ends only after do_finish", function()
  local b = T.bunch(2, function() end, true):wait_started()
  T.await(function() return b:n_finished() == 2 end, "the functions to return")
  T.wait_threads_blocked(2)
  T.eq(b.threads[1]:is_alive(), true)
  T.eq(b.threads[2]:is_alive(), true)
  b:do_finish()
  b:wait_finished()
  T.eq(b.threads[1]:is_alive(), false)
end)

T.test("harness: wait_until gives up after its limit", function()
  local t1 = ts.time()
  T.eq(T.wait_until(function() return false end, 0.02), false)
  T.ok(ts.time() - t1 >= 0.02)
  T.eq(T.wait_until(function() return true end, 0.02), true)
end)

T.done()
