/*
** access.h: the shared-access observer behind --race, --explain, dfs and
** pos (access.c). The count hook calls it before every VM instruction.
*/
#ifndef TSBOX_ACCESS_H
#define TSBOX_ACCESS_H

#include "run.h"

/* Set by access_init: the count hook tracks accesses (--race, dfs). */
extern int access_enabled;

/* Check the Lua layouts, note the globals table; exits 2 if they differ. */
void access_init(lua_State *L);
void access_selftest(void);
/* The count to give lua_sethook for a preemption gap of `gap` instructions. */
int access_arm(lua_State *L, int gap);
/* The hook of L fires at every instruction: count the gap down here. */
void access_count_self(lua_State *L, int gap);
/* One instruction passed: 1 while the gap is not used up. */
int access_tick(lua_State *L);
/* The allocator freed `block` (alloc_on_free under --race). */
void access_forget(void *block);
/* Record what the instruction about to execute reads and writes. */
void access_track(lua_State *L, lua_Debug *ar);
/* Note what the instruction about to execute will touch, as the pending
   footprint of the running thread (--sched pos), changing nothing else. */
void access_peek(lua_State *L, lua_Debug *ar);

#endif
