/*
** trace.c: the event trace. With --trace each event is printed on stderr as
** it happens, one aligned line; with --timeline events are kept in memory
** and written at the end of the run as Chrome trace-event JSON (which
** Perfetto opens) or as a self-contained HTML page that draws the same
** data. Events are emitted by the thread holding the GIL; source positions
** are read only from the emitting thread's own stack.
*/
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "outcome.h"
#include "report.h"
#include "sched.h"
#include "trace.h"
#include "timeline_html.h"

int trace_enabled;
TraceObserver trace_observer;

typedef struct Event {
  int64_t t;
  uint64_t steps;
  int thread, other, flag;
  TraceType type;
  const char *kind;         /* static strings */
  const char *name;         /* interned */
  const char *src;          /* interned chunk name */
  int line;
  uint64_t loc;             /* EV_READ, EV_WRITE: the location */
} Event;

static Event *events;
static int nevents, cap_events;
static int dropped;

#define MAX_EVENTS 2000000

static const char *const type_names[EV_NTYPES] = {
  "start", "exit", "run", "block", "wake", "timeout", "signal", "acquire", "release",
  "set", "clear", "notify", "pass", "break", "error", "check", "deadlock", "limit", "preempt", "line",
  "read", "write"
};

/* Event names and sources repeat a lot: one copy of each. */
static Map strings;

void trace_open(void) {
  trace_enabled = R->opt.trace || R->opt.timeline != NULL || trace_observer != NULL;
}

/* Position of the innermost Lua function of `t`, when `t` is running. */
static void where(Thread *t, const char **src, int *line) {
  *src = NULL;
  *line = 0;
  if (t != run_self || t->co == NULL) return;
  lua_Debug ar;
  if (outcome_frame(t->co, 1, &ar)) {
    *src = map_intern(&strings, ar.short_src);
    *line = ar.currentline;
  }
}

static void print_event(const Event *e) {
  Thread *t = R->threads[e->thread - 1];
  char what[160] = "";
  if (e->kind) snprintf(what, sizeof what, "%s \"%s\"", e->kind, e->name);
  if (e->other) {
    const char *o = R->threads[e->other - 1]->name;
    size_t n = strlen(what);
    switch (e->type) {
      case EV_RUN: snprintf(what + n, sizeof what - n, "after %s%s", o, e->flag ? " (preempted)" : ""); break;
      case EV_START: case EV_SIGNAL: snprintf(what + n, sizeof what - n, "%s%s", n ? " -> " : "", o); break;
      case EV_PREEMPT: snprintf(what + n, sizeof what - n, "for %s", o); break;
      default: break;
    }
  }
  if (e->type == EV_BLOCK && e->kind == NULL) snprintf(what, sizeof what, "sleep until %.6f",
                                                      (double)e->flag / 1e6);
  char pos[200] = "";
  if (e->src) snprintf(pos, sizeof pos, "%s:%d", e->src, e->line);
  fprintf(stderr, "%12.6f  %-16s %-8s %-36s %s\n", (double)e->t / 1e9, report_safe(t->name),
          type_names[e->type], report_safe(what), pos);
}

/* A new event at the end of the timeline's buffer; NULL when it is full. */
static Event *append(Thread *t, TraceType type) {
  if (nevents == MAX_EVENTS) { dropped++; return NULL; }
  if (nevents == cap_events) {
    cap_events = cap_events ? cap_events * 2 : 1024;
    events = outcome_realloc(events, (size_t)cap_events * sizeof *events);
  }
  Event *e = &events[nevents++];
  memset(e, 0, sizeof *e);
  e->t = sched_now();
  e->steps = R->steps;
  e->thread = t->serial;
  e->type = type;
  return e;
}

/* A failure was recorded (outcome.c's hook): its event, for the kinds that have one. */
void trace_failure(Thread *t, const char *kind) {
  static const struct { const char *kind; TraceType type; } map[] = {
    { "error", EV_ERROR }, { "check", EV_CHECK }, { "deadlock", EV_DEADLOCK }, { "limit", EV_LIMIT }
  };
  for (int i = 0; i < 4; i++)
    if (strcmp(kind, map[i].kind) == 0) TRACE(t, map[i].type, NULL, NULL, 0);
}

