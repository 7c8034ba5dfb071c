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
/*
** A copy of the universe as it stands, and putting it back: the same
** bytes at the same addresses and the allocator's state, so that what
** follows runs as it did after the copy. -1 when objects are not in the
** arena (sanitizer builds) or memory is short.
*/
int alloc_snapshot(void);
void alloc_restore(void);
size_t alloc_peak(void);
int alloc_limit_hit(void);
/* Told of every block the universe frees (--race forgets what lived there). */
extern void (*alloc_on_free)(void *block);

#endif
