/*
** run.c: one run of a scenario. It builds the Lua universe (allocator,
** libraries tamed for determinism, the tsbox module, `arg`, module path),
** runs as MainThread what the command line asks for (LUA_INIT, -e, -l,
** -W, the script, the prompt), waits for non-daemon threads as
** Python's shutdown does, and ends the run with its exit status. The
** process's own main thread only watches: it waits for the end, enforces
** --timeout and exits.
*/
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>

#include "access.h"
#include "alloc.h"
#include "explain.h"
#include "halt.h"
#include "outcome.h"
#include "prim.h"
#include "race.h"
#include "repl.h"
#include "report.h"
#include "sched.h"
#include "trace.h"
#include "thread.h"
#include "tsbox.h"

#ifndef TSBOX_STACK_BASE
#define TSBOX_STACK_BASE 0x300000000000ull
#endif
#define MAIN_STACK (8u << 20)

Run *R;
_Thread_local Thread *run_self;
static RunHooks hooks;   /* the explorer's, when there is one */
static Run the_run;
static int worker;       /* this process runs one schedule after another */
static _Noreturn void recycle(void);

/*
** End the run. Called by the thread holding the GIL, which it never gives
** back: nothing else runs Lua from here on, so no output can interleave.
*/
_Noreturn void run_finish(int code) {
  if (alloc_limit_hit() && R->first_failure == 0 && code == EXIT_OK) {
    halt_memory_limit(run_self);
  }
  int final = R->first_failure ? R->first_failure : code;
  fflush(stdout);
  if (code == EXIT_DEADLOCK || code == EXIT_LIMIT) {
    report_replay_line(stderr);
  } else if (R->first_failure && final != EXIT_USAGE) {
    char what[192];
    int nraces = 0, norders = 0;
    for (int i = 0; i < R->nfailures; i++) {
      nraces += strcmp(R->failures[i].kind, "race") == 0;
      norders += strcmp(R->failures[i].kind, "lock-order") == 0;
    }
    size_t len = (size_t)snprintf(what, sizeof what, "run failed:");
    if (nraces)
      len += (size_t)snprintf(what + len, sizeof what - len, " %d data race%s,", nraces,
                              nraces == 1 ? "" : "s");
    if (norders)
      len += (size_t)snprintf(what + len, sizeof what - len, " %d lock-order inversion%s,",
                              norders, norders == 1 ? "" : "s");
    if (R->nchecks)
      snprintf(what + len, sizeof what - len, " %d failed check%s, %d uncaught error%s",
               R->nchecks, R->nchecks == 1 ? "" : "s", R->nerrors, R->nerrors == 1 ? "" : "s");
    else if (R->nerrors || !(nraces || norders))
      snprintf(what + len, sizeof what - len, " %d uncaught error%s", R->nerrors,
               R->nerrors == 1 ? "" : "s");
    else
      what[len - 1] = '\0';
    report_header(stderr, what);
    report_replay_line(stderr);
  }
  if ((final == EXIT_FAIL || final == EXIT_DEADLOCK) && R->opt.result_fd <= 0 && !R->opt.quiet)
    report_next_steps(stderr);
  if (R->opt.explain && final != EXIT_USAGE && R->opt.result_fd <= 0) explain_print(stderr);
  if (hooks.finished) hooks.finished();
  /* A report that could not be written is an error: exit 2 when the run
     had nothing worse to say. */
  int unwritten = trace_close() != 0;
  if (R->opt.json && R->opt.result_fd <= 0 && final != EXIT_USAGE)
    unwritten |= report_json_run(final) != 0;
  if (unwritten && final == EXIT_OK) final = EXIT_USAGE;
  if (R->opt.verbose && R->outcome) fprintf(stderr, "tsbox: outcome: %s\n", R->outcome);
  if (R->opt.verbose) {
    fprintf(stderr, "tsbox: run ended with exit status %d (seed 0x%llx, sched %s, "
            "%llu VM instructions, %llu switches, %.6f s %s time)\n",
            final, (unsigned long long)R->opt.seed, run_sched_name(R->opt.sched),
            (unsigned long long)R->steps,
            (unsigned long long)(run_deterministic() ? R->points : R->gil_switches),
            (double)sched_now() / 1e9, run_deterministic() ? "virtual" : "real");
  }
  sched_baton_stats(stderr);
  fflush(stderr);
  if (R->opt.result_fd > 0) {   /* an explorer's child: no watcher */
    if (worker && !R->outside && hooks.done(final)) recycle();
    _exit(final);
  }
  sched_check(pthread_mutex_lock(&R->mu), "lock");
  R->ended = 1;
  R->exit_code = final;
  sched_check(pthread_cond_broadcast(&R->end_cv), "broadcast");
  /* Park for good: the watcher exits the process. */
  for (;;) sched_check(pthread_cond_wait(&run_self->cv, &R->mu), "wait");
}

/*
** {======================================================
** Taming the standard library for determinism
** =======================================================
*/

