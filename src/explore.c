/*
** explore.c: exploration (--runs). MainThread builds the universe once
** (libraries, module, compiled script) and then, instead of running it,
** forks a child per run from that point: each child is a single-threaded
** copy that seeds itself and runs, its stdout and stderr captured in memory
** files and its result written to a third one.
** The parent runs up to --jobs children at once, keeps every result by run
** index, and summarises in seed order, so the summary does not depend on
** --jobs. Under --sched dfs it drives the systematic search: each run's
** recorded choices give the next prefix. This file never touches Lua.
*/
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dpor.h"
#include "explore.h"
#include "json.h"
#include "replay.h"
#include "report.h"

typedef struct Result {
  int done, code;
  char *label;         /* outcome, or stdout when none was recorded */
  char *kind;          /* first failure's kind, NULL if the run passed */
  char *message;
  char *token;         /* replay token */
  uint64_t steps;
  Choice *trace;       /* dfs only: the run's transitions, */
  int ntrace;
  uint32_t *enabled;   /* their enabled sets */
  int nenabled;
  Touch *touches;      /* and their footprints */
  int ntouches;
  int truncated;       /* the child stopped recording */
  int reported;        /* the child wrote its result record */
} Result;

typedef struct Slot {
  pid_t pid;                 /* the child running this slot's runs, 0 if none */
  int index;
  int fd_out, fd_err, fd_res;
  const char *prefix;        /* dfs: the choices this run was given */
  int timed_out;             /* killed for outliving --timeout */
  int fd_cmd;                /* a worker's: the next run to make, written here */
  int idle;                  /* a worker waiting for its next run */
} Slot;

#define MAX_ROWS 20

static Options base;
static Result *results;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *xmalloc(size_t n) {
  void *p = calloc(1, n ? n : 1);
  if (p == NULL) { fputs("tsbox: out of memory\n", stderr); exit(EXIT_LIMIT); }
  return p;
}

static char *read_all(int fd, size_t *len) {
  off_t size = lseek(fd, 0, SEEK_END);
  char *buf = xmalloc((size_t)(size > 0 ? size : 0) + 1);
  size_t got = 0;
  lseek(fd, 0, SEEK_SET);
  while (size > 0 && got < (size_t)size) {
    ssize_t r = read(fd, buf + got, (size_t)size - got);
    if (r <= 0) break;
    got += (size_t)r;
  }
  buf[got] = '\0';
  if (len) *len = got;
  return buf;
}

/*
** {======================================================
** The child's side: the result record
** =======================================================
*/

static void put_string(FILE *f, char tag, const char *s) {
  fprintf(f, "%c %zu\n", tag, strlen(s));
  fwrite(s, 1, strlen(s), f);
  fputc('\n', f);
}

/* Called at the end of a run in an explorer's child. */
void explore_write_result(void) {
  if (R->opt.result_fd <= 0) return;
  int fd = dup(R->opt.result_fd);     /* a worker writes one record per run */
  FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
  if (f == NULL) {
    if (fd >= 0) close(fd);
    return;
  }
  fprintf(f, "S %llu\n", (unsigned long long)R->choice_steps);
  if (R->outcome) put_string(f, 'O', R->outcome);
  if (R->nfailures > 0) {
    put_string(f, 'K', R->failures[0].kind);
    put_string(f, 'M', R->failures[0].message);
  }
  char *tok = report_replay_token();
  put_string(f, 'R', tok);
  free(tok);
  if (R->opt.sched == POL_DFS) {
    fprintf(f, "T %d\n", R->ntrace);
    fwrite(R->trace, sizeof *R->trace, (size_t)R->ntrace, f);
    fputc('\n', f);
    fprintf(f, "N %d\n", R->nenabled);
    fwrite(R->enabled, sizeof *R->enabled, (size_t)R->nenabled, f);
    fputc('\n', f);
    fprintf(f, "F %d\n", R->ntouches);
    fwrite(R->touches, sizeof *R->touches, (size_t)R->ntouches, f);
    fputc('\n', f);
    fprintf(f, "X %d\n", R->trace_full);
  }
  fclose(f);
}

/* Parse the record back; strings are length-prefixed. */
static void parse_result(Result *r, char *buf, size_t len) {
  char *p = buf, *end = buf + len;
  while (p < end) {
    char tag = *p;
    char *nl = memchr(p, '\n', (size_t)(end - p));
    if (nl == NULL || p + 2 > end) break;
    unsigned long long v = strtoull(p + 2, NULL, 10);
    p = nl + 1;
    if (tag == 'S') { r->steps = v; continue; }
    if (tag == 'X') { r->truncated = v != 0; continue; }
    if (tag == 'T' || tag == 'N' || tag == 'F') {
      size_t elem = tag == 'T' ? sizeof(Choice) : tag == 'N' ? sizeof(uint32_t) : sizeof(Touch);
      if (v > (unsigned long long)INT32_MAX || (size_t)(end - p) / elem < v) break;
      size_t bytes = (size_t)v * elem;
      void *a = xmalloc(bytes);
      memcpy(a, p, bytes);
      p += bytes + 1;
      if (tag == 'T') { free(r->trace); r->trace = a; r->ntrace = (int)v; }
      else if (tag == 'N') { free(r->enabled); r->enabled = a; r->nenabled = (int)v; }
      else { free(r->touches); r->touches = a; r->ntouches = (int)v; }
      continue;
    }
    if ((size_t)(end - p) < v) break;
    char *s = xmalloc((size_t)v + 1);
    memcpy(s, p, (size_t)v);
    p += v + 1;
    switch (tag) {
      case 'O': free(r->label); r->label = s; break;
      case 'K': r->kind = s; break;
      case 'M': r->message = s; break;
      case 'R': r->token = s; r->reported = 1; break;
      default: free(s); break;
    }
  }
}

/* }====================================================== */

/*
** {======================================================
** Running one child
** =======================================================
*/

static int mkfd(const char *name) {
  int fd = memfd_create(name, MFD_CLOEXEC);
  if (fd < 0) { perror("tsbox: memfd_create"); exit(EXIT_LIMIT); }
  return fd;
}

static uint64_t seed_of(int index) { return base.seed + (uint64_t)index; }

/* Results of indexes below this may hold something (launch sets it). */
static int results_used;

/*
** {======================================================
** Workers: many runs in one process
** =======================================================
*/

/*
** A child forked for a run may stay for more: a worker. After each run
** it puts its universe back as it was built (run.c, alloc.c) and waits
** for the next run's index on a pipe; it tells the explorer that a run
** ended by a queued signal carrying the exit status (SIG_DONE). A run
** that reached outside the universe (run.c's R->outside), crashed or
** timed out ends its worker instead, as a run of its own process ends,
** and the next run gets a fresh one. Either way the explorer learns the
** same status and reads the same result, stdout and stderr, so a run's
** result never depends on which kind of process ran it.
**
** Only runs that watch nothing beyond the schedule are made by workers:
** random, pct and rr, without --race, --explain, --trace or --timeline
** (their observers keep state of their own). TSBOX_EXPLORE=fork makes
** every run a process of its own, for comparison.
*/
#define SIG_DONE RUN_SIG_WORD
#if !defined(WORKER_RUNS)
#define WORKER_RUNS 10000          /* a worker's runs before a fresh one takes over */
#endif

typedef struct Command { int32_t index; uint32_t pad; uint64_t pct_steps; } Command;

