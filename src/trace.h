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
  EV_RELEASE,
  EV_SET,
  EV_CLEAR,
  EV_NOTIFY,
  EV_PASS,       /* passed a barrier */
  EV_BREAK,      /* broke a barrier */
  EV_ERROR,      /* uncaught error */
  EV_CHECK,      /* failed check */
  EV_DEADLOCK,
  EV_LIMIT,
  EV_PREEMPT,    /* switched out while it could have gone on, at its position */
  EV_LINE,       /* --timeline: a new source line began (how a race unfolds) */
  EV_NTYPES
} TraceType;

extern int trace_enabled;

void trace_open(void);
void trace_emit(Thread *t, TraceType type, const Waitable *w, Thread *other, int flag);
int trace_close(void);
void trace_line(Thread *t, const char *src, int line);

#define TRACE(t, type, w, other, flag) \
  do { if (trace_enabled) trace_emit((t), (type), (w), (other), (flag)); } while (0)

#endif