/*
** The executable's own time() and clock() are the ones liblua calls: the
** string-hash seed, os.time(), os.clock() and math.randomseed() then all
** read the run clock under the deterministic schedulers.
*/
#define VIRTUAL_EPOCH 1700000000

time_t time(time_t *out) {
  struct timespec ts;
  time_t now;
  if (R != NULL && R->L != NULL && run_deterministic()) {
    now = VIRTUAL_EPOCH + (time_t)(R->now / 1000000000);
  } else if (R == NULL || R->opt.sched != POL_OS) {
    now = VIRTUAL_EPOCH;     /* before the universe exists: a fixed seed */
  } else {
    clock_gettime(CLOCK_REALTIME, &ts);
    now = ts.tv_sec;
  }
  if (out) *out = now;
  return now;
}

clock_t clock(void) {
  struct timespec ts;
  if (R != NULL && run_deterministic())
    return (clock_t)(R->now / (1000000000 / CLOCKS_PER_SEC));
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (clock_t)(ts.tv_sec * CLOCKS_PER_SEC + ts.tv_nsec / (1000000000 / CLOCKS_PER_SEC));
}

static void seed_math_random(lua_State *L) {
  if (!run_deterministic()) return;
  lua_getglobal(L, "math");
  lua_getfield(L, -1, "randomseed");
  lua_pushinteger(L, (lua_Integer)R->opt.seed);
  lua_call(L, 1, 0);
  lua_pop(L, 1);
}

/* }====================================================== */

/*
** tsbox owns the count hook and the user values of its objects: the debug
** functions that would replace them are refused, with a clear message.
** The registry and file metatables are guarded too (below).
*/
static int refused(lua_State *L) {
  return luaL_error(L, "%s is not available in tsbox (tsbox owns it)",
                    lua_tostring(L, lua_upvalueindex(1)));
}

/*
** debug.getregistry hands out a read-only view of the registry: Lua's own
** libraries trust what they keep there (a number stored as "FILE*" crashes
** io.open in plain Lua too). Reads and pairs() see the real registry.
*/
static int registry_index(lua_State *L) {
  lua_settop(L, 2);
  lua_rawget(L, LUA_REGISTRYINDEX);
  return 1;
}

static int registry_newindex(lua_State *L) {
  return luaL_error(L, "the registry is read-only in tsbox (tsbox and Lua's libraries trust it)");
}

static int registry_next(lua_State *L) {
  lua_settop(L, 2);
  if (lua_next(L, LUA_REGISTRYINDEX)) return 2;
  lua_pushnil(L);
  return 1;
}

static int registry_pairs(lua_State *L) {
  lua_pushcfunction(L, registry_next);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

static int registry_view(lua_State *L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  return 1;
}

/*
** debug.setmetatable, except that a file's metatable stays with files:
** io's methods check a file by its metatable alone, so a tsbox object
** dressed as a file would be read as a FILE. (tsbox's own objects are
** checked by their tag, whatever their metatable.)
*/
static int setmetatable_guarded(lua_State *L) {
  int t = lua_type(L, 2);
  luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
  lua_settop(L, 2);
  if (lua_type(L, 1) == LUA_TUSERDATA) {
    int is_file = luaL_testudata(L, 1, LUA_FILEHANDLE) != NULL;
    luaL_getmetatable(L, LUA_FILEHANDLE);
    int to_file = lua_rawequal(L, 2, 3);
    lua_pop(L, 1);
    if (is_file != to_file)
      return luaL_error(L, "debug.setmetatable: a file's metatable stays with files in tsbox");
  }
  lua_setmetatable(L, 1);
  return 1;
}

static void guard_debug(lua_State *L) {
  static const char *const names[] = { "sethook", "setuservalue", NULL };
  lua_getglobal(L, "debug");
  for (int i = 0; names[i]; i++) {
    lua_pushfstring(L, "debug.%s", names[i]);
    lua_pushcclosure(L, refused, 1);
    lua_setfield(L, -2, names[i]);
  }
  lua_pushcfunction(L, setmetatable_guarded);
  lua_setfield(L, -2, "setmetatable");
  lua_newtable(L);                          /* the registry's view */
  lua_createtable(L, 0, 4);
  lua_pushcfunction(L, registry_index);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, registry_newindex);
  lua_setfield(L, -2, "__newindex");
  lua_pushcfunction(L, registry_pairs);
  lua_setfield(L, -2, "__pairs");
  lua_pushliteral(L, "read-only registry");
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_pushcclosure(L, registry_view, 1);
  lua_setfield(L, -2, "getregistry");
  lua_pop(L, 1);
}

/*
** {======================================================
** Source only: no precompiled chunks
** =======================================================
*/

/*
** A precompiled chunk is VM code that Lua does not verify: a crafted one
** (a LOADK with a huge index, say) crashes the VM. As Lua sandboxes do,
** tsbox loads text only: the script, load, loadfile, dofile and require
** all refuse binary chunks with Lua's own "attempt to load a binary chunk"
** message. string.dump still works; its output just cannot be loaded.
*/
#define SOURCE_ONLY "t"

