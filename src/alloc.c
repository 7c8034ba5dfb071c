/*
** alloc.c: the Lua universe's allocator. Objects are carved from one
** arena mapped at a fixed address, in size classes, so the
** same sequence of requests yields the same addresses run after run: table
** keys hash by address and tostring() prints addresses, and both must be
** reproducible. It also enforces --max-memory, on the pages it holds as
** well as on what Lua asked for. It is only ever called under
** the GIL, so it takes no lock. Sanitizer builds use the system allocator
** instead so that every Lua object stays visible to the sanitizer.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "alloc.h"

#ifndef TSBOX_ARENA_BASE
#define TSBOX_ARENA_BASE 0x200000000000ull
#endif
#define ARENA_SIZE (64ull << 30)       /* reserved, not committed */
#define SMALL_STEP 16
#define SMALL_MAX 1024
#define NSMALL (SMALL_MAX / SMALL_STEP)
#define NCLASS (NSMALL + 4 * 40)
#define PAGE 4096u

/*
** Blocks up to SLAB_OBJ_MAX come from slabs: SLAB_SIZE-aligned runs of the
** arena's lower half, each holding blocks of one size class. When a slab's
** last block is freed its pages go back to the system (after a few are kept
** for reuse) and the slab can serve any class, so memory freed in one size
** class is not kept for that class alone. Bigger blocks are whole pages of
** the upper half; a freed one gives all its pages back and waits for reuse
** in its class's free stack, outside the arena. Every choice depends only
** on the sequence of requests, so addresses stay reproducible.
*/
#if !defined(SLAB_SIZE)
#define SLAB_SIZE (64u << 10)
#endif
#define SLAB_OBJ_MAX (8u << 10)
#define SLAB_CACHE 8                   /* empty slabs kept committed */
#define NSLABS (ARENA_SIZE / 2 / SLAB_SIZE)

static size_t used, peak, limit;
void (*alloc_on_free)(void *block);
static int limit_hit;

#ifndef TSBOX_SYSTEM_ALLOC
typedef struct Slab {
  char *free;                  /* freed blocks, linked through their first word */
  uint32_t carved;             /* bytes handed out from the start at least once */
  uint32_t touched;            /* bytes of whole pages committed from the start */
  uint32_t nlive;
  int listed;                  /* in its class's list of slabs with room */
  struct Slab *next, *prev;    /* that list, or a stack of empty slabs */
} Slab;

typedef struct Stack { char **p; size_t n, cap; } Stack;

static size_t committed;               /* pages the arena holds: the real cost */
static char *arena, *slab_bump, *slab_end, *big_bump, *arena_end;
static Slab *slabs;                    /* metadata, by slab number */
static Slab *room[NCLASS];             /* slabs with a free block, per class */
static Slab *cached, *released;        /* empty slabs: committed, given back */
static int ncached;
static Stack bigfree[NCLASS];          /* freed big blocks, per class */
static size_t slab_first;              /* offset of slab 0 in the arena */

/* Size class of a request and the size it rounds up to. */
static int size_class(size_t n, size_t *rounded) {
  if (n <= SMALL_MAX) {
    size_t c = (n + SMALL_STEP - 1) / SMALL_STEP;
    if (c == 0) c = 1;
    *rounded = c * SMALL_STEP;
    return (int)c - 1;
  }
  /* Above SMALL_MAX: four classes per power of two. */
  int k = 63 - __builtin_clzll((unsigned long long)(n - 1));  /* 2^k < n <= 2^(k+1) */
  size_t quarter = (size_t)1 << (k - 1);
  size_t base = (size_t)1 << k;
  size_t j = (n - base + quarter - 1) / quarter;        /* 1..4 */
  *rounded = base + j * quarter;
  return NSMALL + (k - 10) * 4 + (int)j - 1;
}

