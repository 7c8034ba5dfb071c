/*
** sched.c: the GIL and the scheduling policies. Under the deterministic
** policies the GIL is a baton: `R->running` names the one thread allowed to
** touch Lua, and every switch is decided here from the seed. Under `os` the
** GIL is a real lock released on a time slice, as in CPython. This file
** never calls into Lua except to install its count hook.
*/
#include <errno.h>
#include <sched.h>
#include <linux/futex.h>
#include <math.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "access.h"
#include "outcome.h"
#include "race.h"
#include "sched.h"
#include "trace.h"

/* How often the count hook polls for a drop request under `os`. */
#define OS_POLL_INSNS 100

static pthread_cond_t gil_switch_cv;

void sched_check(int rc, const char *what) {
  if (rc != 0) {
    fprintf(stderr, "tsbox: internal error: %s: %s\n", what, strerror(rc));
    abort();
  }
}

static struct timespec abs_time(int64_t run_ns) {
  int64_t ns = R->t0 + run_ns;
  struct timespec ts = { (time_t)(ns / 1000000000), (long)(ns % 1000000000) };
  return ts;
}

/*
** {======================================================
** Seeded randomness (xoshiro256**, seeded by splitmix64)
** =======================================================
*/

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t sched_random(void) {
  uint64_t *s = R->rng;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

static void seed_rng(uint64_t seed) {
  for (int i = 0; i < 4; i++) {
    uint64_t z = (seed += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    R->rng[i] = z ^ (z >> 31);
  }
}

/* Geometric gap with mean q: every instruction boundary can be a switch. */
static int draw_gap(void) {
  int q = R->opt.quantum;
  switch (R->opt.sched) {
    case POL_OS: return OS_POLL_INSNS;
    case POL_RR: case POL_DFS: case POL_POS: return q;
    default: break;
  }
  if (q <= 1) return 1;
  double u = (double)((sched_random() >> 11) + 1) * 0x1.0p-53;  /* (0,1] */
  double g = floor(log(u) / log(1.0 - 1.0 / q));
  return g > 1e8 ? 100000000 : 1 + (int)g;
}

/* }====================================================== */

/*
** {======================================================
** Runnable set and timer heap (deterministic policies, under mu)
** =======================================================
*/

static void *grow(void *p, int *cap, size_t elem) {
  int n = *cap ? *cap * 2 : 16;
  p = outcome_realloc(p, (size_t)n * elem);
  *cap = n;
  return p;
}

/* pos: a fresh priority, for an event that just became possible. */
static uint64_t pos_priority(void) { return (sched_random() >> 1) | 1; }

static void runq_add(Thread *t) {
  if (t->runq_idx >= 0) return;
  if (R->opt.sched == POL_POS) t->prio = pos_priority();   /* started or woken */
  if (R->nrunq == R->cap_runq)
    R->runq = grow(R->runq, &R->cap_runq, sizeof(Thread *));
  t->runq_idx = R->nrunq;
  R->runq[R->nrunq++] = t;
}

static void runq_remove(Thread *t) {
  int i = t->runq_idx;
  if (i < 0) return;
  Thread *last = R->runq[--R->nrunq];
  R->runq[i] = last;
  last->runq_idx = i;
  t->runq_idx = -1;
}

static int heap_less(const Thread *a, const Thread *b) {
  if (a->deadline != b->deadline) return a->deadline < b->deadline;
  return a->serial < b->serial;
}

static void heap_set(int i, Thread *t) { R->heap[i] = t; t->heap_idx = i; }

static void heap_up(int i) {
  Thread *t = R->heap[i];
  while (i > 0) {
    int p = (i - 1) / 2;
    if (!heap_less(t, R->heap[p])) break;
    heap_set(i, R->heap[p]);
    i = p;
  }
  heap_set(i, t);
}

static void heap_down(int i) {
  Thread *t = R->heap[i];
  for (;;) {
    int c = 2 * i + 1;
    if (c >= R->nheap) break;
    if (c + 1 < R->nheap && heap_less(R->heap[c + 1], R->heap[c])) c++;
    if (!heap_less(R->heap[c], t)) break;
    heap_set(i, R->heap[c]);
    i = c;
  }
  heap_set(i, t);
}

static void heap_push(Thread *t) {
  if (R->nheap == R->cap_heap)
    R->heap = grow(R->heap, &R->cap_heap, sizeof(Thread *));
  R->heap[R->nheap] = t;
  heap_up(R->nheap++);
}

static void heap_remove(Thread *t) {
  int i = t->heap_idx;
  if (i < 0) return;
  t->heap_idx = -1;
  Thread *last = R->heap[--R->nheap];
  if (i == R->nheap) return;
  heap_set(i, last);
  heap_up(i);
  heap_down(last->heap_idx);
}

/* Wake every thread whose deadline the clock has reached. */
static void fire_timers(void) {
  while (R->nheap > 0 && R->heap[0]->deadline <= R->now) {
    Thread *t = R->heap[0];
    heap_remove(t);
    t->state = TS_RUNNABLE;
    t->wake = WAKE_TIMEOUT;
    R->nblocked--;
    runq_add(t);
  }
}

/* }====================================================== */

/*
** {======================================================
** Policies
** =======================================================
*/

/* Round-robin: the next runnable thread after `self` in creation order. */
static Thread *next_after(Thread *self) {
  int n = R->nthreads;
  for (int k = 1; k <= n; k++) {
    Thread *t = R->threads[(self->serial - 1 + k) % n];
    if (t->runq_idx >= 0) return t;
  }
  return NULL;
}

/* PCT (Burckhardt et al. 2010): the highest-priority runnable thread. */
/* pct and pos: the runnable thread of highest priority other than `skip`,
   the first created among equals. */
static Thread *highest_priority(const Thread *skip) {
  Thread *best = NULL;
  for (int i = 0; i < R->nrunq; i++) {
    Thread *t = R->runq[i];
    if (t == skip) continue;
    if (best == NULL || t->prio > best->prio || (t->prio == best->prio && t->serial < best->serial))
      best = t;
  }
  return best;
}

static Thread *pick_pct(Thread *self, SchedPoint why) {
  if (R->nrunq > 1) {
    uint64_t step = ++R->choice_steps;
    for (int j = 0; j < R->opt.depth - 1; j++)
      if (R->pct_change[j] == step && self->runq_idx >= 0) self->prio = (uint64_t)j + 1;
  }
  return highest_priority(why == SP_YIELD && R->nrunq > 1 ? self : NULL);
}

/*
** POS, partial-order sampling (Yuan, Yang and Gu, CAV 2018): every visible
** event (a shared access the thread is about to make) has a random
** priority, and the highest-priority thread runs. When a thread has made
** its event, its next one draws a new priority, and so does every other
** thread's pending event that conflicts with the one made (same location,
** one of them a write): those are the orders worth sampling anew. A
** thread whose next instruction touches nothing shared just goes on, so
** choices happen only at visible operations. A pending event is the
** instruction the thread stopped before, decoded by the count hook.
*/
static int touches_conflict(const Touch *a, int na, const Touch *b, int nb) {
  for (int i = 0; i < na; i++)
    for (int j = 0; j < nb; j++)
      if (a[i].loc == b[j].loc && (a[i].kind != TOUCH_READ || b[j].kind != TOUCH_READ)) return 1;
  return 0;
}

void sched_visible(const void *obj, int kind) {
  Thread *self = run_self;
  if (R->opt.sched != POL_POS || self == NULL) return;
  self->pending[0] = (Touch){ (uint64_t)(uintptr_t)obj, (uint32_t)kind, 0 };
  self->npending = 1;
  sched_point(self, SP_PREEMPT);
}

static Thread *pick_pos(Thread *self, SchedPoint why) {
  int self_runnable = self->runq_idx >= 0;
  if (self_runnable && why == SP_PREEMPT && self->npending == 0) return self;
  for (int i = 0; i < R->nrunq; i++) {
    Thread *t = R->runq[i];
    if (t != self && touches_conflict(self->chosen, self->nchosen, t->pending, t->npending))
      t->prio = pos_priority();
  }
  self->nchosen = 0;
  self->prio = why == SP_YIELD ? 0 : pos_priority();   /* a yield gives way */
  Thread *best = highest_priority(NULL);
  if (best == NULL) return NULL;   /* pick() never asks with nobody runnable */
  memcpy(best->chosen, best->pending, (size_t)best->npending * sizeof *best->pending);
  best->nchosen = best->npending;
  return best;
}

/* pct: initial priorities lie above every change point's; pos: any. */
static uint64_t initial_priority(void) {
  if (R->opt.sched == POL_POS) return pos_priority();
  return (uint64_t)R->opt.depth + 16 + (sched_random() >> 20);
}

static int by_serial(const void *a, const void *b) {
  return (*(Thread *const *)a)->serial - (*(Thread *const *)b)->serial;
}

/*
** Systematic exploration: at a point, the candidates are the enabled
** threads in creation order (at a yield, the others, when there are
** others: a spinning thread gives way); the default is to go on with the
** current thread (no preemption), and the prefix given by the explorer
** names the points where another choice is taken. Every transition is
** recorded with its enabled set; its footprint follows (sched_touch).
*/
static void dfs_record(Thread **cand, int n, int chosen, int dflt, int preempts, uint32_t step) {
  if (R->trace_full) return;
  if (R->ntrace >= DFS_MAX_TRANSITIONS) { R->trace_full = 1; return; }
  if (R->ntrace == R->cap_trace)
    R->trace = grow(R->trace, &R->cap_trace, sizeof *R->trace);
  while (R->nenabled + n > R->cap_enabled)
    R->enabled = grow(R->enabled, &R->cap_enabled, sizeof *R->enabled);
  uint32_t en = (uint32_t)R->nenabled;
  for (int i = 0; i < n; i++) R->enabled[R->nenabled++] = (uint32_t)cand[i]->serial;
  R->trace[R->ntrace++] = (Choice){ step, (uint32_t)cand[chosen]->serial, en,
                                    (uint32_t)R->ntouches, (uint16_t)n, (uint16_t)chosen,
                                    (uint16_t)dflt, (uint8_t)preempts, 0, 0 };
}

static Thread *pick_dfs(Thread *self, SchedPoint why) {
  int n = R->nrunq;
  static Thread **cand;
  static int cap;
  if (n > cap || cand == NULL) {
    cap = n * 2;
    cand = realloc(cand, (size_t)cap * sizeof *cand);
    if (cand == NULL) abort();
  }
  /* A thread that yielded gives way until another thread makes progress
     (writes, blocks or ends): a spin loop on ts.yield() then re-reads only
     after something it reads may have changed, and the space stays finite. */
  if (why == SP_YIELD && !self->yielded) { self->yielded = 1; R->nyielded++; }
  int k = 0;
  for (int i = 0; i < n; i++)
    if (!R->runq[i]->yielded) cand[k++] = R->runq[i];
  if (k == 0)
    for (int i = 0; i < n; i++) cand[k++] = R->runq[i];
  n = k;
  qsort(cand, (size_t)n, sizeof *cand, by_serial);
  int preempts = self->runq_idx >= 0 && why != SP_YIELD;
  int dflt = 0;
  for (int i = 0; i < n; i++) {
    if (preempts && cand[i] == self) dflt = i;
  }
  if (why == SP_YIELD) {   /* the next thread after self in creation order */
    for (int i = 0; i < n; i++)
      if (cand[i]->serial > self->serial) { dflt = i; break; }
  }
  if (n == 1) {
    dfs_record(cand, 1, 0, 0, 0, CHOICE_NONE);
    return cand[0];
  }
  uint32_t step = (uint32_t)R->choice_steps++;
  int chosen = dflt;
  /* The prefix is sorted by step; a binary search finds this step. */
  int lo = 0, hi = R->ndfs;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (R->dfs_steps[mid] < step) lo = mid + 1; else hi = mid;
  }
  if (lo < R->ndfs && R->dfs_steps[lo] == step && R->dfs_choices[lo] < n)
    chosen = R->dfs_choices[lo];
  dfs_record(cand, n, chosen, dflt, preempts, step);
  return cand[chosen];
}

/*
** A thread's locations are named by its serial, not its address: the dfs
** search compares footprints across runs (sleep sets), and a Thread's C
** memory need not land at the same address in every run.
*/
void sched_touch_thread(const Thread *t, int what, int kind) {
  sched_touch_id(0x7e00000000000000ull | (uint64_t)t->serial << 4 | (uint64_t)what, kind);
}

void sched_touch(const void *loc, int kind) { sched_touch_id((uint64_t)(uintptr_t)loc, kind); }

/* Another thread made progress: every thread that yielded may run again. */
static void progress_made(void) {
  if (R->nyielded == 0) return;
  for (int i = 0; i < R->nthreads; i++) R->threads[i]->yielded = 0;
  R->nyielded = 0;
}

int sched_peeking;

void sched_touch_id(uint64_t loc, int kind) {
  if (sched_peeking) {
    Thread *t = run_self;
    if (t && t->npending < POS_TOUCHES) t->pending[t->npending++] = (Touch){ loc, (uint32_t)kind, 0 };
    return;
  }
  if (R->opt.sched != POL_DFS || run_self == NULL) return;
  if (kind != TOUCH_READ && kind != TOUCH_RECV && kind != TOUCH_ATTEMPT)
    progress_made();
  if (R->ntrace == 0 || R->trace_full) return;
  Choice *c = &R->trace[R->ntrace - 1];
  /* a transition that touches one location again adds nothing new */
  for (uint32_t i = c->fp; i < c->fp + c->nfp; i++)
    if (R->touches[i].loc == loc && (R->touches[i].kind == (uint32_t)kind ||
                                     (kind == TOUCH_READ && R->touches[i].kind != TOUCH_SEND &&
                                      R->touches[i].kind != TOUCH_RECV)))
      return;
  if (R->ntouches == R->cap_touches)
    R->touches = grow(R->touches, &R->cap_touches, sizeof *R->touches);
  R->touches[R->ntouches++] = (Touch){ loc, (uint32_t)kind, 0 };
  c->nfp++;
}

/*
** Choose the thread to run next, or NULL when no thread can ever run
** again. When nobody is runnable but a timer is pending, the virtual clock
** jumps to it.
*/
static Thread *pick(Thread *self, SchedPoint why) {
  fire_timers();
  while (R->nrunq == 0) {
    if (R->nheap == 0) return NULL;
    R->now = R->heap[0]->deadline;
    fire_timers();
  }
  int self_runnable = self->runq_idx >= 0;
  if (R->opt.sched == POL_PCT) return pick_pct(self, why);
  if (R->opt.sched == POL_DFS) return pick_dfs(self, why);
  if (R->opt.sched == POL_POS) return pick_pos(self, why);
  if (R->opt.sched == POL_RR) {
    if (self_runnable && (why == SP_START || why == SP_RELEASE)) return self;
    return next_after(self);
  }
  int n = R->nrunq;
  if (why == SP_YIELD && self_runnable && n > 1) {
    int i = (int)(sched_random() % (uint64_t)(n - 1));
    if (i >= self->runq_idx) i++;
    return R->runq[i];
  }
  if (n == 1) return R->runq[0];
  return R->runq[sched_random() % (uint64_t)n];
}

/*
** The baton. Handing it over is a store to the taker's own futex word,
** and the giver makes the wake-up call only when the taker sleeps on it:
** a hand-over wakes the one thread that runs next, never a crowd. Both
** sides use sequentially consistent operations, so one of them always
** sees the other's store.
**
** A futex round trip costs more than a quantum of another thread, so a
** waiter that is about to get the baton spins first. But with more
** runnable threads than cores, spinning waiters take the cores that the
** running thread and the next one need, and most hand-overs then wait for
** the OS scheduler. So only one waiter spins: the one designated to run
** after the thread just picked, when the policy can tell who that is (the
** giver itself, or a sleeper nudged awake: its futex word goes from 0 to
** BATON_NUDGED while the picked thread runs its quantum). Every other
** waiter sleeps at once. Without a guess, a giver spins only while every
** runnable thread can have a core of its own. The spinner yields its core
** now and then in case the thread it waits for shares it. The guess only
** decides who spins and when a sleeper is woken; it never changes a
** schedule.
**
** Spinning pays only when the threads get the cores: on a loaded machine
** the spinner burns the time slice that the thread it waits for needs.
** A designated spin that runs out and sleeps stops the spinning for the
** next BATON_MISS_PAUSE hand-overs (every waiter then sleeps at once and
** is woken by its giver); after them, one spin tries again.
*/
#if !defined(BATON_SPIN)
#define BATON_SPIN 300          /* pause loops of a waiter without a guess */
#endif
#if !defined(BATON_SPIN_NEXT)
#define BATON_SPIN_NEXT 2048    /* pause loops of the designated waiter */
#endif
#define BATON_YIELD_EVERY 16
#if !defined(BATON_MISS_PAUSE)
#define BATON_MISS_PAUSE 64
#endif
/* BATON_ABANDON: the run ended while the thread waited (sched_abandon_others). */
enum { BATON_NONE, BATON_GIVEN, BATON_NUDGED, BATON_ABANDON };

static int ncores = 1;            /* cores this process may run on */
static atomic_int spin_credit;    /* < 0: hand-overs left without a spin */
static atomic_uint handoff_seq;   /* hand-overs so far */

/*
** Counts of what hand-overs cost, printed at the end of a run when
** TSBOX_BATON_STATS is set: the tests check that a hand-over wakes at most
** the threads it names and that no more threads spin at once as the
** thread count grows.
*/
static struct {
  int on;
  atomic_ullong handoffs, wakes, sleeps, spins, caught, carried;
  atomic_int spinning, most_spinning;
} stats;

static void count(atomic_ullong *c) {
  if (stats.on) atomic_fetch_add_explicit(c, 1, memory_order_relaxed);
}

static void count_spinner(int delta) {
  if (!stats.on) return;
  int n = atomic_fetch_add(&stats.spinning, delta) + delta;
  int most = atomic_load(&stats.most_spinning);
  while (n > most && !atomic_compare_exchange_weak(&stats.most_spinning, &most, n)) {}
}

void sched_baton_stats(FILE *f) {
  if (!stats.on) return;
  fprintf(f, "tsbox: baton: %llu hand-overs, %llu futex wakes, %llu sleeps, "
          "%llu spins, %llu caught spinning, at most %d spinning at once, "
          "%llu carried\n",
          (unsigned long long)stats.handoffs, (unsigned long long)stats.wakes,
          (unsigned long long)stats.sleeps, (unsigned long long)stats.spins,
          (unsigned long long)stats.caught, atomic_load(&stats.most_spinning),
          (unsigned long long)stats.carried);
}

static void futex_wake(atomic_int *word) {
  count(&stats.wakes);
  syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void baton_give(Thread *t) {
  atomic_store(&t->baton, BATON_GIVEN);
  if (atomic_load(&t->parked)) futex_wake(&t->baton);
}

/*
** {------------------------------------------------------
** Carriers (sched.h). Only the baton's holder touches the idle list, and
** under mu. A suspended thread always finds an idle carrier: every
** started thread that has not ended keeps the carrier started for it
** (its home), and a carrier is busy with one thread at most, so there are
** at least as many idle carriers as suspended threads.
** -------------------------------------------------------
*/
enum { CARRIER_WAIT, CARRIER_RUN, CARRIER_LEAVE };

static int carry_built;           /* Lua's layouts are as suspend.c reads them */

/*
** Carrying pays when the thread picked next left its carrier too: the
** carrier resumes it at once. A thread waiting in a primitive that picks
** one must wake an idle carrier instead, which costs more than the
** hand-over it replaces (a waiter for the baton may be spinning; an idle
** carrier sleeps). carry_score weighs the two; while it is negative,
** preempted threads keep their carriers, and each such point brings it
** back up by one. Only the baton's holder touches it. How a switch is
** made never changes a schedule, so this only decides the cost.
*/
static int carry_score;
#define CARRY_SCORE_MAX 64
#define CARRY_MISS 4

static void carry_scored(int delta) {
  carry_score += delta;
  if (carry_score > CARRY_SCORE_MAX) carry_score = CARRY_SCORE_MAX;
  if (carry_score < -CARRY_SCORE_MAX) carry_score = -CARRY_SCORE_MAX;
}

static void idle_push(Carrier *c) {
  c->idle_prev = NULL;
  c->idle_next = R->idle;
  if (R->idle) R->idle->idle_prev = c;
  R->idle = c;
  c->idle = 1;
}

static void idle_remove(Carrier *c) {
  if (c->idle_prev) c->idle_prev->idle_next = c->idle_next; else R->idle = c->idle_next;
  if (c->idle_next) c->idle_next->idle_prev = c->idle_prev;
  c->idle_next = c->idle_prev = NULL;
  c->idle = 0;
}

/* Tell a carrier taken off the idle list what to do. */
static void carrier_tell(Carrier *c, int word, Thread *job) {
  c->job = job;
  atomic_store(&c->word, word);
  futex_wake(&c->word);
}

/* Wait to be told; returns the thread to resume, or NULL: leave. */
static Thread *carrier_wait(Carrier *c) {
  int w;
  /* A waiting thread of the run is often picked soon after: spin first,
     as a waiter for the baton does, while spinning pays (baton_spin). */
  if (atomic_load(&spin_credit) >= 0) {
    for (int i = 0; i < BATON_SPIN && atomic_load(&c->word) == CARRIER_WAIT; i++) {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
  }
  while ((w = atomic_load(&c->word)) == CARRIER_WAIT)
    syscall(SYS_futex, &c->word, FUTEX_WAIT_PRIVATE, CARRIER_WAIT, NULL, NULL, 0);
  atomic_store(&c->word, CARRIER_WAIT);
  return w == CARRIER_RUN ? c->job : NULL;
}

/* Under mu: the idle carrier that will resume suspended `t`. */
static Carrier *carrier_for(Thread *t) {
  (void)t;
  Carrier *c = R->idle;
  if (c == NULL) {
    fputs("tsbox: internal error: a suspended thread has no idle carrier\n", stderr);
    abort();
  }
  idle_remove(c);
  return c;
}

/*
** Carrier `c` has nothing to run, and `next` (not suspended) has just
** been picked: it stays, idle, while the thread it was started for lives,
** and leaves otherwise. It goes on the idle list before the baton moves,
** so that whoever picks a suspended thread next finds it there.
*/
static Thread *carrier_free(Carrier *c, Thread *next) {
  sched_check(pthread_mutex_lock(&R->mu), "lock");
  int stay = c->home != NULL && c->home->state != TS_DONE;
  if (stay) idle_push(c);
  sched_check(pthread_mutex_unlock(&R->mu), "unlock");
  baton_give(next);
  return stay ? carrier_wait(c) : NULL;
}

void sched_carry_init(void) {
  const char *e = getenv("TSBOX_CARRY");
  carry_built = (e == NULL || strcmp(e, "0") != 0) && suspend_init();
}

/* -------------------------------------------------------} */

/* Tell a waiting thread it is designated to run next, so it should spin. */
static void baton_nudge(Thread *t) {
  int none = BATON_NONE;
  if (atomic_compare_exchange_strong(&t->baton, &none, BATON_NUDGED) &&
      atomic_load(&t->parked))
    futex_wake(&t->baton);
}

/*
** Spin for the baton, pausing, at most `spin` times; returns its word. A
** waiter is designated for the next hand-over only: once a later one has
** passed it by (the guess was wrong), it stops spinning.
*/
static int baton_spin(Thread *self, int spin) {
  int v = BATON_NONE;
  if (spin <= 0) return v;
  count(&stats.spins);
  count_spinner(1);
  unsigned seq = atomic_load(&handoff_seq);
  int i = 0;
  for (; i < spin && (v = atomic_load(&self->baton)) == BATON_NONE; i++) {
    if (i % BATON_YIELD_EVERY == BATON_YIELD_EVERY - 1) {
      if (atomic_load(&handoff_seq) - seq > 1) break;
      if (spin > BATON_SPIN) sched_yield();
    }
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  count_spinner(-1);
  if (v != BATON_NONE) count(&stats.caught);
  /* The designated spin ran out: spinning does not pay on this machine now. */
  if (i == spin && spin > BATON_SPIN && v == BATON_NONE)
    atomic_store(&spin_credit, -BATON_MISS_PAUSE);
  return v;
}

static SchedHooks hooks;

static void baton_take(Thread *self, int spin) {
  for (;;) {
    int v = baton_spin(self, spin);
    if (v == BATON_NONE) {
      atomic_store(&self->parked, 1);
      while ((v = atomic_load(&self->baton)) == BATON_NONE) {
        count(&stats.sleeps);
        syscall(SYS_futex, &self->baton, FUTEX_WAIT_PRIVATE, BATON_NONE, NULL, NULL, 0);
      }
      atomic_store(&self->parked, 0);
    }
    /* A nudge: spin for the hand-over; a failed exchange means it came. */
    if (v == BATON_NUDGED && atomic_compare_exchange_strong(&self->baton, &v, BATON_NONE)) {
      spin = BATON_SPIN_NEXT;
      continue;
    }
    break;
  }
  if (atomic_load(&self->baton) == BATON_ABANDON) hooks.abandoned(self);
  atomic_store(&self->baton, BATON_NONE);
}

/*
** The thread most likely to be handed the baton after `next`, assuming the
** runnable set stays as it is: round-robin's successor, or under `random`
** the choices the seeded stream will make, replayed on a copy of it (a
** preempted thread draws its next gap when it resumes, then a choice at
** each point). NULL when the policy gives no cheap guess.
*/
#define PREDICT_POINTS 8

static Thread *predict_after(Thread *next) {
  if (R->nrunq < 2 || next->runq_idx < 0) return NULL;
  if (R->opt.sched == POL_RR) return next_after(next);
  if (R->opt.sched != POL_RANDOM) return NULL;
  uint64_t saved[4];
  memcpy(saved, R->rng, sizeof saved);
  Thread *t = NULL;
  int draws_gap = next->draws_gap;
  for (int k = 0; k < PREDICT_POINTS && t == NULL; k++) {
    if (draws_gap && R->opt.quantum > 1) (void)sched_random();
    draws_gap = 1;
    Thread *c = R->runq[sched_random() % (uint64_t)R->nrunq];
    if (c != next) t = c;
  }
  memcpy(R->rng, saved, sizeof saved);
  return t;
}

/* Under mu: the baton's record moves to `next`; returns the hand-over's number. */
static unsigned baton_moves(Thread *next) {
  R->running = next;
  R->points++;
  count(&stats.handoffs);
  return atomic_fetch_add(&handoff_seq, 1) + 1;
}

/*
** Give the baton to `next`, after the guess of who follows it. Under mu,
** which it releases. Returns how long the giver should spin for the baton
** to come back: only the designated thread spins.
*/
static int hand_over(Thread *self, Thread *next) {
  int spin_ok = atomic_load(&spin_credit) >= 0;
  if (!spin_ok) atomic_fetch_add(&spin_credit, 1);
  Thread *after = spin_ok ? predict_after(next) : NULL;
  if (after != NULL && after->suspended) after = NULL;   /* no carrier to nudge */
  int few = R->nrunq <= ncores;   /* every runnable thread can have a core */
  Carrier *c = next->suspended ? carrier_for(next) : NULL;
  if (c != NULL) carry_scored(-CARRY_MISS);
  unsigned seq = baton_moves(next);
  sched_check(pthread_mutex_unlock(&R->mu), "unlock");
  if (c != NULL) carrier_tell(c, CARRIER_RUN, next);
  else baton_give(next);
  /* A nudge that comes after the baton moved on would make a thread that
     already had its turn spin for nothing. */
  if (after != NULL && after != self && after != next && atomic_load(&handoff_seq) == seq)
    baton_nudge(after);
  if (after == self) return BATON_SPIN_NEXT;
  return after == NULL && spin_ok && few ? BATON_SPIN : 0;
}

/* Hand the baton to `next` and wait until it comes back. Under mu. */
/* Set while a thread gives way at ts.yield(): its switch is no preemption. */
static int yielding;

static void switch_to(Thread *self, Thread *next) {
  if (next == self) return;
  /* Where a runnable thread lost the GIL: the line a lost update splits. */
  if (self->runq_idx >= 0) TRACE(self, EV_PREEMPT, NULL, next, yielding);
  TRACE(next, EV_RUN, NULL, self, self->runq_idx >= 0);
  baton_take(self, hand_over(self, next));
  sched_check(pthread_mutex_lock(&R->mu), "lock");
}

/* }====================================================== */

/*
** {======================================================
** The GIL under --sched os
** =======================================================
*/

/*
** Threads that want the GIL queue for it in arrival order, each on its own
** condition variable, so that a hand-over wakes one thread, not all of
** them. Only the head of the queue keeps time: when it has waited a whole
** switch interval and nobody else took the GIL meanwhile, it asks the
** holder to drop it. As in CPython, the switch count is read afresh at
** each wait, or a switch that happened before would silence the request.
*/
static void gil_take(Thread *self) {
  if (R->gil != NULL || R->gil_head != NULL) {
    self->gil_next = NULL;
    if (R->gil_tail) R->gil_tail->gil_next = self; else R->gil_head = self;
    R->gil_tail = self;
    R->gil_waiters++;
    int64_t slice = (int64_t)(R->opt.switch_interval * 1e9);
    while (R->gil != NULL || R->gil_head != self) {
      uint64_t seen = R->gil_switches;
      if (R->gil_head != self) {
        sched_check(pthread_cond_wait(&self->cv, &R->mu), "wait");
        continue;
      }
      struct timespec ts = abs_time(sched_now() + slice);
      int rc = pthread_cond_timedwait(&self->cv, &R->mu, &ts);
      sched_check(rc == ETIMEDOUT ? 0 : rc, "timedwait");
      if (rc == ETIMEDOUT && R->gil != NULL && R->gil_switches == seen)
        atomic_store(&R->drop_request, 1);
    }
    R->gil_head = self->gil_next;
    if (R->gil_head == NULL) R->gil_tail = NULL;
    else sched_check(pthread_cond_signal(&R->gil_head->cv), "signal");   /* the new head keeps time */
    R->gil_waiters--;
  }
  R->gil = self;
  R->gil_switches++;
  TRACE(self, EV_RUN, NULL, self, 0);
  atomic_store(&R->drop_request, 0);
  sched_check(pthread_cond_broadcast(&gil_switch_cv), "broadcast");
}

static void gil_drop(void) {
  R->gil = NULL;
  if (R->gil_head != NULL) sched_check(pthread_cond_signal(&R->gil_head->cv), "signal");
}

/* Give the GIL away and take it back only after somebody else had it. */
static void gil_yield(Thread *self) {
  /* Another runnable thread may not have asked for the GIL yet: wait for
     it all the same, or a yielding loop starves it of the mutex. */
  if (R->gil_waiters == 0 && R->nlive - R->nblocked <= 1) return;
  uint64_t seen = R->gil_switches;
  gil_drop();
  while (R->gil_switches == seen) sched_check(pthread_cond_wait(&gil_switch_cv, &R->mu), "wait");
  gil_take(self);
}

/* }====================================================== */

void sched_init(const SchedHooks *h) {
  hooks = *h;
  race_set_footprint(sched_touch_id);
  pthread_mutexattr_t ma;
  sched_check(pthread_mutexattr_init(&ma), "mutexattr_init");
#ifdef TSBOX_DEBUG
  sched_check(pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK), "mutexattr_settype");
#endif
  sched_check(pthread_mutex_init(&R->mu, &ma), "mutex_init");
  pthread_condattr_t ca;
  sched_check(pthread_condattr_init(&ca), "condattr_init");
  sched_check(pthread_condattr_setclock(&ca, CLOCK_MONOTONIC), "condattr_setclock");
  sched_check(pthread_cond_init(&gil_switch_cv, &ca), "cond_init");
  sched_check(pthread_cond_init(&R->end_cv, &ca), "cond_init");
  R->t0 = sched_mono_ns();
  cpu_set_t cpus;
  if (sched_getaffinity(0, sizeof cpus, &cpus) == 0 && CPU_COUNT(&cpus) > 0)
    ncores = CPU_COUNT(&cpus);
  stats.on = getenv("TSBOX_BATON_STATS") != NULL;
  sched_carry_init();
}

/*
** Everything that depends on the run's seed or schedule prefix. It comes
** after the universe is built, so that an explorer can build it once and
** fork a child per run that starts here.
*/
void sched_seed(Thread *main) {
  seed_rng(R->opt.seed);
  R->ndfs = 0;
  R->ntrace = R->nenabled = R->ntouches = 0;
  R->trace_full = 0;
  if (R->opt.sched == POL_DFS) dfs_record(&main, 1, 0, 0, 0, CHOICE_NONE);
  for (const char *p = R->opt.dfs_prefix; p && *p;) {
    char *end;
    unsigned long step = strtoul(p, &end, 10);
    if (*end != '.') break;
    unsigned long choice = strtoul(end + 1, &end, 10);
    if (R->ndfs % 64 == 0) {
      R->dfs_steps = realloc(R->dfs_steps, (size_t)(R->ndfs + 64) * sizeof *R->dfs_steps);
      R->dfs_choices = realloc(R->dfs_choices, (size_t)(R->ndfs + 64) * sizeof *R->dfs_choices);
      if (!R->dfs_steps || !R->dfs_choices) abort();
    }
    R->dfs_steps[R->ndfs] = (uint32_t)step;
    R->dfs_choices[R->ndfs++] = (uint16_t)choice;
    p = *end == ',' ? end + 1 : end;
  }
  if (R->opt.sched == POL_PCT) {
    uint64_t k = R->opt.pct_steps ? R->opt.pct_steps : 1;
    for (int j = 0; j < R->opt.depth - 1 && j < 16; j++)
      R->pct_change[j] = 1 + sched_random() % k;
  }
  main->prio = initial_priority();
  /* Threads leave their carriers where no observer follows the switches. */
  R->carry = carry_built && (R->opt.sched == POL_RANDOM || R->opt.sched == POL_RR ||
                             R->opt.sched == POL_PCT) &&
             !access_enabled && !race_enabled && !trace_enabled && !R->opt.timeline;
}

/*
** Only an infinite timeout waits forever: a long finite sleep or timeout
** ends, however far the clock has to jump (a thread sleeping 1e10 s is not
** deadlocked). Deadlines saturate at SCHED_DEADLINE_MAX, far enough from
** INT64_MAX that the clock can still move past it.
*/
int64_t sched_deadline(double timeout) {
  if (timeout == HUGE_VAL) return -1;
  if (!(timeout >= 0)) timeout = 0;   /* negative, or NaN from C callers */
  int64_t now = sched_now();
  if ((double)now + timeout * 1e9 >= (double)SCHED_DEADLINE_MAX) return SCHED_DEADLINE_MAX;
  return now + (int64_t)(timeout * 1e9 + 0.5);
}

void sched_enter(Thread *self) {
  if (run_deterministic()) {
    baton_take(self, 0);   /* MainThread was handed its baton by run.c */
    if (self != R->main) sched_touch_thread(self, TLOC_START, TOUCH_RECV);   /* after its start */
    return;
  }
  sched_check(pthread_mutex_lock(&R->mu), "lock");
  gil_take(self);
  sched_check(pthread_mutex_unlock(&R->mu), "unlock");
}

/* A thread became unable to go on, and so did every other: end the run. */
static _Noreturn void no_runnable_thread(Thread *self) {
  sched_check(pthread_mutex_unlock(&R->mu), "unlock");
  hooks.stuck(self);
  abort();   /* the hook ends the run */
}

void sched_point(Thread *self, SchedPoint why) {
  sched_check(pthread_mutex_lock(&R->mu), "lock");
  if (run_deterministic()) {
    Thread *next = pick(self, why);
    yielding = why == SP_YIELD;
    if (next != NULL) switch_to(self, next);
    yielding = 0;
  } else if (why == SP_YIELD || atomic_load(&R->drop_request)) {
    gil_yield(self);
  }
  sched_check(pthread_mutex_unlock(&R->mu), "unlock");
}

WakeReason sched_block(Thread *self, const Waitable *w, const char *op,
                       int64_t deadline) {
  TRACE(self, EV_BLOCK, w, NULL, deadline < 0 ? -1 : (int)(deadline / 1000));
  sched_check(pthread_mutex_lock(&R->mu), "lock");
  self->state = TS_BLOCKED;
  self->wake = WAKE_NONE;
  self->blocked_on = w;
  self->block_op = op;
  self->deadline = deadline;
  R->nblocked++;
  if (deadline < 0) R->nstuck++;
  if (run_deterministic()) {
    runq_remove(self);
    if (deadline >= 0) heap_push(self);
    Thread *next = pick(self, SP_PREEMPT);
    if (next == NULL) no_runnable_thread(self);
    switch_to(self, next);
  } else {
    if (R->nstuck == R->nlive) no_runnable_thread(self);
    gil_drop();
    int expired = 0;
    while (self->state == TS_BLOCKED && !expired) {
      if (deadline < 0) {
        sched_check(pthread_cond_wait(&self->cv, &R->mu), "wait");
      } else {
        struct timespec ts = abs_time(deadline);
        int rc = pthread_cond_timedwait(&self->cv, &R->mu, &ts);
        sched_check(rc == ETIMEDOUT ? 0 : rc, "timedwait");
        expired = rc == ETIMEDOUT;
      }
    }
    gil_take(self);
    /* Thread states change only under the GIL: a wake that came while
       this thread waited for the GIL wins over its timeout. */
    if (self->state == TS_BLOCKED) {
      self->state = TS_RUNNABLE;
      self->wake = WAKE_TIMEOUT;
      R->nblocked--;
    }
  }
  self->blocked_on = NULL;
  self->block_op = NULL;
  if (self->wake == WAKE_SIGNAL) sched_touch_thread(self, TLOC_WAKE, TOUCH_RECV);   /* after its waker */
  WakeReason why = self->wake;
  sched_check(pthread_mutex_unlock(&R->mu), "unlock");
  TRACE(self, why == WAKE_TIMEOUT ? EV_TIMEOUT : EV_WAKE, w, NULL, 0);
  return why;
}

void sched_wake(Thread *t) {
  TRACE(run_self, EV_SIGNAL, NULL, t, 0);
  sched_touch_thread(t, TLOC_WAKE, TOUCH_SEND);
  sched_check(pthread_mutex_lock(&R->mu), "lock");
  if (t->state == TS_BLOCKED) {
    if (t->deadline < 0) R->nstuck--;
    R->nblocked--;
    t->state = TS_RUNNABLE;
    t->wake = WAKE_SIGNAL;
    if (run_deterministic()) {
      heap_remove(t);
      runq_add(t);
    } else {
      sched_check(pthread_cond_signal(&t->cv), "signal");
    }
  } else if (t->state == TS_RUNNABLE && t->wake == WAKE_TIMEOUT) {
    t->wake = WAKE_SIGNAL;   /* signalled before it saw its timeout */
  }
  sched_check(pthread_mutex_unlock(&R->mu), "unlock");
}

/*
** Every blocked thread sleeps on a futex of its own. Since Linux 6.16 a
** process hashes its private futexes into a table sized by the number of
** CPUs, not threads (16 buckets on two cores), and a wake-up walks its
** whole bucket: with thousands of sleeping threads every hand-over would
** cost time proportional to their number. Grow the table with the
** threads; older kernels refuse the request, and have a large global one.
*/
#ifndef PR_FUTEX_HASH
#define PR_FUTEX_HASH 78
#define PR_FUTEX_HASH_SET_SLOTS 1
#endif
#define FUTEX_SLOTS_MIN 256

static void futex_table_fit(int nthreads) {
  if (nthreads < FUTEX_SLOTS_MIN || (nthreads & (nthreads - 1)) != 0) return;
  prctl(PR_FUTEX_HASH, PR_FUTEX_HASH_SET_SLOTS, (unsigned long)nthreads * 2, 0UL, 0UL);
}

/*
** The run is over and an explorer's worker goes on to its next one: every
** other thread that has a POSIX thread waits for the baton; tell each that
** it never comes (the `abandoned` hook takes it out of the run). Called by
** the baton's holder, holding no lock.
*/
void sched_abandon_others(Thread *self) {
  for (int i = 0; i < R->nthreads; i++) {
    Thread *t = R->threads[i];
    if (t == self || t->state == TS_NEW || t->state == TS_DONE || t->suspended) continue;
    atomic_store(&t->baton, BATON_ABANDON);
    futex_wake(&t->baton);
  }
  /* Idle carriers leave; suspended threads have no POSIX thread to tell. */
  sched_check(pthread_mutex_lock(&R->mu), "lock");
  Carrier *idle = R->idle;
  R->idle = NULL;
  sched_check(pthread_mutex_unlock(&R->mu), "unlock");
  while (idle != NULL) {
    Carrier *c = idle;
    idle = c->idle_next;
    c->idle_next = c->idle_prev = NULL;
    c->idle = 0;
    carrier_tell(c, CARRIER_LEAVE, NULL);
  }
  yielding = 0;
}

void sched_spawn(Thread *t) {
  sched_touch_thread(t, TLOC_START, TOUCH_SEND);      /* the new thread starts after this */
  sched_touch_thread(t, TLOC_ALIVE, TOUCH_WRITE);    /* it is alive now */
  sched_touch(&R->threads, TOUCH_WRITE);   /* what enumerate() reads */
  sched_check(pthread_mutex_lock(&R->mu), "lock");
  futex_table_fit(R->nlive + 1);
  t->prio = initial_priority();
  t->state = TS_RUNNABLE;
  t->draws_gap = 1;   /* installing its hook draws its first gap */
  R->nlive++;
  if (run_deterministic()) runq_add(t);
  sched_check(pthread_mutex_unlock(&R->mu), "unlock");
}

Thread *sched_exit(Thread *self, Carrier *c) {
  TRACE(self, EV_EXIT, NULL, NULL, 0);
  sched_touch_thread(self, TLOC_ALIVE, TOUCH_WRITE);    /* is_alive() and results read it */
  sched_touch_thread(self, TLOC_EXIT, TOUCH_SEND);    /* every join returns after this */
  sched_check(pthread_mutex_lock(&R->mu), "lock");
  self->state = TS_DONE;
  R->nlive--;
  sched_check(pthread_mutex_unlock(&R->mu), "unlock");
  waitq_wake(&self->joiners, -1);
  sched_check(pthread_mutex_lock(&R->mu), "lock");
  if (run_deterministic()) {
    runq_remove(self);
    Thread *next = pick(self, SP_PREEMPT);
    if (next == NULL) no_runnable_thread(self);
    TRACE(next, EV_RUN, NULL, self, 0);
    /* The carrier started for this thread may go, if it is idle. */
    Carrier *home = self->home != c && self->home != NULL && self->home->idle ? self->home : NULL;
    if (home) idle_remove(home);
    baton_moves(next);
    sched_check(pthread_mutex_unlock(&R->mu), "unlock");
    if (home) carrier_tell(home, CARRIER_LEAVE, NULL);
    /* a suspended thread: this carrier goes on with it */
    return next->suspended ? next : carrier_free(c, next);
  } else {
    if (R->nlive > 0 && R->nstuck == R->nlive) no_runnable_thread(self);
    gil_drop();
  }
  sched_check(pthread_mutex_unlock(&R->mu), "unlock");
  return NULL;
}

/*
** Waiting outside tsbox, for input (the interactive prompt). Under --sched
** os the other threads take the GIL meanwhile; the deterministic
** schedulers keep it, so that no schedule depends on when a line arrives.
*/
void sched_outside(void) {
  if (run_deterministic()) return;
  sched_check(pthread_mutex_lock(&R->mu), "lock");
  gil_drop();
  sched_check(pthread_mutex_unlock(&R->mu), "unlock");
}

void sched_inside(Thread *self) {
  if (!run_deterministic()) sched_enter(self);
}

/*
** {======================================================
** Preemption: the count hook
** =======================================================
*/

/*
** The hook's events: line events too when a timeline is being written.
** Call events always, though they do nothing: Lua makes room on the stack
** for a hook at each call, so a stack grows at the same moment whether
** hooks then run at every instruction (--race, --timeline) or rarely, and
** the universe's allocations, hence its addresses, stay the same.
*/
static int hook_mask(void) {
  return LUA_MASKCOUNT | LUA_MASKCALL | (R->opt.timeline ? LUA_MASKLINE : 0);
}

static void count_hook(lua_State *L, lua_Debug *ar);

/*
** Arming the count hook costs a walk over every Lua frame of the stack
** (lua_sethook marks each one for tracing), so re-arming it with a new
** gap at every preemption point makes deep recursion quadratic. The hook
** is re-armed only when its count changes; and on a deep stack, where the
** random policies (random gaps) would change it at every point, it fires
** at every instruction instead and counts the gap down itself: the switch
** points are the same, at a bounded cost per instruction.
*/
static void arm_hook(lua_State *L, Thread *self) {
  lua_Debug ar;
  int count = access_arm(L, self->gap);   /* 1 under --race: it counts itself */
  int gaps_vary = R->opt.sched == POL_RANDOM || R->opt.sched == POL_PCT;
  if (count > 1 && gaps_vary && lua_getstack(L, SCHED_DEEP_STACK, &ar)) count = 1;
  /* counted per Lua thread, as Lua counts: a coroutine has its own */
  if (count == 1 && !race_enabled) access_count_self(L, self->gap);
  if (lua_gethook(L) != count_hook || lua_gethookcount(L) != count)
    lua_sethook(L, count_hook, hook_mask(), count);
}

/* Plain Lua calls a suspended thread may have above its body; past them
   it keeps its carrier (checking more would cost a walk per switch). */
#if !defined(CARRY_MAX_FRAMES)
#define CARRY_MAX_FRAMES 64
#endif

/*
** Whether `self` may leave its carrier at this preemption point: its own
** coroutine (not one it resumed) with only plain Lua calls above its body,
** under a policy whose switches nothing else observes.
*/
static int may_leave(Thread *self, lua_State *L, int in_call) {
  if (!R->carry || !self->carry || L != self->co) return 0;
  if (carry_score < 0) {
    carry_scored(1);
    return 0;
  }
  return lua_isyieldable(L) && suspend_plain(L, self->body, CARRY_MAX_FRAMES, in_call);
}

/*
** A preemption point where `self` may leave its carrier: the same choice
** as sched_point's; on a switch the baton's record moves to `next` as
** hand_over would move it, and 1 tells the hook to yield. The carrier then
** resumes `next` itself or gives it the baton (sched_left).
*/
static int leave_point(Thread *self, SchedPoint why) {
  sched_check(pthread_mutex_lock(&R->mu), "lock");
  Thread *next = pick(self, why);
  if (next == NULL || next == self) {
    sched_check(pthread_mutex_unlock(&R->mu), "unlock");
    return 0;
  }
  TRACE(self, EV_PREEMPT, NULL, next, why == SP_YIELD);
  TRACE(next, EV_RUN, NULL, self, 1);
  baton_moves(next);
  if (next->suspended) carry_scored(1);
  self->suspended = why == SP_YIELD ? SUSPENDED_CALL : SUSPENDED_HOOK;
  self->carry_to = next;
  sched_check(pthread_mutex_unlock(&R->mu), "unlock");
  count(&stats.carried);
  return 1;
}

/*
** ts.yield() (and ts.sleep(0)): the same choice as sched_point's. Returns
** 1 when `self` left its carrier: the caller then yields its coroutine
** from its C call, which the resume ends with no results, as the call
** would have returned after sched_point.
*/
int sched_yield_point(Thread *self, lua_State *L) {
  if (run_deterministic() && may_leave(self, L, 1)) return leave_point(self, SP_YIELD);
  sched_point(self, SP_YIELD);
  return 0;
}

Thread *sched_left(Carrier *c, Thread *self) {
  if (self->suspended == SUSPENDED_HOOK) suspend_hide(self->co, &self->saved);
  Thread *next = self->carry_to;
  return next->suspended ? next : carrier_free(c, next);
}

/* What the count hook (or ts.yield) does after sched_point returns, for a
   thread resumed. */
void sched_resume(Thread *t) {
  if (t->suspended == SUSPENDED_HOOK) {
    t->draws_gap = 0;
    t->gap = draw_gap();
    arm_hook(t->co, t);
    suspend_unhide(t->co, &t->saved);
  } else {
    suspend_unhide_call(t->co);
  }
  t->suspended = 0;
}

static void count_hook(lua_State *L, lua_Debug *ar) {
  Thread *self = run_self;
  if (ar->event == LUA_HOOKCALL || ar->event == LUA_HOOKTAILCALL) return;
  if (ar->event == LUA_HOOKLINE) {
    if (trace_enabled && lua_getinfo(L, "S", ar) && strcmp(ar->source, "=[tsbox toolbox]") != 0)
      trace_line(self, ar->short_src, ar->currentline);
    return;
  }
  if (race_enabled) {
    if (access_tick(L)) { access_track(L, ar); return; }
  } else if (lua_gethookcount(L) == 1 && access_tick(L)) {
    return;   /* stepping */
  }
  R->steps += (uint64_t)self->gap;
  hooks.tick(self);
  if (R->opt.sched == POL_POS && access_enabled) {
    /* what this thread will touch next decides whether this is a choice */
    self->npending = 0;
    access_peek(L, ar);
  }
  if (run_deterministic()) {
    /* pos stops at every instruction: charge it what random's mean
       quantum of 16 instructions costs, per instruction */
    R->now += R->opt.sched == POL_POS ? SCHED_QUANTUM_COST_NS / 16 : SCHED_QUANTUM_COST_NS;
    self->draws_gap = 1;
    if (may_leave(self, L, 0)) {
      if (leave_point(self, SP_PREEMPT)) {
        lua_yield(L, 0);      /* Lua unwinds to the carrier's lua_resume */
        return;
      }
    } else {
      sched_point(self, SP_PREEMPT);
    }
    self->draws_gap = 0;
    self->gap = draw_gap();
  } else if (atomic_load(&R->drop_request)) {
    sched_point(self, SP_PREEMPT);
  }
  arm_hook(L, self);
  if (access_enabled) access_track(L, ar);
}

void sched_install_hook(lua_State *L, Thread *self) {
  self->gap = draw_gap();
  int count = access_arm(L, self->gap);
  if (count == 1 && !race_enabled) access_count_self(L, self->gap);
  lua_sethook(L, count_hook, hook_mask(), count);
}

/* }====================================================== */

/*
** {======================================================
** Wait queues
** =======================================================
*/

void waitq_push(WaitQ *q, Thread *t) {
  t->wq = q;
  t->wq_next = NULL;
  t->wq_prev = q->tail;
  if (q->tail) q->tail->wq_next = t; else q->head = t;
  q->tail = t;
  q->n++;
}

void waitq_remove(WaitQ *q, Thread *t) {
  if (t->wq != q) return;
  if (t->wq_prev) t->wq_prev->wq_next = t->wq_next; else q->head = t->wq_next;
  if (t->wq_next) t->wq_next->wq_prev = t->wq_prev; else q->tail = t->wq_prev;
  t->wq = NULL;
  t->wq_next = t->wq_prev = NULL;
  q->n--;
}

Thread *waitq_pop(WaitQ *q) {
  Thread *t = q->head;
  if (t) waitq_remove(q, t);
  return t;
}

/* Wake the n oldest waiters (all with n < 0); returns how many. */
int waitq_wake(WaitQ *q, int n) {
  int k = 0;
  while ((n < 0 || k < n) && q->head != NULL) {
    sched_wake(waitq_pop(q));
    k++;
  }
  return k;
}

/* }====================================================== */
