/*
** cond.c: Condition over a Lock or RLock (a new RLock by default). wait()
** releases every recursion level of the lock, blocks, and restores them;
** notify(n) wakes the n oldest waiters, as Python's FIFO waiter deque does.
*/
#include <string.h>

#include "lock.h"
#include "sched.h"
#include "trace.h"

#define COND_MT "tsbox.Condition"

typedef struct Cond {
  Waitable w;
  WaitQ waiters;
} Cond;

/*
** The condition's lock, read from its user value at every use (a stored
** pointer would dangle if debug.setuservalue replaced it). Pushes the lock,
** which keeps it alive while a waiter blocks.
*/
static Lock *cond_lock(lua_State *L, int idx) {
  lua_getiuservalue(L, idx, 1);
  Lock *k = lock_test(L, -1);
  if (k == NULL) luaL_error(L, "Condition has lost its lock");
  return k;
}

#define checkcond(L, i) ((Cond *)prim_check(L, i, TAG_COND, sizeof(Cond), COND_MT))

/*
** acquire and release run the lock's own methods in this call's frame, so
** argument errors read "bad argument #2 to 'acquire'" as for a lock.
*/
static int cond_acquire(lua_State *L) {
  checkcond(L, 1);
  cond_lock(L, 1);
  lua_replace(L, 1);
  return lock_acquire(L);
}

static int cond_release(lua_State *L) {
  checkcond(L, 1);
  cond_lock(L, 1);
  lua_replace(L, 1);
  return lock_release(L);
}

static int cond_close(lua_State *L) {
  lua_settop(L, 1);
  return cond_release(L);
}

/* Wait until notified or `deadline`; 1 when notified. */
static int cond_wait_until(lua_State *L, Cond *c, int64_t deadline) {
  Thread *self = run_self;
  Lock *lock = cond_lock(L, 1);
  if (!lock_owned(lock, self))
    return err_raise(L, E_RUNTIME, "cannot wait on un-acquired lock");
  waitq_push(&c->waiters, self);
  int saved = lock_release_save(lock);
  int notified;
  if (deadline >= 0 && deadline <= sched_now()) {
    sched_point(self, SP_RELEASE);
    notified = 0;
  } else {
    notified = sched_block(self, &c->w, "wait", deadline) == WAKE_SIGNAL;
  }
  if (!notified) waitq_remove(&c->waiters, self);
  lock_acquire_restore(lock, self, saved);
  lua_pop(L, 1);
  return notified;
}

static int cond_wait(lua_State *L) {
  Cond *c = checkcond(L, 1);
  lua_pushboolean(L, cond_wait_until(L, c, arg_deadline(L, 2)));
  return 1;
}

static int cond_wait_for(lua_State *L) {
  Cond *c = checkcond(L, 1);
  luaL_checkany(L, 2);
  int64_t deadline = arg_deadline(L, 3);
  lua_settop(L, 2);
  for (;;) {
    lua_pushvalue(L, 2);
    lua_call(L, 0, 1);
    if (lua_toboolean(L, -1)) break;
    if (deadline >= 0 && deadline <= sched_now()) break;
    lua_pop(L, 1);
    cond_wait_until(L, c, deadline);
  }
  return 1;
}

static int cond_notify(lua_State *L) {
  Cond *c = checkcond(L, 1);
  lua_Integer n = luaL_optinteger(L, 2, 1);
  if (!lock_owned(cond_lock(L, 1), run_self))
    return err_raise(L, E_RUNTIME, "cannot notify on un-acquired lock");
  TRACE(run_self, EV_NOTIFY, &c->w, NULL, 0);
  if (n > 0) waitq_wake(&c->waiters, n > c->waiters.n ? c->waiters.n : (int)n);
  sched_point(run_self, SP_RELEASE);
  return 0;
}

static int cond_notify_all(lua_State *L) {
  lua_settop(L, 1);
  lua_pushinteger(L, checkcond(L, 1)->waiters.n);
  return cond_notify(L);
}

static int cond_tostring(lua_State *L) {
  Cond *c = checkcond(L, 1);
  lua_getiuservalue(L, 1, 1);
  const char *lock = luaL_tolstring(L, -1, NULL);
  lua_pushfstring(L, "<Condition \"%s\" waiters=%d %s>", c->w.name, c->waiters.n, lock);
  return 1;
}

static int cond_new(lua_State *L) {
  static const char *const fields[] = { "lock", "name", NULL };
  args_named(L, fields);
  lua_settop(L, 2);
  if (lua_isnil(L, 1)) {
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_getfield(L, -1, "tsbox");
    lua_getfield(L, -1, "RLock");
    lua_call(L, 0, 1);
    lua_replace(L, 1);
    lua_settop(L, 2);
  }
  Lock *k = lock_test(L, 1);
  if (k == NULL) return luaL_typeerror(L, 1, "Lock or RLock");
  Cond *c = lua_newuserdatauv(L, sizeof *c, 1);
  memset(c, 0, sizeof *c);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);
  prim_init(L, &c->w, TAG_COND, 2);
  prim_setclass(L, COND_MT);
  return 1;
}

void cond_open(lua_State *L) {
  static const luaL_Reg methods[] = {
    { "acquire", cond_acquire }, { "release", cond_release },
    { "wait", cond_wait }, { "wait_for", cond_wait_for },
    { "notify", cond_notify }, { "notify_all", cond_notify_all },
    { "with", prim_with }, { "hold", prim_hold }, { NULL, NULL }
  };
  static const luaL_Reg meta[] = {
    { "__close", cond_close }, { "__tostring", cond_tostring }, { NULL, NULL }
  };
  prim_class(L, COND_MT, meta, methods);
  lua_pushcfunction(L, cond_new);
  lua_setfield(L, -2, "Condition");
}
