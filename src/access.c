/*
** access.c: sees every read and write of shared state, for --race,
** --explain and the footprints of dfs and pos. The count hook runs before
** every VM instruction; this file decodes the
** instruction about to execute (GETUPVAL/SETUPVAL, GETTABUP/SETTABUP,
** GETTABLE/GETI/GETFIELD/SELF, SETTABLE/SETI/SETFIELD, LEN, NEWTABLE, and
** the calls of the library functions that index tables), reads its
** operands through the debug API and hands each access to race.c. It also
** keeps, per Lua thread, the countdown to the next preemption that the
** count hook would have kept without --race, so the schedule does not
** change. It never runs Lua code and never allocates in the universe
** (string.gsub's matching is redone in a scratch state of its own).
**
** The one thing the public API does not give is the instruction itself:
** it is read through Lua 5.4.4's CallInfo (the saved pc) and Proto (the
** code and the constants). The layouts below mirror that release; the
** build refuses any other, and access_selftest() checks them at start-up.
*/
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "access.h"
#include "lua544.h"
#include "map.h"
#include "race.h"
#include "sched.h"

/*
** {======================================================
** Lua 5.4.4's layouts (lobject.h), as far as they are read; the rest are
** in lua544.h
** =======================================================
*/

typedef struct LProto {
  void *next;
  unsigned char tt, marked, numparams, is_vararg, maxstacksize;
  int sizeupvalues, sizek, sizecode, sizelineinfo, sizep, sizelocvars;
  int sizeabslineinfo, linedefined, lastlinedefined;
  LValue *k;
  Instr *code;
  void *p, *upvalues, *lineinfo, *abslineinfo, *locvars, *source, *gclist;
} LProto;

typedef struct LClosure {
  void *next;
  unsigned char tt, marked, nupvalues;
  void *gclist;
  LProto *p;
} LClosure;

typedef struct LUpVal {
  void *next;
  unsigned char tt, marked, tbc;
  LValue *v;                 /* into the stack while open */
} LUpVal;

typedef struct LString {
  void *next;
  unsigned char tt, marked, extra, shrlen;
  unsigned int hash;
  union { size_t lnglen; void *hnext; } u;
  char contents[1];
} LString;

#define TAG_LCL 0x46         /* LUA_VLCL | BIT_ISCOLLECTABLE */
#define TAG_SHRSTR 0x44      /* LUA_VSHRSTR | BIT_ISCOLLECTABLE */
#define TAG_LNGSTR 0x54
#define TAG_INT 0x03
#define TAG_FLT 0x13
#define TAG_FALSE 0x01
#define TAG_TRUE 0x11

/* lopcodes.h of 5.4.4 */
enum {
  OP_GETUPVAL = 9, OP_SETUPVAL = 10, OP_GETTABUP = 11, OP_GETTABLE = 12, OP_GETI = 13,
  OP_GETFIELD = 14, OP_SETTABUP = 15, OP_SETTABLE = 16, OP_SETI = 17, OP_SETFIELD = 18,
  OP_NEWTABLE = 19, OP_SELF = 20, OP_LEN = 52, OP_CALL = 68, OP_TAILCALL = 69, OP_RETURN = 70,
  OP_TFORCALL = 76,
  OP_CLOSURE = 79
};
#define I_OP(i) ((int)((i) & 0x7f))
#define I_A(i) ((int)(((i) >> 7) & 0xff))
#define I_K(i) ((int)(((i) >> 15) & 1))
#define I_B(i) ((int)(((i) >> 16) & 0xff))
#define I_C(i) ((int)(((i) >> 24) & 0xff))

/* }====================================================== */

static int selftest_mode;    /* the start-up check is running */
static int selftest_ops[8], selftest_n;

static LProto *proto_of(const LCallInfo *ci) {
  const LValue *f = ci->func;
  if (f->tt != TAG_LCL) return NULL;
  return ((const LClosure *)f->v.gc)->p;
}

static _Noreturn void layout_broken(const char *what) {
  fflush(stdout);
  fprintf(stderr, "tsbox: --race cannot read this Lua's instructions (%s): it needs Lua 5.4.4's "
                  "internal layout; run without --race\n", what);
  fflush(stderr);
  _exit(EXIT_USAGE);
}

/* A string constant: its text (NULL if K[idx] is not a short string). */
static const char *kstring(const LProto *p, int idx, size_t *len) {
  if (idx < 0 || idx >= p->sizek) layout_broken("constant index");
  const LValue *k = &p->k[idx];
  if (k->tt != TAG_SHRSTR) return NULL;
  const LString *s = k->v.gc;
  *len = s->shrlen;
  return s->contents;
}

/*
** Push constant K[idx]; 0 if it is not a plain value. A string is copied
** into a slot pushed as nil: lua_pushlstring would not allocate (constants
** are interned) but would run a step of the collector when one is due, and
** the collector must run exactly when it would without --race.
*/
static int push_k(lua_State *L, const LCallInfo *ci, const LProto *p, int idx) {
  if (idx < 0 || idx >= p->sizek) layout_broken("constant index");
  const LValue *k = &p->k[idx];
  switch (k->tt) {
    case TAG_INT: lua_pushinteger(L, k->v.i); return 1;
    case TAG_FLT: lua_pushnumber(L, k->v.n); return 1;
    case TAG_FALSE: lua_pushboolean(L, 0); return 1;
    case TAG_TRUE: lua_pushboolean(L, 1); return 1;
    case TAG_SHRSTR:
      lua_pushnil(L);
      ci->func[lua_gettop(L)].v = k->v;   /* the slot just pushed */
      ci->func[lua_gettop(L)].tt = k->tt;
      return 1;
    case 0: lua_pushnil(L); return 1;
    default: return 0;
  }
}

static void val_of(lua_State *L, int idx, RaceVal *v) {
  memset(v, 0, sizeof *v);
  v->type = lua_type(L, idx);
  switch (v->type) {
    case LUA_TNUMBER:
      v->isint = lua_isinteger(L, idx);
      if (v->isint) v->u.i = lua_tointeger(L, idx);
      else v->u.n = lua_tonumber(L, idx);
      break;
    case LUA_TBOOLEAN: v->u.b = lua_toboolean(L, idx); break;
    case LUA_TSTRING: {   /* its first 16 bytes, then "..." (copied: this runs per access) */
      size_t len;
      const char *s = lua_tolstring(L, idx, &len);
      size_t n = len > 16 ? 16 : len;
      memcpy(v->s, s, n);
      if (len > 16) {
        memcpy(v->s + n, "...", 3);
        n += 3;
      }
      v->s[n] = '\0';
      break;
    }
    default: v->u.p = lua_topointer(L, idx); break;
  }
}

