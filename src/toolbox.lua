-- toolbox.lua: the parts of tsbox written in Lua on top of the C primitives,
-- as CPython writes threading.py over _thread: ThreadPool and futures, the
-- queues, Timer, thread-local tables. Compiled into the binary; runs once
-- per universe with the `tsbox` module table as its argument.
local ts = ...
local _ = ts
