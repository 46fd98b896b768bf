; Names bound inside functions, with the nodes the extractor needs to type
; them. Scopes are computed from the captured node's parents.

(parameter_declaration) @local.parameter
(variadic_parameter_declaration) @local.parameter
(short_var_declaration) @local.short
(block (statement_list (var_declaration (var_spec) @local.var)))
(block (statement_list (var_declaration (var_spec_list (var_spec) @local.var))))
(range_clause) @local.range
(block (statement_list (const_declaration (const_spec) @local.var)))
(type_switch_statement) @local.typeswitch
(communication_case communication: (receive_statement left: (expression_list)) @local.receive)
