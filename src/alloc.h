/*
** alloc.h: the Lua universe's allocator (deterministic addresses, memory
** limit). Called only under the GIL.
*/
#ifndef TSBOX_ALLOC_H
#define TSBOX_ALLOC_H

#include <stddef.h>

int alloc_init(size_t max_memory);
void *alloc_lua(void *ud, void *ptr, size_t osize, size_t nsize);
size_t alloc_used(void);
size_t alloc_peak(void);
int alloc_limit_hit(void);
/* Told of every block the universe frees (--race forgets what lived there). */
extern void (*alloc_on_free)(void *block);

#endif
