/*
 * Parse and export in one native call: the tree-sitter parse of a file and
 * the copy of its tree into the columns of a compact tree
 * (src/languages/compact-tree.ts), without a JavaScript call per node.
 *
 * Why: copying a tree through the binding's cursor costs several N-API
 * calls per node, as much CPU as the parse itself (runc: 2.7M nodes). Here
 * the walk is plain C and the tree is deleted before returning, so no
 * native tree waits for V8's garbage collector either.
 *
 * The walk is the one compactTree() does in JavaScript, decision for
 * decision; test/languages/native-export.test.ts checks the two produce the
 * same columns. Which node types are copied, descended into or asked about
 * comes from JavaScript as one flag byte per type id (see FLAG_*).
 */
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tree_sitter/api.h"

/* Flag bits per type id, computed by compact-tree.ts from the grammar. */
#define FLAG_COPY 1     /* a named node or an anonymous word: copied */
#define FLAG_NAMED 2    /* may be descended into */
#define FLAG_LEAF 4     /* its insides are not copied (unless the tree has errors) */
#define FLAG_FIELDS 8   /* its children may carry field names */
#define FLAG_ASK 16     /* whether it is opaque is asked of a JavaScript predicate */

#define MAX_ERRORS 5

/* The language external's type tag, as node-tree-sitter and the grammars' bindings set it. */
static const napi_type_tag LANGUAGE_TYPE_TAG = {0x8AF2E5212AD58ABFULL, 0xD5006CAD83ABBA16ULL};

#define MAX_PARSERS 8

/* One parser per language and thread (each worker thread has its own instance data). */
typedef struct {
  const TSLanguage *languages[MAX_PARSERS];
  TSParser *parsers[MAX_PARSERS];
  int count;
} Instance;

static void free_instance(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  Instance *instance = data;
  for (int i = 0; i < instance->count; i++) ts_parser_delete(instance->parsers[i]);
  free(instance);
}

#define CHECK(call)                                   \
  do {                                                \
    if ((call) != napi_ok) return throw_error(env, #call); \
  } while (0)

static napi_value throw_error(napi_env env, const char *message) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) napi_throw_error(env, NULL, message);
  return NULL;
}

static const TSLanguage *language_of(napi_env env, napi_value value) {
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok) return NULL;
  if (type == napi_object) {
    napi_value inner;
    if (napi_get_named_property(env, value, "language", &inner) != napi_ok) return NULL;
    value = inner;
    if (napi_typeof(env, value, &type) != napi_ok) return NULL;
  }
  if (type != napi_external) return NULL;
  bool tagged = false;
  if (napi_check_object_type_tag(env, value, &LANGUAGE_TYPE_TAG, &tagged) != napi_ok || !tagged) return NULL;
  void *data = NULL;
  if (napi_get_value_external(env, value, &data) != napi_ok) return NULL;
  const TSLanguage *language = data;
  uint32_t version = ts_language_abi_version(language);
  if (version < TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION || version > TREE_SITTER_LANGUAGE_VERSION) return NULL;
  return language;
}

static TSParser *parser_for(napi_env env, const TSLanguage *language) {
  Instance *instance = NULL;
  napi_get_instance_data(env, (void **)&instance);
  if (instance == NULL) {
    instance = calloc(1, sizeof(Instance));
    if (instance == NULL || napi_set_instance_data(env, instance, free_instance, NULL) != napi_ok) return NULL;
  }
  for (int i = 0; i < instance->count; i++) {
    if (instance->languages[i] == language) return instance->parsers[i];
  }
  if (instance->count == MAX_PARSERS) return NULL;
  TSParser *parser = ts_parser_new();
  if (!ts_parser_set_language(parser, language)) {
    ts_parser_delete(parser);
    return NULL;
  }
  instance->languages[instance->count] = language;
  instance->parsers[instance->count++] = parser;
  return parser;
}

/*
 * vocabulary(language) -> { names: (string|null)[], named: boolean[], fields: (string|null)[] }
 * Type names by id (the ERROR type's id, 65535, included) and field names by id.
 */
