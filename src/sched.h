/*
** sched.h: the scheduler. It owns the GIL, decides which thread runs at
** each scheduling point, keeps the run clock and the timers, and notices
** when no thread can ever run again. Primitives talk to it only through
** these calls, always while holding the GIL.
*/
#ifndef TSBOX_SCHED_H
#define TSBOX_SCHED_H

#include <stdatomic.h>
#include <time.h>

#include "run.h"

/* Why a scheduling point happens; policies may treat them differently. */
typedef enum {
  SP_PREEMPT,    /* count hook: the thread could go on */
  SP_YIELD,      /* ts.yield(): prefer another thread */
  SP_START,      /* a thread was started */
  SP_RELEASE     /* a primitive released or signalled something */
} SchedPoint;

/* Cost charged to the virtual clock for each executed quantum. */
#define SCHED_QUANTUM_COST_NS 10000

/* Call depth from which the count hook steps through every instruction
   rather than being re-armed at each preemption point. */
#if !defined(SCHED_DEEP_STACK)
#define SCHED_DEEP_STACK 64
#endif

/*
** What the scheduler tells the run, through hooks the run registers at
** init (calls go down; the ground never calls the roof by name):
**   stuck(self)  no thread can run again: the run ends (never returns);
**   tick(self)   a quantum went by: the run's limits and signals are
**                checked (it returns, or ends the run);
**   abandoned(self)  the run ended while `self` waited for the baton
**                (sched_abandon_others): it leaves the run for good.
*/
typedef struct SchedHooks {
  void (*stuck)(Thread *self);
  void (*tick)(Thread *self);
  void (*abandoned)(Thread *self);
} SchedHooks;

void sched_init(const SchedHooks *hooks);
void sched_abandon_others(Thread *self);
/* A pthread call on an internal mutex or condition variable returned rc:
   anything but 0 is impossible, so tsbox says what and aborts. */
void sched_check(int rc, const char *what);
void sched_seed(Thread *main);

/* The monotonic clock, in ns. */
static inline int64_t sched_mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The run clock, in ns: virtual under the deterministic schedulers, real
   under os. A read of the run's state, so observers below the scheduler
   (trace.c, report.c) may tell the time without calling it. */
static inline int64_t sched_now(void) {
  return run_deterministic() ? R->now : sched_mono_ns() - R->t0;
}
/* Latest deadline, in ns of the run clock (about 146 years). */
#ifndef SCHED_DEADLINE_MAX
#define SCHED_DEADLINE_MAX ((int64_t)1 << 62)
#endif
int64_t sched_deadline(double timeout);

/*
** A carrier: a POSIX thread that runs tsbox threads (thread.c starts one
** for each Thread:start()). Under random, rr and pct, a thread preempted
** in plain Lua code leaves its carrier (its coroutine yields from the
** count hook, or from ts.yield()) and whichever carrier is free when it is
** picked again resumes it: switching among busy threads then costs no OS context
** switch. A thread waiting inside a C function (a lock, a join, a hook
** that could not yield) keeps its carrier. A carrier with nothing to run
** waits here (idle) until it is handed a suspended thread, or leaves
** once the thread it was started for has ended.
*/
typedef struct Carrier {
  atomic_int word;           /* CARRIER_WAIT, CARRIER_RUN (`job` set), CARRIER_LEAVE */
  Thread *job;
  Thread *home;              /* the thread it was started for */
  struct Carrier *idle_next, *idle_prev;
  int idle;                  /* in R->idle */
} Carrier;

/* Whether this build can carry threads (Lua's layouts checked). */
void sched_carry_init(void);
/* The count hook of `self` yielded: `c`, its carrier, is free. Returns
   the thread `c` resumes next (after sched_resume), or NULL: it leaves. */
Thread *sched_left(Carrier *c, Thread *self);
/* `t`, suspended, is about to be resumed on this POSIX thread. */
void sched_resume(Thread *t);
/* ts.yield() in `self`'s coroutine L: 1 when the caller must yield L. */
int sched_yield_point(Thread *self, lua_State *L);

void sched_enter(Thread *self);
void sched_point(Thread *self, SchedPoint why);
WakeReason sched_block(Thread *self, const Waitable *w, const char *op,
                       int64_t deadline);
void sched_wake(Thread *t);
void sched_spawn(Thread *t);
/* `self` ended on carrier `c`: returns the thread `c` resumes next, or
   NULL: it leaves. */
Thread *sched_exit(Thread *self, Carrier *c);
/* Around a wait for input: the GIL goes to others under --sched os only. */
void sched_outside(void);
void sched_inside(Thread *self);
void sched_install_hook(lua_State *L, Thread *self);

/* Wait queues; all under the GIL. */
void waitq_push(WaitQ *q, Thread *t);
void waitq_remove(WaitQ *q, Thread *t);
Thread *waitq_pop(WaitQ *q);
int waitq_wake(WaitQ *q, int n);

uint64_t sched_random(void);
/* With TSBOX_BATON_STATS set: what the run's hand-overs cost. */
void sched_baton_stats(FILE *f);

/*
** --sched dfs: the running thread touched a location (a primitive, a
** thread, or a shared Lua location by its identity); the explorer's
** partial-order reduction orders only transitions that touch the same
** location, one of them writing. A no-op under other schedulers.
*/
void sched_touch(const void *loc, int kind);
/* A thread's own locations: started, alive (is_alive, results), exited
   (what a join waits for), woken. */
enum { TLOC_START, TLOC_ALIVE, TLOC_EXIT, TLOC_WAKE };
void sched_touch_thread(const Thread *t, int what, int kind);
void sched_touch_id(uint64_t loc, int kind);

/*
** --sched pos looks at the instruction a thread is about to execute before
** it decides who runs: while this is set, an access is only noted as the
** thread's pending footprint (race.c then does nothing else with it).
*/
extern int sched_peeking;
/* A primitive operation is about to touch `obj`: under pos, a choice. */
void sched_visible(const void *obj, int kind);

#endif