static int nforks;                 /* processes forked for runs (TSBOX_EXPLORE_STATS) */
static pid_t explorer;             /* in a child: the explorer's pid */
static int child_worker;           /* in a child: it may run again */
static int worker_cmd = -1, worker_res = -1, worker_runs;

/* A child's options for the run of index `index`, whether forked for it
   or a worker's next. */
static void child_options(int index, int result_fd, const char *prefix) {
  R->opt = base;
  R->opt.seed = seed_of(index);
  R->opt.result_fd = result_fd;
  R->opt.dfs_prefix = prefix;
  R->opt.runs = 0;
}

/* End a run and everything it started: its whole process group. */
static void end_group(Slot *s) {
  kill(-s->pid, SIGKILL);
  kill(s->pid, SIGKILL);
}

static int worker_ok(const Options *o) {
  const char *how = getenv("TSBOX_EXPLORE");
  if (how && strcmp(how, "fork") == 0) return 0;
  return (o->sched == POL_RANDOM || o->sched == POL_PCT || o->sched == POL_RR) && !o->race &&
         !o->explain && !o->trace && o->timeline == NULL && !o->interactive;
}

#if !defined(WORKER_GROWTH)
#define WORKER_GROWTH (256 << 20)  /* bytes a worker may grow by before a fresh one takes over */
#endif

/* Resident bytes of this process. */
static size_t resident(void) {
  unsigned long size = 0, rss = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (f == NULL) return 0;
  if (fscanf(f, "%lu %lu", &size, &rss) != 2) rss = 0;
  fclose(f);
  return (size_t)rss * (size_t)sysconf(_SC_PAGESIZE);
}

/*
** The run ended with `final`; go on unless the worker has run its share
** or grown (the arena gives back what a greedy run took, but a worker that
** grows all the same is not trusted with more runs).
*/
int explore_worker_done(int final) {
  static size_t first_rss;
  if (worker_runs == 0) first_rss = resident();
  if (++worker_runs >= WORKER_RUNS) return 0;
  if (worker_runs % 64 == 0 && resident() > first_rss + WORKER_GROWTH) return 0;
  union sigval v = { .sival_int = final & 0xff };
  return sigqueue(explorer, SIG_DONE, v) == 0;
}

/* The universe is back as built: set R->opt for the next run, if any. */
int explore_worker_next(void) {
  Command c = { 0, 0, 0 };
  size_t got = 0;
  while (got < sizeof c) {
    ssize_t n = read(worker_cmd, (char *)&c + got, sizeof c - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return 0;
    got += (size_t)n;
  }
  base.pct_steps = c.pct_steps;
  child_options(c.index, worker_res, NULL);
  return 1;
}

/* A worker ended (it was idle, or its run was collected): forget it. */
static void worker_gone(Slot *s) {
  close(s->fd_out);
  close(s->fd_err);
  close(s->fd_res);
  if (s->fd_cmd > 0) close(s->fd_cmd);
  s->fd_cmd = 0;
  s->pid = 0;
  s->idle = 0;
}

/* Give an idle worker its next run. */
static void worker_launch(Slot *s, int index) {
  for (int fd = s->fd_out; fd; fd = fd == s->fd_out ? s->fd_err : fd == s->fd_err ? s->fd_res : 0) {
    if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0) {
      perror("tsbox: a run's output");
      exit(EXIT_LIMIT);
    }
  }
  Command c = { index, 0, base.pct_steps };
  s->idle = 0;
  if (write(s->fd_cmd, &c, sizeof c) != (ssize_t)sizeof c) {
    /* The worker is gone: its death is reaped as this run's (no result). */
  }
}

/* End the idle workers: the exploration needs no more of them. */
static void workers_end(Slot *slots, int nslots) {
  for (int i = 0; i < nslots; i++) {
    if (slots[i].pid <= 0 || !slots[i].idle) continue;
    end_group(&slots[i]);
    while (waitpid(slots[i].pid, NULL, 0) < 0 && errno == EINTR) {}
    worker_gone(&slots[i]);
  }
}

/* }====================================================== */

/* Fork a run; returns 1 in the child, which goes on to run the scenario. */
static int launch(Slot *s, int index, const char *prefix) {
  if (results == NULL || index >= results_used) results_used = index + 1;
  s->index = index;
  s->prefix = prefix;
  s->timed_out = 0;
  if (s->pid > 0 && s->idle) {
    worker_launch(s, index);
    return 0;
  }
  s->fd_out = mkfd("stdout");
  s->fd_err = mkfd("stderr");
  s->fd_res = mkfd("result");
  int ok = prefix == NULL && worker_ok(&base), cmd[2] = { -1, -1 };
  if (ok && pipe2(cmd, O_CLOEXEC) != 0) ok = 0;
  explorer = getpid();
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) { perror("tsbox: fork"); exit(EXIT_LIMIT); }
  nforks++;
  if (pid == 0) {
    if (ok) {
      close(cmd[1]);
      child_worker = 1;
      worker_cmd = cmd[0];
    }
    /* Each run is a process group of its own, so that ending it ends what
       it started too (os.execute's children). Both sides set it: the
       explorer may have to kill the group before the child has run. */
    setpgid(0, 0);
    dup2(s->fd_out, 1);
    dup2(s->fd_err, 2);
    child_options(index, worker_res = dup(s->fd_res), prefix);
    pthread_mutex_init(&R->mu, NULL);
    atomic_store(&R->stop_request, STOP_NONE);
    atomic_store(&R->stop_signal, 0);
    /* A child has no watcher: the explorer ends it when it must. */
    sigset_t set;
    sigfillset(&set);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    return 1;
  }
  if (ok) close(cmd[0]);
  s->fd_cmd = ok ? cmd[1] : 0;
  setpgid(pid, pid);
  s->pid = pid;
  return 0;
}

/* Strip, join lines with " | ", and shorten a label for the table. */
static char *label_of_stdout(const char *out) {
  size_t n = strlen(out);
  while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' ')) n--;
  char *s = xmalloc(n * 3 + 1);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (out[i] == '\n') { memcpy(s + k, " | ", 3); k += 3; }
    else if (out[i] == '\t') s[k++] = ' ';
    else s[k++] = out[i];
  }
  s[k] = '\0';
  if (k == 0) { free(s); return strdup("(no output)"); }
  return s;
}

static int exit_code_of(const char *kind) {
  if (strcmp(kind, "deadlock") == 0) return EXIT_DEADLOCK;
  if (strcmp(kind, "limit") == 0) return EXIT_LIMIT;
  return EXIT_FAIL;
}

/*
** A run's label and message are kept until the summary, for every run: a
** long label (a run that prints megabytes) is cut to a sample and ends with
** its length and a 128-bit digest of the whole, so that runs still group by
** their full output while the explorer's memory does not grow with it; a
** long message is cut the same way. Shorter ones stay as they are.
*/
#if !defined(LABEL_MAX)
#define LABEL_MAX 1024
#endif
#define LABEL_SAMPLE 200

static uint64_t digest64(const unsigned char *p, size_t n, uint64_t h) {
  for (size_t i = 0; i < n; i++) {
    h = (h ^ p[i]) * 0x100000001b3u;
    h ^= h >> 29;
  }
  h ^= (uint64_t)n;
  h = (h ^ (h >> 33)) * 0xff51afd7ed558ccdu;
  h = (h ^ (h >> 33)) * 0xc4ceb9fe1a85ec53u;
  return h ^ (h >> 33);
}

