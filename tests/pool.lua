-- ThreadPool, futures, ts.wait, ts.as_completed: CPython's
-- Lib/test/test_concurrent_futures (executor.py, test_thread_pool.py,
-- test_shutdown.py, test_future.py, test_wait.py, test_as_completed.py)
-- for the thread pool, plus tsbox's API extras.
local ts = require "tsbox"
local T = require "tap"

local WORKERS = 5

-- Futures in every state (util.create_future), built with the public API.
local function pending_future() return ts.Future() end
local function running_future()
  local f = ts.Future()
  f:set_running_or_notify_cancel()
  return f
end
local function cancelled_future()
  local f = ts.Future()
  f:cancel()
  return f
end
local function cancelled_and_notified_future()
  local f = ts.Future()
  f:cancel()
  f:set_running_or_notify_cancel()
  return f
end
local OSError = { kind = "OSError", message = "os error" }
local function exception_future()
  local f = ts.Future()
  f:set_running_or_notify_cancel()
  f:set_exception(OSError)
  return f
end
local function successful_future()
  local f = ts.Future()
  f:set_running_or_notify_cancel()
  f:set_result(42)
  return f
end

local PENDING_FUTURE = pending_future()
local RUNNING_FUTURE = running_future()
local CANCELLED_FUTURE = cancelled_future()
local CANCELLED_AND_NOTIFIED_FUTURE = cancelled_and_notified_future()
local EXCEPTION_FUTURE = exception_future()
local SUCCESSFUL_FUTURE = successful_future()

local function mul(x, y) return x * y end

-- A test with a fresh pool of 5 workers (ThreadPoolMixin), shut down after.
local function pool_test(name, fn)
  T.test(name, function()
    local pool <close> = ts.ThreadPool(WORKERS)
    fn(pool)
  end)
end

local function set_of(list)
  local s = {}
  for _, v in ipairs(list) do s[v] = true end
  return s
end

local function set_size(s)
  local n = 0
  for _ in pairs(s) do n = n + 1 end
  return n
end

local function same_set(got, want_list, what)
  local want = set_of(want_list)
  for k in pairs(got) do
    T.ok(want[k], (what or "set") .. ": unexpected member " .. tostring(k))
  end
  for k in pairs(want) do
    T.ok(got[k], (what or "set") .. ": missing member " .. tostring(k))
  end
end

---------------------------------------------------------------------------
-- ExecutorTest

pool_test("ThreadPool: submit returns a future of the call", function(pool)
  local future = pool:submit(function(a, b) return a ^ b end, 2, 8)
  T.eq(future:result(), 256.0)
end)

pool_test("ThreadPool: submit passes every argument and result() returns every value", function(pool)
  local future = pool:submit(function(...) return select("#", ...), ... end, 1, nil, 3)
  local n, a, b, c = future:result()
  T.eq(n, 3); T.eq(a, 1); T.eq(b, nil); T.eq(c, 3)
  T.eq(select("#", pool:submit(function() end):result()), 0)
end)

pool_test("ThreadPool: map over one list and over two zipped lists", function(pool)
  local xs, ys = {}, {}
  for i = 1, 10 do xs[i] = i - 1; ys[i] = i - 1 end
  local got = pool:map(function(x, y) return x ^ y end, xs, ys)
  T.eq(got.n, 10)
  for i = 1, 10 do T.eq(got[i], (i - 1.0) ^ (i - 1)) end
  local short = pool:map(mul, { 1, 2, 3 }, { 10, 20 })
  T.eq(short.n, 2)
  T.same(short, { 10, 40 })
  T.eq(pool:map(mul, {}).n, 0)
end)

pool_test("ThreadPool: map re-raises the first task error in list order", function(pool)
  local function divmod(a, b) return a // b end
  local e = T.raises(function() pool:map(divmod, { 1, 1, 1, 1 }, { 2, 3, 0, 5 }) end)
  T.match(tostring(e), "pool%.lua:%d+: .*zero")
end)

