---@meta tsbox
-- LuaLS annotations for tsbox's Lua API: the module `tsbox` (also the
-- global `tsbox`), its classes and its error kinds. Nothing here runs: point
-- the language server at this directory (README, "Editor support").
-- tests/install.sh checks that every public name of the running binary's
-- module and every method of its objects is annotated here.

---@alias tsbox.ErrorKind
---| "RuntimeError"
---| "ValueError"
---| "TypeError"
---| "OverflowError"
---| "BrokenBarrierError"
---| "Empty"
---| "Full"
---| "ShutDown"
---| "TimeoutError"
---| "CancelledError"
---| "InvalidStateError"
---| "BrokenThreadPool"

---@alias tsbox.ReturnWhen "FIRST_COMPLETED"|"FIRST_EXCEPTION"|"ALL_COMPLETED"

---An error raised by tsbox: `tostring(e)` is `file:line: Kind: message`.
---Compare `e.kind` with the kind strings (`e.kind == ts.ValueError`).
---@class tsbox.Error
---@field kind tsbox.ErrorKind Python's exception name
---@field message string
---@field where string source position of the raise, `file:line: `
---@field traceback string Lua traceback at the raise

---The `tsbox` module: real threads and Python's `threading` primitives
---under a scheduler tsbox controls. `local ts = require "tsbox"`.
---@class tsboxlib
---@field version string tsbox's version, e.g. `"0.1.0"`
---@field TIMEOUT_MAX number the largest timeout a blocking call accepts (larger: OverflowError)
tsbox = {}

tsbox.RuntimeError = "RuntimeError"
---Python's alias of RuntimeError.
tsbox.ThreadError = "RuntimeError"
tsbox.ValueError = "ValueError"
tsbox.TypeError = "TypeError"
tsbox.OverflowError = "OverflowError"
tsbox.BrokenBarrierError = "BrokenBarrierError"
tsbox.Empty = "Empty"
tsbox.Full = "Full"
tsbox.ShutDown = "ShutDown"
tsbox.TimeoutError = "TimeoutError"
---tsbox's older name of TimeoutError (the same string).
tsbox.Timeout = "TimeoutError"
tsbox.CancelledError = "CancelledError"
tsbox.InvalidStateError = "InvalidStateError"
tsbox.BrokenThreadPool = "BrokenThreadPool"
tsbox.FIRST_COMPLETED = "FIRST_COMPLETED"
tsbox.FIRST_EXCEPTION = "FIRST_EXCEPTION"
tsbox.ALL_COMPLETED = "ALL_COMPLETED"
tsbox.TIMEOUT_MAX = 9223372036.0
tsbox.version = "0.1.0"

-- {======================================================
-- Threads
-- =======================================================

---@class tsbox.ThreadArgs
---@field target? fun(...): ... the function the thread runs
---@field args? table arguments of target
---@field name? string shown in traces and reports
---@field daemon? boolean abandoned when the program ends

---A tsbox thread: a POSIX thread running a coroutine of the one Lua
---universe. Replace `run` before `start` to "subclass" it.
---@class tsbox.Thread
---@field name string
---@field ident integer|nil small integer unique in the run; nil before start
---@field native_id integer|nil the OS thread id; nil before start
---@field daemon boolean
---@field target? function
---@field args? table
---@field result table|nil the target's return values once finished
---@field error any the error value if the target raised
local Thread = {}

---Starts the thread; a second call raises RuntimeError.
function Thread:start() end

---Waits for the thread to finish.
---@param timeout? number seconds; nil waits forever
---@return boolean finished false on timeout
function Thread:join(timeout) end

---@return boolean
function Thread:is_alive() end

---What the thread does: calls target with args. Replace it before start.
function Thread:run() end

---A new thread, not started.
---@param spec tsbox.ThreadArgs
---@return tsbox.Thread
---@overload fun(target?: function, name?: string, args?: table, daemon?: boolean): tsbox.Thread
function tsbox.Thread(spec) end

---A started thread running `fn(...)`.
---@param fn function
---@param ... any
---@return tsbox.Thread
function tsbox.spawn(fn, ...) end

---@return tsbox.Thread
function tsbox.current_thread() end

---@return tsbox.Thread
function tsbox.main_thread() end

---The live threads.
---@return tsbox.Thread[]
function tsbox.enumerate() end

---@return integer
function tsbox.active_count() end

---The current thread's ident.
---@return integer
function tsbox.get_ident() end

---The current thread's OS thread id.
---@return integer
function tsbox.get_native_id() end

---Stack size of threads started from now on (0: the default); returns the
---previous setting. Sizes below tsbox's 1 MiB are raised to it.
---@param size? integer
---@return integer previous
function tsbox.stack_size(size) end

---@class tsbox.ExceptHookArgs
---@field exc_type string the error's kind, or its Lua type
---@field exc_value any the error value
---@field exc_traceback string
---@field thread tsbox.Thread

---Called for an uncaught error in a thread; assign your own to replace it.
---The default prints `Exception in thread NAME:` and the traceback.
---@param args tsbox.ExceptHookArgs
function tsbox.excepthook(args) end

---The default excepthook.
---@param args tsbox.ExceptHookArgs
function tsbox.__excepthook__(args) end

-- }======================================================

