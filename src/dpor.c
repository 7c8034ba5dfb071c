/*
** dpor.c: dynamic partial-order reduction for --sched dfs (Flanagan and
** Godefroid, POPL 2005), on the explorer's side. Each run's child records
** its transitions with their enabled sets and footprints (sched.c); here
** they become the search stack. Vector clocks over a run find its races:
** pairs of dependent transitions of different threads that nothing
** orders; for each, the thread that came second is scheduled at the point
** before the first, so each class of equivalent schedules is run about
** once. This file touches neither Lua nor the run; it owns its memory.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpor.h"
#include "outcome.h"

/* Past this many threads in one run, the clocks would cost too much: that
   run's points all become branching points (plain depth-first search). */
#if !defined(DPOR_MAX_THREADS)
#define DPOR_MAX_THREADS 128
#endif

/*
** Sleep sets compare a step recorded in one run with steps of another, by
** location: that needs every run to place the same objects at the same
** addresses, which tsbox's own allocator does and the system allocator
** (sanitizer builds) does not. Without them the search is the same, only
** less reduced.
*/
#if defined(TSBOX_SYSTEM_ALLOC)
#define SLEEP_SETS 0
#else
#define SLEEP_SETS 1
#endif

typedef struct Set {
  uint32_t *v;
  int n, cap;
} Set;

/* A thread explored earlier at a node, with the footprint of its step
   there: asleep below the node's later choices until something depends
   on that step (sleep sets, Godefroid 1996). */
typedef struct Sleeper {
  uint32_t thread;
  Touch *fp;
  int nfp;
} Sleeper;

typedef struct Node {
  uint32_t step;             /* CHOICE_NONE where one thread could run */
  uint32_t thread;           /* the serial chosen */
  uint32_t dflt;             /* the serial the child takes without a prefix entry */
  uint32_t *en;              /* enabled serials, ascending */
  int nen;
  int preempts;              /* choosing another than `dflt` is a preemption */
  Set backtrack, done;
  Touch *fp;                 /* the footprint of the chosen thread's step */
  int nfp;
  Sleeper *sl;               /* the threads explored here before */
  int nsl;
} Node;

struct Dpor {
  int bound, reduce;
  int shallow_first;         /* take the earliest branch left, not the latest */
  Node *st;
  int nst, cap;
  int keep;                  /* nodes the last prefix fixed */
  DporStats stats;
};


static int set_has(const Set *s, uint32_t x) {
  for (int i = 0; i < s->n; i++)
    if (s->v[i] == x) return 1;
  return 0;
}

static void set_add(Set *s, uint32_t x) {
  if (set_has(s, x)) return;
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 4;
    s->v = outcome_realloc(s->v, (size_t)s->cap * sizeof *s->v);
  }
  int i = s->n++;
  while (i > 0 && s->v[i - 1] > x) { s->v[i] = s->v[i - 1]; i--; }
  s->v[i] = x;
}

static void node_free(Node *nd) {
  for (int i = 0; i < nd->nsl; i++) free(nd->sl[i].fp);
  free(nd->sl);
  free(nd->fp);
  free(nd->en);
  free(nd->backtrack.v);
  free(nd->done.v);
  memset(nd, 0, sizeof *nd);
}

static int en_has(const Node *nd, uint32_t t) {
  for (int i = 0; i < nd->nen; i++)
    if (nd->en[i] == t) return 1;
  return 0;
}

Dpor *dpor_new(int bound, int reduce) {
  Dpor *d = outcome_calloc(1, sizeof *d);
  d->bound = bound;
  d->reduce = reduce;
  return d;
}

void dpor_free(Dpor *d) {
  if (d == NULL) return;
  for (int i = 0; i < d->nst; i++) node_free(&d->st[i]);
  free(d->st);
  free(d);
}

void dpor_stats(const Dpor *d, DporStats *s) { *s = d->stats; }

void dpor_shallow_first(Dpor *d) { d->shallow_first = 1; }

/*
** {======================================================
** Races of one run, by vector clocks
** =======================================================
*/

/* A location's last write and the reads since, with their clocks. */
typedef struct Access {
  int idx;                   /* transition */
  uint32_t thread, clock;    /* its thread and that thread's local time */
  uint32_t *vc;              /* the thread's clock after it */
} Access;

