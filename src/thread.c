/*
** thread.c: tsbox threads. Each is a POSIX thread running one coroutine of
** the shared universe; this file owns their life cycle (create, start, run
** the target, record its result or error, exit) and the Lua-facing Thread
** API and module functions (current_thread, enumerate, ...). Scheduling
** decisions are the scheduler's.
*/
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "prim.h"
#include "report.h"
#include "sched.h"
#include "trace.h"
#include "thread.h"

#define THREAD_MT "tsbox.Thread"
#define THREAD_STACK (1u << 20)
/* Most arguments a Thread's args table may hold (Lua's stack limit is 1e6). */
#ifndef THREAD_MAX_ARGS
#define THREAD_MAX_ARGS 1000000
#endif

typedef struct { uint64_t magic; Thread *t; } ThreadBox;

#define checkthread(L, i) (((ThreadBox *)prim_check(L, i, TAG_THREAD, sizeof(ThreadBox), THREAD_MT))->t)

Thread *thread_new(const char *name) {
  Thread *t = calloc(1, sizeof *t);
  if (t == NULL) return NULL;
  t->name = strdup(name);
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&t->cv, &ca);
  t->state = TS_NEW;
  t->deadline = -1;
  t->heap_idx = t->runq_idx = -1;
  t->done_w.kind = "Thread";
  snprintf(t->done_w.name, sizeof t->done_w.name, "%s", name);
  t->done_w.owner = t;
  if (R->nthreads == R->cap_threads) {
    int n = R->cap_threads ? R->cap_threads * 2 : 64;
    Thread **a = realloc(R->threads, (size_t)n * sizeof *a);
    if (a == NULL) { free(t->name); free(t); return NULL; }
    R->threads = a;
    R->cap_threads = n;
  }
  R->threads[R->nthreads++] = t;
  t->serial = R->nthreads;
  return t;
}

/*
** {======================================================
** Anchors
** =======================================================
*/

/* The anchors (run.c) hold each started thread's object under its Thread
   pointer; the object's second user value is the thread's coroutine. */

/* Anchor the value on top of `L` (or drop the anchor, given nil) under `t`. */
static void anchor_set(lua_State *L, Thread *t) {
  run_push_anchors(L);
  lua_insert(L, -2);
  lua_rawsetp(L, -2, t);
  lua_pop(L, 1);
}

void thread_push(lua_State *L, Thread *t) {
  run_push_anchors(L);
  lua_rawgetp(L, -1, t);
  lua_remove(L, -2);
}

/* }====================================================== */

/*
** Wrap `t` in a new Lua object. User value 1 holds target, args and
** results (scripts may read and edit it); user value 2 the coroutine.
*/
static void thread_box(lua_State *L, Thread *t) {
  ThreadBox *b = lua_newuserdatauv(L, sizeof *b, 2);
  b->magic = PRIM_MAGIC | TAG_THREAD;
  b->t = t;
  luaL_setmetatable(L, THREAD_MT);
  lua_newtable(L);
  lua_setiuservalue(L, -2, 1);
}

void thread_adopt_main(lua_State *L, Thread *t) {
  thread_box(L, t);
  anchor_set(L, t);
}

/*
** {======================================================
** Running a thread
** =======================================================
*/

/* Message handler: keep the traceback beside the error value. */
static int thread_msgh(lua_State *L) {
  Thread *self = run_self;
  luaL_traceback(L, L, NULL, 1);
  thread_push(L, self);
  if (lua_getiuservalue(L, -1, 1) == LUA_TTABLE) {
    lua_pushvalue(L, -3);
    lua_setfield(L, -2, "traceback");
  }
  lua_settop(L, 1);
  return 1;
}

static int tostring_value(lua_State *L) {
  luaL_tolstring(L, 1, NULL);
  return 1;
}

/*
** The error value as text. Its __tostring is user code that may raise or
** yield, so it runs protected; if it fails the value is named by its type.
*/
static const char *error_text(lua_State *L) {
  lua_pushcfunction(L, tostring_value);
  lua_pushvalue(L, -2);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK || !lua_isstring(L, -1)) {
    const char *type = luaL_typename(L, -2);
    lua_pop(L, 1);
    lua_pushfstring(L, "(error object is a %s value whose __tostring failed)", type);
  }
  return lua_tostring(L, -1);
}

