/*
** json.c: a small JSON reader, enough for `tsbox merge` to read the reports
** tsbox writes. Values live until the process ends; nothing here is used
** while a run is going on.
*/
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* Deepest nesting of arrays and objects accepted: a report nests 3 deep;
   a hostile file must not exhaust the C stack. */
#ifndef JSON_MAX_DEPTH
#define JSON_MAX_DEPTH 64
#endif

typedef struct Parser {
  const char *p;
  int error;
  int depth;
} Parser;

static void skip(Parser *ps) {
  while (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\t' || *ps->p == '\r') ps->p++;
}

static JValue *node(JType type) {
  JValue *v = calloc(1, sizeof *v);
  if (v == NULL) abort();
  v->type = type;
  return v;
}

static JValue *parse_value(Parser *ps);

static char *parse_string(Parser *ps) {
  if (*ps->p != '"') { ps->error = 1; return NULL; }
  ps->p++;
  size_t cap = 16, n = 0;
  char *s = malloc(cap);
  if (s == NULL) abort();
  while (*ps->p && *ps->p != '"') {
    char c = *ps->p++;
    if (c == '\\') {
      char e = *ps->p++;
      switch (e) {
        case 'n': c = '\n'; break;
        case 't': c = '\t'; break;
        case 'r': c = '\r'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'u': {
          unsigned code = 0;
          for (int i = 0; i < 4; i++) {
            char h = ps->p[i];
            int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                  : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
            if (d < 0) { ps->error = 1; free(s); return NULL; }
            code = code * 16 + (unsigned)d;
          }
          ps->p += 4;
          if (code >= 0xd800 && code < 0xe000) code = 0xfffd;   /* no surrogate pairs */
          if (code >= 0x80) {      /* as UTF-8: all but the last byte here */
            char u[3];
            int k = 0;
            if (code >= 0x800) {
              u[k++] = (char)(0xe0 | (code >> 12));
              u[k++] = (char)(0x80 | ((code >> 6) & 0x3f));
            } else {
              u[k++] = (char)(0xc0 | (code >> 6));
            }
            if (n + (size_t)k + 2 > cap) {
              cap = cap * 2 + (size_t)k;
              s = realloc(s, cap);
              if (s == NULL) abort();
            }
            memcpy(s + n, u, (size_t)k);
            n += (size_t)k;
            code = 0x80 | (code & 0x3f);
          }
          c = (char)code;
          break;
        }
        case '\0': ps->error = 1; free(s); return NULL;
        default: c = e; break;
      }
    }
    if (n + 2 > cap) {
      cap *= 2;
      s = realloc(s, cap);
      if (s == NULL) abort();
    }
    s[n++] = c;
  }
  if (*ps->p != '"') { ps->error = 1; free(s); return NULL; }
  ps->p++;
  s[n] = '\0';
  return s;
}

static JValue *parse_container(Parser *ps, int object) {
  JValue *v = node(object ? J_OBJECT : J_ARRAY);
  char close = object ? '}' : ']';
  if (++ps->depth > JSON_MAX_DEPTH) { ps->error = 1; return v; }
  ps->p++;
  skip(ps);
  if (*ps->p == close) { ps->p++; ps->depth--; return v; }
  for (;;) {
    skip(ps);
    char *key = NULL;
    if (object) {
      key = parse_string(ps);
      skip(ps);
      if (ps->error || *ps->p != ':') { ps->error = 1; free(key); return v; }
      ps->p++;
    }
    JValue *item = parse_value(ps);
    if (ps->error) { free(key); json_free(item); return v; }
    v->items = realloc(v->items, (size_t)(v->n + 1) * sizeof *v->items);
    v->keys = realloc(v->keys, (size_t)(v->n + 1) * sizeof *v->keys);
    if (v->items == NULL || v->keys == NULL) abort();
    v->items[v->n] = item;
    v->keys[v->n++] = key;
    skip(ps);
    if (*ps->p == ',') { ps->p++; continue; }
    if (*ps->p == close) { ps->p++; ps->depth--; return v; }
    ps->error = 1;
    return v;
  }
}

static JValue *parse_value(Parser *ps) {
  skip(ps);
  char c = *ps->p;
  if (c == '{' || c == '[') return parse_container(ps, c == '{');
  if (c == '"') {
    JValue *v = node(J_STRING);
    v->str = parse_string(ps);
    return v;
  }
  if (strncmp(ps->p, "true", 4) == 0 || strncmp(ps->p, "false", 5) == 0) {
    JValue *v = node(J_BOOL);
    v->num = c == 't';
    ps->p += c == 't' ? 4 : 5;
    return v;
  }
  if (strncmp(ps->p, "null", 4) == 0) {
    ps->p += 4;
    return node(J_NULL);
  }
  char *end;
  double d = strtod(ps->p, &end);
  if (end == ps->p) { ps->error = 1; return node(J_NULL); }
  ps->p = end;
  JValue *v = node(J_NUMBER);
  v->num = d;
  return v;
}

JValue *json_parse(const char *text) {
  Parser ps = { text, 0, 0 };
  JValue *v = parse_value(&ps);
  skip(&ps);
  if (ps.error || *ps.p != '\0') {
    json_free(v);
    return NULL;
  }
  return v;
}

void json_free(JValue *v) {
  if (v == NULL) return;
  for (int i = 0; i < v->n; i++) {
    json_free(v->items[i]);
    if (v->keys) free(v->keys[i]);
  }
  free(v->items);
  free(v->keys);
  free(v->str);
  free(v);
}

const JValue *json_get(const JValue *obj, const char *key) {
  if (obj == NULL || obj->type != J_OBJECT) return NULL;
  for (int i = 0; i < obj->n; i++)
    if (strcmp(obj->keys[i], key) == 0) return obj->items[i];
  return NULL;
}

double json_num(const JValue *obj, const char *key, double dflt) {
  const JValue *v = json_get(obj, key);
  return v && (v->type == J_NUMBER || v->type == J_BOOL) ? v->num : dflt;
}

const char *json_str(const JValue *obj, const char *key) {
  const JValue *v = json_get(obj, key);
  return v && v->type == J_STRING ? v->str : NULL;
}