void trace_emit(Thread *t, TraceType type, const Waitable *w, Thread *other, int flag) {
  if (t == NULL) return;
  Event e;
  memset(&e, 0, sizeof e);
  e.t = sched_now();
  e.steps = R->steps;
  e.thread = t->serial;
  e.other = other ? other->serial : 0;
  e.flag = flag;
  e.type = type;
  if (w) {
    e.kind = w->kind;
    e.name = map_intern(&strings, w->name);
  }
  if (type != EV_RUN) where(t, &e.src, &e.line);
  if (trace_observer) trace_observer(t, type, w, other, flag, e.src, e.line);
  if (R->opt.trace) print_event(&e);
  if (R->opt.timeline == NULL) return;
  Event *slot = append(t, type);
  if (slot) *slot = e;
}

/* A line event carries the position the line hook saw (any coroutine). */
void trace_line(Thread *t, const char *src, int line) {
  if (R->opt.timeline == NULL || t == NULL) return;
  Event *e = append(t, EV_LINE);
  if (e == NULL) return;
  e->src = map_intern(&strings, src);
  e->line = line;
}

/*
** Every access is kept while the run goes on (no one knows yet which
** location will race); the timeline shows those of the racing locations.
*/
typedef struct Race { uint64_t loc; int a, b; char *what; } Race;
static Race *races;
static int nraces, cap_races;

int trace_access(Thread *t, int write, uint64_t loc, const char *src, int line, const char *text) {
  if (R->opt.timeline == NULL || t == NULL) return -1;
  Event *e = append(t, write ? EV_WRITE : EV_READ);
  if (e == NULL) return -1;
  e->loc = loc;
  e->src = map_intern(&strings, src);
  e->line = line;
  e->name = map_intern(&strings, text);
  return nevents - 1;
}

void trace_race(uint64_t loc, int seq_a, int seq_b, const char *what) {
  if (R->opt.timeline == NULL || seq_a < 0 || seq_b < 0) return;
  if (nraces == cap_races) {
    cap_races = cap_races ? cap_races * 2 : 16;
    races = outcome_realloc(races, (size_t)cap_races * sizeof *races);
  }
  races[nraces++] = (Race){ loc, seq_a < seq_b ? seq_a : seq_b, seq_a < seq_b ? seq_b : seq_a,
                            strdup(what) };
}

static int racing(uint64_t loc) {
  for (int i = 0; i < nraces; i++)
    if (races[i].loc == loc) return 1;
  return 0;
}

/*
** {======================================================
** Chrome trace events
** =======================================================
*/

static double us(int64_t ns) { return (double)ns / 1000.0; }

/*
** The time each event is drawn at. Under the virtual clock a whole quantum
** shares one instant, and so may a burst of real-clock events; Perfetto
** orders events of equal time as it likes. So an event that would share
** its predecessor's time (or go back before it) is drawn 1 ns after it:
** times strictly increase in the order the events happened. Returns the
** array (one slot past the last event: the end of the run).
*/
static int64_t *display_times(void) {
  int64_t *at = calloc((size_t)nevents + 1, sizeof *at);
  if (at == NULL) abort();
  int64_t last = INT64_MIN;
  for (int i = 0; i <= nevents; i++) {
    int64_t t = i < nevents ? events[i].t : sched_now();
    at[i] = last == INT64_MIN || t > last ? t : last + (i < nevents);
    last = at[i];
  }
  return at;
}

/* A complete event; `seq`/`end_seq` place it among the events in order,
   `preempted` says whether the thread was switched out while runnable. */
static void slice(FILE *f, int *first, const char *name, const char *cat, int tid,
                  int64_t t0, int64_t t1, int seq, int end_seq, int preempted) {
  if (t1 < t0) t1 = t0;
  fprintf(f, "%s\n{\"name\":", *first ? "" : ",");
  *first = 0;
  report_json_string(f, name);
  fprintf(f, ",\"cat\":\"%s\",\"ph\":\"X\",\"pid\":1,\"tid\":%d,\"ts\":%.3f,\"dur\":%.3f,"
          "\"args\":{\"seq\":%d,\"end_seq\":%d", cat, tid, us(t0), us(t1 - t0), seq, end_seq);
  if (preempted >= 0) fprintf(f, ",\"preempted\":%s", preempted ? "true" : "false");
  fputs("}}", f);
}

