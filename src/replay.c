/*
** replay.c: the replay token (replay.h has its grammar), written from a
** run's options and dfs transitions, and read back into options for
** --replay. One writer and one reader, both here; tokens of any length.
** It touches no run state: callers pass what it encodes.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outcome.h"
#include "replay.h"

/* The largest count a token may give (quantum, depth). */
#define TOKEN_COUNT_MAX 1000000000ull


/* A growing string. */
typedef struct Buf {
  char *s;
  size_t len, cap;
} Buf;

static void put(Buf *b, const char *fmt, unsigned long long x) {
  char tmp[48];
  int k = snprintf(tmp, sizeof tmp, fmt, x);
  if (b->len + (size_t)k + 1 > b->cap) {
    b->cap = (b->len + (size_t)k + 1) * 2;
    b->s = outcome_realloc(b->s, b->cap);
  }
  memcpy(b->s + b->len, tmp, (size_t)k + 1);
  b->len += (size_t)k;
}

static void put_str(Buf *b, const char *s) {
  size_t k = strlen(s);
  if (b->len + k + 1 > b->cap) {
    b->cap = (b->len + k + 1) * 2;
    b->s = outcome_realloc(b->s, b->cap);
  }
  memcpy(b->s + b->len, s, k + 1);
  b->len += k;
}

char *replay_encode(const Options *o, const Choice *trace, int ntrace) {
  Buf b = { NULL, 0, 0 };
  put_str(&b, "");
  switch (o->sched) {
    case POL_RANDOM:
      put(&b, "r:0x%llx", (unsigned long long)o->seed);
      if (o->quantum != REPLAY_DEFAULT_QUANTUM) put(&b, ":q%llu", (unsigned long long)o->quantum);
      break;
    case POL_PCT:
      put(&b, "p:0x%llx", (unsigned long long)o->seed);
      put(&b, ":d%llu", (unsigned long long)o->depth);
      put(&b, ":k%llu", (unsigned long long)(o->pct_steps ? o->pct_steps : 1));   /* what pick uses */
      if (o->quantum != REPLAY_DEFAULT_QUANTUM) put(&b, ":q%llu", (unsigned long long)o->quantum);
      break;
    case POL_POS:
      put(&b, "pos:0x%llx", (unsigned long long)o->seed);
      break;
    case POL_RR:
      put(&b, "rr:q%llu", (unsigned long long)o->quantum);
      break;
    case POL_DFS: {
      put(&b, "d:q%llu", (unsigned long long)o->quantum);
      int first = 1;
      for (int i = 0; trace && i < ntrace; i++) {
        const Choice *c = &trace[i];
        if (c->chosen == c->dflt) continue;
        put(&b, first ? ":%llu" : ",%llu", (unsigned long long)c->step);
        put(&b, ".%llu", (unsigned long long)c->chosen);
        first = 0;
      }
      if (trace == NULL && o->dfs_prefix && *o->dfs_prefix) {
        put_str(&b, ":");
        put_str(&b, o->dfs_prefix);
      }
      break;
    }
    default:
      put_str(&b, "os");
      break;
  }
  return b.s;
}

int replay_number(const char *s, uint64_t *out) {
  char *end;
  errno = 0;
  int base = (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10;
  if (*s == '-' || *s == '\0') return -1;
  unsigned long long v = strtoull(s, &end, base);
  if (errno || *end) return -1;
  *out = v;
  return 0;
}

/* A dfs choice list, STEP.CHOICE,... up to `end`, each number in its range. */
static int choices_ok(const char *p, const char *end) {
  while (p < end) {
    char *e;
    if (*p < '0' || *p > '9') return 0;
    errno = 0;
    unsigned long long step = strtoull(p, &e, 10);
    if (errno || *e != '.' || step > UINT32_MAX || e[1] < '0' || e[1] > '9') return 0;
    unsigned long long choice = strtoull(e + 1, &e, 10);
    if (errno || choice > UINT16_MAX || (e != end && *e != ',')) return 0;
    p = e == end ? e : e + 1;
  }
  return 1;
}

/* The fields of a token, ':'-separated, in a copy the options may point into. */
static const char *decode_fields(char *copy, Options *o, int *quantum_given) {
  char *save = NULL;
  char *kind = strtok_r(copy, ":", &save);
  if (kind == NULL) return "malformed token";
  if (strcmp(kind, "r") == 0 || strcmp(kind, "p") == 0 || strcmp(kind, "pos") == 0) {
    char *seed = strtok_r(NULL, ":", &save);
    if (seed == NULL || replay_number(seed, &o->seed) != 0) return "malformed token (expected r:SEED)";
    o->sched = strcmp(kind, "r") == 0 ? POL_RANDOM : strcmp(kind, "p") == 0 ? POL_PCT : POL_POS;
    o->seed_given = 1;
  } else if (strcmp(kind, "rr") == 0) {
    o->sched = POL_RR;
  } else if (strcmp(kind, "d") == 0) {
    o->sched = POL_DFS;
    o->seed_given = 1;
    o->dfs_prefix = "";      /* one run, even when no choice is off the default */
  } else {
    return "unknown token";
  }
  for (char *f; (f = strtok_r(NULL, ":", &save)) != NULL;) {
    uint64_t v = 0;
    if (o->sched == POL_DFS && f[0] >= '0' && f[0] <= '9') {
      if (!choices_ok(f, f + strlen(f))) return "bad or out-of-range choice list";
      o->dfs_prefix = f;
      continue;
    }
    if (replay_number(f + 1, &v) != 0 || v < 1 || (f[0] != 'k' && v > TOKEN_COUNT_MAX) ||
        v > 1000000000000ull)
      return "number out of range";
    if (f[0] == 'q' && o->sched != POL_POS) { o->quantum = (int)v; *quantum_given = 1; }
    else if (f[0] == 'd' && o->sched == POL_PCT && v <= 16) o->depth = (int)v;
    else if (f[0] == 'k' && o->sched == POL_PCT) o->pct_steps = v;
    else return "malformed token";
  }
  return NULL;
}

/* The run's options point into the last token read; it lives as long. */
static char *last_token;

const char *replay_decode(const char *tok, Options *o, int *quantum_given) {
  o->dfs_prefix = NULL;   /* it may point into the token read before */
  free(last_token);
  last_token = outcome_strdup(tok);
  return decode_fields(last_token, o, quantum_given);
}
