/*
** race.c: --race. Vector clocks for threads and sync objects, FastTrack
** shadow state for every shared location access.c reports (Flanagan and
** Freund, PLDI 2009: a location keeps the epoch of its last write and of
** its last read, and a vector of reads only while several threads read it
** unordered), the "held A while acquiring B" graph (lockdep), and the two
** reports. All of it runs under the GIL and keeps its memory outside the
** Lua universe, so a run with --race allocates exactly what it would
** without: the schedule and the script's output stay the same.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "map.h"
#include "outcome.h"
#include "race.h"
#include "sched.h"
#include "report.h"
#include "trace.h"

int race_enabled;
int race_reporting;
RaceObserver race_observer;
static void (*footprint)(uint64_t loc, int kind);

void race_set_footprint(void (*touch)(uint64_t loc, int kind)) { footprint = touch; }



/*
** {======================================================
** Vector clocks, threads and sync objects
** =======================================================
*/

typedef struct VC {
  uint32_t *c;
  int n;                     /* entries, indexed by thread serial */
} VC;

static uint32_t vc_get(const VC *v, int tid) { return tid < v->n ? v->c[tid] : 0; }

/* Array `p` of `*n` elements of `size` bytes, grown to hold index `i`; new ones zeroed. */
static void *grow_to(void *p, int *n, int i, size_t size, int slack) {
  if (i < *n) return p;
  int m = i + slack;
  p = outcome_realloc(p, (size_t)m * size);
  memset((char *)p + (size_t)*n * size, 0, (size_t)(m - *n) * size);
  *n = m;
  return p;
}

static void vc_set(VC *v, int tid, uint32_t x) {
  v->c = grow_to(v->c, &v->n, tid, sizeof *v->c, 8);
  v->c[tid] = x;
}

static void vc_join(VC *into, const VC *from) {
  for (int i = 0; i < from->n; i++)
    if (from->c[i] > vc_get(into, i)) vc_set(into, i, from->c[i]);
}

/* Epochs: clock c of thread t as one word. */
typedef uint64_t Epoch;
#define EPOCH(t, c) (((uint64_t)(uint32_t)(t) << 32) | (uint32_t)(c))
#define E_TID(e) ((int)((e) >> 32))
#define E_CLK(e) ((uint32_t)(e))
#define READ_SHARED UINT64_MAX

static int epoch_leq(Epoch e, const VC *v) { return e == 0 || E_CLK(e) <= vc_get(v, E_TID(e)); }

typedef struct Sync Sync;

#define MAX_HELD 32

typedef struct RThread {
  VC vc;
  Sync *held[MAX_HELD];      /* locks held now, oldest first */
  int nheld;
  uint32_t lockset;          /* interned description of `held` */
} RThread;

typedef struct Edge {
  Sync *to;
  char *thread, *where;      /* who first took `to` while holding the source */
  int others;                /* taken so by another thread too */
  struct Edge *next;
} Edge;

struct Sync {
  VC vc;
  int internal;              /* the toolbox's own: no implicit edges */
  char kind[20], name[64];
  Edge *out;                 /* lockdep: locks taken while holding this one */
  int mark;                  /* cycle search */
  int serial;                /* creation order: a cycle is printed from its oldest lock */
};

static RThread **threads;
static int cap_threads;
static Map syncs;            /* Waitable address -> Sync */

static RThread *rthread(Thread *t) {
  int id = t->serial;
  if (id >= cap_threads) {
    int n = id * 2 + 8;
    threads = outcome_realloc(threads, (size_t)n * sizeof *threads);
    memset(threads + cap_threads, 0, (size_t)(n - cap_threads) * sizeof *threads);
    cap_threads = n;
  }
  if (threads[id] == NULL) {
    threads[id] = outcome_calloc(1, sizeof **threads);
    vc_set(&threads[id]->vc, id, 1);
  }
  return threads[id];
}

static const char *thread_name(int tid) {
  return tid >= 1 && tid <= R->nthreads ? R->threads[tid - 1]->name : "?";
}