/*
** load and loadfile: the original, kept among the anchors (an upvalue would
** hand it to debug.getupvalue), called with the mode argument at `mode`
** forced to text.
*/
static int call_text_only(lua_State *L, int original, int mode) {
  if (lua_gettop(L) < mode) lua_settop(L, mode);
  lua_pushliteral(L, SOURCE_ONLY);
  lua_replace(L, mode);
  prim_push_anchors(L);
  lua_rawgeti(L, -1, original);
  lua_remove(L, -2);
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

static int load_text(lua_State *L) { return call_text_only(L, ANCHOR_LOAD, 3); }
/* Without a file name, loadfile and dofile read stdin: outside the universe. */
static int loadfile_text(lua_State *L) {
  if (lua_isnoneornil(L, 1)) R->outside = 1;
  return call_text_only(L, ANCHOR_LOADFILE, 2);
}

static int dofile_text(lua_State *L) {
  const char *fname = luaL_optstring(L, 1, NULL);
  if (fname == NULL) R->outside = 1;
  lua_settop(L, 1);
  if (luaL_loadfilex(L, fname, SOURCE_ONLY) != LUA_OK) return lua_error(L);
  lua_call(L, 0, LUA_MULTRET);
  return lua_gettop(L) - 1;
}

/* require's searcher for Lua files, as package.searchers[2] but text only. */
static int searcher_text(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "searchpath");
  lua_pushstring(L, name);
  lua_getfield(L, -3, "path");
  if (lua_type(L, -1) != LUA_TSTRING) return luaL_error(L, "'package.path' must be a string");
  lua_call(L, 2, 2);
  if (lua_isnil(L, -2)) return 1;          /* not found: the list of files tried */
  const char *file = lua_tostring(L, -2);
  if (luaL_loadfilex(L, file, SOURCE_ONLY) != LUA_OK)
    return luaL_error(L, "error loading module '%s' from file '%s':\n\t%s", name, file,
                      lua_tostring(L, -1));
  lua_pushstring(L, file);
  return 2;
}

static void source_only(lua_State *L) {
  static const struct { const char *name; int anchor; lua_CFunction text; } loaders[] = {
    { "load", ANCHOR_LOAD, load_text }, { "loadfile", ANCHOR_LOADFILE, loadfile_text }
  };
  prim_push_anchors(L);
  for (int i = 0; i < 2; i++) {
    lua_getglobal(L, loaders[i].name);
    lua_rawseti(L, -2, loaders[i].anchor);
    lua_pushcfunction(L, loaders[i].text);
    lua_setglobal(L, loaders[i].name);
  }
  lua_pop(L, 1);
  lua_pushcfunction(L, dofile_text);
  lua_setglobal(L, "dofile");
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "searchers");
  lua_pushcfunction(L, searcher_text);
  lua_rawseti(L, -2, 2);
  lua_pop(L, 2);
}

/* }====================================================== */

/* Modules beside the script first, then LUA_PATH's. */
static void set_module_path(lua_State *L) {
  const char *script = R->opt.script;
  if (script == NULL) return;
  const char *slash = strrchr(script, '/');
  int dirlen = slash ? (int)(slash - script) : 1;
  const char *dir = slash ? script : ".";
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "path");
  lua_pushlstring(L, dir, (size_t)dirlen);
  const char *d = lua_tostring(L, -1);
  lua_pushfstring(L, "%s/?.lua;%s/?/init.lua;%s", d, d, lua_tostring(L, -2));
  lua_setfield(L, -4, "path");
  lua_pop(L, 3);
}

/*
** `arg` as the lua interpreter builds it: the script at 0, its arguments
** from 1 and the interpreter with its options below (with no script, all
** from 0 up), except that tsbox's own options are left out: a run must not
** depend on how its schedule was named (--seed 7 or --replay r:0x7).
*/
static void set_arg_table(lua_State *L) {
  const Options *o = &R->opt;
  int nwords = 1;
  for (int i = 0; i < o->nluaopts; i++) nwords += o->luaopts[i].value ? 2 : 1;
  lua_Integer k = o->script ? -nwords : 0;
  lua_createtable(L, o->script_argc, nwords);
  lua_pushliteral(L, "tsbox");
  lua_rawseti(L, -2, k++);
  for (int i = 0; i < o->nluaopts; i++) {
    const char flag[] = { '-', o->luaopts[i].opt, '\0' };
    lua_pushstring(L, flag);
    lua_rawseti(L, -2, k++);
    if (o->luaopts[i].value == NULL) continue;
    lua_pushstring(L, o->luaopts[i].value);
    lua_rawseti(L, -2, k++);
  }
  for (int i = 0; i < o->script_argc; i++) {
    lua_pushstring(L, o->script_argv[i]);
    lua_rawseti(L, -2, k++);
  }
  lua_setglobal(L, "arg");
}

/*
** {======================================================
** What runs: LUA_INIT, -e, -l, -W, the script, the prompt
** =======================================================
*/