-- {======================================================
-- Time, scheduling, checks
-- =======================================================

---Sleeps (virtual time under the deterministic schedulers).
---@param seconds number
function tsbox.sleep(seconds) end

---Monotonic seconds, virtual under the deterministic schedulers.
---@return number
function tsbox.time() end

---A scheduling point: lets another thread run.
function tsbox.yield() end

---The run's seed.
---@return integer
function tsbox.seed() end

---The scheduler's name.
---@return "random"|"pct"|"dfs"|"rr"|"os"
function tsbox.sched() end

---Like assert, but a false `cond` is recorded as a failed check (thread,
---line, replay command) and the run goes on; the run then fails.
---@generic T
---@param cond T
---@param msg? any
---@return T|false
function tsbox.check(cond, msg) end

---Records the run's outcome: an exploration groups runs by it.
---@param ... any printable values
function tsbox.outcome(...) end

---Marks a table as shared state, named in `--race` reports.
---@generic T: table
---@param t T
---@param name? string default `shared-N`
---@return T t
function tsbox.shared(t, name) end

---The name ts.shared gave a table.
---@param t table
---@return string|nil
function tsbox.shared_name(t) end

---A table whose fields are private to each thread (Python's
---threading.local); each thread starts with a shallow copy of `defaults`.
---@param defaults? table
---@return table
function tsbox.thread_local(defaults) end

-- }======================================================