/* Is the innermost Lua function running in `L` part of the toolbox? */
static int in_toolbox(lua_State *L) {
  lua_Debug ar;
  for (int level = 0; lua_getstack(L, level, &ar); level++) {
    if (!lua_getinfo(L, "S", &ar)) break;
    if (strcmp(ar.what, "C") != 0) return strcmp(ar.source, "=[tsbox toolbox]") == 0;
  }
  return 0;
}

static Sync *sync_of(const Waitable *w) {
  Sync *s = map_get(&syncs, (uint64_t)(uintptr_t)w);
  if (s == NULL) {
    static int serial;
    s = outcome_calloc(1, sizeof *s);
    s->serial = ++serial;
    map_put(&syncs, (uint64_t)(uintptr_t)w, s);
  }
  if (s->name[0] == '\0') {   /* named after prim_init registered it */
    snprintf(s->kind, sizeof s->kind, "%s", w->kind ? w->kind : "?");
    snprintf(s->name, sizeof s->name, "%s", w->name);
  }
  return s;
}

/*
** A new primitive at `w`: a fresh record (its address may be that of a
** collected one, whose clock and lock-order edges must not carry over; the
** old record stays alive for the edges that point to it).
*/
static Sync **retired;        /* records replaced by race_sync_new, kept for their edges */
static size_t nretired, cap_retired;

void race_sync_new(lua_State *L, const Waitable *w) {
  if (!race_enabled) return;
  Sync *old = map_del(&syncs, (uint64_t)(uintptr_t)w);
  if (old != NULL) {
    if (nretired == cap_retired) {
      cap_retired = cap_retired ? cap_retired * 2 : 16;
      retired = outcome_realloc(retired, cap_retired * sizeof *retired);
    }
    retired[nretired++] = old;
  }
  Sync *s = sync_of(w);
  s->internal = in_toolbox(L);
}

/* }====================================================== */

/*
** {======================================================
** Lock sets, for reports
** =======================================================
*/

static char **locksets;      /* [0] is "" */
static uint32_t nlocksets, cap_locksets;

static uint32_t lockset_of(const RThread *rt) {
  char buf[512];
  size_t len = 0;
  buf[0] = '\0';
  for (int i = 0; i < rt->nheld && len + 80 < sizeof buf; i++)
    len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s \"%s\"", i ? ", " : "",
                            rt->held[i]->kind, rt->held[i]->name);
  for (uint32_t i = 0; i < nlocksets; i++)
    if (strcmp(locksets[i], buf) == 0) return i;
  if (nlocksets == cap_locksets) {
    cap_locksets = cap_locksets ? cap_locksets * 2 : 16;
    locksets = outcome_realloc(locksets, cap_locksets * sizeof *locksets);
  }
  locksets[nlocksets] = outcome_strdup(buf);
  return nlocksets++;
}

/* }====================================================== */

/*
** {======================================================
** Lock order (lockdep)
** =======================================================
*/

static Map reported_cycles;  /* hash of a cycle's locks -> (void *)1 */
static int mark_epoch;

/* Depth-first search from `s` for `target`; fills path (edges) when found. */
static int reach(Sync *s, Sync *target, Edge **path, int depth, int max) {
  if (s == target) return depth;
  if (s->mark == mark_epoch || depth >= max) return 0;
  s->mark = mark_epoch;
  for (Edge *e = s->out; e; e = e->next) {
    path[depth] = e;
    int d = reach(e->to, target, path, depth + 1, max);
    if (d) return d;
  }
  return 0;
}

