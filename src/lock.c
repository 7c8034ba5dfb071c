/*
** lock.c: Lock and RLock, with Python's semantics and messages. A released
** lock wakes its oldest waiter, which then competes for it like any other
** thread (no hand-off), as CPython's locks do. Condition builds on the
** lock_* calls exported in lock.h.
*/
#include <string.h>

#include "lock.h"
#include "race.h"
#include "sched.h"
#include "trace.h"

#define LOCK_MT "tsbox.Lock"
#define RLOCK_MT "tsbox.RLock"

/*
** Every live Lock and RLock sits in a weak-keyed table among the run's
** anchors, so that reports can say who holds what; the collector removes
** the dead ones, and no script can reach the table to put foreign keys in.
*/
void lock_held_by(const Thread *t, char *buf, size_t n) {
  size_t len = 0;
  buf[0] = '\0';
  lua_State *L = R->Lrep;
  if (L == NULL) return;
  prim_push_anchors(L);
  lua_rawgeti(L, -1, ANCHOR_LOCKS);
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    const Lock *k = lock_test(L, -2);
    if (k && k->count > 0 && k->w.owner == t && len + 8 < n)
      len += (size_t)snprintf(buf + len, n - len, "%s%s \"%s\"", len ? ", " : "", k->w.kind, k->w.name);
    lua_pop(L, 1);
  }
  lua_pop(L, 2);
}

Lock *lock_test(lua_State *L, int idx) {
  return prim_test(L, idx, TAG_LOCK | TAG_RLOCK, sizeof(Lock));
}

static Lock *checklock(lua_State *L, int idx) {
  Lock *k = lock_test(L, idx);
  if (k == NULL) luaL_typeerror(L, idx, "Lock");
  return k;
}

/* Take the lock for `self`, waiting until `deadline`; 1 on success. */
int lock_take(Lock *k, Thread *self, int64_t deadline) {
  sched_visible(&k->w, TOUCH_ACQUIRE);
  for (;;) {
    if (k->count == 0) {
      k->count = 1;
      k->w.owner = self;
      RACE(acquire(self, &k->w, RACE_LOCK));
      TRACE(self, EV_ACQUIRE, &k->w, NULL, 0);
      sched_touch(&k->w, TOUCH_ACQUIRE);
      return 1;
    }
    if (deadline >= 0 && deadline <= sched_now()) {
      sched_touch(&k->w, TOUCH_READ);   /* saw it held */
      return 0;
    }
    sched_touch(&k->w, TOUCH_ATTEMPT);
    waitq_push(&k->waiters, self);
    if (sched_block(self, &k->w, "acquire", deadline) == WAKE_TIMEOUT) {
      waitq_remove(&k->waiters, self);
      if (k->count == 0) continue;   /* freed as the timer fired: take it */
      sched_touch(&k->w, TOUCH_READ);
      return 0;
    }
  }
}

/* Drop one level of the lock; wake a waiter when it becomes free. */
void lock_give(Lock *k) {
  if (--k->count > 0) return;
  RACE(release(run_self, &k->w, RACE_LOCK));
  k->w.owner = NULL;
  Thread *t = waitq_pop(&k->waiters);
  if (t) sched_wake(t);
}

int lock_owned(const Lock *k, const Thread *self) {
  return k->reentrant ? k->w.owner == self : k->count > 0;
}

/* Release every level (Condition.wait); returns what to restore. */
int lock_release_save(Lock *k) {
  int n = k->count;
  TRACE(run_self, EV_RELEASE, &k->w, NULL, n);
  sched_touch(&k->w, TOUCH_RELEASE);
  k->count = 1;
  lock_give(k);
  return n;
}

void lock_acquire_restore(Lock *k, Thread *self, int n) {
  lock_take(k, self, -1);
  k->count = n;
}

/*
** Parse acquire([blocking=true], [timeout]) as CPython 3.13 does for
** locks: -1 or nil waits forever, other negatives are an error.
*/
static int64_t lock_deadline(lua_State *L) {
  int blocking = arg_blocking(L, 2);
  if (lua_isnoneornil(L, 3)) return blocking ? -1 : sched_now();
  lua_Number t = arg_timeout(L, 3);
  if (!blocking) {
    if (t == -1) return sched_now();
    return err_raise(L, E_VALUE, "can't specify a timeout for a non-blocking call");
  }
  if (t == -1) return -1;
  if (t < 0) return err_raise(L, E_VALUE, "timeout value must be a non-negative number");
  return sched_deadline(t);
}

