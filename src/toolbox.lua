-- toolbox.lua: the parts of tsbox written in Lua on top of the C primitives,
-- as CPython writes threading.py / queue.py / concurrent.futures over
-- _thread: ThreadPool and futures, the queues, Timer, thread-local tables.
-- Compiled into the binary; runs once per universe with the `tsbox` module
-- table as its argument, and adds its functions to that table.
--
-- Everything here blocks only inside tsbox's own primitives (Lock,
-- Condition, Event, Thread:join), so the scheduler sees every wait: a wait
-- that can never end is reported as a deadlock (exit 3), and virtual time
-- jumps over timeouts as it does for the primitives themselves. Internal
-- primitives are named after their owner (Condition "jobs.not_empty",
-- Lock "Future-3", Event "Thread-2.finished"), so reports say who waits for
-- what; they never use up the default "Lock-N" names of user objects.
--
-- API (Python's names and semantics; Python's keyword arguments are
-- positional in Python's order, or fields of one table argument):
--
-- Queues
--   ts.Queue([maxsize=0], [name]) / ts.Queue{maxsize=, name=}: FIFO;
--   ts.LifoQueue(...): LIFO; ts.PriorityQueue(...): smallest first.
--   maxsize <= 0: unbounded. Methods: put(item, [block=true], [timeout]),
--   get([block=true], [timeout]) -> item, put_nowait(item), get_nowait(),
--   qsize(), empty(), full(), task_done(), join(), shutdown([immediate])
--   (Python 3.13: put raises ShutDown from then on, get once the queue is
--   empty, or at once with immediate, which also drops the items). Fields:
--   maxsize (may be changed), name, unfinished_tasks, is_shutdown. `block`
--   has Python's truthiness (0 does not block). Errors: Empty (get), Full (put),
--   ValueError "'timeout' must be a non-negative number" for a negative
--   timeout of a blocking call (put: only on a bounded queue, as in Python),
--   ValueError "task_done() called too many times". With block=false the
--   timeout is ignored; timeouts run on tsbox's clock. A NaN timeout is a
--   ValueError and one above TIMEOUT_MAX an OverflowError, raised before
--   the queue's lock is taken (Python spins forever on a NaN get). nil is a valid item
--   of Queue and LifoQueue (a natural sentinel). PriorityQueue compares
--   items with `<`: numbers, strings, tables with __lt, and tables without
--   __lt by their first field, so {priority, value} pairs work; items of
--   equal priority come out in the order they were put (Python does not
--   promise that; here it is deterministic). Items that cannot be compared
--   raise Lua's "attempt to compare" error at the put() call and leave the
--   queue as it was. tostring: <Queue "jobs" size=1/2 unfinished=1>.
--   Like queue.py, the storage is behind _init/_qsize/_put/_get, which an
--   instance may replace.
--   ts.SimpleQueue([name]): unbounded FIFO without task tracking; put,
--   put_nowait (never block), get, get_nowait, qsize, empty.
--
-- Futures and the pool
--   ts.ThreadPool([max_workers=4], [thread_name_prefix], [initializer],
--   [initargs]) or ts.ThreadPool{max_workers=, thread_name_prefix=,
--   initializer=, initargs=} (`name=` also works); ts.ThreadPoolExecutor is
--   the same. Each worker calls initializer(unpack(initargs)) first; if it
--   raises, the error is printed ("Exception in initializer:") and the pool
--   is broken: queued and later tasks fail with BrokenThreadPool.
--   Default prefix "ThreadPool-N"; workers are started lazily (a submit that
--   finds no idle worker starts one, up to max_workers) and named PREFIX_0,
--   PREFIX_1, ... max_workers <= 0: ValueError "max_workers must be greater
--   than 0". Python's default is min(32, cores + 4); here 4, so that runs do
--   not depend on the machine.
--   pool:submit(fn, ...) -> future; RuntimeError "cannot schedule new futures
--   after shutdown" once shut down.
--   pool:map(fn, list, [list2, ...], [timeout]) -> array of the first result
--   of fn(list[i], list2[i], ...) in input order, with field n (the lists are
--   zipped up to the shortest). Every call is submitted at once; the first
--   task error (in list order) is re-raised, and TimeoutError is raised if
--   the results are not all in within timeout; the calls not yet consumed
--   are then cancelled.
--   for i, r in pool:imap(fn, list, ...) do: Python's lazy map: the same
--   calls, results in order as they finish, a task's error raised when the
--   loop reaches it; leaving the loop early cancels the rest.
--   pool:shutdown([wait=true], [cancel_futures=false]): no more submits;
--   queued tasks still run (unless cancel_futures: they are cancelled, and
--   ts.wait/as_completed see them done at once); with wait, returns once
--   every worker has ended (ts.active_count() is back to what it was).
--   `local pool <close> = ts.ThreadPool(4)`: shutdown(true) at scope exit,
--   like `with ThreadPoolExecutor(...)`. pool:threads(): the workers started.
--   Workers are daemon threads, and, as Python does from its exit hook,
--   every pool is shut down and its workers joined when the main chunk
--   ends: tasks submitted before then run to completion without shutdown().
--   A task runs under xpcall: its error, with its traceback, stays in its
--   future and is never an uncaught thread error.
--   tostring: <ThreadPool "teller" workers=4>, "... shutdown" once shut down.
--
--   Future (from submit, or ts.Future() for code that runs tasks itself):
--   f:result([timeout]) -> the task's return values; re-raises the task's
--   error value itself (rawequal); CancelledError if cancelled; TimeoutError
--   if not done in time (ts.Timeout is the same kind).
--   f:exception([timeout]) -> error value (nil on success), traceback.
--   f:traceback() -> the task's error traceback: a tsbox error keeps its own
--   `traceback` field; for other values, debug.traceback at the raise.
--   f:done(), f:running(), f:cancelled(), f:cancel() (succeeds only while
--   pending), f:add_done_callback(fn) (fn(f) once done; an error in fn is
--   printed on stderr, not raised). For executors: f:set_running_or_notify_cancel(),
--   f:set_result(...), f:set_exception(e, [traceback]) (on a finished or
--   cancelled future: InvalidStateError "FINISHED: <Future ...>"). tostring: <Future pending>, <Future running>,
--   <Future cancelled>, <Future finished result=42>,
--   <Future finished raised ValueError> (the error's kind or Lua type).
--
--   ts.wait(futures, [timeout], [return_when=ts.ALL_COMPLETED]) -> done,
--   not_done: two sets keyed by future (done[f] == true); futures is an
--   array of futures or such a set (so not_done can be passed back in).
--   return_when: ts.FIRST_COMPLETED, ts.FIRST_EXCEPTION, ts.ALL_COMPLETED
--   (the strings of those names); anything else: ValueError.
--   for f in ts.as_completed(futures, [timeout]) do ... end: each future
--   once, those already done first, then in completion order; TimeoutError
--   "N (of M) futures unfinished" when the timeout expires first. Leaving
--   the loop early (break, error) unhooks it. As in Python, a cancelled
--   future counts as done for these two once its executor has seen the
--   cancellation (f:done() is true at once).
--
-- Timer
--   ts.Timer(interval, fn, ...) or ts.Timer{interval=, ["function"]=,
--   args={...}, name=, daemon=}: a real tsbox Thread without a target whose
--   run is replaced (default name "Thread-N", as in Python) that waits
--   interval seconds of tsbox's clock,
--   then calls fn(...) unless cancelled. t:start(), t:cancel() (before
--   firing: fn is never called and the thread ends at once; after: no-op),
--   and everything a Thread has (join, is_alive, name, daemon, ...). Extra
--   fields: interval, ["function"], args, finished (an Event).
--
-- Thread-local tables
--   ts.thread_local([defaults]): a proxy table whose fields each thread sees
--   separately (pairs and # work on the current thread's fields); each
--   thread starts with a shallow copy of defaults. A finished thread's
--   fields are collected with its thread object (weak keys).
--
-- Shared state
--   ts.shared(t, [name]) -> t: marks a table as shared state and names it
--   ("shared-N" by default), the name --race and --explain report;
--   ts.shared_name(t) gives the name back.
--
-- Also added here: ts.ThreadError and ts.Timeout (error kinds), the
-- constants ts.ALL_COMPLETED, ts.FIRST_COMPLETED, ts.FIRST_EXCEPTION, and
-- the error kinds ts.ShutDown, ts.BrokenThreadPool, ts.InvalidStateError.

local ts = ...

local Lock, Condition, Event, Semaphore, Thread = ts.Lock, ts.Condition, ts.Event, ts.Semaphore, ts.Thread
local now, current_thread, raise_ = ts.time, ts.current_thread, ts._raise
local race_acquire, race_release = ts._race_acquire, ts._race_release  -- --race: happens-before
local pack, unpack = table.pack, table.unpack
local fmt = string.format

local RuntimeError, ValueError = ts.RuntimeError, ts.ValueError
local Empty, Full, Timeout, CancelledError = ts.Empty, ts.Full, ts.TimeoutError, ts.CancelledError

-- Python's names for the toolbox's errors (kind strings, as the C ones):
-- ThreadError is RuntimeError in Python too; Timeout is tsbox's older name
-- of TimeoutError.
ts.ThreadError = RuntimeError
ts.Timeout = Timeout
ts.InvalidStateError = "InvalidStateError"
ts.BrokenThreadPool = "BrokenThreadPool"
ts.ShutDown = "ShutDown"

---------------------------------------------------------------------------
-- Helpers

-- Raises a tsbox error value; level 1 is the function calling raise().
local function raise(kind, msg, level)
  raise_(kind, msg, (level or 1) + 1)
end

local function typename(v)
  local mt = getmetatable(v)
  if type(mt) == "table" then
    local name = rawget(mt, "__name")
    if type(name) == "string" then return name end
  end
  return type(v)
end

-- Lua's standard message; `level` as for error() seen from the caller of
-- argerror (2: the caller of the function that calls argerror).
local function argerror(n, fname, expected, v, present, level)
  error(fmt("bad argument #%d to '%s' (%s expected, got %s)", n, fname, expected,
    present == false and "no value" or typename(v)), (level or 2) + 1)
end

local function callable(v)
  if type(v) == "function" then return true end
  local mt = getmetatable(v)
  return type(mt) == "table" and rawget(mt, "__call") ~= nil
end

-- A number argument (numeric strings accepted, as luaL_checknumber does).
local function checknumber(v, n, fname, level)
  local x = type(v) == "number" and v or (type(v) == "string" and tonumber(v))
  if not x then argerror(n, fname, "number", v, nil, (level or 2) + 1) end
  return x
end

-- A timeout argument: nil, or a number that is not NaN (ValueError) and
-- not above TIMEOUT_MAX (OverflowError), as tsbox's primitives say; checked
-- before any internal lock is taken, so the error is the caller's.
local function opttimeout(v, n, fname, level)
  if v == nil then return nil end
  level = (level or 2) + 1
  local x = checknumber(v, n, fname, level)
  if x ~= x then raise(ValueError, "Invalid value NaN (not a number)", level) end
  if x >= 9223372036.854775807 then
    raise(ts.OverflowError, "timestamp out of range for platform time_t", level)
  end
  if x > ts.TIMEOUT_MAX then raise(ts.OverflowError, "timeout value is too large", level) end
  return x
end

local function optstring(v, n, fname, level)
  if v == nil then return nil end
  if type(v) == "number" then return tostring(v) end
  if type(v) ~= "string" then argerror(n, fname, "string", v, nil, (level or 2) + 1) end
  return v
end

-- Constructors take positional arguments or one plain table of named fields
-- (Python's parameter names), as the C constructors do. Returns the
-- arguments as an array (with n). `level` as for argerror.
local function named(fname, fields, level, ...)
  local n = select("#", ...)
  local t = ...
  if n ~= 1 or type(t) ~= "table" or getmetatable(t) ~= nil then
    return pack(...)
  end
  local out = { n = #fields }
  local known = {}
  for i, f in ipairs(fields) do
    known[f] = i
    out[i] = t[f]
  end
  for k in pairs(t) do
    if not known[k] then
      error(fmt("unexpected field '%s' in arguments table of '%s'", tostring(k), fname), level + 1)
    end
  end
  return out
end

-- Default names: "Kind-N", one counter per kind, per universe.
local counters = {}
local function default_name(kind)
  local c = (counters[kind] or 0) + 1
  counters[kind] = c
  return kind .. "-" .. c
end

-- Re-raises an error caught from code that runs under an internal lock. A
-- Lua runtime error raised inside this file (say, comparing a number with a
-- table in a PriorityQueue) loses its internal position and gets the
-- position of the user's call instead; any other value is re-raised as is.
local function rethrow(e, level)
  if type(e) == "string" then
    local msg = e:match("^%[tsbox toolbox%]:%d+: (.*)$")
    if msg then error(msg, (level or 1) + 1) end
  end
  error(e, 0)
end

-- Every internal lock is held through a to-be-closed variable
-- (`local _ <close> = lock:hold()`), so that an error raised while it is
-- held (a bad argument, a user's _put, a maxsize that is not a number)
-- releases it on the way out instead of leaving the next caller to block
-- forever on a lock nobody holds any more.

-- A short, safe description of a value, for tostring() of objects.
local function brief(v)
  local ok, s = pcall(tostring, v)
  if not ok or type(s) ~= "string" then s = "<" .. type(v) .. ">" end
  if type(v) == "string" then s = fmt("%q", v) end
  if #s > 40 then s = s:sub(1, 37) .. "..." end
  return s
end

---------------------------------------------------------------------------
-- Queues (Python's queue.Queue, LifoQueue, PriorityQueue)
--
-- One Lock `mutex` and three Conditions on it (`not_empty`, `not_full`,
-- `all_tasks_done`), named after the queue, exactly as queue.py does; so a
-- thread stuck in q:get() shows up in a deadlock report as waiting for
-- Condition "jobs.not_empty". The storage is behind _init, _qsize, _put
-- and _get, which an instance (or a derived class) may replace, as
-- subclasses do in Python.

local Queue = {}
local LifoQueue = setmetatable({}, { __index = Queue })
local PriorityQueue = setmetatable({}, { __index = Queue })

local QUEUE_KINDS = { [Queue] = "Queue", [LifoQueue] = "LifoQueue", [PriorityQueue] = "PriorityQueue" }

local function queue_tostring(q)
  local size = q:_qsize()
  local maxsize = tonumber(q.maxsize) or 0
  local cap = maxsize > 0 and ("/" .. maxsize) or ""
  local extra = q.unfinished_tasks > 0 and (" unfinished=" .. q.unfinished_tasks) or ""
  return fmt('<%s "%s" size=%d%s%s>', q._kind, q.name, size, cap, extra)
end

local queue_mts = {}
for class, kind in pairs(QUEUE_KINDS) do
  queue_mts[class] = { __index = class, __tostring = queue_tostring, __name = "tsbox." .. kind }
end

local function new_queue(class, ...)
  local kind = QUEUE_KINDS[class]
  local a = named(kind, { "maxsize", "name" }, 3, ...)
  local maxsize = a[1] == nil and 0 or checknumber(a[1], 1, kind, 3)
  local name = optstring(a[2], 2, kind, 3) or default_name(kind)
  local q = setmetatable({ maxsize = maxsize, name = name, unfinished_tasks = 0, _kind = kind,
                           is_shutdown = false }, queue_mts[class])
  q.mutex = Lock(name .. ".mutex")
  q.not_empty = Condition(q.mutex, name .. ".not_empty")
  q.not_full = Condition(q.mutex, name .. ".not_full")
  q.all_tasks_done = Condition(q.mutex, name .. ".all_tasks_done")
  q:_init(maxsize)
  return q
end

-- FIFO storage: items[head .. tail]; nil items are fine.
function Queue:_init()
  self._items, self._head, self._tail = {}, 1, 0
end

function Queue:_qsize()
  return self._tail - self._head + 1
end

function Queue:_put(item)
  local t = self._tail + 1
  self._items[t] = item
  self._tail = t
end

function Queue:_get()
  local h = self._head
  local item = self._items[h]
  self._items[h] = nil
  if h == self._tail then
    self._head, self._tail = 1, 0
  else
    self._head = h + 1
  end
  return item
end

-- LIFO storage: items[1 .. n].
function LifoQueue:_init()
  self._items, self._n = {}, 0
end

function LifoQueue:_qsize()
  return self._n
end

function LifoQueue:_put(item)
  local n = self._n + 1
  self._items[n] = item
  self._n = n
end

function LifoQueue:_get()
  local n = self._n
  local item = self._items[n]
  self._items[n] = nil
  self._n = n - 1
  return item
end

-- Priority storage: a binary min-heap of entries {item, key, seq}. The key
-- of a table without __lt is its first field; seq breaks ties, so equal
-- priorities come out first in, first out.
local function prio_key(item)
  if type(item) == "table" then
    local mt = getmetatable(item)
    if not (type(mt) == "table" and rawget(mt, "__lt")) then return item[1] end
  end
  return item
end

local function entry_less(a, b)
  local ka, kb = a[2], b[2]
  if ka < kb then return true end
  if kb < ka then return false end
  return a[3] < b[3]
end

function PriorityQueue:_init()
  self._heap, self._n, self._seq = {}, 0, 0
end

function PriorityQueue:_qsize()
  return self._n
end

function PriorityQueue:_put(item)
  local heap = self._heap
  self._seq = self._seq + 1
  local e = { item, prio_key(item), self._seq }
  local i = self._n + 1
  while i > 1 do
    local p = i // 2
    if not entry_less(e, heap[p]) then break end
    heap[i] = heap[p]
    i = p
  end
  heap[i] = e
  self._n = self._n + 1
end

function PriorityQueue:_get()
  local heap, n = self._heap, self._n
  local top, last = heap[1], heap[n]
  heap[n] = nil
  n = n - 1
  self._n = n
  if n > 0 then
    local i = 1
    while true do
      local c = 2 * i
      if c > n then break end
      if c < n and entry_less(heap[c + 1], heap[c]) then c = c + 1 end
      if not entry_less(heap[c], last) then break end
      heap[i] = heap[c]
      i = c
    end
    heap[i] = last
  end
  return top[1]
end

-- Python's truthiness for `block`: false and 0 do not block; nil is the
-- default, true.
local function check_block(v)
  return v ~= false and v ~= 0
end

-- The queue's maxsize, which a script may change at any time; not a
-- number: an error at the user's call, `level` as for error().
local function maxsize_of(q, level)
  local m = q.maxsize
  if type(m) ~= "number" then
    error(fmt("attempt to compare %s with number (maxsize of %s)", typename(m), q.name), level + 1)
  end
  return m
end

-- What queue_put and queue_take return when the queue is shut down.
local SHUT = "shutdown"

-- Puts an item under the lock: true; or false when there is no room (no
-- wait, or the deadline passed); SHUT once the queue is shut down (Python
-- 3.13); or nil, err when _put raised. `level` is that of the user's
-- call, as seen from the caller.
local function queue_put(self, item, block, timeout, level)
  local not_full = self.not_full
  local _ <close> = not_full:hold()
  level = level + 1
  if self.is_shutdown then return SHUT end
  if maxsize_of(self, level) > 0 then
    if not block then
      if self:_qsize() >= maxsize_of(self, level) then return false end
    elseif timeout == nil then
      while self:_qsize() >= maxsize_of(self, level) do
        not_full:wait()
        if self.is_shutdown then return SHUT end
      end
    else
      local endtime = now() + timeout
      while self:_qsize() >= maxsize_of(self, level) do
        local remaining = endtime - now()
        if remaining <= 0 then return false end
        not_full:wait(remaining)
        if self.is_shutdown then return SHUT end
      end
    end
  end
  local ok, e = pcall(self._put, self, item)
  if not ok then return nil, e end
  self.unfinished_tasks = self.unfinished_tasks + 1
  race_release(self.not_empty)           -- put happens before the get that takes it
  self.not_empty:notify()
  return true
end

--- q:put(item, [block=true], [timeout]): Full when no room in time.
function Queue:put(item, block, timeout)
  block = check_block(block)
  timeout = opttimeout(timeout, 3, "put")
  if block and timeout and timeout < 0 and maxsize_of(self, 2) > 0 then
    raise(ValueError, "'timeout' must be a non-negative number", 2)
  end
  local ok, e = queue_put(self, item, block, timeout, 2)
  if ok == true then return end
  if ok == nil then rethrow(e, 2) end
  if ok == SHUT then raise(ts.ShutDown, "queue is shut down", 2) end
  raise(Full, "queue is full", 2)
end

-- Takes an item under the lock: true, item; or false when the queue stays
-- empty (no wait, or the deadline passed); SHUT when it is shut down and
-- empty; or nil, err when _get raised.
local function queue_take(self, block, timeout)
  local not_empty = self.not_empty
  local _ <close> = not_empty:hold()
  if self.is_shutdown and self:_qsize() == 0 then return SHUT end
  if not block then
    if self:_qsize() == 0 then return false end
  elseif timeout == nil then
    while self:_qsize() == 0 do
      not_empty:wait()
      if self.is_shutdown and self:_qsize() == 0 then return SHUT end
    end
  else
    local endtime = now() + timeout
    while self:_qsize() == 0 do
      local remaining = endtime - now()
      if remaining <= 0 then return false end
      not_empty:wait(remaining)
      if self.is_shutdown and self:_qsize() == 0 then return SHUT end
    end
  end
  local ok, item = pcall(self._get, self)
  if not ok then return nil, item end
  race_acquire(not_empty)
  self.not_full:notify()
  return true, item
end

-- Queue:get and SimpleQueue:get; errors at `level` as seen from the caller.
local function queue_get(self, block, timeout, level)
  level = level + 1
  block = check_block(block)
  timeout = opttimeout(timeout, 2, "get", level)
  if block and timeout and timeout < 0 then
    raise(ValueError, "'timeout' must be a non-negative number", level)
  end
  local ok, item = queue_take(self, block, timeout)
  if ok == true then return item end
  if ok == nil then rethrow(item, level) end
  if ok == SHUT then raise(ts.ShutDown, "queue is shut down", level) end
  raise(Empty, "queue is empty", level)
end

--- q:get([block=true], [timeout]) -> item: Empty when nothing comes in time.
function Queue:get(block, timeout)
  local item = queue_get(self, block, timeout, 2)
  return item
end

function Queue:put_nowait(item)
  local ok, e = queue_put(self, item, false, nil, 2)
  if ok == true then return end
  if ok == nil then rethrow(e, 2) end
  if ok == SHUT then raise(ts.ShutDown, "queue is shut down", 2) end
  raise(Full, "queue is full", 2)
end

function Queue:get_nowait()
  local item = queue_get(self, false, nil, 2)
  return item
end

function Queue:qsize()
  local _ <close> = self.mutex:hold()
  return self:_qsize()
end

function Queue:empty()
  return self:qsize() == 0
end

function Queue:full()
  local _ <close> = self.mutex:hold()
  local maxsize = maxsize_of(self, 2)
  return maxsize > 0 and self:_qsize() >= maxsize
end

--- q:task_done(): one item taken earlier is fully processed.
function Queue:task_done()
  local _ <close> = self.all_tasks_done:hold()
  local unfinished = self.unfinished_tasks - 1
  if unfinished <= 0 then
    if unfinished < 0 then raise(ValueError, "task_done() called too many times", 2) end
    self.all_tasks_done:notify_all()
  end
  self.unfinished_tasks = unfinished
  race_release(self.all_tasks_done)      -- task_done happens before join returns
end

--- q:join(): blocks until every item put has been marked task_done().
function Queue:join()
  local cond = self.all_tasks_done
  local _ <close> = cond:hold()
  while self.unfinished_tasks > 0 do cond:wait() end
  race_acquire(cond)
end

--- q:shutdown([immediate=false]) (Python 3.13): put raises ShutDown from
--- now on, and get once the queue is empty; with immediate, the queue is
--- emptied (each item counts as task_done) and get raises at once. Every
--- blocked put, get and join is woken to see it.
function Queue:shutdown(immediate)
  local _ <close> = self.mutex:hold()
  self.is_shutdown = true
  if immediate then
    while self:_qsize() > 0 do
      self:_get()
      if self.unfinished_tasks > 0 then self.unfinished_tasks = self.unfinished_tasks - 1 end
    end
    self.all_tasks_done:notify_all()
  end
  self.not_empty:notify_all()
  self.not_full:notify_all()
end

function ts.Queue(...)
  local q = new_queue(Queue, ...)
  return q
end

function ts.LifoQueue(...)
  local q = new_queue(LifoQueue, ...)
  return q
end

function ts.PriorityQueue(...)
  local q = new_queue(PriorityQueue, ...)
  return q
end

-- SimpleQueue (Python's queue.SimpleQueue): an unbounded FIFO without
-- task tracking: put never blocks (block and timeout are accepted and
-- ignored, as in Python), get as Queue's. It keeps a Queue inside.
local SimpleQueue = {}
local simple_mt = { __index = SimpleQueue, __name = "tsbox.SimpleQueue" }

function simple_mt.__tostring(s)
  return fmt('<SimpleQueue "%s" size=%d>', s.name, s._q:_qsize())
end

--- ts.SimpleQueue([name]) or ts.SimpleQueue{name=}.
function ts.SimpleQueue(...)
  local a = named("SimpleQueue", { "name" }, 2, ...)
  local name = optstring(a[1], 1, "SimpleQueue") or default_name("SimpleQueue")
  local q = new_queue(Queue, 0, name)
  return setmetatable({ name = name, _q = q }, simple_mt)
end

function SimpleQueue:put(item)
  local ok, e = queue_put(self._q, item, true, nil, 2)
  if ok == nil then rethrow(e, 2) end
end

SimpleQueue.put_nowait = SimpleQueue.put

function SimpleQueue:get(block, timeout)
  local item = queue_get(self._q, block, timeout, 2)
  return item
end

function SimpleQueue:get_nowait()
  local item = queue_get(self._q, false, nil, 2)
  return item
end

function SimpleQueue:qsize()
  return self._q:qsize()
end

function SimpleQueue:empty()
  return self._q:qsize() == 0
end

---------------------------------------------------------------------------
-- Futures (Python's concurrent.futures._base)

local PENDING, RUNNING, CANCELLED, CANCELLED_AND_NOTIFIED, FINISHED =
  "pending", "running", "cancelled", "cancelled_and_notified", "finished"

ts.FIRST_COMPLETED = "FIRST_COMPLETED"
ts.FIRST_EXCEPTION = "FIRST_EXCEPTION"
ts.ALL_COMPLETED = "ALL_COMPLETED"
local AS_COMPLETED = "_AS_COMPLETED"

local Future = {}
local future_mt = { __index = Future, __name = "tsbox.Future" }
local future_serial = 0

local function is_future(v)
  return getmetatable(v) == future_mt
end

function future_mt.__tostring(f)
  local st = f._state
  if st == FINISHED then
    if f._failed then
      local e = f._exception
      local what = type(e) == "table" and type(rawget(e, "kind")) == "string" and e.kind or typename(e)
      return "<Future finished raised " .. what .. ">"
    end
    local r = f._result
    if r.n == 0 then return "<Future finished>" end
    return "<Future finished result=" .. brief(r[1]) .. ">"
  elseif st == CANCELLED or st == CANCELLED_AND_NOTIFIED then
    return "<Future cancelled>"
  end
  return "<Future " .. st .. ">"
end

--- ts.Future(): a pending future, for code that runs tasks itself.
function ts.Future()
  future_serial = future_serial + 1
  local name = "Future-" .. future_serial
  local f = setmetatable({ _state = PENDING, _waiters = {}, _callbacks = {},
                           _serial = future_serial, name = name }, future_mt)
  f._cond = Condition(Lock(name), name)
  return f
end

-- Waiters: one per ts.wait / ts.as_completed call, told by each future of
-- the set when it finishes (Python's _Waiter classes).
local function waiter_add(w, f, how)
  local _ <close> = w.lock:hold()
  w.finished[#w.finished + 1] = f
  if w.kind == AS_COMPLETED or w.kind == ts.FIRST_COMPLETED then
    w.event:set()
  elseif how == "exception" and w.kind == ts.FIRST_EXCEPTION then
    w.event:set()
  else
    w.pending = w.pending - 1
    if w.pending == 0 then w.event:set() end
  end
end

local function remove_waiter(f, w)
  local ws = f._waiters
  for i = #ws, 1, -1 do
    if ws[i] == w then
      table.remove(ws, i)
      return
    end
  end
end

-- Calls a done callback; an error is printed (as Python logs it), not raised.
local function call_back(f, cb)
  local ok, e = xpcall(cb, function(e)
    local msg = type(e) == "string" and e or ("(error object is a " .. typename(e) .. " value)")
    if type(e) == "table" and type(rawget(e, "kind")) == "string" then msg = tostring(e) end
    return debug.traceback(msg, 2)
  end, f)
  if not ok then
    io.stdout:flush()
    io.stderr:write(fmt("exception calling callback for %s:\n%s\n", tostring(f), e))
    io.stderr:flush()
  end
end

local function invoke_callbacks(f)
  for _, cb in ipairs(f._callbacks) do call_back(f, cb) end
end

local function is_done(st)
  return st == CANCELLED or st == CANCELLED_AND_NOTIFIED or st == FINISHED
end

--- f:cancel() -> true if the future is (now) cancelled; false when it is
--- running or finished.
local function cancel_locked(f)
  local c = f._cond
  local _ <close> = c:hold()
  local st = f._state
  if st == RUNNING or st == FINISHED then return false end
  if st == CANCELLED or st == CANCELLED_AND_NOTIFIED then return true, false end
  f._state = CANCELLED
  c:notify_all()
  return true, true
end

function Future:cancel()
  local ok, now_cancelled = cancel_locked(self)
  if now_cancelled then invoke_callbacks(self) end
  return ok
end

local function state_of(f)
  local _ <close> = f._cond:hold()
  local st = f._state
  if st == FINISHED then race_acquire(f._cond) end   -- done() is true: the task happened before
  return st
end

function Future:cancelled()
  local st = state_of(self)
  return st == CANCELLED or st == CANCELLED_AND_NOTIFIED
end

function Future:running()
  return state_of(self) == RUNNING
end

function Future:done()
  return is_done(state_of(self))
end

-- Waits (holding the condition) until the future is done or the deadline;
-- returns its state.
local function wait_done(f, timeout)
  local c = f._cond
  local _ <close> = c:hold()
  if not is_done(f._state) then
    if timeout == nil then
      while not is_done(f._state) do c:wait() end
    else
      local endtime = now() + timeout
      while not is_done(f._state) do
        local remaining = endtime - now()
        if remaining <= 0 then break end
        c:wait(remaining)
      end
    end
  end
  local st = f._state
  if st == FINISHED then race_acquire(c) end
  return st
end

local function timeout_message(timeout)
  return fmt("future not done after %g s", timeout)
end

--- f:result([timeout]): the task's return values; re-raises the task's
--- error value; CancelledError if cancelled; TimeoutError on expiry.
function Future:result(timeout)
  timeout = opttimeout(timeout, 1, "result")
  local st = wait_done(self, timeout)
  if st == FINISHED then
    if self._failed then error(self._exception, 0) end
    local r = self._result
    return unpack(r, 1, r.n)
  elseif st == PENDING or st == RUNNING then
    raise(Timeout, timeout_message(timeout), 2)
  end
  raise(CancelledError, "the future was cancelled", 2)
end

--- f:exception([timeout]): the task's error value (nil if it succeeded),
--- and the traceback of the error.
function Future:exception(timeout)
  timeout = opttimeout(timeout, 1, "exception")
  local st = wait_done(self, timeout)
  if st == FINISHED then
    if self._failed then return self._exception, self._traceback end
    return nil
  elseif st == PENDING or st == RUNNING then
    raise(Timeout, timeout_message(timeout), 2)
  end
  raise(CancelledError, "the future was cancelled", 2)
end

--- f:traceback(): the traceback of the task's error (nil if none).
function Future:traceback()
  return self._traceback
end

--- f:add_done_callback(fn): fn(f) when the future is done (now if it is).
function Future:add_done_callback(fn)
  if not callable(fn) then argerror(1, "add_done_callback", "function", fn) end
  local function add_locked()
    local _ <close> = self._cond:hold()
    if is_done(self._state) then return false end
    self._callbacks[#self._callbacks + 1] = fn
    return true
  end
  if not add_locked() then call_back(self, fn) end
end

--- f:set_running_or_notify_cancel(): for executors. true: the future is
--- now running; false: it was cancelled (waiters are told).
function Future:set_running_or_notify_cancel()
  local _ <close> = self._cond:hold()
  local st = self._state
  if st == CANCELLED then
    self._state = CANCELLED_AND_NOTIFIED
    for _, w in ipairs(self._waiters) do waiter_add(w, self, "cancelled") end
    return false
  elseif st == PENDING then
    self._state = RUNNING
    return true
  end
  raise(RuntimeError, "Future in unexpected state: " .. tostring(self), 2)
end

local function finish_locked(f, failed, value, tb)
  local c = f._cond
  local _ <close> = c:hold()
  local st = f._state
  if st == CANCELLED or st == CANCELLED_AND_NOTIFIED or st == FINISHED then return false end
  if failed then
    f._failed, f._exception, f._traceback = true, value, tb
  else
    f._result = value
  end
  f._state = FINISHED
  race_release(c)                        -- the task happens before result() returns
  for _, w in ipairs(f._waiters) do waiter_add(w, f, failed and "exception" or "result") end
  c:notify_all()
  return true
end

local function set_outcome(f, failed, value, tb)
  if not finish_locked(f, failed, value, tb) then return false end
  invoke_callbacks(f)
  return true
end

-- Python's InvalidStateError for a future already finished or cancelled:
-- "FINISHED: <Future ...>". `level` as for error().
local function invalid_state(f, level)
  local st = state_of(f)
  if st == CANCELLED_AND_NOTIFIED then st = CANCELLED end
  raise(ts.InvalidStateError, st:upper() .. ": " .. tostring(f), level)
end

--- f:set_result(...): for executors; the values f:result() returns.
function Future:set_result(...)
  if not set_outcome(self, false, pack(...)) then invalid_state(self, 3) end
end

--- f:set_exception(e, [traceback]): for executors; the error f:result()
--- re-raises.
function Future:set_exception(e, tb)
  if tb == nil and type(e) == "table" then tb = rawget(e, "traceback") end
  if not set_outcome(self, true, e, tb) then invalid_state(self, 3) end
end

-- The futures of `fs` (an array, or a set keyed by future), each once, in
-- array order then set order.
local function collect_futures(fs, fname)
  if type(fs) ~= "table" or is_future(fs) then argerror(1, fname, "table", fs, nil, 3) end
  local list, seen = {}, {}
  local function add(f)
    if not seen[f] then
      seen[f] = true
      list[#list + 1] = f
    end
  end
  local n = #fs
  for i = 1, n do
    local f = fs[i]
    if not is_future(f) then
      error(fmt("bad argument #1 to '%s' (element %d is a %s, not a future)", fname, i, typename(f)), 3)
    end
    add(f)
  end
  for k, v in pairs(fs) do
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then
      if is_future(k) then add(k)
      elseif is_future(v) then add(v)
      else
        error(fmt("bad argument #1 to '%s' (futures expected, found a %s)", fname, typename(v)), 3)
      end
    end
  end
  return list
end

-- Locks every future's condition, in a fixed order (Python's
-- _AcquireFutures); closing the value returned releases them all.
local all_locked_mt = {
  __close = function(sorted)
    for i = #sorted, 1, -1 do sorted[i]._cond:release() end
  end,
}

local function acquire_all(list)
  local sorted = table.move(list, 1, #list, 1, {})
  table.sort(sorted, function(a, b) return a._serial < b._serial end)
  local held = setmetatable({}, all_locked_mt)
  for i, f in ipairs(sorted) do
    f._cond:acquire()
    held[i] = f
  end
  return held
end

local function unhook(f, waiter)
  local _ <close> = f._cond:hold()
  remove_waiter(f, waiter)
end

local function finished_state(st)
  return st == CANCELLED_AND_NOTIFIED or st == FINISHED
end

local function new_waiter(kind, pending)
  return { kind = kind, pending = pending, finished = {},
           lock = Lock("waiter"), event = Event(kind == AS_COMPLETED and "as_completed" or "wait") }
end

--- ts.wait(futures, [timeout], [return_when=ALL_COMPLETED]) -> done, not_done
--- (two sets keyed by future). A cancelled future counts as done once its
--- executor has seen the cancellation, as in Python.
function ts.wait(fs, timeout, return_when)
  local list = collect_futures(fs, "wait")
  timeout = opttimeout(timeout, 2, "wait")
  if return_when == nil then return_when = ts.ALL_COMPLETED end
  if return_when ~= ts.FIRST_COMPLETED and return_when ~= ts.FIRST_EXCEPTION and
     return_when ~= ts.ALL_COMPLETED then
    raise(ValueError, "Invalid return condition: " .. brief(return_when), 2)
  end
  local done, ndone = {}, 0
  local function result()
    local not_done = {}
    for _, f in ipairs(list) do
      if not done[f] then not_done[f] = true else race_acquire(f._cond) end
    end
    return done, not_done
  end
  -- Under every future's lock: nil when enough are done, else a waiter
  -- hooked to each future.
  local function install()
    local _ <close> = acquire_all(list)
    for _, f in ipairs(list) do
      if finished_state(f._state) then
        done[f] = true
        ndone = ndone + 1
      end
    end
    local enough = ndone == #list
    if ndone > 0 then
      if return_when == ts.FIRST_COMPLETED then
        enough = true
      elseif return_when == ts.FIRST_EXCEPTION then
        for f in pairs(done) do
          if f._state == FINISHED and f._failed then enough = true end
        end
      end
    end
    if enough then return nil end
    local waiter = new_waiter(return_when, #list - ndone)
    for _, f in ipairs(list) do f._waiters[#f._waiters + 1] = waiter end
    return waiter
  end
  local waiter = install()
  if waiter == nil then return result() end
  do
    local _ <close> = setmetatable({}, { __close = function()
      for _, f in ipairs(list) do unhook(f, waiter) end
    end })
    waiter.event:wait(timeout)
  end
  for _, f in ipairs(waiter.finished) do done[f] = true end
  return result()
end

--- for f in ts.as_completed(futures, [timeout]) do ... end: each future as
--- it completes (those already done first); TimeoutError if the timeout expires
--- first. Leaving the loop early (break, error) is fine.
function ts.as_completed(fs, timeout)
  local list = collect_futures(fs, "as_completed")
  timeout = opttimeout(timeout, 2, "as_completed")
  local end_time = timeout and now() + timeout
  local total = #list
  local ready, pending, npending = {}, {}, 0
  local waiter = new_waiter(AS_COMPLETED, 0)
  local installed = {}
  do
    local _ <close> = acquire_all(list)
    for _, f in ipairs(list) do
      if finished_state(f._state) then
        ready[#ready + 1] = f
      else
        pending[f] = true
        npending = npending + 1
      end
    end
    for _, f in ipairs(list) do
      f._waiters[#f._waiters + 1] = waiter
      installed[f] = true
    end
  end

  local closed = false
  local function cleanup()
    if closed then return end
    closed = true
    for f in pairs(installed) do unhook(f, waiter) end
    installed = {}
  end

  local ri = 1
  local function iter()
    while true do
      local f = ready[ri]
      if f ~= nil then
        ready[ri] = nil
        ri = ri + 1
        if pending[f] then
          pending[f] = nil
          npending = npending - 1
        end
        if installed[f] then
          installed[f] = nil
          unhook(f, waiter)
        end
        race_acquire(f._cond)
        return f
      end
      if npending == 0 or closed then
        cleanup()
        return nil
      end
      local wait_timeout
      if end_time then
        wait_timeout = end_time - now()
        if wait_timeout <= 0 then
          cleanup()
          raise(Timeout, fmt("%d (of %d) futures unfinished", npending, total), 2)
        end
      end
      waiter.event:wait(wait_timeout)
      local _ <close> = waiter.lock:hold()
      ready, ri = waiter.finished, 1
      waiter.finished = {}
      waiter.event:clear()
    end
  end
  return iter, nil, nil, setmetatable({}, { __close = cleanup })
end

---------------------------------------------------------------------------
-- ThreadPool (Python's concurrent.futures.ThreadPoolExecutor)
--
-- submit() puts a work item on an unbounded Queue; worker threads (started
-- lazily, one per submit that finds no idle worker, up to max_workers)
-- take items and run them under xpcall, so a task's error lands in its
-- future and never counts as an uncaught thread error. shutdown() puts one
-- sentinel that each worker passes on before it ends.

local DEFAULT_MAX_WORKERS = 4

local ThreadPool = {}
local pool_mt = { __index = ThreadPool, __name = "tsbox.ThreadPool" }
local SENTINEL = setmetatable({}, { __name = "tsbox.ThreadPool.sentinel" })

function pool_mt.__tostring(p)
  return fmt('<ThreadPool "%s" workers=%d%s>', p.name, p.max_workers,
    p._shutdown and " shutdown" or "")
end

function pool_mt.__close(p)
  p:shutdown(true)
end

local function run_item(item)
  local f = item.future
  -- (pcall: a future finished by hand with set_result is skipped, it does
  -- not kill the worker)
  local ok, running = pcall(f.set_running_or_notify_cancel, f)
  if not (ok and running) then return end
  local tb
  local function handler(e)
    if type(e) == "table" and type(rawget(e, "traceback")) == "string" then
      tb = rawget(e, "traceback")
    else
      local msg = type(e) == "string" and e or ("(error object is a " .. typename(e) .. " value)")
      tb = debug.traceback(msg, 2)
    end
    return e
  end
  local args = item.args
  local r = pack(xpcall(item.fn, handler, unpack(args, 1, args.n)))
  if r[2] == "not enough memory" and not r[1] then
    -- Lua's memory error (a user's error() would carry a position): let it
    -- end the worker, so that tsbox reports a hit --max-memory (exit 4).
    set_outcome(f, true, r[2], tb)
    error(r[2], 0)
  end
  if r[1] then
    set_outcome(f, false, pack(unpack(r, 2, r.n)))
  else
    set_outcome(f, true, r[2], tb)
  end
end

-- Python's _initializer_failed: the pool is broken; every queued task's
-- future fails with BrokenThreadPool, and so does every later submit.
local BROKEN_MESSAGE = "A thread initializer failed, the thread pool is not usable anymore"

local function pool_broken(pool)
  do
    local _ <close> = pool._shutdown_lock:hold()
    pool._broken = BROKEN_MESSAGE
  end
  while true do
    local ok, item = queue_take(pool._queue, false)
    if not ok then break end
    if item == SENTINEL then
      pool._queue:put(SENTINEL)
      break
    end
    local f = item.future
    if f:cancelled() then
      pcall(f.set_running_or_notify_cancel, f)
    else
      local _, e = pcall(raise_, ts.BrokenThreadPool, BROKEN_MESSAGE, 1)
      set_outcome(f, true, e, rawget(e, "traceback"))
    end
  end
end

-- The initializer, protected: false (after printing the error as Python
-- logs it) when it raised.
local function run_initializer(pool)
  local init = pool._initializer
  if init == nil then return true end
  local args = pool._initargs
  local ok, e = xpcall(init, function(e)
    local msg = type(e) == "table" and type(rawget(e, "kind")) == "string" and tostring(e) or
      (type(e) == "string" and e or ("(error object is a " .. typename(e) .. " value)"))
    return debug.traceback(msg, 2)
  end, unpack(args, 1, args.n))
  if ok then return true end
  io.stdout:flush()
  io.stderr:write("Exception in initializer:\n", e, "\n")
  io.stderr:flush()
  return false
end

local function worker(pool)
  local q = pool._queue
  if not run_initializer(pool) then
    pool_broken(pool)
    return
  end
  while true do
    local ok, item = queue_take(q, false)
    if not ok then
      pool._idle:release()       -- idle: the next submit need not start a worker
      item = select(2, queue_take(q, true))
    end
    if item == SENTINEL then
      q:put(SENTINEL)            -- for the next worker
      return
    end
    run_item(item)
  end
end

-- Every pool, for the exit hook (weak: a pool nobody can reach any more
-- has no worker left to wait for).
local live_pools = setmetatable({}, { __mode = "k" })
local pool_serial = 0

--- ts.ThreadPool([max_workers=4], [thread_name_prefix], [initializer], [initargs])
--- or ts.ThreadPool{max_workers=, thread_name_prefix=, initializer=, initargs=}
--- (also `name=`).
function ts.ThreadPool(...)
  local a = named("ThreadPool", { "max_workers", "thread_name_prefix", "initializer", "initargs", "name" },
    2, ...)
  local max_workers = a[1]
  if max_workers == nil then
    max_workers = DEFAULT_MAX_WORKERS
  else
    max_workers = checknumber(max_workers, 1, "ThreadPool")
    if math.type(max_workers) == "float" then
      if max_workers ~= math.floor(max_workers) or max_workers ~= max_workers then
        error("bad argument #1 to 'ThreadPool' (number has no integer representation)", 2)
      end
      max_workers = math.tointeger(max_workers) or max_workers
    end
    if max_workers <= 0 then raise(ValueError, "max_workers must be greater than 0", 2) end
  end
  local prefix = optstring(a[2], 2, "ThreadPool") or optstring(a[5], 2, "ThreadPool")
  if prefix == nil or prefix == "" then prefix = default_name("ThreadPool") end
  local initializer, initargs = a[3], a[4]
  if initializer ~= nil and not callable(initializer) then
    raise(ts.TypeError, "initializer must be a callable", 2)
  end
  if initargs ~= nil and type(initargs) ~= "table" then argerror(4, "ThreadPool", "table", initargs) end
  initargs = initargs and pack(unpack(initargs, 1, initargs.n or #initargs)) or pack()
  pool_serial = pool_serial + 1
  local p = setmetatable({ max_workers = max_workers, name = prefix, _threads = {},
                           _shutdown = false, _initializer = initializer, _initargs = initargs,
                           _serial = pool_serial }, pool_mt)
  live_pools[p] = true
  p._queue = ts.Queue(0, prefix .. ".work")
  p._idle = Semaphore(0, prefix .. ".idle")
  p._shutdown_lock = Lock(prefix .. ".shutdown")
  return p
end

-- Queues a call; the future, or nil and the error kind and message.
local function pool_submit(self, fn, args)
  local _ <close> = self._shutdown_lock:hold()
  if self._broken then return nil, ts.BrokenThreadPool, self._broken end
  if self._shutdown then
    return nil, RuntimeError, "cannot schedule new futures after shutdown"
  end
  local f = ts.Future()
  self._queue:put({ future = f, fn = fn, args = args })
  -- Start a worker unless one is idle (Python's _adjust_thread_count).
  if not self._idle:acquire(false) then
    local n = #self._threads
    if n < self.max_workers then
      local t = Thread { target = worker, args = { self }, name = self.name .. "_" .. n, daemon = true }
      self._threads[n + 1] = t
      t:start()
    end
  end
  return f
end

--- pool:submit(fn, ...) -> future of fn(...).
function ThreadPool:submit(...)
  local fn = ...
  if not callable(fn) then argerror(1, "submit", "function", fn, select("#", ...) > 0) end
  local f, kind, msg = pool_submit(self, fn, pack(select(2, ...)))
  if not f then raise(kind, msg, 2) end
  return f
end

-- map and imap: check the arguments and submit every call at once (as
-- Python's Executor.map does); returns the futures (with n), the timeout
-- and the deadline. Errors at level 3 (the user's call of the method).
local function map_submit(self, fname, fn, ...)
  if not callable(fn) then argerror(1, fname, "function", fn, nil, 3) end
  local nargs = select("#", ...)
  local lists, timeout = {}, nil
  for i = 1, nargs do
    local v = select(i, ...)
    if type(v) == "table" and #lists == i - 1 then
      lists[i] = v
    elseif i == nargs and i > 1 and (v == nil or type(v) == "number") then
      timeout = opttimeout(v, i + 1, fname, 3)
    else
      argerror(i + 1, fname, "table", v, nil, 3)
    end
  end
  if #lists == 0 then argerror(2, fname, "table", nil, false, 3) end
  local n = math.huge
  for _, l in ipairs(lists) do n = math.min(n, #l) end
  local end_time = timeout and now() + timeout
  local fs = { n = n }
  for i = 1, n do
    local args = {}
    for j, l in ipairs(lists) do args[j] = l[i] end
    args.n = #lists
    local f, kind, msg = pool_submit(self, fn, args)
    if not f then
      for k = 1, i - 1 do fs[k]:cancel() end
      raise(kind, msg, 3)
    end
    fs[i] = f
  end
  return fs, timeout, end_time
end

-- The i-th result of a map: its first value; re-raises the task's error,
-- raises TimeoutError past the deadline or CancelledError, and then
-- cancels the futures not yet consumed. `level` as for error().
local function map_result(fs, i, timeout, end_time, level)
  local f = fs[i]
  local st = wait_done(f, end_time and end_time - now())
  if st ~= FINISHED or f._failed then
    for k = i, fs.n do fs[k]:cancel() end
    if st == FINISHED then error(f._exception, 0) end
    if st == PENDING or st == RUNNING then raise(Timeout, timeout_message(timeout), level + 1) end
    raise(CancelledError, "the future was cancelled", level + 1)
  end
  fs[i] = nil
  return f._result[1]
end

--- pool:map(fn, list, [list2, ...], [timeout]) -> array of fn(list[i], list2[i],
--- ...) (first results, with field n), in order; the lists are zipped up to
--- the shortest. Re-raises the first task error in list order, raises
--- TimeoutError if all results are not in within timeout; then the futures
--- not yet consumed are cancelled.
function ThreadPool:map(fn, ...)
  local fs, timeout, end_time = map_submit(self, "map", fn, ...)
  local results = { n = fs.n }
  for i = 1, fs.n do results[i] = map_result(fs, i, timeout, end_time, 2) end
  return results
end

--- for r in pool:imap(fn, list, [list2, ...], [timeout]) do ... end: the
--- lazy form, as Python's Executor.map: every call is submitted at once,
--- results come in input order as they finish, and a task's error is
--- raised when the loop reaches it (after the results before it). Leaving
--- the loop early cancels the calls not yet consumed.
function ThreadPool:imap(fn, ...)
  local fs, timeout, end_time = map_submit(self, "imap", fn, ...)
  local i = 0
  local function iter()
    if i >= fs.n then return nil end
    i = i + 1
    return i, map_result(fs, i, timeout, end_time, 2)
  end
  local closer = setmetatable({}, { __close = function()
    for k = i + 1, fs.n do
      if fs[k] then fs[k]:cancel() end
    end
  end })
  return iter, nil, nil, closer
end

--- pool:shutdown([wait=true], [cancel_futures=false]): no more submits;
--- with wait, returns when every worker has ended. Cancelled queued futures
--- are told to their waiters at once.
function ThreadPool:shutdown(wait, cancel_futures)
  if wait == nil then wait = true end
  do
    local _ <close> = self._shutdown_lock:hold()
    self._shutdown = true
    if cancel_futures then
      while true do
        local ok, item = queue_take(self._queue, false)
        if not ok then break end
        if item ~= SENTINEL then
          item.future:cancel()
          item.future:set_running_or_notify_cancel()
        end
      end
    end
    self._queue:put(SENTINEL)
  end
  if wait then
    local me = current_thread()
    for _, t in ipairs(self._threads) do
      if t ~= me then t:join() end
    end
  end
end

--- The pool's worker threads started so far.
function ThreadPool:threads()
  local _ <close> = self._shutdown_lock:hold()
  return table.move(self._threads, 1, #self._threads, 1, {})
end

-- Python's concurrent.futures.thread._python_exit: when the main chunk has
-- ended, every pool is shut down and its workers joined, so tasks
-- submitted before the end run to completion (oldest pool first), also in
-- a pool shut down without waiting.
ts._register_atexit(function()
  local pools = {}
  for p in pairs(live_pools) do pools[#pools + 1] = p end
  table.sort(pools, function(a, b) return a._serial < b._serial end)
  for _, p in ipairs(pools) do p:shutdown(true) end
end)

ts.ThreadPoolExecutor = ts.ThreadPool

---------------------------------------------------------------------------
-- Timer (Python's threading.Timer): a real tsbox Thread whose target waits
-- `interval` seconds (tsbox's clock) on an Event, then calls fn(...) unless
-- cancel() set the Event first. The thread gets the fields interval,
-- ["function"], args, finished (the Event) and the method cancel(). An
-- error in fn is an uncaught error of the timer thread, as in Python.

local function timer_cancel(t)
  t.finished:set()
end

--- ts.Timer(interval, fn, ...) or ts.Timer{interval=, ["function"]=fn,
--- args={...}, name=, daemon=}.
function ts.Timer(...)
  local nargs = select("#", ...)
  local interval, fn, args, name, daemon
  local first = ...
  if nargs == 1 and type(first) == "table" and getmetatable(first) == nil then
    local a = named("Timer", { "interval", "function", "args", "name", "daemon" }, 2, first)
    interval, fn, args, name, daemon = a[1], a[2], a[3], a[4], a[5]
    if args ~= nil and type(args) ~= "table" then argerror(3, "Timer", "table", args) end
    args = args and pack(unpack(args, 1, #args)) or pack()
  else
    interval, fn = ...
    args = pack(select(3, ...))
  end
  interval = opttimeout(interval, 1, "Timer")
  if interval == nil then argerror(1, "Timer", "number", nil, nargs >= 1) end
  if not callable(fn) then argerror(2, "Timer", "function", fn, nargs >= 2) end
  name = optstring(name, 4, "Timer")
  -- As in Python, a Thread without a target whose run() is replaced; so
  -- its default name is "Thread-N", with no target in it.
  local t = Thread { name = name, daemon = daemon }
  local finished = Event(t.name .. ".finished")
  t.run = function()
    finished:wait(interval)
    if not finished:is_set() then fn(unpack(args, 1, args.n)) end
    finished:set()
  end
  t.interval = interval
  t["function"] = fn
  t.args = args
  t.finished = finished
  t.cancel = timer_cancel
  return t
end

---------------------------------------------------------------------------
-- thread_local (Python's threading.local): a proxy whose fields are kept
-- per thread, in a table weakly keyed by the thread object, so a finished
-- thread's values go away with it.

--- ts.thread_local([defaults]): each thread starts with a shallow copy of
--- defaults (if given) the first time it touches the table.
function ts.thread_local(defaults)
  if defaults ~= nil and type(defaults) ~= "table" then
    argerror(1, "thread_local", "table", defaults)
  end
  local init = {}
  if defaults then
    for k, v in pairs(defaults) do init[k] = v end
  end
  local per = setmetatable({}, { __mode = "k" })
  local function mine()
    local t = current_thread()
    local d = per[t]
    if d == nil then
      d = {}
      for k, v in pairs(init) do d[k] = v end
      per[t] = d
    end
    return d
  end
  return setmetatable({}, {
    __name = "tsbox.thread_local",
    __index = function(_, k) return mine()[k] end,
    __newindex = function(_, k, v) mine()[k] = v end,
    __pairs = function() return next, mine(), nil end,
    __len = function() return #mine() end,
    __tostring = function()
      local n = 0
      for _ in pairs(mine()) do n = n + 1 end
      return fmt('<thread_local of "%s" fields=%d>', current_thread().name, n)
    end,
  })
end

-- ts.shared(t, [name]) marks a table as shared state and names it: it
-- returns the table itself, so reads, writes, pairs and # are untouched.
-- ts.shared_name(t) gives the name back ("shared-N" by default).
local shared_names = setmetatable({}, { __mode = "k" })
local shared_count = 0

function ts.shared(t, name)
  if type(t) ~= "table" then
    error(string.format("bad argument #1 to 'shared' (table expected, got %s)", type(t)), 2)
  end
  if name ~= nil and type(name) ~= "string" then
    error(string.format("bad argument #2 to 'shared' (string expected, got %s)", type(name)), 2)
  end
  if name == nil then
    shared_count = shared_count + 1
    name = "shared-" .. shared_count
  end
  shared_names[t] = name
  ts._race_name(t, name)                 -- --race names the table so in its reports
  return t
end

function ts.shared_name(t)
  return shared_names[t]
end