/* lua's warning function: off until "@on"; "Lua warning: " and the pieces. */
enum { WARN_OFF, WARN_ON, WARN_MORE };
static int warn_state;

static void on_warning(void *ud, const char *msg, int tocont) {
  (void)ud;
  if (warn_state != WARN_MORE && !tocont && msg[0] == '@') {
    if (strcmp(msg, "@on") == 0) warn_state = WARN_ON;
    else if (strcmp(msg, "@off") == 0) warn_state = WARN_OFF;
    return;
  }
  if (warn_state == WARN_OFF) return;
  if (warn_state == WARN_ON) {
    fflush(stdout);
    fputs("Lua warning: ", stderr);
  }
  fputs(msg, stderr);
  if (tocont) {
    warn_state = WARN_MORE;
  } else {
    fputc('\n', stderr);
    fflush(stderr);
    warn_state = WARN_ON;
  }
}

/* -W */
static int warnings_on(lua_State *L) {
  lua_warning(L, "@on", 0);
  return 0;
}

/* -l G=MOD, or -l MOD for G = MOD: sets global G to require(MOD). */
static int require_global(lua_State *L) {
  size_t n;
  const char *spec = lua_tolstring(L, lua_upvalueindex(1), &n);
  const char *eq = strchr(spec, '=');
  lua_pushglobaltable(L);
  lua_pushlstring(L, spec, eq ? (size_t)(eq - spec) : n);
  lua_getglobal(L, "require");
  lua_pushstring(L, eq ? eq + 1 : spec);
  lua_call(L, 1, 1);
  lua_settable(L, -3);
  return 0;
}

/* LUA_INIT_5_4, else LUA_INIT: a chunk, or @file. Pushes nothing if unset. */
static int load_init(lua_State *L) {
  const char *name = "=LUA_INIT_" LUA_VERSION_MAJOR "_" LUA_VERSION_MINOR;
  const char *init = getenv(name + 1);
  if (init == NULL) {
    name = "=LUA_INIT";
    init = getenv(name + 1);
  }
  if (init == NULL) return LUA_OK;
  if (init[0] == '@') return luaL_loadfilex(L, init + 1, SOURCE_ONLY);
  return luaL_loadbufferx(L, init, strlen(init), name, SOURCE_ONLY);
}

/* A chunk that cannot be loaded ends the run before anything runs: exit 2. */
static void loaded_or_exit(lua_State *L, int status) {
  if (status == LUA_OK) return;
  fflush(stdout);
  fprintf(stderr, "tsbox: %s\n", lua_tostring(L, -1));
  run_finish(EXIT_USAGE);
}

/*
** Push, in the order they run, a function for each thing the command line
** asks for: LUA_INIT (without -E), each -e, -l and -W, then the script.
** Every chunk is compiled here, before the first runs (and before an
** exploration forks), so that a syntax error anywhere exits 2 at once.
*/
static void push_steps(lua_State *L) {
  const Options *o = &R->opt;
  /* Room for every step and, later, the script's arguments: the run's
     base frame keeps it to the end. */
  if (!lua_checkstack(L, o->nluaopts + o->script_argc + LUA_MINSTACK)) {
    fflush(stdout);
    fputs("tsbox: too many arguments\n", stderr);
    run_finish(EXIT_USAGE);
  }
  if (!o->no_env) loaded_or_exit(L, load_init(L));
  for (int i = 0; i < o->nluaopts; i++) {
    const LuaOpt *a = &o->luaopts[i];
    if (a->opt == 'e') {
      loaded_or_exit(L, luaL_loadbufferx(L, a->value, strlen(a->value), "=(command line)",
                                         SOURCE_ONLY));
    } else if (a->opt == 'l') {
      lua_pushstring(L, a->value);
      lua_pushcclosure(L, require_global, 1);
    } else if (a->opt == 'W') {
      lua_pushcfunction(L, warnings_on);
    }
  }
  if (o->script != NULL)
    loaded_or_exit(L, luaL_loadfilex(L, strcmp(o->script, "-") == 0 ? NULL : o->script,
                                     SOURCE_ONLY));
}

/*
** Run the functions above `base` on MainThread, the script's with its
** arguments, then the prompt; the first that fails ends the sequence, as
** in lua.
*/
static void run_steps(lua_State *L, Thread *self, int base) {
  const Options *o = &R->opt;
  int top = lua_gettop(L);
  for (int i = base + 1; i <= top; i++) {
    int nargs = 0;
    lua_pushvalue(L, i);
    for (int a = 1; i == top && o->script && a < o->script_argc; a++, nargs++)
      lua_pushstring(L, o->script_argv[a]);
    if (thread_call(L, self, nargs, 1) != LUA_OK) return;
  }
  if (o->interactive) {
    lua_pushcfunction(L, repl_main);
    thread_call(L, self, 0, 1);
  }
}

/* }====================================================== */

