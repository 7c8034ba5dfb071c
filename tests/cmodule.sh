# C modules: the executable exports Lua's C API, so Debian's Lua 5.4 C
# modules load with `require`, and a C function runs holding the GIL.
. "$(dirname "$0")/lib.sh"

# lua-filesystem (in the Makefile's TEST_PKGS), found through package.cpath.
run -e 'print((package.searchpath("lfs", package.cpath)))'
if [ "$rc" = 0 ] && [ "$(cat "$T/out")" != nil ]; then
  run -e 'local lfs = require "lfs"; print(lfs.currentdir())'
  expect_rc "require \"lfs\" (Debian's lua-filesystem) loads" 0
  if [ "$(cat "$T/out")" = "$PWD" ]; then pass "and lfs.currentdir() works"
  else fail "and lfs.currentdir() works" "stdout: $(cat "$T/out")" "stderr: $(head -c 600 "$T/err")"; fi

  lua lfs_run.lua <<'L'
local ts = require "tsbox"
local lfs = require "lfs"
local modes = {}
local t = ts.spawn(function() modes[#modes + 1] = lfs.attributes(".", "mode") end)
modes[#modes + 1] = lfs.attributes("/", "mode")
t:join()
local maps = io.open("/proc/self/maps"):read("a")
print(#modes, tostring({}), maps:find("liblua5.4.so", 1, true) ~= nil)
L
  run --seed 5 "$T/lfs_run.lua"
  expect_out "a run that uses lfs from two threads" "2	table: "
  expect_out "loads no shared liblua beside the one linked in" "	false"
  cp "$T/out" "$T/lfs_out1"
  run --seed 5 "$T/lfs_run.lua"
  if cmp -s "$T/out" "$T/lfs_out1"; then pass "and stays byte-identical under one seed"
  else fail "and stays byte-identical under one seed" "$(diff "$T/lfs_out1" "$T/out")"; fi
  run --runs 20 --seed 1 "$T/lfs_run.lua"
  expect_rc "an exploration whose runs load lfs succeeds" 0
else
  for _ in 1 2 3 4 5 6; do skip "lua-filesystem is not installed (no lfs.so on package.cpath)"; done
fi

# Every function of Lua's C API that liblua5.4.a defines is exported, and
# nothing of tsbox's own beyond what the C library needs.
lib=$(ls /usr/lib/*/liblua5.4.a /usr/lib/liblua5.4.a 2> /dev/null | head -n 1)
if command -v nm > /dev/null && [ -n "$lib" ]; then
  nm -g --defined-only "$lib" 2> /dev/null | awk '$2 ~ /^[TDRB]$/ && $3 ~ /^lua(L|open)?_/ {print $3}' |
    sort -u > "$T/api"
  nm -D --defined-only "$TSBOX" | awk '{print $3}' | sort -u > "$T/exported"
  missing=$(comm -23 "$T/api" "$T/exported")
  if [ -s "$T/api" ] && [ -z "$missing" ]; then pass "the binary exports all $(wc -l < "$T/api") lua_/luaL_/luaopen_ symbols of liblua5.4.a"
  else fail "the binary exports all lua_/luaL_/luaopen_ symbols of liblua5.4.a" "missing: $missing"; fi
  if [ -n "${TSBOX_SANITIZER:-}" ]; then
    skip "sanitizer runtimes export symbols of their own"
  else
    extra=$(grep -vE '^(lua(L|open)?_.*|time|clock)$|@' "$T/exported")
    if [ -z "$extra" ]; then pass "and no other symbol of its own"
    else fail "and no other symbol of its own" "$extra"; fi
  fi
else
  skip "nm (binutils) or liblua5.4.a not available"
  skip "nm (binutils) or liblua5.4.a not available"
fi

# A C module built here, found through LUA_CPATH: its functions run holding
# the GIL, so no other thread runs while one of them blocks.
cat > "$T/gilprobe.c" <<'C'
#include <time.h>
#include "lua.h"
#include "lauxlib.h"

/* Reads global n, sleeps, reads n again: returns both readings. */
static int probe_hold(lua_State *L) {
  struct timespec d = { 0, 200 * 1000 * 1000 };
  lua_getglobal(L, "n");
  nanosleep(&d, NULL);
  lua_getglobal(L, "n");
  return 2;
}

int luaopen_gilprobe(lua_State *L);
int luaopen_gilprobe(lua_State *L) {
  static const luaL_Reg funcs[] = { { "hold", probe_hold }, { NULL, NULL } };
  luaL_newlib(L, funcs);
  lua_pushfstring(L, "%s %d", LUA_VERSION, 54);
  lua_setfield(L, -2, "version");
  return 1;
}
C
inc=$(pkg-config --cflags lua5.4 2> /dev/null || echo -I/usr/include/lua5.4)
# shellcheck disable=SC2086
if cc -shared -fPIC $inc -o "$T/gilprobe.so" "$T/gilprobe.c" 2> "$T/cc_err"; then
  lua gil.lua <<'L'
-- luacheck: globals n
local ts = require "tsbox"
local probe = require "gilprobe"
n = 0
local done = false
local t = ts.spawn(function() while not done do n = n + 1 end end)
while n < 1000 do ts.yield() end
local before, after = probe.hold()
done = true
t:join()
print(probe.version, after - before)
L
  for sched in "--seed 3" "--sched os"; do
    # shellcheck disable=SC2086
    LUA_CPATH="$T/?.so" run $sched "$T/gil.lua"
    expect_rc "a C module found through LUA_CPATH loads ($sched)" 0
    expect_out "and a blocking C call keeps every other thread waiting ($sched)" "Lua 5.4 54	0"
  done
else
  for _ in 1 2 3 4; do skip "cannot build a C module here: $(head -c 200 "$T/cc_err")"; done
fi

# A C function that yields (lua_yield) in a thread's body is refused as a
# yield across a C call, from that call, as it was when the body ran in a
# C call; inside a coroutine of the thread's own it yields as in Lua.
cat > "$T/yieldmod.c" <<'C'
#include "lua.h"
#include "lauxlib.h"

static int yield42(lua_State *L) {
  lua_pushinteger(L, 42);
  return lua_yield(L, 1);
}

int luaopen_yieldmod(lua_State *L);
int luaopen_yieldmod(lua_State *L) {
  lua_newtable(L);
  lua_pushcfunction(L, yield42);
  lua_setfield(L, -2, "yield42");
  return 1;
}
C
# shellcheck disable=SC2086
if cc -shared -fPIC $inc -o "$T/yieldmod.so" "$T/yieldmod.c" 2> "$T/cc_err"; then
  lua use_yieldmod.lua <<'L'
local ts = require "tsbox"
local m = require "yieldmod"
local t = ts.spawn(function()
  print("in thread", pcall(m.yield42))
  print("in wrap", coroutine.wrap(function() return m.yield42() end)())
  return m.yield42()
end)
t:join()
print("main", pcall(m.yield42))
L
  LUA_CPATH="$T/?.so" run --seed 1 "$T/use_yieldmod.lua"
  expect_out "lua_yield from a C function in a thread's body is refused" \
    "in thread	false	attempt to yield across a C-call boundary"
  expect_out "and yields inside the thread's own coroutine" "in wrap	42"
  expect_out "and MainThread's is refused as lua refuses it" "main	false	attempt to yield from outside a coroutine"
  expect_err "an uncaught one is reported from the C function" "[C]: in function 'yieldmod.yield42'"
else
  for _ in 1 2 3 4; do skip "cannot build a C module here: $(head -c 200 "$T/cc_err")"; done
fi
finish
