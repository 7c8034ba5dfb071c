/*
** explain.c: --explain. Watches one run's shared accesses (race.c's
** stream) and primitive events (trace.c's) into a bounded log, and at the
** end of a failing run draws the part that matters as a teacher would on a
** whiteboard: one column per thread involved, the reads and writes of the
** locations the failure depends on with their values, the primitive
** operations and the preemptions between them; the rest is folded.
** It only observes: nothing here changes the schedule.
*/
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "map.h"
#include "outcome.h"
#include "race.h"
#include "report.h"
#include "trace.h"

/* The log keeps the latest events of the run, at most this many. */
#if !defined(EXPLAIN_MAX_EVENTS)
#define EXPLAIN_MAX_EVENTS (1 << 18)
#endif

/* Locations and threads a drawing shows at most; past LIST_COLS threads
   the drawing is a list, one line per operation, not columns. */
#define MAX_LOCS 3
#define MAX_COLS 8
#define LIST_COLS 3

enum { X_READ, X_WRITE, X_PRIM, X_PREEMPT, X_FAIL };

typedef struct XEvent {
  uint64_t loc;              /* X_READ, X_WRITE: the location's identity */
  const char *src;           /* source position, NULL when unknown */
  const char *what;          /* X_PRIM: `Lock "a"` (interned); NULL for a sleep */
  const void *w;             /* X_PRIM: the object, as an identity */
  int line;
  int thread;                /* serial */
  uint8_t type, ev;          /* X_*; X_PRIM, X_FAIL: the TraceType */
  uint8_t key;               /* never folded away (set when drawing) */
  uint8_t yielded;           /* X_PREEMPT: it gave way at ts.yield() */
  RaceVal v;                 /* X_READ, X_WRITE: the value */
} XEvent;

static XEvent *events;
static size_t nevents, cap_events, first;   /* a ring once full: `first` is the oldest */
static size_t lost;                          /* events the ring dropped */
static Map names;                            /* location identity -> its name */
static Map strings;                          /* interned strings (map_intern) */
static uint64_t race_loc;                    /* the first race's location, 0 if none */
static int race_seen;
static size_t race_at;                       /* its place in the log */



static XEvent *append(int type, Thread *t) {
  if (t == NULL) return NULL;
  XEvent *e;
  if (nevents < EXPLAIN_MAX_EVENTS) {
    if (nevents == cap_events) {
      cap_events = cap_events ? cap_events * 2 : 4096;
      events = outcome_realloc(events, cap_events * sizeof *events);
    }
    e = &events[nevents++];
  } else {
    e = &events[first];
    first = (first + 1) % nevents;
    lost++;
    if (race_seen && race_at > 0) race_at--;
  }
  memset(e, 0, sizeof *e);
  e->type = (uint8_t)type;
  e->thread = t->serial;
  return e;
}

static void on_access(const RaceLoc *loc, uint64_t id, int is_write, uint32_t site,
                      const RaceVal *v) {
  const char *src;
  int line;
  race_site_where(site, &src, &line);
  if (src == NULL) return;   /* tsbox's own toolbox */
  /* A table has no name until the script reaches it through one: until
     then ("t.x") it is named again at each access. */
  const char *name = map_get(&names, id);
  if (name == NULL || (loc->kind != LOC_GLOBAL && loc->kind != LOC_UPVALUE &&
                       name[0] == 't' && (name[1] == '.' || name[1] == '['))) {
    char brief[160];
    race_describe(loc, brief, sizeof brief);
    if (name == NULL || strcmp(name, brief) != 0) map_put(&names, id, (void *)map_intern(&strings, brief));
  }
  XEvent *e = append(is_write ? X_WRITE : X_READ, run_self);
  if (e == NULL) return;
  e->loc = id;
  e->src = src;
  e->line = line;
  e->v = *v;
}

static void on_race(uint64_t id) {
  if (race_seen) return;
  race_seen = 1;
  race_loc = id;
  race_at = nevents;
}