int alloc_init(size_t max_memory) {
  limit = max_memory;
  void *want = (void *)(uintptr_t)TSBOX_ARENA_BASE;
  arena = mmap(want, ARENA_SIZE, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
               -1, 0);
  if (arena == MAP_FAILED)   /* not at the fixed place: still usable */
    arena = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (arena == MAP_FAILED) return -1;
  slabs = mmap(NULL, NSLABS * sizeof(Slab), PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (slabs == MAP_FAILED) return -1;
  /* Slabs are aligned to their size, so a block finds its slab by address. */
  slab_first = (size_t)(-(uintptr_t)arena & (SLAB_SIZE - 1));
  slab_bump = arena + slab_first;
  slab_end = arena + ARENA_SIZE / 2;
  big_bump = slab_end;
  arena_end = arena + ARENA_SIZE;
  return 0;
}

static int over_limit(size_t more) {
  if (limit && committed + more > limit) {
    limit_hit = 1;
    return 1;
  }
  return 0;
}

static char *slab_base(const Slab *s) {
  return arena + slab_first + (size_t)(s - slabs) * SLAB_SIZE;
}

static Slab *slab_of(const void *p) {
  return &slabs[((size_t)((const char *)p - arena) - slab_first) / SLAB_SIZE];
}

static void list_add(Slab **head, Slab *s) {
  s->prev = NULL;
  s->next = *head;
  if (*head) (*head)->prev = s;
  *head = s;
}

static void list_remove(Slab **head, Slab *s) {
  if (s->prev) s->prev->next = s->next; else *head = s->next;
  if (s->next) s->next->prev = s->prev;
}

static Slab *pop(Slab **stack) {
  Slab *s = *stack;
  if (s) *stack = s->next;
  return s;
}

/* An empty slab for class c: a kept one, a given-back one, or a new one. */
static Slab *slab_new(int c) {
  Slab *s = pop(&cached);
  if (s != NULL) {
    ncached--;
  } else {
    s = pop(&released);
    if (s == NULL) {
      if (slab_end - slab_bump < (ptrdiff_t)SLAB_SIZE) return NULL;
      s = slab_of(slab_bump);
      slab_bump += SLAB_SIZE;
      s->touched = 0;
    }
  }
  s->free = NULL;
  s->carved = 0;
  s->nlive = 0;
  s->listed = 1;
  list_add(&room[c], s);
  return s;
}

static size_t pages(size_t size) { return (size + PAGE - 1) & ~(size_t)(PAGE - 1); }

static void *slab_alloc(int c, size_t size) {
  Slab *s = room[c];
  if (s == NULL && (s = slab_new(c)) == NULL) return NULL;
  char *p = s->free;
  if (p != NULL) {
    memcpy(&s->free, p, sizeof s->free);
  } else {
    /* Pages count against the limit when a block first reaches them. */
    size_t end = pages(s->carved + size);
    if (end > s->touched) {
      if (over_limit(end - s->touched)) return NULL;
      committed += end - s->touched;
      s->touched = (uint32_t)end;
    }
    p = slab_base(s) + s->carved;
    s->carved += (uint32_t)size;
  }
  s->nlive++;
  if (s->free == NULL && s->carved + size > SLAB_SIZE) {
    list_remove(&room[c], s);
    s->listed = 0;
  }
  return p;
}

static void slab_free(char *p, int c) {
  Slab *s = slab_of(p);
  memcpy(p, &s->free, sizeof s->free);
  s->free = p;
  if (--s->nlive > 0) {
    if (!s->listed) { s->listed = 1; list_add(&room[c], s); }
    return;
  }
  if (s->listed) list_remove(&room[c], s);
  s->listed = 0;
  if (ncached < SLAB_CACHE) {
    s->next = cached;
    cached = s;
    ncached++;
    return;
  }
  madvise(slab_base(s), SLAB_SIZE, MADV_DONTNEED);
  committed -= s->touched;
  s->touched = 0;
  s->next = released;
  released = s;
}

static void *big_alloc(int c, size_t size) {
  size_t span = pages(size);
  if (over_limit(span)) return NULL;
  Stack *st = &bigfree[c];
  char *p;
  if (st->n > 0) {
    p = st->p[--st->n];
  } else {
    if ((size_t)(arena_end - big_bump) < span) return NULL;
    p = big_bump;
    big_bump += span;
  }
  committed += span;
  return p;
}

static void big_free(char *p, int c, size_t size) {
  Stack *st = &bigfree[c];
  if (st->n == st->cap) {
    size_t cap = st->cap ? st->cap * 2 : 16;
    char **q = realloc(st->p, cap * sizeof *q);
    if (q == NULL) return;   /* the block stays committed, and is lost */
    st->p = q;
    st->cap = cap;
  }
  madvise(p, pages(size), MADV_DONTNEED);
  committed -= pages(size);
  st->p[st->n++] = p;
}

static void *carve(int c, size_t size) {
  return size <= SLAB_OBJ_MAX ? slab_alloc(c, size) : big_alloc(c, size);
}

static void give_back(void *p, int c, size_t size) {
  if (size <= SLAB_OBJ_MAX) slab_free(p, c); else big_free(p, c, size);
}

void *alloc_lua(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud;
  size_t ocap = 0, ncap;
  int oc = ptr ? size_class(osize, &ocap) : -1;
  if (nsize == 0) {
    if (ptr) {
      if (alloc_on_free) alloc_on_free(ptr);
      give_back(ptr, oc, ocap);
      used -= ocap;
    }
    return NULL;
  }
  int nc = size_class(nsize, &ncap);
  if (ptr && nc == oc) return ptr;
  if (limit && ncap > ocap && used - ocap + ncap > limit) {
    limit_hit = 1;
    return NULL;
  }
  void *q = carve(nc, ncap);
  if (q == NULL) return NULL;
  if (ptr) {
    memcpy(q, ptr, osize < nsize ? osize : nsize);
    give_back(ptr, oc, ocap);
    used -= ocap;
  }
  used += ncap;
  if (used > peak) peak = used;
  return q;
}

/*
** {======================================================
** Snapshot: the universe as built, put back after each run
** =======================================================
*/

/*
** A worker of the explorer runs many schedules from one built universe
** (explore.c). What the allocator holds at the snapshot is copied once:
** the bytes of every slab up to the pages it had touched, the big blocks'
** region, and the bookkeeping above. Putting it back copies those bytes
** over whatever the run left and restores the bookkeeping, so the next
** run's requests get the same addresses as the first run's. Pages the run
** took beyond the snapshot stay committed for the next run (their bytes
** are never read before they are carved again) unless there are many.
*/
#if !defined(SNAPSHOT_KEEP)
#define SNAPSHOT_KEEP (16u << 20)      /* bytes beyond the snapshot kept committed */
#endif

static struct {
  int taken;
  size_t used, peak, committed;
  int limit_hit, ncached;
  char *slab_bump, *big_bump;
  Slab *room[NCLASS], *cached, *released;
  size_t nbig[NCLASS];
  char **bigp;                 /* the free stacks, one after the other */
  Slab *meta;                  /* slabs[0 .. nslabs) */
  size_t nslabs;
  char *bytes;                 /* touched slab pages, then the big region */
  size_t nbytes;
} snap;

int alloc_snapshot(void) {
  size_t nslabs = (size_t)(slab_bump - (arena + slab_first)) / SLAB_SIZE;
  size_t nbytes = (size_t)(big_bump - slab_end), nbig = 0;
  for (size_t i = 0; i < nslabs; i++) nbytes += slabs[i].touched;
  for (int c = 0; c < NCLASS; c++) nbig += bigfree[c].n;
  snap.meta = malloc((nslabs ? nslabs : 1) * sizeof *snap.meta);
  snap.bigp = malloc((nbig ? nbig : 1) * sizeof *snap.bigp);
  snap.bytes = malloc(nbytes ? nbytes : 1);
  if (snap.meta == NULL || snap.bigp == NULL || snap.bytes == NULL) {
    free(snap.meta); free(snap.bigp); free(snap.bytes);
    return -1;
  }
  memcpy(snap.meta, slabs, nslabs * sizeof *snap.meta);
  size_t at = 0;
  for (size_t i = 0; i < nslabs; i++) {
    memcpy(snap.bytes + at, slab_base(&slabs[i]), slabs[i].touched);
    at += slabs[i].touched;
  }
  memcpy(snap.bytes + at, slab_end, (size_t)(big_bump - slab_end));
  at = 0;
  for (int c = 0; c < NCLASS; c++) {
    snap.nbig[c] = bigfree[c].n;
    if (bigfree[c].n) memcpy(snap.bigp + at, bigfree[c].p, bigfree[c].n * sizeof *snap.bigp);
    at += bigfree[c].n;
  }
  snap.nslabs = nslabs;
  snap.nbytes = nbytes;
  snap.used = used; snap.peak = peak; snap.committed = committed;
  snap.limit_hit = limit_hit; snap.ncached = ncached;
  snap.slab_bump = slab_bump; snap.big_bump = big_bump;
  memcpy(snap.room, room, sizeof room);
  snap.cached = cached; snap.released = released;
  snap.taken = 1;
  return 0;
}

void alloc_restore(void) {
  if (!snap.taken) return;
  size_t at = 0;
  for (size_t i = 0; i < snap.nslabs; i++) {
    memcpy(arena + slab_first + i * SLAB_SIZE, snap.bytes + at, snap.meta[i].touched);
    at += snap.meta[i].touched;
  }
  memcpy(slab_end, snap.bytes + at, (size_t)(snap.big_bump - slab_end));
  memcpy(slabs, snap.meta, snap.nslabs * sizeof *slabs);
  /* Give back what a greedy run took, so that a worker stays small. */
  if ((size_t)(slab_bump - snap.slab_bump) > SNAPSHOT_KEEP)
    madvise(snap.slab_bump, (size_t)(slab_bump - snap.slab_bump), MADV_DONTNEED);
  if ((size_t)(big_bump - snap.big_bump) > SNAPSHOT_KEEP)
    madvise(snap.big_bump, (size_t)(big_bump - snap.big_bump), MADV_DONTNEED);
  at = 0;
  for (int c = 0; c < NCLASS; c++) {
    bigfree[c].n = snap.nbig[c];   /* a stack only grows: it has the room */
    if (snap.nbig[c]) memcpy(bigfree[c].p, snap.bigp + at, snap.nbig[c] * sizeof *snap.bigp);
    at += snap.nbig[c];
  }
  used = snap.used; peak = snap.peak; committed = snap.committed;
  limit_hit = snap.limit_hit; ncached = snap.ncached;
  slab_bump = snap.slab_bump; big_bump = snap.big_bump;
  memcpy(room, snap.room, sizeof room);
  cached = snap.cached; released = snap.released;
}

/* }====================================================== */

#else  /* TSBOX_SYSTEM_ALLOC */

int alloc_init(size_t max_memory) {
  limit = max_memory;
  return 0;
}

/* Objects live in the C heap here: there is nothing to snapshot. */
int alloc_snapshot(void) { return -1; }
void alloc_restore(void) {}

void *alloc_lua(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud;
  if (ptr == NULL) osize = 0;
  if (nsize == 0) {
    if (ptr && alloc_on_free) alloc_on_free(ptr);
    free(ptr);
    used -= osize;
    return NULL;
  }
  if (limit && nsize > osize && used - osize + nsize > limit) {
    limit_hit = 1;
    return NULL;
  }
  void *q = realloc(ptr, nsize);
  if (q == NULL) return nsize <= osize ? ptr : NULL;
  used = used - osize + nsize;
  if (used > peak) peak = used;
  return q;
}

#endif

size_t alloc_used(void) { return used; }
size_t alloc_peak(void) { return peak; }
int alloc_limit_hit(void) { return limit_hit; }
