/*
** report.c: what tsbox tells the user when a run goes wrong: deadlocks
** with their wait-for cycle, limits with where every thread stands, failed
** checks, and the replay command that shows the same run again. Reports
** are written by the thread holding the GIL; they read other threads' Lua
** stacks but never run Lua code on them.
*/
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>

#include "lock.h"
#include "report.h"
#include "sched.h"

/* The innermost Lua position of a thread, "file:line". */
void report_position(Thread *t, char *buf, size_t n) {
  lua_Debug ar;
  snprintf(buf, n, t == R->main ? "(after the main chunk)" : "?");
  if (t == NULL || t->co == NULL) return;
  for (int level = 0; lua_getstack(t->co, level, &ar); level++) {
    lua_getinfo(t->co, "Sl", &ar);
    /* The toolbox's own frames are tsbox internals: show the caller. */
    if (ar.currentline > 0 && strcmp(ar.source, "=[tsbox toolbox]") != 0) {
      snprintf(buf, n, "%s:%d", ar.short_src, ar.currentline);
      return;
    }
  }
}

void report_replay_token(char *buf, size_t n) {
  const Options *o = &R->opt;
  char q[24] = "";
  switch (o->sched) {
    case POL_RANDOM:
      if (o->quantum != 16) snprintf(q, sizeof q, ":q%d", o->quantum);
      snprintf(buf, n, "r:0x%llx%s", (unsigned long long)o->seed, q);
      break;
    case POL_RR:
      snprintf(buf, n, "rr:q%d", o->quantum);
      break;
    case POL_PCT:
      if (o->quantum != 16) snprintf(q, sizeof q, ":q%d", o->quantum);
      snprintf(buf, n, "p:0x%llx:d%d:k%llu%s", (unsigned long long)o->seed, o->depth,
               (unsigned long long)o->pct_steps, q);
      break;
    case POL_DFS: {
      size_t len = (size_t)snprintf(buf, n, "d:q%d:", o->quantum);
      for (int i = 0; i < R->ntrace && len + 24 < n; i++) {
        const Choice *c = &R->trace[i];
        if (c->chosen != c->dflt)
          len += (size_t)snprintf(buf + len, n - len, "%s%u.%u", buf[len - 1] == ':' ? "" : ",",
                                  c->step, c->chosen);
      }
      if (buf[len - 1] == ':') buf[len - 1] = '\0';
      break;
    }
    default:
      snprintf(buf, n, "os");
      break;
  }
}

/* Print a command-line word, quoted for a POSIX shell when needed. */
void report_shell_word(FILE *f, const char *s) {
  if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=+,@%") == strlen(s)) {
    fputs(s, f);
    return;
  }
  fputc('\'', f);
  for (; *s; s++) {
    if (*s == '\'') fputs("'\\''", f); else fputc(*s, f);
  }
  fputc('\'', f);
}

void report_replay_line(FILE *f) {
  const Options *o = &R->opt;
  if (o->sched == POL_OS) {
    fputs("  replay: not reproducible under --sched os; explore with --sched random\n", f);
    return;
  }
  char tok[4096];
  report_replay_token(tok, sizeof tok);
  fprintf(f, "  replay: tsbox %s--replay %s ", o->race ? "--race " : "", tok);
  if (o->script == NULL) {
    fputs("-e ", f);
    report_shell_word(f, o->chunk);
  } else {
    for (int i = 0; i < o->script_argc; i++) {
      if (i) fputc(' ', f);
      report_shell_word(f, o->script_argv[i]);
    }
  }
  fputc('\n', f);
}

void report_header(FILE *f, const char *what) {
  if (R->opt.sched == POL_RR || R->opt.sched == POL_DFS)
    fprintf(f, "tsbox: %s (sched %s, quantum %d, step %llu)\n", what,
            run_sched_name(R->opt.sched), R->opt.quantum, (unsigned long long)R->steps);
  else
    fprintf(f, "tsbox: %s (seed 0x%llx, sched %s, step %llu)\n", what,
            (unsigned long long)R->opt.seed, run_sched_name(R->opt.sched),
            (unsigned long long)R->steps);
}