static napi_value vocabulary(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  const TSLanguage *language = argc < 1 ? NULL : language_of(env, argv[0]);
  if (language == NULL) return throw_error(env, "not a tree-sitter language");
  napi_value result, names, named, fields, value;
  CHECK(napi_create_object(env, &result));
  CHECK(napi_create_array(env, &names));
  CHECK(napi_create_array(env, &named));
  CHECK(napi_create_array(env, &fields));
  uint32_t symbols = ts_language_symbol_count(language);
  for (uint32_t id = 0; id <= 65535; id++) {
    if (id == symbols) id = 65535;
    TSSymbolType type = ts_language_symbol_type(language, (TSSymbol)id);
    const char *name = ts_language_symbol_name(language, (TSSymbol)id);
    if (name == NULL || type == TSSymbolTypeAuxiliary) continue;
    CHECK(napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &value));
    CHECK(napi_set_element(env, names, id, value));
    CHECK(napi_get_boolean(env, type == TSSymbolTypeRegular, &value));
    CHECK(napi_set_element(env, named, id, value));
  }
  uint32_t field_count = ts_language_field_count(language);
  for (uint32_t id = 1; id <= field_count; id++) {
    const char *name = ts_language_field_name_for_id(language, (TSFieldId)id);
    if (name == NULL) continue;
    CHECK(napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &value));
    CHECK(napi_set_element(env, fields, id, value));
  }
  CHECK(napi_set_named_property(env, result, "names", names));
  CHECK(napi_set_named_property(env, result, "named", named));
  CHECK(napi_set_named_property(env, result, "fields", fields));
  return result;
}

/* Growable columns, laid out in one block at the end (see export_tree). */
typedef struct {
  uint32_t *starts, *ends;
  int32_t *parents, *after, *before;
  uint16_t *types, *fields;
  uint32_t count, capacity;
} Columns;

static bool reserve(Columns *c, uint32_t capacity) {
  if (capacity <= c->capacity) return true;
#define GROW(member, type)                                            \
  do {                                                                \
    type *larger = realloc(c->member, (size_t)capacity * sizeof(type)); \
    if (larger == NULL) return false;                                 \
    c->member = larger;                                               \
  } while (0)
  GROW(starts, uint32_t);
  GROW(ends, uint32_t);
  GROW(parents, int32_t);
  GROW(after, int32_t);
  GROW(before, int32_t);
  GROW(types, uint16_t);
  GROW(fields, uint16_t);
#undef GROW
  c->capacity = capacity;
  return true;
}

static void release(Columns *c) {
  free(c->starts);
  free(c->ends);
  free(c->parents);
  free(c->after);
  free(c->before);
  free(c->types);
  free(c->fields);
}

/* Growable int32 stack. */
typedef struct {
  int32_t *items;
  uint32_t length, capacity;
} Stack;

static bool push(Stack *s, int32_t value) {
  if (s->length == s->capacity) {
    uint32_t capacity = s->capacity ? s->capacity * 2 : 64;
    int32_t *larger = realloc(s->items, capacity * sizeof(int32_t));
    if (larger == NULL) return false;
    s->items = larger;
    s->capacity = capacity;
  }
  s->items[s->length++] = value;
  return true;
}

typedef struct {
  uint32_t total;
  uint32_t count;
  bool missing[MAX_ERRORS];
  TSSymbol symbol[MAX_ERRORS];
  uint32_t offset[MAX_ERRORS];
} Errors;

/*
 * The first few ERROR and MISSING nodes, in the order the JavaScript parse
 * reports them: a preorder walk that enters only subtrees holding an error.
 * Iterative, like the copy: hostile input nests tens of thousands deep, and
 * a worker thread's stack is small.
 */