/* Python's threading._shutdown: wait for every non-daemon thread. */
static void wait_for_threads(Thread *self) {
  for (int again = 1; again;) {
    again = 0;
    for (int i = 0; i < R->nthreads; i++) {
      Thread *t = R->threads[i];
      if (t == self || t->daemon || t->state == TS_NEW || t->state == TS_DONE) continue;
      waitq_push(&t->joiners, self);
      sched_block(self, &t->done_w, "join", -1);
      again = 1;
    }
  }
}

/*
** An error outside every pcall (tsbox's own bookkeeping ran out of memory,
** say) would abort the process; end the run with a report instead.
*/
static int on_panic(lua_State *L) {
  if (alloc_limit_hit()) {
    halt_memory_limit(run_self);
  }
  const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(not a string)";
  fflush(stdout);
  fprintf(stderr, "tsbox: error outside any protected call: %s\n", msg);
  outcome_failure(EXIT_FAIL, "error", run_self, msg);
  run_finish(EXIT_FAIL);
  return 0;
}

/* The explorer's side of main_body: report the exploration's status. */
static void end_exploration(int code) {
  fflush(stdout);
  fflush(stderr);
  sched_check(pthread_mutex_lock(&R->mu), "lock");
  R->ended = 1;
  R->exit_code = code;
  sched_check(pthread_cond_broadcast(&R->end_cv), "broadcast");
  sched_check(pthread_mutex_unlock(&R->mu), "unlock");
}

/*
** tostring(file): Lua prints the C FILE pointer, which libc places anew in
** every process; the handle's own address in the universe is the same
** run after run, so that is the one printed.
*/
static int file_tostring(lua_State *L) {
  luaL_Stream *p = (luaL_Stream *)luaL_checkudata(L, 1, LUA_FILEHANDLE);
  if (p->closef == NULL) lua_pushliteral(L, "file (closed)");
  else lua_pushfstring(L, "file (%p)", lua_topointer(L, 1));
  return 1;
}

static void tame_file_tostring(lua_State *L) {
  if (luaL_getmetatable(L, LUA_FILEHANDLE) == LUA_TTABLE) {
    lua_pushcfunction(L, file_tostring);
    lua_setfield(L, -2, "__tostring");
  }
  lua_pop(L, 1);
}

/* Track every shared access (--race, --explain, dfs's footprints). */
static void watch_accesses(lua_State *L) {
  access_init(L);
  alloc_on_free = access_forget;
}

/* MainThread's run, from a built universe whose chunks lie above `base`. */
static _Noreturn void main_run(int base) {
  Thread *self = R->main;
  lua_State *L = R->L;
  sched_seed(self);
  seed_math_random(L);
  trace_open();
  TRACE(self, EV_RUN, NULL, self, 0);
  sched_install_hook(L, self);
  run_steps(L, self, base);
  thread_run_atexit(L, self);
  wait_for_threads(self);
  run_finish(EXIT_OK);
}

/*
** {======================================================
** What a snapshot cannot undo
** =======================================================
*/

/*
** An explorer's worker puts the universe back after each run, but not the
** process around it: open files, a child process, a loaded C library, the
** locale, what was read from stdin. The library functions that reach out
** there are replaced by twins that note it (R->outside) and call the
** original at once, in the same frame: names in error messages and
** tracebacks, upvalues and results stay as they were. A run that noted it
** ends its worker, as a run of its own process would end.
*/
#define NOUTSIDE 24
static lua_CFunction outside_fn[NOUTSIDE];
static int noutside;
/*
** The twins that load C libraries also stop carrying threads between
** POSIX threads (sched.h): a C library may keep state per POSIX thread
** (thread-local variables, pthread_self), which must stay each tsbox
** thread's own.
*/
static unsigned char outside_loads[NOUTSIDE];

#define OUTSIDE(i) \
  static int outside_##i(lua_State *L) { \
    R->outside = 1; \
    if (outside_loads[i]) R->carry = 0; \
    return outside_fn[i](L); \
  }
OUTSIDE(0) OUTSIDE(1) OUTSIDE(2) OUTSIDE(3) OUTSIDE(4) OUTSIDE(5) OUTSIDE(6) OUTSIDE(7)
OUTSIDE(8) OUTSIDE(9) OUTSIDE(10) OUTSIDE(11) OUTSIDE(12) OUTSIDE(13) OUTSIDE(14)
OUTSIDE(15) OUTSIDE(16) OUTSIDE(17) OUTSIDE(18) OUTSIDE(19) OUTSIDE(20) OUTSIDE(21)
OUTSIDE(22) OUTSIDE(23)
static const lua_CFunction outside_twin[NOUTSIDE] = {
  outside_0, outside_1, outside_2, outside_3, outside_4, outside_5, outside_6, outside_7,
  outside_8, outside_9, outside_10, outside_11, outside_12, outside_13, outside_14,
  outside_15, outside_16, outside_17, outside_18, outside_19, outside_20, outside_21,
  outside_22, outside_23
};

