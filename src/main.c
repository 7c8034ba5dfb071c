/*
** main.c: the command line. It parses options into an Options record,
** validates them (usage errors exit 2) and hands over to a run. It knows
** nothing of Lua or of scheduling.
*/
#include <errno.h>
#include <getopt.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "explore.h"
#include "outcome.h"
#include "replay.h"
#include "run.h"

#define STR_(x) #x
#define STR(x) STR_(x)

static const char usage_text[] =
  "usage: tsbox [options] [script.lua [args...]]\n"
  "       tsbox [options] -e 'lua code' [-e ...] [script.lua [args...]]\n"
  "       tsbox merge [--json FILE] shard1.json shard2.json ...\n"
  "\n"
  "Runs a Lua scenario on real threads under a scheduler that tsbox controls.\n"
  "With no script, no -e and no -i: an interactive prompt when stdin is a\n"
  "terminal, otherwise stdin is the script (as with lua).\n"
  "\n"
  "lua's own options, acted on in command-line order, before the script:\n"
  "  -e CODE                run CODE; may be repeated and followed by a script\n"
  "  -l [G=]MOD             set global G (default: MOD) to require(MOD)\n"
  "  -i                     interactive prompt after the script, or alone: Lua\n"
  "                         lines on MainThread under the scheduler (read from\n"
  "                         stdin, no line editing); Ctrl-D ends the run\n"
  "  -E                     ignore LUA_INIT_5_4, LUA_INIT, LUA_PATH and LUA_CPATH;\n"
  "                         otherwise LUA_INIT_5_4 or LUA_INIT (code, or @file)\n"
  "                         runs first\n"
  "  -W                     turn warnings on\n"
  "  --                     end of options\n"
  "  -                      the script is stdin\n"
  "  (-v is tsbox's --verbose, not lua's version flag: that is -V)\n"
  "\n"
  "options:\n"
  "  -s, --seed N           seed of the run (decimal or 0x hex); default: random\n"
  "      --sched NAME       random (default), pct, pos, dfs, rr, os\n"
  "      --quantum N        mean VM instructions between preemptions (default 16)\n"
  "      --switch-interval S  time slice under --sched os (default 0.005)\n"
  "      --replay TOKEN     re-run exactly the schedule a report printed\n"
  "  -n, --runs N           explore: run N schedules (seeds S..S+N-1), summarise;\n"
  "                         dfs without --runs: until every schedule is seen,\n"
  "                         at most " STR(DFS_DEFAULT_RUNS) " runs\n"
  "  -j, --jobs N           explore on N processes (default: number of cores)\n"
  "      --stop-on-failure  end exploration at the first failing run\n"
  "      --json FILE        machine-readable report of the run or exploration\n"
  "      --shard I/N        explore only the I-th of N slices of the runs\n"
  "      --depth D          pct: bug depth, D-1 priority change points (default 3)\n"
  "      --preemptions N    dfs: preemption bound (default: none)\n"
  "      --no-reduction     dfs: explore every order of the scheduling points,\n"
  "                         without partial-order reduction (for comparison)\n"
  "      --trace            print every scheduling event on stderr\n"
  "      --timeline FILE    write the run's timeline: FILE.html (swimlanes) or\n"
  "                         FILE.json (Chrome trace events, opens in Perfetto)\n"
  "      --race             detect data races and lock-order inversions (exit 1)\n"
  "      --explain          with a failing run: draw how it went wrong, one column\n"
  "                         per thread (the accesses and operations that matter)\n"
  "      --minimize         with --replay: find the schedule with the fewest\n"
  "                         preemptions that fails the same way; print its replay\n"
  "      --timeout SEC      wall-clock limit of the run\n"
  "      --max-steps N      VM-instruction limit (default 1e9 under deterministic\n"
  "                         schedulers, none under os; 0 turns it off)\n"
  "      --max-threads N    live-thread limit (default 10000)\n"
  "      --max-memory SIZE  Lua heap limit, e.g. 512M (default 4G)\n"
  "  -q, --quiet            less of tsbox's own output\n"
  "  -v, --verbose          more of tsbox's own output (run summary, tracebacks)\n"
  "  -h, --help             this help\n"
  "  -V, --version          print the version\n"
  "\n"
  "merge: one summary (and with --json one report) of the --json reports of\n"
  "shards of an exploration (--shard).\n"
  "\n"
  "exit status:\n"
  "  0    every run finished without failure\n"
  "  1    a failure: uncaught error, failed assert or ts.check, race (--race)\n"
  "  2    usage error, or the script could not be loaded (a syntax error exits 2\n"
  "       where lua exits 1)\n"
  "  3    deadlock\n"
  "  4    limit hit: timeout, step limit, thread or memory limit\n"
  "  130  interrupted by Ctrl-C (128 + the signal: 143 SIGTERM, 129 SIGHUP)\n";

