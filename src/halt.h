/*
** halt.h: the reports of a run that cannot go on (deadlock, limits,
** interrupt), with where every thread stands.
*/
#ifndef TSBOX_HALT_H
#define TSBOX_HALT_H

#include "run.h"

/* No thread can run again: the report, and the failure recorded. */
void halt_deadlock(Thread *self);
/* A limit was hit: the report, then the end of the run (exit 4). */
_Noreturn void halt_limit(Thread *self, const char *what, const char *option);
/* The Lua heap hit --max-memory (the allocator refused a request). */
_Noreturn void halt_memory_limit(Thread *self);
_Noreturn void halt_interrupt(Thread *self, const char *signame);

#endif
