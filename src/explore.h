/*
** explore.h: exploration over many schedules (--runs), each run in a
** child process; the child reports its result through explore_write_result.
*/
#ifndef TSBOX_EXPLORE_H
#define TSBOX_EXPLORE_H

#include "run.h"

/* dfs runs until the space is exhausted; without --runs, this cap only
   keeps an endless model from running forever, and the summary says when
   it was hit. */
#if !defined(DFS_DEFAULT_RUNS)
#define DFS_DEFAULT_RUNS 1000000
#endif

int explore_fork(int *code);
int explore_merge(int nfiles, char **files, const char *json_out);
void explore_write_result(void);
int explore_worker_done(int final);
int explore_worker_next(void);

#endif