static char *text_bound(char *text, int with_digest) {
  size_t n = text ? strlen(text) : 0;
  if (n <= LABEL_MAX) return text;
  size_t cut = LABEL_SAMPLE;
  while (cut > 0 && ((unsigned char)text[cut] & 0xc0) == 0x80) cut--;   /* whole UTF-8 */
  const unsigned char *u = (const unsigned char *)text;
  char tail[96];
  int k = with_digest
    ? snprintf(tail, sizeof tail, "... (%zu bytes, digest %016llx%016llx)", n,
               (unsigned long long)digest64(u, n, 0xcbf29ce484222325u),
               (unsigned long long)digest64(u, n, 0x84222325cbf29ce4u))
    : snprintf(tail, sizeof tail, "... (%zu bytes)", n);
  char *b = xmalloc(cut + (size_t)k + 1);
  memcpy(b, text, cut);
  memcpy(b + cut, tail, (size_t)k + 1);
  free(text);
  return b;
}

/* A run ended with `status` (its process's, or as its worker said). */
static void collect(Slot *s, int status, int worker_goes_on) {
  Result *r = &results[s->index];
  r->done = 1;
  if (WIFEXITED(status)) r->code = WEXITSTATUS(status);
  else r->code = EXIT_FAIL;
  size_t len;
  char *res = read_all(s->fd_res, &len);
  parse_result(r, res, len);
  free(res);
  /* What the child reported decides, not how it exited: a script may call
     os.exit(3), which is no deadlock. */
  if (s->timed_out) {
    char msg[96];
    snprintf(msg, sizeof msg, "timeout: %g s of wall time (--timeout)", base.timeout);
    free(r->kind); free(r->message);
    r->kind = strdup("limit");
    r->message = strdup(msg);
    r->code = EXIT_LIMIT;
  } else if (!WIFEXITED(status)) {
    char msg[64];
    snprintf(msg, sizeof msg, "killed by signal %d", WTERMSIG(status));
    r->kind = strdup("error");
    r->message = strdup(msg);
  } else if (r->reported && r->kind != NULL) {
    r->code = exit_code_of(r->kind);
  } else if (r->code != 0 && r->kind == NULL) {
    /* No failure reported: the script left through os.exit(code). */
    r->kind = strdup("error");
    char *err = read_all(s->fd_err, NULL);
    char *nl = strchr(err, '\n');
    if (nl) *nl = '\0';
    char msg[64];
    snprintf(msg, sizeof msg, "exited with status %d (os.exit)", r->code);
    r->message = strdup(*err == '\0' || r->reported ? msg
                        : strncmp(err, "tsbox: ", 7) == 0 ? err + 7 : err);
    free(err);
    r->code = EXIT_FAIL;
  }
  if (r->label == NULL) {
    if (r->kind && (strcmp(r->kind, "deadlock") == 0 || strcmp(r->kind, "limit") == 0)) {
      size_t n = strlen(r->kind) + 3;
      r->label = xmalloc(n);
      snprintf(r->label, n, "[%s]", r->kind);
    } else {
      char *out = read_all(s->fd_out, NULL);
      r->label = label_of_stdout(out);
      free(out);
    }
  }
  r->label = text_bound(r->label, 1);
  r->message = text_bound(r->message, 0);
  if (r->token == NULL) {
    /* The child died before it could say: name its schedule from here. */
    Options o = base;
    o.seed = seed_of(s->index);
    o.dfs_prefix = s->prefix;
    r->token = replay_encode(&o, NULL, 0);
  }
  if (worker_goes_on) s->idle = 1;
  else worker_gone(s);
}

/* Longest wait for a child before looking at timeouts and signals again. */
#define REAP_POLL_S 0.05

/*
** Wait for any child and return its slot, killing runs that outlive
** --timeout. Returns NULL when a signal asks the exploration to end (the
** watcher sets R->stop_signal): the caller then ends the runs in flight.
*/
static Slot *reap(Slot *slots, int nslots, const double *started) {
  for (;;) {
    if (atomic_load(&R->stop_signal)) return NULL;
    int status;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      for (int i = 0; i < nslots; i++) {
        if (slots[i].pid == pid) {
          if (slots[i].timed_out) kill(-pid, SIGKILL);   /* what it left behind */
          if (slots[i].idle) {   /* a worker between runs */
            worker_gone(&slots[i]);
            break;
          }
          collect(&slots[i], status, 0);
          return &slots[i];
        }
      }
      continue;
    }
    if (pid < 0 && errno != EINTR) return NULL;
    double t = now_s(), wait = REAP_POLL_S;
    for (int i = 0; i < nslots; i++) {
      if (base.timeout <= 0 || slots[i].pid <= 0 || slots[i].timed_out) continue;
      double left = started[i] + base.timeout - t;
      if (left <= 0) {
        slots[i].timed_out = 1;
        end_group(&slots[i]);
      } else if (left < wait) {
        wait = left;
      }
    }
    /* SIGCHLD is blocked in every thread (run.c): wait for it here. A child
       that ended since waitpid left it pending, so none is missed. */
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigaddset(&chld, SIG_DONE);
    struct timespec ts = { (time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9) };
    siginfo_t si;
    if (sigtimedwait(&chld, &si, &ts) != SIG_DONE) continue;
    /* A worker's run ended; a late word from a worker since ended is not. */
    for (int i = 0; i < nslots; i++) {
      if (slots[i].pid == si.si_pid && !slots[i].idle) {
        collect(&slots[i], W_EXITCODE(si.si_value.sival_int, 0), 1);
        return &slots[i];
      }
    }
  }
}

/* Interrupted: end every run in flight; their results are not counted. */
static void end_all(Slot *slots, int nslots) {
  for (int i = 0; i < nslots; i++) {
    if (slots[i].pid <= 0) continue;
    end_group(&slots[i]);
    while (waitpid(slots[i].pid, NULL, 0) < 0 && errno == EINTR) {}
    worker_gone(&slots[i]);
  }
}

/* }====================================================== */

/*
** {======================================================
** Systematic search (--sched dfs)
** =======================================================
*/

/*
** The search itself is dpor.c's; here a run's record becomes its input,
** and what the search says becomes the summary's last lines.
*/
static Dpor *search;

static char *dfs_next(Dpor *d, Result *r) {
  DporRun run = { r->trace, r->ntrace, r->enabled, r->nenabled, r->touches, r->ntouches,
                   r->truncated };
  /* A run that reported no transitions (it died first) counts as one leaf. */
  char *next = dpor_next(d, &run);
  free(r->trace); free(r->enabled); free(r->touches);
  r->trace = NULL; r->enabled = NULL; r->touches = NULL;
  return next;
}

/* How a dfs exploration ended, in words a user can act on. */
static void dfs_verdict(FILE *f, int runs, int exhausted, int nfail, const char *stopped) {
  DporStats st;
  dpor_stats(search, &st);
  if (exhausted && !st.truncated) {
    fprintf(f, "tsbox: dfs explored all %d executions (%d threads, %d visible operations max)", runs,
            st.threads_max, st.visible_max);
    if (st.cut_by_bound > 0)
      fprintf(f, " with at most %d preemptions (%d branches cut by the bound): %s\n", base.preemptions,
              st.cut_by_bound, nfail ? "failures found; not verified beyond the bound"
                                     : "no failure within the bound; not verified beyond it");
    else if (nfail)
      fprintf(f, ": %d failing\n", nfail);
    else
      fputs(": verified, no failure\n", f);
    return;
  }
  fprintf(f, "tsbox: dfs not exhausted: %s; %d execution%s explored, %d branch%s left",
          stopped ? stopped : "stopped early", runs, runs == 1 ? "" : "s", st.pending,
          st.pending == 1 ? "" : "es");
  if (st.truncated) fprintf(f, " (a run passed %d transitions and was not recorded whole)", DFS_MAX_TRANSITIONS);
  fputs("; nothing is verified\n", f);
}

