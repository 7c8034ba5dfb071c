/*
** thread.h: creating tsbox threads and running a function as a thread's
** body (used for spawned threads and for the main chunk alike).
*/
#ifndef TSBOX_THREAD_H
#define TSBOX_THREAD_H

#include "run.h"

Thread *thread_new(const char *name);
void thread_push(lua_State *L, Thread *t);
void thread_adopt_main(lua_State *L, Thread *t);
int thread_call(lua_State *co, Thread *t, int nargs, int is_main);
/* The coroutine library's view of started threads' coroutines (at build). */
void thread_guard_coroutines(lua_State *L);
/* A worker's runs (run.c): leave a run's thread for good; wait for them
   all; keep and put back this file's state beside R. */
_Noreturn void thread_abandon(void);
void thread_wait_all_gone(void);
void thread_keep_posix(void);
void thread_snapshot(void);
void thread_restore(int keep);
/* Run the functions registered with ts._register_atexit. */
void thread_run_atexit(lua_State *L, Thread *self);

#endif
