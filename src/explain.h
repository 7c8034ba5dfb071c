/*
** explain.h: --explain, the failing interleaving drawn one column per
** thread (explain.c). It observes a run; it never changes its schedule.
*/
#ifndef TSBOX_EXPLAIN_H
#define TSBOX_EXPLAIN_H

#include <stdio.h>

#include "run.h"

/* Before the run starts: watch its accesses and primitive events. */
void explain_init(void);
/* At its end: draw how it went wrong (or say it did not fail). */
void explain_print(FILE *out);

#endif
