/*
** cond.c: Condition over a Lock or RLock (a new RLock by default). wait()
** releases every recursion level of the lock, blocks, and restores them;
** notify(n) wakes the n oldest waiters. Waiters follow CPython's model
** exactly (a waiter lock per wait, in the `_waiters` deque), so that every
** schedule CPython allows exists here, the surprising ones included.
*/
#include <string.h>

#include "lock.h"
#include "sched.h"
#include "trace.h"

#define COND_MT "tsbox.Condition"

/*
** CPython's waiter lock: wait() appends one to `_waiters`, notify(n)
** releases the first n and removes them; a waiter that timed out removes
** itself only after it has re-taken the condition's lock. Until then a
** notify can still pick it, which wakes no one else: that notify is lost,
** as it is in CPython. A Waiter lives on its thread's C stack for the
** duration of one wait().
*/
typedef struct Waiter {
  Thread *t;
  int released;              /* notify released this waiter lock */
  int blocking;              /* the thread is inside sched_block for it */
  struct Waiter *next, *prev;
} Waiter;

typedef struct Cond {
  Waitable w;
  Waiter *head, *tail;       /* `_waiters`, oldest first */
  int n;
} Cond;

static void waiter_append(Cond *c, Waiter *x) {
  x->next = NULL;
  x->prev = c->tail;
  if (c->tail) c->tail->next = x; else c->head = x;
  c->tail = x;
  c->n++;
}

/* Remove `x` if it is still in `_waiters` (list.remove's ValueError ignored). */
static void waiter_remove(Cond *c, Waiter *x) {
  int linked = x->prev != NULL || c->head == x;
  if (!linked) return;
  if (x->prev) x->prev->next = x->next; else c->head = x->next;
  if (x->next) x->next->prev = x->prev; else c->tail = x->prev;
  x->next = x->prev = NULL;
  c->n--;
}

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

/*
** Wait until notified or `deadline`; 1 when this waiter's lock was
** released before the wait gave up (CPython's `gotit`). Nothing here
** raises once the waiter is linked, so it never outlives this frame.
*/
static int cond_wait_until(lua_State *L, Cond *c, int64_t deadline) {
  Thread *self = run_self;
  Lock *lock = cond_lock(L, 1);
  if (!lock_owned(lock, self))
    return err_raise(L, E_RUNTIME, "cannot wait on un-acquired lock");
  Waiter me = { self, 0, 0, NULL, NULL };
  waiter_append(c, &me);
  int saved = lock_release_save(lock);
  if (deadline >= 0 && deadline <= sched_now()) {
    sched_point(self, SP_RELEASE);          /* waiter.acquire(False) */
  } else {
    me.blocking = 1;
    while (!me.released && sched_block(self, &c->w, "wait", deadline) != WAKE_TIMEOUT) {}
    me.blocking = 0;
  }
  int gotit = me.released;
  lock_acquire_restore(lock, self, saved);
  if (!gotit) waiter_remove(c, &me);
  lua_pop(L, 1);
  return gotit;
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
  for (; n > 0 && c->head != NULL; n--) {
    Waiter *x = c->head;
    waiter_remove(c, x);
    x->released = 1;
    /* A waiter past its wait (timed out, now re-taking the lock) needs
       no wake: its notify is spent, as in CPython. */
    if (x->blocking) sched_wake(x->t);
  }
  sched_point(run_self, SP_RELEASE);
  return 0;
}

static int cond_notify_all(lua_State *L) {
  lua_settop(L, 1);
  lua_pushinteger(L, checkcond(L, 1)->n);
  return cond_notify(L);
}

static int cond_tostring(lua_State *L) {
  Cond *c = checkcond(L, 1);
  lua_getiuservalue(L, 1, 1);
  const char *lock = luaL_tolstring(L, -1, NULL);
  lua_pushfstring(L, "<Condition \"%s\" waiters=%d %s>", c->w.name, c->n, lock);
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