typedef struct Loc {
  uint64_t key;
  int used;
  Access write;              /* write.idx < 0: none yet */
  Access acq;                /* a lock's last acquisition */
  Access *reads;             /* one per thread at most */
  int nreads, cap_reads;
} Loc;

typedef struct Clocks {
  int k;                     /* clocks have k + 1 entries (serials 1..k) */
  uint32_t *tc;              /* per thread: (k + 1) x (k + 1) */
  Loc *locs;
  size_t nlocs, cap_locs;    /* open addressing, cap a power of two */
  uint32_t **pool;           /* every clock copy, freed at the end */
  size_t npool, cap_pool;
} Clocks;

static uint32_t *tc_of(Clocks *c, uint32_t t) { return c->tc + (size_t)t * (size_t)(c->k + 1); }

static uint32_t *vc_copy(Clocks *c, const uint32_t *v) {
  uint32_t *p = outcome_calloc((size_t)c->k + 1, sizeof *p);
  memcpy(p, v, ((size_t)c->k + 1) * sizeof *p);
  if (c->npool == c->cap_pool) {
    c->cap_pool = c->cap_pool ? c->cap_pool * 2 : 256;
    c->pool = outcome_realloc(c->pool, c->cap_pool * sizeof *c->pool);
  }
  c->pool[c->npool++] = p;
  return p;
}

static void vc_join(Clocks *c, uint32_t *into, const uint32_t *from) {
  for (int i = 0; i <= c->k; i++)
    if (from[i] > into[i]) into[i] = from[i];
}

static uint64_t mix(uint64_t x) {
  x ^= x >> 33; x *= 0xff51afd7ed558ccdu;
  x ^= x >> 33; x *= 0xc4ceb9fe1a85ec53u;
  return x ^ (x >> 33);
}

static Loc *loc_get(Clocks *c, uint64_t key) {
  if (2 * (c->nlocs + 1) > c->cap_locs) {
    size_t cap = c->cap_locs ? c->cap_locs * 2 : 256;
    Loc *old = c->locs;
    size_t oldcap = c->cap_locs;
    c->locs = outcome_calloc(cap, sizeof *c->locs);
    c->cap_locs = cap;
    for (size_t i = 0; i < oldcap; i++) {
      if (!old[i].used) continue;
      size_t h = mix(old[i].key) & (cap - 1);
      while (c->locs[h].used) h = (h + 1) & (cap - 1);
      c->locs[h] = old[i];
    }
    free(old);
  }
  size_t h = mix(key) & (c->cap_locs - 1);
  while (c->locs[h].used && c->locs[h].key != key) h = (h + 1) & (c->cap_locs - 1);
  Loc *l = &c->locs[h];
  if (!l->used) {
    l->used = 1;
    l->key = key;
    l->write.idx = -1;
    l->acq.idx = -1;
    c->nlocs++;
  }
  return l;
}

static void clocks_free(Clocks *c) {
  for (size_t i = 0; i < c->cap_locs; i++) free(c->locs[i].reads);
  for (size_t i = 0; i < c->npool; i++) free(c->pool[i]);
  free(c->locs);
  free(c->pool);
  free(c->tc);
}

/* Schedule, at node i, the thread of a later transition that races with
   i's: that thread itself when it could run there, else every thread that
   could (Flanagan and Godefroid's conservative choice). */
static void add_backtrack(Dpor *d, int i, uint32_t thread) {
  Node *nd = &d->st[i];
  if (nd->nen < 2) return;
  if (en_has(nd, thread)) {
    set_add(&nd->backtrack, thread);
  } else {
    for (int k = 0; k < nd->nen; k++) set_add(&nd->backtrack, nd->en[k]);
  }
}

/* The clock a SEND left under `key`, or NULL. */
static uint32_t **edge_slot(Clocks *c, uint64_t key) {
  Loc *l = loc_get(c, key ^ 0x5eed5eed5eed5eedu);
  return &l->write.vc;
}

static int is_access(uint32_t kind) { return kind != TOUCH_SEND && kind != TOUCH_RECV; }

