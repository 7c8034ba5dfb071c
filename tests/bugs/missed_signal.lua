-- The waiter checks the flag outside the condition's lock: the notify can
-- come between its check and its wait, and then nobody wakes it.
local ts = require "tsbox"

local state = ts.shared({ ready = false }, "state")
local cv = ts.Condition()
local waiter = ts.Thread{name = "waiter", target = function()
  if not state.ready then
    cv:acquire()
    cv:wait()
    cv:release()
  end
end}
local notifier = ts.Thread{name = "notifier", target = function()
  cv:acquire()
  state.ready = true
  cv:notify()
  cv:release()
end}
waiter:start(); notifier:start(); waiter:join(); notifier:join()
