-- Queue, LifoQueue, PriorityQueue: CPython's Lib/test/test_queue.py
-- (BaseQueueTestMixin, FailingQueueTest, and the SimpleQueue cases that
-- apply to an unbounded Queue), plus tsbox's API extras.
local ts = require "tsbox"
local T = require "tap"

local pack, unpack = table.pack, table.unpack

local QUEUE_SIZE = 5

local function qfull(q)
  return q.maxsize > 0 and q:qsize() == q.maxsize
end

-- Runs block_func(...) in this thread while a trigger thread, after giving
-- it time to block, calls trigger_func (test_queue's do_blocking_test).
-- block_func must block until trigger_func has run.
local function do_blocking_test(block_func, trigger_func)
  local started = ts.Event()
  local t = ts.Thread { target = function()
    ts.sleep(0.1)
    started:set()
    trigger_func()
  end, daemon = true }
  t:start()
  local r = pack(pcall(block_func))
  T.join(t, "trigger thread")
  if not r[1] then error(r[2], 0) end
  T.ok(started:is_set(), "blocking function appeared not to block")
  return unpack(r, 2, r.n)
end

-- Same, for a block_func that must raise (do_exceptional_blocking_test):
-- returns the error value.
local function do_exceptional_blocking_test(block_func, trigger_func)
  local started = ts.Event()
  local t = ts.Thread { target = function()
    ts.sleep(0.1)
    started:set()
    trigger_func()
  end, daemon = true }
  t:start()
  local ok, e = pcall(block_func)
  T.join(t, "trigger thread")
  T.ok(not ok, "expected an error")
  T.ok(started:is_set(), "trigger thread ended but event never set")
  return e
end

---------------------------------------------------------------------------
-- BaseQueueTestMixin, for each of the three kinds

local ORDER = {
  Queue = { 111, 333, 222 },
  LifoQueue = { 222, 333, 111 },
  PriorityQueue = { 111, 222, 333 },
}

local function basic_queue_test(kind, q)
  T.eq(q:qsize(), 0, "call with an empty queue")
  T.ok(q:empty())
  T.ok(not q:full())
  q:put(111)
  q:put(333)
  q:put(222)
  T.same({ q:get(), q:get(), q:get() }, ORDER[kind], "didn't seem to queue the correct data")
  for i = 0, QUEUE_SIZE - 2 do
    q:put(i)
    T.ok(q:qsize() > 0, "queue should not be empty")
  end
  T.ok(not qfull(q), "queue should not be full")
  local last = 2 * QUEUE_SIZE
  local full = 3 * 2 * QUEUE_SIZE
  q:put(last)
  T.ok(qfull(q), "queue should be full")
  T.ok(not q:empty())
  T.ok(q:full())
  T.raises(function() q:put(full, false) end, ts.Full)
  T.raises(function() q:put(full, true, 0.01) end, ts.Full)
  -- blocking puts, unblocked by a get
  do_blocking_test(function() q:put(full) end, function() q:get() end)
  do_blocking_test(function() q:put(full, true, 10) end, function() q:get() end)
  -- empty it
  for _ = 1, QUEUE_SIZE do q:get() end
  T.eq(q:qsize(), 0, "queue should be empty")
  T.raises(function() q:get(false) end, ts.Empty)
  T.raises(function() q:get(true, 0.01) end, ts.Empty)
  -- blocking gets, unblocked by a put
  T.eq(do_blocking_test(function() return q:get() end, function() q:put("empty") end), "empty")
  T.eq(do_blocking_test(function() return q:get(true, 10) end, function() q:put("empty") end), "empty")
end

-- Two workers sum what they get until they get a negative number.
local function queue_join_test(q)
  local cum = 0
  local cumlock = ts.Lock()
  local function worker()
    while true do
      local x = q:get()
      if x < 0 then
        q:task_done()
        return
      end
      cumlock:with(function() cum = cum + x end)
      q:task_done()
    end
  end
  local threads = {}
  for i = 1, 2 do
    threads[i] = ts.Thread { target = worker, daemon = true }
    threads[i]:start()
  end
  for i = 0, 99 do q:put(i) end
  q:join()
  T.eq(cum, 99 * 100 // 2, "q:join() did not block until all tasks were done")
  for _ = 1, 2 do q:put(-1) end  -- tell the workers to end
  q:join()                       -- joining twice works
  for _, t in ipairs(threads) do T.join(t) end
end

for _, kind in ipairs { "Queue", "LifoQueue", "PriorityQueue" } do
  local new = ts[kind]

  T.test(kind .. ": task_done() on a fresh queue raises ValueError", function()
    local q = new()
    T.raises(function() q:task_done() end, ts.ValueError, "task_done() called too many times")
  end)

  T.test(kind .. ": join() waits for every task_done(), twice; then task_done() raises", function()
    local q = new()
    queue_join_test(q)
    queue_join_test(q)
    T.raises(function() q:task_done() end, ts.ValueError, "task_done() called too many times")
  end)

  T.test(kind .. ": basic put/get, order, full/empty, blocking and timeouts (twice)", function()
    local q = new(QUEUE_SIZE)
    basic_queue_test(kind, q)
    basic_queue_test(kind, q)
  end)

  T.test(kind .. ": a negative timeout raises ValueError", function()
    local q = new(QUEUE_SIZE)
    T.raises(function() q:put(1, true, -1) end, ts.ValueError, "'timeout' must be a non-negative number")
    T.raises(function() q:get(true, -1) end, ts.ValueError, "'timeout' must be a non-negative number")
  end)

  T.test(kind .. ": put_nowait raises Full, get_nowait raises Empty", function()
    local q = new(QUEUE_SIZE)
    for _ = 1, QUEUE_SIZE do q:put_nowait(1) end
    T.raises(function() q:put_nowait(1) end, ts.Full)
    for _ = 1, QUEUE_SIZE do q:get_nowait() end
    T.raises(function() q:get_nowait() end, ts.Empty)
  end)

  T.test(kind .. ": shrinking maxsize is honoured (issue 10110)", function()
    local q = new(3)
    q:put(1); q:put(2); q:put(3)
    T.raises(function() q:put_nowait(4) end, ts.Full)
    T.eq(q:qsize(), 3)
    q.maxsize = 2
    T.raises(function() q:put_nowait(4) end, ts.Full)
  end)
end

---------------------------------------------------------------------------
-- FailingQueueTest: _put/_get replaced on the instance (Python subclasses),
-- failing on demand; the queue's lock and counters must stay sound.

local function FailingQueue(size)
  local q = ts.Queue(size)
  q.fail_next_put, q.fail_next_get = false, false
  local base_put, base_get = q._put, q._get
  function q._put(self, item)
    if self.fail_next_put then
      self.fail_next_put = false
      error({ what = "FailingQueueException" })
    end
    return base_put(self, item)
  end
  function q._get(self)
    if self.fail_next_get then
      self.fail_next_get = false
      error({ what = "FailingQueueException" })
    end
    return base_get(self)
  end
  return q
end

local function is_failing(e)
  return type(e) == "table" and e.what == "FailingQueueException"
end

local function expect_failing(fn)
  local ok, e = pcall(fn)
  T.ok(not ok, "the queue didn't fail when it should have")
  T.ok(is_failing(e), "wrong error: " .. T.describe(e))
end

local function failing_queue_test(q)
  T.eq(q:qsize(), 0, "call with an empty queue")
  for i = 0, QUEUE_SIZE - 2 do q:put(i) end
  -- a failing non-blocking put
  q.fail_next_put = true
  expect_failing(function() q:put("oops", false) end)
  q.fail_next_put = true
  expect_failing(function() q:put("oops", true, 0.1) end)
  q:put("last")
  T.ok(qfull(q), "queue should be full")
  -- a failing blocking put
  q.fail_next_put = true
  expect_failing(function() do_blocking_test(function() q:put("full") end, function() q:get() end) end)
  -- the queue isn't damaged: the put failed, the get succeeded; re-add
  q:put("last")
  -- a failing timed put
  q.fail_next_put = true
  local e = do_exceptional_blocking_test(function() q:put("full", true, 10) end, function() q:get() end)
  T.ok(is_failing(e), "wrong error: " .. T.describe(e))
  q:put("last")
  T.ok(qfull(q), "queue should be full")
  q:get()
  T.ok(not qfull(q), "queue should not be full")
  q:put("last")
  T.ok(qfull(q), "queue should be full")
  -- a blocking put
  do_blocking_test(function() q:put("full") end, function() q:get() end)
  -- empty it
  for _ = 1, QUEUE_SIZE do q:get() end
  T.eq(q:qsize(), 0, "queue should be empty")
  q:put("first")
  q.fail_next_get = true
  expect_failing(function() q:get() end)
  T.ok(q:qsize() > 0, "queue should not be empty")
  q.fail_next_get = true
  expect_failing(function() q:get(true, 0.1) end)
  T.ok(q:qsize() > 0, "queue should not be empty")
  q:get()
  T.eq(q:qsize(), 0, "queue should be empty")
  q.fail_next_get = true
  e = do_exceptional_blocking_test(function() q:get() end, function() q:put("empty") end)
  T.ok(is_failing(e), "wrong error: " .. T.describe(e))
  -- the put succeeded, the get failed
  T.ok(q:qsize() > 0, "queue should not be empty")
  q:get()
  T.eq(q:qsize(), 0, "queue should be empty")
end

T.test("Queue: failing _put/_get leave the queue usable (twice)", function()
  local q = FailingQueue(QUEUE_SIZE)
  failing_queue_test(q)
  failing_queue_test(q)
  -- the mutex is free: another thread can use the queue
  T.run_bunch(1, function() q:put(1); q:get() end)
end)

---------------------------------------------------------------------------
-- BaseSimpleQueueTest, on an unbounded Queue

T.test("Queue (unbounded): basic put/get/qsize/empty and the nowait forms", function()
  local q = ts.Queue()
  T.ok(q:empty())
  T.eq(q:qsize(), 0)
  q:put(1)
  T.ok(not q:empty())
  T.eq(q:qsize(), 1)
  q:put(2)
  q:put_nowait(3)
  q:put(4)
  T.ok(not q:empty())
  T.eq(q:qsize(), 4)
  T.eq(q:get(), 1)
  T.eq(q:qsize(), 3)
  T.eq(q:get_nowait(), 2)
  T.eq(q:qsize(), 2)
  T.eq(q:get(false), 3)
  T.ok(not q:empty())
  T.eq(q:qsize(), 1)
  T.eq(q:get(true, 0.1), 4)
  T.ok(q:empty())
  T.eq(q:qsize(), 0)
  T.raises(function() q:get(false) end, ts.Empty)
  T.raises(function() q:get(true, 1e-3) end, ts.Empty)
  T.raises(function() q:get_nowait() end, ts.Empty)
  T.ok(q:empty())
  T.eq(q:qsize(), 0)
  T.ok(not q:full(), "an unbounded queue is never full")
end)

T.test("Queue (unbounded): get with a negative timeout raises ValueError even with items", function()
  local q = ts.Queue()
  q:put(1)
  T.raises(function() q:get(true, -1) end, ts.ValueError)
  T.eq(q:qsize(), 1)
end)

-- Feeders put the inputs then a sentinel each; consumers take until a
-- sentinel (BaseSimpleQueueTest.run_threads).
local SENTINEL = {}

local function run_threads(n, q, inputs, consume)
  local results, errors = {}, {}
  local seq = {}
  for i = #inputs, 1, -1 do seq[#seq + 1] = inputs[i] end
  local function feed()
    while true do
      local v = table.remove(seq)
      if v == nil then
        q:put(SENTINEL)
        return
      end
      q:put(v)
      if math.random() > 0.5 then ts.sleep(math.random() * 1e-3) end
    end
  end
  local function guarded(f)
    return function()
      local ok, e = pcall(f)
      if not ok then errors[#errors + 1] = e end
    end
  end
  local threads = {}
  for _ = 1, n do
    threads[#threads + 1] = ts.Thread { target = guarded(feed), daemon = true }
  end
  for _ = 1, n do
    threads[#threads + 1] = ts.Thread { target = guarded(function() consume(q, results) end), daemon = true }
  end
  for _, t in ipairs(threads) do t:start() end
  for _, t in ipairs(threads) do T.join(t) end
  T.eq(#errors, 0, #errors > 0 and T.describe(errors[1]) or nil)
  T.ok(q:empty())
  T.eq(q:qsize(), 0)
  return results
end

local function consume(q, results)
  while true do
    local v = q:get()
    if v == SENTINEL then return end
    table.insert(results, v) -- one C call: atomic, as list.append is in Python
  end
end

local function consume_nonblock(q, results)
  while true do
    local ok, v
    repeat
      ok, v = pcall(q.get, q, false)
      if not ok then
        T.eq(type(v) == "table" and v.kind, ts.Empty)
        ts.sleep(1e-5)
      end
    until ok
    if v == SENTINEL then return end
    table.insert(results, v) -- one C call: atomic, as list.append is in Python
  end
end

local function consume_timeout(q, results)
  while true do
    local ok, v
    repeat
      ok, v = pcall(q.get, q, true, 1e-5)
      if not ok then T.eq(type(v) == "table" and v.kind, ts.Empty) end
    until ok
    if v == SENTINEL then return end
    table.insert(results, v) -- one C call: atomic, as list.append is in Python
  end
end

local function range(n)
  local t = {}
  for i = 1, n do t[i] = i - 1 end
  return t
end

T.test("Queue (unbounded): one producer, one consumer: items arrive in order", function()
  local inputs = range(100)
  T.same(run_threads(1, ts.Queue(), inputs, consume), inputs)
end)

for _, case in ipairs {
  { "blocking get", consume, 300 },
  { "get(false) polling", consume_nonblock, 300 },
  { "get(true, 1e-5) polling", consume_timeout, 200 },
} do
  T.test("Queue (unbounded): 8 producers and 8 consumers with " .. case[1] .. ": every item once", function()
    local inputs = range(case[3])
    local results = run_threads(8, ts.Queue(), inputs, case[2])
    table.sort(results)
    T.same(results, inputs)
  end)
end

T.test("Queue: the queue drops its reference to an item once it is taken", function()
  for _, new in ipairs { ts.Queue, ts.LifoQueue, ts.PriorityQueue } do
    local q = new()
    local n = 20
    for i = 1, n do q:put({ i }) end
    for _ = 1, n do
      local wr = setmetatable({ q:get() }, { __mode = "v" })
      collectgarbage()
      collectgarbage()
      T.eq(wr[1], nil, "item still referenced after get()")
    end
  end
end)

---------------------------------------------------------------------------
-- tsbox's API: timeouts on tsbox's clock, names, tostring, argument errors

T.test("Queue: get(true, 0.5) raises Empty after 0.5 s; put(x, true, 0.5) raises Full after 0.5 s", function()
  local q = ts.Queue(1)
  local t = ts.time()
  local e = T.raises(function() q:get(true, 0.5) end, ts.Empty)
  T.timeout_ok(ts.time() - t, 0.5)
  T.has(tostring(e), "Empty")
  q:put(1)
  t = ts.time()
  T.raises(function() q:put(2, true, 0.5) end, ts.Full)
  T.timeout_ok(ts.time() - t, 0.5)
end)

T.test("Queue: with block=false the timeout is ignored, even a negative one", function()
  local q = ts.Queue(1)
  T.raises(function() q:get(false, -1) end, ts.Empty)
  T.raises(function() q:get(false, 5) end, ts.Empty)
  q:put(1, false, -1)
  T.raises(function() q:put(2, false, -1) end, ts.Full)
  T.eq(q:get(false, -1), 1)
end)

T.test("Queue: an unbounded queue ignores a negative put timeout (as Python does)", function()
  local q = ts.Queue()
  q:put(1, true, -1)
  T.eq(q:get(), 1)
end)

T.test("Queue: get(true, 0) and put(x, true, 0) only poll", function()
  local q = ts.Queue(1)
  local t = ts.time()
  T.raises(function() q:get(true, 0) end, ts.Empty)
  q:put(1, true, 0)
  T.raises(function() q:put(2, true, 0) end, ts.Full)
  T.ok(ts.time() - t < 0.5, "a zero timeout waited")
end)

T.test("Queue: a timed get returns an item that another thread puts in time", function()
  local q = ts.Queue()
  local got
  T.run_bunch(1, function() got = q:get(true, T.LIMIT) end, function()
    T.wait_threads_blocked(1)
    q:put("late")
  end)
  T.eq(got, "late")
end)

T.test("Queue: errors point at the caller's line", function()
  local q = ts.Queue(1)
  local line = debug.getinfo(1, "l").currentline + 1
  local e = T.raises(function() q:get(false) end, ts.Empty)
  T.has(tostring(e), "queue.lua:" .. line .. ":")
  T.has(e.traceback, "queue.lua:" .. line)
  line = debug.getinfo(1, "l").currentline + 1
  e = T.raises(function() q:task_done() end, ts.ValueError)
  T.has(tostring(e), "queue.lua:" .. line .. ": ValueError: task_done() called too many times")
end)

T.test("Queue and LifoQueue: nil is a valid item and size counts it", function()
  for _, new in ipairs { ts.Queue, ts.LifoQueue } do
    local q = new()
    q:put(nil)
    q:put(1)
    q:put(nil)
    T.eq(q:qsize(), 3)
    local a, b, c = q:get(), q:get(), q:get()
    T.eq(q:qsize(), 0)
    T.eq(a, nil)
    T.eq(c, nil)
    T.eq(b, 1)
    T.raises(function() q:get_nowait() end, ts.Empty)
  end
end)

T.test("Queue: FIFO order holds across many puts and gets interleaved", function()
  local q = ts.Queue()
  local out = {}
  for i = 1, 50 do
    q:put(i)
    if i % 3 == 0 then out[#out + 1] = q:get() end
  end
  while not q:empty() do out[#out + 1] = q:get() end
  local want = {}
  for i = 1, 50 do want[i] = i end
  T.same(out, want)
end)

T.test("PriorityQueue: numbers and strings come out smallest first", function()
  local q = ts.PriorityQueue()
  for _, v in ipairs { 5, 3, 9, 1, 7, 3, 0, -2, 8 } do q:put(v) end
  local out = {}
  while not q:empty() do out[#out + 1] = q:get() end
  T.same(out, { -2, 0, 1, 3, 3, 5, 7, 8, 9 })
  for _, v in ipairs { "pear", "apple", "fig" } do q:put(v) end
  T.same({ q:get(), q:get(), q:get() }, { "apple", "fig", "pear" })
end)

T.test("PriorityQueue: {priority, value} tables compare on priority; ties keep put order", function()
  local q = ts.PriorityQueue()
  q:put({ 2, "b1" })
  q:put({ 1, "a" })
  q:put({ 2, "b2" })
  q:put({ 3, "c" })
  q:put({ 2, "b3" })
  q:put({ 0, { not_comparable = true } })
  local out = {}
  while not q:empty() do
    local e = q:get()
    out[#out + 1] = type(e[2]) == "string" and e[2] or "t"
  end
  T.same(out, { "t", "a", "b1", "b2", "b3", "c" })
end)

T.test("PriorityQueue: tables with __lt are compared with it", function()
  local mt = { __lt = function(a, b) return a.p < b.p end }
  local q = ts.PriorityQueue()
  for _, p in ipairs { 3, 1, 2 } do q:put(setmetatable({ p = p }, mt)) end
  T.same({ q:get().p, q:get().p, q:get().p }, { 1, 2, 3 })
end)

T.test("PriorityQueue: incomparable items raise at the caller and leave the queue usable", function()
  local q = ts.PriorityQueue()
  q:put(1)
  local line = debug.getinfo(1, "l").currentline + 1
  local e = T.raises(function() q:put("x") end)
  T.has(tostring(e), "queue.lua:" .. line .. ": attempt to compare")
  T.eq(q:qsize(), 1, "the failed put must not count")
  T.eq(q.unfinished_tasks, 1)
  T.run_bunch(1, function() q:put(2) end) -- the lock was released
  T.same({ q:get(), q:get() }, { 1, 2 })
end)

T.test("PriorityQueue: random puts come out sorted under concurrent producers", function()
  local q = ts.PriorityQueue()
  T.run_bunch(4, function(i)
    for k = 1, 25 do q:put((k * 37 + i * 11) % 101) end
  end)
  local prev = -math.huge
  for _ = 1, 100 do
    local v = q:get()
    T.ok(v >= prev, "out of order")
    prev = v
  end
  T.ok(q:empty())
end)

T.test("Queue: tostring shows kind, name, size and bound", function()
  local q = ts.Queue(2, "jobs")
  T.eq(tostring(q), '<Queue "jobs" size=0/2>')
  q:put("a")
  T.eq(tostring(q), '<Queue "jobs" size=1/2 unfinished=1>')
  q:get()
  q:task_done()
  T.eq(tostring(q), '<Queue "jobs" size=0/2>')
  T.match(tostring(ts.Queue()), '^<Queue "Queue%-%d+" size=0>$')
  T.match(tostring(ts.LifoQueue(3)), '^<LifoQueue "LifoQueue%-%d+" size=0/3>$')
  T.match(tostring(ts.PriorityQueue()), '^<PriorityQueue "PriorityQueue%-%d+" size=0>$')
end)

T.test("Queue: table form takes maxsize and name; unknown fields are an error", function()
  local q = ts.Queue { maxsize = 2, name = "jobs" }
  T.eq(q.maxsize, 2)
  T.eq(q.name, "jobs")
  T.eq(ts.Queue {}.maxsize, 0)
  T.eq(ts.LifoQueue { name = "stack" }.name, "stack")
  T.raises(function() ts.Queue { max_size = 2 } end, nil, "unexpected field 'max_size'")
  T.eq(ts.Queue(3, "x").name, "x")
end)

T.test("Queue: default names count per kind and don't use the primitives' counters", function()
  local a, b = ts.Queue(), ts.Queue()
  local na, nb = tonumber(a.name:match("%d+$")), tonumber(b.name:match("%d+$"))
  T.eq(nb, na + 1)
  local l1, l2 = ts.Lock(), ts.Lock()
  ts.Queue()
  local l3 = ts.Lock()
  local n1, n2, n3 = tostring(l1):match("Lock%-(%d+)"), tostring(l2):match("Lock%-(%d+)"),
    tostring(l3):match("Lock%-(%d+)")
  T.eq(tonumber(n2), tonumber(n1) + 1)
  T.eq(tonumber(n3), tonumber(n2) + 1, "a Queue took a Lock-N name")
end)

T.test("Queue: wrong argument types raise bad argument errors", function()
  local q = ts.Queue()
  T.raises(function() q:get(true, "soon") end, nil, "bad argument #2 to 'get' (number expected, got string)")
  T.raises(function() q:put(1, true, {}) end, nil, "bad argument #3 to 'put' (number expected, got table)")
  T.raises(function() ts.Queue("big") end, nil, "bad argument #1 to 'Queue' (number expected, got string)")
  T.raises(function() ts.Queue(1, {}) end, nil, "bad argument #2 to 'Queue' (string expected, got table)")
end)

T.test("Queue: join() with nothing put returns at once; task_done() wakes all joiners", function()
  local q = ts.Queue()
  q:join()
  q:put(1)
  q:put(2)
  local joined = {}
  T.run_bunch(3, function(i) q:join(); joined[i] = true end, function()
    T.wait_threads_blocked(3)
    q:get(); q:task_done()
    T.wait_threads_blocked(3)
    T.eq(T.count(joined, 3), 0, "join returned with a task unfinished")
    q:get(); q:task_done()
  end)
  T.eq(T.count(joined, 3), 3)
end)

local run_child = T.run_child

T.test("Queue: get() on an empty queue nobody fills is reported as a deadlock (exit 3)", function()
  local rc, out = run_child([[
    local ts = require "tsbox"
    local q = ts.Queue(0, "jobs")
    ts.spawn(function() q:put(1) end):join()
    q:get()
    q:get()
  ]])
  T.eq(rc, 3, out)
  T.has(out, 'Condition "jobs.not_empty"')
end)

T.test("Queue: join() with an unfinished task and no worker is a deadlock (exit 3)", function()
  local rc, out = run_child([[
    local ts = require "tsbox"
    local q = ts.Queue(0, "jobs")
    q:put(1)
    q:join()
  ]], "--sched rr")
  T.eq(rc, 3, out)
  T.has(out, 'Condition "jobs.all_tasks_done"')
end)

---------------------------------------------------------------------------
-- Errors raised inside a queue call release its lock and name the caller

-- The line of the caller of this function.
local function line_here()
  return debug.getinfo(2, "l").currentline
end

T.test("Queue: an error raised inside get, put or full leaves the queue's lock free", function()
  local q = ts.Queue(1, "jobs")
  T.raises(function() q:get(true, 0 / 0) end, ts.ValueError, "NaN")
  q:put("a")
  T.raises(function() q:put("b", true, 0 / 0) end, ts.ValueError, "NaN")
  T.eq(q.mutex:locked(), false)
  q.maxsize = "x"
  T.raises(function() q:put("c") end, nil, "attempt to compare string with number")
  T.eq(q.mutex:locked(), false)
  T.raises(function() q:full() end, nil, "attempt to compare string with number")
  T.eq(q.mutex:locked(), false)
  q.maxsize = 1
  T.eq(q:get(), "a")
  q._put = function() error("broken storage") end
  T.raises(function() q:put("d") end, nil, "broken storage")
  T.eq(q.mutex:locked(), false)
  -- Another thread can still use it: nothing is left held.
  q._put = nil
  ts.spawn(function() q:put("e") end):join()
  T.eq(q:get(), "e")
end)

T.test("Queue: errors of get, put and maxsize point at the caller's line", function()
  local q = ts.Queue()
  local line, e
  line, e = line_here(), T.raises(function() q:get(true, 0 / 0) end)
  T.match(tostring(e), "^[^:]*tests/queue%.lua:" .. line .. ": ValueError")
  q.maxsize = {}
  line, e = line_here(), T.raises(function() q:put(1) end)
  T.match(tostring(e), "^[^:]*tests/queue%.lua:" .. line .. ": attempt to compare")
  q.maxsize = 0
  line, e = line_here(), T.raises(function() q:get(true, 1e300) end, ts.OverflowError)
  T.match(tostring(e), "^[^:]*tests/queue%.lua:" .. line .. ": OverflowError: timestamp out of range")
  T.eq(q.mutex:locked(), false)
  local s = ts.SimpleQueue()
  line, e = line_here(), T.raises(function() s:get(false) end)
  T.match(tostring(e), "^[^:]*tests/queue%.lua:" .. line .. ": Empty")
end)

---------------------------------------------------------------------------
-- Queue.shutdown (Python 3.13's test_queue: test_shutdown_*)

T.test("Queue.shutdown: get drains what is left, then raises ShutDown; put raises at once", function()
  local q = ts.Queue()
  T.eq(q.is_shutdown, false)
  q:put(1)
  q:put(2)
  q:shutdown()
  T.eq(q.is_shutdown, true)
  T.raises(function() q:put(3) end, ts.ShutDown)
  T.raises(function() q:put_nowait(3) end, ts.ShutDown)
  T.eq(q:get(), 1)
  T.eq(q:get_nowait(), 2)
  T.raises(function() q:get() end, ts.ShutDown)
  T.raises(function() q:get(false) end, ts.ShutDown)
  T.raises(function() q:get(true, 1) end, ts.ShutDown)
end)

T.test("Queue.shutdown(true): the items are dropped, get raises at once and join returns", function()
  local q = ts.Queue()
  q:put(1)
  q:put(2)
  local joined = false
  local j = ts.spawn(function() q:join(); joined = true end)
  T.wait_threads_blocked(1)
  q:shutdown(true)
  T.join(j, "joiner")
  T.eq(joined, true)
  T.eq(q:qsize(), 0)
  T.eq(q.unfinished_tasks, 0)
  T.raises(function() q:get() end, ts.ShutDown)
end)

T.test("Queue.shutdown: blocked getters and putters are woken with ShutDown", function()
  for _, immediate in ipairs({ false, true }) do
    local empty, full = ts.Queue(), ts.Queue(1)
    full:put("x")
    local errs = {}
    local g = ts.spawn(function() errs.get = select(2, pcall(empty.get, empty)) end)
    local p = ts.spawn(function() errs.put = select(2, pcall(full.put, full, "y")) end)
    T.wait_threads_blocked(2)
    empty:shutdown(immediate)
    full:shutdown(immediate)
    T.join(g, "getter")
    T.join(p, "putter")
    T.eq(errs.get.kind, ts.ShutDown)
    T.eq(errs.put.kind, ts.ShutDown)
  end
end)

T.test("Queue.shutdown: tostring(e) and e.kind start like Python's exception name", function()
  local q = ts.Queue()
  q:shutdown()
  local e = T.raises(function() q:get() end)
  T.eq(e.kind, "ShutDown")
  T.match(tostring(e), ": ShutDown: ")
  T.eq(T.raises(function() q:get(false) end).kind, "ShutDown")
  T.eq(T.raises(function() ts.Queue():get(false) end).kind, "Empty")
  local full = ts.Queue(1)
  full:put(1)
  T.eq(T.raises(function() full:put_nowait(2) end).kind, "Full")
end)

---------------------------------------------------------------------------
-- SimpleQueue (test_queue's SimpleQueueTest)

T.test("SimpleQueue: FIFO order, nil items, qsize and empty", function()
  local q = ts.SimpleQueue("simple")
  T.eq(q:empty(), true)
  q:put(1)
  q:put(nil)
  q:put_nowait(3)
  T.eq(q:qsize(), 3)
  T.eq(q:get(), 1)
  T.eq(q:get(), nil)
  T.eq(q:get_nowait(), 3)
  T.eq(q:empty(), true)
  T.raises(function() q:get_nowait() end, ts.Empty)
  T.raises(function() q:get(true, 0.01) end, ts.Empty)
  T.match(tostring(q), '^<SimpleQueue "simple" size=0>$')
end)

T.test("SimpleQueue: put never blocks and has no task tracking", function()
  local q = ts.SimpleQueue()
  for i = 1, 100 do q:put(i, true, 0) end
  T.eq(q:qsize(), 100)
  T.eq(q.task_done, nil)
  T.eq(q.join, nil)
  T.eq(q.full, nil)
end)

T.test("SimpleQueue: a blocked get is woken by a put from another thread", function()
  local q = ts.SimpleQueue()
  local got
  local t = ts.spawn(function() got = q:get() end)
  T.wait_threads_blocked(1)
  q:put("hello")
  T.join(t, "getter")
  T.eq(got, "hello")
end)

T.test("Queue: block=0 does not block, as in Python", function()
  local q = ts.Queue(1)
  T.raises(function() q:get(0) end, ts.Empty)
  q:put(1, 0)
  T.raises(function() q:put(2, 0) end, ts.Full)
end)

T.done()
