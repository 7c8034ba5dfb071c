-- lost_notify.lua: a notify that wakes no one, as in CPython.
--
-- A waits on the condition for 0.05 s, B for 0.3 s. The main thread takes
-- the lock, holds it for 0.06 s, then notifies one waiter. A's timeout has
-- expired by then, but A cannot return from wait() before it has the lock
-- back, so it is still first among the condition's waiters: notify(1)
-- goes to A, which reports a timeout anyway, and B is never woken. CPython
-- 3.11 to 3.13 print A=false B=false every time; so does tsbox, in some
-- schedules (the others wake B):
--
--   tsbox --runs 200 scripts/lost_notify.lua
--
-- The fix in a real program: notify_all(), or a predicate with wait_for.
local ts = require "tsbox"

local cond = ts.Condition(nil, "cond")
local result = {}

local function waiter(name, timeout)
  cond:acquire()
  result[name] = cond:wait(timeout)
  cond:release()
end

local a = ts.Thread { target = waiter, args = { "A", 0.05 }, name = "A" }
local b = ts.Thread { target = waiter, args = { "B", 0.3 }, name = "B" }
a:start()
b:start()
ts.sleep(0.01)
cond:acquire()
ts.sleep(0.06)
cond:notify(1)
cond:release()
a:join()
b:join()
print(("A=%s B=%s"):format(result.A, result.B))
ts.outcome(("A=%s B=%s"):format(result.A, result.B))
