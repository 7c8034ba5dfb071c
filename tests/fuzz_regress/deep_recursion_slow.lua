-- fuzz regression (performance): deep Lua recursion is quadratic under the
-- deterministic schedulers. Every scheduling point re-arms the count hook with
-- lua_sethook (src/sched.c:582/590), and Lua 5.4's lua_sethook calls
-- settraps(), which walks every CallInfo of the stack: O(depth) per quantum.
-- f(40000): lua5.4 0.01 s, tsbox --sched os 0.01 s, --sched random 1.6 s,
-- --sched rr 1.0 s; the recursion to "stack overflow" (~200000 frames) below
-- takes ~10 minutes, so fuzz runs hit --timeout 10 (exit 4) instead.
--   time ./tsbox --seed 1 tests/fuzz_regress/deep_recursion_slow.lua
-- Expected: well under a second; prints "false ... stack overflow". Exit 0.
local function f(n) return 1 + f(n + 1) end
print(pcall(f, 1))