/*
** {======================================================
** What --version says about determinism
** =======================================================
*/

/*
** Same seed, same run holds only when liblua lives inside this executable
** (its functions' addresses feed Lua's string-hash seed) and the executable
** is loaded at a fixed address (non-PIE). Both are read off the loaded
** images, not assumed from how the build was meant to go. (An address
** taken of lua_newstate would not tell: a non-PIE program's PLT entry
** stands in for a shared library's function.)
*/
typedef struct LinkFacts {
  int lua_shared;            /* a liblua shared object is loaded */
  int main_fixed;            /* the main program is not relocated */
} LinkFacts;

static int scan_image(struct dl_phdr_info *info, size_t size, void *data) {
  LinkFacts *f = data;
  const char *name = info->dlpi_name ? info->dlpi_name : "";
  const char *base = strrchr(name, '/');
  (void)size;
  base = base ? base + 1 : name;
  if (name[0] == '\0' && info->dlpi_addr == 0) f->main_fixed = 1;
  if (strncmp(base, "liblua", 6) == 0) f->lua_shared = 1;
  return 0;
}

static void print_version(void) {
  LinkFacts f = { 0, 0 };
  dl_iterate_phdr(scan_image, &f);
  printf("tsbox %s (%s, %s, %s): %s\n", TSBOX_VERSION, LUA_RELEASE,
         f.lua_shared ? "liblua loaded as a shared library" : "linked statically",
         f.main_fixed ? "fixed addresses" : "relocatable addresses",
         !f.lua_shared && f.main_fixed ? "deterministic"
                                       : "NOT deterministic (rebuild with `make`)");
}

/* }====================================================== */

static _Noreturn void usage_error(const char *fmt, const char *arg) {
  fputs("tsbox: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\ntry 'tsbox --help'\n", stderr);
  exit(EXIT_USAGE);
}

/* Seeds and counts are written as replay tokens write them. */
#define parse_u64 replay_number

/* Largest count an option or a replay token may give (quantum, depth, ...). */
#define COUNT_MAX 1000000000ull

static int parse_count(const char *opt, const char *s, int min) {
  uint64_t v;
  if (parse_u64(s, &v) != 0 || v > COUNT_MAX || (int)v < min) {
    fprintf(stderr, "tsbox: %s: expected a whole number >= %d, got '%s'\ntry 'tsbox --help'\n",
            opt, min, s);
    exit(EXIT_USAGE);
  }
  return (int)v;
}

static double parse_seconds(const char *opt, const char *s) {
  char *end;
  double v = strtod(s, &end);
  if (*s == '\0' || *end || !(v > 0) || v > 1e9) {
    fprintf(stderr, "tsbox: %s: expected a positive number of seconds, got '%s'\n", opt, s);
    exit(EXIT_USAGE);
  }
  return v;
}

static size_t parse_size(const char *s) {
  char *end;
  double v = strtod(s, &end);
  double mul = 1;
  switch (*end) {
    case 'k': case 'K': mul = 1024.0; end++; break;
    case 'm': case 'M': mul = 1024.0 * 1024; end++; break;
    case 'g': case 'G': mul = 1024.0 * 1024 * 1024; end++; break;
    default: break;
  }
  if (*end == 'B' || *end == 'b') end++;
  if (*s == '\0' || *end || !(v > 0) || v * mul > 1e15)
    usage_error("--max-memory: expected a size such as 512M or 2G, got '%s'", s);
  return (size_t)(v * mul);
}