/* }====================================================== */

/*
** {======================================================
** The simplest failing schedule (--minimize)
** =======================================================
*/

/*
** Does a run fail "the same way" as another: the same kind, and the same
** place. A check or an error names its position first ("race.lua:89: ...")
** and the values after it may differ (a counter that lost other updates);
** other messages (a race's pair of lines, a deadlock's cycle) must match
** once their numbers are set aside.
*/
static int same_failure(const char *k1, const char *m1, const char *k2, const char *m2) {
  if (k1 == NULL || k2 == NULL || strcmp(k1, k2) != 0) return 0;
  if (m1 == NULL || m2 == NULL) return m1 == m2;
  if (strcmp(k1, "race") == 0 || strcmp(k1, "lock-order") == 0) return strcmp(m1, m2) == 0;
  const char *c1 = strstr(m1, ": "), *c2 = strstr(m2, ": ");
  if (c1 && c2 && c1 > m1 && c1[-1] >= '0' && c1[-1] <= '9')
    return c1 - m1 == c2 - m2 && strncmp(m1, m2, (size_t)(c1 - m1)) == 0;
  for (;; m1++, m2++) {
    int d1 = *m1 >= '0' && *m1 <= '9', d2 = *m2 >= '0' && *m2 <= '9';
    if (d1 && d2) {
      while (m1[1] >= '0' && m1[1] <= '9') m1++;
      while (m2[1] >= '0' && m2[1] <= '9') m2++;
      continue;
    }
    if (*m1 != *m2) return 0;
    if (*m1 == '\0') return 1;
  }
}

/* Preemptions of a dfs run: switches away from a thread that could go on. */
static int preemptions_of(const Result *r) {
  int n = 0;
  for (int i = 0; i < r->ntrace; i++)
    n += r->trace[i].preempts && r->trace[i].chosen != r->trace[i].dflt;
  return n;
}

static void result_clear(Result *r) {
  free(r->label); free(r->kind); free(r->message); free(r->token);
  free(r->trace); free(r->enabled); free(r->touches);
  memset(r, 0, sizeof *r);
}

/* What a search for one failing schedule has found so far. */
typedef struct Hunt {
  const char *kind, *message;  /* the failure to match */
  int used;                    /* runs so far */
  int preempts;                /* of the match */
  char *found;                 /* its token */
  int child;                   /* set in a child, which goes on to run */
  int cut;                     /* the last search cut branches for its bound */
  double deadline;             /* now_s() past which it gives up; 0: none */
} Hunt;

/* One dfs search under preemption bound `bound`, for at most `limit` runs. */
static void hunt_bound(Hunt *h, int bound, int shallow, int limit) {
  Result one[1];
  memset(one, 0, sizeof one);
  Result *saved_results = results;
  results = one;
  base.preemptions = bound;
  Dpor *d = dpor_new(bound, 1);
  if (shallow) dpor_shallow_first(d);
  char *prefix = NULL;
  int runs = 0;
  do {
    Slot slot;
    memset(&slot, 0, sizeof slot);
    double started = now_s();
    if (launch(&slot, 0, prefix)) {   /* the child runs `prefix`: keep it */
      dpor_free(d);
      results = saved_results;
      h->child = 1;
      return;
    }
    if (reap(&slot, 1, &started) == NULL) {
      end_all(&slot, 1);
      break;
    }
    h->used++;
    runs++;
    Result *r = &one[0];
    if (r->kind && same_failure(h->kind, h->message, r->kind, r->message)) {
      h->preempts = preemptions_of(r);
      h->found = strdup(r->token);
    }
    free(prefix);
    prefix = h->found ? NULL : dfs_next(d, r);
    result_clear(r);
  } while (!h->found && prefix != NULL && runs < limit && !atomic_load(&R->stop_signal) &&
           (h->deadline <= 0 || now_s() < h->deadline));
  int unfinished = prefix != NULL;
  free(prefix);
  DporStats st;
  dpor_stats(d, &st);
  h->cut = st.cut_by_bound || unfinished;
  dpor_free(d);
  results = saved_results;
}

/*
** Search for the schedule with the fewest preemptions that fails like
** (kind, message): dfs with partial-order reduction under a preemption
** bound of 0, then 1, 2, ... (iterative context bounding), so the first
** match has the fewest preemptions the search reaches. At each bound the
** earliest branches are tried first (a failure early in the run is found
** in a few runs), then the latest (one late in the run). At most `budget`
** runs in all. In a child it returns with h->child set; the child goes on
** to run.
*/
static void minimize_search(Hunt *h, int budget) {
  Options saved = base;
  base.sched = POL_DFS;
  base.quantum = 1;
  base.runs = 0;
  base.json = NULL;
  for (int bound = 0; !h->found && !h->child && h->used < budget; bound++) {
    int cut = 0;
    for (int shallow = 1; shallow >= 0 && !h->found && !h->child && h->used < budget; shallow--) {
      if (atomic_load(&R->stop_signal)) break;
      int left = budget - h->used;
      hunt_bound(h, bound, shallow, shallow ? (left + 1) / 2 : left);
      cut |= h->cut;
    }
    if (atomic_load(&R->stop_signal) || !cut) break;   /* no larger bound finds more */
    if (h->deadline > 0 && now_s() >= h->deadline) break;
  }
  base = saved;
}

/* The command that replays `token` (with `flag` in front), as a report prints it. */
static void print_command(FILE *f, const char *label, const char *flag, const char *token,
                          const char *target) {
  fprintf(f, "%s tsbox %s%s--replay %s %s\n", label, base.race ? "--race " : "", flag,
          report_safe(token), target);
}

/* }====================================================== */

/*
** {======================================================
** Summary and JSON
** =======================================================
*/

typedef struct Group {
  const char *label;
  int runs, first;           /* first: run index from 0, over all shards */
  const char *token, *message;
} Group;

/* What a summary says; built from results, or from shards' JSON by merge. */
typedef struct Summary {
  const char *script, *sched;
  uint64_t seed_first, seed_last;
  int runs, total, jobs, exhausted, preemptions, quantum;
  double elapsed;
  Group *outcomes, *failures;
  int nout, nfail;
  int first_fail;            /* run index, -1 if nothing failed */
  const char *first_kind, *first_token;
  const char *target;        /* what a replay command runs: "script.lua args" */
  const char *stopped;       /* why it ended early, NULL if it did not */
  const char *minimized;     /* replay token of the first failure, minimized; or NULL */
  int minimized_preempts;
} Summary;

static int by_count(const void *a, const void *b) {
  const Group *x = a, *y = b;
  if (x->runs != y->runs) return y->runs - x->runs;
  return x->first - y->first;
}

/* Races group by their pair of source positions, which their message names. */
static int same_group(const Group *g, const char *label, const char *message) {
  if (strcmp(g->label, label) != 0) return 0;
  return strcmp(label, "race") != 0 || !message || !g->message || strcmp(g->message, message) == 0;
}