/* Print an uncaught error the way Python's threading.excepthook does. */
static void report_uncaught(lua_State *L, Thread *t, int is_main) {
  const char *msg = error_text(L);
  thread_push(L, t);
  const char *tb = NULL;
  if (lua_getiuservalue(L, -1, 1) == LUA_TTABLE) {
    lua_getfield(L, -1, "traceback");
    tb = lua_tostring(L, -1);
  } else {
    lua_pushnil(L);
  }
  fflush(stdout);
  if (is_main)
    fprintf(stderr, "tsbox: %s\n%s\n", msg, tb ? tb : "");
  else
    fprintf(stderr, "Exception in thread %s:\n%s\n%s\n", t->name, msg, tb ? tb : "");
  fflush(stderr);
  lua_pop(L, 4);
  R->nerrors++;
  run_failure(EXIT_FAIL, "error", t, msg);
}

/*
** Call the function below `nargs` arguments on top of `co`; store its
** results in `t.result` or its error in `t.error`. Returns the pcall status.
*/
/*
** The body of a thread, run protected by thread_call: call the target,
** then store its results in `t.result` or its error in `t.error` and print
** it. Storing allocates and may meet a hostile metatable, so it must be
** protected too: an unprotected error in a coroutine would be re-thrown
** into the main thread's error handler, on another OS thread's stack.
** Arguments: the Thread, whether it runs the main chunk, the function and
** its arguments.
*/
static int thread_body(lua_State *co) {
  Thread *t = lua_touserdata(co, 1);
  int is_main = lua_toboolean(co, 2);
  lua_rotate(co, 1, -2);
  lua_pop(co, 2);                         /* [fn args...] */
  int nargs = lua_gettop(co) - 1;
  lua_pushcfunction(co, thread_msgh);
  lua_insert(co, 1);
  int st = lua_pcall(co, nargs, LUA_MULTRET, 1);
  int nres = lua_gettop(co) - 1;
  thread_push(co, t);
  lua_getiuservalue(co, -1, 1);           /* [msgh results... ud uv] */
  if (!lua_istable(co, -1)) return 0;     /* the user value was replaced */
  if (st == LUA_OK) {
    lua_createtable(co, nres, 1);
    for (int i = 1; i <= nres; i++) {
      lua_pushvalue(co, 1 + i);
      lua_rawseti(co, -2, i);
    }
    lua_pushinteger(co, nres);
    lua_setfield(co, -2, "n");
    lua_setfield(co, -2, "result");
  } else {
    if (alloc_limit_hit()) {
      report_memory_limit(t);
    }
    lua_pushvalue(co, 2);
    lua_setfield(co, -2, "error");
    lua_settop(co, 2);
    report_uncaught(co, t, is_main);
  }
  lua_pushinteger(co, st);
  return 1;
}

/* Run the function below `nargs` arguments on top of `co` as `t`'s body. */
int thread_call(lua_State *co, Thread *t, int nargs, int is_main) {
  int base = lua_gettop(co) - nargs;      /* index of the function */
  /* Nothing before the pcall may allocate (an error here would have no
     handler on this OS thread): a light C function, two plain values. */
  int st = LUA_ERRMEM;
  const char *msg = "not enough memory";
  if (lua_checkstack(co, 3)) {
    lua_pushcfunction(co, thread_body);
    lua_pushlightuserdata(co, t);
    lua_pushboolean(co, is_main);
    lua_rotate(co, base, 3);
    st = lua_pcall(co, nargs + 3, 1, 0);
    if (st != LUA_OK)
      msg = lua_type(co, -1) == LUA_TSTRING ? lua_tostring(co, -1) : "(not a string)";
  }
  if (st != LUA_OK) {
    /* tsbox's own bookkeeping failed: out of memory, or a hostile value. */
    if (alloc_limit_hit()) {
      report_memory_limit(t);
    }
    fflush(stdout);
    fprintf(stderr, "tsbox: thread \"%s\" ended, but its outcome could not be recorded: %s\n",
            t->name, msg);
    run_failure(EXIT_FAIL, "error", t, msg);
  } else {
    st = (int)lua_tointeger(co, -1);
  }
  lua_settop(co, base - 1);
  return st;
}

static void *thread_main(void *arg) {
  Thread *t = arg;
  run_self = t;
  sched_enter(t);
  lua_State *co = t->co;
  sched_install_hook(co, t);
  thread_call(co, t, lua_gettop(co) - 1, 0);
  lua_settop(co, 0);
  t->co = NULL;
  lua_pushnil(co);            /* the key exists: clearing it cannot allocate */
  anchor_set(co, t);
  sched_exit(t);
  return NULL;
}

/* }====================================================== */

/*
** {======================================================
** Thread objects
** =======================================================
*/