/*
** {======================================================
** Lock-held bars
** =======================================================
*/

/* One thread's holding of one Lock, RLock or Semaphore. */
typedef struct Hold {
  int thread, depth, seq;
  const char *kind, *name;
} Hold;

static int holdable(const Event *e) {
  return (e->type == EV_ACQUIRE || e->type == EV_RELEASE) && e->kind &&
         (strcmp(e->kind, "Lock") == 0 || strcmp(e->kind, "RLock") == 0 ||
          strcmp(e->kind, "Semaphore") == 0 || strcmp(e->kind, "BoundedSemaphore") == 0);
}

static int same_object(const Hold *h, const Event *e) {
  return strcmp(h->name, e->name) == 0 && strcmp(h->kind, e->kind) == 0;
}

/*
** A holding as a pair of async events ("b" and "e"), named after the
** holder and the lock: a holding spans several running and waiting slices
** of its thread, which complete events on the thread's own track could not
** nest with, so Perfetto gives it a track of its own under the process.
*/
static void hold_slice(FILE *f, int *first, int id, const Hold *h, const int64_t *at, int end_seq) {
  char name[200];
  snprintf(name, sizeof name, "%s holds %s \"%s\"", R->threads[h->thread - 1]->name, h->kind, h->name);
  for (int end = 0; end < 2; end++) {
    fprintf(f, "%s\n{\"name\":", *first ? "" : ",");
    *first = 0;
    report_json_string(f, name);
    fprintf(f, ",\"cat\":\"lock\",\"ph\":\"%s\",\"id\":%d,\"pid\":1,\"tid\":%d,\"ts\":%.3f,"
            "\"args\":{\"seq\":%d}}", end ? "e" : "b", id, h->thread,
            us(at[end ? end_seq : h->seq]), end ? end_seq : h->seq);
  }
}

/*
** Holdings from the acquire and release events, as the HTML page draws
** them: re-entries nest; a Lock or RLock taken by another thread ends the
** previous holding (a Lock may be released by any thread); a release by a
** thread that holds nothing ends some other thread's holding (a Semaphore
** released on another's behalf); Condition.wait lets go of every level at
** once and takes them back when it returns.
*/
static void lock_slices(FILE *f, int *first, const int64_t *at) {
  Hold *open = NULL, *saved = NULL;
  int nopen = 0, nsaved = 0, cap = 0, id = 0;
  for (int i = 0; i < nevents; i++) {
    const Event *e = &events[i];
    if (!holdable(e)) continue;
    int k = 0;
    while (k < nopen && !(open[k].thread == e->thread && same_object(&open[k], e))) k++;
    if (e->type == EV_ACQUIRE) {
      if (k < nopen) { open[k].depth++; continue; }
      int exclusive = strcmp(e->kind, "Lock") == 0 || strcmp(e->kind, "RLock") == 0;
      for (int j = 0; exclusive && j < nopen;) {
        if (same_object(&open[j], e)) {
          hold_slice(f, first, ++id, &open[j], at, i);
          open[j] = open[--nopen];
        } else {
          j++;
        }
      }
      if (nopen + nsaved == cap) {
        cap = cap ? cap * 2 : 16;
        open = outcome_realloc(open, (size_t)cap * sizeof *open);
        saved = outcome_realloc(saved, (size_t)cap * sizeof *saved);
      }
      Hold h = { e->thread, 1, i, e->kind, e->name };
      for (int j = 0; j < nsaved; j++)
        if (saved[j].thread == e->thread && same_object(&saved[j], e)) {
          h.depth = saved[j].depth;
          saved[j] = saved[--nsaved];
          break;
        }
      open[nopen++] = h;
      continue;
    }
    if (k == nopen)   /* released on behalf of another thread */
      for (k = 0; k < nopen && !same_object(&open[k], e); k++) {}
    if (k == nopen) continue;
    if (open[k].thread == e->thread && e->flag > 0) {
      saved[nsaved] = open[k];      /* Condition.wait: restored by its re-acquire */
      saved[nsaved++].depth = e->flag;
    } else if (--open[k].depth > 0) {
      continue;
    }
    hold_slice(f, first, ++id, &open[k], at, i);
    open[k] = open[--nopen];
  }
  for (int j = 0; j < nopen; j++) hold_slice(f, first, ++id, &open[j], at, nevents);
  free(open);
  free(saved);
}