/* Does an earlier access race with the one now made by `p` with clock `tc`:
   another thread's, and not ordered before it. */
static int races(const Access *a, uint32_t p, const uint32_t *tc) {
  return a->idx >= 0 && a->thread != p && a->clock > tc[a->thread];
}

static void find_races(Dpor *d, const DporRun *run, int k) {
  Clocks c = { 0 };
  c.k = k;
  size_t w = (size_t)k + 1;
  c.tc = outcome_calloc(w * w, sizeof *c.tc);
  uint32_t *pre = outcome_calloc(w, sizeof *pre);
  for (int j = 0; j < run->n; j++) {
    const Choice *tj = &run->tr[j];
    uint32_t p = tj->thread;
    if (p > (uint32_t)k) continue;
    uint32_t *tc = tc_of(&c, p);
    tc[p]++;
    uint32_t clock = tc[p];
    const Touch *fp = run->touches + tj->fp;
    /* An acquisition races with the last one as the thread stood before
       anything woke it: being woken by a release says nothing about which
       thread could have taken the lock first. */
    memcpy(pre, tc, w * sizeof *pre);
    for (uint32_t t = 0; t < tj->nfp; t++) {
      if (fp[t].kind != TOUCH_RECV) continue;
      uint32_t **slot = edge_slot(&c, fp[t].loc);
      if (*slot) vc_join(&c, tc, *slot);
    }
    /* The latest earlier transition that races with this one. */
    int last = -1;
    for (uint32_t t = 0; t < tj->nfp; t++) {
      uint32_t kind = fp[t].kind;
      if (!is_access(kind)) continue;
      Loc *l = loc_get(&c, fp[t].loc);
      if ((kind == TOUCH_READ || kind == TOUCH_WRITE) && races(&l->write, p, tc) &&
          l->write.idx > last)
        last = l->write.idx;
      if ((kind == TOUCH_ACQUIRE || kind == TOUCH_ATTEMPT) && races(&l->acq, p, pre) &&
          l->acq.idx > last)
        last = l->acq.idx;
      if (kind == TOUCH_ATTEMPT) continue;
      if (kind != TOUCH_READ)
        for (int r = 0; r < l->nreads; r++)
          if (races(&l->reads[r], p, tc) && l->reads[r].idx > last) last = l->reads[r].idx;
    }
    if (last >= 0) add_backtrack(d, last, p);
    /* Then this transition is ordered after everything it depends on. */
    for (uint32_t t = 0; t < tj->nfp; t++) {
      if (!is_access(fp[t].kind) || fp[t].kind == TOUCH_ATTEMPT) continue;
      Loc *l = loc_get(&c, fp[t].loc);
      if (l->write.idx >= 0) vc_join(&c, tc, l->write.vc);
      if (fp[t].kind != TOUCH_READ)
        for (int r = 0; r < l->nreads; r++) vc_join(&c, tc, l->reads[r].vc);
    }
    for (uint32_t t = 0; t < tj->nfp; t++) {
      uint32_t kind = fp[t].kind;
      if (kind == TOUCH_SEND) {
        *edge_slot(&c, fp[t].loc) = vc_copy(&c, tc);
        continue;
      }
      if (!is_access(kind) || kind == TOUCH_ATTEMPT) continue;
      Loc *l = loc_get(&c, fp[t].loc);
      Access a = { j, p, clock, vc_copy(&c, tc) };
      if (kind != TOUCH_READ) {
        l->write = a;
        if (kind == TOUCH_ACQUIRE) l->acq = a;
        l->nreads = 0;
        continue;
      }
      int r = 0;
      while (r < l->nreads && l->reads[r].thread != p) r++;
      if (r == l->nreads) {
        if (l->nreads == l->cap_reads) {
          l->cap_reads = l->cap_reads ? l->cap_reads * 2 : 2;
          l->reads = outcome_realloc(l->reads, (size_t)l->cap_reads * sizeof *l->reads);
        }
        l->nreads++;
      }
      l->reads[r] = a;
    }
  }
  free(pre);
  clocks_free(&c);
}

/* }====================================================== */

/*
** {======================================================
** The search stack
** =======================================================
*/

/* Align the stack with a finished run: the nodes the prefix fixed keep
   their sets; the rest are new, each with its own choice done. */
