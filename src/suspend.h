/*
** suspend.h: moving a thread's coroutine between POSIX threads at a
** preemption point (suspend.c).
*/
#ifndef TSBOX_SUSPEND_H
#define TSBOX_SUSPEND_H

#include <stddef.h>

#include <lua.h>

/* What suspend_hide changed, for suspend_unhide. */
typedef struct SuspendSaved {
  ptrdiff_t top, ci_top;     /* from the stack's base */
} SuspendSaved;

/* 1 if Lua's layouts are as tsbox reads them (checked on a scratch state). */
int suspend_init(void);
/* The record of the function running now in L (a C function: its caller's body). */
const void *suspend_frame(lua_State *L);
/* The light C function at the base of L's calls; NULL when none runs. */
lua_CFunction suspend_base(lua_State *L);
/* In a count hook of L (or in a C function called from Lua, `in_call`):
   1 if at most `max` plain Lua calls lie above `body`. */
int suspend_plain(lua_State *L, const void *body, int max, int in_call);
/* L yielded from its count hook: make it look as if it waited inside it. */
void suspend_hide(lua_State *L, SuspendSaved *saved);
/* Undo suspend_hide before resuming L with lua_resume(L, L, 0, ...). */
void suspend_unhide(lua_State *L, const SuspendSaved *saved);
/* Before resuming L with lua_resume(L, L, 0, ...) after a yield from a C call. */
void suspend_unhide_call(lua_State *L);
/* L yielded from a C function: the resume runs `k` as its continuation
   (0 if L did not yield from a C function). */
int suspend_continue_with(lua_State *L, lua_KFunction k);

#endif
