/*
** sema.c: Semaphore and BoundedSemaphore with Python's semantics: a
** counter, acquire() waits while it is zero, release(n) adds n and wakes
** as many of the oldest waiters.
*/
#include <string.h>

#include "prim.h"
#include "race.h"
#include "sched.h"
#include "trace.h"

#define SEMA_MT "tsbox.Semaphore"
#define BSEMA_MT "tsbox.BoundedSemaphore"

typedef struct Sema {
  Waitable w;
  lua_Integer value, initial;
  int bounded;
  WaitQ waiters;
} Sema;

static Sema *checksema(lua_State *L, int idx) {
  return prim_check(L, idx, TAG_SEMA | TAG_BSEMA, sizeof(Sema), "Semaphore");
}

static int sema_acquire(lua_State *L) {
  Sema *s = checksema(L, 1);
  int blocking = arg_blocking(L, 2);
  if (!blocking && !lua_isnoneornil(L, 3))
    return err_raise(L, E_VALUE, "can't specify timeout for non-blocking acquire");
  int64_t deadline = blocking ? arg_deadline(L, 3) : sched_now();
  Thread *self = run_self;
  sched_visible(&s->w, TOUCH_ACQUIRE);
  for (;;) {
    if (s->value > 0) {
      s->value--;
      RACE(acquire(self, &s->w, s->initial > 0 ? RACE_LOCK : 0));
      TRACE(self, EV_ACQUIRE, &s->w, NULL, 0);
      lua_pushboolean(L, 1);
      return 1;
    }
    if (deadline >= 0 && deadline <= sched_now()) break;
    waitq_push(&s->waiters, self);
    if (sched_block(self, &s->w, "acquire", deadline) == WAKE_TIMEOUT) {
      waitq_remove(&s->waiters, self);
      if (s->value == 0) break;
    }
  }
  lua_pushboolean(L, 0);
  return 1;
}

static int sema_release(lua_State *L) {
  Sema *s = checksema(L, 1);
  lua_Integer n = luaL_optinteger(L, 2, 1);
  if (n < 1) return err_raise(L, E_VALUE, "n must be one or more");
  if (n > LUA_MAXINTEGER - s->value) return err_raise(L, E_VALUE, "n is too large");
  if (s->bounded && s->value + n > s->initial)
    return err_raise(L, E_VALUE, "Semaphore released too many times");
  s->value += n;
  RACE(release(run_self, &s->w, RACE_LOCK));
  TRACE(run_self, EV_RELEASE, &s->w, NULL, 0);
  waitq_wake(&s->waiters, n > s->waiters.n ? s->waiters.n : (int)n);
  sched_point(run_self, SP_RELEASE);
  return 0;
}

static int sema_value(lua_State *L) {
  lua_pushinteger(L, checksema(L, 1)->value);
  return 1;
}

static int sema_close(lua_State *L) {
  lua_settop(L, 1);
  return sema_release(L);
}

static int sema_tostring(lua_State *L) {
  Sema *s = checksema(L, 1);
  lua_pushfstring(L, "<%s \"%s\" value=%I/%I>", s->w.kind, s->w.name,
                  (LUAI_UACINT)s->value, (LUAI_UACINT)s->initial);
  return 1;
}

static int new_sema(lua_State *L, int bounded) {
  static const char *const fields[] = { "value", "name", NULL };
  args_named(L, fields);
  lua_settop(L, 2);
  lua_Integer v = luaL_optinteger(L, 1, 1);
  if (v < 0) return err_raise(L, E_VALUE, "semaphore initial value must be >= 0");
  Sema *s = lua_newuserdatauv(L, sizeof *s, 0);
  memset(s, 0, sizeof *s);
  s->value = s->initial = v;
  s->bounded = bounded;
  prim_init(L, &s->w, bounded ? TAG_BSEMA : TAG_SEMA, 2);
  prim_setclass(L, bounded ? BSEMA_MT : SEMA_MT);
  return 1;
}

static int sema_new(lua_State *L) { return new_sema(L, 0); }
static int bsema_new(lua_State *L) { return new_sema(L, 1); }

void sema_open(lua_State *L) {
  static const luaL_Reg methods[] = {
    { "acquire", sema_acquire }, { "release", sema_release },
    { "value", sema_value }, { "with", prim_with }, { "hold", prim_hold },
    { NULL, NULL }
  };
  static const luaL_Reg meta[] = {
    { "__close", sema_close }, { "__tostring", sema_tostring }, { NULL, NULL }
  };
  static const char *const names[] = { SEMA_MT, BSEMA_MT };
  for (int i = 0; i < 2; i++) prim_class(L, names[i], meta, methods);
  lua_pushcfunction(L, sema_new);
  lua_setfield(L, -2, "Semaphore");
  lua_pushcfunction(L, bsema_new);
  lua_setfield(L, -2, "BoundedSemaphore");
}
