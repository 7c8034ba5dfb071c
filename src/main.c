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
#include "run.h"

static const char usage_text[] =
  "usage: tsbox [options] script.lua [args...]\n"
  "       tsbox [options] -e 'lua code'\n"
  "       tsbox merge [--json FILE] shard1.json shard2.json ...\n"
  "\n"
  "Runs a Lua scenario on real threads under a scheduler that tsbox controls.\n"
  "\n"
  "options:\n"
  "  -e CODE                run CODE instead of a script\n"
  "  -s, --seed N           seed of the run (decimal or 0x hex); default: random\n"
  "      --sched NAME       random (default), pct, pos, dfs, rr, os\n"
  "      --quantum N        mean VM instructions between preemptions (default 16)\n"
  "      --switch-interval S  time slice under --sched os (default 0.005)\n"
  "      --replay TOKEN     re-run exactly the schedule a report printed\n"
  "  -n, --runs N           explore: run N schedules (seeds S..S+N-1), summarise\n"
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
  "exit status: 0 ok, 1 failure, 2 usage or load error, 3 deadlock, 4 limit hit\n";

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

static void usage_error(const char *fmt, const char *arg) {
  fputs("tsbox: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\ntry 'tsbox --help'\n", stderr);
  exit(EXIT_USAGE);
}

