/*
** prim.h: what every primitive family shares: tsbox's error values,
** argument helpers (named-field tables, names, timeouts) and the `open`
** function of each family's binding.
*/
#ifndef TSBOX_PRIM_H
#define TSBOX_PRIM_H

#include <lauxlib.h>
#include <lua.h>

#include "run.h"

/* Error kinds, as Python names its exceptions. */
#define E_RUNTIME "RuntimeError"
#define E_VALUE "ValueError"
#define E_BROKEN "BrokenBarrierError"
#define E_EMPTY "Empty"
#define E_FULL "Full"
#define E_TIMEOUT "TimeoutError"
#define E_CANCELLED "CancelledError"
#define E_TYPE "TypeError"
#define E_OVERFLOW "OverflowError"

int err_raise(lua_State *L, const char *kind, const char *fmt, ...);
void err_push(lua_State *L, const char *kind, const char *msg, int level);
void err_open(lua_State *L);

/*
** Constructors accept positional arguments or one table of named fields:
** with a table, its fields `names[0..]` replace the arguments in order.
** Returns the number of argument slots afterwards.
*/
int args_named(lua_State *L, const char *const names[]);

/*
** Class tags. Every tsbox userdata starts with PRIM_MAGIC | its tag; the
** checkers read the tag, not the metatable, which debug.setmetatable can
** put on any userdata. PRIM_MAGIC has high bits no user-space address has.
*/
#define PRIM_MAGIC 0xf5b0c0de00000000ull
#define PRIM_MAGIC_MASK 0xffffffff00000000ull
enum {
  TAG_THREAD = 1 << 0, TAG_LOCK = 1 << 1, TAG_RLOCK = 1 << 2, TAG_SEMA = 1 << 3,
  TAG_BSEMA = 1 << 4, TAG_EVENT = 1 << 5, TAG_COND = 1 << 6, TAG_BARRIER = 1 << 7
};

/* The object at `idx` if it is a userdata of at least `size` bytes whose
   tag is one of `tags`, else NULL; prim_check raises a type error instead. */
void *prim_test(lua_State *L, int idx, unsigned tags, size_t size);
void *prim_check(lua_State *L, int idx, unsigned tags, size_t size, const char *tname);

/* Tag and kind of a new primitive, and its name: the optional name at
   `idx`, or "Kind-N". */
void prim_init(lua_State *L, Waitable *w, unsigned tag, int idx);

/* Seconds at `idx`: a number, NaN refused as Python refuses it. */
lua_Number arg_seconds(lua_State *L, int idx);

/* Python's threading.TIMEOUT_MAX on Linux: larger waits raise OverflowError. */
#define TIMEOUT_MAX 9223372036.0

/* A timeout in seconds: arg_seconds, and OverflowError above TIMEOUT_MAX. */
lua_Number arg_timeout(lua_State *L, int idx);

/* Deadline for a timeout argument: nil waits forever, <= 0 polls. */
int64_t arg_deadline(lua_State *L, int idx);

/* A `blocking` flag with Python's truthiness: false and 0 are false, nil
   (absent) is true. */
int arg_blocking(lua_State *L, int idx);

/*
** Class metatables live among the run's anchors, not in the registry (a
** script could replace a registry entry with a number, which
** lua_setmetatable would take for a table). prim_newclass pushes a new
** metatable with `__name`; prim_setclass gives the value on top its class.
*/
void prim_newclass(lua_State *L, const char *name);
void prim_setclass(lua_State *L, const char *name);

/* Register a class's metatable with its metamethods and methods. */
void prim_class(lua_State *L, const char *name, const luaL_Reg *meta, const luaL_Reg *methods);

/* For an __index closure: push the method named at `key` from the method
   table in upvalue 1, or nil if debug.setupvalue replaced that table. */
int prim_method(lua_State *L, int key);

/* Shared method bodies for every lock-like object (`with`, `hold`). */
int prim_with(lua_State *L);
int prim_hold(lua_State *L);
void prim_push_position(lua_State *L, lua_State *co);
/* The anchors (run.h): made first on a new universe; pushed on `L`. */
void prim_init_anchors(lua_State *L);
void prim_push_anchors(lua_State *L);

/* Family entry points: register metatables and constructors in table -1. */
void thread_open(lua_State *L);
void lock_open(lua_State *L);
void sema_open(lua_State *L);
void event_open(lua_State *L);
void cond_open(lua_State *L);
void barrier_open(lua_State *L);

#endif