static SchedKind parse_sched(const char *s) {
  if (strcmp(s, "random") == 0) return POL_RANDOM;
  if (strcmp(s, "rr") == 0) return POL_RR;
  if (strcmp(s, "os") == 0) return POL_OS;
  if (strcmp(s, "pct") == 0) return POL_PCT;
  if (strcmp(s, "dfs") == 0) return POL_DFS;
  if (strcmp(s, "pos") == 0) return POL_POS;
  usage_error("--sched: unknown scheduler '%s' (random, pct, pos, dfs, rr, os)", s);
  return POL_RANDOM;
}

/* --replay TOKEN: the scheduler and its parameters (replay.c reads it). */
static void parse_replay(const char *tok, Options *o, int *quantum_given) {
  const char *why = replay_decode(tok, o, quantum_given);
  if (why == NULL) return;
  char msg[160];
  snprintf(msg, sizeof msg, "%s in token '%.100s'", why, tok);
  usage_error("--replay: %s", msg);
}

static void parse_shard(const char *s, Options *o) {
  char *end;
  long i = strtol(s, &end, 10);
  if (*end != '/') usage_error("--shard: expected i/n, got '%s'", s);
  long n = strtol(end + 1, &end, 10);
  if (*end || n < 1 || i < 1 || i > n || n > 1000000) usage_error("--shard: expected i/n with 1 <= i <= n, got '%s'", s);
  o->shard_i = (int)i;
  o->shard_n = (int)n;
}

/* The list lives as long as the process (a run reads it to its end). */
static LuaOpt *luaopts;

static void add_luaopt(Options *o, char opt, const char *value) {
  o->luaopts = luaopts = outcome_realloc(luaopts, (size_t)(o->nluaopts + 1) * sizeof *luaopts);
  o->luaopts[o->nluaopts++] = (LuaOpt){ opt, value };
  if (opt == 'E') o->no_env = 1;
  if (opt == 'i') o->interactive = 1;
}

/*
** What runs, as lua decides it: the first argument after the options is
** the script and the rest are its arguments; with none, and neither -e
** nor -i, the prompt on a terminal, or else stdin as the script.
*/
static void set_script(Options *o, int argc, char **argv) {
  static char *stdin_script[] = { "-", NULL };
  int has_e = 0;
  for (int i = 0; i < o->nluaopts; i++) has_e |= o->luaopts[i].opt == 'e';
  if (argc == 0 && !has_e && !o->interactive) {
    if (isatty(0)) {
      o->interactive = 1;
      return;
    }
    argc = 1;
    argv = stdin_script;
  }
  if (argc == 0) return;
  o->script = argv[0];
  o->script_argc = argc;
  o->script_argv = argv;
}

enum {
  OPT_SCHED = 256, OPT_QUANTUM, OPT_SWITCH, OPT_REPLAY, OPT_TIMEOUT,
  OPT_MAX_STEPS, OPT_MAX_THREADS, OPT_MAX_MEMORY, OPT_STOP, OPT_JSON, OPT_SHARD,
  OPT_DEPTH, OPT_PREEMPTIONS, OPT_NO_REDUCTION, OPT_TRACE, OPT_TIMELINE, OPT_RACE,
  OPT_EXPLAIN, OPT_MINIMIZE
};

