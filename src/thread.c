/*
** thread.c: tsbox threads. Each is a POSIX thread running one coroutine of
** the shared universe; this file owns their life cycle (create, start, run
** the target, record its result or error, exit) and the Lua-facing Thread
** API and module functions (current_thread, enumerate, ...). Scheduling
** decisions are the scheduler's.
*/
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <lualib.h>

#include "alloc.h"
#include "prim.h"
#include "halt.h"
#include "outcome.h"
#include "report.h"
#include "race.h"
#include "sched.h"
#include "trace.h"
#include "thread.h"

#define THREAD_MT "tsbox.Thread"
#define THREAD_STACK (1u << 20)
/* Python's smallest valid threading.stack_size(). */
#define THREAD_STACK_MIN_VALID 32768

/* ts.stack_size(): the size asked for new threads, 0 for the default. */
static lua_Integer stack_size_wanted, stack_size_saved;

/* POSIX threads started by Thread:start() that have not yet returned. */
static atomic_int nposix;
/* Where an abandoned thread goes: its POSIX thread's entry (run_one). */
static _Thread_local jmp_buf *entry;
/* Most arguments a Thread's args table may hold (Lua's stack limit is 1e6). */
#ifndef THREAD_MAX_ARGS
#define THREAD_MAX_ARGS 1000000
#endif

typedef struct { uint64_t magic; Thread *t; } ThreadBox;

/*
** Methods take the Thread object itself, or a table standing for it (a
** "subclass" instance made with setmetatable, whose __index leads to the
** Thread): its field `_thread` is the Thread object. Pushes the object.
*/
/* luaL_typeerror never returns; this says so, for the reader and the analyzers. */
static _Noreturn void not_a_thread(lua_State *L, int i) {
  luaL_typeerror(L, i, "Thread");
  abort();
}

static Thread *push_thread_object(lua_State *L, int i) {
  if (lua_istable(L, i)) lua_getfield(L, i, "_thread");
  else lua_pushvalue(L, i);
  ThreadBox *b = prim_test(L, -1, TAG_THREAD, sizeof(ThreadBox));
  if (b == NULL) not_a_thread(L, i);
  return b->t;
}

static Thread *checkthread(lua_State *L, int i) {
  Thread *t = push_thread_object(L, i);
  lua_pop(L, 1);   /* the object stays reachable from argument i */
  return t;
}

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

/* The anchors (error.c) hold each started thread's object under
   ANCHOR_THREAD0 + its serial; the object's second user value is the
   thread's coroutine. */

/* Anchor the value on top of `L` (or drop the anchor, given nil) under `t`.
   The key is the thread's serial, not its C address, which differs from
   process to process: the anchors' layout, and so every address the
   universe hands out after it, must not. */
static void anchor_set(lua_State *L, Thread *t) {
  prim_push_anchors(L);
  lua_insert(L, -2);
  lua_rawseti(L, -2, ANCHOR_THREAD0 + t->serial);
  lua_pop(L, 1);
}

void thread_push(lua_State *L, Thread *t) {
  prim_push_anchors(L);
  lua_rawgeti(L, -1, ANCHOR_THREAD0 + t->serial);
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
  prim_setclass(L, THREAD_MT);
  lua_newtable(L);
  lua_setiuservalue(L, -2, 1);
}