/* Replace the C function on top of the stack by its twin, same upvalues. */
static void twin_on_top(lua_State *L) {
  if (!lua_iscfunction(L, -1) || noutside == NOUTSIDE) return;
  int f = lua_absindex(L, -1), nup = 0;
  while (lua_getupvalue(L, f, nup + 1) != NULL) nup++;
  outside_fn[noutside] = lua_tocfunction(L, f);
  lua_pushcclosure(L, outside_twin[noutside++], nup);
  lua_replace(L, f);
}

/* The functions named, in the table at the top of the stack. */
static void twin_fields(lua_State *L, const char *const *names) {
  for (; *names; names++) {
    lua_getfield(L, -1, *names);
    twin_on_top(L);
    lua_setfield(L, -2, *names);
  }
}

/* Mark the twins made since `first` as loading C libraries. */
static void twins_load(int first) {
  for (int i = first; i < noutside; i++) outside_loads[i] = 1;
}

static void watch_outside(lua_State *L) {
  static const char *const io[] = {
    "close", "input", "lines", "open", "output", "popen", "read", "tmpfile", NULL
  };
  static const char *const file[] = { "close", "lines", "read", "seek", "setvbuf", NULL };
  static const char *const os[] = { "execute", "setlocale", NULL };
  static const char *const package[] = { "loadlib", NULL };
  static const char *const debug[] = { "debug", NULL };
  static const struct { const char *lib; const char *const *names; } libs[] = {
    { LUA_IOLIBNAME, io }, { LUA_OSLIBNAME, os }, { LUA_LOADLIBNAME, package },
    { LUA_DBLIBNAME, debug }
  };
  int top = lua_gettop(L);
  for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
    int first = noutside;
    if (lua_getglobal(L, libs[i].lib) == LUA_TTABLE) twin_fields(L, libs[i].names);
    lua_pop(L, 1);
    if (libs[i].names == package) twins_load(first);
  }
  if (luaL_getmetatable(L, LUA_FILEHANDLE) == LUA_TTABLE &&
      lua_getfield(L, -1, "__index") == LUA_TTABLE)
    twin_fields(L, file);
  lua_settop(L, top);
  /* The searchers of C libraries (package.searchers[3] and [4]) load them. */
  if (lua_getglobal(L, LUA_LOADLIBNAME) == LUA_TTABLE &&
      lua_getfield(L, -1, "searchers") == LUA_TTABLE) {
    for (int i = 3; i <= 4; i++) {
      int first = noutside;
      lua_geti(L, -1, i);
      twin_on_top(L);
      lua_seti(L, -2, i);
      twins_load(first);
    }
  }
  lua_settop(L, top);
}

/* }====================================================== */

/*
** {======================================================
** A worker: one schedule after another from one built universe
** =======================================================
*/

/*
** What a run changes is put back from a snapshot taken when the universe
** was built: the allocator's arena and state (alloc.c), R and MainThread,
** the threads the run created (thread.c), and the few other values of this
** file. The run's own POSIX threads are gone by then: each left through
** the `abandoned` hook, or returned.
*/
static jmp_buf again;      /* MainThread's place just after the snapshot */
static Run saved;
static Thread saved_main;
static char *saved_main_name;   /* a run may rename MainThread, freeing its name */
static Thread **saved_runq, **saved_heap;
static int saved_warn;

static int snapshot(void) {
  if (R->nrunq > 64 || R->nheap > 64 || alloc_snapshot() != 0) return -1;
  static Thread *runq[64], *heap[64];
  memcpy(runq, R->runq, (size_t)R->nrunq * sizeof *runq);
  if (R->nheap) memcpy(heap, R->heap, (size_t)R->nheap * sizeof *heap);
  saved_runq = runq;
  saved_heap = heap;
  saved = *R;
  saved_main = *R->main;
  saved_main_name = strdup(R->main->name);
  if (saved_main_name == NULL) return -1;
  saved_warn = warn_state;
  thread_snapshot();
  return 0;
}

static void restore(void) {
  thread_restore(saved.nthreads);
  for (int i = saved.nfailures; i < R->nfailures; i++) {
    free(R->failures[i].thread);
    free(R->failures[i].where);
    free(R->failures[i].message);
  }
  if (R->outcome != saved.outcome) free(R->outcome);
  /* The arrays may have grown: keep them, with the snapshot's contents. */
  Thread **threads = R->threads, **runq = R->runq, **heap = R->heap;
  int cap_threads = R->cap_threads, cap_runq = R->cap_runq, cap_heap = R->cap_heap;
  *R = saved;
  R->threads = threads; R->cap_threads = cap_threads;
  R->runq = runq; R->cap_runq = cap_runq;
  R->heap = heap; R->cap_heap = cap_heap;
  memcpy(R->runq, saved_runq, (size_t)saved.nrunq * sizeof *R->runq);
  if (saved.nheap) memcpy(R->heap, saved_heap, (size_t)saved.nheap * sizeof *R->heap);
  char *name = R->main->name;
  *R->main = saved_main;
  if (strcmp(name, saved_main_name) != 0) {
    char *copy = strdup(saved_main_name);
    if (copy == NULL) { fputs("tsbox: not enough memory\n", stderr); _exit(EXIT_LIMIT); }
    free(name);
    name = copy;
  }
  R->main->name = name;
  warn_state = saved_warn;
  alloc_restore();
}