static int thread_create(lua_State *L) {
  static const char *const fields[] = { "target", "name", "args", "daemon", NULL };
  args_named(L, fields);
  lua_settop(L, 4);
  luaL_checktype(L, 1, LUA_TFUNCTION);
  if (!lua_isnil(L, 3)) luaL_checktype(L, 3, LUA_TTABLE);
  Waitable w;
  prim_init(L, &w, TAG_THREAD, 2);
  Thread *t = thread_new(lua_isnil(L, 2) ? w.name : lua_tostring(L, 2));
  if (t == NULL) return luaL_error(L, "not enough memory");
  t->daemon = lua_isnil(L, 4) ? (run_self ? run_self->daemon : 0) : lua_toboolean(L, 4);
  thread_box(L, t);
  lua_getiuservalue(L, -1, 1);
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "target");
  if (!lua_isnil(L, 3)) {
    lua_pushvalue(L, 3);
    lua_setfield(L, -2, "args");
  }
  lua_pop(L, 1);
  return 1;
}

static int thread_start(lua_State *L) {
  Thread *t = checkthread(L, 1);
  if (t->state != TS_NEW || t->co != NULL)
    return err_raise(L, E_RUNTIME, "threads can only be started once");
  if (R->opt.max_threads > 0 && R->nlive >= R->opt.max_threads)
    report_limit(run_self, "thread limit", "--max-threads");
  lua_State *co = lua_newthread(L);
  lua_setiuservalue(L, 1, 2);
  /* Started from here on: the metamethods below may call start() again. */
  t->co = co;
  lua_getiuservalue(L, 1, 1);
  lua_getfield(L, -1, "target");
  lua_xmove(L, co, 1);
  lua_getfield(L, -1, "args");
  if (lua_istable(L, -1)) {
    /* The length may come from a __len metamethod: bound it before it
       sizes the new stack, as table.unpack does. */
    lua_Integer n = luaL_len(L, -1);
    if (n > THREAD_MAX_ARGS || (n > 0 && !lua_checkstack(co, (int)n + LUA_MINSTACK)))
      return luaL_error(L, "too many arguments (%I)", n);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_geti(L, -1, i);
      lua_xmove(L, co, 1);
    }
  }
  lua_pop(L, 2);
  lua_pushvalue(L, 1);
  anchor_set(L, t);
  t->ident = ++R->next_ident;
  sched_spawn(t);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, THREAD_STACK);
  pthread_t pt;
  int rc = pthread_create(&pt, &attr, thread_main, t);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    fprintf(stderr, "tsbox: cannot create a thread: %s\n", strerror(rc));
    report_limit(run_self, "thread limit (the system refused a new thread)", "--max-threads");
  }
  TRACE(run_self, EV_START, NULL, t, 0);
  sched_point(run_self, SP_START);
  return 0;
}

static int thread_join(lua_State *L) {
  Thread *t = checkthread(L, 1);
  int64_t deadline = arg_deadline(L, 2);
  Thread *self = run_self;
  if (t == self) return err_raise(L, E_RUNTIME, "cannot join current thread");
  if (t->state == TS_NEW) return err_raise(L, E_RUNTIME, "cannot join thread before it is started");
  while (t->state != TS_DONE) {
    waitq_push(&t->joiners, self);
    if (sched_block(self, &t->done_w, "join", deadline) == WAKE_TIMEOUT) {
      waitq_remove(&t->joiners, self);
      break;
    }
  }
  /* A join returns after the exit it waited for (never before it: dfs
     needs no other order); one that timed out saw the thread alive. */
  sched_touch(t->state == TS_DONE ? (const void *)&t->joiners : (const void *)&t->done_w,
              t->state == TS_DONE ? TOUCH_RECV : TOUCH_READ);
  lua_pushboolean(L, t->state == TS_DONE);
  return 1;
}

static int thread_is_alive(lua_State *L) {
  Thread *t = checkthread(L, 1);
  sched_touch(&t->done_w, TOUCH_READ);
  lua_pushboolean(L, t->state != TS_NEW && t->state != TS_DONE);
  return 1;
}

static int thread_index(lua_State *L) {
  Thread *t = checkthread(L, 1);
  const char *k = lua_tostring(L, 2);
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
  sched_touch(&t->done_w, TOUCH_READ);   /* fields its start and exit set */
  if (k && strcmp(k, "name") == 0) lua_pushstring(L, t->name);
  else if (k && strcmp(k, "ident") == 0) {
    if (t->ident) lua_pushinteger(L, t->ident); else lua_pushnil(L);
  }
  else if (k && strcmp(k, "daemon") == 0) lua_pushboolean(L, t->daemon);
  else if (lua_getiuservalue(L, 1, 1) == LUA_TTABLE) {
    lua_pushvalue(L, 2);
    lua_rawget(L, -2);
  } else {
    lua_pushnil(L);
  }
  return 1;
}

