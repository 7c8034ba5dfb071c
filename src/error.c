/*
** error.c: tsbox's error values (tables with kind, message, where and
** traceback whose tostring reads "where: Kind: message"), the argument
** helpers every binding uses, and what every primitive shares (prim.h):
** its tagged header, its class, its anchor. It never switches threads;
** it only tells the scheduler and --race that a primitive exists.
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "outcome.h"
#include "prim.h"
#include "race.h"
#include "sched.h"

#define ERROR_MT "tsbox.Error"

static int error_tostring(lua_State *L) {
  lua_getfield(L, 1, "where");
  lua_getfield(L, 1, "kind");
  lua_getfield(L, 1, "message");
  lua_pushfstring(L, "%s%s: %s", luaL_optstring(L, -3, ""),
                  luaL_optstring(L, -2, "Error"), luaL_optstring(L, -1, ""));
  return 1;
}

/* Push an error value raised at `level` (1: the Lua caller of a C function). */
void err_push(lua_State *L, const char *kind, const char *msg, int level) {
  lua_createtable(L, 0, 4);
  lua_pushstring(L, kind);
  lua_setfield(L, -2, "kind");
  lua_pushstring(L, msg);
  lua_setfield(L, -2, "message");
  luaL_where(L, level);
  lua_setfield(L, -2, "where");
  luaL_traceback(L, L, NULL, level);
  lua_setfield(L, -2, "traceback");
  prim_setclass(L, ERROR_MT);
}

int err_raise(lua_State *L, const char *kind, const char *fmt, ...) {
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);  // NOLINT(clang-analyzer-valist.Uninitialized): va_start is just above
  va_end(ap);
  err_push(L, kind, msg, 1);
  return lua_error(L);
}

void err_open(lua_State *L) {
  static const char *const kinds[] = {
    E_RUNTIME, E_VALUE, E_BROKEN, E_EMPTY, E_FULL, E_TIMEOUT, E_CANCELLED,
    E_TYPE, E_OVERFLOW, NULL
  };
  prim_newclass(L, ERROR_MT);
  lua_pushcfunction(L, error_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  for (int i = 0; kinds[i]; i++) {
    lua_pushstring(L, kinds[i]);
    lua_setfield(L, -2, kinds[i]);
  }
}

int args_named(lua_State *L, const char *const names[]) {
  if (lua_gettop(L) != 1 || !lua_istable(L, 1)) return lua_gettop(L);
  if (lua_getmetatable(L, 1)) {   /* an object, not a table of fields */
    lua_pop(L, 1);
    return 1;
  }
  int n = 0;
  while (names[n]) n++;
  for (int i = 0; i < n; i++) lua_getfield(L, 1, names[i]);
  /* Reject unknown fields, as Python rejects unknown keywords. */
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    lua_pop(L, 1);
    int known = 0;
    if (lua_type(L, -1) == LUA_TSTRING)
      for (int i = 0; i < n && !known; i++) known = strcmp(lua_tostring(L, -1), names[i]) == 0;
    if (!known) {
      lua_pushvalue(L, -1);
      return luaL_error(L, "unexpected field '%s' in arguments table", luaL_tolstring(L, -1, NULL));
    }
  }
  lua_remove(L, 1);
  return n;
}

void *prim_test(lua_State *L, int idx, unsigned tags, size_t size) {
  if (lua_type(L, idx) != LUA_TUSERDATA || lua_rawlen(L, idx) < size) return NULL;
  uint64_t magic;
  void *p = lua_touserdata(L, idx);
  memcpy(&magic, p, sizeof magic);
  if ((magic & PRIM_MAGIC_MASK) != PRIM_MAGIC || (magic & tags) == 0) return NULL;
  /* dfs orders every two operations on one primitive that change it.
     Locks and threads say for themselves what each call reads and writes
     (lock.c, thread.c); a call on an event reads it and set() and clear()
     write it; every call on the other primitives writes. */
  if ((tags & (unsigned)(TAG_LOCK | TAG_RLOCK | TAG_THREAD)) == 0)
    sched_touch(p, (tags & (unsigned)TAG_EVENT) ? TOUCH_READ : TOUCH_WRITE);
  return p;
}

void *prim_check(lua_State *L, int idx, unsigned tags, size_t size, const char *tname) {
  void *p = prim_test(L, idx, tags, size);
  if (p == NULL) luaL_typeerror(L, idx, tname);
  return p;
}

int prim_method(lua_State *L, int key) {
  if (lua_type(L, lua_upvalueindex(1)) != LUA_TTABLE) {
    lua_pushnil(L);
    return LUA_TNIL;
  }
  lua_pushvalue(L, key);
  return lua_rawget(L, lua_upvalueindex(1));
}

static const char *prim_kind(unsigned tag) {
  static const char *const kinds[] = {
    "Thread", "Lock", "RLock", "Semaphore", "BoundedSemaphore", "Event", "Condition", "Barrier"
  };
  int i = 0;
  while ((1u << i) != tag) i++;
  return kinds[i];
}

void prim_init(lua_State *L, Waitable *w, unsigned tag, int idx) {
  const char *kind = prim_kind(tag);
  w->magic = PRIM_MAGIC | tag;
  w->kind = kind;
  w->owner = NULL;
  w->name[0] = '\0';   /* named below, once race.c has its record */
  RACE(sync_new(L, w));
  if (!lua_isnoneornil(L, idx)) {
    size_t len;
    const char *s = luaL_checklstring(L, idx, &len);
    snprintf(w->name, sizeof w->name, "%s", s);
    return;
  }
  /* Per-kind counters, in the order kinds were first seen in the run. */
  const char **seen = R->name_kinds;
  int k = 0;
  while (k < 15 && seen[k] && strcmp(seen[k], kind) != 0) k++;
  seen[k] = kind;
  snprintf(w->name, sizeof w->name, "%s-%d", kind, ++R->name_counter[k]);
}

