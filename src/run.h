/*
** run.h: one run of a scenario: the options it was started with, the
** Lua universe, every tsbox thread and the scheduler state they share.
** A process holds at most one run; `R` points at it.
*/
#ifndef TSBOX_RUN_H
#define TSBOX_RUN_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include <lua.h>

#include "suspend.h"

#define TSBOX_VERSION "0.1.0"

typedef struct Thread Thread;

/* Scheduler policies (--sched). */
typedef enum { POL_RANDOM, POL_RR, POL_OS, POL_PCT, POL_DFS, POL_POS } SchedKind;

/* Exit status of a run, as SPEC §2 defines it. */
enum {
  EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_DEADLOCK = 3, EXIT_LIMIT = 4
};

/* Why the watcher asks the running thread to end the run. */
enum { STOP_NONE, STOP_TIMEOUT, STOP_INTERRUPT };
#define EXIT_INTERRUPT 130
/* Ended by signal `sig` (SIGINT, SIGTERM, SIGHUP): 128 + sig, as shells do. */
#define EXIT_SIGNAL(sig) (128 + (sig))

/* A worker's word to the explorer (explore.c): blocked in every thread. */
#define RUN_SIG_WORD (SIGRTMIN + 2)

/* Life cycle of a thread. */
typedef enum { TS_NEW, TS_RUNNABLE, TS_BLOCKED, TS_DONE } ThreadState;

/* Why a blocked thread became runnable again. */
typedef enum { WAKE_NONE, WAKE_SIGNAL, WAKE_TIMEOUT } WakeReason;

/*
** The first member of every primitive: what a thread blocked on it is
** waiting for, for deadlock reports and traces. `owner` is kept up to date
** by primitives that have one (locks) and is NULL otherwise.
*/
typedef struct Waitable {
  uint64_t magic;            /* PRIM_MAGIC | the class's tag (prim.h) */
  const char *kind;          /* "Lock", "Condition", "Thread", ... */
  char name[64];
  Thread *owner;
} Waitable;

/* An intrusive FIFO of blocked threads; touched only under the GIL. */
typedef struct WaitQ {
  Thread *head, *tail;
  int n;
} WaitQ;

/*
** One touch of a transition's footprint. READ and WRITE name a location;
** SEND and RECV name an edge that orders two transitions without making
** them a race (a start and the new thread's first step, a wake-up and
** the woken thread's return), since the second can never come first.
** ACQUIRE and RELEASE write a lock: two acquisitions race; a release
** races only with a look at the lock, and orders the next acquisition
** (the two are never possible at once). ATTEMPT is an acquisition that
** had to wait: it races as one, but changes nothing (it may never end).
*/
enum { TOUCH_READ, TOUCH_WRITE, TOUCH_SEND, TOUCH_RECV, TOUCH_ACQUIRE, TOUCH_RELEASE,
       TOUCH_ATTEMPT };
typedef struct Touch {
  uint64_t loc;              /* a location's or an edge's identity */
  uint32_t kind;
  uint32_t pad;
} Touch;

/* pos: touches kept per instruction (one rarely has more than two). */
#define POS_TOUCHES 4

/* How a thread left its carrier (sched.h): from its count hook, or from
   a C call (ts.yield) whose return the resume makes. */
enum { SUSPENDED_HOOK = 1, SUSPENDED_CALL = 2 };

struct Thread {
  int ident;                 /* 1 for MainThread, then in start order */
  int serial;                /* creation order, 1-based; index into R->threads */
  char *name;
  ThreadState state;
  WakeReason wake;
  int daemon;
  pthread_cond_t cv;         /* the thread parks here under --sched os */
  atomic_int baton;          /* deterministic: 1 when this thread may run */
  atomic_int parked;         /* deterministic: asleep on `baton` */
  atomic_int native_id;      /* the OS thread id, 0 until it runs */
  lua_State *co;             /* its coroutine of the universe */
  /* blocking */
  const Waitable *blocked_on;  /* NULL while sleeping */
  const char *block_op;        /* "acquire", "wait", "join", "sleep" */
  int64_t deadline;            /* ns on the run clock, -1 for none */
  int heap_idx;                /* position in the timer heap, -1 if none */
  int runq_idx;                /* position in the runnable set, -1 if none */
  WaitQ *wq;                   /* the queue this thread waits in */
  Thread *wq_next, *wq_prev;
  /* joining */
  Waitable done_w;           /* joiners block on this */
  WaitQ joiners;
  int gap;                   /* current preemption gap (VM instructions) */
  Thread *gil_next;          /* --sched os: next in the queue for the GIL */
  int draws_gap;             /* draws a new gap when it gets the baton back */
  uint64_t prio;             /* pct: priority, higher runs first */
  int yielded;               /* dfs: gave way at ts.yield(); waits for another's progress */
  /* pos: the footprint of the instruction the thread is about to execute,
     and of the visible one it was last chosen for */
  Touch pending[POS_TOUCHES], chosen[POS_TOUCHES];
  int npending, nchosen;
  /* carrying (sched.h): the thread yielded at a preemption point and no
     POSIX thread holds it */
  int carry;                 /* it may leave its carrier: a default-sized stack */
  int suspended;             /* SUSPENDED_HOOK or SUSPENDED_CALL (ts.yield), or 0 */
  Thread *carry_to;          /* whom it handed the baton to as it left */
  struct Carrier *home;      /* the carrier started for it */
  const void *body;          /* its body's call record (suspend.c) */
  SuspendSaved saved;
};