static void on_event(Thread *t, TraceType type, const Waitable *w, Thread *other, int flag,
                     const char *src, int line) {
  (void)other;
  int x;
  switch (type) {
    case EV_PREEMPT: x = X_PREEMPT; break;   /* flag: a yield */
    case EV_ERROR: case EV_CHECK: case EV_DEADLOCK: case EV_LIMIT: x = X_FAIL; break;
    case EV_ACQUIRE: case EV_RELEASE: case EV_BLOCK: case EV_TIMEOUT: case EV_SET: case EV_CLEAR:
    case EV_NOTIFY: case EV_PASS: case EV_BREAK: x = X_PRIM; break;
    default: return;
  }
  XEvent *e = append(x, t);
  if (e == NULL) return;
  e->ev = (uint8_t)type;
  e->yielded = type == EV_PREEMPT && flag;
  e->src = src;
  e->line = line;
  e->w = w;
  if (w != NULL) {
    char what[128];
    snprintf(what, sizeof what, "%s \"%s\"", w->kind, w->name);
    e->what = map_intern(&strings, what);
  }
}

void explain_init(void) {
  race_observer.access = on_access;
  race_observer.race = on_race;
  trace_observer = on_event;
}

/*
** {======================================================
** Choosing what matters
** =======================================================
*/

static XEvent *at(size_t i) { return &events[(first + i) % (nevents ? nevents : 1)]; }

static int is_access(const XEvent *e) { return e->type == X_READ || e->type == X_WRITE; }

typedef struct Pick {
  uint64_t locs[MAX_LOCS];
  int nlocs;
  int cols[MAX_COLS];        /* thread serials, ascending */
  int ncols;
  size_t end;                /* events past this one are not drawn */
  int fail_thread;
  int race;                  /* the failure is a data race */
  const char *cycle;         /* a lock-order inversion: its message naming the locks */
} Pick;

static int has_loc(const Pick *p, uint64_t loc) {
  for (int i = 0; i < p->nlocs; i++)
    if (p->locs[i] == loc) return 1;
  return 0;
}

static int col_of(const Pick *p, int serial) {
  for (int i = 0; i < p->ncols; i++)
    if (p->cols[i] == serial) return i;
  return -1;
}

static void add_col(Pick *p, int serial) {
  if (serial <= 0 || col_of(p, serial) >= 0 || p->ncols == MAX_COLS) return;
  int i = p->ncols++;
  while (i > 0 && p->cols[i - 1] > serial) { p->cols[i] = p->cols[i - 1]; i--; }
  p->cols[i] = serial;
}

/* Is `loc` touched by two threads, one of them writing? */
/* What the log says of one location, gathered in one pass (stats_of). */
typedef struct LocStat {
  int t0, last;              /* first and last thread to touch it */
  int two, written;          /* touched by two threads; written */
  int switches;              /* times it passed from one thread to another */
} LocStat;

static Map stats;            /* location -> LocStat, for events [0, stats_end) */
static size_t stats_end;
static LocStat *stats_pool;

static void stats_of(size_t end) {
  map_free(&stats);
  memset(&stats, 0, sizeof stats);
  free(stats_pool);
  stats_pool = outcome_calloc(1, (end + 1) * sizeof *stats_pool);
  size_t used = 0;
  for (size_t i = 0; i < end; i++) {
    const XEvent *e = at(i);
    if (!is_access(e)) continue;
    LocStat *st = map_get(&stats, e->loc);
    if (st == NULL) {
      st = &stats_pool[used++];
      st->t0 = e->thread;
      map_put(&stats, e->loc, st);
    }
    st->two |= e->thread != st->t0;
    st->written |= e->type == X_WRITE;
    if (st->last && e->thread != st->last) st->switches++;
    st->last = e->thread;
  }
  stats_end = end;
}

/* Is `loc` touched by two threads, one of them writing? */
static int contended(uint64_t loc, size_t end, int *switches) {
  if (stats_end != end || stats_pool == NULL) stats_of(end);
  const LocStat *st = map_get(&stats, loc);
  *switches = st ? st->switches : 0;
  return st && st->two && st->written;
}

/* The locations most often handed from thread to thread. */
static void busiest_locs(Pick *p) {
  uint64_t best[MAX_LOCS] = { 0 };
  int score[MAX_LOCS] = { 0 };
  Map seen = { 0 };
  for (size_t i = 0; i < p->end; i++) {
    const XEvent *e = at(i);
    if (!is_access(e) || map_get(&seen, e->loc)) continue;
    map_put(&seen, e->loc, (void *)1);
    int sw;
    if (!contended(e->loc, p->end, &sw)) continue;
    for (int k = 0; k < MAX_LOCS; k++) {
      if (sw <= score[k]) continue;
      for (int m = MAX_LOCS - 1; m > k; m--) { best[m] = best[m - 1]; score[m] = score[m - 1]; }
      best[k] = e->loc;
      score[k] = sw;
      break;
    }
  }
  map_free(&seen);
  for (int k = 0; k < 2 && score[k] > 0; k++) p->locs[p->nlocs++] = best[k];
}