/* What a thread is doing, in words: "waits for Lock "a" held by "b"". */
static void describe(Thread *t, Thread *running, char *buf, size_t n) {
  const Waitable *w = t->blocked_on;
  if (t->state == TS_BLOCKED && w != NULL) {
    if (strcmp(w->kind, "Thread") == 0)
      snprintf(buf, n, "\"%s\" waits to join Thread \"%s\"", t->name, w->name);
    else if (w->owner != NULL)
      snprintf(buf, n, "\"%s\" waits for %s \"%s\" held by \"%s\"", t->name, w->kind,
               w->name, w->owner->name);
    else
      snprintf(buf, n, "\"%s\" waits for %s \"%s\"", t->name, w->kind, w->name);
  } else if (t->state == TS_BLOCKED) {
    snprintf(buf, n, "\"%s\" sleeps", t->name);
  } else {
    snprintf(buf, n, "\"%s\" %s", t->name, t == running ? "is running" : "is runnable");
  }
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
    report_position(t, pos, sizeof pos);
    char held[256];
    lock_held_by(t, held, sizeof held);
    fprintf(f, "  %-*s   at %s%s%s\n", width, what, pos, held[0] ? "   holds " : "", held);
    if (R->opt.verbose && t->co != NULL && R->Lrep != NULL) {
      luaL_traceback(R->Lrep, t->co, NULL, 0);
      fprintf(f, "    %s\n", lua_tostring(R->Lrep, -1));
      lua_pop(R->Lrep, 1);
    }
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
      fprintf(f, "%s -> ", t->name);
      if (strcmp(t->blocked_on->kind, "Thread") != 0) fprintf(f, "%s -> ", t->blocked_on->name);
      t = waits_on(t);
    } while (t != start);
    fprintf(f, "%s\n", start->name);
    return;
  }
}

void report_deadlock(Thread *self) {
  int blocked = 0;
  for (int i = 0; i < R->nthreads; i++)
    blocked += R->threads[i]->state == TS_BLOCKED;
  char what[96];
  snprintf(what, sizeof what, "deadlock: %d of %d threads blocked", blocked, R->nlive);
  fflush(stdout);
  report_header(stderr, what);
  thread_table(stderr, self);
  print_cycle(stderr);
  run_failure(EXIT_DEADLOCK, "deadlock", self, what);
}

void report_limit(Thread *self, const char *what, const char *option) {
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
  run_failure(EXIT_LIMIT, "limit", self, msg);
  run_finish(EXIT_LIMIT);
}


/* The Lua heap hit --max-memory (the allocator refused a request). */
void report_memory_limit(Thread *self) {
  char what[64];
  snprintf(what, sizeof what, "memory limit: %zu bytes", R->opt.max_memory);
  report_limit(self, what, "--max-memory");
}

/* Ctrl-C: where every thread stands, then the end of the run. */
void report_interrupt(Thread *self) {
  fflush(stdout);
  report_header(stderr, "interrupted");
  thread_table(stderr, self);
  report_replay_line(stderr);
  fflush(stderr);
  _exit(EXIT_INTERRUPT);
}

/* A JSON string; '<' is escaped too, so the text is safe inside <script>. */
void report_json_string(FILE *f, const char *s) {
  fputc('"', f);
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
    else if (c == '\n') fputs("\\n", f);
    else if (c == '\t') fputs("\\t", f);
    else if (c < 0x20 || c == '<') fprintf(f, "\\u%04x", c);
    else fputc(c, f);
  }
  fputc('"', f);
}

/* The fields of a failure, for JSON objects: kind, thread, where, message. */
void report_json_failure(FILE *f, const Failure *x) {
  fputs("\"kind\": ", f);
  report_json_string(f, x->kind);
  fputs(", \"thread\": ", f);
  report_json_string(f, x->thread);
  fputs(", \"where\": ", f);
  report_json_string(f, x->where);
  fputs(", \"message\": ", f);
  report_json_string(f, x->message);
}

/* --json for a single run: the exploration report's shape, with one run. */
void report_json_run(int code) {
  FILE *f = fopen(R->opt.json, "w");
  if (f == NULL) {
    fprintf(stderr, "tsbox: cannot write %s\n", R->opt.json);
    return;
  }
  char tok[4096];
  report_replay_token(tok, sizeof tok);
  fprintf(f, "{\"tsbox\": \"%s\", \"script\": ", TSBOX_VERSION);
  report_json_string(f, run_script_name());
  fprintf(f, ", \"sched\": \"%s\", \"seed_first\": %llu, \"runs\": 1, \"exit_status\": %d,"
          " \"exhausted\": false, \"steps\": %llu, \"virtual_time_s\": %.6f,\n  \"outcomes\": [{\"outcome\": ",
          run_sched_name(R->opt.sched), (unsigned long long)R->opt.seed, code,
          (unsigned long long)R->steps, run_deterministic() ? (double)sched_now() / 1e9 : 0.0);
  report_json_string(f, R->outcome ? R->outcome : "(not recorded)");
  fputs(", \"runs\": 1, \"replay\": ", f);
  report_json_string(f, tok);
  fputs("}],\n  \"failures\": [", f);
  for (int i = 0; i < R->nfailures; i++) {
    fputs(i ? ",\n    {" : "\n    {", f);
    report_json_failure(f, &R->failures[i]);
    fputs(", \"runs\": 1, \"first_run\": 1, \"replay\": ", f);
    report_json_string(f, tok);
    fputc('}', f);
  }
  fputs("],\n  \"first_failure\": ", f);
  if (R->nfailures == 0) {
    fputs("null", f);
  } else {
    fputs("{\"run\": 1, \"kind\": ", f);
    report_json_string(f, R->failures[0].kind);
    fputs(", \"replay\": ", f);
    report_json_string(f, tok);
    fputc('}', f);
  }
  fputs("}\n", f);
  fclose(f);
}