/* Add `runs` runs to the group `label`, keeping the earliest first run. */
static int group_add(Group *g, int ng, const char *label, int runs, int first,
                     const char *token, const char *message) {
  int k = 0;
  while (k < ng && !same_group(&g[k], label, message)) k++;
  if (k == ng) {
    g[ng] = (Group){ label, 0, first, token, message };
    ng++;
  }
  g[k].runs += runs;
  if (first < g[k].first) {
    g[k].first = first;
    g[k].token = token;
    g[k].message = message;
  }
  return ng;
}

static const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

static void summary_print(const Summary *S) {
  FILE *f = stderr;
  if (S->sched == NULL || S->script == NULL) return;
  int n = S->runs;
  int count[3] = { 0 };   /* error, check and race; deadlock; limit */
  for (int i = 0; i < S->nfail; i++) {
    const char *k = S->failures[i].label;
    count[strcmp(k, "deadlock") == 0 ? 1 : strcmp(k, "limit") == 0 ? 2 : 0] += S->failures[i].runs;
  }
  if (strcmp(S->sched, "dfs") == 0) {
    char bound[48] = "";
    if (S->preemptions >= 0) snprintf(bound, sizeof bound, ", preemptions <= %d", S->preemptions);
    fprintf(f, "tsbox: %d runs of %s (sched dfs%s%s, %d job%s) in %.2f s\n", n, base_name(S->script),
            base.no_reduction ? ", every order" : ", partial-order reduction", bound,
            S->jobs, S->jobs == 1 ? "" : "s", S->elapsed);
  } else
    fprintf(f, "tsbox: %d runs of %s (sched %s, seeds 0x%llx..0x%llx, %d job%s) in %.2f s\n", n,
            base_name(S->script), S->sched, (unsigned long long)S->seed_first,
            (unsigned long long)S->seed_last, S->jobs, S->jobs == 1 ? "" : "s", S->elapsed);
  int width = 24;
  for (int i = 0; i < S->nout; i++) {
    int len = (int)strlen(report_safe(S->outcomes[i].label));
    if (len > width) width = len > 60 ? 60 : len;
  }
  int by_seed = strcmp(S->sched, "random") == 0;
  fprintf(f, "  %-*s %7s %9s   %s\n", width, "outcome", "runs", "share",
          by_seed ? "first seed" : "first replay");
  int shown = S->nout > MAX_ROWS && !base.verbose ? MAX_ROWS - 1 : S->nout;
  for (int i = 0; i < shown; i++) {
    const Group *g = &S->outcomes[i];
    char first[64];
    uint64_t seed = S->seed_first + (uint64_t)g->first;
    if (by_seed) snprintf(first, sizeof first, "0x%llx", (unsigned long long)seed);
    else snprintf(first, sizeof first, "%.60s", g->token);
    const char *label = report_safe(g->label);
    int len = (int)strlen(label);
    double share = 100.0 * g->runs / (n ? n : 1);
    if (len > 60)
      fprintf(f, "  %.57s... %7d %7.1f %%   %s\n", label, g->runs, share, first);
    else
      fprintf(f, "  %-*s %7d %7.1f %%   %s\n", width, label, g->runs, share, first);
  }
  if (shown < S->nout) {
    int rest = 0;
    for (int i = shown; i < S->nout; i++) rest += S->outcomes[i].runs;
    char more[64];
    snprintf(more, sizeof more, "(%d more outcomes; -v lists all)", S->nout - shown);
    fprintf(f, "  %-*s %7d %7.1f %%\n", width, more, rest, 100.0 * rest / (n ? n : 1));
  }
  fprintf(f, "  failures: %d   deadlocks: %d   limits hit: %d\n", count[0], count[1], count[2]);
  for (int i = 0; i < S->nfail; i++) {
    const Group *g = &S->failures[i];
    fprintf(f, "  %-9s %6d runs, first run %d: %s\n", report_safe(g->label), g->runs, g->first + 1,
            g->message ? report_safe(g->message) : "");
    /* (a merge of shards knows --race from the kinds it reports) */
    int race = base.race || strcmp(g->label, "race") == 0 || strcmp(g->label, "lock-order") == 0;
    fprintf(f, "    replay: tsbox %s--replay %s %s\n", race ? "--race " : "", g->token, S->target);
    if (S->minimized && g->first == S->first_fail) {
      char label[64];
      snprintf(label, sizeof label, "    minimized (%d preemption%s):", S->minimized_preempts,
               S->minimized_preempts == 1 ? "" : "s");
      print_command(f, label, "", S->minimized, S->target);
      print_command(f, "    explain:", "--explain ", S->minimized, S->target);
    }
  }
  if (strcmp(S->sched, "dfs") == 0 && search != NULL)
    dfs_verdict(f, n, S->exhausted, count[0] + count[1] + count[2], S->stopped);
  else if (S->exhausted)
    fprintf(f, "  exhausted: every schedule explored\n");
  else if (S->stopped)
    fprintf(f, "  not exhausted: %s\n", S->stopped);
}

static int summary_json(const Summary *S, const char *path) {
  FILE *j = report_file_open(path);
  if (j == NULL) return -1;
  fprintf(j, "{\"tsbox\": \"%s\", \"script\": ", TSBOX_VERSION);
  report_json_string(j, S->script);
  fputs(", \"target\": ", j);
  report_json_string(j, S->target);
  fprintf(j, ", \"sched\": \"%s\", \"seed_first\": %llu, \"seed_last\": %llu, \"runs\": %d,"
          " \"total_runs\": %d, \"elapsed_s\": %.3f, \"runs_per_s\": %.1f, \"exhausted\": %s,"
          " \"jobs\": %d, \"preemptions\": %d, \"quantum\": %d",
          S->sched, (unsigned long long)S->seed_first, (unsigned long long)S->seed_last, S->runs,
          S->total, S->elapsed, S->elapsed > 0 ? S->runs / S->elapsed : 0.0,
          S->exhausted ? "true" : "false", S->jobs, S->preemptions, S->quantum);
  if (base.shard_n) fprintf(j, ", \"shard\": \"%d/%d\"", base.shard_i, base.shard_n);
  if (S->stopped) {
    fputs(", \"stopped\": ", j);
    report_json_string(j, S->stopped);
  }
  for (int pass = 0; pass < 2; pass++) {
    const Group *g = pass ? S->failures : S->outcomes;
    int ng = pass ? S->nfail : S->nout;
    fputs(pass ? "],\n  \"failures\": [" : ",\n  \"outcomes\": [", j);
    for (int i = 0; i < ng; i++) {
      fputs(i ? ",\n    {" : "\n    {", j);
      fputs(pass ? "\"kind\": " : "\"outcome\": ", j);
      report_json_string(j, g[i].label);
      fprintf(j, ", \"runs\": %d, \"first_run\": %d, \"replay\": ", g[i].runs, g[i].first + 1);
      report_json_string(j, g[i].token);
      if (pass) {
        fputs(", \"message\": ", j);
        report_json_string(j, g[i].message ? g[i].message : "");
      }
      fputc('}', j);
    }
  }
  fputs("],\n  \"first_failure\": ", j);
  if (S->first_fail < 0) {
    fputs("null", j);
  } else {
    fprintf(j, "{\"run\": %d, \"kind\": ", S->first_fail + 1);
    report_json_string(j, S->first_kind);
    fputs(", \"replay\": ", j);
    report_json_string(j, S->first_token);
    if (S->minimized) {
      fputs(", \"minimized\": ", j);
      report_json_string(j, S->minimized);
      fprintf(j, ", \"minimized_preemptions\": %d", S->minimized_preempts);
    }
    fputc('}', j);
  }
  fputs("}\n", j);
  return report_file_close(j, path);
}

