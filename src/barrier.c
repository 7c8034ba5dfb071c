/*
** barrier.c: Barrier with Python's state machine: filling, draining,
** resetting, broken. The last of `parties` arrivals runs the action and
** releases everyone; a timeout, a failing action or abort() breaks it.
*/
#include <string.h>

#include "prim.h"
#include "race.h"
#include "sched.h"
#include "trace.h"

#define BARRIER_MT "tsbox.Barrier"

enum { FILLING = 0, DRAINING = 1, RESETTING = -1, BROKEN = -2 };

typedef struct Barrier {
  Waitable w;
  int parties, count, state;
  double timeout;      /* default for wait(); < 0: none */
  WaitQ waiters;
} Barrier;

#define checkbarrier(L, i) ((Barrier *)prim_check(L, i, TAG_BARRIER, sizeof(Barrier), BARRIER_MT))

static void barrier_break(Barrier *b) {
  TRACE(run_self, EV_BREAK, &b->w, NULL, 0);
  b->state = BROKEN;
  waitq_wake(&b->waiters, -1);
}

/* The last thread out of a draining or resetting barrier refills it. */
static void barrier_exit(Barrier *b) {
  if (b->count == 0 && (b->state == RESETTING || b->state == DRAINING)) {
    b->state = FILLING;
    waitq_wake(&b->waiters, -1);
  }
}

/* Block until woken or `deadline`; 0 on timeout. */
static int barrier_block(Barrier *b, int64_t deadline) {
  Thread *self = run_self;
  if (deadline >= 0 && deadline <= sched_now()) return 0;
  waitq_push(&b->waiters, self);
  if (sched_block(self, &b->w, "wait", deadline) == WAKE_TIMEOUT) {
    waitq_remove(&b->waiters, self);
    return 0;
  }
  return 1;
}

static int broken_error(lua_State *L) {
  return err_raise(L, E_BROKEN, "the barrier is broken");
}

static int barrier_wait(lua_State *L) {
  Barrier *b = checkbarrier(L, 1);
  int64_t deadline = !lua_isnoneornil(L, 2) ? arg_deadline(L, 2)
                   : b->timeout >= 0 ? sched_deadline(b->timeout) : -1;
  while (b->state == DRAINING || b->state == RESETTING) barrier_block(b, -1);
  if (b->state == BROKEN) return broken_error(L);
  int index = b->count++;
  RACE(release(run_self, &b->w, 0));   /* every arrival before every departure */
  if (index + 1 == b->parties) {
    RACE(acquire(run_self, &b->w, 0));   /* the action runs after every arrival */
    lua_getiuservalue(L, 1, 1);
    if (!lua_isnil(L, -1) && lua_pcall(L, 0, 0, 0) != LUA_OK) {
      barrier_break(b);
      b->count--;
      barrier_exit(b);
      return lua_error(L);
    }
    RACE(release(run_self, &b->w, 0));   /* the action, too, before every departure */
    b->state = DRAINING;
    waitq_wake(&b->waiters, -1);
    sched_point(run_self, SP_RELEASE);
  } else {
    while (b->state == FILLING) {
      if (!barrier_block(b, deadline) && b->state == FILLING) {
        barrier_break(b);
        break;
      }
    }
    if (b->state < 0) {
      b->count--;
      barrier_exit(b);
      return broken_error(L);
    }
  }
  b->count--;
  barrier_exit(b);
  RACE(acquire(run_self, &b->w, 0));
  TRACE(run_self, EV_PASS, &b->w, NULL, index);
  lua_pushinteger(L, index);
  return 1;
}

static int barrier_reset(lua_State *L) {
  Barrier *b = checkbarrier(L, 1);
  if (b->count > 0) {
    if (b->state == FILLING || b->state == BROKEN) b->state = RESETTING;
  } else {
    b->state = FILLING;
  }
  waitq_wake(&b->waiters, -1);
  return 0;
}

static int barrier_abort(lua_State *L) {
  barrier_break(checkbarrier(L, 1));
  sched_point(run_self, SP_RELEASE);
  return 0;
}

static int barrier_index(lua_State *L) {
  Barrier *b = checkbarrier(L, 1);
  const char *k = luaL_checkstring(L, 2);
  if (strcmp(k, "parties") == 0) lua_pushinteger(L, b->parties);
  else if (strcmp(k, "n_waiting") == 0) lua_pushinteger(L, b->state == FILLING ? b->count : 0);
  else if (strcmp(k, "broken") == 0) lua_pushboolean(L, b->state == BROKEN);
  else if (strcmp(k, "name") == 0) lua_pushstring(L, b->w.name);
  else prim_method(L, 2);
  return 1;
}

static int barrier_tostring(lua_State *L) {
  Barrier *b = checkbarrier(L, 1);
  lua_pushfstring(L, "<Barrier \"%s\" waiters=%d/%d%s>", b->w.name,
                  b->state == FILLING ? b->count : 0, b->parties,
                  b->state == BROKEN ? " broken" : "");
  return 1;
}

static int barrier_new(lua_State *L) {
  static const char *const fields[] = { "parties", "action", "timeout", "name", NULL };
  args_named(L, fields);
  lua_settop(L, 4);
  lua_Integer parties = luaL_checkinteger(L, 1);
  if (!lua_isnil(L, 2)) luaL_checktype(L, 2, LUA_TFUNCTION);
  double timeout = lua_isnil(L, 3) ? -1 : arg_seconds(L, 3);
  if (parties < 1) return err_raise(L, E_VALUE, "parties must be >= 1");
  if (parties > 1000000000) return err_raise(L, E_VALUE, "parties is too large");
  Barrier *b = lua_newuserdatauv(L, sizeof *b, 1);
  memset(b, 0, sizeof *b);
  b->parties = (int)parties;
  b->timeout = lua_isnil(L, 3) ? -1 : (timeout < 0 ? 0 : timeout);
  lua_pushvalue(L, 2);
  lua_setiuservalue(L, -2, 1);
  prim_init(L, &b->w, TAG_BARRIER, 4);
  prim_setclass(L, BARRIER_MT);
  return 1;
}

void barrier_open(lua_State *L) {
  static const luaL_Reg methods[] = {
    { "wait", barrier_wait }, { "reset", barrier_reset }, { "abort", barrier_abort },
    { NULL, NULL }
  };
  prim_newclass(L, BARRIER_MT);
  lua_pushcfunction(L, barrier_tostring);
  lua_setfield(L, -2, "__tostring");
  luaL_newlib(L, methods);
  lua_pushcclosure(L, barrier_index, 1);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  lua_pushcfunction(L, barrier_new);
  lua_setfield(L, -2, "Barrier");
}
