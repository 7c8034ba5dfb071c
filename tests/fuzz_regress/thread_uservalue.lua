-- fuzz regression: Thread's __index/__newindex (src/thread.c:264-267, 288-291)
-- call lua_rawget/lua_rawset on the thread's user value without checking that
-- it is a table: after debug.setuservalue(t, 42, 1), `t.foo` dereferences a
-- number as a Table: SIGSEGV in luaH_get. With a table whose __newindex
-- raises, thread_call's lua_setfield(co, -2, "result") raises unprotected in
-- the thread: cross-thread longjmp, SIGABRT.
--   ./tsbox --seed 1 tests/fuzz_regress/thread_uservalue.lua      -> SIGSEGV
--   ./tsbox -e 'local t = tsbox.spawn(function() tsbox.sleep(0.1) return 1 end)
--     debug.setuservalue(t, setmetatable({}, {__newindex = function() error("ni") end}), 1)
--     t:join()'                                                   -> SIGABRT
-- Expected: Lua errors, no crash (5c312cc refuses debug.setuservalue: exit 1).
local ts = require "tsbox"
local t = ts.Thread{target = print}
debug.setuservalue(t, 42, 1)
print(pcall(function() return t.foo end))
print(pcall(function() t.foo = 1 end))
local t2 = ts.spawn(function() ts.sleep(0.1) return 1 end)
debug.setuservalue(t2, setmetatable({}, {__newindex = function() error("ni") end}), 1)
print(pcall(t2.join, t2))