/*
** A deadlock's story: for each thread of the cycle, the acquisitions of
** the locks it still holds and the wait it never came back from.
*/
#define MAX_HELD 32
static void mark_holdings(const Pick *p) {
  for (int c = 0; c < p->ncols; c++) {
    size_t held[MAX_HELD], last_wait = nevents;
    int nheld = 0;
    for (size_t i = 0; i < nevents; i++) {
      XEvent *e = at(i);
      if (e->thread != p->cols[c] || e->type != X_PRIM || e->w == NULL) continue;
      if (e->ev == EV_BLOCK) last_wait = i;
      if (e->ev == EV_ACQUIRE && nheld < MAX_HELD) held[nheld++] = i;
      if (e->ev == EV_RELEASE)
        for (int k = nheld - 1; k >= 0; k--)
          if (at(held[k])->w == e->w) {
            held[k] = held[--nheld];
            break;
          }
    }
    for (int k = 0; k < nheld; k++) at(held[k])->key = 1;
    if (last_wait < nevents) at(last_wait)->key = 1;
  }
}

static void choose(Pick *p, const Failure *f) {
  memset(p, 0, sizeof *p);
  p->end = nevents;
  /* The failure's own event: what it read on its line is what it judged. */
  size_t fi = nevents;
  for (size_t i = 0; i < nevents; i++)
    if (at(i)->type == X_FAIL) { fi = i; break; }
  if (strcmp(f->kind, "race") == 0 && race_seen) {
    p->race = 1;
    p->locs[p->nlocs++] = race_loc;
    p->end = race_at;
  } else if (fi < nevents) {
    const XEvent *fe = at(fi);
    p->end = fi + 1;
    p->fail_thread = fe->thread;
    int looked = 0;
    for (size_t i = fi; i-- > 0 && looked < 256 && p->nlocs < MAX_LOCS;) {
      const XEvent *e = at(i);
      if (e->thread != fe->thread || !is_access(e)) continue;
      looked++;
      int sw;
      if (fe->src && e->src && e->line == fe->line && strcmp(e->src, fe->src) == 0 &&
          !has_loc(p, e->loc) && contended(e->loc, p->end, &sw))
        p->locs[p->nlocs++] = e->loc;
    }
  }
  int deadlock = strcmp(f->kind, "deadlock") == 0;
  if (deadlock) {
    /* The threads of the cycle wait for an owned lock; if none does (a
       Condition or Event nobody will set), every blocked thread. */
    p->nlocs = 0;
    for (int pass = 0; pass < 2 && p->ncols == 0; pass++)
      for (int i = 0; i < R->nthreads; i++) {
        const Thread *t = R->threads[i];
        const Waitable *w = t->blocked_on;
        if (t->state == TS_BLOCKED &&
            (pass || (w && w->owner && strcmp(w->kind, "Thread") != 0)))
          add_col(p, t->serial);
      }
    /* and whoever holds what they wait for, and so on round the cycle */
    for (int c = 0; c < p->ncols && p->ncols < MAX_COLS; c++) {
      const Waitable *w = R->threads[p->cols[c] - 1]->blocked_on;
      if (w && w->owner && w->owner->state == TS_BLOCKED) add_col(p, w->owner->serial);
    }
    mark_holdings(p);
    return;
  }
  if (strcmp(f->kind, "lock-order") == 0 && f->message) {
    /* The threads that took the locks of the cycle, and those operations. */
    p->cycle = f->message;
    for (size_t i = 0; i < p->end; i++) {
      const XEvent *e = at(i);
      if (e->type == X_PRIM && e->ev == EV_ACQUIRE && e->what && strstr(p->cycle, e->what))
        add_col(p, e->thread);
    }
    return;
  }
  if (p->nlocs == 0) busiest_locs(p);
  if (p->nlocs == 0 && fi < nevents) {
    /* Nothing two threads share (a runaway loop hit a limit): what the
       failing thread touched on its last line. */
    const XEvent *fe = at(fi);
    for (size_t i = fi, looked = 0; i-- > 0 && looked < 64 && p->nlocs < MAX_LOCS;) {
      const XEvent *e = at(i);
      if (e->thread != fe->thread || !is_access(e)) continue;
      looked++;
      if (fe->src && e->src && e->line == fe->line && strcmp(e->src, fe->src) == 0 &&
          !has_loc(p, e->loc))
        p->locs[p->nlocs++] = e->loc;
    }
  }
  add_col(p, p->fail_thread);
  for (size_t i = 0; i < p->end; i++) {
    const XEvent *e = at(i);
    if (is_access(e) && has_loc(p, e->loc)) add_col(p, e->thread);
  }
}

