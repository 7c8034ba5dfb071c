/*
** halt.c: the reports of a run that cannot go on: a deadlock with its
** wait-for cycle, a limit hit, an interrupt. Each shows where every
** thread stands and what it waits for; a limit then ends the run
** (through outcome.c's hook), an interrupt exits at once. Written by the
** thread holding the GIL; it reads other threads' Lua stacks but never
** runs Lua on them.
*/
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>

#include "halt.h"
#include "lock.h"
#include "outcome.h"
#include "report.h"

/* What a thread is doing, in words: "waits for Lock "a" held by "b"". */
static void describe(Thread *t, Thread *running, char *buf, size_t n) {
  const Waitable *w = t->blocked_on;
  if (t->state == TS_BLOCKED && w != NULL) {
    if (strcmp(w->kind, "Thread") == 0)
      snprintf(buf, n, "\"%s\" waits to join Thread \"%s\"", report_safe(t->name), report_safe(w->name));
    else if (w->owner != NULL)
      snprintf(buf, n, "\"%s\" waits for %s \"%s\" held by \"%s\"", report_safe(t->name), w->kind,
               report_safe(w->name), report_safe(w->owner->name));
    else
      snprintf(buf, n, "\"%s\" waits for %s \"%s\"", report_safe(t->name), w->kind,
               report_safe(w->name));
  } else if (t->state == TS_BLOCKED) {
    snprintf(buf, n, "\"%s\" sleeps", report_safe(t->name));
  } else {
    snprintf(buf, n, "\"%s\" %s", report_safe(t->name), t == running ? "is running" : "is runnable");
  }
}

static int traceback_of(lua_State *L) {
  luaL_traceback(L, lua_touserdata(L, 1), NULL, 0);
  return 1;
}

/*
** A thread's Lua traceback. Building it allocates, and the report may be
** about running out of memory: it runs protected on the scratch stack, on
** this OS thread, so a failure is a line of the report, never a longjmp
** onto another thread's stack.
*/
static void print_traceback(FILE *f, lua_State *co) {
  lua_State *L = R->Lrep;
  if (!lua_checkstack(L, 2)) {
    fputs("    (no traceback: not enough memory)\n", f);
    return;
  }
  lua_pushcfunction(L, traceback_of);
  lua_pushlightuserdata(L, co);
  if (lua_pcall(L, 1, 1, 0) == LUA_OK)
    fprintf(f, "    %s\n", lua_tostring(L, -1));
  else
    fprintf(f, "    (no traceback: %s)\n",
            lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "error");
  lua_pop(L, 1);
}

/* One line per live thread: what it does or waits for, and where. */
static void thread_table(FILE *f, Thread *running) {
  char what[320], pos[256];
  int width = 0;
  for (int i = 0; i < R->nthreads; i++) {
    Thread *t = R->threads[i];
    if (t->state == TS_NEW || t->state == TS_DONE) continue;
    describe(t, running, what, sizeof what);
    int len = (int)strlen(what);
    if (len > width) width = len;
  }
  for (int i = 0; i < R->nthreads; i++) {
    Thread *t = R->threads[i];
    if (t->state == TS_NEW || t->state == TS_DONE) continue;
    describe(t, running, what, sizeof what);
    outcome_position(t, pos, sizeof pos);
    char held[256];
    lock_held_by(t, held, sizeof held);
    fprintf(f, "  %-*s   at %s%s%s\n", width, what, pos, held[0] ? "   holds " : "", held);
    if (R->opt.verbose && t->co != NULL && R->Lrep != NULL) print_traceback(f, t->co);
  }
}

/* Thread a thread waits on, through the owner of what it waits for. */
static Thread *waits_on(const Thread *t) {
  if (t->state != TS_BLOCKED || t->blocked_on == NULL) return NULL;
  return t->blocked_on->owner;
}

static void print_cycle(FILE *f) {
  for (int i = 0; i < R->nthreads; i++) {
    Thread *start = R->threads[i];
    /* Walk at most nthreads steps; a cycle through `start` closes it. */
    Thread *t = start;
    int steps = 0;
    while ((t = waits_on(t)) != NULL && t != start && steps++ < R->nthreads) {}
    if (t != start) continue;
    fputs("  cycle: ", f);
    t = start;
    do {
      fprintf(f, "%s -> ", report_safe(t->name));
      if (strcmp(t->blocked_on->kind, "Thread") != 0)
        fprintf(f, "%s -> ", report_safe(t->blocked_on->name));
      t = waits_on(t);
    } while (t != start);
    fprintf(f, "%s\n", report_safe(start->name));
    return;
  }
}

void halt_deadlock(Thread *self) {
  int blocked = 0;
  for (int i = 0; i < R->nthreads; i++)
    blocked += R->threads[i]->state == TS_BLOCKED;
  char what[96];
  snprintf(what, sizeof what, "deadlock: %d of %d threads blocked", blocked, R->nlive);
  fflush(stdout);
  report_header(stderr, what);
  thread_table(stderr, self);
  print_cycle(stderr);
  outcome_failure(EXIT_DEADLOCK, "deadlock", self, what);
}

_Noreturn void halt_limit(Thread *self, const char *what, const char *option) {
  char msg[160];
  if (strcmp(option, "--max-steps") == 0)
    snprintf(msg, sizeof msg, "%s: %llu VM instructions (%s)", what,
             (unsigned long long)R->opt.max_steps, option);
  else if (strcmp(option, "--timeout") == 0)
    snprintf(msg, sizeof msg, "%s: %g s of wall time (%s)", what, R->opt.timeout, option);
  else if (strcmp(option, "--max-threads") == 0)
    snprintf(msg, sizeof msg, "%s: %d live threads (%s)", what, R->nlive, option);
  else
    snprintf(msg, sizeof msg, "%s (%s)", what, option);
  fflush(stdout);
  report_header(stderr, msg);
  thread_table(stderr, self);
  outcome_failure(EXIT_LIMIT, "limit", self, msg);
  outcome_end(EXIT_LIMIT);
}

/* The Lua heap hit --max-memory (the allocator refused a request). */
_Noreturn void halt_memory_limit(Thread *self) {
  char what[64];
  snprintf(what, sizeof what, "memory limit: %zu bytes", R->opt.max_memory);
  halt_limit(self, what, "--max-memory");
}

/* Ctrl-C, SIGTERM, SIGHUP (named `signame`): where every thread stands,
   then the end of the run. */
_Noreturn void halt_interrupt(Thread *self, const char *signame) {
  int sig = atomic_load(&R->stop_signal);
  char what[64];
  snprintf(what, sizeof what, "interrupted (%s)", signame);
  fflush(stdout);
  report_header(stderr, what);
  thread_table(stderr, self);
  report_replay_line(stderr);
  fflush(stderr);
  _exit(EXIT_SIGNAL(sig));
}