static void report_cycle(Sync *from, Edge *first, Edge **path, int n) {
  /* The cycle: from -first-> first->to -path[0]-> ... -> from. */
  Edge *edges[65];
  Sync *nodes[65];
  edges[0] = first;
  nodes[0] = from;
  for (int i = 0; i < n; i++) {
    edges[i + 1] = path[i];
    nodes[i + 1] = i == 0 ? first->to : path[i - 1]->to;
  }
  int len = n + 1, single = 1, first_i = 0;
  for (int i = 1; i < len; i++)
    if (nodes[i]->serial < nodes[first_i]->serial) first_i = i;
  Edge *re[65] = { 0 };
  Sync *rn[65] = { 0 };
  for (int i = 0; i < len; i++) {
    re[i] = edges[(first_i + i) % len];
    rn[i] = nodes[(first_i + i) % len];
  }
  memcpy(edges, re, (size_t)len * sizeof *edges);
  memcpy(nodes, rn, (size_t)len * sizeof *nodes);
  for (int i = 0; i < len; i++)
    if (edges[i]->others || strcmp(edges[i]->thread, edges[0]->thread) != 0) single = 0;
  if (single) return;   /* one thread alone cannot deadlock with itself this way */
  uint64_t h = 1469598103934665603ull;
  for (int i = 0; i < len; i++) h += (uint64_t)(uintptr_t)nodes[i] * 0x9e3779b97f4a7c15ull;
  if (h == 0) h = 1;
  if (!race_reporting || map_get(&reported_cycles, h)) return;
  map_put(&reported_cycles, h, (void *)1);
  char what[512];
  size_t w = (size_t)snprintf(what, sizeof what, "lock-order inversion:");
  for (int i = 0; i <= len && w + 80 < sizeof what; i++) {
    Sync *s = nodes[i % len];
    w += (size_t)snprintf(what + w, sizeof what - w, "%s %s \"%s\"", i ? " ->" : "", s->kind, s->name);
  }
  fflush(stdout);
  report_header(stderr, what);
  int width = 0;
  for (int i = 0; i < len; i++) {
    int l = (int)strlen(edges[i]->thread);
    if (l > width) width = l;
  }
  for (int i = 0; i < len; i++) {
    Sync *a = nodes[i], *b = edges[i]->to;
    fprintf(stderr, "  \"%s\"%*s took %s \"%s\" while holding %s \"%s\"   at %s\n", edges[i]->thread,
            width - (int)strlen(edges[i]->thread), "", b->kind, b->name, a->kind, a->name,
            edges[i]->where);
  }
  fputs("  a cycle: threads that take these locks at the same moment deadlock, whether or not this run does\n", stderr);
  report_replay_line(stderr);
  fflush(stderr);
  outcome_failure(EXIT_FAIL, "lock-order", run_self, what + strlen("lock-order inversion: "));
}

/* `t` took `s` while holding every lock of `rt->held`. */
static void lockdep_acquired(Thread *t, RThread *rt, Sync *s) {
  char where[256] = "";
  for (int i = 0; i < rt->nheld; i++) {
    Sync *h = rt->held[i];
    if (h == s || h->internal) continue;
    Edge *e = h->out;
    while (e && e->to != s) e = e->next;
    if (e) {
      if (strcmp(e->thread, t->name) != 0) e->others = 1;
      continue;
    }
    if (!where[0]) outcome_position(t, where, sizeof where);
    e = outcome_calloc(1, sizeof *e);
    e->to = s;
    e->thread = outcome_strdup(t->name);
    e->where = outcome_strdup(where);
    e->next = h->out;
    h->out = e;
    /* A new edge h -> s closes a cycle when h is reachable from s. */
    Edge *path[64];
    mark_epoch++;
    int n = reach(s, h, path, 0, 64);
    if (n) report_cycle(h, e, path, n);
  }
}

/* }====================================================== */

/*
** {======================================================
** Happens-before edges
** =======================================================
*/

void race_acquire(Thread *t, const Waitable *w, int flags) {
  Sync *s = sync_of(w);
  if (s->internal) return;
  RThread *rt = rthread(t);
  vc_join(&rt->vc, &s->vc);
  if (!(flags & RACE_LOCK)) return;
  for (int i = 0; i < rt->nheld; i++)
    if (rt->held[i] == s) return;   /* RLock re-entry, or a semaphore taken twice */
  lockdep_acquired(t, rt, s);
  if (rt->nheld < MAX_HELD) rt->held[rt->nheld++] = s;
  rt->lockset = lockset_of(rt);
}

void race_release(Thread *t, const Waitable *w, int flags) {
  Sync *s = sync_of(w);
  if (s->internal) return;
  RThread *rt = rthread(t);
  vc_join(&s->vc, &rt->vc);
  vc_set(&rt->vc, t->serial, vc_get(&rt->vc, t->serial) + 1);
  if (!(flags & RACE_LOCK)) return;
  for (int i = 0; i < rt->nheld; i++) {
    if (rt->held[i] != s) continue;
    memmove(rt->held + i, rt->held + i + 1, (size_t)(rt->nheld - i - 1) * sizeof *rt->held);
    rt->nheld--;
    rt->lockset = lockset_of(rt);
    return;
  }
}

