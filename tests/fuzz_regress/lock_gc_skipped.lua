-- fuzz regression (found by fuzz/run.sh, seed 20223 with FUZZ_AVOID=...): Lua
-- does not guarantee that a __gc runs. When a finalizer is called with the C
-- stack nearly exhausted (deep pcall / coroutine.wrap / with recursion), the
-- call itself fails with "C stack overflow" (or with a memory error), Lua
-- turns that into a warning (off by default: lua5.4 -W shows "error in __gc
-- (C stack overflow)") and frees the object later without finalizing it.
-- lock_gc never unlinks the Lock from `all_locks` (src/lock.c:17), which then
-- dangles: ASan heap-use-after-free in new_lock (lock.c:168) and in
-- lock_held_by (lock.c:23); in the release build the deadlock report below
-- lists the same lock over and over ("holds Lock "Lock-246", Lock "Lock-246",
-- ...": the list has become a cycle through reused memory).
--   ./tsbox-asan --seed 1 tests/fuzz_regress/lock_gc_skipped.lua
-- Expected: a clean deadlock report ("holds Lock "Lock-246"" once), exit 3.
-- (Fix idea: do not keep Lua-owned memory in a C list that only __gc
-- maintains; e.g. keep per-thread lists of held locks, updated on
-- acquire/release, or allocate the Lock struct outside the Lua heap.)
local ts = require "tsbox"
local depth
local function f(n)
  if n >= depth then
    for _ = 1, 5 do ts.Lock() end
    collectgarbage()
    return
  end
  return pcall(f, n + 1)
end
for d = 150, 260 do
  depth = d
  pcall(f, 1)
end
collectgarbage()
collectgarbage()
local l = ts.Lock()
l:acquire()
l:acquire()   -- deadlock: the report lists held locks (walks all_locks)
