/*
** suspend.c: what lets a tsbox thread leave its POSIX thread at a
** preemption point and go on in another. Its coroutine yields from the
** count hook; while it waits it must look to the rest of the universe
** (the collector, the debug library) exactly as a thread waiting inside
** its hook looks, so that a schedule and every address stay the same
** whichever way a switch is made. Lua 5.4.4's internals (lua544.h).
*/
#include <lauxlib.h>
#include <lua.h>

#include "lua544.h"
#include "suspend.h"

static void probe_hook(lua_State *L, lua_Debug *ar) {
  (void)L;
  (void)ar;
}

static int probe_base(lua_State *L) {
  lua_pushboolean(L, suspend_base(L) == probe_base && LSTATE(L)->ci->func->tt == 0x16);
  return 1;
}

/*
** Check the layouts on a coroutine of a scratch state (the universe is
** not touched): its base call record, what lua_sethook writes, and the
** C-call count of a fresh coroutine.
*/
int suspend_init(void) {
  lua_State *L = luaL_newstate();
  if (L == NULL) return 0;
  lua_State *co = lua_newthread(L);
  LState *s = LSTATE(co);
  int ok = s->ci == &s->base_ci && s->base_ci.previous == NULL &&
           s->l_G == LSTATE(L)->l_G && s->nCcalls == 0 && s->status == LUA_OK;
  lua_sethook(co, probe_hook, LUA_MASKCOUNT, 4321);
  ok = ok && s->hook == probe_hook && s->basehookcount == 4321 && s->hookcount == 4321 &&
       s->hookmask == LUA_MASKCOUNT;
  lua_sethook(co, NULL, 0, 0);
  ok = ok && s->hook == NULL && s->hookmask == 0;
  /* a light C function at the base of a running coroutine */
  lua_pushcfunction(co, probe_base);
  int nres;
  ok = ok && lua_resume(co, NULL, 0, &nres) == LUA_OK && nres == 1 && lua_toboolean(co, -1);
  lua_close(L);
  return ok;
}

const void *suspend_frame(lua_State *L) { return LSTATE(L)->ci; }

#define TAG_LCF 0x16          /* LUA_VLCF: a light C function */

/* The C function at the base of coroutine L's calls; NULL if none runs. */
lua_CFunction suspend_base(lua_State *L) {
  const LState *s = LSTATE(L);
  if (s->ci == &s->base_ci || s->base_ci.next == NULL) return NULL;
  const LValue *f = s->base_ci.next->func;
  return f->tt == TAG_LCF ? f->v.f : NULL;
}

/*
** Only plain Lua calls lie between the hook (or the C function running,
** `in_call`) and `body`: no other C function and
** no fresh interpreter loop (a metamethod's, pcall's), whose C frames
** could not move and whose C-call count a resume would forget.
*/
int suspend_plain(lua_State *L, const void *body, int max, int in_call) {
  const LCallInfo *ci = LSTATE(L)->ci;
  if (in_call) {
    if (!(ci->callstatus & LCIST_C)) return 0;
    ci = ci->previous;      /* the C function yields itself; its caller's */
  }
  for (int n = 0; n < max && ci != NULL; n++) {
    if (ci->callstatus & LCIST_C) return 0;
    if (ci->previous == body) return 1;
    if (ci->callstatus & LCIST_FRESH) return 0;
    ci = ci->previous;
  }
  return 0;
}

/*
** After the hook yielded: put back what a thread waiting inside its hook
** shows (luaD_hook and luaG_traceexec): the whole frame in use, room for
** the hook above it, the pc past the instruction about to run.
*/
void suspend_hide(lua_State *L, SuspendSaved *saved) {
  LState *s = LSTATE(L);
  LCallInfo *ci = s->ci;
  /* offsets: the collector may move the stack while the thread waits */
  saved->top = s->top - s->stack;
  saved->ci_top = ci->top - s->stack;
  if (s->top < ci->top) s->top = ci->top;
  if (ci->top < s->top + LUA_MINSTACK) ci->top = s->top + LUA_MINSTACK;
  ci->savedpc++;
}

/*
** Before the resume: undo suspend_hide, and let the instruction run once
** more without counting it twice (the hook saw it). A resume counts C
** calls from its `from` state's count: 1 here, the count under the
** thread's own body, so the C stack limit falls where it would have.
*/
void suspend_unhide(lua_State *L, const SuspendSaved *saved) {
  LState *s = LSTATE(L);
  LCallInfo *ci = s->ci;
  ci->savedpc--;
  ci->top = s->stack + saved->ci_top;
  s->top = s->stack + saved->top;
  s->hookcount = 1;
  s->nCcalls = 1;
}

/*
** Before resuming L, which yielded from a C call (lua_yield) that the
** resume ends: its C-call count, as suspend_unhide sets it.
*/
void suspend_unhide_call(lua_State *L) { LSTATE(L)->nCcalls = 1; }

/*
** L yielded from a C function that was not tsbox's (lua_yield in a C
** library): give that call the continuation `k`, which the resume runs
** in its place. 0 if L did not yield from a C function.
*/
int suspend_continue_with(lua_State *L, lua_KFunction k) {
  LCallInfo *ci = LSTATE(L)->ci;
  if (!(ci->callstatus & LCIST_C)) return 0;
  ci->k = k;
  return 1;
}
