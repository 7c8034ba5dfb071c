/*
** tsbox.h: the `tsbox` Lua module (constructors, time, checks).
*/
#ifndef TSBOX_MODULE_H
#define TSBOX_MODULE_H

#include <lua.h>

void tsbox_open_module(lua_State *L);

#endif