/*
** The run ended and the worker goes on: every other thread is told it
** will never run again, and MainThread goes back to the snapshot. Called
** by the thread that ended the run, which holds the baton and no lock.
*/
static _Noreturn void recycle(void) {
  sched_abandon_others(run_self);
  if (run_self == R->main) longjmp(again, 1);
  thread_abandon();
}

/* The scheduler's `abandoned` hook: a thread waiting when the run ended. */
static void run_abandoned(Thread *self) {
  if (self == R->main) longjmp(again, 1);
  thread_abandon();
}

/* }====================================================== */

static void *main_body(void *arg) {
  Thread *self = arg;
  run_self = self;
  lua_State *L = lua_newstate(alloc_lua, NULL);
  if (L == NULL) {
    fputs("tsbox: cannot create the Lua state: not enough memory\n", stderr);
    exit(EXIT_LIMIT);
  }
  self->ident = ++R->next_ident;
  self->co = L;
  R->running = self;
  atomic_store(&self->baton, 1);
  sched_spawn(self);
  sched_enter(self);
  R->L = L;
  lua_atpanic(L, on_panic);
  prim_init_anchors(L);
  lua_setwarnf(L, on_warning, NULL);
  if (R->opt.no_env) {
    /* lua's signal to the package library to ignore LUA_PATH and LUA_CPATH */
    lua_pushboolean(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, "LUA_NOENV");
  }
  luaL_openlibs(L);
  tame_file_tostring(L);
  watch_outside(L);
  thread_guard_coroutines(L);
  /* --race watches every shared access; so does dfs, which orders only
     the transitions that touch the same location. */
  if (R->opt.race || R->opt.explain) race_init(R->opt.race);
  if (R->opt.explain) explain_init();
  if (R->opt.race || R->opt.explain || R->opt.sched == POL_DFS || R->opt.sched == POL_POS)
    watch_accesses(L);
  guard_debug(L);
  source_only(L);
  tsbox_open_module(L);
  thread_adopt_main(L, self);
  set_module_path(L);
  set_arg_table(L);
  int base = lua_gettop(L);
  push_steps(L);
  /* The universe is built; from here on the run depends on its seed. */
  if (hooks.built) {
    int code, child = hooks.built(&code);
    if (!child) {
      end_exploration(code);
      return NULL;
    }
    /* A child the explorer runs under dfs (a minimization) needs what dfs
       watches, which a universe built for another scheduler lacks. */
    if ((R->opt.sched == POL_DFS || R->opt.sched == POL_POS) && !access_enabled) watch_accesses(L);
    worker = child == 2 && snapshot() == 0;
    if (worker) thread_keep_posix();
    if (worker && setjmp(again) != 0) {
      thread_wait_all_gone();
      restore();
      if (!hooks.next()) _exit(EXIT_OK);
    }
  }
  main_run(base);
  return NULL;
}