/*
** {======================================================
** The countdown to the next preemption, per Lua thread. Without --race
** Lua keeps it (hookcount, reset from basehookcount), except where the
** hook fires at every instruction (a deep stack, a gap of 1); there, and
** everywhere with --race, this keeps the same count. A coroutine
** starts with its creator's count; lua_newthread copies the main thread's
** extra space into it, so that space holds the count of the thread that
** ran last, and MainThread's own count lives here.
** =======================================================
*/

typedef struct Countdown { int32_t base, left; } Countdown;
_Static_assert(sizeof(Countdown) <= LUA_EXTRASPACE, "a countdown lives in a thread's extra space");
static Countdown main_countdown;

static Countdown *countdown(lua_State *L) {
  return L == R->L ? &main_countdown : (Countdown *)lua_getextraspace(L);
}

static void set_template(const Countdown *c) {
  Countdown *t = (Countdown *)lua_getextraspace(R->L);
  t->base = t->left = c->base;
}

int access_arm(lua_State *L, int gap) {
  if (!race_enabled) return gap;
  Countdown *c = countdown(L);
  c->base = c->left = gap;
  set_template(c);
  return 1;
}

void access_count_self(lua_State *L, int gap) {
  Countdown *c = countdown(L);
  c->base = c->left = gap;
  set_template(c);
}

int access_tick(lua_State *L) {
  Countdown *c = countdown(L);
  int expired = --c->left <= 0;
  if (expired) c->left = c->base;
  set_template(c);
  return !expired;
}

/* }====================================================== */

/*
** {======================================================
** Decoding
** =======================================================
*/

/* A table constructed by the last instruction, named once it exists. */
typedef struct { lua_State *L; const void *ci; int reg; uint32_t site; } PendingTable;
static PendingTable pending;

static uint32_t site_of(lua_State *L, lua_Debug *ar, const LProto *p, int pc) {
  uint32_t id = race_site_known(p, pc);
  if (id == RACE_SITE_IGNORED) return 0;
  if (id) return id;
  if (!lua_getinfo(L, "Sl", ar)) return 0;
  if (strcmp(ar->source, "=[tsbox toolbox]") == 0) return race_site(p, pc, NULL, 0);
  return race_site(p, pc, ar->short_src, ar->currentline);
}

/* Push register `reg`; returns its local name or "(temporary)". */
static const char *push_reg(lua_State *L, lua_Debug *ar, int reg) {
  const char *name = lua_getlocal(L, ar, reg + 1);
  if (name == NULL) {
    lua_pushnil(L);
    return "(temporary)";
  }
  return name;
}

/* Push RK(x): a constant when `k` is set, else register x. */
static int push_rk(lua_State *L, lua_Debug *ar, const LProto *p, int k, int x) {
  if (k) return push_k(L, (const LCallInfo *)ar->i_ci, p, x);
  push_reg(L, ar, x);
  return 1;
}

/*
** Describe key (stack index kidx) of table tidx into loc. Float keys with
** an integer value are the same slot as the integer, as in Lua.
*/
static int key_loc(lua_State *L, int kidx, RaceLoc *loc) {
  int t = lua_type(L, kidx);
  loc->name = NULL;
  if (t == LUA_TNUMBER) {
    lua_Integer i;
    if (lua_isinteger(L, kidx)) i = lua_tointeger(L, kidx);
    else {
      lua_Number n = lua_tonumber(L, kidx);
      if (n != n) return 0;
      if (n >= -9.2e18 && n <= 9.2e18 && (lua_Number)(lua_Integer)n == n) i = (lua_Integer)n;
      else {
        uint64_t bits;
        memcpy(&bits, &n, sizeof bits);
        loc->kind = LOC_KEY;
        loc->key = (bits << 2) | 3;
        return 1;
      }
    }
    loc->kind = LOC_INDEX;
    loc->index = i;
    loc->key = ((uint64_t)i << 2) | 1;
    return 1;
  }
  if (t == LUA_TSTRING) {
    const char *s = lua_tostring(L, kidx);
    loc->kind = LOC_FIELD;
    loc->name = s;
    loc->key = ((uint64_t)(uintptr_t)s << 2) | 2;
    return 1;
  }
  if (t == LUA_TNIL) return 0;
  loc->kind = LOC_KEY;
  loc->key = ((uint64_t)(uintptr_t)lua_topointer(L, kidx) << 2) | 3;
  if (t == LUA_TBOOLEAN) loc->key = ((uint64_t)lua_toboolean(L, kidx) << 2) | 3;
  return 1;
}

