/*
** replay.h: the replay token, the one name of a schedule that reports
** print and --replay reads. replay.c is its only writer and only reader.
**
**   r:SEED[:qN]            random
**   p:SEED:dD:kK[:qN]      pct
**   pos:SEED               pos
**   rr[:qN]                rr
**   d:qN[:STEP.CHOICE,...] dfs: the choices that differ from the default
*/
#ifndef TSBOX_REPLAY_H
#define TSBOX_REPLAY_H

#include "run.h"

/* The default mean quantum of random and pct, which tokens leave out. */
#if !defined(REPLAY_DEFAULT_QUANTUM)
#define REPLAY_DEFAULT_QUANTUM 16
#endif

/*
** The token of a run under options `o`. Under dfs the choices come from
** the run's transitions (`trace`, `ntrace`), or when there are none from
** o->dfs_prefix. Returns a string the caller frees; it is never cut short.
*/
char *replay_encode(const Options *o, const Choice *trace, int ntrace);

/*
** Set the scheduler and its parameters in `o` from `tok`. *quantum_given
** is set when the token names a quantum. Returns NULL, or what is wrong
** with the token (a static string).
*/
const char *replay_decode(const char *tok, Options *o, int *quantum_given);

/* A whole number as tokens (and seeds) are written: decimal or 0x hex,
   no sign. Returns 0, or -1 when `s` is not one. */
int replay_number(const char *s, uint64_t *out);

#endif