/*
** An option of the lua interpreter's (-e, -l, -W, -E, -i), kept in
** command-line order: -e, -l and -W act in that order before the script,
** and all of them land in `arg` below the script, as lua puts them.
*/
typedef struct LuaOpt {
  char opt;                  /* 'e', 'l', 'W', 'E' or 'i' */
  const char *value;         /* -e's chunk, -l's [global=]module; NULL for the others */
} LuaOpt;

/* The limits' defaults (a replay command repeats any other value). */
#if !defined(DEFAULT_MAX_STEPS)
#define DEFAULT_MAX_STEPS 1000000000ull    /* under the deterministic schedulers */
#endif
#if !defined(DEFAULT_MAX_THREADS)
#define DEFAULT_MAX_THREADS 10000
#endif
#if !defined(DEFAULT_MAX_MEMORY)
#define DEFAULT_MAX_MEMORY ((size_t)4 << 30)
#endif

typedef struct Options {
  uint64_t seed;
  int seed_given;
  SchedKind sched;
  int quantum;               /* mean VM instructions between preemptions */
  double switch_interval;    /* seconds, --sched os */
  int quiet, verbose;
  const char *script;        /* NULL without one ("-" is stdin) */
  int script_argc;
  char **script_argv;        /* argv[0] is the script name */
  LuaOpt *luaopts;           /* the lua interpreter's options, in order */
  int nluaopts;
  int no_env;                /* -E: no LUA_INIT, LUA_PATH, LUA_CPATH */
  int interactive;           /* -i, or no script on a terminal: the prompt */
  uint64_t max_steps;        /* 0: none */
  int max_threads;
  size_t max_memory;         /* bytes, 0: none */
  double timeout;            /* seconds, 0: none */
  /* exploration (explore.c) */
  int runs, jobs, stop_on_failure;
  const char *json;          /* --json FILE */
  int shard_i, shard_n;      /* --shard i/n, 0/0 for none */
  int depth;                 /* pct: priority change points + 1 */
  uint64_t pct_steps;        /* pct: k, the expected number of steps */
  int preemptions;           /* dfs: preemption bound, -1 for none */
  int no_reduction;          /* dfs: every order of the points, no DPOR */
  int runs_default;          /* dfs: --runs was not given */
  const char *dfs_prefix;    /* dfs: "step.choice,..." choices off the default */
  int result_fd;             /* > 0: a child of the explorer reports here */
  int progress;
  int trace;                 /* --trace */
  const char *timeline;      /* --timeline FILE */
  int race;                  /* --race */
  int explain;               /* --explain */
  int minimize;              /* --minimize (with --replay) */
} Options;

/* One failure of a run, for the report, the JSON and the explorer. */
typedef struct Failure {
  const char *kind;          /* "error", "check", "deadlock", "race", "limit" */
  int code;                  /* exit status it stands for */
  char *thread, *where, *message;
} Failure;

#define MAX_FAILURES 64

/*
** A transition, recorded under --sched dfs: at a scheduling point a thread
** is chosen among the enabled ones and runs until the next point; what it
** touched meanwhile (shared locations, primitives) is its footprint, from
** which the explorer's partial-order reduction (dpor.c) computes which
** other orders are worth running.
*/
#define CHOICE_NONE UINT32_MAX  /* `step` of a point where one thread could run */
typedef struct Choice {
  uint32_t step;             /* index among the points that had a choice */
  uint32_t thread;           /* serial of the thread chosen */
  uint32_t en, fp;           /* offsets into the run's enabled and touch lists */
  uint16_t n, chosen, dflt;  /* n enabled threads (serial order); indices */
  uint8_t preempts;          /* choosing another thread is a preemption */
  uint8_t pad;
  uint32_t nfp;              /* touches in the footprint */
} Choice;


/* Past this many transitions a run stops recording (dfs then never claims
   that it exhausted the space). */
#if !defined(DFS_MAX_TRANSITIONS)
#define DFS_MAX_TRANSITIONS (1 << 22)
#endif