/* }====================================================== */

/* Write every event as Chrome trace JSON: slices for running and waiting,
   instants for operations, flows from a wake to the woken thread. */
static void write_trace(FILE *f) {
  int first = 1;
  int64_t *at = display_times(), end = at[nevents];
  fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{", f);
  fprintf(f, "\"tsbox\":\"%s\",\"script\":", TSBOX_VERSION);
  report_json_string(f, run_script_name());
  fprintf(f, ",\"sched\":\"%s\",\"seed\":%llu,\"clock\":\"%s\",\"dropped_events\":%d,\"failures\":[",
          run_sched_name(R->opt.sched), (unsigned long long)R->opt.seed,
          run_deterministic() ? "virtual" : "real", dropped);
  for (int i = 0; i < R->nfailures; i++) {
    fputs(i ? ",{" : "{", f);
    report_json_failure(f, &R->failures[i]);
    fputc('}', f);
  }
  fputs("],\"races\":[", f);
  for (int i = 0; i < nraces; i++) {
    const Event *a = &events[races[i].a], *b = &events[races[i].b];
    fprintf(f, "%s{\"what\":", i ? "," : "");
    report_json_string(f, races[i].what);
    fprintf(f, ",\"a\":%d,\"b\":%d,\"a_tid\":%d,\"b_tid\":%d}", races[i].a, races[i].b, a->thread,
            b->thread);
  }
  fputs("]},\n\"traceEvents\":[", f);
  fputs("\n{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"tid\":0,\"args\":{\"name\":", f);
  report_json_string(f, run_script_name());
  fputs("}}", f);
  first = 0;
  for (int i = 0; i < R->nthreads; i++) {
    Thread *t = R->threads[i];
    fprintf(f, ",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":%d,\"args\":{\"name\":", t->serial);
    report_json_string(f, t->name);
    fprintf(f, "}},\n{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":1,\"tid\":%d,"
            "\"args\":{\"sort_index\":%d}}", t->serial, t->serial);
  }
  /* Running slices: from a thread's `run` to the next `run`, block or exit. */
  int running = 0, since_seq = 0;
  int64_t since = 0;
  int64_t *blocked_at = calloc((size_t)R->nthreads + 1, sizeof *blocked_at);
  const Event **blocked_ev = calloc((size_t)R->nthreads + 1, sizeof *blocked_ev);
  int flow = 0;
  for (int i = 0; i < nevents; i++) {
    const Event *e = &events[i];
    if (e->type == EV_RUN || ((e->type == EV_BLOCK || e->type == EV_EXIT) && e->thread == running)) {
      if (running)
        slice(f, &first, "running", "run", running, since, at[i], since_seq, i,
              e->type == EV_RUN && e->other == running && e->flag);
      running = e->type == EV_RUN ? e->thread : 0;
      since = at[i];
      since_seq = i;
    }
    if (e->type == EV_BLOCK) {
      blocked_at[e->thread] = at[i];
      blocked_ev[e->thread] = e;
    }
    if ((e->type == EV_WAKE || e->type == EV_TIMEOUT) && blocked_ev[e->thread]) {
      const Event *b = blocked_ev[e->thread];
      char name[160];
      if (b->kind) snprintf(name, sizeof name, "waits for %s \"%s\"", b->kind, b->name);
      else snprintf(name, sizeof name, "sleeps");
      /* The woken thread reports its wake once it runs: the wait ended when it got the GIL. */
      slice(f, &first, name, b->kind ? "blocked" : "sleep", e->thread, blocked_at[e->thread],
            running == e->thread ? since : at[i],
            (int)(b - events), i, -1);
      blocked_ev[e->thread] = NULL;
    }
    if (e->type == EV_RUN) continue;
    if ((e->type == EV_READ || e->type == EV_WRITE) && !racing(e->loc)) continue;
    /* An instant for every operation. */
    fprintf(f, ",\n{\"name\":");
    char name[160];
    if (e->type == EV_READ || e->type == EV_WRITE)
      snprintf(name, sizeof name, "%s %s", type_names[e->type], e->name);
    else if (e->kind) snprintf(name, sizeof name, "%s %s \"%s\"", type_names[e->type], e->kind, e->name);
    else if (e->other) snprintf(name, sizeof name, "%s %s", type_names[e->type],
                                R->threads[e->other - 1]->name);
    else snprintf(name, sizeof name, "%s", type_names[e->type]);
    report_json_string(f, name);
    fprintf(f, ",\"cat\":\"%s\",\"ph\":\"i\",\"s\":\"t\",\"pid\":1,\"tid\":%d,\"ts\":%.3f,"
            "\"args\":{\"seq\":%d,\"steps\":%llu", type_names[e->type], e->thread, us(at[i]), i,
            (unsigned long long)e->steps);
    if (e->src) {
      char pos[220];
      snprintf(pos, sizeof pos, "%s:%d", e->src, e->line);
      fputs(",\"at\":", f);
      report_json_string(f, pos);
    }
    fputs("}}", f);
    if (e->type == EV_SIGNAL && e->other) {
      /* A flow arrow from the waker to the woken thread's next wake. */
      for (int j = i + 1; j < nevents; j++) {
        if (events[j].thread == e->other && events[j].type == EV_WAKE) {
          flow++;
          fprintf(f, ",\n{\"name\":\"wakes\",\"cat\":\"flow\",\"ph\":\"s\",\"id\":%d,\"pid\":1,"
                  "\"tid\":%d,\"ts\":%.3f}", flow, e->thread, us(at[i]));
          fprintf(f, ",\n{\"name\":\"wakes\",\"cat\":\"flow\",\"ph\":\"f\",\"bp\":\"e\",\"id\":%d,"
                  "\"pid\":1,\"tid\":%d,\"ts\":%.3f}", flow, e->other, us(at[j]));
          break;
        }
      }
    }
  }
  if (running) slice(f, &first, "running", "run", running, since, end, since_seq, nevents, -1);
  lock_slices(f, &first, at);
  for (int t = 1; t <= R->nthreads; t++) {
    const Event *b = blocked_ev[t];
    if (b) {
      char name[160];
      if (b->kind) snprintf(name, sizeof name, "waits for %s \"%s\"", b->kind, b->name);
      else snprintf(name, sizeof name, "sleeps");
      slice(f, &first, name, b->kind ? "blocked" : "sleep", t, blocked_at[t], end,
            (int)(b - events), nevents, -1);
    }
  }
  free(blocked_at);
  free(at);
  free(blocked_ev);
  fputs("\n]}\n", f);
}

/* }====================================================== */

/* Write the timeline file, if one was asked for; -1 if it could not be. */
int trace_close(void) {
  const char *path = R->opt.timeline;
  if (path == NULL || !trace_enabled) return 0;
  trace_enabled = 0;
  FILE *f = report_file_open(path);
  if (f == NULL) return -1;
  size_t len = strlen(path);
  if (len > 5 && strcmp(path + len - 5, ".html") == 0) {
    const char *page = (const char *)timeline_html;
    size_t size = sizeof timeline_html - 1;
    const char *mark = "/*TSBOX_TRACE*/null";
    const char *at = strstr(page, mark);
    if (at == NULL) {
      fwrite(page, 1, size, f);
    } else {
      fwrite(page, 1, (size_t)(at - page), f);
      write_trace(f);
      const char *rest = at + strlen(mark);
      fwrite(rest, 1, size - (size_t)(rest - page), f);
    }
  } else {
    write_trace(f);
  }
  return report_file_close(f, path);
}