int main(int argc, char **argv) {
  static const struct option longopts[] = {
    { "seed", required_argument, NULL, 's' },
    { "sched", required_argument, NULL, OPT_SCHED },
    { "quantum", required_argument, NULL, OPT_QUANTUM },
    { "switch-interval", required_argument, NULL, OPT_SWITCH },
    { "replay", required_argument, NULL, OPT_REPLAY },
    { "timeout", required_argument, NULL, OPT_TIMEOUT },
    { "max-steps", required_argument, NULL, OPT_MAX_STEPS },
    { "max-threads", required_argument, NULL, OPT_MAX_THREADS },
    { "max-memory", required_argument, NULL, OPT_MAX_MEMORY },
    { "runs", required_argument, NULL, 'n' },
    { "jobs", required_argument, NULL, 'j' },
    { "stop-on-failure", no_argument, NULL, OPT_STOP },
    { "json", required_argument, NULL, OPT_JSON },
    { "shard", required_argument, NULL, OPT_SHARD },
    { "depth", required_argument, NULL, OPT_DEPTH },
    { "preemptions", required_argument, NULL, OPT_PREEMPTIONS },
    { "no-reduction", no_argument, NULL, OPT_NO_REDUCTION },
    { "trace", no_argument, NULL, OPT_TRACE },
    { "timeline", required_argument, NULL, OPT_TIMELINE },
    { "race", no_argument, NULL, OPT_RACE },
    { "explain", no_argument, NULL, OPT_EXPLAIN },
    { "minimize", no_argument, NULL, OPT_MINIMIZE },
    { "quiet", no_argument, NULL, 'q' },
    { "verbose", no_argument, NULL, 'v' },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 }
  };
  if (argc > 1 && strcmp(argv[1], "merge") == 0) {
    /* tsbox merge [--json FILE] a.json b.json ...: one summary of shards */
    int i = 2;
    const char *json = NULL;
    if (i + 1 < argc && strcmp(argv[i], "--json") == 0) { json = argv[i + 1]; i += 2; }
    if (i >= argc) usage_error("merge: expected JSON reports: tsbox merge [--json FILE] a.json b.json ...%s", "");
    int code = explore_merge(argc - i, argv + i, json);
    fflush(stderr);
    return code;
  }
  Options o;
  memset(&o, 0, sizeof o);
  o.sched = POL_RANDOM;
  o.switch_interval = 0.005;
  o.max_threads = DEFAULT_MAX_THREADS;
  o.max_memory = DEFAULT_MAX_MEMORY;
  int quantum_given = 0, steps_given = 0, preemptions_given = 0, replay_given = 0;
  uint64_t steps = 0;
  int c;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "+:s:e:l:n:j:qvhViEW", longopts, NULL)) != -1) {
    switch (c) {
      case 's':
        if (parse_u64(optarg, &o.seed) != 0)
          usage_error("--seed: expected a number (decimal or 0x hex), got '%s'", optarg);
        o.seed_given = 1;
        break;
      case 'e': case 'l': case 'W': case 'E': case 'i':
        add_luaopt(&o, (char)c, c == 'e' || c == 'l' ? optarg : NULL);
        break;
      case 'q': o.quiet = 1; break;
      case 'v': o.verbose = 1; break;
      case 'h': fputs(usage_text, stdout); return 0;
      case 'V': print_version(); return 0;
      case OPT_SCHED: o.sched = parse_sched(optarg); break;
      case OPT_QUANTUM:
        o.quantum = parse_count("--quantum", optarg, 1);
        quantum_given = 1;
        break;
      case OPT_SWITCH: o.switch_interval = parse_seconds("--switch-interval", optarg); break;
      case OPT_REPLAY:
        /* a later token replaces an earlier one whole, fields it leaves out too */
        if (replay_given) { quantum_given = 0; o.depth = 0; o.pct_steps = 0; }
        parse_replay(optarg, &o, &quantum_given);
        replay_given = 1;
        break;
      case OPT_TIMEOUT: o.timeout = parse_seconds("--timeout", optarg); break;
      case OPT_MAX_STEPS:
        if (parse_u64(optarg, &steps) != 0)
          usage_error("--max-steps: expected a whole number, got '%s'", optarg);
        steps_given = 1;
        break;
      case OPT_MAX_THREADS: o.max_threads = parse_count("--max-threads", optarg, 1); break;
      case OPT_MAX_MEMORY: o.max_memory = parse_size(optarg); break;
      case 'n': o.runs = parse_count("--runs", optarg, 1); break;
      case 'j': o.jobs = parse_count("--jobs", optarg, 1); break;
      case OPT_STOP: o.stop_on_failure = 1; break;
      case OPT_TRACE: o.trace = 1; break;
      case OPT_RACE: o.race = 1; break;
      case OPT_EXPLAIN: o.explain = 1; break;
      case OPT_MINIMIZE: o.minimize = 1; break;
      case OPT_TIMELINE: {
        size_t n = strlen(optarg);
        if (n < 6 || (strcmp(optarg + n - 5, ".html") != 0 && strcmp(optarg + n - 5, ".json") != 0))
          usage_error("--timeline: the file name must end in .html or .json, got '%s'", optarg);
        o.timeline = optarg;
        break;
      }
      case OPT_JSON: o.json = optarg; break;
      case OPT_SHARD: parse_shard(optarg, &o); break;
      case OPT_DEPTH: o.depth = parse_count("--depth", optarg, 1); break;
      case OPT_NO_REDUCTION: o.no_reduction = 1; break;
      case OPT_PREEMPTIONS:
        o.preemptions = parse_count("--preemptions", optarg, 0);
        preemptions_given = 1;
        break;
      case ':':
        usage_error("option '%s' needs an argument", argv[optind - 1]);
        break;
      default:
        usage_error("unknown option '%s'", argv[optind - 1]);
    }
  }
  if (!quantum_given) o.quantum = o.sched == POL_DFS ? 1 : 16;
  if (o.sched == POL_POS) o.quantum = 1;   /* it chooses at visible operations only */
  if (o.depth == 0) o.depth = 3;
  if (o.depth > 16) usage_error("--depth: at most 16, got %s", "more");
  if (!preemptions_given) o.preemptions = -1;
  if (o.jobs == 0) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    o.jobs = cores > 0 ? (int)cores : 1;
  }
  set_script(&o, argc - optind, argv + optind);
  if (o.interactive && o.runs > 0)
    usage_error("an interactive session (-i, or no script on a terminal) is one run: not with --runs%s", "");
  if (o.minimize && !replay_given)
    usage_error("--minimize needs the failing run's --replay TOKEN%s", "");
  if (o.minimize && (o.runs > 0 || o.explain || o.trace || o.timeline || o.interactive || o.json))
    usage_error("--minimize searches on its own: use it with --replay alone, then --explain on what it prints%s", "");
  if (o.explain && o.runs > 0)
    usage_error("--explain shows one run: use it with --replay, not --runs%s", "");
  if (o.explain && o.sched == POL_DFS && o.dfs_prefix == NULL && !o.interactive)
    usage_error("--explain shows one run: with --sched dfs, give it a --replay token%s", "");
  /* dfs runs until the space is exhausted; this cap only keeps an endless
     model from running forever, and the summary says when it was hit. */
  if (o.sched == POL_DFS && o.runs == 0 && o.dfs_prefix == NULL) {
    if (o.interactive) {
      o.dfs_prefix = "";     /* one run, on the default schedule */
    } else {
      o.runs = DFS_DEFAULT_RUNS;
      o.runs_default = 1;
    }
  }
  if (o.shard_n && o.runs == 0) usage_error("--shard needs --runs%s", "");
  if (o.runs > 0 && o.sched == POL_OS)
    usage_error("--runs needs a deterministic scheduler (random, pct, dfs, rr), not '%s'", "os");
  o.progress = isatty(2) && !getenv("NO_PROGRESS");
  if (o.runs > 0 && (o.trace || o.timeline))
    usage_error("--trace and --timeline show one run: use them with --replay, not --runs%s", "");
  if (o.sched == POL_OS) o.max_steps = steps_given ? steps : 0;
  else o.max_steps = steps_given ? steps : DEFAULT_MAX_STEPS;
  if (!o.seed_given && (o.sched == POL_RR || o.sched == POL_DFS)) {
    o.seed_given = 1;   /* round-robin has no randomness; math.random gets seed 0 */
  } else if (!o.seed_given) {
    if (getrandom(&o.seed, sizeof o.seed, 0) != (ssize_t)sizeof o.seed) o.seed = (uint64_t)getpid();
    o.seed &= 0xffffffffu;   /* short enough to type */
  }
  /* An exploration (or a minimization) takes over once the universe is
     built; every run, explored or not, reports to it when it ends. */
  RunHooks hooks = { o.runs > 0 || o.minimize ? explore_fork : NULL, explore_write_result,
                     explore_worker_done, explore_worker_next };
  int code = run_main(&o, &hooks);
  fflush(stdout);
  fflush(stderr);
  _exit(code);
}
