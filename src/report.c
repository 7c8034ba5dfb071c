/*
** report.c: how tsbox writes what it tells the user: a report's header
** line, the replay command that shows the same run again, names made safe
** for a terminal, JSON strings, report files, a single run's --json. It
** only formats and prints: it records nothing and never ends the run (the
** reports that do are halt.c's). Written by the thread holding the GIL.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"
#include "report.h"
#include "sched.h"

char *report_replay_token(void) { return replay_encode(&R->opt, R->trace, R->ntrace); }

/* Print a command-line word, quoted for a POSIX shell when needed. */
void report_shell_word(FILE *f, const char *s) {
  if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=+,@%") == strlen(s)) {
    fputs(s, f);
    return;
  }
  fputc('\'', f);
  for (; *s; s++) {
    if (*s == '\'') fputs("'\\''", f); else fputc(*s, f);
  }
  fputc('\'', f);
}

/*
** What a run runs, as command-line words: the lua interpreter's options
** (-e, -l, -W, -E, -i), then the script and its arguments.
*/
void report_target(FILE *f, const Options *o) {
  const char *sep = "";
  int said_i = 0;
  /* The limits the run had, when not the defaults: without them a replay
     of a run that hit one could run for ever. */
  if (o->max_steps != (o->sched == POL_OS ? 0 : DEFAULT_MAX_STEPS)) {
    fprintf(f, "--max-steps %llu", (unsigned long long)o->max_steps);
    sep = " ";
  }
  if (o->timeout > 0) {
    fprintf(f, "%s--timeout %g", sep, o->timeout);
    sep = " ";
  }
  if (o->max_threads != DEFAULT_MAX_THREADS) {
    fprintf(f, "%s--max-threads %d", sep, o->max_threads);
    sep = " ";
  }
  if (o->max_memory != DEFAULT_MAX_MEMORY) {
    fprintf(f, "%s--max-memory %zu", sep, o->max_memory);
    sep = " ";
  }
  for (int i = 0; i < o->nluaopts; i++) {
    fprintf(f, "%s-%c", sep, o->luaopts[i].opt);
    sep = " ";
    said_i |= o->luaopts[i].opt == 'i';
    if (o->luaopts[i].value == NULL) continue;
    fputc(' ', f);
    report_shell_word(f, o->luaopts[i].value);
  }
  if (o->interactive && !said_i) {       /* the prompt that no script implies */
    fprintf(f, "%s-i", sep);
    sep = " ";
  }
  for (int i = 0; i < o->script_argc; i++) {
    fputs(sep, f);
    sep = " ";
    report_shell_word(f, o->script_argv[i]);
  }
}

/* "  label: tsbox [--race ][flag]--replay TOKEN script args", for this run. */
static void replay_command(FILE *f, const char *label, const char *flag) {
  const Options *o = &R->opt;
  char *tok = report_replay_token();
  fprintf(f, "  %s: tsbox %s%s--replay %s ", label, o->race ? "--race " : "", flag, tok);
  free(tok);
  report_target(f, o);
  fputc('\n', f);
}

void report_replay_line(FILE *f) {
  if (R->opt.sched == POL_OS) {
    fputs("  replay: not reproducible under --sched os; explore with --sched random\n", f);
    return;
  }
  replay_command(f, "replay", "");
}

void report_next_steps(FILE *f) {
  if (R->opt.sched == POL_OS || R->opt.explain) return;
  replay_command(f, "explain", "--explain ");
  if ((R->opt.sched != POL_DFS || R->opt.preemptions != 0) && !R->opt.interactive)
    replay_command(f, "minimize", "--minimize ");
}

void report_header(FILE *f, const char *what) {
  if (R->opt.sched == POL_RR || R->opt.sched == POL_DFS)
    fprintf(f, "tsbox: %s (sched %s, quantum %d, step %llu)\n", what,
            run_sched_name(R->opt.sched), R->opt.quantum, (unsigned long long)R->steps);
  else
    fprintf(f, "tsbox: %s (seed 0x%llx, sched %s, step %llu)\n", what,
            (unsigned long long)R->opt.seed, run_sched_name(R->opt.sched),
            (unsigned long long)R->steps);
}

/*
** The length of the well-formed UTF-8 sequence at `s` (RFC 3629: no
** overlong forms, no surrogates, nothing past U+10FFFF), or 0.
*/
static int utf8_len(const unsigned char *s) {
  unsigned c = s[0];
  int n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
  if (n == 0 || c > 0xf4) return 0;
  for (int i = 1; i < n; i++)
    if ((s[i] & 0xc0) != 0x80) return 0;
  if (c == 0xe0 && s[1] < 0xa0) return 0;             /* overlong */
  if (c == 0xed && s[1] >= 0xa0) return 0;            /* surrogate */
  if (c == 0xf0 && s[1] < 0x90) return 0;             /* overlong */
  if (c == 0xf4 && s[1] >= 0x90) return 0;            /* past U+10FFFF */
  return n;
}