/*
** MainThread runs on a stack at a fixed address: Lua's string-hash seed
** mixes in the address of a local variable of lua_newstate.
*/
static int start_main_thread(Thread *main) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  void *want = (void *)(uintptr_t)TSBOX_STACK_BASE;
  void *stack = mmap(want, MAIN_STACK, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
  if (stack == MAP_FAILED)
    stack = mmap(NULL, MAIN_STACK, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (stack == MAP_FAILED) return -1;
  pthread_attr_setstack(&attr, stack, MAIN_STACK);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t pt;
  int rc = pthread_create(&pt, &attr, main_body, main);
  pthread_attr_destroy(&attr);
  return rc;
}

/*
** The watcher: the process's own thread waits for the run to end. A
** timeout or Ctrl-C asks the thread running Lua to report and end at its
** next instruction; if none runs Lua within a second (every thread blocked
** outside tsbox's control), the watcher ends the run itself.
*/
/*
** The signals whose default action ends the process quietly, taken by the
** watcher alone, so that each ends the run with its output flushed.
*/
static const struct { int sig; const char *name; } ending[] = {
  { SIGINT, "SIGINT" }, { SIGTERM, "SIGTERM" }, { SIGHUP, "SIGHUP" }, { SIGQUIT, "SIGQUIT" },
  { SIGALRM, "SIGALRM" }, { SIGUSR1, "SIGUSR1" }, { SIGUSR2, "SIGUSR2" }
};
#define NENDING ((int)(sizeof ending / sizeof ending[0]))

static void ending_signals(sigset_t *set) {
  sigemptyset(set);
  for (int i = 0; i < NENDING; i++) sigaddset(set, ending[i].sig);
}

/* Blocked in every thread: the ending signals, for the watcher, and
   SIGCHLD and RUN_SIG_WORD, for an explorer waiting for its runs (explore.c). */
static void run_block_signals(void) {
  sigset_t set;
  ending_signals(&set);
  sigaddset(&set, SIGCHLD);
  sigaddset(&set, RUN_SIG_WORD);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
}

const char *run_signal_name(int sig) {
  for (int i = 0; i < NENDING; i++)
    if (ending[i].sig == sig) return ending[i].name;
  return "a signal";
}

static void watch(void) {
  sigset_t set;
  ending_signals(&set);
  double start = (double)sched_mono_ns() / 1e9, asked = 0;
  int interrupts = 0;
  sched_check(pthread_mutex_lock(&R->mu), "lock");
  while (!R->ended) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_nsec += 50000000;
    if (ts.tv_nsec >= 1000000000) { ts.tv_sec++; ts.tv_nsec -= 1000000000; }
    int rc = pthread_cond_timedwait(&R->end_cv, &R->mu, &ts);
    sched_check(rc == ETIMEDOUT ? 0 : rc, "timedwait");
    if (R->ended) break;
    sched_check(pthread_mutex_unlock(&R->mu), "unlock");
    double now = (double)sched_mono_ns() / 1e9;
    struct timespec zero = { 0, 0 };
    int sig = sigtimedwait(&set, NULL, &zero);
    if (sig > 0) {
      /* An exploration ends its workers and prints what it has (explore.c);
         a run reports where its threads stand. A second signal to a run
         ends it at once, what the script wrote flushed. */
      if (atomic_load(&R->stop_signal) == 0) atomic_store(&R->stop_signal, sig);
      if (R->opt.runs == 0 && ++interrupts > 1) {
        fflush(stdout);
        fprintf(stderr, "\ntsbox: interrupted (%s)\n", run_signal_name(sig));
        _exit(EXIT_SIGNAL(atomic_load(&R->stop_signal)));
      }
      if (R->opt.runs == 0) atomic_store(&R->stop_request, STOP_INTERRUPT);
      asked = now;
    }
    if (R->opt.timeout > 0 && R->opt.runs == 0 && now - start > R->opt.timeout && asked == 0) {
      atomic_store(&R->stop_request, STOP_TIMEOUT);
      asked = now;
    }
    if (R->opt.runs == 0 && asked > 0 && now - asked > 1.0) {
      fflush(stdout);
      if (interrupts)
        fprintf(stderr, "tsbox: interrupted (%s)\n", run_signal_name(atomic_load(&R->stop_signal)));
      else fprintf(stderr, "tsbox: timeout: %g s of wall time (--timeout) (seed 0x%llx, sched %s); "
                   "no thread was running Lua code\n", R->opt.timeout,
                   (unsigned long long)R->opt.seed, run_sched_name(R->opt.sched));
      _exit(interrupts ? EXIT_SIGNAL(atomic_load(&R->stop_signal)) : EXIT_LIMIT);
    }
    sched_check(pthread_mutex_lock(&R->mu), "lock");
  }
  sched_check(pthread_mutex_unlock(&R->mu), "unlock");
}

/* The scheduler found no thread that can run again: a deadlock. */
static _Noreturn void run_stuck(Thread *self) {
  halt_deadlock(self);
  run_finish(EXIT_DEADLOCK);
}

/* A quantum went by: the run's limits, and a signal or --timeout's end. */
static void run_tick(Thread *self) {
  if (R->opt.max_steps && R->steps >= R->opt.max_steps)
    halt_limit(self, "step limit", "--max-steps");
  if (alloc_limit_hit())
    halt_memory_limit(self);   /* caught by a pcall, it would go unnoticed */
  switch (atomic_load(&R->stop_request)) {
    case STOP_TIMEOUT: halt_limit(self, "timeout", "--timeout"); break;
    case STOP_INTERRUPT: halt_interrupt(self, run_signal_name(atomic_load(&R->stop_signal))); break;
    default: break;
  }
}

int run_main(const Options *opt, const RunHooks *h) {
  hooks = *h;
  R = &the_run;
  R->opt = *opt;
  static const SchedHooks sched_hooks = { run_stuck, run_tick, run_abandoned };
  sched_init(&sched_hooks);
  static const OutcomeHooks outcome_hooks = { run_finish, trace_failure };
  outcome_init(&outcome_hooks);
  if (alloc_init(opt->max_memory) != 0) {
    fputs("tsbox: cannot reserve memory for the Lua universe\n", stderr);
    return EXIT_LIMIT;
  }
  Thread *main = thread_new("MainThread");
  R->main = main;
  /* Only the watcher takes Ctrl-C, SIGTERM and SIGHUP; every thread
     inherits the mask. */
  run_block_signals();
  if (start_main_thread(main) != 0) {
    fputs("tsbox: cannot start the main thread\n", stderr);
    return EXIT_LIMIT;
  }
  watch();
  sched_check(pthread_mutex_lock(&R->mu), "lock");
  int code = R->exit_code;
  sched_check(pthread_mutex_unlock(&R->mu), "unlock");
  return code;
}
