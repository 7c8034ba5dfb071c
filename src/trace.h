/*
** trace.h: scheduling and primitive events, printed with --trace and
** kept for --timeline. Emitting costs one branch when neither is on.
*/
#ifndef TSBOX_TRACE_H
#define TSBOX_TRACE_H

#include "run.h"

typedef enum {
  EV_START,      /* `other` was started by `t` */
  EV_EXIT,
  EV_RUN,        /* `t` got the GIL from `other`; flag: `other` was preempted */
  EV_BLOCK,      /* waits on `w` (NULL: sleeps) */
  EV_WAKE,
  EV_TIMEOUT,
  EV_SIGNAL,     /* `t` woke `other` */
  EV_ACQUIRE,
  EV_RELEASE,    /* flag: 0, or the levels Condition.wait let go of at once */
  EV_SET,
  EV_CLEAR,
  EV_NOTIFY,
  EV_PASS,       /* passed a barrier */
  EV_BREAK,      /* broke a barrier */
  EV_ERROR,      /* uncaught error */
  EV_CHECK,      /* failed check */
  EV_DEADLOCK,
  EV_LIMIT,
  EV_PREEMPT,    /* switched out while it could have gone on, at its position;
                    flag: it gave way at ts.yield() */
  EV_LINE,       /* --timeline: a new source line began (how a race unfolds) */
  EV_READ,       /* --race --timeline: a read of a shared location */
  EV_WRITE,      /* ... and a write */
  EV_NTYPES
} TraceType;

extern int trace_enabled;

/* Another reader of the events (--explain), registered before the run;
   src is the emitting thread's source position, or NULL. */
typedef void (*TraceObserver)(Thread *t, TraceType type, const Waitable *w, Thread *other,
                              int flag, const char *src, int line);
extern TraceObserver trace_observer;

void trace_open(void);
void trace_emit(Thread *t, TraceType type, const Waitable *w, Thread *other, int flag);
/* A failure of `kind` was recorded (the run registers it with outcome.c). */
void trace_failure(Thread *t, const char *kind);
int trace_close(void);
void trace_line(Thread *t, const char *src, int line);
/* --race with --timeline: an access of location `loc` ("balance -> 100");
   returns its sequence number, -1 when not recorded. */
int trace_access(Thread *t, int write, uint64_t loc, const char *src, int line, const char *text);
/* Accesses seq_a and seq_b of `loc` race; `what` names the location. */
void trace_race(uint64_t loc, int seq_a, int seq_b, const char *what);

#define TRACE(t, type, w, other, flag) \
  do { if (trace_enabled) trace_emit((t), (type), (w), (other), (flag)); } while (0)

#endif