static int parse_u64(const char *s, uint64_t *out) {
  char *end;
  errno = 0;
  int base = (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10;
  if (*s == '-' || *s == '\0') return -1;
  unsigned long long v = strtoull(s, &end, base);
  if (errno || *end) return -1;
  *out = v;
  return 0;
}

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

/* A dfs choice list: STEP.CHOICE,... with each number in its field's range. */
static int dfs_choices_ok(const char *p) {
  while (*p) {
    char *end;
    if (*p < '0' || *p > '9') return 0;
    errno = 0;
    unsigned long long step = strtoull(p, &end, 10);
    if (errno || *end != '.' || step > UINT32_MAX || end[1] < '0' || end[1] > '9') return 0;
    unsigned long long choice = strtoull(end + 1, &end, 10);
    if (errno || choice > UINT16_MAX || (*end != ',' && *end != '\0')) return 0;
    p = *end == ',' ? end + 1 : end;
  }
  return 1;
}

/*
** Tokens: r:SEED[:qN] (random), p:SEED:dD:kK[:qN] (pct), rr[:qN],
** d:qN:STEP.CHOICE,... (dfs: the choices that differ from the default).
*/
static void parse_replay(const char *tok, Options *o, int *quantum_given) {
  static char buf[65536];
  snprintf(buf, sizeof buf, "%s", tok);
  char *save = NULL;
  char *kind = strtok_r(buf, ":", &save);
  if (kind == NULL) usage_error("--replay: malformed token '%s'", tok);
  if (strcmp(kind, "r") == 0 || strcmp(kind, "p") == 0 || strcmp(kind, "pos") == 0) {
    char *seed = strtok_r(NULL, ":", &save);
    if (seed == NULL || parse_u64(seed, &o->seed) != 0)
      usage_error("--replay: malformed token '%s' (expected r:SEED)", tok);
    o->sched = strcmp(kind, "r") == 0 ? POL_RANDOM : strcmp(kind, "p") == 0 ? POL_PCT : POL_POS;
    o->seed_given = 1;
  } else if (strcmp(kind, "rr") == 0) {
    o->sched = POL_RR;
  } else if (strcmp(kind, "d") == 0) {
    o->sched = POL_DFS;
    o->seed_given = 1;
    o->dfs_prefix = "";      /* one run, even when no choice is off the default */
  } else {
    usage_error("--replay: unknown token '%s'", tok);
  }
  for (char *f; (f = strtok_r(NULL, ":", &save)) != NULL;) {
    uint64_t v = 0;
    if (o->sched == POL_DFS && f[0] >= '0' && f[0] <= '9') {
      if (!dfs_choices_ok(f)) usage_error("--replay: bad or out-of-range choice list in token '%s'", tok);
      o->dfs_prefix = f;
      continue;
    }
    if (parse_u64(f + 1, &v) != 0 || v < 1 || (f[0] != 'k' && v > COUNT_MAX) ||
        v > 1000000000000ull)
      usage_error("--replay: number out of range in token '%s'", tok);
    if (f[0] == 'q') { o->quantum = (int)v; *quantum_given = 1; }
    else if (f[0] == 'd' && o->sched == POL_PCT && v <= 16) o->depth = (int)v;
    else if (f[0] == 'k' && o->sched == POL_PCT) o->pct_steps = v;
    else usage_error("--replay: malformed token '%s'", tok);
  }
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
  o.max_threads = 10000;
  o.max_memory = (size_t)4 << 30;
  int quantum_given = 0, steps_given = 0, preemptions_given = 0, replay_given = 0;
  uint64_t steps = 0;
  int c;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "+:s:e:n:j:qvhV", longopts, NULL)) != -1) {
    switch (c) {
      case 's':
        if (parse_u64(optarg, &o.seed) != 0)
          usage_error("--seed: expected a number (decimal or 0x hex), got '%s'", optarg);
        o.seed_given = 1;
        break;
      case 'e': o.chunk = optarg; break;
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
      case OPT_REPLAY: parse_replay(optarg, &o, &quantum_given); replay_given = 1; break;
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
  /* dfs runs until the space is exhausted; this cap only keeps an endless
     model from running forever, and the summary says when it was hit. */
  if (o.minimize && !replay_given)
    usage_error("--minimize needs the failing run's --replay TOKEN%s", "");
  if (o.minimize && (o.runs > 0 || o.explain || o.trace || o.timeline))
    usage_error("--minimize searches on its own: use it with --replay alone, then --explain on what it prints%s", "");
  if (o.explain && o.runs > 0)
    usage_error("--explain shows one run: use it with --replay, not --runs%s", "");
  if (o.explain && o.sched == POL_DFS && o.dfs_prefix == NULL)
    usage_error("--explain shows one run: with --sched dfs, give it a --replay token%s", "");
  if (o.sched == POL_DFS && o.runs == 0 && o.dfs_prefix == NULL) {
    o.runs = 1000000;
    o.runs_default = 1;
  }
  if (o.shard_n && o.runs == 0) usage_error("--shard needs --runs%s", "");
  if (o.runs > 0 && o.sched == POL_OS)
    usage_error("--runs needs a deterministic scheduler (random, pct, dfs, rr), not '%s'", "os");
  o.progress = isatty(2) && !getenv("NO_PROGRESS");
  if (o.runs > 0 && (o.trace || o.timeline))
    usage_error("--trace and --timeline show one run: use them with --replay, not --runs%s", "");
  if (o.sched == POL_OS) o.max_steps = steps_given ? steps : 0;
  else o.max_steps = steps_given ? steps : 1000000000ull;
  if (!o.seed_given && (o.sched == POL_RR || o.sched == POL_DFS)) {
    o.seed_given = 1;   /* round-robin has no randomness; math.random gets seed 0 */
  } else if (!o.seed_given) {
    if (getrandom(&o.seed, sizeof o.seed, 0) != (ssize_t)sizeof o.seed) o.seed = (uint64_t)getpid();
    o.seed &= 0xffffffffu;   /* short enough to type */
  }
  o.argc = argc;
  o.argv = argv;
  if (o.chunk != NULL) {
    o.script_index = optind - 1;
    o.script_argc = 0;
    if (optind < argc) usage_error("unexpected argument '%s' after -e", argv[optind]);
  } else {
    if (optind >= argc) {
      fputs(usage_text, stderr);
      return EXIT_USAGE;
    }
    o.script = argv[optind];
    o.script_index = optind;
    o.script_argc = argc - optind;
    o.script_argv = argv + optind;
  }
  int code = run_main(&o);
  fflush(stdout);
  fflush(stderr);
  _exit(code);
}
