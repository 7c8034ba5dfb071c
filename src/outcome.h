/*
** outcome.h: how a run turns out. The record of its failures (the first
** in time decides the exit status), the one stack walker that says where
** a thread stands, the end of the run, and what running out of memory in
** tsbox's own bookkeeping means. The lowest module of the run: it calls
** no other file of tsbox; the run registers what it needs at init.
*/
#ifndef TSBOX_OUTCOME_H
#define TSBOX_OUTCOME_H

#include <stddef.h>

#include "run.h"

/*
** What the layers above do at two moments, registered by the run before
** anything can fail:
**   end(code)              end the run (never returns): run.c's run_finish;
**   recorded(t, kind)      a failure was recorded (the event trace notes it).
*/
typedef struct OutcomeHooks {
  void (*end)(int code);
  void (*recorded)(Thread *t, const char *kind);
} OutcomeHooks;

void outcome_init(const OutcomeHooks *hooks);
/* Record a failure of `kind` by `t` with exit status `code`; the run goes on. */
void outcome_failure(int code, const char *kind, Thread *t, const char *msg);
/* End the run with exit status `code` (the first failure's, if any). */
_Noreturn void outcome_end(int code);

/*
** The innermost frame of `co` with a current line, skipping the toolbox's
** own frames when `skip_toolbox` is set; 0 when there is none.
*/
int outcome_frame(lua_State *co, int skip_toolbox, lua_Debug *ar);
/* The innermost Lua position of a thread, "file:line" (outside the
   toolbox), or "?" ("(after the main chunk)" for MainThread). */
void outcome_position(Thread *t, char *buf, size_t n);

/* Allocation for tsbox's own bookkeeping: on failure, "tsbox: out of
   memory" and exit 4 (a limit hit). outcome_calloc's memory is zeroed. */
void *outcome_calloc(size_t n, size_t size);
void *outcome_realloc(void *p, size_t n);
char *outcome_strdup(const char *s);

#endif
