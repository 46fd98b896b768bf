; Go definitions and references, in the style of tree-sitter's tags.scm.
; Captures name the node; the extractor (extract.ts) reads the details
; (receiver, parameters, fields) from the captured node's fields.

(package_clause (package_identifier) @package)

(import_spec) @import

(source_file (function_declaration name: (identifier) @name) @definition.function)
(source_file (method_declaration name: (field_identifier) @name) @definition.method)
(source_file (type_declaration (type_spec name: (type_identifier) @name) @definition.type))
(source_file (type_declaration (type_alias name: (type_identifier) @name) @definition.type))

; Package-level variables and constants: their types and initialisers type
; receivers, and calls in their initialisers belong to the File symbol.
(source_file (var_declaration (var_spec) @definition.var))
(source_file (var_declaration (var_spec_list (var_spec) @definition.var)))
(source_file (const_declaration (const_spec) @definition.var))

(call_expression function: (_) @reference.callee) @reference.call