void race_fork(Thread *parent, Thread *child) {
  RThread *p = rthread(parent), *c = rthread(child);
  vc_join(&c->vc, &p->vc);
  vc_set(&p->vc, parent->serial, vc_get(&p->vc, parent->serial) + 1);
}

void race_join(Thread *self, Thread *child) {
  RThread *s = rthread(self), *c = rthread(child);
  vc_join(&s->vc, &c->vc);
}

/* ts._race_acquire(obj) / ts._race_release(obj): obj is a tsbox primitive. */
static int lua_edge(lua_State *L, int release) {
  if (!race_enabled || run_self == NULL) return 0;
  const Waitable *w = lua_touserdata(L, 1);
  if (w == NULL) return luaL_typeerror(L, 1, "tsbox primitive");
  Sync *s = sync_of(w);
  int internal = s->internal;
  s->internal = 0;
  if (release) race_release(run_self, w, 0);
  else race_acquire(run_self, w, 0);
  s->internal = internal;
  return 0;
}

int race_lua_name(lua_State *L) {
  if (race_enabled && lua_type(L, 1) == LUA_TTABLE && lua_type(L, 2) == LUA_TSTRING)
    race_name_table(lua_topointer(L, 1), lua_tostring(L, 2), 4);
  return 0;
}

int race_lua_acquire(lua_State *L) { return lua_edge(L, 0); }
int race_lua_release(lua_State *L) { return lua_edge(L, 1); }

/* }====================================================== */

/*
** {======================================================
** Sites, objects and shadow state
** =======================================================
*/

typedef struct Site {
  const char *src;
  int line;
} Site;

static Site *sites;          /* [0]: unknown */
static uint32_t nsites, cap_sites;
static Map sources;          /* hash of a source name -> interned copy */

/* One access, as a report tells it. */
typedef struct Acc {
  uint32_t site, lockset;
  int tid;
  int seq;                   /* its event in the timeline, -1 if none */
  RaceVal v;
} Acc;

typedef struct ReadSet {
  VC clocks;                 /* per thread: the clock of its last read */
  Acc *acc;                  /* per thread: that read */
  int nacc;
} ReadSet;

typedef struct Shadow {
  Epoch W, R;                /* R == READ_SHARED: see rs */
  Acc wa, ra;
  ReadSet *rs;
} Shadow;

enum { OBJ_TABLE = 1, OBJ_UPVALUE, OBJ_PROTO };

typedef struct Obj {
  int kind;
  char *name;                /* tables: how the script reaches it */
  int rank;
  uint32_t created;          /* tables: site of the constructor */
  Map fields;                /* tables: key -> Shadow */
  Shadow *shadow;            /* upvalues */
  uint32_t *pcsite;          /* protos: site per pc, grown on demand */
  int npc;
} Obj;

static Map objs;             /* object address -> Obj */
static const void *globals;
static Map reported_pairs;   /* unordered pair of sites -> (void *)1 */

static Obj *obj_of(const void *p, int kind) {
  Obj *o = map_get(&objs, (uint64_t)(uintptr_t)p);
  if (o == NULL) {
    o = outcome_calloc(1, sizeof *o);
    o->kind = kind;
    map_put(&objs, (uint64_t)(uintptr_t)p, o);
  }
  return o;
}

static void shadow_free(Shadow *s) {
  if (s == NULL) return;
  if (s->rs) {
    free(s->rs->clocks.c);
    free(s->rs->acc);
    free(s->rs);
  }
  free(s);
}

/* The allocator freed `block`: whatever lived there is gone. */
void race_forget(void *block) {
  Obj *o = map_del(&objs, (uint64_t)(uintptr_t)block);
  if (o == NULL) return;
  for (size_t i = 0; i < o->fields.cap; i++)
    if (o->fields.keys[i]) shadow_free(o->fields.vals[i]);
  map_free(&o->fields);
  shadow_free(o->shadow);
  free(o->pcsite);
  free(o->name);
  free(o);
}

void race_set_globals(const void *table) { globals = table; }