typedef struct Run {
  Options opt;
  lua_State *L;
  lua_State *Lrep;           /* scratch stack for reports */
  /* every thread ever created, by serial */
  Thread **threads;
  int nthreads, cap_threads;
  int next_ident;
  int nlive;                 /* started and not yet done */
  int nstuck;                /* blocked with no deadline */
  int nblocked;              /* blocked, with or without a deadline */
  Thread *main;
  /* scheduler state, under `mu` */
  pthread_mutex_t mu;
  Thread *running;           /* deterministic: the baton holder */
  Thread **runq;             /* runnable set */
  int nrunq, cap_runq;
  Thread **heap;             /* timers, ordered by (deadline, serial) */
  int nheap, cap_heap;
  int64_t now;               /* virtual clock, ns */
  int64_t t0;                /* real clock origin, ns */
  uint64_t steps;            /* VM instructions executed */
  uint64_t points;           /* scheduling points passed */
  uint64_t rng[4];
  uint64_t choice_steps;     /* scheduling points with more than one choice */
  uint64_t pct_change[16];   /* pct: steps at which priorities drop */
  uint32_t *dfs_steps;       /* dfs: the prefix, as (step, choice) pairs */
  uint16_t *dfs_choices;
  int ndfs;
  Choice *trace;             /* dfs: every transition taken */
  int ntrace, cap_trace;
  uint32_t *enabled;         /* dfs: the enabled serials of each transition */
  int nenabled, cap_enabled;
  Touch *touches;            /* dfs: the footprints */
  int ntouches, cap_touches;
  int trace_full;            /* dfs: DFS_MAX_TRANSITIONS was reached */
  int nyielded;              /* dfs: threads with `yielded` set */
  /* --sched os: the GIL */
  Thread *gil;
  Thread *gil_head, *gil_tail;   /* threads waiting for the GIL, in order */
  int gil_waiters;
  uint64_t gil_switches;
  atomic_int drop_request;
  atomic_int stop_request;   /* STOP_TIMEOUT or STOP_INTERRUPT, from the watcher */
  atomic_int stop_signal;    /* the signal that asked the run or exploration to end */
  /* end of the run */
  pthread_cond_t end_cv;
  int ended, exit_code;
  int first_failure;         /* exit code of the first failure, 0 if none */
  Failure failures[MAX_FAILURES];
  int nfailures;
  char *outcome;             /* ts.outcome(...), NULL if never called */
  int nerrors;               /* uncaught errors */
  int nchecks;               /* failed ts.check calls */
  /* counters for default names, per kind in the order kinds were first named */
  int name_counter[16];
  const char *name_kinds[16];
  /* the run did what a worker's snapshot cannot undo (run.c) */
  int outside;
  /* carrying (sched.h), under `mu` */
  int carry;                 /* preemptions in plain Lua may move threads */
  struct Carrier *idle;      /* carriers waiting for a thread to resume */
} Run;

extern Run *R;
extern _Thread_local Thread *run_self;

/* Deterministic schedulers share a virtual clock and a seeded choice. */
#define run_deterministic() (R->opt.sched != POL_OS)

/*
** Anchors: a table of what tsbox relies on staying alive, out of every
** script's reach (error.c explains where). Integer slots below; thread.c
** adds each started thread under ANCHOR_THREAD0 + its serial.
** prim_push_anchors (prim.h) pushes the table.
*/
enum {
  ANCHOR_REPORTS = 1, ANCHOR_LOCKS = 2, ANCHOR_CLASSES = 3, ANCHOR_LOAD = 4, ANCHOR_LOADFILE = 5,
  ANCHOR_THREAD0 = 8          /* + a thread's serial: its object */
};

/* The scheduler's name, as --sched takes it. */
static inline const char *run_sched_name(SchedKind k) {
  static const char *const names[] = { "random", "rr", "os", "pct", "dfs", "pos" };
  return names[k];
}

/* The script's name in reports. */
static inline const char *run_script_name(void) {
  return R->opt.script ? R->opt.script : "(command line)";
}

/*
** What the layer above (the explorer) does at moments of a run; main.c
** wires them, so that run.c never calls up by name:
**   built(&code)  the universe is built: explore from here; returns 1 in a
**                 child, which goes on to run, 2 in a worker, a child that
**                 may run again from the same universe, 0 in the explorer,
**                 which has finished with exit status *code (NULL: just run);
**   finished()    the run has ended: a child reports its result (NULL: none);
**   done(final)   a worker's run ended with status `final` and touched
**                 nothing outside the universe: returns 1 when the worker
**                 goes on (it said so to the explorer), 0 when it exits;
**   next()        the universe is as built again: returns 1 with R->opt
**                 set for the worker's next run, 0 when there is none.
*/
typedef struct RunHooks {
  int (*built)(int *code);
  void (*finished)(void);
  int (*done)(int final);
  int (*next)(void);
} RunHooks;

int run_main(const Options *opt, const RunHooks *hooks);
_Noreturn void run_finish(int code);
const char *run_signal_name(int sig);

#endif
