/*
** map.c: a hash map from non-zero 64-bit keys to pointers, for --race's
** and --explain's bookkeeping (outside the Lua universe), and the string
** interner built on it. Linear probing; deletion by backward shift, so
** that no tombstones accumulate.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "outcome.h"


static size_t map_hash(uint64_t k, size_t cap) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdull;
  k ^= k >> 33;
  return (size_t)k & (cap - 1);
}

static void **map_slot(const Map *m, uint64_t k) {
  if (m->cap == 0) return NULL;
  for (size_t i = map_hash(k, m->cap);; i = (i + 1) & (m->cap - 1)) {
    if (m->keys[i] == k) return &m->vals[i];
    if (m->keys[i] == 0) return NULL;
  }
}

void **map_slot_of(const Map *m, uint64_t k) { return map_slot(m, k); }

void *map_get(const Map *m, uint64_t k) {
  void **v = map_slot(m, k);
  return v ? *v : NULL;
}

static void map_grow(Map *m) {
  Map old = *m;
  m->cap = old.cap ? old.cap * 2 : 16;
  m->n = 0;
  m->keys = outcome_calloc(m->cap, sizeof *m->keys);
  m->vals = outcome_calloc(m->cap, sizeof *m->vals);
  for (size_t i = 0; i < old.cap; i++)
    if (old.keys[i]) map_put(m, old.keys[i], old.vals[i]);
  free(old.keys);
  free(old.vals);
}

void map_put(Map *m, uint64_t k, void *v) {
  if ((m->n + 1) * 4 > m->cap * 3) map_grow(m);
  size_t i = map_hash(k, m->cap);
  while (m->keys[i] != 0 && m->keys[i] != k) i = (i + 1) & (m->cap - 1);
  if (m->keys[i] == 0) m->n++;
  m->keys[i] = k;
  m->vals[i] = v;
}

/* Removes `k`; returns its value (NULL if absent). */
void *map_del(Map *m, uint64_t k) {
  if (m->cap == 0) return NULL;
  size_t mask = m->cap - 1, i = map_hash(k, m->cap);
  while (m->keys[i] != k) {
    if (m->keys[i] == 0) return NULL;
    i = (i + 1) & mask;
  }
  void *v = m->vals[i];
  m->n--;
  for (size_t j = (i + 1) & mask; m->keys[j] != 0; j = (j + 1) & mask) {
    size_t home = map_hash(m->keys[j], m->cap);
    /* Move j back into the hole at i unless its home lies in (i, j]. */
    if (((j - home) & mask) >= ((j - i) & mask)) {
      m->keys[i] = m->keys[j];
      m->vals[i] = m->vals[j];
      i = j;
    }
  }
  m->keys[i] = 0;
  m->vals[i] = NULL;
  return v;
}

void map_free(Map *m) {
  free(m->keys);
  free(m->vals);
  memset(m, 0, sizeof *m);
}

/* FNV-1a, never 0 (not a key). */
static uint64_t hash_string(const char *s) {
  uint64_t h = 0xcbf29ce484222325u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3u;
  return h ? h : 1;
}

const char *map_intern(Map *m, const char *s) {
  for (uint64_t k = hash_string(s);; k = k + 1 ? k + 1 : 1) {   /* a collision: the next key */
    const char *p = map_get(m, k);
    if (p == NULL) {
      p = outcome_strdup(s);
      map_put(m, k, (void *)p);
      return p;
    }
    if (strcmp(p, s) == 0) return p;
  }
}
