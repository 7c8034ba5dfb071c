/*
** map.h: a hash map from non-zero 64-bit keys to pointers (map.c).
*/
#ifndef TSBOX_MAP_H
#define TSBOX_MAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct Map {
  uint64_t *keys;
  void **vals;
  size_t cap, n;             /* cap: a power of two, or 0 */
} Map;

void *map_get(const Map *m, uint64_t k);
/* Where the value of `k` is stored (NULL if absent), to update it in place. */
void **map_slot_of(const Map *m, uint64_t k);
void map_put(Map *m, uint64_t k, void *v);
/* Removes `k`; returns its value (NULL if absent). */
void *map_del(Map *m, uint64_t k);
void map_free(Map *m);
/* The one copy of `s` kept in `m`, made on first use: an interner, whose
   strings live as long as the process (map_free does not free them). */
const char *map_intern(Map *m, const char *s);

#endif
