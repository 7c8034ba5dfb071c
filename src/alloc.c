/*
** alloc.c: the Lua universe's allocator. Objects are carved from one
** arena mapped at a fixed address, with size-segregated free lists, so the
** same sequence of requests yields the same addresses run after run: table
** keys hash by address and tostring() prints addresses, and both must be
** reproducible. It also enforces --max-memory. It is only ever called under
** the GIL, so it takes no lock. Sanitizer builds use the system allocator
** instead so that every Lua object stays visible to the sanitizer.
*/
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
#define BIG_RELEASE (256u << 10)       /* give pages back for blocks this big */

static size_t used, peak, limit;
void (*alloc_on_free)(void *block);
static int limit_hit;

#ifndef TSBOX_SYSTEM_ALLOC
static char *arena, *bump, *arena_end;
static void *freelist[NCLASS];

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
  bump = arena;
  arena_end = arena + ARENA_SIZE;
  return 0;
}

static void *carve(int c, size_t size) {
  void *p = freelist[c];
  if (p != NULL) {
    freelist[c] = *(void **)p;
    return p;
  }
  if ((size_t)(arena_end - bump) < size) return NULL;
  p = bump;
  bump += size;
  return p;
}

static void give_back(void *p, int c, size_t size) {
  if (size >= BIG_RELEASE) {
    /* Keep the first page (it holds the free-list link), return the rest. */
    madvise((char *)p + 4096, size - 4096, MADV_DONTNEED);
  }
  *(void **)p = freelist[c];
  freelist[c] = p;
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

#else  /* TSBOX_SYSTEM_ALLOC */

int alloc_init(size_t max_memory) {
  limit = max_memory;
  return 0;
}

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