void thread_adopt_main(lua_State *L, Thread *t) {
  atomic_store(&t->native_id, (int)gettid());
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

static void print_uncaught(const char *name, const char *msg, const char *tb) {
  fflush(stdout);
  fprintf(stderr, "Exception in thread %s:\n%s\n%s\n", report_safe(name), msg, tb ? tb : "");
  fflush(stderr);
}

/*
** ts.excepthook(args), also ts.__excepthook__: Python's default
** threading.excepthook. args: exc_type, exc_value, exc_traceback, thread.
*/
static int thread_excepthook(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_getfield(L, 1, "exc_value");
  const char *msg = error_text(L);
  lua_getfield(L, 1, "exc_traceback");
  const char *tb = lua_tostring(L, -1);
  lua_getfield(L, 1, "thread");
  ThreadBox *b = prim_test(L, -1, TAG_THREAD, sizeof(ThreadBox));
  print_uncaught(b ? b->t->name : "?", msg, tb);
  return 0;
}

/*
** Call a user's ts.excepthook for the error at `err` with traceback `tb`
** (indexes); 1 if there was one. If it raises, its own error is printed
** instead, as Python does. The default hook is not called: the caller
** prints the same thing directly.
*/
static int call_user_excepthook(lua_State *L, Thread *t, int err, int tb) {
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_pushliteral(L, "tsbox");
  lua_rawget(L, -2);
  if (!lua_istable(L, -1)) {
    lua_pop(L, 2);
    return 0;
  }
  lua_pushliteral(L, "excepthook");
  lua_rawget(L, -2);
  if (lua_isnil(L, -1) || lua_tocfunction(L, -1) == thread_excepthook) {
    lua_pop(L, 3);
    return 0;
  }
  lua_createtable(L, 0, 4);
  if (lua_istable(L, err) && lua_getfield(L, err, "kind") == LUA_TSTRING) {
    lua_setfield(L, -2, "exc_type");
  } else {
    if (lua_istable(L, err)) lua_pop(L, 1);
    lua_pushstring(L, luaL_typename(L, err));
    lua_setfield(L, -2, "exc_type");
  }
  lua_pushvalue(L, err);
  lua_setfield(L, -2, "exc_value");
  lua_pushvalue(L, tb);
  lua_setfield(L, -2, "exc_traceback");
  thread_push(L, t);
  lua_setfield(L, -2, "thread");
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
    const char *msg = error_text(L);
    fflush(stdout);
    fprintf(stderr, "Exception in threading.excepthook:\n%s\n", msg);
    fflush(stderr);
    lua_pop(L, 2);
  }
  lua_pop(L, 2);
  return 1;
}

/*
** Report an uncaught error: through ts.excepthook for a thread, as
** Python's threading.excepthook, or as the interpreter does for the main
** chunk. Either way the run counts it as a failure.
*/
static void report_uncaught(lua_State *L, Thread *t, int is_main) {
  int err = lua_gettop(L);
  const char *msg = error_text(L);
  thread_push(L, t);
  const char *tb = NULL;
  if (lua_getiuservalue(L, -1, 1) == LUA_TTABLE) {
    lua_getfield(L, -1, "traceback");
    tb = lua_tostring(L, -1);
  } else {
    lua_pushnil(L);
  }
  if (is_main) {
    fflush(stdout);
    fprintf(stderr, "tsbox: %s\n%s\n", msg, tb ? tb : "");
    fflush(stderr);
  } else if (!call_user_excepthook(L, t, err, lua_gettop(L))) {
    print_uncaught(t->name, msg, tb);
  }
  lua_pop(L, 4);
  R->nerrors++;
  outcome_failure(EXIT_FAIL, "error", t, msg);
}

/*
** The body of a thread, run protected (thread_call, or the resume of a
** started thread's coroutine): call the target, then store its results in
** `t.result` or its error in `t.error` and print it. Storing allocates and
** may meet a hostile metatable, so it must be protected too: an
** unprotected error in a coroutine would be re-thrown into the main
** thread's error handler, on another OS thread's stack. Arguments: the
** Thread, whether it runs the main chunk, the function and its arguments.
** The target is called with lua_pcallk, so that a started thread may
** yield from its count hook and go on on another POSIX thread (sched.h);
** body_done is what follows the call, then or after such yields.
*/
static int body_done(lua_State *co, int st, lua_KContext ctx);

static int thread_body(lua_State *co) {
  Thread *t = lua_touserdata(co, 1);
  int is_main = lua_toboolean(co, 2);
  lua_rotate(co, 1, -2);
  lua_pop(co, 2);                         /* [fn args...] */
  int nargs = lua_gettop(co) - 1;
  lua_pushcfunction(co, thread_msgh);
  lua_insert(co, 1);
  t->body = suspend_frame(co);
  lua_KContext ctx = (lua_KContext)(intptr_t)t | is_main;
  return body_done(co, lua_pcallk(co, nargs, LUA_MULTRET, 1, ctx, body_done), ctx);
}