uint32_t race_site_known(const void *proto, int pc) {
  Obj *o = map_get(&objs, (uint64_t)(uintptr_t)proto);
  return o && pc < o->npc ? o->pcsite[pc] : 0;
}

static const char *intern_source(const char *src) {
  uint64_t h = 1469598103934665603ull;
  for (const char *c = src; *c; c++) h = (h ^ (unsigned char)*c) * 1099511628211ull;
  if (h == 0) h = 1;
  for (;; h++) {
    const char *s = map_get(&sources, h);
    if (s == NULL) break;
    if (strcmp(s, src) == 0) return s;
  }
  char *s = outcome_strdup(src);
  map_put(&sources, h, s);
  return s;
}

uint32_t race_site(const void *proto, int pc, const char *src, int line) {
  if (nsites == cap_sites) {
    cap_sites = cap_sites ? cap_sites * 2 : 256;
    sites = outcome_realloc(sites, cap_sites * sizeof *sites);
    if (nsites == 0) sites[nsites++] = (Site){ "?", 0 };
  }
  uint32_t id = src ? nsites++ : RACE_SITE_IGNORED;
  if (src) sites[id] = (Site){ intern_source(src), line };
  Obj *o = obj_of(proto, OBJ_PROTO);
  o->pcsite = grow_to(o->pcsite, &o->npc, pc, sizeof *o->pcsite, 32);
  o->pcsite[pc] = id;
  return src ? id : 0;
}

/*
** Ranks of a table's names: a global, upvalue or field it was read from
** (3) beats a local variable (2), which beats `self` (1): the report should
** say `account`, not `self`. The first name of the best rank stays.
*/
void race_name_table(const void *table, const char *name, int rank) {
  Obj *o = obj_of(table, OBJ_TABLE);
  if (strcmp(name, "self") == 0) rank = 1;
  if (rank <= o->rank || name[0] == '(' || strcmp(name, "_ENV") == 0) return;
  free(o->name);
  o->name = outcome_strdup(name);
  o->rank = rank;
}

void race_table_created(const void *table, uint32_t site) {
  Obj *o = obj_of(table, OBJ_TABLE);
  o->created = site;
}

/* }====================================================== */

/*
** {======================================================
** Data-race reports
** =======================================================
*/

static void val_text(const RaceVal *v, char *buf, size_t n) {
  switch (v->type) {
    case LUA_TNIL: snprintf(buf, n, "nil"); break;
    case LUA_TBOOLEAN: snprintf(buf, n, "%s", v->u.b ? "true" : "false"); break;
    case LUA_TNUMBER:
      if (v->isint) snprintf(buf, n, "%lld", (long long)v->u.i);
      else snprintf(buf, n, "%.14g", (double)v->u.n);
      break;
    case LUA_TSTRING: snprintf(buf, n, "\"%s\"", v->s); break;
    default: snprintf(buf, n, "%s", lua_typename(NULL, v->type)); break;
  }
}

/* How the script names the location: `upvalue "balance"` and `balance`. */
static void loc_text(const RaceLoc *loc, char *full, size_t nf, char *brief, size_t nb) {
  if (loc->kind == LOC_GLOBAL) {
    snprintf(full, nf, "global \"%s\"", loc->name);
    snprintf(brief, nb, "%s", loc->name);
    return;
  }
  if (loc->kind == LOC_UPVALUE) {
    snprintf(full, nf, "upvalue \"%s\"", loc->name);
    snprintf(brief, nb, "%s", loc->name);
    return;
  }
  const Obj *o = map_get(&objs, (uint64_t)(uintptr_t)loc->obj);
  const char *tname = o && o->name ? o->name : NULL;
  char table[256];
  const Site *c = o && o->created ? &sites[o->created] : NULL;
  if (tname && c)
    snprintf(table, sizeof table, "%s (table created at %s:%d)", tname, c->src, c->line);
  else if (tname)
    snprintf(table, sizeof table, "%s", tname);
  else if (c)
    snprintf(table, sizeof table, "a table created at %s:%d", c->src, c->line);
  else
    snprintf(table, sizeof table, "a table");
  const char *t = tname ? tname : "t";
  switch (loc->kind) {
    case LOC_FIELD:
      snprintf(full, nf, "field \"%s\" of %s", loc->name, table);
      snprintf(brief, nb, "%s.%s", t, loc->name);
      break;
    case LOC_INDEX:
      snprintf(full, nf, "index %lld of %s", (long long)loc->index, table);
      snprintf(brief, nb, "%s[%lld]", t, (long long)loc->index);
      break;
    case LOC_LENGTH:
      snprintf(full, nf, "length of %s", table);
      snprintf(brief, nb, "#%s", t);
      break;
    case LOC_KEYS:
      snprintf(full, nf, "the set of keys of %s", table);
      snprintf(brief, nb, "keys(%s)", t);
      break;
    default:
      snprintf(full, nf, "a key of %s", table);
      snprintf(brief, nb, "%s[?]", t);
      break;
  }
}