static void absorb(Dpor *d, const DporRun *run) {
  int keep = d->keep < run->n ? d->keep : run->n;
  for (int i = 0; i < keep; i++) {
    const Choice *t = &run->tr[i];
    if (d->st[i].thread != t->thread || d->st[i].step != t->step) {
      /* The run left the prefix's path (it should not: runs are
         deterministic); what follows is new. */
      keep = i;
      break;
    }
  }
  for (int i = keep; i < d->nst; i++) node_free(&d->st[i]);
  if (run->n > d->cap) {
    d->cap = run->n;
    d->st = outcome_realloc(d->st, (size_t)d->cap * sizeof *d->st);
  }
  for (int i = 0; i < keep; i++) {
    const Choice *t = &run->tr[i];
    Node *nd = &d->st[i];
    free(nd->fp);
    nd->fp = NULL;
    nd->nfp = 0;
    if (t->nfp > 0 && t->fp + t->nfp <= (uint32_t)run->ntouches) {
      nd->fp = outcome_calloc(t->nfp, sizeof *nd->fp);
      memcpy(nd->fp, run->touches + t->fp, t->nfp * sizeof *nd->fp);
      nd->nfp = (int)t->nfp;
    }
  }
  for (int i = keep; i < run->n; i++) {
    const Choice *t = &run->tr[i];
    Node *nd = &d->st[i];
    memset(nd, 0, sizeof *nd);
    if (t->nfp > 0 && t->fp + t->nfp <= (uint32_t)run->ntouches) {
      nd->fp = outcome_calloc(t->nfp, sizeof *nd->fp);
      memcpy(nd->fp, run->touches + t->fp, t->nfp * sizeof *nd->fp);
      nd->nfp = (int)t->nfp;
    }
    nd->step = t->step;
    nd->thread = t->thread;
    nd->nen = t->n;
    nd->en = outcome_calloc(t->n, sizeof *nd->en);
    if (t->en + t->n <= (uint32_t)run->nenabled)
      memcpy(nd->en, run->enabled + t->en, t->n * sizeof *nd->en);
    nd->dflt = nd->en[t->dflt < t->n ? t->dflt : 0];
    nd->preempts = t->preempts;
    set_add(&nd->done, t->thread);
  }
  d->nst = run->n;
}

static int is_edge(uint32_t kind) { return kind == TOUCH_SEND || kind == TOUCH_RECV; }

/* Two steps commute unless they touch one location and one of them does
   more than read it (or they are the two ends of one edge). */
static int dependent(const Touch *a, int na, const Touch *b, int nb) {
  for (int i = 0; i < na; i++)
    for (int j = 0; j < nb; j++) {
      if (a[i].loc != b[j].loc) continue;
      if (is_edge(a[i].kind) || is_edge(b[j].kind)) {
        if (is_edge(a[i].kind) && is_edge(b[j].kind)) return 1;
        continue;
      }
      if (a[i].kind != TOUCH_READ || b[j].kind != TOUCH_READ) return 1;
    }
  return 0;
}

/* The sleep set at each node of the stack, as thread sets: a thread
   explored at node i sleeps below i's later choices while every step
   taken since is independent of its own step at i. */
static Set *sleep_sets(const Dpor *d) {
  Set *at = outcome_calloc((size_t)d->nst + 1, sizeof *at);
  Sleeper *cur = NULL, *next = NULL;
  int ncur = 0, cap = 0;
  for (int i = 0; i < d->nst; i++) {
    const Node *nd = &d->st[i];
    for (int k = 0; k < ncur; k++) set_add(&at[i], cur[k].thread);
    int need = ncur + nd->nsl;
    if (need > cap) {
      cap = need * 2;
      cur = outcome_realloc(cur, (size_t)cap * sizeof *cur);
      next = outcome_realloc(next, (size_t)cap * sizeof *next);
    }
    int nn = 0;
    for (int k = 0; k < ncur + nd->nsl; k++) {
      const Sleeper *x = k < ncur ? &cur[k] : &nd->sl[k - ncur];
      if (x->thread == nd->thread || dependent(x->fp, x->nfp, nd->fp, nd->nfp)) continue;
      int dup = 0;
      for (int m = 0; m < nn; m++) dup |= next[m].thread == x->thread;
      if (!dup) next[nn++] = *x;
    }
    Sleeper *t = cur; cur = next; next = t;
    ncur = nn;
  }
  free(cur);
  free(next);
  return at;
}