lua_Number arg_seconds(lua_State *L, int idx) {
  lua_Number t = luaL_checknumber(L, idx);
  if (t != t) err_raise(L, E_VALUE, "Invalid value NaN (not a number)");
  return t;
}

lua_Number arg_timeout(lua_State *L, int idx) {
  lua_Number t = arg_seconds(L, idx);
  /* CPython converts to int64 nanoseconds first, then checks TIMEOUT_MAX. */
  if (t >= 9223372036.854775807)
    err_raise(L, E_OVERFLOW, "timestamp out of range for platform time_t");
  if (t > TIMEOUT_MAX) err_raise(L, E_OVERFLOW, "timeout value is too large");
  return t;
}

int64_t arg_deadline(lua_State *L, int idx) {
  if (lua_isnoneornil(L, idx)) return -1;
  return sched_deadline(arg_timeout(L, idx));
}

int arg_blocking(lua_State *L, int idx) {
  if (lua_isnoneornil(L, idx)) return 1;
  if (lua_type(L, idx) == LUA_TNUMBER) return lua_tonumber(L, idx) != 0;
  return lua_toboolean(L, idx);
}

/* lock:with(fn, ...): acquire, call, release even on error, return results. */
int prim_with(lua_State *L) {
  luaL_checkany(L, 1);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  int nargs = lua_gettop(L) - 2;
  luaL_getmetafield(L, 1, "__index");
  lua_getfield(L, -1, "acquire");
  lua_getfield(L, -2, "release");
  lua_remove(L, -3);                      /* [obj fn args... acquire release] */
  int rel = lua_gettop(L);
  lua_pushvalue(L, rel - 1);
  lua_pushvalue(L, 1);
  lua_call(L, 1, 0);
  lua_pushvalue(L, 2);
  for (int i = 0; i < nargs; i++) lua_pushvalue(L, 3 + i);
  int st = lua_pcall(L, nargs, LUA_MULTRET, 0);
  lua_pushvalue(L, rel);
  lua_pushvalue(L, 1);
  lua_call(L, 1, 0);
  if (st != LUA_OK) return lua_error(L);
  return lua_gettop(L) - rel;
}

/* local _ <close> = lock:hold(): acquire now, release at scope exit. */
int prim_hold(lua_State *L) {
  luaL_checkany(L, 1);
  luaL_getmetafield(L, 1, "__index");
  lua_getfield(L, -1, "acquire");
  lua_pushvalue(L, 1);
  lua_call(L, 1, 0);
  lua_settop(L, 1);
  return 1;
}

/* Push "file:line" of the innermost Lua function running in `co`. */
void prim_push_position(lua_State *L, lua_State *co) {
  lua_Debug ar;
  if (outcome_frame(co, 0, &ar)) lua_pushfstring(L, "%s:%d", ar.short_src, ar.currentline);
  else lua_pushliteral(L, "?");
}

/*
** {======================================================
** Anchors
** =======================================================
*/

/*
** What tsbox relies on staying alive (each started thread's object, whose
** second user value is its coroutine; the reports' scratch coroutine; the
** table of live locks; the classes' metatables) hangs from one table that no script can reach: the
** registry, which debug.getregistry hands out, holds nothing tsbox trusts.
** The table sits on the stack of a coroutine that never runs (so its
** index 1 is always the same slot), and that coroutine sits at the bottom
** of the main state's stack, below every call frame, where the collector
** always marks it and debug.getlocal cannot see it.
*/
static lua_State *anchors;

/* Called first on the new universe's main state, whose stack is empty. */
void prim_init_anchors(lua_State *L) {
  anchors = lua_newthread(L);
  lua_newtable(anchors);
  R->Lrep = lua_newthread(anchors);
  lua_rawseti(anchors, 1, ANCHOR_REPORTS);
  lua_newtable(anchors);
  lua_rawseti(anchors, 1, ANCHOR_CLASSES);
}

/* Push the table, from any OS thread that holds the GIL, without allocating. */
void prim_push_anchors(lua_State *L) {
  lua_pushvalue(anchors, 1);
  lua_xmove(anchors, L, 1);
}

/* }====================================================== */

/* A class: metatable `name` with metamethods `meta` and an __index table
   holding `methods`. Leaves the stack as it was. */
static void push_classes(lua_State *L) {
  prim_push_anchors(L);
  lua_rawgeti(L, -1, ANCHOR_CLASSES);
  lua_remove(L, -2);
}

void prim_newclass(lua_State *L, const char *name) {
  push_classes(L);
  lua_newtable(L);
  lua_pushstring(L, name);
  lua_setfield(L, -2, "__name");
  lua_pushstring(L, name);
  lua_pushvalue(L, -2);
  lua_rawset(L, -4);
  lua_remove(L, -2);
}

void prim_setclass(lua_State *L, const char *name) {
  push_classes(L);
  lua_pushstring(L, name);
  lua_rawget(L, -2);
  lua_remove(L, -2);
  lua_setmetatable(L, -2);
}

void prim_class(lua_State *L, const char *name, const luaL_Reg *meta, const luaL_Reg *methods) {
  prim_newclass(L, name);
  luaL_setfuncs(L, meta, 0);
  lua_newtable(L);
  luaL_setfuncs(L, methods, 0);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}