/*
** The type of field `event` of the metatable of tidx (LUA_TNIL if none).
** It walks the metatable rather than push the name: see push_k.
*/
static int metafield(lua_State *L, int tidx, const char *event) {
  int found = LUA_TNIL;
  if (!lua_getmetatable(L, tidx)) return found;
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    if (lua_type(L, -2) == LUA_TSTRING && strcmp(lua_tostring(L, -2), event) == 0) {
      found = lua_type(L, -1);
      lua_pop(L, 2);
      break;
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return found;
}

/* Does table tidx send a missing key to a metamethod `event` function? */
static int redirected(lua_State *L, int tidx, const char *event) {
  int t = metafield(L, tidx, event);
  return t != LUA_TNIL && t != LUA_TTABLE;
}

static void name_value(lua_State *L, int idx, const char *name, int rank) {
  if (name && lua_type(L, idx) == LUA_TTABLE) race_name_table(lua_topointer(L, idx), name, rank);
}

/*
** A read or write of table[key] (stack indices); for a write, vidx is the
** value stored. Names the table after `tname` when that is a variable.
*/
static void table_access(lua_State *L, int tidx, int kidx, int vidx, int is_write, uint32_t site,
                         const char *tname, int trank) {
  if (lua_type(L, tidx) != LUA_TTABLE) return;
  RaceLoc loc = { 0 };
  if (!key_loc(L, kidx, &loc)) return;
  loc.obj = lua_topointer(L, tidx);
  name_value(L, tidx, tname, trank);
  lua_pushvalue(L, kidx);
  lua_rawget(L, tidx);
  int old = lua_gettop(L);
  int absent = lua_isnil(L, old);
  if (absent && redirected(L, tidx, is_write ? "__newindex" : "__index")) {
    lua_pop(L, 1);
    return;   /* a proxy (thread_local, a class): its metamethod's accesses count */
  }
  RaceVal v;
  if (!is_write) {
    val_of(L, old, &v);
    name_value(L, old, loc.name, 3);
    race_access(&loc, 0, site, &v);
  } else {
    val_of(L, vidx, &v);
    name_value(L, vidx, loc.name, 3);
    int present = !lua_isnil(L, vidx);
    race_access(&loc, 1, site, &v);
    /* A key added or removed changes what a traversal (next, pairs) sees:
       like #t, a write that races with reads only. */
    if (absent != !present) {   /* its value in reports: the key */
      RaceLoc keys = { LOC_KEYS, loc.obj, 8, NULL, 0 };
      RaceVal key;
      val_of(L, kidx, &key);
      race_access(&keys, 2, site, &key);
    }
    /* A write that adds or removes the border element changes #t (a
       border lies in 1 .. maxinteger - 1: no neighbour overflows). */
    if (loc.kind == LOC_INDEX && absent != !present && loc.index >= 1 && loc.index < LUA_MAXINTEGER) {
      lua_Integer i = loc.index;
      int border = 0;
      if (present) {
        border = i == 1 || (lua_rawgeti(L, tidx, i - 1) != LUA_TNIL);
        if (i != 1) lua_pop(L, 1);
      } else {
        border = lua_rawgeti(L, tidx, i + 1) == LUA_TNIL;
        lua_pop(L, 1);
      }
      if (border) {
        RaceLoc len = { LOC_LENGTH, loc.obj, 4, NULL, 0 };
        RaceVal n = { 0 };
        n.type = LUA_TNUMBER;
        n.isint = 1;
        n.u.i = present ? i : i - 1;
        race_access(&len, 2, site, &n);
      }
    }
  }
  lua_pop(L, 1);
}

/*
** {======================================================
** Captured locals. A local of a function that also lives on as an upvalue
** of a closure (a thread's target, a Timer callback) is one shared
** location, but the function that declares it reads and writes it as a
** register. So when a closure is made, its open upvalues that point into
** the frame are noted, and that frame's instructions that read or write
** those registers count as accesses of the upvalue.
** =======================================================
*/

typedef struct Captured {
  int reg;
  const LUpVal *uv;
  char name[40];
  struct Captured *next;
} Captured;

static Map captured;         /* CallInfo -> list of Captured */
static Map captured_uv;      /* upvalue -> its CallInfo */
typedef struct { lua_State *L; const void *ci; int reg; } PendingClosure;
static PendingClosure pending_closure;

static void drop_captured(const void *ci, const Captured *only) {
  Captured **p = (Captured **)map_slot_of(&captured, (uint64_t)(uintptr_t)ci);
  if (p == NULL) return;
  while (*p) {
    Captured *c = *p;
    if (only == NULL || c == only) {
      *p = c->next;
      map_del(&captured_uv, (uint64_t)(uintptr_t)c->uv);
      free(c);
    } else {
      p = &c->next;
    }
  }
  if (map_get(&captured, (uint64_t)(uintptr_t)ci) == NULL) map_del(&captured, (uint64_t)(uintptr_t)ci);
}

/* The closure made by the last instruction is in `reg`: note its captures. */
static void note_captures(lua_State *L, lua_Debug *ar, const LCallInfo *ci, int reg) {
  push_reg(L, ar, reg);
  for (int n = 1; lua_type(L, -1) == LUA_TFUNCTION && !lua_iscfunction(L, -1); n++) {
    const LUpVal *uv = lua_upvalueid(L, -1, n);
    if (uv == NULL) break;
    ptrdiff_t r = uv->v - (ci->func + 1);
    if (r < 0 || r >= ci->top - (ci->func + 1) || map_get(&captured_uv, (uint64_t)(uintptr_t)uv))
      continue;
    Captured *c = calloc(1, sizeof *c);
    if (c == NULL) layout_broken("out of memory");
    c->reg = (int)r;
    c->uv = uv;
    const char *name = lua_getlocal(L, ar, (int)r + 1);
    snprintf(c->name, sizeof c->name, "%s", name ? name : "?");
    if (name) lua_pop(L, 1);
    c->next = map_get(&captured, (uint64_t)(uintptr_t)ci);
    map_put(&captured, (uint64_t)(uintptr_t)ci, c);
    map_put(&captured_uv, (uint64_t)(uintptr_t)uv, (void *)ci);
  }
  lua_pop(L, 1);
}

enum { USE_READ = 1, USE_WRITE = 2 };

static int in_range(int r, int from, int n) { return r >= from && r < from + n; }

/* How instruction i uses register r (the common data-moving opcodes). */
static int reg_use(Instr i, int r) {
  int op = I_OP(i), a = I_A(i), b = I_B(i), c = I_C(i), k = I_K(i);
  int use = 0;
  if (op == 0) return (r == b ? USE_READ : 0) | (r == a ? USE_WRITE : 0);          /* MOVE */
  if (op >= 1 && op <= 7) return r == a ? USE_WRITE : 0;                             /* LOAD* */
  if (op == 8) return in_range(r, a, b + 1) ? USE_WRITE : 0;                         /* LOADNIL */
  switch (op) {
    case OP_GETUPVAL: case OP_GETTABUP: case OP_NEWTABLE: case OP_CLOSURE:
      return r == a ? USE_WRITE : 0;
    case OP_SETUPVAL: return r == a ? USE_READ : 0;
    case OP_GETTABLE: use = (r == b || r == c) ? USE_READ : 0; return use | (r == a ? USE_WRITE : 0);
    case OP_GETI: case OP_GETFIELD: return (r == b ? USE_READ : 0) | (r == a ? USE_WRITE : 0);
    case OP_SETTABUP: return !k && r == c ? USE_READ : 0;
    case OP_SETTABLE: return (r == a || r == b || (!k && r == c)) ? USE_READ : 0;
    case OP_SETI: case OP_SETFIELD: return (r == a || (!k && r == c)) ? USE_READ : 0;
    case OP_SELF:
      use = (r == b || (!k && r == c)) ? USE_READ : 0;
      return use | (in_range(r, a, 2) ? USE_WRITE : 0);
    case 66: return r == a ? USE_READ : 0;                                           /* TEST */
    case 67: return (r == b ? USE_READ : 0) | (r == a ? USE_WRITE : 0);              /* TESTSET */
    case OP_RETURN: return b > 0 && in_range(r, a, b - 1) ? USE_READ : 0;
    case 72: return r == a ? USE_READ : 0;                                           /* RETURN1 */
    case 53: return (in_range(r, a, b) ? USE_READ : 0) | (r == a ? USE_WRITE : 0);   /* CONCAT */
    default: break;
  }
  if ((op >= 21 && op <= 33) || (op >= 49 && op <= OP_LEN))                         /* R[A] := f(R[B], k) */
    return (r == b ? USE_READ : 0) | (r == a ? USE_WRITE : 0);
  if (op >= 34 && op <= 45)                                                           /* R[A] := R[B] op R[C] */
    return ((r == b || r == c) ? USE_READ : 0) | (r == a ? USE_WRITE : 0);
  if (op >= 57 && op <= 59) return (r == a || r == b) ? USE_READ : 0;                /* EQ LT LE */
  if (op >= 60 && op <= 65) return r == a ? USE_READ : 0;                            /* EQK .. GEI */
  return 0;
}

/* A write to a captured local is recorded once the value is there. */
typedef struct { lua_State *L; const void *ci; const Captured *c; uint32_t site; } PendingWrite;
static PendingWrite pending_write;

static void captured_access(lua_State *L, lua_Debug *ar, const LCallInfo *ci, Instr i,
                            uint32_t site) {
  Captured *c = map_get(&captured, (uint64_t)(uintptr_t)ci);
  while (c) {
    Captured *next = c->next;
    if (c->uv->v != ci->func + 1 + c->reg) {
      drop_captured(ci, c);   /* closed: the frame is gone, or it is another frame now */
    } else {
      int use = reg_use(i, c->reg);
      if (use & USE_READ) {
        RaceLoc loc = { LOC_UPVALUE, c->uv, 0, c->name, 0 };
        RaceVal v;
        push_reg(L, ar, c->reg);
        val_of(L, -1, &v);
        lua_pop(L, 1);
        race_access(&loc, 0, site, &v);
      }
      if ((use & USE_WRITE) && sched_peeking) {
        RaceLoc loc = { LOC_UPVALUE, c->uv, 0, c->name, 0 };
        RaceVal v = { 0 };
        race_access(&loc, 1, site, &v);   /* only its footprint is wanted */
      } else if (use & USE_WRITE) {
        pending_write.L = L;
        pending_write.ci = ci;
        pending_write.c = c;
        pending_write.site = site;
      }
    }
    c = next;
  }
}

static void finish_pending(lua_State *L, lua_Debug *ar, const LCallInfo *ci) {
  if (pending_write.L == L) {
    const Captured *c = pending_write.c;
    if (pending_write.ci == ci && map_get(&captured_uv, (uint64_t)(uintptr_t)c->uv) == ci) {
      RaceLoc loc = { LOC_UPVALUE, c->uv, 0, c->name, 0 };
      RaceVal v;
      push_reg(L, ar, c->reg);
      val_of(L, -1, &v);
      lua_pop(L, 1);
      race_access(&loc, 1, pending_write.site, &v);
    }
    pending_write.L = NULL;
  }
  if (pending_closure.L == L) {
    if (pending_closure.ci == ci) note_captures(L, ar, ci, pending_closure.reg);
    pending_closure.L = NULL;
  }
}

void access_forget(void *block) {
  race_forget(block);
  const void *ci = map_get(&captured_uv, (uint64_t)(uintptr_t)block);
  if (ci == NULL) return;
  Captured *c = map_get(&captured, (uint64_t)(uintptr_t)ci);
  while (c && c->uv != block) c = c->next;
  if (c) drop_captured(ci, c);
}

/* }====================================================== */

/* A read of #t (table at tidx); Lua computes it again right after, alike. */
static lua_Integer length_read(lua_State *L, int tidx, uint32_t site) {
  RaceLoc loc = { LOC_LENGTH, lua_topointer(L, tidx), 4, NULL, 0 };
  RaceVal v = { 0 };
  v.type = LUA_TNUMBER;
  v.isint = 1;
  v.u.i = (lua_Integer)lua_rawlen(L, tidx);
  race_access(&loc, 0, site, &v);
  return v.u.i;
}

/*
** {======================================================
** Library functions that read or write shared state without an
** instruction of their own: their accesses are recorded at their call
** (from Lua, a call or a tail call with its arguments fixed). A call
** whose last argument is a call or `...`, as `table.insert(t, f(x))`,
** passes a number of arguments the count hook cannot learn (luaD_hook
** raises the top to the end of the frame first): it is not seen.
** =======================================================
*/

static lua_CFunction tinsert, tremove, tconcat, tunpack, tmove, tsort, gsub_fn;
static lua_CFunction raw_get, raw_set, raw_len, uv_get, uv_set, pcall_fn;
/* next (pairs' iterator too), and the iterator ipairs returns */
static lua_CFunction next_fn, ipairs_step;

/* #t as luaL_len finds it (table at tidx), read; 0 when a __len
   metamethod decides it (Lua code, tracked on its own) or t is no table. */
static int table_length(lua_State *L, int tidx, uint32_t site, lua_Integer *n) {
  if (lua_type(L, tidx) != LUA_TTABLE || metafield(L, tidx, "__len") != LUA_TNIL) return 0;
  *n = length_read(L, tidx, site);
  return 1;
}

/* Argument idx as luaL_optinteger takes it (dflt when nil); 0 if it raises. */
static int opt_integer(lua_State *L, int idx, lua_Integer dflt, lua_Integer *out) {
  int ok = 1;
  *out = lua_isnil(L, idx) ? dflt : lua_tointegerx(L, idx, &ok);
  return ok;
}

/* ... as luaL_checkinteger takes it. */
static int check_integer(lua_State *L, int idx, lua_Integer *out) {
  return !lua_isnil(L, idx) && opt_integer(L, idx, 0, out);
}

/* A read of the set of t's keys (table at tidx) that finds key absent. */
static void keys_read(lua_State *L, int tidx, const RaceVal *key, uint32_t site) {
  RaceLoc keys = { LOC_KEYS, lua_topointer(L, tidx), 8, NULL, 0 };
  race_access(&keys, 0, site, key);   /* its value in reports: the key */
}

static void index_read(lua_State *L, int tidx, lua_Integer k, uint32_t site) {
  RaceVal v = { 0 };
  v.type = LUA_TNUMBER;
  v.isint = 1;
  v.u.i = k;
  keys_read(L, tidx, &v, site);
}

enum { RANGE_READ, RANGE_STRINGS, RANGE_PERMUTE };

/*
** A library function indexes t[i..j] (table at tidx) in order, as
** lua_geti does: table.concat stops at the first value it cannot join
** (it raises there: followed no further than the first absent one, which
** only a metamethod could supply); table.sort writes back every element
** it reads, the value there now: its place changes, not what t holds.
** A present element is a read of its slot. The absent ones are, together,
** one read of the set of t's keys: whoever adds one writes that set, so
** the race is found all the same, and a range far wider than the table
** makes no location per index. An absent element that an __index function
** supplies is left to the function. One raw lookup per index: no more
** than the library function's own work.
*/
static void range_access(lua_State *L, int tidx, lua_Integer i, lua_Integer j, int mode,
                         uint32_t site) {
  if (lua_type(L, tidx) != LUA_TTABLE || i > j) return;
  int index_mm = metafield(L, tidx, "__index");
  int supplied = index_mm != LUA_TNIL && index_mm != LUA_TTABLE;
  int top = lua_gettop(L);
  lua_Integer absent = 0;
  int any_absent = 0;
  for (lua_Integer k = i;; k++) {
    lua_pushinteger(L, k);
    int type = lua_rawgeti(L, tidx, k);
    if (type == LUA_TNIL) {
      if (!supplied && !any_absent) { any_absent = 1; absent = k; }
      if (mode == RANGE_STRINGS) break;
    } else {
      /* table.sort's write races with whatever its read would */
      table_access(L, tidx, top + 1, top + 2, mode == RANGE_PERMUTE, site, NULL, 0);
      if (mode == RANGE_STRINGS && type != LUA_TSTRING && type != LUA_TNUMBER) break;
    }
    lua_settop(L, top);
    if (k == j) break;
  }
  lua_settop(L, top);
  if (any_absent) index_read(L, tidx, absent, site);
}

/*
** table.move(a1, f, e, t [, a2]) (stack indices src, dst): reads a1[f..e]
** and writes a2[t..t+e-f], each destination once. Whatever the order of
** the copy (backwards when the ranges overlap), every element is read
** before it is overwritten, so the values written and replaced are the
** ones there now. Writing nil where there is nothing changes nothing but
** depends on the slot being empty: a read of the set of keys.
*/
static void move_access(lua_State *L, int src, lua_Integer f, lua_Integer e, lua_Integer t,
                        int dst, uint32_t site) {
  if (e < f || (f <= 0 && e >= LUA_MAXINTEGER + f)) return;   /* nothing, or it raises */
  lua_Integer n = e - f + 1;
  if (t > LUA_MAXINTEGER - n + 1) return;
  range_access(L, src, f, e, RANGE_READ, site);
  if (lua_type(L, dst) != LUA_TTABLE) return;
  /* a value an __index supplies is unknown: the slot is taken to stay as full */
  int exact = lua_type(L, src) == LUA_TTABLE && metafield(L, src, "__index") == LUA_TNIL;
  int supplied = redirected(L, dst, "__newindex");
  int top = lua_gettop(L);
  int any_absent = 0;
  for (lua_Integer d = 0;; d++) {
    lua_pushinteger(L, t + d);
    int old = lua_rawgeti(L, dst, t + d);
    int v = lua_type(L, src) == LUA_TTABLE ? lua_rawgeti(L, src, f + d) : (lua_pushnil(L), LUA_TNIL);
    if (v == LUA_TNIL && !exact) {
      lua_pop(L, 1);
      lua_pushvalue(L, top + 2);
      v = old;
    }
    if (v != LUA_TNIL || old != LUA_TNIL) table_access(L, dst, top + 1, top + 3, 1, site, NULL, 0);
    else if (!supplied && !any_absent) { any_absent = 1; index_read(L, dst, t + d, site); }
    lua_settop(L, top);
    if (d == n - 1) break;
  }
}

/*
** table.concat, table.unpack, table.move and table.sort, their arguments
** pushed at base... (nil past the ones given): the length they take from
** #t, and the elements they index.
*/
static void table_fn_access(lua_State *L, lua_CFunction f, int base, uint32_t site) {
  int t = base;
  lua_Integer i, j, n, to;
  if (f == tconcat) {
    if (!table_length(L, t, site, &n)) n = -1;
    if ((!lua_isnil(L, base + 1) && !lua_isstring(L, base + 1)) ||
        !opt_integer(L, base + 2, 1, &i) || !opt_integer(L, base + 3, n, &j))
      return;
    if (n >= 0 || !lua_isnil(L, base + 3)) range_access(L, t, i, j, RANGE_STRINGS, site);
  } else if (f == tunpack) {
    if (!opt_integer(L, base + 1, 1, &i)) return;
    if (lua_isnil(L, base + 2)) {
      if (!table_length(L, t, site, &j)) return;
    } else if (!opt_integer(L, base + 2, 0, &j)) {
      return;
    }
    /* more results than a stack holds: it raises before indexing */
    if (i <= j && (lua_Unsigned)j - (lua_Unsigned)i < LUAI_MAXSTACK)
      range_access(L, t, i, j, RANGE_READ, site);
  } else if (f == tmove) {
    if (!check_integer(L, base + 1, &i) || !check_integer(L, base + 2, &j) ||
        !check_integer(L, base + 3, &to))
      return;
    move_access(L, t, i, j, to, lua_isnil(L, base + 4) ? t : base + 4, site);
  } else if (f == tsort) {
    if (!table_length(L, t, site, &n) || n < 2 || n >= INT_MAX) return;
    if (!lua_isnil(L, base + 1) && lua_type(L, base + 1) != LUA_TFUNCTION) return;
    range_access(L, t, 1, n, RANGE_PERMUTE, site);
  }
}

/*
** string.gsub(s, pattern, repl [, n]) with a table repl reads repl[k] for
** the first capture k of each match, which only matching finds. The match
** runs again in a scratch state of tsbox's own (the universe runs and
** allocates nothing more), with a replacement function that notes each k.
** A noted key present in repl is found by a walk of repl, since naming it
** in the universe would make a string there; the absent ones are one read
** of the set of keys, as for a range. (Every match is noted, also those
** after a replacement value that makes gsub raise.)
*/
static lua_State *scratch;   /* string.gsub at 1; the GIL orders its users */

static int note_key(lua_State *S) {
  lua_settop(S, 1);
  lua_pushboolean(S, 1);
  lua_rawset(S, lua_upvalueindex(1));
  return 0;
}

/* Key kidx of the universe pushed on S, if it can be a capture. */
static int push_key_on(lua_State *S, lua_State *L, int kidx) {
  if (lua_type(L, kidx) == LUA_TSTRING) {
    size_t len;
    const char *k = lua_tolstring(L, kidx, &len);
    lua_pushlstring(S, k, len);
  } else if (lua_isinteger(L, kidx)) {
    lua_pushinteger(S, lua_tointeger(L, kidx));
  } else {
    return 0;
  }
  return 1;
}

static void gsub_access(lua_State *L, int base, uint32_t site) {
  int t = base + 2;
  lua_Integer max = 0;
  if (lua_type(L, base) != LUA_TSTRING || lua_type(L, base + 1) != LUA_TSTRING ||
      lua_type(L, t) != LUA_TTABLE || !opt_integer(L, base + 3, 0, &max))
    return;
  if (scratch == NULL) {
    scratch = luaL_newstate();
    if (scratch == NULL) return;
    luaL_requiref(scratch, LUA_STRLIBNAME, luaopen_string, 0);
    lua_getfield(scratch, -1, "gsub");
    lua_replace(scratch, 1);
  }
  lua_State *S = scratch;
  lua_settop(S, 1);
  lua_newtable(S);                                   /* 2: the keys noted */
  lua_pushvalue(S, 1);
  for (int k = 0; k < 2; k++) {
    size_t len;
    const char *str = lua_tolstring(L, base + k, &len);
    lua_pushlstring(S, str, len);
  }
  lua_pushvalue(S, 2);
  lua_pushcclosure(S, note_key, 1);
  if (lua_isnil(L, base + 3)) lua_pushnil(S);
  else lua_pushinteger(S, max);
  if (lua_pcall(S, 4, 0, 0) != LUA_OK) return;      /* it raises before any lookup */
  lua_pushnil(L);
  while (lua_next(L, t)) {
    if (push_key_on(S, L, lua_gettop(L) - 1)) {
      lua_pushvalue(S, -1);
      if (lua_rawget(S, 2) == LUA_TBOOLEAN) {
        lua_pop(S, 1);
        lua_pushboolean(S, 0);                       /* found */
        lua_rawset(S, 2);
        table_access(L, t, lua_gettop(L) - 1, 0, 0, site, NULL, 0);
      }
      lua_settop(S, 2);
    }
    lua_pop(L, 1);
  }
  if (redirected(L, t, "__index")) return;          /* it supplies the absent ones */
  lua_pushnil(S);
  while (lua_next(S, 2)) {
    if (lua_toboolean(S, -1)) {
      RaceVal key;
      val_of(S, -2, &key);
      keys_read(L, t, &key, site);
      lua_settop(S, 2);
      break;
    }
    lua_pop(S, 1);
  }
}

/* One step of ipairs' iterator, f(t, i): reads t[i + 1]. */
static void ipairs_access(lua_State *L, lua_Debug *ar, int treg, int ireg, uint32_t site) {
  const char *tname = push_reg(L, ar, treg);
  int t = lua_gettop(L);
  push_reg(L, ar, ireg);
  lua_Integer i;
  if (!check_integer(L, t + 1, &i)) return;
  i = (lua_Integer)((lua_Unsigned)i + 1u);   /* wraps, as ipairs does */
  name_value(L, t, tname, 2);
  range_access(L, t, i, i, RANGE_READ, site);
}

/*
** next(t, k), called or as pairs' iterator, reads the set of t's keys and
** the entry after k. The entry is found as next will find it; a key that
** is gone (next would raise) is left to next.
*/
static void traversal(lua_State *L, lua_Debug *ar, int treg, int kreg, uint32_t site) {
  const char *tname = push_reg(L, ar, treg);
  int t = lua_gettop(L);
  if (lua_type(L, t) != LUA_TTABLE) return;
  RaceLoc keys = { LOC_KEYS, lua_topointer(L, t), 8, NULL, 0 };
  name_value(L, t, tname, 2);
  if (kreg >= 0) push_reg(L, ar, kreg);
  else lua_pushnil(L);
  if (!lua_isnil(L, -1)) {
    lua_pushvalue(L, -1);
    if (lua_rawget(L, t) == LUA_TNIL) return;
    lua_pop(L, 1);
  }
  int more = lua_next(L, t) != 0;
  RaceVal key = { 0 };   /* its value in reports: the key found, or nil at the end */
  if (more) val_of(L, t + 1, &key);
  race_access(&keys, 0, site, &key);
  if (more) table_access(L, t, t + 1, t + 2, 0, site, tname, 2);
}

/* rawget(t, k) reads t[k]; rawset(t, k, v) writes it, metatable or not. */
static void raw_call(lua_State *L, lua_Debug *ar, lua_CFunction f, int a, int nargs, uint32_t site) {
  int write = f == raw_set;
  if (nargs < (write ? 3 : 2)) return;
  const char *tname = push_reg(L, ar, a + 1);
  int t = lua_gettop(L);
  if (lua_type(L, t) != LUA_TTABLE) return;
  push_reg(L, ar, a + 2);
  if (write) push_reg(L, ar, a + 3);
  else { lua_pushvalue(L, t + 1); lua_rawget(L, t); }
  RaceLoc loc = { 0 };
  if (!key_loc(L, t + 1, &loc)) return;
  loc.obj = lua_topointer(L, t);
  name_value(L, t, tname, 2);
  RaceVal v;
  val_of(L, t + 2, &v);
  race_access(&loc, write, site, &v);
}

/* debug.getupvalue(f, n) reads upvalue n of f; debug.setupvalue writes it. */
static void upvalue_call(lua_State *L, lua_Debug *ar, lua_CFunction f, int a, int nargs,
                         uint32_t site) {
  int write = f == uv_set;
  if (nargs < (write ? 3 : 2)) return;
  push_reg(L, ar, a + 1);
  int fn = lua_gettop(L);
  push_reg(L, ar, a + 2);
  if (lua_type(L, fn) != LUA_TFUNCTION || !lua_isinteger(L, -1)) return;
  lua_Integer n = lua_tointeger(L, -1);
  if (n < 1 || n > 255) return;
  const char *name = lua_getupvalue(L, fn, (int)n);
  if (name == NULL || strcmp(name, "_ENV") == 0) return;
  RaceLoc loc = { LOC_UPVALUE, lua_upvalueid(L, fn, (int)n), 0, name, 0 };
  if (write) push_reg(L, ar, a + 3);
  RaceVal v;
  val_of(L, -1, &v);
  race_access(&loc, write, site, &v);
}

/*
** table.insert and table.remove, called from Lua with `nargs` fixed
** arguments at R[a+1]...: they read #t and move elements, so they read the
** length and write the slots at both ends of the move, as `t[#t+1] = v`
** and `t[#t] = nil` do.
*/
static void library_call(lua_State *L, lua_Debug *ar, int a, int nargs, uint32_t site) {
  push_reg(L, ar, a);
  lua_CFunction f = lua_tocfunction(L, -1);
  lua_pop(L, 1);
  if (f == NULL) return;
  /* pcall(f, ...) calls f from C: its accesses are f's */
  if (f == pcall_fn) { if (nargs >= 2) library_call(L, ar, a + 1, nargs - 1, site); return; }
  if (f == raw_get || f == raw_set) { raw_call(L, ar, f, a, nargs, site); return; }
  if (f == next_fn) { traversal(L, ar, a + 1, nargs >= 2 ? a + 2 : -1, site); return; }
  if (f == uv_get || f == uv_set) { upvalue_call(L, ar, f, a, nargs, site); return; }
  if (f == ipairs_step) { if (nargs >= 2) ipairs_access(L, ar, a + 1, a + 2, site); return; }
  if (f == raw_len) {
    const char *tname = push_reg(L, ar, a + 1);
    if (lua_type(L, -1) != LUA_TTABLE) return;
    name_value(L, -1, tname, 2);
    length_read(L, lua_gettop(L), site);
    return;
  }
  if (f == tconcat || f == tunpack || f == tmove || f == tsort || f == gsub_fn) {
    const char *tname = push_reg(L, ar, a + 1);
    int base = lua_gettop(L);
    name_value(L, base, tname, 2);
    for (int k = 2; k <= 5; k++) {
      if (k <= nargs) push_reg(L, ar, a + k);
      else lua_pushnil(L);
    }
    if (f == gsub_fn) gsub_access(L, base, site);
    else table_fn_access(L, f, base, site);
    return;
  }
  if (f != tinsert && f != tremove) return;
  const char *tname = push_reg(L, ar, a + 1);
  int t = lua_gettop(L);
  /* with __len, __index or __newindex, Lua code decides: seen on its own */
  if (lua_type(L, t) != LUA_TTABLE || metafield(L, t, "__len") != LUA_TNIL ||
      metafield(L, t, "__index") != LUA_TNIL || metafield(L, t, "__newindex") != LUA_TNIL)
    return;
  lua_Integer n = length_read(L, t, site);
  int has_pos = nargs == (f == tinsert ? 3 : 2);
  if (has_pos) push_reg(L, ar, a + 2);
  lua_Integer pos = has_pos && lua_isinteger(L, -1) ? lua_tointeger(L, -1) : f == tinsert ? n + 1 : n;
  if (has_pos) lua_pop(L, 1);
  if (f == tinsert) {
    lua_pushinteger(L, n + 1);                           /* the new border element */
    if (pos <= n) lua_rawgeti(L, t, n);
    else push_reg(L, ar, a + nargs);
    table_access(L, t, t + 1, t + 2, 1, site, tname, 2);
    lua_settop(L, t);
    if (pos <= n) {                                      /* and the slot filled */
      lua_pushinteger(L, pos);
      push_reg(L, ar, a + nargs);
      table_access(L, t, t + 1, t + 2, 1, site, tname, 2);
    }
  } else if (n > 0) {
    if (pos < n) {                                       /* the slot emptied, refilled */
      lua_pushinteger(L, pos);
      lua_rawgeti(L, t, pos + 1);
      table_access(L, t, t + 1, t + 2, 1, site, tname, 2);
      lua_settop(L, t);
    }
    lua_pushinteger(L, n);                               /* the border element goes */
    lua_pushnil(L);
    table_access(L, t, t + 1, t + 2, 1, site, tname, 2);
  }
}

/* }====================================================== */

void access_track(lua_State *L, lua_Debug *ar) {
  const LCallInfo *ci = (const LCallInfo *)ar->i_ci;
  if (pending.L == L) {
    if (pending.ci == ci) {
      int top = lua_gettop(L);
      const char *name = push_reg(L, ar, pending.reg);
      if (lua_type(L, -1) == LUA_TTABLE) {
        race_table_created(lua_topointer(L, -1), pending.site);
        name_value(L, -1, name, 2);
      }
      lua_settop(L, top);
    }
    pending.L = NULL;
  }
  if (pending_write.L || pending_closure.L) finish_pending(L, ar, ci);
  const LProto *p = proto_of(ci);
  if (p == NULL) return;
  const Instr *pc = ci->savedpc - 1;
  if (pc < p->code || pc >= p->code + p->sizecode) layout_broken("saved pc");
  Instr i = *pc;
  int op = I_OP(i);
  if (selftest_mode) {
    if (selftest_n < 8) selftest_ops[selftest_n] = op;
    selftest_n++;
    if (op == OP_SETFIELD || op == OP_GETFIELD) {
      size_t len;
      const char *s = kstring(p, op == OP_SETFIELD ? I_B(i) : I_C(i), &len);
      if (s == NULL || len != 1 || s[0] != 'x') selftest_n = 100;
      push_k(L, ci, p, op == OP_SETFIELD ? I_B(i) : I_C(i));
      s = lua_tostring(L, -1);
      if (s == NULL || strcmp(s, "x") != 0) selftest_n = 100;
      lua_pop(L, 1);
    }
    return;
  }
  int frame_captures = captured.n > 0 && map_get(&captured, (uint64_t)(uintptr_t)ci) != NULL;
  if (op == OP_CLOSURE) {
    pending_closure.L = L;
    pending_closure.ci = ci;
    pending_closure.reg = I_A(i);
  }
  int tracked = (op >= OP_GETUPVAL && op <= OP_SELF) || op == OP_LEN || op == OP_CALL ||
                op == OP_TAILCALL || op == OP_TFORCALL;
  if (!frame_captures && !tracked) return;
  uint32_t site = site_of(L, ar, p, (int)(pc - p->code));
  if (site == 0) return;   /* the toolbox's own code */
  if (frame_captures) captured_access(L, ar, ci, i, site);
  if (!tracked) return;
  int top = lua_gettop(L);
  int a = I_A(i), b = I_B(i), c = I_C(i), k = I_K(i);
  size_t len;
  const char *s, *name;
  switch (op) {
    case OP_GETUPVAL:
    case OP_SETUPVAL: {
      lua_getinfo(L, "f", ar);
      int f = lua_gettop(L);
      name = lua_getupvalue(L, f, b + 1);
      if (name == NULL || strcmp(name, "_ENV") == 0) break;
      RaceLoc loc = { LOC_UPVALUE, lua_upvalueid(L, f, b + 1), 0, name, 0 };
      RaceVal v;
      if (op == OP_SETUPVAL) {
        push_reg(L, ar, a);
        val_of(L, -1, &v);
      } else {
        val_of(L, -1, &v);
      }
      name_value(L, -1, name, 3);
      race_access(&loc, op == OP_SETUPVAL, site, &v);
      break;
    }
    case OP_GETTABUP:
    case OP_SETTABUP: {
      lua_getinfo(L, "f", ar);
      int f = lua_gettop(L);
      name = lua_getupvalue(L, f, (op == OP_GETTABUP ? b : a) + 1);
      if (name == NULL) break;
      int t = lua_gettop(L);
      s = kstring(p, op == OP_GETTABUP ? c : b, &len);
      if (s == NULL) break;
      push_k(L, ci, p, op == OP_GETTABUP ? c : b);
      int kidx = lua_gettop(L);
      int vidx = 0;
      if (op == OP_SETTABUP) {
        if (!push_rk(L, ar, p, k, c)) break;
        vidx = lua_gettop(L);
      }
      table_access(L, t, kidx, vidx, op == OP_SETTABUP, site, name, 3);
      break;
    }
    case OP_GETTABLE:
    case OP_GETI:
    case OP_GETFIELD:
    case OP_SELF: {
      name = push_reg(L, ar, b);
      int t = lua_gettop(L);
      if (op == OP_GETTABLE) push_reg(L, ar, c);
      else if (op == OP_GETI) lua_pushinteger(L, c);
      else if (op == OP_GETFIELD) push_k(L, ci, p, c);
      else if (!push_rk(L, ar, p, k, c)) break;
      table_access(L, t, lua_gettop(L), 0, 0, site, name, 2);
      break;
    }
    case OP_SETTABLE:
    case OP_SETI:
    case OP_SETFIELD: {
      name = push_reg(L, ar, a);
      int t = lua_gettop(L);
      if (op == OP_SETTABLE) push_reg(L, ar, b);
      else if (op == OP_SETI) lua_pushinteger(L, b);
      else push_k(L, ci, p, b);
      int kidx = lua_gettop(L);
      if (!push_rk(L, ar, p, k, c)) break;
      table_access(L, t, kidx, lua_gettop(L), 1, site, name, 2);
      break;
    }
    case OP_LEN: {
      name = push_reg(L, ar, b);
      lua_Integer n;
      name_value(L, -1, name, 2);
      table_length(L, lua_gettop(L), site, &n);
      break;
    }
    case OP_CALL:
    case OP_TAILCALL:
      if (b >= 2) library_call(L, ar, a, b - 1, site);
      break;
    case OP_TFORCALL: {   /* R[A](R[A+1], R[A+2]): a generic for's next step */
      push_reg(L, ar, a);
      lua_CFunction f = lua_tocfunction(L, -1);
      if (f == NULL) break;
      if (f == next_fn) traversal(L, ar, a + 1, a + 2, site);
      else if (f == ipairs_step) ipairs_access(L, ar, a + 1, a + 2, site);
      break;
    }
    case OP_NEWTABLE:
      pending.L = L;
      pending.ci = ci;
      pending.reg = a;
      pending.site = site;
      break;
    default: break;
  }
  lua_settop(L, top);
}

/* }====================================================== */

/*
** The start-up check: run a known chunk in a scratch state with the hook
** at every instruction, and compare the opcodes read through the mirrored
** layouts with the ones luac 5.4.4 gives for it.
*/
static void selftest_hook(lua_State *L, lua_Debug *ar) {
  if (ar->event == LUA_HOOKCOUNT) access_track(L, ar);
}

void access_selftest(void) {
  lua_State *L = luaL_newstate();
  if (L == NULL) layout_broken("no memory for the check");
  static const char chunk[] = "local t = {} t.x = 1 return t.x";
  if (luaL_loadstring(L, chunk) != LUA_OK) layout_broken("check chunk");
  selftest_mode = 1;
  selftest_n = 0;
  lua_sethook(L, selftest_hook, LUA_MASKCOUNT, 1);
  int rc = lua_pcall(L, 0, 1, 0);
  selftest_mode = 0;
  /* Hooks start after VARARGPREP; NEWTABLE jumps over its EXTRAARG; a
     vararg chunk ends with RETURN. */
  static const int expect[] = { OP_NEWTABLE, OP_SETFIELD, OP_GETFIELD, OP_RETURN };
  int ok = rc == LUA_OK && lua_tointeger(L, -1) == 1 && selftest_n == 4;
  for (int j = 0; ok && j < 4; j++) ok = selftest_ops[j] == expect[j];
  lua_close(L);
  if (!ok) layout_broken("start-up check");
}

int access_enabled;

void access_peek(lua_State *L, lua_Debug *ar) {
  /* What is deferred belongs to the instruction before: it waits for the
     real track of this one, which must find everything as it was. */
  PendingTable p0 = pending;
  PendingClosure p1 = pending_closure;
  PendingWrite p2 = pending_write;
  pending.L = NULL;
  pending_closure.L = NULL;
  pending_write.L = NULL;
  sched_peeking = 1;
  access_track(L, ar);
  sched_peeking = 0;
  pending = p0;
  pending_closure = p1;
  pending_write = p2;
}

/*
** The iterator ipairs returns, a C function of its own that no table
** holds: ipairs gives it in a scratch state, so the universe runs no more
** than it would without tracking.
*/
static lua_CFunction ipairs_iterator(void) {
  lua_State *L = luaL_newstate();
  if (L == NULL) layout_broken("no memory for the check");
  luaL_requiref(L, LUA_GNAME, luaopen_base, 0);
  lua_getfield(L, -1, "ipairs");
  lua_pushvalue(L, -2);
  lua_CFunction f = lua_pcall(L, 1, 1, 0) == LUA_OK ? lua_tocfunction(L, -1) : NULL;
  lua_close(L);
  return f;
}

/* package.loaded[lib][name], as a C function (NULL if it is none). */
static void library_fn(lua_State *L, const char *lib, const char *name, lua_CFunction *out) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  *out = NULL;
  if (lua_getfield(L, -1, lib) == LUA_TTABLE) {
    lua_getfield(L, -1, name);
    *out = lua_tocfunction(L, -1);
    lua_pop(L, 1);
  }
  lua_pop(L, 2);
}