/* Should event `e` be drawn at all (before folding)? */
static int shown(const Pick *p, const XEvent *e, int deadlock) {
  if (col_of(p, e->thread) < 0) return 0;
  if (deadlock) return e->key;
  if (p->cycle) return e->type == X_PRIM && e->what && strstr(p->cycle, e->what);
  switch (e->type) {
    case X_READ: case X_WRITE: return has_loc(p, e->loc);
    case X_PREEMPT: return 1;
    case X_FAIL: return 0;
    default:
      /* Sleeping is not synchronising, and joining a thread orders, it
         does not race. */
      return e->what != NULL && strncmp(e->what, "Thread ", 7) != 0;
  }
}

/* }====================================================== */

/*
** {======================================================
** Drawing
** =======================================================
*/

typedef struct Row {
  int col;
  char text[200];
} Row;

static const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

static void cell(const XEvent *e, char *buf, size_t n) {
  char pos[96] = "";
  if (e->src) snprintf(pos, sizeof pos, "%s:%d  ", report_safe(base_name(e->src)), e->line);
  if (is_access(e)) {
    char val[64];
    race_value(&e->v, val, sizeof val);
    const char *name = map_get(&names, e->loc);
    snprintf(buf, n, "%s%s %s %s %s", pos, e->type == X_WRITE ? "write" : "read ",
             report_safe(name ? name : "?"), e->type == X_WRITE ? "<-" : "->", report_safe(val));
    return;
  }
  const char *verb;
  switch (e->ev) {
    case EV_ACQUIRE: verb = "acquire"; break;
    case EV_RELEASE: verb = "release"; break;
    case EV_BLOCK: verb = e->what ? "waits for" : "sleeps"; break;
    case EV_TIMEOUT: verb = "times out on"; break;
    case EV_SET: verb = "set"; break;
    case EV_CLEAR: verb = "clear"; break;
    case EV_NOTIFY: verb = "notify"; break;
    case EV_PASS: verb = "passes"; break;
    default: verb = "breaks"; break;
  }
  snprintf(buf, n, "%s%s%s%s", pos, verb, e->what ? " " : "", e->what ? report_safe(e->what) : "");
}

static Row *rows;
static int nrows, cap_rows;

static Row *row_add(int col) {
  if (nrows == cap_rows) {
    cap_rows = cap_rows ? cap_rows * 2 : 64;
    rows = outcome_realloc(rows, (size_t)cap_rows * sizeof *rows);
  }
  Row *r = &rows[nrows++];
  r->col = col;
  r->text[0] = '\0';
  return r;
}

/*
** Lay out one segment: events of one thread with no other thread's drawn
** event between them. Its first and last events stay, and so does each
** preemption with the operation just before it (the stale read of a lost
** update); runs of anything else fold into one line.
*/
static void lay_segment(const Pick *p, const XEvent **seg, int n) {
  int col = col_of(p, seg[0]->thread);
  int folded = 0;
  for (int i = 0; i < n; i++) {
    int keep = i == 0 || i == n - 1 || seg[i]->type == X_PREEMPT || seg[i]->key ||
               (i + 1 < n && seg[i + 1]->type == X_PREEMPT);
    if (!keep) { folded++; continue; }
    if (folded == 1) {
      cell(seg[i - 1], row_add(col)->text, sizeof rows->text);
    } else if (folded > 1) {
      snprintf(row_add(col)->text, sizeof rows->text, "  ... %d more", folded);
    }
    folded = 0;
    if (seg[i]->type == X_PREEMPT)
      snprintf(row_add(col)->text, sizeof rows->text, "    -- %s --",
               seg[i]->yielded ? "yields" : "preempted");
    else
      cell(seg[i], row_add(col)->text, sizeof rows->text);
  }
}