-- {======================================================
-- Primitives
-- =======================================================

---What Lock, RLock, Semaphore, BoundedSemaphore and Condition share:
---acquire, and the two scoped uses.
---@class tsbox.Scoped
local Scoped = {}

---@param blocking? boolean|number false or 0: do not wait
---@param timeout? number seconds; nil (or -1 for a lock): forever
---@return boolean acquired false on timeout or when not blocking
function Scoped:acquire(blocking, timeout) end

function Scoped:release() end

---Runs `fn(...)` holding it, releasing it even when fn raises.
---@generic R
---@param fn fun(...): R
---@param ... any
---@return R ...
function Scoped:with(fn, ...) end

---Acquires now; `local _ <close> = lock:hold()` releases at scope exit.
---@return self
function Scoped:hold() end

---@class tsbox.Lock: tsbox.Scoped
---@field name string
local Lock = {}

---Raises RuntimeError when unlocked.
function Lock:release() end

---@return boolean
function Lock:locked() end

---A reentrant lock: the thread that holds it may acquire it again, and
---must release it as many times.
---@class tsbox.RLock: tsbox.Lock
local RLock = {}

---Releases one level; RuntimeError when not owned by this thread.
function RLock:release() end

---Whether the current thread holds the lock (CPython's helper).
---@return boolean
function RLock:_is_owned() end

---@class tsbox.Semaphore: tsbox.Scoped
---@field name string
local Semaphore = {}

---@param n? integer default 1
function Semaphore:release(n) end

---@return integer
function Semaphore:value() end

---A semaphore whose release past its initial value raises ValueError.
---@class tsbox.BoundedSemaphore: tsbox.Semaphore
local BoundedSemaphore = {}

---@class tsbox.Event
---@field name string
local Event = {}

function Event:set() end

function Event:clear() end

---@return boolean
function Event:is_set() end

---@param timeout? number
---@return boolean flag the flag on return (false on timeout)
function Event:wait(timeout) end

---@class tsbox.Condition: tsbox.Scoped
---@field name string
---@field lock tsbox.Lock|tsbox.RLock
local Condition = {}

---Releases the lock, waits for a notify, takes the lock back.
---@param timeout? number
---@return boolean notified false on timeout
function Condition:wait(timeout) end

---Waits until `pred()` is true.
---@generic T
---@param pred fun(): T
---@param timeout? number
---@return T last pred's last value
function Condition:wait_for(pred, timeout) end

---@param n? integer default 1
function Condition:notify(n) end

function Condition:notify_all() end

---@class tsbox.Barrier
---@field name string
---@field parties integer
---@field n_waiting integer
---@field broken boolean
local Barrier = {}

---@param timeout? number
---@return integer index arrival index, 0 .. parties-1
function Barrier:wait(timeout) end

function Barrier:reset() end

function Barrier:abort() end

---@param name? string
---@return tsbox.Lock
---@overload fun(spec: {name?: string}): tsbox.Lock
function tsbox.Lock(name) end

---@param name? string
---@return tsbox.RLock
---@overload fun(spec: {name?: string}): tsbox.RLock
function tsbox.RLock(name) end

---@param value? integer default 1
---@param name? string
---@return tsbox.Semaphore
---@overload fun(spec: {value?: integer, name?: string}): tsbox.Semaphore
function tsbox.Semaphore(value, name) end

---@param value? integer default 1
---@param name? string
---@return tsbox.BoundedSemaphore
---@overload fun(spec: {value?: integer, name?: string}): tsbox.BoundedSemaphore
function tsbox.BoundedSemaphore(value, name) end

---@param name? string
---@return tsbox.Event
---@overload fun(spec: {name?: string}): tsbox.Event
function tsbox.Event(name) end

---@param lock? tsbox.Lock|tsbox.RLock default: a new RLock
---@param name? string
---@return tsbox.Condition
---@overload fun(spec: {lock?: tsbox.Lock|tsbox.RLock, name?: string}): tsbox.Condition
function tsbox.Condition(lock, name) end

---@param parties integer
---@param action? function called by one thread when the barrier releases
---@param timeout? number default timeout of wait
---@param name? string
---@return tsbox.Barrier
---@overload fun(spec: {parties: integer, action?: function, timeout?: number, name?: string}): tsbox.Barrier
function tsbox.Barrier(parties, action, timeout, name) end

-- }======================================================

-- {======================================================
-- Queues
-- =======================================================

---A FIFO queue (Python's queue.Queue, 3.13).
---@class tsbox.Queue
---@field name string
---@field maxsize integer 0 or less: unbounded
---@field unfinished_tasks integer
---@field is_shutdown boolean
---@field mutex tsbox.Lock
---@field not_empty tsbox.Condition
---@field not_full tsbox.Condition
---@field all_tasks_done tsbox.Condition
local Queue = {}

---Raises Full when a non-blocking or timed put finds no room, ShutDown
---once shut down.
---@param item any
---@param block? boolean|number default true; false or 0: do not wait
---@param timeout? number
function Queue:put(item, block, timeout) end

---Raises Empty when a non-blocking or timed get finds nothing.
---@param block? boolean|number
---@param timeout? number
---@return any item
function Queue:get(block, timeout) end

---@param item any
function Queue:put_nowait(item) end

---@return any item
function Queue:get_nowait() end

---@return integer
function Queue:qsize() end

---@return boolean
function Queue:empty() end

---@return boolean
function Queue:full() end

function Queue:task_done() end

---Waits until every item put has been marked task_done.
function Queue:join() end

---@param immediate? boolean also drop the items and wake every getter
function Queue:shutdown(immediate) end

---Storage hook, as in queue.py: sets up the items.
function Queue:_init() end

---Storage hook: the number of items.
---@return integer
function Queue:_qsize() end

---Storage hook: stores an item.
---@param item any
function Queue:_put(item) end

---Storage hook: takes an item out.
---@return any
function Queue:_get() end

---@class tsbox.LifoQueue: tsbox.Queue
local LifoQueue = {}

---Items compared with `<` (tables without __lt by their first field).
---@class tsbox.PriorityQueue: tsbox.Queue
local PriorityQueue = {}

---An unbounded FIFO without task tracking.
---@class tsbox.SimpleQueue
---@field name string
local SimpleQueue = {}

---@param item any
function SimpleQueue:put(item) end

---@param item any
function SimpleQueue:put_nowait(item) end

---@param block? boolean|number
---@param timeout? number
---@return any item
function SimpleQueue:get(block, timeout) end

---@return any item
function SimpleQueue:get_nowait() end

---@return integer
function SimpleQueue:qsize() end

---@return boolean
function SimpleQueue:empty() end

---@param maxsize? integer default 0 (unbounded)
---@param name? string
---@return tsbox.Queue
---@overload fun(spec: {maxsize?: integer, name?: string}): tsbox.Queue
function tsbox.Queue(maxsize, name) end

---@param maxsize? integer
---@param name? string
---@return tsbox.LifoQueue
---@overload fun(spec: {maxsize?: integer, name?: string}): tsbox.LifoQueue
function tsbox.LifoQueue(maxsize, name) end

---@param maxsize? integer
---@param name? string
---@return tsbox.PriorityQueue
---@overload fun(spec: {maxsize?: integer, name?: string}): tsbox.PriorityQueue
function tsbox.PriorityQueue(maxsize, name) end

---@param name? string
---@return tsbox.SimpleQueue
---@overload fun(spec: {name?: string}): tsbox.SimpleQueue
function tsbox.SimpleQueue(name) end

-- }======================================================

-- {======================================================
-- Futures and the pool
-- =======================================================

---@class tsbox.Future
---@field name string
local Future = {}

---The task's return values; re-raises its error value, CancelledError if
---cancelled, TimeoutError when not done in time.
---@param timeout? number
---@return any ...
function Future:result(timeout) end

---@param timeout? number
---@return any err the error value, nil on success
---@return string|nil traceback
function Future:exception(timeout) end

---@return string|nil
function Future:traceback() end

---@return boolean
function Future:done() end

---@return boolean
function Future:running() end

---@return boolean
function Future:cancelled() end

---Cancels a pending future.
---@return boolean cancelled
function Future:cancel() end

---Calls `fn(f)` once the future is done.
---@param fn fun(f: tsbox.Future)
function Future:add_done_callback(fn) end

---For executors.
---@return boolean
function Future:set_running_or_notify_cancel() end

---For executors.
---@param ... any
function Future:set_result(...) end

---For executors.
---@param e any
---@param traceback? string
function Future:set_exception(e, traceback) end

---A pending future, for code that runs tasks itself.
---@return tsbox.Future
function tsbox.Future() end

---Python's ThreadPoolExecutor; `local pool <close> = ts.ThreadPool(4)`.
---@class tsbox.ThreadPool
---@field name string the workers' name prefix
---@field max_workers integer
local ThreadPool = {}

---@param fn function
---@param ... any
---@return tsbox.Future
function ThreadPool:submit(fn, ...) end

---fn over the zipped lists, results in input order (with field n);
---a trailing number is a timeout.
---@param fn function
---@param list table
---@param ... table|number more lists, then an optional timeout
---@return table results
function ThreadPool:map(fn, list, ...) end

---Python's lazy map: `for i, r in pool:imap(fn, list) do`.
---@param fn function
---@param list table
---@param ... table|number
---@return fun(): integer?, any
function ThreadPool:imap(fn, list, ...) end

---@param wait? boolean default true
---@param cancel_futures? boolean default false
function ThreadPool:shutdown(wait, cancel_futures) end

---The workers started so far.
---@return tsbox.Thread[]
function ThreadPool:threads() end

---@param max_workers? integer default 4
---@param thread_name_prefix? string
---@param initializer? function run by each worker first
---@param initargs? table arguments of initializer
---@return tsbox.ThreadPool
---@overload fun(spec: {max_workers?: integer, thread_name_prefix?: string, name?: string, initializer?: function, initargs?: table}): tsbox.ThreadPool
function tsbox.ThreadPool(max_workers, thread_name_prefix, initializer, initargs) end

---The same as ThreadPool.
---@param max_workers? integer
---@param thread_name_prefix? string
---@param initializer? function
---@param initargs? table
---@return tsbox.ThreadPool
function tsbox.ThreadPoolExecutor(max_workers, thread_name_prefix, initializer, initargs) end

---Waits for futures; returns the done and not-done sets (keyed by future).
---@param futures tsbox.Future[]|table<tsbox.Future, boolean>
---@param timeout? number
---@param return_when? tsbox.ReturnWhen default ALL_COMPLETED
---@return table<tsbox.Future, boolean> done
---@return table<tsbox.Future, boolean> not_done
function tsbox.wait(futures, timeout, return_when) end

---`for f in ts.as_completed(futures) do`: each future once, in completion
---order; TimeoutError when the timeout expires first.
---@param futures tsbox.Future[]|table<tsbox.Future, boolean>
---@param timeout? number
---@return fun(): tsbox.Future?
function tsbox.as_completed(futures, timeout) end

-- }======================================================

-- {======================================================
-- Timer
-- =======================================================

---A thread that calls `function(...)` after `interval` seconds unless cancelled.
---@class tsbox.Timer: tsbox.Thread
---@field interval number
---@field ["function"] function
---@field args table
---@field finished tsbox.Event
local Timer = {}

---Stops the timer if it has not fired yet.
function Timer:cancel() end

---@param interval number seconds (tsbox's clock)
---@param fn function
---@param ... any
---@return tsbox.Timer
---@overload fun(spec: {interval: number, ["function"]: function, args?: table, name?: string, daemon?: boolean}): tsbox.Timer
function tsbox.Timer(interval, fn, ...) end

-- }======================================================

return tsbox