/* The shell words of the scenario, as replay commands end. */
static char *target_words(void) {
  char *target = NULL;
  size_t target_len = 0;
  FILE *m = open_memstream(&target, &target_len);
  if (m == NULL) { fputs("tsbox: out of memory\n", stderr); exit(EXIT_LIMIT); }
  report_target(m, &base);
  fclose(m);
  return target;
}

/* The first failure of the exploration, minimized (explore_fork). */
static char *minimized;
static int minimized_preempts;

static int summarise(int lo, int hi, int total, double elapsed, int jobs, int exhausted,
                     const char *stopped) {
  Summary S = { 0 };
  S.minimized = minimized;
  S.minimized_preempts = minimized_preempts;
  S.stopped = stopped;
  S.script = base.script ? base.script : "(command line)";
  S.sched = run_sched_name(base.sched);
  S.seed_first = seed_of(lo);
  S.seed_last = seed_of(hi - 1);
  S.total = total;
  S.jobs = jobs;
  S.exhausted = exhausted;
  S.preemptions = base.preemptions;
  S.quantum = base.quantum;
  S.elapsed = elapsed;
  S.first_fail = -1;
  char *target = target_words();
  S.target = target;
  S.outcomes = xmalloc((size_t)(hi - lo + 1) * sizeof *S.outcomes);
  S.failures = xmalloc((size_t)(hi - lo + 1) * sizeof *S.failures);
  int code = 0;
  for (int i = lo; i < hi; i++) {
    const Result *r = &results[i];
    if (!r->done) continue;
    S.runs++;
    S.nout = group_add(S.outcomes, S.nout, r->label, 1, i, r->token, NULL);
    if (r->kind) S.nfail = group_add(S.failures, S.nfail, r->kind, 1, i, r->token, r->message);
    if (r->code != 0 && S.first_fail < 0) {
      S.first_fail = i;
      S.first_kind = r->kind ? r->kind : "error";
      S.first_token = r->token;
      code = r->code;
    }
  }
  qsort(S.outcomes, (size_t)S.nout, sizeof *S.outcomes, by_count);
  qsort(S.failures, (size_t)S.nfail, sizeof *S.failures, by_count);
  if (!base.quiet) summary_print(&S);
  if (base.json && summary_json(&S, base.json) != 0 && code == 0) code = EXIT_USAGE;
  free(S.outcomes);
  free(S.failures);
  return code;
}

/* }====================================================== */

static void progress(int done, int total, int failing, double t0) {
  double dt = now_s() - t0;
  double rate = dt > 0 ? done / dt : 0;
  fprintf(stderr, "\r\033[Ktsbox: %d/%d runs, %.0f runs/s, %d failing, ETA %.1f s", done, total,
          rate, failing, rate > 0 ? (total - done) / rate : 0.0);
  fflush(stderr);
}

/* In a child: drop the explorer's bookkeeping and go on to run. */
static int child_begins(Slot *slots, double *started) {
  free(slots);
  free(started);
  /* Only the results runs have filled: the rest of the array (a million
     entries under dfs's default cap) is untouched memory, and reading it
     in every child would cost page faults by the thousand. */
  for (int i = 0; i < results_used; i++) {
    free(results[i].label); free(results[i].kind); free(results[i].message);
    free(results[i].token); free(results[i].trace);
    free(results[i].enabled); free(results[i].touches);
  }
  free(results);
  dpor_free(search);
  search = NULL;
  results = NULL;
  return child_worker ? 2 : 1;
}

/* Runs an automatic minimization may use, and an explicit --minimize. */
#if !defined(MINIMIZE_RUNS_SUMMARY)
#define MINIMIZE_RUNS_SUMMARY 500
#endif
#if !defined(MINIMIZE_RUNS)
#define MINIMIZE_RUNS 20000
#endif

/*
** --minimize --replay TOKEN: run the token's schedule once to learn how it
** fails, then search for the simplest schedule failing the same way.
** Returns 1 in a child (which goes on to run), 0 in the explorer.
*/
static int minimize(int *code) {
  Slot slot;
  memset(&slot, 0, sizeof slot);
  double started = now_s();
  if (launch(&slot, 0, base.dfs_prefix)) return child_begins(NULL, NULL);
  if (reap(&slot, 1, &started) == NULL) {
    end_all(&slot, 1);
    *code = EXIT_SIGNAL(atomic_load(&R->stop_signal));
    return 0;
  }
  workers_end(&slot, 1);
  Result *r = &results[0];
  char *target = target_words();
  char *tok = strdup(r->token ? r->token : "?");
  *code = EXIT_OK;
  if (r->kind == NULL) {
    fprintf(stderr, "tsbox: the run of %s did not fail: nothing to minimize\n", tok);
    free(target);
    free(tok);
    return 0;
  }
  char *kind = strdup(r->kind), *message = strdup(r->message ? r->message : "");
  int failed_code = r->code ? r->code : exit_code_of(kind);
  Hunt h = { kind, message, 0, 0, NULL, 0, 0, 0 };
  minimize_search(&h, MINIMIZE_RUNS);
  char *found = h.found;
  int preempts = h.preempts, used = h.used;
  if (h.child) {
    free(kind); free(message); free(target); free(tok);
    return child_begins(NULL, NULL);
  }
  *code = failed_code;
  if (found == NULL && atomic_load(&R->stop_signal)) {
    fprintf(stderr, "tsbox: --minimize interrupted (%s) after %d runs; the failing schedule stays %s\n",
            run_signal_name(atomic_load(&R->stop_signal)), used, tok);
    print_command(stderr, "  replay:", "", tok, target);
  } else if (found == NULL) {
    fprintf(stderr, "tsbox: no simpler schedule found in %d runs: %s failure (%s) stays as %s\n",
            used, report_safe(kind), report_safe(message), tok);
    print_command(stderr, "  replay:", "", tok, target);
  } else {
    fprintf(stderr, "tsbox: minimized: the %s failure (%s) with %d preemption%s, found in %d run%s\n",
            report_safe(kind), report_safe(message), preempts, preempts == 1 ? "" : "s", used,
            used == 1 ? "" : "s");
    print_command(stderr, "  replay:", "", found, target);
    print_command(stderr, "  explain:", "--explain ", found, target);
  }
  if (atomic_load(&R->stop_signal)) *code = EXIT_SIGNAL(atomic_load(&R->stop_signal));
  free(found); free(kind); free(message); free(target); free(tok);
  return 0;
}