/* Lay out shown events [lo, hi) segment by segment. */
static void lay_range(const Pick *p, XEvent *const *ev, int lo, int hi) {
  const XEvent **seg = outcome_calloc(1, (size_t)(hi - lo + 1) * sizeof *seg);
  int n = 0;
  for (int i = lo; i < hi; i++) {
    const XEvent *e = ev[i];
    if (n > 0 && seg[0]->thread != e->thread) {
      lay_segment(p, seg, n);
      n = 0;
    }
    /* A preemption that no other drawn event follows tells nothing. */
    if (e->type == X_PREEMPT && (n == 0 || seg[n - 1]->type == X_PREEMPT)) continue;
    seg[n++] = e;
  }
  while (n > 0 && seg[n - 1]->type == X_PREEMPT) n--;
  if (n > 0) lay_segment(p, seg, n);
  free(seg);
}

static void fold_line(int n, const char *when) {
  snprintf(row_add(-1)->text, sizeof rows->text, "... %d %s operation%s folded ...", n, when,
           n == 1 ? "" : "s");
}

/*
** The moment the failure turns on: the first time a thread touches a
** location again after another thread wrote it in between, so that what
** it read before is stale (a lost update's write, a check-then-act's act).
** Else the race the run reported: its two accesses. Returns 0 when neither
** is found.
*/
static int race_moment(XEvent *const *ev, int n, int *lo, int *hi) {
  if (!race_seen || n == 0 || !is_access(ev[n - 1]) || ev[n - 1]->loc != race_loc) return 0;
  for (int i = n - 2; i >= 0; i--)
    if (is_access(ev[i]) && ev[i]->loc == race_loc && ev[i]->thread != ev[n - 1]->thread) {
      *lo = i;
      *hi = n - 1;
      return 1;
    }
  return 0;
}

static int key_moment(const Pick *p, XEvent *const *ev, int n, int *lo, int *hi) {
  if (p->race && race_moment(ev, n, lo, hi)) return 1;
  int last[MAX_COLS][MAX_LOCS], wrote_at[MAX_LOCS];
  for (int l = 0; l < MAX_LOCS; l++) {
    wrote_at[l] = -1;
    for (int c = 0; c < MAX_COLS; c++) last[c][l] = -1;
  }
  for (int i = 0; i < n; i++) {
    const XEvent *e = ev[i];
    if (!is_access(e)) continue;
    int l = 0, c = col_of(p, e->thread);
    while (l < p->nlocs && p->locs[l] != e->loc) l++;
    if (l == p->nlocs || c < 0) continue;
    /* the last write is another thread's when it came after this one's last access */
    if (last[c][l] >= 0 && wrote_at[l] > last[c][l]) {
      *lo = last[c][l];
      *hi = i;
      return 1;
    }
    last[c][l] = i;
    if (e->type == X_WRITE) wrote_at[l] = i;
  }
  return race_moment(ev, n, lo, hi);
}

/* Events around the key moment that are drawn rather than folded. */
#define CONTEXT_EVENTS 6
#define MAX_DRAWN 40

static void lay_out(const Pick *p, int deadlock) {
  XEvent **ev = outcome_calloc(1, p->end * sizeof *ev + 1);
  int n = 0;
  for (size_t i = 0; i < p->end; i++)
    if (shown(p, at(i), deadlock)) ev[n++] = at(i);
  for (int i = 0; p->cycle && i < n; i++) ev[i]->key = 1;   /* every acquisition counts */
  int lo = 0, hi = n - 1;
  if (!deadlock && key_moment(p, ev, n, &lo, &hi)) {
    ev[lo]->key = ev[hi]->key = 1;
    /* what the thread does right after (the act of a check-then-act) */
    for (int k = 0; k < 2 && hi + 1 < n && ev[hi + 1]->thread == ev[hi]->thread; k++) hi++;
    /* Back to the start of the segment the moment begins in, and a little
       before; after it, what the failing thread did last. */
    while (lo > 0 && ev[lo - 1]->thread == ev[lo]->thread && ev[lo - 1]->type != X_PREEMPT) lo--;
    int from = lo > CONTEXT_EVENTS ? lo : 0;
    if (from > 0) fold_line(from, "earlier");
    lay_range(p, ev, from, hi + 1);
    /* After it: what the failing thread did last (its final few events). */
    int tail = n;
    while (tail > hi + 1 && n - tail < 3 && ev[tail - 1]->thread == p->fail_thread) tail--;
    if (tail - (hi + 1) <= 2) tail = hi + 1;
    if (tail > hi + 1) fold_line(tail - (hi + 1), "later");
    lay_range(p, ev, tail > hi + 1 ? tail : hi + 1, n);
  } else {
    int from = n > MAX_DRAWN ? n - MAX_DRAWN : 0;
    if (from > 0) fold_line(from, "earlier");
    lay_range(p, ev, from, n);
  }
  free(ev);
}

