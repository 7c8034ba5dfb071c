/*
** main.c: the command line. It parses options into an Options record,
** validates them (usage errors exit 2) and hands over to a run. It knows
** nothing of Lua or of scheduling.
*/
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "run.h"

static const char usage_text[] =
  "usage: tsbox [options] script.lua [args...]\n"
  "       tsbox [options] -e 'lua code'\n"
  "\n"
  "Runs a Lua scenario on real threads under a scheduler that tsbox controls.\n"
  "\n"
  "options:\n"
  "  -e CODE                run CODE instead of a script\n"
  "  -s, --seed N           seed of the run (decimal or 0x hex); default: random\n"
  "      --sched NAME       random (default), rr, os\n"
  "      --quantum N        mean VM instructions between preemptions (default 16)\n"
  "      --switch-interval S  time slice under --sched os (default 0.005)\n"
  "      --replay TOKEN     re-run exactly the schedule a report printed\n"
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

static int parse_count(const char *opt, const char *s, int min) {
  uint64_t v;
  if (parse_u64(s, &v) != 0 || v > 1000000000 || (int)v < min) {
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
  usage_error("--sched: unknown scheduler '%s' (random, rr, os)", s);
  return POL_RANDOM;
}

/* Tokens: r:SEED[:qN] for random, rr[:qN] for round-robin. */
static void parse_replay(const char *tok, Options *o, int *quantum_given) {
  char buf[128];
  snprintf(buf, sizeof buf, "%s", tok);
  char *save = NULL;
  char *kind = strtok_r(buf, ":", &save);
  if (kind == NULL) usage_error("--replay: malformed token '%s'", tok);
  if (strcmp(kind, "r") == 0) {
    char *seed = strtok_r(NULL, ":", &save);
    if (seed == NULL || parse_u64(seed, &o->seed) != 0)
      usage_error("--replay: malformed token '%s' (expected r:SEED)", tok);
    o->sched = POL_RANDOM;
    o->seed_given = 1;
  } else if (strcmp(kind, "rr") == 0) {
    o->sched = POL_RR;
  } else {
    usage_error("--replay: unknown token '%s'", tok);
  }
  for (char *f; (f = strtok_r(NULL, ":", &save)) != NULL;) {
    uint64_t q = 0;
    if (f[0] != 'q' || parse_u64(f + 1, &q) != 0 || q < 1 || q > 1000000000)
      usage_error("--replay: malformed token '%s'", tok);
    o->quantum = (int)q;
    *quantum_given = 1;
  }
}

enum {
  OPT_SCHED = 256, OPT_QUANTUM, OPT_SWITCH, OPT_REPLAY, OPT_TIMEOUT,
  OPT_MAX_STEPS, OPT_MAX_THREADS, OPT_MAX_MEMORY, OPT_LATER
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
    { "quiet", no_argument, NULL, 'q' },
    { "verbose", no_argument, NULL, 'v' },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 }
  };
  Options o;
  memset(&o, 0, sizeof o);
  o.sched = POL_RANDOM;
  o.switch_interval = 0.005;
  o.max_threads = 10000;
  o.max_memory = (size_t)4 << 30;
  int quantum_given = 0, steps_given = 0;
  uint64_t steps = 0;
  int c;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "+:s:e:qvhV", longopts, NULL)) != -1) {
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
      case 'V': printf("tsbox %s (%s)\n", TSBOX_VERSION, LUA_RELEASE); return 0;
      case OPT_SCHED: o.sched = parse_sched(optarg); break;
      case OPT_QUANTUM:
        o.quantum = parse_count("--quantum", optarg, 1);
        quantum_given = 1;
        break;
      case OPT_SWITCH: o.switch_interval = parse_seconds("--switch-interval", optarg); break;
      case OPT_REPLAY: parse_replay(optarg, &o, &quantum_given); break;
      case OPT_TIMEOUT: o.timeout = parse_seconds("--timeout", optarg); break;
      case OPT_MAX_STEPS:
        if (parse_u64(optarg, &steps) != 0)
          usage_error("--max-steps: expected a whole number, got '%s'", optarg);
        steps_given = 1;
        break;
      case OPT_MAX_THREADS: o.max_threads = parse_count("--max-threads", optarg, 1); break;
      case OPT_MAX_MEMORY: o.max_memory = parse_size(optarg); break;
      case ':':
        usage_error("option '%s' needs an argument", argv[optind - 1]);
        break;
      default:
        usage_error("unknown option '%s'", argv[optind - 1]);
    }
  }
  if (!quantum_given) o.quantum = 16;
  if (o.sched == POL_OS) o.max_steps = steps_given ? steps : 0;
  else o.max_steps = steps_given ? steps : 1000000000ull;
  if (!o.seed_given && o.sched == POL_RR) {
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
