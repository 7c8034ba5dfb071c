/*
** race.h: --race. Happens-before data-race detection (FastTrack: epochs,
** vector clocks only where reads are shared) over the accesses access.c
** observes, lock-order inversion (lockdep), and their reports. The
** primitives call the RACE_* hooks; they cost one branch when --race is off.
*/
#ifndef TSBOX_RACE_H
#define TSBOX_RACE_H

#include <stdint.h>

#include <lua.h>

#include "run.h"

extern int race_enabled;     /* accesses and locks are tracked */
extern int race_reporting;   /* ... and races and inversions reported (--race) */

/* How a sync object takes part: RACE_LOCK also makes it "held" (lockdep). */
#define RACE_LOCK 1

/* report: 0 tracks without reporting (what --explain needs). */
void race_init(int report);
/* Where an access's footprint goes (--sched dfs and pos): the scheduler
   registers sched_touch_id at init, so that race.c never calls up. */
void race_set_footprint(void (*touch)(uint64_t loc, int kind));
void race_sync_new(lua_State *L, const Waitable *w);
void race_acquire(Thread *t, const Waitable *w, int flags);
void race_release(Thread *t, const Waitable *w, int flags);
void race_fork(Thread *parent, Thread *child);
void race_join(Thread *self, Thread *child);
/* The toolbox's explicit edges (Queue, Future): ts._race_acquire/_release. */
int race_lua_acquire(lua_State *L);
int race_lua_release(lua_State *L);
/* ts._race_name(t, name): ts.shared's name for a table, the best there is. */
int race_lua_name(lua_State *L);

#define RACE(call) do { if (race_enabled) race_##call; } while (0)

/*
** {======================================================
** Shared locations, as access.c describes them
** =======================================================
*/

typedef enum { LOC_GLOBAL, LOC_UPVALUE, LOC_FIELD, LOC_INDEX, LOC_LENGTH, LOC_KEY, LOC_KEYS } LocKind;

/* A Lua value as a report prints it; strings are truncated. */
typedef struct RaceVal {
  int type;                  /* LUA_T* */
  union { lua_Integer i; lua_Number n; int b; const void *p; } u;
  int isint;
  char s[20];
} RaceVal;

typedef struct RaceLoc {
  LocKind kind;
  const void *obj;           /* the table, or the upvalue's identity */
  uint64_t key;              /* within a table (0 for an upvalue) */
  const char *name;          /* global, upvalue or field name; NULL otherwise */
  lua_Integer index;         /* LOC_INDEX */
} RaceLoc;

/* Where an access happens: a site id; a NULL src marks code never tracked. */
#define RACE_SITE_IGNORED UINT32_MAX
uint32_t race_site(const void *proto, int pc, const char *src, int line);
uint32_t race_site_known(const void *proto, int pc);
/* is_write: 0 read, 1 write, 2 a write of a length (races with reads only) */
void race_access(RaceLoc *loc, int is_write, uint32_t site, const RaceVal *v);
/* A table was reached through a named variable or field (rank: see race.c). */
void race_name_table(const void *table, const char *name, int rank);
void race_table_created(const void *table, uint32_t site);
void race_set_globals(const void *table);
void race_forget(void *block);

/* A location as a report names it ("balance", "t.x"), a value as it
   prints, a site's source position (src NULL when unknown). */
void race_describe(const RaceLoc *loc, char *brief, size_t n);
void race_value(const RaceVal *v, char *buf, size_t n);
void race_site_where(uint32_t site, const char **src, int *line);

/*
** Another reader of the same stream (--explain), registered before the
** run: every access with its location's identity, and each race found.
*/
typedef struct RaceObserver {
  void (*access)(const RaceLoc *loc, uint64_t id, int is_write, uint32_t site, const RaceVal *v);
  void (*race)(uint64_t id);
} RaceObserver;
extern RaceObserver race_observer;

#endif