char *dpor_next(Dpor *d, const DporRun *run) {
  absorb(d, run);
  int k = 0, visible = 0;
  for (int i = 0; i < d->nst; i++) {
    for (int e = 0; e < d->st[i].nen; e++)
      if ((int)d->st[i].en[e] > k) k = (int)d->st[i].en[e];
    visible += run->tr[i].nfp > 0;
  }
  if (k > d->stats.threads_max) d->stats.threads_max = k;
  if (visible > d->stats.visible_max) d->stats.visible_max = visible;
  if (run->truncated) d->stats.truncated = 1;
  if (d->reduce && k <= DPOR_MAX_THREADS) {
    find_races(d, run, k);
  } else {
    if (d->reduce) d->stats.naive = 1;
    for (int i = 0; i < d->nst; i++)
      for (int e = 0; e < d->st[i].nen; e++) set_add(&d->st[i].backtrack, d->st[i].en[e]);
  }
  /* The deepest node with a branch left; preemptions so far bound it. */
  int *pre = outcome_calloc((size_t)d->nst + 1, sizeof *pre);
  for (int i = 0; i < d->nst; i++)
    pre[i + 1] = pre[i] + (d->st[i].preempts && d->st[i].thread != d->st[i].dflt);
  int at = -1;
  uint32_t pick = 0;
  Set *asleep = d->reduce && SLEEP_SETS ? sleep_sets(d) : NULL;
  for (int o = 0; o < d->nst && at < 0; o++) {
    int i = d->shallow_first ? o : d->nst - 1 - o;
    Node *nd = &d->st[i];
    if (nd->step == CHOICE_NONE) continue;
    for (int b = 0; b < nd->backtrack.n; b++) {
      uint32_t q = nd->backtrack.v[b];
      if (set_has(&nd->done, q) || !en_has(nd, q)) continue;
      if (asleep && set_has(&asleep[i], q)) {   /* explored already, in another order */
        set_add(&nd->done, q);
        continue;
      }
      if (d->bound >= 0 && nd->preempts && q != nd->dflt && pre[i] + 1 > d->bound) {
        set_add(&nd->done, q);
        d->stats.cut_by_bound++;
        continue;
      }
      at = i;
      pick = q;
      break;
    }
  }
  free(pre);
  if (asleep) {
    for (int i = 0; i <= d->nst; i++) free(asleep[i].v);
    free(asleep);
  }
  d->stats.pending = 0;
  if (at < 0) {
    d->keep = 0;
    return NULL;
  }
  Node *nd = &d->st[at];
  set_add(&nd->done, pick);
  /* The step taken here so far sleeps below the new choice. */
  nd->sl = outcome_realloc(nd->sl, (size_t)(nd->nsl + 1) * sizeof *nd->sl);
  nd->sl[nd->nsl++] = (Sleeper){ nd->thread, nd->fp, nd->nfp };
  nd->fp = NULL;
  nd->nfp = 0;
  nd->thread = pick;
  for (int i = 0; i <= at; i++)
    for (int b = 0; b < d->st[i].backtrack.n; b++)
      if (!set_has(&d->st[i].done, d->st[i].backtrack.v[b])) d->stats.pending++;
  d->keep = at + 1;
  /* The prefix: every node up to `at` whose choice is not the default. */
  size_t cap = 64, len = 0;
  char *s = outcome_calloc(cap, 1);
  for (int i = 0; i <= at; i++) {
    const Node *x = &d->st[i];
    if (x->step == CHOICE_NONE || x->thread == x->dflt) continue;
    int idx = 0;
    while (idx < x->nen && x->en[idx] != x->thread) idx++;
    if (len + 32 > cap) {
      cap *= 2;
      s = outcome_realloc(s, cap);
    }
    len += (size_t)snprintf(s + len, cap - len, "%s%u.%d", len ? "," : "", x->step, idx);
  }
  return s;
}

/* }====================================================== */