static int body_done(lua_State *co, int st, lua_KContext ctx) {
  Thread *t = (Thread *)(intptr_t)(ctx & ~(lua_KContext)1);
  int is_main = (int)(ctx & 1);
  if (st == LUA_YIELD) st = LUA_OK;       /* it returned, after yields */
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
      halt_memory_limit(t);
    }
    lua_pushvalue(co, 2);
    lua_setfield(co, -2, "error");
    lua_settop(co, 2);
    report_uncaught(co, t, is_main);
  }
  lua_pushinteger(co, st);
  return 1;
}

/* Push thread_body and its two arguments below the function at `base`. */
static int body_push(lua_State *co, Thread *t, int base, int is_main) {
  /* Nothing before the call may allocate (an error here would have no
     handler on this OS thread): a light C function, two plain values. */
  if (!lua_checkstack(co, 3)) return 0;
  lua_pushcfunction(co, thread_body);
  lua_pushlightuserdata(co, t);
  lua_pushboolean(co, is_main);
  lua_rotate(co, base, 3);
  return 1;
}

/* thread_body returned status `st` (its own, not the target's): the
   target's status, or tsbox's bookkeeping failed. */
static int body_status(lua_State *co, Thread *t, int st, int base) {
  const char *msg = "not enough memory";
  if (st != LUA_OK && st != LUA_ERRMEM)
    msg = lua_type(co, -1) == LUA_TSTRING ? lua_tostring(co, -1) : "(not a string)";
  if (st != LUA_OK) {
    /* tsbox's own bookkeeping failed: out of memory, or a hostile value. */
    if (alloc_limit_hit()) {
      halt_memory_limit(t);
    }
    fflush(stdout);
    fprintf(stderr, "tsbox: thread \"%s\" ended, but its outcome could not be recorded: %s\n",
            report_safe(t->name), msg);
    outcome_failure(EXIT_FAIL, "error", t, msg);
  } else {
    st = (int)lua_tointeger(co, -1);
  }
  lua_settop(co, base - 1);
  return st;
}

/* Run the function below `nargs` arguments on top of `co` as `t`'s body. */
int thread_call(lua_State *co, Thread *t, int nargs, int is_main) {
  int base = lua_gettop(co) - nargs;      /* index of the function */
  int st = LUA_ERRMEM;
  if (body_push(co, t, base, is_main)) {
    st = lua_pcall(co, nargs + 3, 1, 0);
  }
  return body_status(co, t, st, base);
}