/*
** A JSON string. Names, outcomes and messages are whatever bytes a script
** gave; JSON is UTF-8, so each byte that starts no well-formed sequence
** becomes U+FFFD (\ufffd), as decoders replace it. '<' is escaped too, so
** the text is safe inside <script>.
*/
void report_json_string(FILE *f, const char *s) {
  fputc('"', f);
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
    else if (c == '\n') fputs("\\n", f);
    else if (c == '\t') fputs("\\t", f);
    else if (c < 0x20 || c == '<' || c == 0x7f) fprintf(f, "\\u%04x", c);
    else if (c < 0x80) fputc(c, f);
    else {
      int n = utf8_len((const unsigned char *)s);
      if (n == 0) {
        fputs("\\ufffd", f);
      } else {
        fwrite(s, 1, (size_t)n, f);
        s += n - 1;
      }
    }
  }
  fputc('"', f);
}

/*
** A name or label for a terminal report: control characters (ESC, newline,
** ...) as C escapes, so a name cannot move the cursor or forge report
** lines. Returns `s` itself when it is clean, else one of a few rotating
** per-thread buffers (several may appear in one printf).
*/
#define SAFE_BUFS 4
#define SAFE_LEN 512
const char *report_safe(const char *s) {
  static _Thread_local char bufs[SAFE_BUFS][SAFE_LEN];
  static _Thread_local int next;
  const char *p = s;
  while (*p && (unsigned char)*p >= 0x20 && *p != 0x7f) p++;
  if (*p == '\0') return s;
  char *b = bufs[next++ % SAFE_BUFS];
  size_t n = 0;
  for (p = s; *p && n + 5 < SAFE_LEN; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == '\n') n += (size_t)snprintf(b + n, SAFE_LEN - n, "\\n");
    else if (c == '\t') n += (size_t)snprintf(b + n, SAFE_LEN - n, "\\t");
    else if (c == '\r') n += (size_t)snprintf(b + n, SAFE_LEN - n, "\\r");
    else if (c < 0x20 || c == 0x7f) n += (size_t)snprintf(b + n, SAFE_LEN - n, "\\x%02x", c);
    else b[n++] = (char)c;
  }
  b[n] = '\0';
  return b;
}

/* A report file: opened for writing, or NULL after saying why. */
FILE *report_file_open(const char *path) {
  FILE *f = fopen(path, "w");
  if (f == NULL) fprintf(stderr, "tsbox: cannot write %s: %s\n", path, strerror(errno));
  return f;
}

/* Close a report file; -1, after saying why, if any of it was not written. */
int report_file_close(FILE *f, const char *path) {
  int bad = ferror(f);
  int err = bad ? errno : 0;
  if (fclose(f) != 0 && !bad) {
    bad = 1;
    err = errno;
  }
  if (bad) fprintf(stderr, "tsbox: cannot write %s: %s\n", path, strerror(err ? err : EIO));
  return bad ? -1 : 0;
}

/* The fields of a failure, for JSON objects: kind, thread, where, message. */
void report_json_failure(FILE *f, const Failure *x) {
  fputs("\"kind\": ", f);
  report_json_string(f, x->kind);
  fputs(", \"thread\": ", f);
  report_json_string(f, x->thread);
  fputs(", \"where\": ", f);
  report_json_string(f, x->where);
  fputs(", \"message\": ", f);
  report_json_string(f, x->message);
}

/* --json for a single run: the exploration report's shape, with one run. */
int report_json_run(int code) {
  FILE *f = report_file_open(R->opt.json);
  if (f == NULL) return -1;
  char *tok = report_replay_token();
  fprintf(f, "{\"tsbox\": \"%s\", \"script\": ", TSBOX_VERSION);
  report_json_string(f, run_script_name());
  fprintf(f, ", \"sched\": \"%s\", \"seed_first\": %llu, \"runs\": 1, \"exit_status\": %d,"
          " \"exhausted\": false, \"steps\": %llu, \"virtual_time_s\": %.6f,\n  \"outcomes\": [{\"outcome\": ",
          run_sched_name(R->opt.sched), (unsigned long long)R->opt.seed, code,
          (unsigned long long)R->steps, run_deterministic() ? (double)sched_now() / 1e9 : 0.0);
  report_json_string(f, R->outcome ? R->outcome : "(not recorded)");
  fputs(", \"runs\": 1, \"replay\": ", f);
  report_json_string(f, tok);
  fputs("}],\n  \"failures\": [", f);
  for (int i = 0; i < R->nfailures; i++) {
    fputs(i ? ",\n    {" : "\n    {", f);
    report_json_failure(f, &R->failures[i]);
    fputs(", \"runs\": 1, \"first_run\": 1, \"replay\": ", f);
    report_json_string(f, tok);
    fputc('}', f);
  }
  fputs("],\n  \"first_failure\": ", f);
  if (R->nfailures == 0) {
    fputs("null", f);
  } else {
    fputs("{\"run\": 1, \"kind\": ", f);
    report_json_string(f, R->failures[0].kind);
    fputs(", \"replay\": ", f);
    report_json_string(f, tok);
    fputc('}', f);
  }
  fputs("}\n", f);
  free(tok);
  return report_file_close(f, R->opt.json);
}
