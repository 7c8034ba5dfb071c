/*
** dpor.h: dynamic partial-order reduction for --sched dfs (the explorer's
** side). Fed the transitions of each run, it keeps the search stack and
** names the next schedule to run, or says the space is exhausted.
*/
#ifndef TSBOX_DPOR_H
#define TSBOX_DPOR_H

#include "run.h"

/* A run as the child recorded it (run.h: Choice, Touch). */
typedef struct DporRun {
  const Choice *tr;
  int n;
  const uint32_t *enabled;
  int nenabled;
  const Touch *touches;
  int ntouches;
  int truncated;             /* the child stopped recording */
} DporRun;

typedef struct DporStats {
  int threads_max;           /* most threads seen in one run */
  int visible_max;           /* most transitions with a footprint in one run */
  int pending;               /* branches still to explore (0 once exhausted) */
  int cut_by_bound;          /* branches skipped for --preemptions */
  int truncated;             /* some run was too long to record whole */
  int naive;                 /* some run had too many threads for the reduction */
} DporStats;

typedef struct Dpor Dpor;

/* bound: --preemptions, or -1 for none; reduce: 0 explores every order of
   the scheduling points (no partial-order reduction). */
Dpor *dpor_new(int bound, int reduce);
/* The prefix ("step.choice,...") of the next run after `run`, which
   followed the previous prefix; NULL when the space is exhausted. */
char *dpor_next(Dpor *d, const DporRun *run);
void dpor_stats(const Dpor *d, DporStats *s);
/*
** Take the earliest branch left instead of the latest. The branches a
** later node had are then found again from the runs below the new
** choice, not kept: what a search for one failure wants (it reaches the
** start of the run sooner), not an exhaustive one.
*/
void dpor_shallow_first(Dpor *d);
void dpor_free(Dpor *d);

#endif