static void posix_gone(void) {
  if (atomic_fetch_sub(&nposix, 1) == 1)
    syscall(SYS_futex, &nposix, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/*
** A started thread's coroutine ended, with status `st` from lua_resume, on
** carrier `c`: record its outcome, and hand the baton on. Returns the
** thread `c` resumes next, or NULL.
*/
static Thread *thread_ended(Carrier *c, Thread *t, int st) {
  lua_State *co = t->co;
  if (st == LUA_OK) lua_settop(co, 1);    /* thread_body's one result */
  else if (st != LUA_ERRMEM || lua_gettop(co) > 0) lua_resetthread(co);   /* error on top */
  body_status(co, t, st, 1);
  lua_settop(co, 0);
  t->co = NULL;
  lua_pushnil(co);            /* the key exists: clearing it cannot allocate */
  anchor_set(co, t);
  return sched_exit(t, c);
}

static int refuse_yield(lua_State *co, int status, lua_KContext ctx) {
  (void)status;
  (void)ctx;
  lua_pushliteral(co, "attempt to yield across a C-call boundary");
  return lua_error(co);
}

/*
** Resume `t`'s coroutine on carrier `c` (`nargs`: the body's, on its first
** resume) until it leaves the carrier or ends. Returns the thread `c`
** resumes next, or NULL.
*/
static Thread *thread_resume(Carrier *c, Thread *t, int nargs) {
  lua_State *co = t->co;
  int nres, st;
  if (nargs > 0) {
    st = lua_resume(co, NULL, nargs, &nres);
  } else {
    run_self = t;
    sched_resume(t);
    st = lua_resume(co, co, 0, &nres);
  }
  /* A yield tsbox did not ask for (a C library's lua_yield) is refused
     from that call, as a yield across a C call is (the body once ran in
     a C call; coroutine.yield says the same). */
  while (st == LUA_YIELD && !t->suspended) {
    lua_pop(co, nres);
    suspend_continue_with(co, refuse_yield);
    st = lua_resume(co, NULL, 0, &nres);
  }
  if (st == LUA_YIELD) return sched_left(c, t);
  return thread_ended(c, t, st);
}

/*
** The life of carrier `c`, started for `t`: run `t` from its start, then
** whatever suspended threads come its way, until it leaves.
*/
static void carry(Carrier *c, Thread *t) {
  atomic_store(&t->native_id, (int)gettid());
  run_self = t;
  sched_enter(t);
  lua_State *co = t->co;
  sched_install_hook(co, t);
  int nargs = lua_gettop(co) - 1;
  Thread *next = NULL;
  if (body_push(co, t, 1, 0)) {
    next = thread_resume(c, t, nargs + 3);
  } else {
    next = thread_ended(c, t, LUA_ERRMEM);
  }
  while (next != NULL) next = thread_resume(c, next, 0);
}

/*
** A worker's POSIX threads outlive its runs (thread_keep_posix): one whose
** tsbox thread ended, or was abandoned, parks in the pool, and the next
** Thread:start() hands it a thread instead of creating a POSIX thread.
** The pool is touched by the thread starting another (under the GIL) and
** by threads parking at once, so it has a lock of its own; nothing is
** called with it held.
*/
typedef struct Posix {
  Carrier carrier;           /* first: its home is the thread to run */
  atomic_int assigned;       /* 1 once `carrier.home` is set: run it */
  struct Posix *next;
} Posix;

static int pooling;
static Posix *pool;
static pthread_mutex_t pool_mu = PTHREAD_MUTEX_INITIALIZER;

void thread_keep_posix(void) { pooling = 1; }

/* Carry the thread `p` was started for, and others, or until the run
   abandons them. */
static void run_one(Posix *p) {
  jmp_buf here;
  entry = &here;
  if (setjmp(here) == 0) carry(&p->carrier, p->carrier.home);
  entry = NULL;
}

static void *thread_main(void *arg) {
  Posix *p = arg;
  for (;;) {
    run_one(p);
    if (p->next == p) break;   /* not pooled */
    p->carrier.home = NULL;
    atomic_store(&p->assigned, 0);
    pthread_mutex_lock(&pool_mu);
    p->next = pool;
    pool = p;
    pthread_mutex_unlock(&pool_mu);
    /* From here on nothing of the run is touched: it may be put back. */
    posix_gone();
    while (atomic_load(&p->assigned) == 0)
      syscall(SYS_futex, &p->assigned, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
  }
  free(p);
  posix_gone();
  return NULL;
}

/* Hand `t` to a parked POSIX thread; 0 when none is parked. */
static int posix_reuse(Thread *t) {
  pthread_mutex_lock(&pool_mu);
  Posix *p = pool;
  if (p) pool = p->next;
  pthread_mutex_unlock(&pool_mu);
  if (p == NULL) return 0;
  p->next = NULL;
  p->carrier.home = t;
  t->home = &p->carrier;
  atomic_store(&p->assigned, 1);
  syscall(SYS_futex, &p->assigned, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
  return 1;
}

/*
** The end of a run in an explorer's worker (run.c): a thread that will
** never run again leaves its Lua frames and C frames alike, straight to
** its entry, and its POSIX thread returns. It holds no lock; the universe
** it leaves half-changed is about to be put back as it was.
*/
_Noreturn void thread_abandon(void) {
  longjmp(*entry, 1);
}

/* Wait until every POSIX thread started by the run has returned. */
void thread_wait_all_gone(void) {
  int n;
  while ((n = atomic_load(&nposix)) != 0)
    syscall(SYS_futex, &nposix, FUTEX_WAIT_PRIVATE, n, NULL, NULL, 0);
}

/* What this file keeps beside R, at a worker's snapshot and after each run. */
void thread_snapshot(void) { stack_size_saved = stack_size_wanted; }

/* Free the threads created after the snapshot's first `keep`. */
void thread_restore(int keep) {
  for (int i = keep; i < R->nthreads; i++) {
    Thread *t = R->threads[i];
    pthread_cond_destroy(&t->cv);
    free(t->name);
    free(t);
  }
  R->nthreads = keep;
  stack_size_wanted = stack_size_saved;
}

/* }====================================================== */

/*
** {======================================================
** Thread objects
** =======================================================
*/

/*
** The name a script knows the function at `f` by, for default thread
** names: a local or upvalue of the Lua function creating the thread, a
** global, or else where it is defined. 0 if there is nothing to say.
*/
static int function_name(lua_State *L, int f, char *buf, size_t n) {
  lua_Debug ar;
  const char *name = NULL;
  for (int level = 1; name == NULL && lua_getstack(L, level, &ar); level++) {
    lua_getinfo(L, "Sf", &ar);
    if (strcmp(ar.what, "C") == 0) {
      lua_pop(L, 1);
      continue;
    }
    for (int i = 1; name == NULL && (name = lua_getlocal(L, &ar, i)) != NULL; i++) {
      if (!lua_rawequal(L, -1, f) || name[0] == '(') name = NULL;
      lua_pop(L, 1);
    }
    for (int i = 1; name == NULL && (name = lua_getupvalue(L, -1, i)) != NULL; i++) {
      if (!lua_rawequal(L, -1, f) || name[0] == '\0') name = NULL;
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if (name != NULL) {
      snprintf(buf, n, "%s", name);
      return 1;
    }
    break;
  }
  lua_pushglobaltable(L);
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    if (lua_type(L, -2) == LUA_TSTRING && lua_rawequal(L, -1, f)) {
      snprintf(buf, n, "%s", lua_tostring(L, -2));
      lua_pop(L, 3);
      return 1;
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  lua_pushvalue(L, f);
  lua_getinfo(L, ">S", &ar);
  if (ar.linedefined <= 0) return 0;
  snprintf(buf, n, "%.60s:%d", ar.short_src, ar.linedefined);
  return 1;
}

static int thread_create(lua_State *L) {
  static const char *const fields[] = { "target", "name", "args", "daemon", NULL };
  args_named(L, fields);
  lua_settop(L, 4);
  if (!lua_isnil(L, 1)) luaL_checktype(L, 1, LUA_TFUNCTION);
  if (!lua_isnil(L, 3)) luaL_checktype(L, 3, LUA_TTABLE);
  Waitable w;
  prim_init(L, &w, TAG_THREAD, 2);
  /* Python 3.10's default name: "Thread-N (target)". */
  char target[80], name[160];
  snprintf(name, sizeof name, "%s", lua_isnil(L, 2) ? w.name : lua_tostring(L, 2));
  if (lua_isnil(L, 2) && !lua_isnil(L, 1) && function_name(L, 1, target, sizeof target))
    snprintf(name, sizeof name, "%s (%s)", w.name, target);
  Thread *t = thread_new(name);
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

/* Push the target and its arguments on `co`; returns how many values. */
/*
** The length of the args table at `idx` and room for that many values on
** `co`. It may come from a __len metamethod: bound it before it sizes a
** stack, as table.unpack does.
*/
static lua_Integer args_len(lua_State *L, int idx, lua_State *co) {
  lua_Integer n = lua_istable(L, idx) ? luaL_len(L, idx) : 0;
  if (n > THREAD_MAX_ARGS || (n > 0 && !lua_checkstack(co, (int)n + LUA_MINSTACK)))
    luaL_error(L, "too many arguments (%I)", n);
  return n;
}

static int push_target(lua_State *L, int uv, lua_State *co) {
  lua_getfield(L, uv, "target");
  lua_getfield(L, uv, "args");
  lua_Integer n = args_len(L, -1, co);
  lua_pushvalue(L, -2);
  lua_xmove(L, co, 1);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_geti(L, -1, i);
    lua_xmove(L, co, 1);
  }
  lua_pop(L, 2);
  return (int)n + 1;
}

/* Thread:run(): calls the target with its args (Python's Thread.run). */
static int thread_run(lua_State *L) {
  push_thread_object(L, 1);
  lua_getiuservalue(L, -1, 1);
  int base = lua_gettop(L);
  if (!lua_istable(L, base) || lua_getfield(L, base, "target") == LUA_TNIL) return 0;
  lua_getfield(L, base, "args");
  lua_Integer n = args_len(L, -1, L);
  for (lua_Integer i = 1; i <= n; i++) lua_geti(L, base + 2, i);
  lua_remove(L, base + 2);
  lua_call(L, (int)n, LUA_MULTRET);
  return lua_gettop(L) - base;
}

/*
** The body is the target itself when `run` is Thread's own, so tracebacks
** and reports are as before; otherwise run(self), self being the object
** start was called on (a "subclass" table keeps its own fields).
*/
static int thread_start(lua_State *L) {
  lua_settop(L, 1);
  Thread *t = push_thread_object(L, 1);    /* 2: the Thread object */
  if (t->state != TS_NEW || t->co != NULL)
    return err_raise(L, E_RUNTIME, "threads can only be started once");
  if (R->opt.max_threads > 0 && R->nlive >= R->opt.max_threads)
    halt_limit(run_self, "thread limit", "--max-threads");
  lua_getfield(L, 1, "run");               /* 3 */
  lua_getiuservalue(L, 2, 1);              /* 4 */
  int plain = lua_tocfunction(L, 3) == thread_run && lua_istable(L, 4);
  if (plain && lua_getfield(L, 4, "target") == LUA_TNIL) plain = 0;
  lua_settop(L, 4);
  lua_State *co = lua_newthread(L);
  lua_setiuservalue(L, 2, 2);
  /* Started from here on: the metamethods below may call start() again. */
  t->co = co;
  if (plain) {
    push_target(L, 4, co);
  } else {
    lua_pushvalue(L, 3);
    lua_pushvalue(L, 1);
    lua_xmove(L, co, 2);
  }
  lua_pushvalue(L, 2);
  anchor_set(L, t);
  t->ident = ++R->next_ident;
  RACE(fork(run_self, t));
  sched_spawn(t);
  atomic_fetch_add(&nposix, 1);
  /* A smaller stack than tsbox's own could not hold Lua's C recursion. */
  size_t stack = stack_size_wanted > (lua_Integer)THREAD_STACK ? (size_t)stack_size_wanted : THREAD_STACK;
  int pooled = pooling && stack == THREAD_STACK, rc = 0;
  /* A bigger stack is for deep C recursion: such a thread keeps its own. */
  t->carry = stack == THREAD_STACK;
  if (!pooled || !posix_reuse(t)) {
    Posix *p = calloc(1, sizeof *p);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, stack);
    pthread_t pt;
    rc = ENOMEM;
    if (p != NULL) {
      p->carrier.home = t;
      t->home = &p->carrier;
      p->next = pooled ? NULL : p;   /* pointing at itself: not pooled */
      rc = pthread_create(&pt, &attr, thread_main, p);
      if (rc != 0) free(p);
    }
    pthread_attr_destroy(&attr);
  }
  if (rc != 0) {
    posix_gone();
    fprintf(stderr, "tsbox: cannot create a thread: %s\n", strerror(rc));
    halt_limit(run_self, "thread limit (the system refused a new thread)", "--max-threads");
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
  if (t->state == TS_DONE) RACE(join(self, t));
  /* A join returns after the exit it waited for (never before it: dfs
     needs no other order); one that timed out saw the thread alive. */
  if (t->state == TS_DONE) sched_touch_thread(t, TLOC_EXIT, TOUCH_RECV);
  else sched_touch_thread(t, TLOC_ALIVE, TOUCH_READ);
  lua_pushboolean(L, t->state == TS_DONE);
  return 1;
}

static int thread_is_alive(lua_State *L) {
  Thread *t = checkthread(L, 1);
  sched_touch_thread(t, TLOC_ALIVE, TOUCH_READ);
  lua_pushboolean(L, t->state != TS_NEW && t->state != TS_DONE);
  return 1;
}

/* The OS thread id of a started thread, which sets it as it begins. */
static int native_id(Thread *t) {
  int id;
  while ((id = atomic_load(&t->native_id)) == 0) sched_yield();
  return id;
}

/* Fields set on the object (a replaced `run`) come before the methods. */
static int thread_index(lua_State *L) {
  Thread *t = ((ThreadBox *)prim_check(L, 1, TAG_THREAD, sizeof(ThreadBox), THREAD_MT))->t;
  const char *k = lua_tostring(L, 2);
  if (lua_getiuservalue(L, 1, 1) == LUA_TTABLE) {
    lua_pushvalue(L, 2);
    if (lua_rawget(L, -2) != LUA_TNIL) return 1;
  }
  if (prim_method(L, 2) != LUA_TNIL) return 1;
  sched_touch_thread(t, TLOC_ALIVE, TOUCH_READ);   /* fields its start and exit set */
  if (k && strcmp(k, "name") == 0) lua_pushstring(L, t->name);
  else if (k && strcmp(k, "ident") == 0) {
    if (t->ident) lua_pushinteger(L, t->ident); else lua_pushnil(L);
  }
  else if (k && strcmp(k, "native_id") == 0) {
    if (t->ident) lua_pushinteger(L, native_id(t)); else lua_pushnil(L);
  }
  else if (k && strcmp(k, "daemon") == 0) lua_pushboolean(L, t->daemon);
  else if (k && strcmp(k, "_thread") == 0) lua_pushvalue(L, 1);
  else lua_pushnil(L);
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
                   strcmp(k, "error") == 0 || strcmp(k, "native_id") == 0 ||
                   strcmp(k, "_thread") == 0)) {
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
  for (int i = 0; i < R->nthreads; i++) sched_touch_thread(R->threads[i], TLOC_ALIVE, TOUCH_READ);
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

/*
** ts.stack_size([size]) -> the previous size, as Python's: 0 means the
** default; sizes below 32 KiB are refused. Threads started afterwards get
** that stack, but never less than tsbox's own 1 MiB.
*/
static int ts_stack_size(lua_State *L) {
  lua_Integer old = stack_size_wanted;
  if (!lua_isnoneornil(L, 1)) {
    lua_Integer size = luaL_checkinteger(L, 1);
    if (size < 0) return err_raise(L, E_VALUE, "size must be 0 or a positive value");
    if (size != 0 && size < THREAD_STACK_MIN_VALID)
      return err_raise(L, E_VALUE, "size not valid: %lld bytes", (long long)size);
    stack_size_wanted = size;
  }
  lua_pushinteger(L, old);
  return 1;
}

/* The current thread's native_id: the POSIX thread started for it, whichever
   carrier runs its Lua code now (sched.h). */
static int ts_get_native_id(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)native_id(run_self));
  return 1;
}

/*
** ts._register_atexit(fn): fn runs on MainThread once the main chunk has
** ended, before the wait for non-daemon threads, latest first (Python's
** threading._register_atexit, which ThreadPoolExecutor uses).
*/
#define ATEXIT_KEY "tsbox.atexit"

/*
** {======================================================
** Coroutines and threads
** =======================================================
*/

/*
** A started thread's coroutine runs its body yieldable (it may leave its
** carrier at a preemption point, sched.h), but to scripts it stays what it
** always was: a coroutine running a C function's call, which cannot yield
** and which no other thread may resume or close. The coroutine library's
** functions that look at a coroutine's state answer so for it; for any
** other coroutine they are Lua's own. Each twin keeps its original's name.
*/
enum { CO_YIELD, CO_ISYIELDABLE, CO_STATUS, CO_RESUME, CO_CLOSE, CO_N };
static lua_CFunction co_fn[CO_N];

/* Whether co is a started thread's coroutine, running. */
static int is_thread_co(lua_State *L, lua_State *co) {
  return co != R->L && suspend_base(co) == thread_body && L != NULL;
}

static lua_State *co_arg(lua_State *L) {
  lua_State *co = lua_tothread(L, 1);
  luaL_argexpected(L, co, 1, "thread");
  return co;
}

/* Lua's own refusal names no position: the error is raised in yield. */
static int co_yield(lua_State *L) {
  if (!is_thread_co(L, L)) return co_fn[CO_YIELD](L);
  lua_pushliteral(L, "attempt to yield across a C-call boundary");
  return lua_error(L);
}

static int co_isyieldable(lua_State *L) {
  lua_State *co = lua_isnone(L, 1) ? L : co_arg(L);
  if (!is_thread_co(L, co)) return co_fn[CO_ISYIELDABLE](L);
  lua_pushboolean(L, 0);
  return 1;
}

static int co_status(lua_State *L) {
  lua_State *co = co_arg(L);
  if (co == L || !is_thread_co(L, co)) return co_fn[CO_STATUS](L);
  lua_pushliteral(L, "normal");
  return 1;
}

static int co_resume(lua_State *L) {
  lua_State *co = co_arg(L);
  if (co == L || !is_thread_co(L, co)) return co_fn[CO_RESUME](L);
  lua_pushboolean(L, 0);
  lua_pushliteral(L, "cannot resume non-suspended coroutine");
  return 2;
}

static int co_close(lua_State *L) {
  lua_State *co = co_arg(L);
  if (co == L || !is_thread_co(L, co)) return co_fn[CO_CLOSE](L);
  return luaL_error(L, "cannot close a normal coroutine");
}

void thread_guard_coroutines(lua_State *L) {
  static const char *const names[CO_N] = { "yield", "isyieldable", "status", "resume", "close" };
  static const lua_CFunction twins[CO_N] = { co_yield, co_isyieldable, co_status, co_resume, co_close };
  if (lua_getglobal(L, LUA_COLIBNAME) == LUA_TTABLE) {
    for (int i = 0; i < CO_N; i++) {
      lua_getfield(L, -1, names[i]);
      lua_CFunction f = lua_tocfunction(L, -1);
      lua_pop(L, 1);
      if (f == NULL || f == twins[i]) continue;
      co_fn[i] = f;
      lua_pushcfunction(L, twins[i]);
      lua_setfield(L, -2, names[i]);
    }
  }
  lua_pop(L, 1);
}

/* }====================================================== */

static int ts_register_atexit(lua_State *L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  if (lua_getfield(L, LUA_REGISTRYINDEX, ATEXIT_KEY) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, ATEXIT_KEY);
  }
  lua_pushvalue(L, 1);
  lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
  return 0;
}

void thread_run_atexit(lua_State *L, Thread *self) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, ATEXIT_KEY) == LUA_TTABLE) {
    for (lua_Integer i = (lua_Integer)lua_rawlen(L, -1); i > 0; i--) {
      lua_rawgeti(L, -1, i);
      thread_call(L, self, 0, 1);
    }
  }
  lua_pop(L, 1);
}

/* }====================================================== */

void thread_open(lua_State *L) {
  static const luaL_Reg methods[] = {
    { "start", thread_start }, { "join", thread_join },
    { "is_alive", thread_is_alive }, { "run", thread_run }, { NULL, NULL }
  };
  static const luaL_Reg funcs[] = {
    { "Thread", thread_create }, { "spawn", ts_spawn },
    { "current_thread", ts_current_thread }, { "main_thread", ts_main_thread },
    { "enumerate", ts_enumerate }, { "active_count", ts_active_count },
    { "get_ident", ts_get_ident }, { "get_native_id", ts_get_native_id },
    { "stack_size", ts_stack_size },
    { "excepthook", thread_excepthook }, { "__excepthook__", thread_excepthook },
    { "_register_atexit", ts_register_atexit }, { NULL, NULL }
  };
  prim_newclass(L, THREAD_MT);
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
