/*
** repl.h: the interactive prompt (-i), run on MainThread as its last
** chunk, protected like any other.
*/
#ifndef TSBOX_REPL_H
#define TSBOX_REPL_H

#include <lua.h>

int repl_main(lua_State *L);

#endif
