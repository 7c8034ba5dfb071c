/*
** outcome.c: how a run turns out: its failures, where a thread stands
** when one happens, the end of the run, and out-of-memory. It owns the
** failure record of `R` (failures, first_failure) and writes nothing
** else; it calls no other file of tsbox, only the hooks the run gave it.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outcome.h"

static OutcomeHooks hooks;

void outcome_init(const OutcomeHooks *h) { hooks = *h; }

void outcome_failure(int code, const char *kind, Thread *t, const char *msg) {
  if (R->first_failure == 0) R->first_failure = code;
  if (hooks.recorded) hooks.recorded(t, kind);
  if (R->nfailures == MAX_FAILURES) return;
  Failure *f = &R->failures[R->nfailures++];
  char where[256];
  outcome_position(t, where, sizeof where);
  f->kind = kind;
  f->code = code;
  f->thread = strdup(t ? t->name : "?");
  f->where = strdup(where);
  f->message = strdup(msg);
}

_Noreturn void outcome_end(int code) {
  if (hooks.end) hooks.end(code);   /* the run registers it before it starts */
  abort();
}

/*
** {======================================================
** The stack walker
** =======================================================
*/

int outcome_frame(lua_State *co, int skip_toolbox, lua_Debug *ar) {
  for (int level = 0; lua_getstack(co, level, ar); level++) {
    lua_getinfo(co, "Sl", ar);
    /* The toolbox's own frames are tsbox internals: show the caller. */
    if (ar->currentline > 0 && !(skip_toolbox && strcmp(ar->source, "=[tsbox toolbox]") == 0))
      return 1;
  }
  return 0;
}

void outcome_position(Thread *t, char *buf, size_t n) {
  lua_Debug ar;
  snprintf(buf, n, t == R->main ? "(after the main chunk)" : "?");
  if (t == NULL || t->co == NULL) return;
  if (outcome_frame(t->co, 1, &ar)) snprintf(buf, n, "%s:%d", ar.short_src, ar.currentline);
}

/* }====================================================== */

static _Noreturn void out_of_memory(void) {
  fputs("tsbox: out of memory\n", stderr);
  exit(EXIT_LIMIT);
}

void *outcome_calloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (p == NULL) out_of_memory();
  return p;
}

void *outcome_realloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (q == NULL) out_of_memory();
  return q;
}

char *outcome_strdup(const char *s) {
  char *d = strdup(s);
  if (d == NULL) out_of_memory();
  return d;
}