pool_test("ThreadPool: map with a timeout raises Timeout when a call is too slow", function(pool)
  local done = {}
  local e = T.raises(function()
    pool:map(function(t) ts.sleep(t); table.insert(done, t) end, { 0, 0, 0.6 }, 0.5)
  end, ts.Timeout)
  T.ok(e ~= nil)
  T.await(function() return #done == 3 end, "the running call to end")
end)

pool_test("ThreadPool: map of more calls than workers, then shutdown (issue 12456)", function(pool)
  pool:map(tostring, { 2, 2, 2, 2, 2, 2 })
  pool:shutdown()
end)

pool_test("ThreadPool: the pool keeps no reference to a finished task's function and arguments", function(pool)
  local obj = { name = "MyObject" }
  function obj.my_method(self) return self.name end
  local weak = setmetatable({ obj }, { __mode = "v" })
  pool:submit(obj.my_method, obj):result()
  obj = nil -- luacheck: ignore 311
  T.await(function()
    collectgarbage()
    collectgarbage()
    return weak[1] == nil
  end, "the object to be collected")
end)

T.test("ThreadPool: max_workers 0 or negative raises ValueError", function()
  for _, n in ipairs { 0, -1 } do
    T.raises(function() ts.ThreadPool(n) end, ts.ValueError, "max_workers must be greater than 0")
    T.raises(function() ts.ThreadPool { max_workers = n } end, ts.ValueError, "max_workers must be greater than 0")
  end
end)

-- ThreadPoolExecutorTest

T.test("ThreadPool: map submits every call at once; shutdown waits for them (issue 11777)", function()
  local pool = ts.ThreadPool(WORKERS)
  local finished = {}
  local lock = ts.Lock()
  local xs = {}
  for i = 1, 10 do xs[i] = i end
  pool:map(function(n) lock:with(function() finished[#finished + 1] = n end) end, xs)
  pool:shutdown(true)
  table.sort(finished)
  T.same(finished, xs)
end)

T.test("ThreadPool: max_workers defaults to 4", function()
  local pool = ts.ThreadPool()
  T.eq(pool.max_workers, 4)
  pool:shutdown()
end)

T.test("ThreadPool: 60 blocked tasks on 4 workers start exactly 4 threads (saturation)", function()
  local pool = ts.ThreadPool(4)
  local sem = ts.Semaphore(0)
  for _ = 1, 15 * pool.max_workers do pool:submit(function() sem:acquire() end) end
  T.eq(#pool:threads(), pool.max_workers)
  for _ = 1, 15 * pool.max_workers do sem:release() end
  pool:shutdown(true)
end)

T.test("ThreadPool: an idle worker is reused rather than a new one started", function()
  -- result() can return before the worker is back waiting for work (it
  -- has set the result, not yet marked itself idle); CPython's test relies
  -- on its GIL's timing there. Here the worker is given time to block.
  local pool <close> = ts.ThreadPool()
  T.eq(pool:submit(mul, 21, 2):result(), 42)
  T.wait_threads_blocked(1)
  T.eq(pool:submit(mul, 6, 7):result(), 42)
  T.wait_threads_blocked(1)
  T.eq(pool:submit(mul, 3, 14):result(), 42)
  T.eq(#pool:threads(), 1)
end)

T.test("ThreadPool: map with timeout 0 on a busy pool cancels the calls not started", function()
  local stop = ts.Event()
  local log = {}
  local function log_n_wait(ident)
    log[#log + 1] = ident .. " started"
    stop:wait()
    log[#log + 1] = ident .. " stopped"
  end
  do
    local pool <close> = ts.ThreadPool(1)
    local fut = pool:submit(log_n_wait, "first")
    T.raises(function() pool:map(log_n_wait, { "second", "third" }, 0) end, ts.Timeout)
    stop:set()
    fut:result()
  end
  T.same(log, { "first started", "first stopped" })
end)

---------------------------------------------------------------------------
-- ExecutorShutdownTest / ThreadPoolShutdownTest

T.test("ThreadPool: submit after shutdown raises RuntimeError", function()
  local pool = ts.ThreadPool(WORKERS)
  pool:shutdown()
  T.raises(function() pool:submit(math.max, 2, 5) end, ts.RuntimeError,
    "cannot schedule new futures after shutdown")
  T.raises(function() pool:map(math.max, { 2 }) end, ts.RuntimeError,
    "cannot schedule new futures after shutdown")
end)

T.test("ThreadPool: shutdown with 50 queued tasks still runs them all (issue 12364)", function()
  local pool = ts.ThreadPool(WORKERS)
  local fs = {}
  for i = 1, 50 do fs[i] = pool:submit(ts.sleep, 0.1) end
  pool:shutdown()
  for _, f in ipairs(fs) do f:result() end
end)

T.test("ThreadPool: shutdown(true, true) cancels the queued tasks, the others finish", function()
  local pool = ts.ThreadPool(WORKERS)
  local started = ts.Event()
  local fs = { pool:submit(function() started:set(); ts.sleep(0.1) end) }
  for i = 2, 50 do fs[i] = pool:submit(ts.sleep, 0.1) end
  started:wait() -- (Python's test assumes a worker has started by now)
  pool:shutdown(true, true)
  local cancelled, others = 0, 0
  for _, f in ipairs(fs) do
    if f:cancelled() then
      cancelled = cancelled + 1
    else
      others = others + 1
      T.ok(f:done(), "a future neither cancelled nor done")
      T.eq(f:exception(), nil)
    end
  end
  T.ok(cancelled > 20, "only " .. cancelled .. " cancelled")
  T.ok(others > 0, "none finished")
  -- the cancelled futures count as done for ts.wait at once
  local done, not_done = ts.wait(fs, 0)
  T.eq(set_size(done), 50)
  T.eq(next(not_done), nil)
end)

T.test("ThreadPool: shutdown(true) right after a cancelled submit does not hang (gh-94440)", function()
  local pool = ts.ThreadPool(1)
  pool:submit(tonumber, "1"):result()
  pool:submit(tonumber, "2"):cancel()
  pool:shutdown(true)
end)

T.test("ThreadPool: workers end after shutdown; no thread is left behind", function()
  local base = ts.active_count()
  local pool = ts.ThreadPool(WORKERS)
  local sem = ts.Semaphore(0)
  for _ = 1, 3 do pool:submit(function() sem:acquire() end) end
  T.eq(#pool:threads(), 3)
  T.eq(ts.active_count(), base + 3)
  for _ = 1, 3 do sem:release() end
  pool:shutdown()
  for _, t in ipairs(pool:threads()) do
    T.eq(t:is_alive(), false)
    T.join(t)
  end
  T.eq(ts.active_count(), base)
end)

T.test("ThreadPool: a <close> variable shuts the pool down and waits", function()
  local pool
  do
    local p <close> = ts.ThreadPool(WORKERS)
    pool = p
    local xs = {}
    for i = -5, 4 do xs[#xs + 1] = i end
    T.same(p:map(math.abs, xs), { 5, 4, 3, 2, 1, 0, 1, 2, 3, 4 })
  end
  for _, t in ipairs(pool:threads()) do T.eq(t:is_alive(), false) end
  T.raises(function() pool:submit(print) end, ts.RuntimeError)
end)

T.test("ThreadPool: a <close> variable also shuts down when the scope is left by an error", function()
  local pool
  T.raises(function()
    local p <close> = ts.ThreadPool(2)
    pool = p
    p:submit(ts.sleep, 0.1)
    error("leaving")
  end, nil, "leaving")
  for _, t in ipairs(pool:threads()) do T.eq(t:is_alive(), false) end
end)

T.test("ThreadPool: shutdown(false) returns at once; the workers finish the queue and end", function()
  local pool = ts.ThreadPool(WORKERS)
  local xs = {}
  for i = -5, 4 do xs[#xs + 1] = i end
  local fs = {}
  for i, x in ipairs(xs) do fs[i] = pool:submit(math.abs, x) end
  pool:shutdown(false)
  for _, t in ipairs(pool:threads()) do T.join(t) end
  for i, f in ipairs(fs) do T.eq(f:result(), math.abs(xs[i])) end
end)

T.test("ThreadPool: workers are named PREFIX_0 .. PREFIX_n-1", function()
  local pool = ts.ThreadPool { max_workers = 5, thread_name_prefix = "SpecialPool" }
  local sem = ts.Semaphore(0)
  for _ = 1, 10 do pool:submit(function() sem:acquire() end) end
  local names = {}
  for _, t in ipairs(pool:threads()) do names[#names + 1] = t.name end
  T.same(names, { "SpecialPool_0", "SpecialPool_1", "SpecialPool_2", "SpecialPool_3", "SpecialPool_4" })
  sem:release(10)
  pool:shutdown()
end)

T.test("ThreadPool: default names are ThreadPool-N and ThreadPool-N_k", function()
  local pool = ts.ThreadPool(5)
  T.match(pool.name, "^ThreadPool%-%d+$")
  pool:map(math.abs, { -5, -4, -3, -2, -1, 0, 1, 2, 3, 4 })
  for _, t in ipairs(pool:threads()) do T.match(t.name, "^ThreadPool%-%d+_[0-4]$") end
  T.eq(pool:threads()[1].name, pool.name .. "_0")
  local other = ts.ThreadPool(1)
  T.ok(other.name ~= pool.name, "two pools with the same default name")
  pool:shutdown()
  other:shutdown()
end)

---------------------------------------------------------------------------
-- FutureTests

T.test("Future: a done callback sees the result", function()
  local got
  local f = ts.Future()
  f:add_done_callback(function(cf) got = cf:result() end)
  f:set_result(5)
  T.eq(got, 5)
end)

T.test("Future: a done callback sees the exception", function()
  local got
  local f = ts.Future()
  f:add_done_callback(function(cf) got = cf:exception() end)
  local e = { "test" }
  f:set_exception(e)
  T.eq(got, e)
end)

T.test("Future: a done callback sees the cancellation", function()
  local was_cancelled
  local f = ts.Future()
  f:add_done_callback(function(cf) was_cancelled = cf:cancelled() end)
  T.eq(f:cancel(), true)
  T.eq(was_cancelled, true)
end)

T.test("Future: a raising callback does not stop the next one", function()
  local raising_was_called, fn_was_called = false, false
  local f = ts.Future()
  f:add_done_callback(function() raising_was_called = true; error("doh! (expected in this test)") end)
  f:add_done_callback(function() fn_was_called = true end)
  f:set_result(5)
  T.ok(raising_was_called)
  T.ok(fn_was_called)
end)

T.test("Future: a callback added to a finished, failed or cancelled future runs at once", function()
  local got
  local f = ts.Future()
  f:set_result(5)
  f:add_done_callback(function(cf) got = cf:result() end)
  T.eq(got, 5)
  f = ts.Future()
  f:set_exception("test")
  f:add_done_callback(function(cf) got = cf:exception() end)
  T.eq(got, "test")
  f = ts.Future()
  T.eq(f:cancel(), true)
  f:add_done_callback(function(cf) got = cf:cancelled() end)
  T.eq(got, true)
  f = ts.Future()
  f:set_result(5)
  f:add_done_callback(function() error("doh! (expected in this test)") end) -- reported, not raised
end)

T.test("Future: tostring shows the state", function()
  T.eq(tostring(PENDING_FUTURE), "<Future pending>")
  T.eq(tostring(RUNNING_FUTURE), "<Future running>")
  T.eq(tostring(CANCELLED_FUTURE), "<Future cancelled>")
  T.eq(tostring(CANCELLED_AND_NOTIFIED_FUTURE), "<Future cancelled>")
  T.eq(tostring(EXCEPTION_FUTURE), "<Future finished raised OSError>")
  T.eq(tostring(SUCCESSFUL_FUTURE), "<Future finished result=42>")
  local f = ts.Future()
  f:set_exception("boom")
  T.eq(tostring(f), "<Future finished raised string>")
  f = ts.Future()
  f:set_result()
  T.eq(tostring(f), "<Future finished>")
end)

T.test("Future: cancel() succeeds only for a pending (or already cancelled) future", function()
  local f1, f2, f3, f4 = pending_future(), running_future(), cancelled_future(), cancelled_and_notified_future()
  local f5, f6 = exception_future(), successful_future()
  T.eq(f1:cancel(), true); T.eq(f1:cancelled(), true)
  T.eq(f2:cancel(), false); T.eq(f2:running(), true)
  T.eq(f3:cancel(), true); T.eq(f3:cancelled(), true)
  T.eq(f4:cancel(), true); T.eq(f4:cancelled(), true)
  T.eq(f5:cancel(), false); T.eq(f5:done(), true); T.eq(f5:cancelled(), false)
  T.eq(f6:cancel(), false); T.eq(f6:result(), 42)
end)

T.test("Future: cancelled(), done() and running() in every state", function()
  local all = { PENDING_FUTURE, RUNNING_FUTURE, CANCELLED_FUTURE, CANCELLED_AND_NOTIFIED_FUTURE,
                EXCEPTION_FUTURE, SUCCESSFUL_FUTURE }
  local function states(method)
    local r = {}
    for i, f in ipairs(all) do r[i] = f[method](f) end
    return r
  end
  T.same(states("cancelled"), { false, false, true, true, false, false }, "cancelled")
  T.same(states("done"), { false, false, true, true, true, true }, "done")
  T.same(states("running"), { false, true, false, false, false, false }, "running")
end)

T.test("Future: result(0) in every state", function()
  T.raises(function() PENDING_FUTURE:result(0) end, ts.Timeout)
  T.raises(function() RUNNING_FUTURE:result(0) end, ts.Timeout)
  T.raises(function() CANCELLED_FUTURE:result(0) end, ts.CancelledError)
  T.raises(function() CANCELLED_AND_NOTIFIED_FUTURE:result(0) end, ts.CancelledError)
  local e = T.raises(function() EXCEPTION_FUTURE:result(0) end)
  T.ok(rawequal(e, OSError), "result() must re-raise the same error value")
  T.eq(SUCCESSFUL_FUTURE:result(0), 42)
end)

T.test("Future: result(timeout) returns a result set by another thread in time", function()
  local f1 = pending_future()
  local t = ts.spawn(function()
    ts.sleep(0.2)
    f1:set_result(42)
  end)
  T.eq(f1:result(5), 42)
  T.join(t)
end)

T.test("Future: result(timeout) raises CancelledError when another thread cancels", function()
  local f1 = pending_future()
  local t = ts.spawn(function()
    ts.sleep(0.2)
    f1:cancel()
  end)
  T.raises(function() f1:result(T.LIMIT) end, ts.CancelledError)
  T.join(t)
end)

T.test("Future: exception(0) in every state", function()
  T.raises(function() PENDING_FUTURE:exception(0) end, ts.Timeout)
  T.raises(function() RUNNING_FUTURE:exception(0) end, ts.Timeout)
  T.raises(function() CANCELLED_FUTURE:exception(0) end, ts.CancelledError)
  T.raises(function() CANCELLED_AND_NOTIFIED_FUTURE:exception(0) end, ts.CancelledError)
  T.ok(rawequal(EXCEPTION_FUTURE:exception(0), OSError))
  T.eq(SUCCESSFUL_FUTURE:exception(0), nil)
end)

T.test("Future: exception(timeout) returns an error set by another thread in time", function()
  local f1 = pending_future()
  local e = { kind = "OSError" }
  local t = ts.spawn(function()
    ts.sleep(0.2)
    f1:set_exception(e)
  end)
  T.ok(rawequal(f1:exception(T.LIMIT), e))
  T.join(t)
end)

T.test("Future: a second set_result or set_exception raises InvalidStateError and changes nothing", function()
  local f = pending_future()
  f:set_result(1)
  T.raises(function() f:set_result(2) end, ts.InvalidStateError, "FINISHED: <Future finished result=1>")
  T.eq(f:done(), true)
  T.eq(f:result(), 1)
  f = pending_future()
  local e = { "ValueError" }
  f:set_exception(e)
  T.raises(function() f:set_exception({}) end, ts.InvalidStateError, "FINISHED: <Future finished raised table>")
  T.eq(f:exception(), e)
  local c = pending_future()
  c:cancel()
  T.raises(function() c:set_result(3) end, ts.InvalidStateError, "CANCELLED: <Future cancelled>")
end)

---------------------------------------------------------------------------
-- WaitTests

pool_test("wait: a future given twice is counted once (issue 20369)", function(pool)
  local future = pool:submit(mul, 1, 2)
  local done, not_done = ts.wait({ future, future }, nil, ts.ALL_COMPLETED)
  same_set(done, { future }, "done")
  T.eq(next(not_done), nil)
end)

pool_test("wait: FIRST_COMPLETED returns when one future is done", function(pool)
  local event = ts.Event()
  local future1 = pool:submit(mul, 21, 2)
  local future2 = pool:submit(function() event:wait() end)
  local ok, e = pcall(function()
    local done, not_done = ts.wait({ CANCELLED_FUTURE, future1, future2 }, nil, ts.FIRST_COMPLETED)
    same_set(done, { future1 }, "done")
    same_set(not_done, { CANCELLED_FUTURE, future2 }, "not_done")
  end)
  event:set()
  future2:result()
  if not ok then error(e, 0) end
end)

pool_test("wait: FIRST_COMPLETED with some already completed returns at once", function(pool)
  local event = ts.Event()
  local future1 = pool:submit(function() event:wait() end)
  local ok, e = pcall(function()
    local finished, pending = ts.wait({ CANCELLED_AND_NOTIFIED_FUTURE, SUCCESSFUL_FUTURE, future1 },
      nil, ts.FIRST_COMPLETED)
    same_set(finished, { CANCELLED_AND_NOTIFIED_FUTURE, SUCCESSFUL_FUTURE }, "finished")
    same_set(pending, { future1 }, "pending")
  end)
  event:set()
  future1:result()
  if not ok then error(e, 0) end
end)

pool_test("wait: FIRST_EXCEPTION returns at the first failure", function(pool)
  local event1, event2 = ts.Event(), ts.Event()
  local future1 = pool:submit(mul, 2, 21)
  local future2 = pool:submit(function() event1:wait(); error("this is an exception") end)
  local future3 = pool:submit(function() event2:wait() end)
  local t = ts.spawn(function()
    future1:result()  -- future1 is complete before future2 finishes
    event1:set()
  end)
  local ok, e = pcall(function()
    local finished, pending = ts.wait({ future1, future2, future3 }, nil, ts.FIRST_EXCEPTION)
    same_set(finished, { future1, future2 }, "finished")
    same_set(pending, { future3 }, "pending")
  end)
  T.join(t)
  event1:set()
  event2:set()
  future3:result()
  if not ok then error(e, 0) end
end)

pool_test("wait: FIRST_EXCEPTION with a failure among those already complete", function(pool)
  local event = ts.Event()
  local future1 = pool:submit(function(a, b) return a // b end, 21, 0)
  local future2 = pool:submit(function() event:wait() end)
  local ok, e = pcall(function()
    local finished, pending = ts.wait({ SUCCESSFUL_FUTURE, CANCELLED_FUTURE, CANCELLED_AND_NOTIFIED_FUTURE,
                                        future1, future2 }, nil, ts.FIRST_EXCEPTION)
    same_set(finished, { SUCCESSFUL_FUTURE, CANCELLED_AND_NOTIFIED_FUTURE, future1 }, "finished")
    same_set(pending, { CANCELLED_FUTURE, future2 }, "pending")
  end)
  event:set()
  future2:result()
  if not ok then error(e, 0) end
end)

pool_test("wait: FIRST_EXCEPTION with one future already failed returns at once", function(pool)
  local event = ts.Event()
  local future1 = pool:submit(function() event:wait() end)
  local ok, e = pcall(function()
    local finished, pending = ts.wait({ EXCEPTION_FUTURE, future1 }, nil, ts.FIRST_EXCEPTION)
    same_set(finished, { EXCEPTION_FUTURE }, "finished")
    same_set(pending, { future1 }, "pending")
  end)
  event:set()
  future1:result()
  if not ok then error(e, 0) end
end)

pool_test("wait: ALL_COMPLETED waits for every future", function(pool)
  local future1 = pool:submit(function(a, b) return a // b end, 2, 0)
  local future2 = pool:submit(mul, 2, 21)
  local finished, pending = ts.wait({ SUCCESSFUL_FUTURE, CANCELLED_AND_NOTIFIED_FUTURE, EXCEPTION_FUTURE,
                                      future1, future2 }, nil, ts.ALL_COMPLETED)
  same_set(finished, { SUCCESSFUL_FUTURE, CANCELLED_AND_NOTIFIED_FUTURE, EXCEPTION_FUTURE, future1, future2 },
    "finished")
  T.eq(next(pending), nil)
end)

pool_test("wait: the timeout returns what is done so far", function(pool)
  local event = ts.Event()
  local future = pool:submit(function() event:wait() end)
  local ok, e = pcall(function()
    local t0 = ts.time()
    local finished, pending = ts.wait({ CANCELLED_AND_NOTIFIED_FUTURE, EXCEPTION_FUTURE, SUCCESSFUL_FUTURE,
                                        future }, 0.05, ts.ALL_COMPLETED)
    T.timeout_ok(ts.time() - t0, 0.05)
    same_set(finished, { CANCELLED_AND_NOTIFIED_FUTURE, EXCEPTION_FUTURE, SUCCESSFUL_FUTURE }, "finished")
    same_set(pending, { future }, "pending")
  end)
  event:set()
  future:result()
  if not ok then error(e, 0) end
end)

pool_test("wait: 100 futures released together, waited for all (issue 14406)", function(pool)
  local event = ts.Event()
  local fs = {}
  for i = 1, 100 do fs[i] = pool:submit(function() event:wait() end) end
  event:set()
  local done, not_done = ts.wait(fs, nil, ts.ALL_COMPLETED)
  T.eq(set_size(done), 100)
  T.eq(next(not_done), nil)
end)

---------------------------------------------------------------------------
-- AsCompletedTests

pool_test("as_completed: yields every future, those already done included", function(pool)
  local future1 = pool:submit(mul, 2, 21)
  local future2 = pool:submit(mul, 7, 6)
  local completed = {}
  for f in ts.as_completed { CANCELLED_AND_NOTIFIED_FUTURE, EXCEPTION_FUTURE, SUCCESSFUL_FUTURE, future1, future2 } do
    T.eq(completed[f], nil, "a future yielded twice")
    completed[f] = true
  end
  same_set(completed, { CANCELLED_AND_NOTIFIED_FUTURE, EXCEPTION_FUTURE, SUCCESSFUL_FUTURE, future1, future2 })
end)

pool_test("as_completed: the timeout raises Timeout after the completed ones", function(pool)
  for _, timeout in ipairs { 0, 0.1 } do
    local already = { CANCELLED_AND_NOTIFIED_FUTURE, EXCEPTION_FUTURE, SUCCESSFUL_FUTURE }
    local completed = {}
    local future = pool:submit(ts.sleep, 0.5)
    local fs = { already[1], already[2], already[3], future }
    local ok, e = pcall(function()
      for f in ts.as_completed(fs, timeout) do completed[f] = true end
    end)
    T.ok(not ok, "expected a Timeout")
    T.eq(type(e) == "table" and e.kind, ts.Timeout, T.describe(e))
    same_set(completed, already)
  end
end)

pool_test("as_completed: a future given three times is yielded once (issue 20367)", function(pool)
  local future1 = pool:submit(ts.sleep, 0.2)
  local n = 0
  for _ in ts.as_completed { future1, future1, future1 } do n = n + 1 end
  T.eq(n, 1)
end)

T.test("as_completed: yielded futures are not kept alive by the iterator (issue 14406)", function()
  -- A generic for keeps the value it last yielded in its hidden control
  -- variable until the next step, so each check looks at the future yielded
  -- one step before.
  local list = {}
  for i = 1, 8 do list[i] = ts.Future() end
  list[9] = cancelled_and_notified_future()
  list[10] = ts.Future()
  list[10]:set_result(42)
  local function remove(f)
    for i, g in ipairs(list) do
      if g == f then table.remove(list, i) return end
    end
  end
  local prev = setmetatable({}, { __mode = "v" })
  local function check_prev()
    collectgarbage()
    collectgarbage()
    T.eq(prev[1], nil, "a yielded future is still referenced")
  end
  local yielded = 0
  local ok, e = pcall(function()
    for f in ts.as_completed(list, 0) do
      check_prev()
      remove(f)
      prev[1] = f
      yielded = yielded + 1
    end
  end)
  T.ok(not ok and e.kind == ts.Timeout, "expected a Timeout, got " .. T.describe(e))
  check_prev()
  T.eq(yielded, 2)
  T.eq(#list, 8)
  list[1]:set_result("test")
  for f in ts.as_completed(list) do
    check_prev()
    remove(f)
    prev[1] = f
    if #list > 0 then list[1]:set_result("test") end
  end
  check_prev()
  T.eq(#list, 0)
end)

T.test("as_completed: the Timeout message counts the unfinished futures", function()
  local fs = { CANCELLED_AND_NOTIFIED_FUTURE, PENDING_FUTURE, RUNNING_FUTURE, SUCCESSFUL_FUTURE }
  T.raises(function()
    for _ in ts.as_completed(fs, 0) do end
  end, ts.Timeout, "2 (of 4) futures unfinished")
end)

---------------------------------------------------------------------------
-- tsbox's API: errors in tasks, leaks, arguments, names

T.test("ThreadPool: result() re-raises the task's own error value with the task's traceback", function()
  local pool <close> = ts.ThreadPool(2, "teller")
  local task_line = debug.getinfo(1, "l").currentline + 1
  local function task() ts._raise(ts.ValueError, "bad amount", 1) end
  local f = pool:submit(task)
  local e = T.raises(function() f:result() end, ts.ValueError, "bad amount")
  T.ok(rawequal(e, f:exception()), "exception() and result() must give the same value")
  T.ok(rawequal(e, select(2, pcall(f.result, f))), "each result() call must raise the same value")
  T.has(e.traceback, "pool.lua:" .. task_line .. ":")
  T.eq(f:traceback(), e.traceback)
  T.eq(select(2, f:exception()), e.traceback)
  -- the pool is still usable
  T.eq(pool:submit(mul, 6, 7):result(), 42)
end)

T.test("ThreadPool: a task raising a string or a table keeps it, with a traceback", function()
  local pool <close> = ts.ThreadPool(2)
  local line = debug.getinfo(1, "l").currentline + 1
  local function boom() error("boom") end
  local f = pool:submit(boom)
  local e = T.raises(function() f:result() end)
  T.eq(type(e), "string")
  T.match(e, "pool%.lua:" .. line .. ": boom$")
  T.has(f:traceback(), "pool.lua:" .. line .. ": boom")
  T.has(f:traceback(), "stack traceback:")
  local obj = { code = 7 }
  local g = pool:submit(function() error(obj) end)
  T.ok(rawequal(T.raises(function() g:result() end), obj))
  T.has(g:traceback(), "(error object is a table value)")
  local h = pool:submit(function() error(nil) end)
  T.eq(select("#", T.raises(function() h:result() end)), 1)
  T.eq(tostring(h), "<Future finished raised nil>")
end)

T.test("ThreadPool: a task error is not an uncaught thread error (the run exits 0)", function()
  -- This file's own exit status checks it too; here a child run does.
  local path = os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write([[
    local ts = require "tsbox"
    local pool <close> = ts.ThreadPool(2)
    local f = pool:submit(error, "task failed")
    print(pcall(f.result, f))
    pool:submit(function() error({}) end) -- never looked at
  ]])
  f:close()
  local p = assert(io.popen(('"/proc/$PPID/exe" --seed 3 "%s" 2>&1; echo "rc=$?"'):format(path)))
  local out = p:read("a")
  p:close()
  os.remove(path)
  T.has(out, "false\ttask failed")
  T.ok(not out:find("Exception in thread"), out)
  T.match(out, "rc=0%s*$")
end)

T.test("ThreadPool: a task that hits --max-memory is reported as a limit (exit 4)", function()
  local path = os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write([[
    local ts = require "tsbox"
    local pool <close> = ts.ThreadPool(1)
    pool:submit(function() local t = {} for i = 1, 1e8 do t[i] = { i } end end)
  ]])
  f:close()
  local p = assert(io.popen(('"/proc/$PPID/exe" --seed 1 --max-memory 8M "%s" 2>&1; echo "rc=$?"'):format(path)))
  local out = p:read("a")
  p:close()
  os.remove(path)
  T.has(out, "memory limit")
  T.match(out, "rc=4%s*$")
end)

T.test("ThreadPool: after shutdown, active_count() is back to 1", function()
  T.eq(ts.active_count(), 1, "threads left over from earlier tests")
  local pool = ts.ThreadPool(4)
  local fs = {}
  for i = 1, 20 do fs[i] = pool:submit(function(x) ts.yield(); return x end, i) end
  pool:submit(error, "an error does not leak a thread either")
  T.ok(ts.active_count() > 1)
  pool:shutdown()
  T.eq(ts.active_count(), 1)
  for i = 1, 20 do T.eq(fs[i]:result(), i) end
end)

T.test("ThreadPool: many submitters and many tasks; every result is right", function()
  local pool <close> = ts.ThreadPool(3)
  local all = {}
  T.run_bunch(4, function(b)
    for k = 1, 15 do
      table.insert(all, { b * 100 + k, pool:submit(mul, b * 100 + k, 2) })
    end
  end)
  T.eq(#all, 60)
  for _, pair in ipairs(all) do T.eq(pair[2]:result(), pair[1] * 2) end
  T.ok(#pool:threads() <= 3)
end)

T.test("ThreadPool: a task can submit to its own pool and wait for the result", function()
  local pool <close> = ts.ThreadPool(2)
  local f = pool:submit(function() return pool:submit(mul, 3, 4):result() + 1 end)
  T.eq(f:result(), 13)
end)

T.test("ThreadPool: a running future cannot be cancelled; running() tells", function()
  local pool <close> = ts.ThreadPool(1)
  local go, started = ts.Event(), ts.Event()
  local f = pool:submit(function() started:set(); go:wait(); return "ran" end)
  local queued = pool:submit(mul, 1, 1)
  started:wait()
  T.eq(f:running(), true)
  T.eq(f:cancel(), false)
  T.eq(queued:cancel(), true)
  T.eq(queued:running(), false)
  go:set()
  T.eq(f:result(), "ran")
  T.raises(function() queued:result() end, ts.CancelledError, "cancelled")
end)

T.test("Future: result(timeout) raises Timeout after the timeout on tsbox's clock", function()
  local f = ts.Future()
  local t0 = ts.time()
  T.raises(function() f:result(0.5) end, ts.Timeout)
  T.timeout_ok(ts.time() - t0, 0.5)
  t0 = ts.time()
  T.raises(function() f:exception(0.25) end, ts.Timeout)
  T.timeout_ok(ts.time() - t0, 0.25)
end)

T.test("ts.wait: accepts a set keyed by future, and a timeout of 0 polls", function()
  local a, b = successful_future(), ts.Future()
  local done, not_done = ts.wait({ [a] = true, [b] = true }, 0)
  same_set(done, { a }, "done")
  same_set(not_done, { b }, "not_done")
  -- feeding not_done back in
  b:set_result(1)
  done, not_done = ts.wait(not_done)
  same_set(done, { b }, "done")
  T.eq(next(not_done), nil)
  done, not_done = ts.wait({})
  T.eq(next(done), nil)
  T.eq(next(not_done), nil)
end)

T.test("ts.wait and as_completed: bad arguments", function()
  T.raises(function() ts.wait({ ts.Future() }, 0, "SOME") end, ts.ValueError, "Invalid return condition")
  T.raises(function() ts.wait(42) end, nil, "bad argument #1 to 'wait' (table expected, got number)")
  T.raises(function() ts.wait({ 1 }) end, nil, "bad argument #1 to 'wait'")
  T.raises(function() ts.wait({}, "x") end, nil, "bad argument #2 to 'wait' (number expected, got string)")
  T.raises(function() ts.as_completed(nil) end, nil, "bad argument #1 to 'as_completed' (table expected, got nil)")
  T.eq(ts.FIRST_COMPLETED, "FIRST_COMPLETED")
  T.eq(ts.FIRST_EXCEPTION, "FIRST_EXCEPTION")
  T.eq(ts.ALL_COMPLETED, "ALL_COMPLETED")
end)

T.test("as_completed: yields in completion order; leaving the loop early unhooks it", function()
  local fs = { ts.Future(), ts.Future(), ts.Future() }
  local t = ts.spawn(function()
    ts.sleep(0.3); fs[3]:set_result(3)
    ts.sleep(0.3); fs[1]:set_result(1)
    ts.sleep(0.3); fs[2]:set_result(2)
  end)
  local order = {}
  for f in ts.as_completed(fs) do order[#order + 1] = f:result() end
  T.same(order, { 3, 1, 2 })
  T.join(t)
  local gs = { ts.Future(), ts.Future() }
  gs[2]:set_result("x")
  for _ in ts.as_completed(gs) do break end -- luacheck: ignore 512
  T.eq(#gs[1]._waiters, 0, "the loop's waiter is still installed")
end)

T.test("ThreadPool: tostring, table form and argument errors", function()
  local pool = ts.ThreadPool { max_workers = 4, thread_name_prefix = "teller" }
  T.eq(tostring(pool), '<ThreadPool "teller" workers=4>')
  T.eq(pool.name, "teller")
  T.eq(ts.ThreadPool(2, "x").name, "x")
  T.eq(ts.ThreadPool { name = "y" }.name, "y")
  T.raises(function() ts.ThreadPool { workers = 2 } end, nil, "unexpected field 'workers'")
  T.raises(function() ts.ThreadPool("many") end, nil, "bad argument #1 to 'ThreadPool' (number expected, got string)")
  T.raises(function() ts.ThreadPool(2.5) end, nil, "number has no integer representation")
  T.raises(function() pool:submit() end, nil, "bad argument #1 to 'submit' (function expected, got no value)")
  T.raises(function() pool:submit(42) end, nil, "bad argument #1 to 'submit' (function expected, got number)")
  T.raises(function() pool:map(print) end, nil, "bad argument #2 to 'map' (table expected, got no value)")
  T.raises(function() pool:map(print, "abc") end, nil, "bad argument #2 to 'map' (table expected, got string)")
  T.raises(function() ts.Future():result("soon") end, nil, "bad argument #1 to 'result' (number expected, got string)")
  local line = debug.getinfo(1, "l").currentline + 1
  local e = T.raises(function() pool:shutdown(); pool:submit(print) end, ts.RuntimeError)
  T.has(tostring(e), "pool.lua:" .. line .. ":")
  T.eq(tostring(pool), '<ThreadPool "teller" workers=4 shutdown>')
  -- a callable table is a valid task
  local p2 <close> = ts.ThreadPool(1)
  local callable = setmetatable({}, { __call = function(_, x) return x + 1 end })
  T.eq(p2:submit(callable, 1):result(), 2)
end)

T.test("ThreadPool: f:result() on a task that waits forever is reported as a deadlock (exit 3)", function()
  local path = os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write([[
    local ts = require "tsbox"
    local pool = ts.ThreadPool(1, "stuck")
    local never = ts.Event("never")
    pool:submit(function() never:wait() end):result()
  ]])
  f:close()
  local p = assert(io.popen(('"/proc/$PPID/exe" --seed 5 "%s" 2>&1; echo "rc=$?"'):format(path)))
  local out = p:read("a")
  p:close()
  os.remove(path)
  T.match(out, "rc=3%s*$", out)
  T.has(out, '"stuck_0" waits for Event "never"')
end)

T.test("ThreadPool: a script that forgets shutdown still ends (daemon workers)", function()
  local path = os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write([[
    local ts = require "tsbox"
    local pool = ts.ThreadPool(3)
    print(pool:submit(function() return "done" end):result())
  ]])
  f:close()
  local p = assert(io.popen(('"/proc/$PPID/exe" --seed 2 "%s" 2>&1; echo "rc=$?"'):format(path)))
  local out = p:read("a")
  p:close()
  os.remove(path)
  T.eq(out, "done\nrc=0\n")
end)

---------------------------------------------------------------------------
-- Python fidelity: initializer, BrokenThreadPool, imap, exit, error names

T.test("ThreadPool: the initializer runs once in each worker with initargs (InitializerMixin)", function()
  local seen = {}
  local pool <close> = ts.ThreadPool { max_workers = 3, initializer = function(a, b)
    seen[ts.current_thread().name] = a .. b
  end, initargs = { "x", "y" } }
  local names = {}
  for i = 1, 6 do
    names[i] = pool:submit(function() ts.sleep(0.01); return ts.current_thread().name end)
  end
  for i = 1, 6 do
    local name = names[i]:result()
    T.eq(seen[name], "xy", name)
  end
  -- Positional form, as Python's ThreadPoolExecutor(max_workers, prefix, initializer, initargs).
  local count = 0
  local p2 <close> = ts.ThreadPoolExecutor(1, "init", function(n) count = count + n end, { 5 })
  p2:submit(tostring, "ran"):result()
  T.eq(count, 5)
end)

T.test("ThreadPool: a failing initializer breaks the pool (FailingInitializerMixin)", function()
  local rc, out = T.run_child([[
    local ts = require "tsbox"
    local pool = ts.ThreadPool { max_workers = 2, initializer = function() error("init failed") end }
    -- A submit that comes after a worker has failed raises at once; the
    -- ones before fail in their futures (as in Python, either may happen).
    for i = 1, 4 do
      local ok, e = pcall(function() return pool:submit(print, "task", i):result() end)
      print(ok, e.kind, e.message)
    end
    ts.sleep(1)
    local ok, e = pcall(pool.submit, pool, print)
    print(ok, e.kind)
    pool:shutdown()
  ]])
  T.eq(rc, 0, out)
  T.has(out, "Exception in initializer:")
  T.has(out, "init failed")
  local msg = "A thread initializer failed, the thread pool is not usable anymore"
  local _, broken = out:gsub("false\tBrokenThreadPool\t" .. msg .. "\n", "")
  T.eq(broken, 4, out)
  T.has(out, "false\tBrokenThreadPool\t")
  T.ok(not out:find("task"), "no task ran")
end)

T.test("ThreadPool: a non-callable initializer raises TypeError", function()
  T.raises(function() ts.ThreadPool { initializer = 3 } end, ts.TypeError, "initializer must be a callable")
  T.raises(function() ts.ThreadPool(2, nil, "f") end, ts.TypeError, "initializer must be a callable")
end)

pool_test("ThreadPool: imap yields results in order and raises at the failing call", function(pool)
  local got = {}
  local ok, e = pcall(function()
    for i, r in pool:imap(function(x)
      if x == 3 then error({ kind = "ValueError", message = "three" }) end
      ts.sleep(0.01 * (5 - x))
      return x * 10
    end, { 1, 2, 3, 4 }) do
      got[i] = r
    end
  end)
  T.eq(ok, false)
  T.eq(e.message, "three")
  T.same(got, { 10, 20 })
end)

pool_test("ThreadPool: imap gives nil results and leaving the loop early cancels the rest", function(pool)
  local gate = ts.Event()
  local n, first = 0, "unset"
  local fs = {}
  local function task(x)
    fs[x] = true
    if x > 1 then gate:wait() end
    if x > 1 then return x end
  end
  for i, r in pool:imap(task, { 1, 2, 3, 4, 5, 6, 7, 8 }) do
    n, first = i, r
    if i == 1 then break end
  end
  gate:set()
  pool:shutdown(true)
  T.eq(n, 1)
  T.eq(first, nil)
  T.eq(fs[7], nil, "task 7 was cancelled")
  T.eq(fs[8], nil, "task 8 was cancelled")
end)

pool_test("ThreadPool: imap and map raise TimeoutError; map checks a NaN timeout first", function(pool)
  T.raises(function()
    for _ in pool:imap(ts.sleep, { 0, 1 }, 0.5) do end
  end, ts.TimeoutError)
  T.raises(function() pool:map(ts.sleep, { 0 }, 0 / 0) end, ts.ValueError, "NaN")
  T.same(pool:map(math.abs, { -1, -2 }), { 1, 2 })
end)

T.test("ThreadPool: tasks submitted without shutdown still run when the main chunk ends", function()
  local rc, out = T.run_child([[
    local ts = require "tsbox"
    local pool = ts.ThreadPool(2)
    for i = 1, 4 do pool:submit(function() ts.sleep(1); print("task " .. i) end) end
    local p2 = ts.ThreadPool(1)
    p2:submit(function() ts.sleep(3); print("late") end)
    p2:shutdown(false)
    print("main done")
  ]])
  T.eq(rc, 0, out)
  T.has(out, "main done")
  for i = 1, 4 do T.has(out, "task " .. i) end
  T.has(out, "late")
end)

T.test("Future: result(timeout) raises kind TimeoutError; ts.Timeout is the same kind", function()
  T.eq(ts.Timeout, ts.TimeoutError)
  T.eq(ts.TimeoutError, "TimeoutError")
  local f = ts.Future()
  local e = T.raises(function() f:result(0) end, ts.TimeoutError)
  T.match(tostring(e), ": TimeoutError: ")
  T.eq(T.raises(function() f:cancel(); f:result() end).kind, "CancelledError")
end)

T.test("Future: a NaN timeout raises ValueError at the caller and leaves the future usable", function()
  local f = ts.Future()
  local line = debug.getinfo(1, "l").currentline + 1
  local e = T.raises(function() f:result(0 / 0) end, ts.ValueError, "NaN")
  T.match(tostring(e), "^[^:]*tests/pool%.lua:" .. line .. ":")
  T.raises(function() ts.wait({ f }, 0 / 0) end, ts.ValueError, "NaN")
  T.raises(function() ts.as_completed({ f }, 0 / 0) end, ts.ValueError, "NaN")
  ts.spawn(function() f:set_result(7) end):join()
  T.eq(f:result(), 7)
end)

T.done()