static void print_access(const char *rw, const Acc *a, int width, const char *brief) {
  const char *name = thread_name(a->tid);
  char val[64], locks[600];
  val_text(&a->v, val, sizeof val);
  if (a->lockset == 0) snprintf(locks, sizeof locks, "holding no locks");
  else snprintf(locks, sizeof locks, "holding %s", locksets[a->lockset]);
  fprintf(stderr, "  %-5s by \"%s\"%*s at %s:%d (%s %s %s), %s\n", rw, report_safe(name),
          width - (int)strlen(name), "", report_safe(sites[a->site].src), sites[a->site].line,
          report_safe(brief), strcmp(rw, "write") == 0 ? "<-" : "->", report_safe(val),
          report_safe(locks));
}

void race_describe(const RaceLoc *loc, char *brief, size_t n) {
  char full[512];
  loc_text(loc, full, sizeof full, brief, n);
}

void race_value(const RaceVal *v, char *buf, size_t n) { val_text(v, buf, n); }

void race_site_where(uint32_t site, const char **src, int *line) {
  *src = site < nsites ? sites[site].src : NULL;
  *line = site < nsites ? sites[site].line : 0;
}

/* One number per location, for the timeline. */
static uint64_t loc_id(const RaceLoc *loc) {
  return (uint64_t)(uintptr_t)loc->obj * 0x9e3779b97f4a7c15ull + loc->key;
}

static void report_race(const RaceLoc *loc, const Acc *now, int now_write, const Acc *before,
                        int before_write) {
  uint32_t a = now->site < before->site ? now->site : before->site;
  uint32_t b = now->site < before->site ? before->site : now->site;
  uint64_t key = ((uint64_t)a << 32 | b) + 1;
  if (race_observer.race) race_observer.race(loc_id(loc) ^ (uint64_t)loc->kind << 60);
  if (!race_reporting || map_get(&reported_pairs, key)) return;
  map_put(&reported_pairs, key, (void *)1);
  char full[512], brief[160], what[600];
  loc_text(loc, full, sizeof full, brief, sizeof brief);
  snprintf(what, sizeof what, "data race on %s", full);
  fflush(stdout);
  report_header(stderr, report_safe(what));
  int w1 = (int)strlen(thread_name(now->tid)), w2 = (int)strlen(thread_name(before->tid));
  int width = w1 > w2 ? w1 : w2;
  print_access(now_write ? "write" : "read", now, width, brief);
  print_access(before_write ? "write" : "read", before, width, brief);
  fputs("  nothing orders them: no common lock, no join, Event or Queue between them\n", stderr);
  report_replay_line(stderr);
  fflush(stderr);
  /* The message names the pair in source order: explorations group by it. */
  int c = strcmp(sites[a].src, sites[b].src);
  if (c > 0 || (c == 0 && sites[a].line > sites[b].line)) {
    uint32_t x = a;
    a = b;
    b = x;
  }
  char msg[700];
  snprintf(msg, sizeof msg, "%s (%s:%d, %s:%d)", what + strlen("data race on "), sites[a].src,
           sites[a].line, sites[b].src, sites[b].line);
  outcome_failure(EXIT_FAIL, "race", run_self, msg);
  trace_race(loc_id(loc), now->seq, before->seq, what);
}

/* }====================================================== */

/*
** {======================================================
** FastTrack
** =======================================================
*/