/*
** Run the exploration. In each child it returns 1 and the child runs its
** scenario; in the explorer it returns 0 once every run is summarised, with
** the exploration's exit status in *code.
*/
int explore_fork(int *code) {
  base = R->opt;
  int total = base.runs;
  int lo = 0, hi = total;
  if (base.shard_n) {
    lo = (int)((long long)total * (base.shard_i - 1) / base.shard_n);
    hi = (int)((long long)total * base.shard_i / base.shard_n);
  }
  results = xmalloc((size_t)(total + 1) * sizeof *results);
  if (base.minimize) {
    if (minimize(code)) return 1;
    result_clear(&results[0]);
    free(results);
    results = NULL;
    return 0;
  }
  int jobs = base.sched == POL_DFS ? 1 : base.jobs;
  Slot *slots = xmalloc((size_t)jobs * sizeof *slots);
  double *started = xmalloc((size_t)jobs * sizeof *started);
  if (base.sched == POL_PCT && base.pct_steps == 0) {
    /* A pilot run of the first seed measures k, the number of steps. */
    started[0] = now_s();
    if (launch(&slots[0], lo, NULL)) return child_begins(slots, started);
    Slot *s = reap(slots, 1, started);
    if (s == NULL) end_all(slots, 1);
    base.pct_steps = s && results[lo].steps ? results[lo].steps : 1;
    free(results[lo].label); free(results[lo].kind); free(results[lo].message);
    free(results[lo].token); free(results[lo].trace);
    memset(&results[lo], 0, sizeof results[lo]);
  }
  int show = !base.quiet && base.progress;
  double t0 = now_s(), last = t0;
  int next = lo, running = 0, done = 0, failing = 0, stop_at = hi, exhausted = 0;
  char *prefix = NULL;
  if (base.sched == POL_DFS) search = dpor_new(base.preemptions, !base.no_reduction);
  while (next < stop_at || running > 0) {
    while (running < jobs && next < stop_at && !atomic_load(&R->stop_signal)) {
      int k = 0;
      while (k < jobs && !(slots[k].pid > 0 && slots[k].idle)) k++;   /* a worker first */
      if (k == jobs) for (k = 0; slots[k].pid != 0; k++) {}
      started[k] = now_s();
      if (launch(&slots[k], next++, prefix)) return child_begins(slots, started);
      running++;
      if (base.sched == POL_DFS) break;
    }
    Slot *s = reap(slots, jobs, started);
    if (s == NULL) {
      end_all(slots, jobs);
      break;
    }
    running--;
    done++;
    Result *r = &results[s->index];
    if (r->code != 0) {
      failing++;
      if (base.stop_on_failure && s->index + 1 < stop_at) stop_at = s->index + 1;
    }
    if (base.sched == POL_DFS) {
      free(prefix);
      prefix = dfs_next(search, r);
      if (prefix == NULL) { exhausted = 1; stop_at = next; }
    }
    if (show && now_s() - last > 0.1) { progress(done, hi - lo, failing, t0); last = now_s(); }
  }
  workers_end(slots, jobs);
  if (show) fputs("\r\033[K", stderr);
  if (getenv("TSBOX_EXPLORE_STATS")) {
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    fprintf(stderr, "tsbox: explorer: %d runs in %d processes, the largest %ld MB\n", done, nforks,
            ru.ru_maxrss / 1024);
  }
  int sig = atomic_load(&R->stop_signal);
  char stopped[128] = "";
  if (sig)
    snprintf(stopped, sizeof stopped, "interrupted (%s) after %d of %d runs",
             run_signal_name(sig), done, hi - lo);
  else if (base.sched == POL_DFS && !exhausted && stop_at < hi)
    snprintf(stopped, sizeof stopped, "stopped at the first failure (--stop-on-failure)");
  else if (base.sched == POL_DFS && !exhausted)
    snprintf(stopped, sizeof stopped, base.runs_default ? "stopped at the default cap of %d runs (--runs)"
                                                        : "stopped after %d runs (--runs)", done);
  double elapsed = now_s() - t0;
  /* Beside the first failure, the simplest schedule that fails alike. */
  int end = stop_at < hi ? stop_at : next;
  for (int i = lo; i < end && !sig && !base.quiet; i++) {
    const Result *r = &results[i];
    if (!r->done || r->code == 0) continue;
    if (r->kind != NULL) {
      char *kind = strdup(r->kind), *message = strdup(r->message ? r->message : "");
      /* A summary's search is bounded by runs (a few per run explored) and,
         for scenarios slow to run, by time: the exploration's own, or 10 s. */
      Hunt h = { kind, message, 0, 0, NULL, 0, 0, now_s() + (elapsed > 10 ? elapsed : 10) };
      int budget = 4 * (end - lo);
      minimize_search(&h, budget < 20 ? 20 : budget > MINIMIZE_RUNS_SUMMARY ? MINIMIZE_RUNS_SUMMARY : budget);
      free(kind);
      free(message);
      if (h.child) return child_begins(slots, started);
      minimized = h.found;
      minimized_preempts = h.preempts;
      if (!sig && atomic_load(&R->stop_signal)) {   /* interrupted while minimizing */
        sig = atomic_load(&R->stop_signal);
        free(minimized);
        minimized = NULL;
      }
    }
    break;
  }
  *code = summarise(lo, end, total, elapsed, jobs, exhausted, stopped[0] ? stopped : NULL);
  free(minimized);
  minimized = NULL;
  if (sig) *code = EXIT_SIGNAL(sig);
  dpor_free(search);
  search = NULL;
  free(prefix);
  free(slots);
  free(started);
  return 0;
}

/*
** {======================================================
** tsbox merge: one summary from the JSON reports of shards
** =======================================================
*/

/*
** A report is hostile input: every number merge reads must be a whole
** number in range before a cast meets it. Returns the offending field's
** name, or NULL when `d` is sound.
*/
static int whole_in(const JValue *o, const char *key, double lo, double hi) {
  const JValue *v = json_get(o, key);
  if (v == NULL) return 1;
  return v->type == J_NUMBER && v->num >= lo && v->num <= hi && v->num == (double)(long long)v->num;
}

#define MERGE_MAX_RUNS 1e9

static const char *merge_bad_field(const JValue *d) {
  static const char *const ints[] = { "runs", "total_runs", "jobs", "quantum", NULL };
  for (int i = 0; ints[i]; i++)
    if (!whole_in(d, ints[i], 0, MERGE_MAX_RUNS)) return ints[i];
  if (!whole_in(d, "preemptions", -1, MERGE_MAX_RUNS)) return "preemptions";   /* -1: no bound */
  if (!whole_in(d, "seed_first", 0, 9007199254740992.0)) return "seed_first";
  if (!whole_in(d, "seed_last", 0, 9007199254740992.0)) return "seed_last";
  const JValue *el = json_get(d, "elapsed_s");
  if (el && (el->type != J_NUMBER || !(el->num >= 0 && el->num <= 1e12))) return "elapsed_s";
  double runs = json_num(d, "runs", 0);
  for (int pass = 0; pass < 2; pass++) {
    const char *key = pass ? "failures" : "outcomes";
    const JValue *arr = json_get(d, key);
    if (arr == NULL && pass) continue;
    if (arr == NULL || arr->type != J_ARRAY) return key;
    for (int k = 0; k < arr->n; k++)
      if (!whole_in(arr->items[k], "runs", 0, runs) ||
          !whole_in(arr->items[k], "first_run", 1, MERGE_MAX_RUNS)) return key;
  }
  const JValue *ff = json_get(d, "first_failure");
  if (ff && ff->type == J_OBJECT && !whole_in(ff, "run", 1, MERGE_MAX_RUNS)) return "first_failure";
  return NULL;
}

/* The base seed of the exploration a shard belongs to (see explore_fork). */
static double shard_base(const JValue *d) {
  int i = 0, n = 0;
  if (sscanf(json_str(d, "shard"), "%d/%d", &i, &n) != 2 || i < 1 || n < 1 || i > n) return -1;
  long long total = (long long)json_num(d, "total_runs", 0);
  long long lo = total * (i - 1) / n;     /* the shard's first run, as explore_fork counts */
  return json_num(d, "seed_first", 0) - (double)lo;
}

