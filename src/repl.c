/*
** repl.c: the interactive prompt (-i, or tsbox alone on a terminal). It
** runs on MainThread under the scheduler, like any chunk: it reads Lua
** from stdin a line at a time, runs it and prints its values, as lua's
** prompt does. Of the scheduler it uses only the calls that let the GIL
** go while it waits for input.
*/
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>

#include "repl.h"
#include "report.h"
#include "sched.h"

#define REPL_PROMPT "> "
#define REPL_PROMPT2 ">> "
#define REPL_SOURCE "=stdin"
/* How Lua's parser ends its message for a chunk cut short. */
#define EOF_MARK "<eof>"

/*
** The line being read. It lives outside the Lua universe and outlives
** each call, so an error raised while it is in use leaks nothing.
*/
static char *line;
static size_t line_cap;
static int at_end;

/* Show the prompt (_PROMPT or _PROMPT2 when set, as in lua), then push
   the next line without its newline. 0 at the end of input. */
static int push_line(lua_State *L, int first) {
  if (at_end) return 0;
  if (lua_getglobal(L, first ? "_PROMPT" : "_PROMPT2") == LUA_TNIL)
    lua_pushstring(L, first ? REPL_PROMPT : REPL_PROMPT2);
  else
    luaL_tolstring(L, -1, NULL);
  fputs(lua_tostring(L, -1), stdout);
  fflush(stdout);
  lua_pop(L, 2);
  sched_outside();
  ssize_t n = getline(&line, &line_cap, stdin);
  sched_inside(run_self);
  if (n < 0) {
    at_end = 1;
    return 0;
  }
  if (n > 0 && line[n - 1] == '\n') n--;
  lua_pushlstring(L, line, (size_t)n);
  return 1;
}

static int load_text(lua_State *L, const char *text, size_t n) {
  return luaL_loadbufferx(L, text, n, REPL_SOURCE, "t");
}

/* The parser stopped at the end of the text: more lines may complete it. */
static int incomplete(lua_State *L, int status) {
  size_t n, mark = sizeof EOF_MARK - 1;
  if (status != LUA_ERRSYNTAX) return 0;
  const char *msg = lua_tolstring(L, -1, &n);
  return n >= mark && strcmp(msg + n - mark, EOF_MARK) == 0;
}

/*
** Read and compile the next input: a line that is an expression ("= e"
** or a bare "e") prints its values; otherwise lines are joined until they
** make a whole chunk. Leaves the function, or the error message, on top;
** returns the status, or -1 at the end of input.
*/
static int read_chunk(lua_State *L) {
  if (!push_line(L, 1)) return -1;
  size_t n;
  const char *text = lua_tolstring(L, -1, &n);
  if (text[0] == '=') {
    lua_pushfstring(L, "return %s", text + 1);
    lua_remove(L, -2);
  } else {
    const char *expr = lua_pushfstring(L, "return %s", text);
    if (load_text(L, expr, strlen(expr)) == LUA_OK) {
      lua_replace(L, -3);
      lua_pop(L, 1);
      return LUA_OK;
    }
    lua_pop(L, 2);
  }
  for (;;) {
    text = lua_tolstring(L, -1, &n);
    int status = load_text(L, text, n);
    if (!incomplete(L, status) || !push_line(L, 0)) {
      lua_remove(L, -2);
      return status;
    }
    lua_remove(L, -2);                  /* the message: [text more] */
    lua_pushliteral(L, "\n");
    lua_insert(L, -2);
    lua_concat(L, 3);
  }
}

/* The error, as text, with the traceback of where it was raised. */
static int repl_msgh(lua_State *L) {
  luaL_traceback(L, L, luaL_tolstring(L, 1, NULL), 1);
  return 1;
}

/* Run the function on top; print its values with the global print. */
static int run_chunk(lua_State *L) {
  int base = lua_gettop(L);
  lua_pushcfunction(L, repl_msgh);
  lua_insert(L, base);
  int status = lua_pcall(L, 0, LUA_MULTRET, base);
  lua_remove(L, base);
  int n = lua_gettop(L) - base + 1;
  if (status != LUA_OK || n == 0) return status;
  lua_getglobal(L, "print");
  lua_insert(L, base);
  status = lua_pcall(L, n, 0, 0);
  if (status != LUA_OK)
    lua_pushfstring(L, "error calling 'print' (%s)", luaL_tolstring(L, -1, NULL));
  return status;
}

/*
** The prompt's loop. An error in a line is printed and the prompt goes
** on, as in lua: it is not a failure of the run. The end of input (Ctrl-D)
** ends the loop; the run then ends as after a script.
*/
int repl_main(lua_State *L) {
  lua_settop(L, 0);
  if (!R->opt.quiet) {
    fflush(stdout);
    report_header(stderr, "interactive: Lua lines run as MainThread; Ctrl-D ends the run");
  }
  for (int status; (status = read_chunk(L)) != -1; lua_settop(L, 0)) {
    if (status == LUA_OK) status = run_chunk(L);
    if (status == LUA_OK) continue;
    fflush(stdout);
    fprintf(stderr, "%s\n", lua_tostring(L, -1));
    fflush(stderr);
  }
  fputc('\n', stdout);
  return 0;
}