static void failure_line(const Failure *f, char *buf, size_t n) {
  const char *msg = f->message ? f->message : "";
  if (strcmp(f->kind, "check") == 0)
    snprintf(buf, n, "check failed at %s: %s", base_name(f->where ? f->where : "?"), report_safe(msg));
  else if (strcmp(f->kind, "error") == 0)
    snprintf(buf, n, "error in \"%s\": %s", report_safe(f->thread), report_safe(msg));
  else if (strcmp(f->kind, "race") == 0)
    snprintf(buf, n, "data race on %s", report_safe(msg));
  else if (strncmp(msg, f->kind, strlen(f->kind)) == 0)
    snprintf(buf, n, "%s", report_safe(msg));
  else
    snprintf(buf, n, "%s: %s", f->kind, report_safe(msg));
}

void explain_print(FILE *out) {
  if (R->nfailures == 0) {
    fputs("tsbox: --explain: the run did not fail; nothing to explain\n", out);
    return;
  }
  const Failure *f = &R->failures[0];
  int deadlock = strcmp(f->kind, "deadlock") == 0;
  Pick p;
  choose(&p, f);
  nrows = 0;
  lay_out(&p, deadlock);
  char what[400];
  size_t len = (size_t)snprintf(what, sizeof what, "how it went wrong: ");
  for (int i = 0; i < p.nlocs; i++) {
    const char *name = map_get(&names, p.locs[i]);
    len += (size_t)snprintf(what + len, sizeof what - len, "%s%s", i ? ", " : "",
                            report_safe(name ? name : "?"));
  }
  if (p.nlocs == 0)
    snprintf(what + len, sizeof what - len, "%s",
             deadlock ? "the locks of the blocked threads"
             : p.cycle ? "the locks of the cycle, as each thread took them"
                       : "no shared variable was involved");
  report_header(out, what);
  if (lost > 0) fprintf(out, "  (the first %zu operations of the run were not kept)\n", lost);
  if (p.ncols > LIST_COLS) {
    /* Too many threads for columns side by side: one line per operation. */
    int width = 0;
    for (int c = 0; c < p.ncols; c++) {
      int w = (int)strlen(report_safe(R->threads[p.cols[c] - 1]->name));
      if (w > width) width = w;
    }
    for (int i = 0; i < nrows; i++) {
      const char *name = rows[i].col >= 0 ? report_safe(R->threads[p.cols[rows[i].col] - 1]->name) : "";
      fprintf(out, "  %-*s  %s\n", width, name, rows[i].col >= 0 ? rows[i].text + strspn(rows[i].text, " ")
                                                              : rows[i].text);
    }
  } else {
    int width = 24;
    for (int i = 0; i < nrows; i++)
      if (rows[i].col >= 0 && (int)strlen(rows[i].text) + 4 > width) width = (int)strlen(rows[i].text) + 4;
    for (int c = 0; c + 1 < p.ncols; c++) {
      int w = (int)strlen(report_safe(R->threads[p.cols[c] - 1]->name)) + 2;
      if (w > width) width = w;
    }
    for (int c = 0; c < p.ncols; c++) {
      const char *name = report_safe(R->threads[p.cols[c] - 1]->name);
      fprintf(out, "%s%-*s", c ? "" : "  ", c + 1 < p.ncols ? width : 0, name);
    }
    fputc('\n', out);
    for (int i = 0; i < nrows; i++)
      fprintf(out, "  %*s%s\n", rows[i].col > 0 ? rows[i].col * width : 0, "", rows[i].text);
  }
  char line[600];
  failure_line(f, line, sizeof line);
  fprintf(out, "  %s\n", line);
}

/* }====================================================== */
