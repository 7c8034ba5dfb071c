/*
** suspend.h: moving a thread's coroutine between POSIX threads at a
** preemption point (suspend.c).
*/
#ifndef TSBOX_SUSPEND_H
#define TSBOX_SUSPEND_H

#include <stddef.h>

#include <lua.h>

/* What suspend_hide changed, for suspend_unhide: offsets from the
   stack's base, which the collector may move while the thread waits. */
typedef struct SuspendSaved {
  ptrdiff_t top, ci_top;
} SuspendSaved;

/* 1 if Lua's layouts are as tsbox reads them (checked on a scratch state). */
int suspend_init(void);
/* The record of the function running now in L (a C function: its caller's body). */
const void *suspend_frame(lua_State *L);
/* The light C function at the base of L's calls; NULL when none runs. */
lua_CFunction suspend_base(lua_State *L);
/* In a count hook of L: 1 if at most `max` plain Lua calls lie above `body`. */
int suspend_plain(lua_State *L, const void *body, int max);
/* L yielded from its count hook: make it look as if it waited inside it. */
void suspend_hide(lua_State *L, SuspendSaved *saved);
/* Undo suspend_hide before resuming L with lua_resume(L, L, 0, ...). */
void suspend_unhide(lua_State *L, const SuspendSaved *saved);

#endif