void access_init(lua_State *L) {
  access_selftest();
  access_enabled = 1;
  /* The library functions as loaded, whatever their globals now are. */
  library_fn(L, LUA_TABLIBNAME, "insert", &tinsert);
  library_fn(L, LUA_TABLIBNAME, "remove", &tremove);
  library_fn(L, LUA_TABLIBNAME, "concat", &tconcat);
  library_fn(L, LUA_TABLIBNAME, "unpack", &tunpack);
  library_fn(L, LUA_TABLIBNAME, "move", &tmove);
  library_fn(L, LUA_TABLIBNAME, "sort", &tsort);
  library_fn(L, LUA_STRLIBNAME, "gsub", &gsub_fn);
  library_fn(L, LUA_GNAME, "rawlen", &raw_len);
  library_fn(L, LUA_GNAME, "pcall", &pcall_fn);
  ipairs_step = ipairs_iterator();
  library_fn(L, LUA_GNAME, "rawget", &raw_get);
  library_fn(L, LUA_GNAME, "rawset", &raw_set);
  library_fn(L, LUA_GNAME, "next", &next_fn);
  library_fn(L, LUA_DBLIBNAME, "getupvalue", &uv_get);
  library_fn(L, LUA_DBLIBNAME, "setupvalue", &uv_set);
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  race_set_globals(lua_topointer(L, -1));
  lua_pop(L, 1);
}
