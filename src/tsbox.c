/*
** tsbox.c: the `tsbox` Lua module. It gathers every family's constructors
** and adds what belongs to no family: time and scheduling (sleep, time,
** yield, seed, sched), checks and outcomes. It is preset as the global
** `tsbox` and in package.loaded.
*/
#include <stdlib.h>
#include <string.h>

#include "prim.h"
#include "outcome.h"
#include "race.h"
#include "report.h"
#include "sched.h"
#include "tsbox.h"
#include "toolbox_lua.h"

static int ts_sleep(lua_State *L) {
  lua_Number s = arg_seconds(L, 1);
  if (s < 0) return err_raise(L, E_VALUE, "sleep length must be non-negative");
  Thread *self = run_self;
  if (s == 0) return sched_yield_point(self, L) ? lua_yield(L, 0) : 0;
  sched_block(self, NULL, "sleep", sched_deadline(s));
  return 0;
}

static int ts_time(lua_State *L) {
  lua_pushnumber(L, (lua_Number)sched_now() / 1e9);
  return 1;
}

/* A thread that leaves its carrier here yields its coroutine (sched.h). */
static int ts_yield(lua_State *L) {
  return sched_yield_point(run_self, L) ? lua_yield(L, 0) : 0;
}

static int ts_seed(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)R->opt.seed);
  return 1;
}

static int ts_sched(lua_State *L) {
  lua_pushstring(L, run_sched_name(R->opt.sched));
  return 1;
}

/* ts._raise(kind, message, [level=1]): a tsbox error value, for toolbox.lua. */
static int ts_raise(lua_State *L) {
  const char *kind = luaL_checkstring(L, 1);
  const char *msg = luaL_checkstring(L, 2);
  int level = (int)luaL_optinteger(L, 3, 1);
  err_push(L, kind, msg, level);
  return lua_error(L);
}

/* ts.check(cond, msg): a failed assertion that lets the run go on. */
static int ts_check(lua_State *L) {
  luaL_checkany(L, 1);
  if (lua_toboolean(L, 1)) {
    lua_settop(L, 1);
    return 1;
  }
  const char *msg = lua_isnoneornil(L, 2) ? "check failed" : luaL_tolstring(L, 2, NULL);
  luaL_where(L, 1);
  const char *where = lua_tostring(L, -1);
  fflush(stdout);
  fprintf(stderr, "tsbox: check failed in thread \"%s\": %s%s\n", report_safe(run_self->name),
          where, msg);
  fflush(stderr);
  R->nchecks++;
  outcome_failure(EXIT_FAIL, "check", run_self, msg);
  lua_pushboolean(L, 0);
  return 1;
}

/* ts.outcome(...): the run's outcome, by which an exploration groups runs. */
static int ts_outcome(lua_State *L) {
  int n = lua_gettop(L);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (int i = 1; i <= n; i++) {
    if (i > 1) luaL_addchar(&b, ' ');
    luaL_tolstring(L, i, NULL);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  free(R->outcome);
  R->outcome = strdup(lua_tostring(L, -1));
  return 0;
}

void tsbox_open_module(lua_State *L) {
  static const luaL_Reg funcs[] = {
    { "sleep", ts_sleep }, { "time", ts_time }, { "yield", ts_yield },
    { "seed", ts_seed }, { "sched", ts_sched }, { "check", ts_check }, { "_raise", ts_raise },
    { "_race_acquire", race_lua_acquire }, { "_race_release", race_lua_release },
    { "_race_name", race_lua_name },
    { "outcome", ts_outcome },
    { NULL, NULL }
  };
  luaL_newlib(L, funcs);
  err_open(L);
  thread_open(L);
  lock_open(L);
  sema_open(L);
  event_open(L);
  cond_open(L);
  barrier_open(L);
  lua_pushliteral(L, TSBOX_VERSION);
  lua_setfield(L, -2, "version");
  if (luaL_loadbuffer(L, (const char *)toolbox_lua, sizeof toolbox_lua, "=[tsbox toolbox]") != LUA_OK)
    lua_error(L);
  lua_pushvalue(L, -2);
  lua_call(L, 1, 0);
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_pushvalue(L, -2);
  lua_setfield(L, -2, "tsbox");
  lua_pop(L, 1);
  lua_setglobal(L, "tsbox");
}
