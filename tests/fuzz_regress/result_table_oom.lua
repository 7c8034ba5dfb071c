-- fuzz-options: --max-memory 20M
-- fuzz regression: thread_call() (src/thread.c:119) builds `t.result` with
-- lua_createtable() after the thread's pcall returned, i.e. unprotected. When
-- that allocation hits --max-memory, luaD_throw re-throws into the main
-- thread's jmp_buf from another pthread: "*** longjmp causes uninitialized
-- stack frame ***", SIGABRT. (Same for any unprotected lua_* call that can
-- raise in a non-main thread, e.g. the lua_setfield calls there.)
--   ./tsbox --seed 1 --max-memory 20M tests/fuzz_regress/result_table_oom.lua
-- (crashes for --max-memory 18M..24M on x86-64)
-- Expected: "tsbox: memory limit ..." and exit 4.
local ts = require "tsbox"
local t = {}
for i = 1, 400000 do t[i] = i end
local th = ts.spawn(function() return table.unpack(t) end)
print(pcall(function() th:join() end))