static void collect_errors(TSTreeCursor *cursor, Errors *errors) {
  for (;;) {
    TSNode node = ts_tree_cursor_current_node(cursor);
    bool missing = ts_node_is_missing(node);
    bool descend = false;
    if (ts_node_is_error(node) || missing) {
      if (errors->count < MAX_ERRORS) {
        errors->missing[errors->count] = missing;
        errors->symbol[errors->count] = ts_node_symbol(node);
        errors->offset[errors->count] = ts_node_start_byte(node) / 2;
        errors->count++;
      }
      errors->total++;
    } else if (ts_node_has_error(node)) {
      descend = ts_tree_cursor_goto_first_child(cursor);
    }
    if (descend) continue;
    while (!ts_tree_cursor_goto_next_sibling(cursor)) {
      if (!ts_tree_cursor_goto_parent(cursor)) return;
    }
  }
}

/*
 * exportTree(language, text, flags, ask) -> { buffer, count, hasError, errors } | null
 * flags: Uint8Array(65536) of FLAG_* per type id; ask(typeId, start, end) -> boolean
 * says whether a FLAG_ASK node is opaque. Offsets are in UTF-16 units, as
 * the binding reports them. null when the parser gives up.
 */
static napi_value export_tree(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 4) return throw_error(env, "exportTree(language, text, flags, ask)");
  const TSLanguage *language = language_of(env, argv[0]);
  if (language == NULL) return throw_error(env, "not a tree-sitter language");
  TSParser *parser = parser_for(env, language);
  if (parser == NULL) return throw_error(env, "cannot make a parser for this language");

  size_t length = 0;
  CHECK(napi_get_value_string_utf16(env, argv[1], NULL, 0, &length));
  char16_t *text = malloc((length + 1) * sizeof(char16_t));
  if (text == NULL) return throw_error(env, "out of memory");
  if (napi_get_value_string_utf16(env, argv[1], text, length + 1, &length) != napi_ok) {
    free(text);
    return throw_error(env, "text is not a string");
  }

  bool is_typed = false;
  napi_typedarray_type flag_type;
  size_t flag_length = 0;
  void *flag_data = NULL;
  napi_is_typedarray(env, argv[2], &is_typed);
  if (is_typed) napi_get_typedarray_info(env, argv[2], &flag_type, &flag_length, &flag_data, NULL, NULL);
  if (!is_typed || flag_type != napi_uint8_array || flag_length != 65536) {
    free(text);
    return throw_error(env, "flags must be a Uint8Array of 65536 entries");
  }
  const uint8_t *flags = flag_data;
  napi_value ask = argv[3];

  TSTree *tree = ts_parser_parse_string_encoding(parser, NULL, (const char *)text, (uint32_t)(length * sizeof(char16_t)), TSInputEncodingUTF16LE);
  free(text);
  if (tree == NULL) {
    ts_parser_reset(parser);
    napi_value null_value;
    napi_get_null(env, &null_value);
    return null_value;
  }
  TSNode root = ts_tree_root_node(tree);
  /* A tree with syntax errors is copied whole: error recovery can put an ERROR node (and calls) anywhere. */
  bool has_error = ts_node_has_error(root);
  bool skip_insides = !has_error;

  Columns c = {0};
  Stack stack = {0}, last_child = {0};
  bool ok = reserve(&c, ts_node_descendant_count(root) * 3 / 4 + 16) && push(&last_child, -1);
  napi_value failure = NULL;
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  while (ok) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    TSSymbol type = ts_node_symbol(node);
    uint8_t flag = flags[type];
    bool descend = false;
    if (flag & FLAG_COPY) {
      if (c.count == c.capacity && !reserve(&c, c.capacity + c.capacity / 2 + 1024)) {
        ok = false;
        break;
      }
      int32_t index = (int32_t)c.count++;
      uint32_t start = ts_node_start_byte(node) / 2;
      uint32_t end = ts_node_end_byte(node) / 2;
      c.types[index] = type;
      c.starts[index] = start;
      c.ends[index] = end;
      int32_t parent = stack.length > 0 ? stack.items[stack.length - 1] : -1;
      c.parents[index] = parent;
      c.before[index] = last_child.items[last_child.length - 1];
      last_child.items[last_child.length - 1] = index;
      c.fields[index] = parent >= 0 && (flags[c.types[parent]] & FLAG_FIELDS) ? ts_tree_cursor_current_field_id(&cursor) : 0;
      c.after[index] = 0;
      if ((flag & FLAG_NAMED) && (!skip_insides || !(flag & FLAG_LEAF))) {
        bool opaque = false;
        if (skip_insides && (flag & FLAG_ASK)) {
          napi_value args[3], answer, global;
          napi_create_uint32(env, type, &args[0]);
          napi_create_uint32(env, start, &args[1]);
          napi_create_uint32(env, end, &args[2]);
          napi_get_global(env, &global);
          if (napi_call_function(env, global, ask, 3, args, &answer) != napi_ok || napi_get_value_bool(env, answer, &opaque) != napi_ok) {
            failure = throw_error(env, "the opaque predicate failed");
            ok = false;
            break;
          }
        }
        descend = !opaque && ts_tree_cursor_goto_first_child(&cursor);
      }
      if (descend) {
        ok = push(&stack, index) && push(&last_child, -1);
      } else {
        c.after[index] = (int32_t)c.count;
      }
    }
    if (descend) continue;
    bool done = false;
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (!ts_tree_cursor_goto_parent(&cursor)) {
        done = true;
        break;
      }
      c.after[stack.items[--stack.length]] = (int32_t)c.count;
      last_child.length--;
    }
    if (done) break;
  }

  Errors errors = {0};
  if (ok && has_error) {
    ts_tree_cursor_reset(&cursor, root);
    collect_errors(&cursor, &errors);
  }
  ts_tree_cursor_delete(&cursor);
  ts_tree_delete(tree);
  free(stack.items);
  free(last_child.items);
  if (!ok) {
    release(&c);
    return failure != NULL ? failure : throw_error(env, "out of memory");
  }

  /* One block: the 32-bit columns first, then the 16-bit ones, so every view is aligned. */
  size_t n = c.count;
  size_t size = n * (5 * sizeof(uint32_t) + 2 * sizeof(uint16_t));
  void *block = NULL;
  napi_value buffer;
  if (napi_create_arraybuffer(env, size, &block, &buffer) != napi_ok) {
    release(&c);
    return throw_error(env, "out of memory");
  }
  char *at = block;
  memcpy(at, c.starts, n * 4), at += n * 4;
  memcpy(at, c.ends, n * 4), at += n * 4;
  memcpy(at, c.parents, n * 4), at += n * 4;
  memcpy(at, c.after, n * 4), at += n * 4;
  memcpy(at, c.before, n * 4), at += n * 4;
  memcpy(at, c.types, n * 2), at += n * 2;
  memcpy(at, c.fields, n * 2);
  release(&c);

  napi_value result, value, list;
  CHECK(napi_create_object(env, &result));
  CHECK(napi_set_named_property(env, result, "buffer", buffer));
  CHECK(napi_create_uint32(env, (uint32_t)n, &value));
  CHECK(napi_set_named_property(env, result, "count", value));
  CHECK(napi_get_boolean(env, has_error, &value));
  CHECK(napi_set_named_property(env, result, "hasError", value));
  CHECK(napi_create_uint32(env, errors.total, &value));
  CHECK(napi_set_named_property(env, result, "errorTotal", value));
  CHECK(napi_create_array_with_length(env, errors.count, &list));
  for (uint32_t i = 0; i < errors.count; i++) {
    napi_value entry, field;
    CHECK(napi_create_object(env, &entry));
    CHECK(napi_get_boolean(env, errors.missing[i], &field));
    CHECK(napi_set_named_property(env, entry, "missing", field));
    CHECK(napi_create_uint32(env, errors.symbol[i], &field));
    CHECK(napi_set_named_property(env, entry, "type", field));
    CHECK(napi_create_uint32(env, errors.offset[i], &field));
    CHECK(napi_set_named_property(env, entry, "offset", field));
    CHECK(napi_set_element(env, list, i, entry));
  }
  CHECK(napi_set_named_property(env, result, "errors", list));
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"vocabulary", NULL, vocabulary, NULL, NULL, NULL, napi_default, NULL},
      {"exportTree", NULL, export_tree, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, 2, properties) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