/* Shards merge when they come from one exploration and cover disjoint runs. */
static const char *merge_mismatch(const JValue *a, const JValue *b) {
  static const char *const same_str[] = { "script", "sched", "target", NULL };
  static const char *const same_num[] = { "total_runs", "preemptions", "quantum", NULL };
  for (int i = 0; same_str[i]; i++) {
    const char *x = json_str(a, same_str[i]), *y = json_str(b, same_str[i]);
    if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0)) return same_str[i];
  }
  for (int i = 0; same_num[i]; i++)
    if (json_num(a, same_num[i], -1) != json_num(b, same_num[i], -1)) return same_num[i];
  const char *sa = json_str(a, "shard"), *sb = json_str(b, "shard");
  const char *na = sa ? strchr(sa, '/') : NULL, *nb = sb ? strchr(sb, '/') : NULL;
  if ((na == NULL) != (nb == NULL) || (na && strcmp(na, nb) != 0)) return "shard";
  if (sa && strcmp(json_str(a, "sched"), "dfs") != 0 && shard_base(a) != shard_base(b))
    return "seed_first";   /* shards of one exploration share its base seed */
  return NULL;
}

static int merge_overlap(const JValue *a, const JValue *b) {
  const char *sa = json_str(a, "shard"), *sb = json_str(b, "shard");
  if (sa && sb) return strcmp(sa, sb) == 0;
  if (strcmp(json_str(a, "sched"), "dfs") == 0) return 1;   /* no seeds to tell runs apart */
  double fa = json_num(a, "seed_first", 0), fb = json_num(b, "seed_first", 0);
  double la = json_num(a, "seed_last", fa), lb = json_num(b, "seed_last", fb);
  return fa <= lb && fb <= la;
}

int explore_merge(int nfiles, char **files, const char *json_out) {
  Summary S = { 0 };
  S.first_fail = -1;
  int cap = 0;
  double all_runs = 0;
  JValue **docs = xmalloc((size_t)nfiles * sizeof(JValue *));
  for (int i = 0; i < nfiles; i++) {
    FILE *f = fopen(files[i], "r");
    if (f == NULL) {
      fprintf(stderr, "tsbox: merge: cannot open %s: %s\n", files[i], strerror(errno));
      for (int k = 0; k < i; k++) json_free(docs[k]);
      free(docs);
      return EXIT_USAGE;
    }
    char *text = read_all(fileno(f), NULL);
    fclose(f);
    docs[i] = json_parse(text);
    free(text);
    if (docs[i] == NULL || json_str(docs[i], "tsbox") == NULL || json_get(docs[i], "outcomes") == NULL ||
        json_str(docs[i], "script") == NULL || json_str(docs[i], "sched") == NULL) {
      fprintf(stderr, "tsbox: merge: %s is not a tsbox JSON report\n", files[i]);
      for (int k = 0; k <= i; k++) json_free(docs[k]);
      free(docs);
      return EXIT_USAGE;
    }
    const char *bad = merge_bad_field(docs[i]), *other = NULL;
    all_runs += json_num(docs[i], "runs", 0);
    if (bad == NULL && all_runs > MERGE_MAX_RUNS) bad = "runs";
    int k = 0;
    for (; bad == NULL && other == NULL && k < i; k++) {
      other = merge_mismatch(docs[k], docs[i]);
      if (other == NULL && merge_overlap(docs[k], docs[i])) break;
    }
    if (bad || other || k < i) {
      if (bad) fprintf(stderr, "tsbox: merge: %s: field \"%s\" is damaged\n", files[i], bad);
      else if (other) fprintf(stderr, "tsbox: merge: %s and %s are reports of different explorations "
                             "(their \"%s\" differ)\n", files[k - 1], files[i], other);
      else fprintf(stderr, "tsbox: merge: %s and %s cover the same runs\n", files[k], files[i]);
      for (int m = 0; m <= i; m++) json_free(docs[m]);
      free(docs);
      return EXIT_USAGE;
    }
    const JValue *o = json_get(docs[i], "outcomes"), *x = json_get(docs[i], "failures");
    cap += o->n + (x ? x->n : 0);
  }
  S.outcomes = xmalloc((size_t)cap * sizeof *S.outcomes);
  S.failures = xmalloc((size_t)cap * sizeof *S.failures);
  int code = 0;
  for (int i = 0; i < nfiles; i++) {
    const JValue *d = docs[i];
    const char *script = json_str(d, "script"), *sched = json_str(d, "sched");
    if (i == 0) {
      S.script = script;
      S.sched = sched;
      S.target = json_str(d, "target") ? json_str(d, "target") : script;
      S.seed_first = (uint64_t)json_num(d, "seed_first", 0);
      S.preemptions = (int)json_num(d, "preemptions", 0);
      S.quantum = (int)json_num(d, "quantum", 0);
      S.exhausted = 1;
    } else if (!script || !sched || strcmp(script, S.script) != 0 || strcmp(sched, S.sched) != 0) {
      fprintf(stderr, "tsbox: merge: %s is a report of another exploration (%s, %s)\n", files[i],
              script ? script : "?", sched ? sched : "?");
      code = EXIT_USAGE;
      break;
    }
    uint64_t first = (uint64_t)json_num(d, "seed_first", 0);
    uint64_t last = (uint64_t)json_num(d, "seed_last", (double)first);
    if (first < S.seed_first) S.seed_first = first;
    if (last > S.seed_last) S.seed_last = last;
    S.runs += (int)json_num(d, "runs", 0);
    S.total = (int)json_num(d, "total_runs", 0);
    S.jobs += (int)json_num(d, "jobs", 1);
    S.exhausted &= json_num(d, "exhausted", 0) != 0;
    double el = json_num(d, "elapsed_s", 0);
    if (el > S.elapsed) S.elapsed = el;
    for (int pass = 0; pass < 2; pass++) {
      const JValue *arr = json_get(d, pass ? "failures" : "outcomes");
      for (int k = 0; arr && k < arr->n; k++) {
        const JValue *g = arr->items[k];
        const char *label = json_str(g, pass ? "kind" : "outcome");
        if (label == NULL) continue;
        int runs = (int)json_num(g, "runs", 0), at = (int)json_num(g, "first_run", 1) - 1;
        const char *token = json_str(g, "replay");
        if (pass) S.nfail = group_add(S.failures, S.nfail, label, runs, at, token, json_str(g, "message"));
        else S.nout = group_add(S.outcomes, S.nout, label, runs, at, token, NULL);
      }
    }
    const JValue *ff = json_get(d, "first_failure");
    if (ff && ff->type == J_OBJECT) {
      int run = (int)json_num(ff, "run", 1) - 1;
      if (S.first_fail < 0 || run < S.first_fail) {
        S.first_fail = run;
        S.first_kind = json_str(ff, "kind") ? json_str(ff, "kind") : "error";
        S.first_token = json_str(ff, "replay") ? json_str(ff, "replay") : "?";
        S.minimized = json_str(ff, "minimized");
        double mp = json_num(ff, "minimized_preemptions", 0);
        S.minimized_preempts = mp >= 0 && mp <= 1e6 ? (int)mp : 0;
        code = exit_code_of(S.first_kind);
      }
    }
  }
  if (code != EXIT_USAGE) {
    qsort(S.outcomes, (size_t)S.nout, sizeof *S.outcomes, by_count);
    qsort(S.failures, (size_t)S.nfail, sizeof *S.failures, by_count);
    summary_print(&S);
    if (json_out && summary_json(&S, json_out) != 0 && code == 0) code = EXIT_USAGE;
  }
  free(S.outcomes);
  free(S.failures);
  for (int i = 0; i < nfiles; i++) json_free(docs[i]);
  free(docs);
  return code;
}

/* }====================================================== */