int lock_acquire(lua_State *L) {
  Lock *k = checklock(L, 1);
  int64_t deadline = lock_deadline(L);
  Thread *self = run_self;
  if (k->reentrant && k->w.owner == self) {
    k->count++;
    TRACE(self, EV_ACQUIRE, &k->w, NULL, 0);
    sched_touch(&k->w, TOUCH_ACQUIRE);
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushboolean(L, lock_take(k, self, deadline));
  return 1;
}

int lock_release(lua_State *L) {
  Lock *k = checklock(L, 1);
  if (k->reentrant ? k->w.owner != run_self : k->count == 0)
    return err_raise(L, E_RUNTIME, k->reentrant ? "cannot release un-acquired lock"
                                                : "release unlocked lock");
  TRACE(run_self, EV_RELEASE, &k->w, NULL, 0);
  sched_touch(&k->w, TOUCH_RELEASE);
  lock_give(k);
  sched_point(run_self, SP_RELEASE);
  return 0;
}

static int lock_locked(lua_State *L) {
  Lock *k = checklock(L, 1);
  sched_touch(&k->w, TOUCH_READ);
  lua_pushboolean(L, k->count > 0);
  return 1;
}

/* RLock:_is_owned(), as CPython's: held by the calling thread. */
static int rlock_is_owned(lua_State *L) {
  lua_pushboolean(L, lock_owned(prim_check(L, 1, TAG_RLOCK, sizeof(Lock), RLOCK_MT), run_self));
  return 1;
}

static int lock_close(lua_State *L) {
  lua_settop(L, 1);
  return lock_release(L);
}

static int lock_tostring(lua_State *L) {
  Lock *k = checklock(L, 1);
  sched_touch(&k->w, TOUCH_READ);
  if (k->count == 0)
    lua_pushfstring(L, "<%s \"%s\" unlocked>", k->w.kind, k->w.name);
  else if (k->reentrant)
    lua_pushfstring(L, "<%s \"%s\" locked by %s count=%d>", k->w.kind, k->w.name,
                    k->w.owner->name, k->count);
  else if (k->w.owner)
    lua_pushfstring(L, "<%s \"%s\" locked by %s>", k->w.kind, k->w.name, k->w.owner->name);
  else
    lua_pushfstring(L, "<%s \"%s\" locked>", k->w.kind, k->w.name);
  return 1;
}

static int new_lock(lua_State *L, int reentrant) {
  static const char *const fields[] = { "name", NULL };
  args_named(L, fields);
  lua_settop(L, 1);
  Lock *k = lua_newuserdatauv(L, sizeof *k, 0);
  memset(k, 0, sizeof *k);
  k->reentrant = reentrant;
  prim_init(L, &k->w, reentrant ? TAG_RLOCK : TAG_LOCK, 1);
  prim_setclass(L, reentrant ? RLOCK_MT : LOCK_MT);
  prim_push_anchors(L);
  lua_rawgeti(L, -1, ANCHOR_LOCKS);
  lua_pushvalue(L, -3);
  lua_pushboolean(L, 1);
  lua_rawset(L, -3);
  lua_pop(L, 2);
  return 1;
}

static int lock_new(lua_State *L) { return new_lock(L, 0); }
static int rlock_new(lua_State *L) { return new_lock(L, 1); }

void lock_open(lua_State *L) {
  static const luaL_Reg methods[] = {
    { "acquire", lock_acquire }, { "release", lock_release },
    { "locked", lock_locked }, { "with", prim_with }, { "hold", prim_hold },
    { NULL, NULL }
  };
  static const luaL_Reg rmethods[] = {
    { "acquire", lock_acquire }, { "release", lock_release },
    { "locked", lock_locked }, { "with", prim_with }, { "hold", prim_hold },
    { "_is_owned", rlock_is_owned }, { NULL, NULL }
  };
  static const luaL_Reg meta[] = {
    { "__close", lock_close }, { "__tostring", lock_tostring }, { NULL, NULL }
  };
  lua_newtable(L);
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  prim_push_anchors(L);
  lua_insert(L, -2);
  lua_rawseti(L, -2, ANCHOR_LOCKS);
  lua_pop(L, 1);
  prim_class(L, LOCK_MT, meta, methods);
  prim_class(L, RLOCK_MT, meta, rmethods);
  lua_pushnumber(L, TIMEOUT_MAX);
  lua_setfield(L, -2, "TIMEOUT_MAX");
  lua_pushcfunction(L, lock_new);
  lua_setfield(L, -2, "Lock");
  lua_pushcfunction(L, rlock_new);
  lua_setfield(L, -2, "RLock");
}
