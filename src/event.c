/*
** event.c: Event, Python's one-shot flag: set() wakes every waiter,
** clear() resets it, wait() returns the flag as Python does.
*/
#include <string.h>

#include "prim.h"
#include "race.h"
#include "sched.h"
#include "trace.h"

#define EVENT_MT "tsbox.Event"

typedef struct Event {
  Waitable w;
  int flag;
  WaitQ waiters;
} Event;

#define checkevent(L, i) ((Event *)prim_check(L, i, TAG_EVENT, sizeof(Event), EVENT_MT))

static int event_set(lua_State *L) {
  Event *e = checkevent(L, 1);
  e->flag = 1;
  RACE(release(run_self, &e->w, 0));
  TRACE(run_self, EV_SET, &e->w, NULL, 0);
  sched_touch(e, TOUCH_WRITE);
  waitq_wake(&e->waiters, -1);
  sched_point(run_self, SP_RELEASE);
  return 0;
}

static int event_clear(lua_State *L) {
  Event *e = checkevent(L, 1);
  e->flag = 0;
  TRACE(run_self, EV_CLEAR, &e->w, NULL, 0);
  sched_touch(e, TOUCH_WRITE);
  return 0;
}

static int event_is_set(lua_State *L) {
  Event *e = checkevent(L, 1);
  if (e->flag) RACE(acquire(run_self, &e->w, 0));   /* seeing it set is as good as a wait */
  lua_pushboolean(L, e->flag);
  return 1;
}

static int event_wait(lua_State *L) {
  Event *e = checkevent(L, 1);
  int64_t deadline = arg_deadline(L, 2);
  int signaled = e->flag;
  if (!signaled && !(deadline >= 0 && deadline <= sched_now())) {
    Thread *self = run_self;
    waitq_push(&e->waiters, self);
    signaled = sched_block(self, &e->w, "wait", deadline) == WAKE_SIGNAL;
    if (!signaled) waitq_remove(&e->waiters, self);
  }
  if (signaled) RACE(acquire(run_self, &e->w, 0));
  lua_pushboolean(L, signaled);
  return 1;
}

static int event_tostring(lua_State *L) {
  Event *e = checkevent(L, 1);
  lua_pushfstring(L, "<Event \"%s\" %s>", e->w.name, e->flag ? "set" : "unset");
  return 1;
}

static int event_new(lua_State *L) {
  static const char *const fields[] = { "name", NULL };
  args_named(L, fields);
  lua_settop(L, 1);
  Event *e = lua_newuserdatauv(L, sizeof *e, 0);
  memset(e, 0, sizeof *e);
  prim_init(L, &e->w, TAG_EVENT, 1);
  prim_setclass(L, EVENT_MT);
  return 1;
}

void event_open(lua_State *L) {
  static const luaL_Reg methods[] = {
    { "set", event_set }, { "clear", event_clear }, { "is_set", event_is_set },
    { "wait", event_wait }, { NULL, NULL }
  };
  static const luaL_Reg meta[] = { { "__tostring", event_tostring }, { NULL, NULL } };
  prim_class(L, EVENT_MT, meta, methods);
  lua_pushcfunction(L, event_new);
  lua_setfield(L, -2, "Event");
}
