/*
** report.h: the pieces every report is written with: header line, replay
** command, safe names, JSON strings, report files (halt.h has the reports
** that end a run).
*/
#ifndef TSBOX_REPORT_H
#define TSBOX_REPORT_H

#include <stdio.h>

#include "run.h"

void report_json_string(FILE *f, const char *s);
const char *report_safe(const char *s);
FILE *report_file_open(const char *path);
int report_file_close(FILE *f, const char *path);
int report_json_run(int code);
void report_json_failure(FILE *f, const Failure *x);
void report_header(FILE *f, const char *what);
/* This run's replay token (replay.c), for the caller to free. */
char *report_replay_token(void);
void report_replay_line(FILE *f);
/* After a failed run's report: the commands that explain and minimize it. */
void report_next_steps(FILE *f);
void report_shell_word(FILE *f, const char *s);
void report_target(FILE *f, const Options *o);

#endif