static Shadow *shadow_of(const RaceLoc *loc) {
  Obj *o = obj_of(loc->obj, loc->kind == LOC_UPVALUE ? OBJ_UPVALUE : OBJ_TABLE);
  if (loc->kind == LOC_UPVALUE) {
    if (o->shadow == NULL) o->shadow = outcome_calloc(1, sizeof *o->shadow);
    return o->shadow;
  }
  Shadow *s = map_get(&o->fields, loc->key);
  if (s == NULL) {
    s = outcome_calloc(1, sizeof *s);
    map_put(&o->fields, loc->key, s);
  }
  return s;
}

static void read_shared(Shadow *s, int tid, uint32_t clk, const Acc *acc) {
  ReadSet *rs = s->rs;
  if (rs == NULL) rs = s->rs = outcome_calloc(1, sizeof *rs);
  vc_set(&rs->clocks, tid, clk);
  rs->acc = grow_to(rs->acc, &rs->nacc, tid, sizeof *rs->acc, 8);
  rs->acc[tid] = *acc;
}

void race_access(RaceLoc *loc, int is_write, uint32_t site, const RaceVal *v) {
  Thread *t = run_self;
  if (loc->kind == LOC_FIELD && loc->obj == globals) loc->kind = LOC_GLOBAL;
  uint64_t id = loc_id(loc) ^ (uint64_t)loc->kind << 60;
  if (footprint) footprint(id, is_write ? TOUCH_WRITE : TOUCH_READ);
  if (sched_peeking) return;   /* not executed yet: --sched pos only looks */
  if (race_observer.access) race_observer.access(loc, id, is_write, site, v);
  if (!race_enabled) return;
  RThread *rt = rthread(t);
  int tid = t->serial;
  uint32_t clk = vc_get(&rt->vc, tid);
  Epoch now = EPOCH(tid, clk);
  Shadow *s = shadow_of(loc);
  Acc acc = { site, rt->lockset, tid, -1, *v };
  if (trace_enabled && R->opt.timeline) {
    char full[512], brief[160], val[64], text[240];
    loc_text(loc, full, sizeof full, brief, sizeof brief);
    val_text(v, val, sizeof val);
    snprintf(text, sizeof text, "%s %s %s", brief, is_write ? "<-" : "->", val);
    acc.seq = trace_access(t, is_write, loc_id(loc), sites[site].src, sites[site].line, text);
  }
  if (!is_write) {
    if (s->R == now) {
      s->ra = acc;
      return;
    }
    if (!epoch_leq(s->W, &rt->vc)) report_race(loc, &acc, 0, &s->wa, 1);
    if (s->R == READ_SHARED) {
      read_shared(s, tid, clk, &acc);
    } else if (epoch_leq(s->R, &rt->vc)) {
      s->R = now;
      s->ra = acc;
    } else {
      /* Two unordered reads: keep both, in a vector. */
      read_shared(s, E_TID(s->R), E_CLK(s->R), &s->ra);
      read_shared(s, tid, clk, &acc);
      s->R = READ_SHARED;
    }
    return;
  }
  if (s->W == now) {
    s->wa = acc;
    return;
  }
  /* Two threads extending the same array unordered both write its length;
     only a read of #t can then go wrong (the array's slots race anyway). */
  if (is_write != 2 && !epoch_leq(s->W, &rt->vc)) report_race(loc, &acc, 1, &s->wa, 1);
  if (s->R == READ_SHARED) {
    ReadSet *rs = s->rs;
    for (int u = 0; u < rs->clocks.n; u++)
      if (u != tid && rs->clocks.c[u] > vc_get(&rt->vc, u)) {
        report_race(loc, &acc, 1, &rs->acc[u], 0);
        break;
      }
    memset(rs->clocks.c, 0, (size_t)rs->clocks.n * sizeof *rs->clocks.c);
    s->R = 0;
  } else if (E_TID(s->R) != tid && !epoch_leq(s->R, &rt->vc)) {
    report_race(loc, &acc, 1, &s->ra, 0);
  }
  s->W = now;
  s->wa = acc;
}

/* }====================================================== */

void race_init(int report) {
  race_enabled = 1;
  race_reporting = report;
  cap_locksets = 16;
  locksets = outcome_calloc(cap_locksets, sizeof *locksets);
  locksets[nlocksets++] = outcome_strdup("");   /* id 0: no locks held */
}