static int thread_newindex(lua_State *L) {
  Thread *t = checkthread(L, 1);
  const char *k = lua_tostring(L, 2);
  if (k && strcmp(k, "name") == 0) {
    const char *s = luaL_checkstring(L, 3);
    free(t->name);
    t->name = strdup(s);
    snprintf(t->done_w.name, sizeof t->done_w.name, "%s", s);
  } else if (k && strcmp(k, "daemon") == 0) {
    if (t->state != TS_NEW)
      return err_raise(L, E_RUNTIME, "cannot set daemon status of active thread");
    t->daemon = lua_toboolean(L, 3);
  } else if (k && (strcmp(k, "ident") == 0 || strcmp(k, "result") == 0 ||
                   strcmp(k, "error") == 0)) {
    return luaL_error(L, "Thread field '%s' is read-only", k);
  } else if (lua_getiuservalue(L, 1, 1) == LUA_TTABLE) {
    lua_pushvalue(L, 2);
    lua_pushvalue(L, 3);
    lua_rawset(L, -3);
  }
  return 0;
}

static int thread_tostring(lua_State *L) {
  Thread *t = checkthread(L, 1);
  const char *st = t->state == TS_NEW ? "initial" : t->state == TS_DONE ? "stopped" : "started";
  if (t->ident)
    lua_pushfstring(L, "<Thread \"%s\" %s ident=%d%s>", t->name, st, t->ident,
                    t->daemon ? " daemon" : "");
  else
    lua_pushfstring(L, "<Thread \"%s\" %s%s>", t->name, st, t->daemon ? " daemon" : "");
  return 1;
}

/* }====================================================== */

/*
** {======================================================
** Module functions
** =======================================================
*/

static int ts_spawn(lua_State *L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  int n = lua_gettop(L);
  lua_createtable(L, n - 1, 0);
  for (int i = 2; i <= n; i++) {
    lua_pushvalue(L, i);
    lua_rawseti(L, -2, i - 1);
  }
  lua_pushcfunction(L, thread_create);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  lua_pushvalue(L, -4);
  lua_call(L, 3, 1);
  lua_pushcfunction(L, thread_start);
  lua_pushvalue(L, -2);
  lua_call(L, 1, 0);
  return 1;
}

static int ts_current_thread(lua_State *L) {
  thread_push(L, run_self);
  return 1;
}

static int ts_main_thread(lua_State *L) {
  thread_push(L, R->main);
  return 1;
}

/* The set of live threads: the list (spawns) and each one's exit. */
static void touch_all_threads(void) {
  sched_touch(&R->threads, TOUCH_READ);
  for (int i = 0; i < R->nthreads; i++) sched_touch(&R->threads[i]->done_w, TOUCH_READ);
}

static int ts_enumerate(lua_State *L) {
  touch_all_threads();
  lua_newtable(L);
  int k = 0;
  for (int i = 0; i < R->nthreads; i++) {
    Thread *t = R->threads[i];
    if (t->state == TS_NEW || t->state == TS_DONE) continue;
    thread_push(L, t);
    lua_rawseti(L, -2, ++k);
  }
  return 1;
}

static int ts_active_count(lua_State *L) {
  touch_all_threads();
  lua_pushinteger(L, R->nlive);
  return 1;
}

static int ts_get_ident(lua_State *L) {
  lua_pushinteger(L, run_self->ident);
  return 1;
}

/* }====================================================== */

void thread_open(lua_State *L) {
  static const luaL_Reg methods[] = {
    { "start", thread_start }, { "join", thread_join },
    { "is_alive", thread_is_alive }, { NULL, NULL }
  };
  static const luaL_Reg funcs[] = {
    { "Thread", thread_create }, { "spawn", ts_spawn },
    { "current_thread", ts_current_thread }, { "main_thread", ts_main_thread },
    { "enumerate", ts_enumerate }, { "active_count", ts_active_count },
    { "get_ident", ts_get_ident }, { NULL, NULL }
  };
  luaL_newmetatable(L, THREAD_MT);
  luaL_newlib(L, methods);
  lua_pushcclosure(L, thread_index, 1);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, thread_newindex);
  lua_setfield(L, -2, "__newindex");
  lua_pushcfunction(L, thread_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  luaL_setfuncs(L, funcs, 0);
}
