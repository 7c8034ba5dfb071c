/*
** json.h: a small JSON reader for the reports tsbox writes (tsbox merge).
*/
#ifndef TSBOX_JSON_H
#define TSBOX_JSON_H

typedef enum { J_NULL, J_BOOL, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT } JType;

typedef struct JValue {
  JType type;
  double num;
  char *str;
  struct JValue **items;     /* arrays and objects */
  char **keys;               /* objects */
  int n;
} JValue;

JValue *json_parse(const char *text);
void json_free(JValue *v);
const JValue *json_get(const JValue *obj, const char *key);
double json_num(const JValue *obj, const char *key, double dflt);
const char *json_str(const JValue *obj, const char *key);

#endif
