/*
** lua544.h: the layouts of Lua 5.4.4's internals that tsbox reads
** (lobject.h, lstate.h): a value, a call's record, a coroutine's state.
** access.c reads instructions through them, suspend.c moves a coroutine
** between POSIX threads; both check them at start-up, and the build
** refuses any other release.
*/
#ifndef TSBOX_LUA544_H
#define TSBOX_LUA544_H

#include <stddef.h>
#include <stdint.h>

#include <lua.h>

#if LUA_VERSION_RELEASE_NUM != 50404
#error "tsbox reads Lua 5.4.4's CallInfo, Proto and lua_State layouts: build against liblua 5.4.4"
#endif

typedef uint32_t Instr;

typedef struct LValue {
  union { void *gc; void *p; lua_CFunction f; lua_Integer i; lua_Number n; } v;
  unsigned char tt;
} LValue;

/* CallInfo: the union `u` flattened (savedpc is u.l.savedpc, k u.c.k). */
typedef struct LCallInfo {
  LValue *func, *top;
  struct LCallInfo *previous, *next;
  union {
    const Instr *savedpc;    /* u.l.savedpc: one past the current instruction */
    lua_KFunction k;         /* u.c.k: a C function's continuation */
  };
  intptr_t u_rest[2];
  int u2;
  short nresults;
  unsigned short callstatus;
} LCallInfo;

#define LCIST_C (1 << 1)          /* running a C function */
#define LCIST_FRESH (1 << 2)      /* on a fresh luaV_execute: a C boundary below */
#define LCIST_HOOKYIELD (1 << 6)  /* its last hook yielded */

typedef struct LState {
  void *next;
  unsigned char tt, marked, status, allowhook;
  unsigned short nci;
  LValue *top;
  void *l_G;
  LCallInfo *ci;
  LValue *stack_last, *stack;
  void *openupval, *tbclist, *gclist, *twups, *errorJmp;
  LCallInfo base_ci;
  volatile lua_Hook hook;
  ptrdiff_t errfunc;
  uint32_t nCcalls;          /* C calls in the low 16 bits, non-yieldable ones above */
  int oldpc, basehookcount, hookcount;
  volatile int hookmask;
} LState;

#define LSTATE(L) ((LState *)(void *)(L))

#endif
