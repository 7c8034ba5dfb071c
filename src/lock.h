/*
** lock.h: Lock and RLock, and the calls Condition uses to wait on them.
*/
#ifndef TSBOX_LOCK_H
#define TSBOX_LOCK_H

#include "prim.h"

typedef struct Lock {
  Waitable w;          /* w.owner: the holder */
  int count;           /* recursion depth; 0 when free */
  int reentrant;
  WaitQ waiters;
} Lock;

/* The locks `t` holds, as "Lock \"a\", RLock \"b\"" (empty if none). */
void lock_held_by(const Thread *t, char *buf, size_t n);

Lock *lock_test(lua_State *L, int idx);
/* Lock:acquire and Lock:release, for objects that wrap a lock. */
int lock_acquire(lua_State *L);
int lock_release(lua_State *L);
int lock_take(Lock *k, Thread *self, int64_t deadline);
void lock_give(Lock *k);
int lock_owned(const Lock *k, const Thread *self);
int lock_release_save(Lock *k);
void lock_acquire_restore(Lock *k, Thread *self, int n);

#endif
