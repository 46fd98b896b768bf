; Names bound inside functions and at the top of a module, with the nodes
; the extractor needs to type them. Scopes are computed from the captured
; node's parents.

(formal_parameters) @local.parameters
(arrow_function parameter: (identifier) @local.parameter)
(variable_declarator) @local.variable
(for_in_statement left: [(identifier) (object_pattern) (array_pattern)] @local.loop)
(catch_clause parameter: (_) @local.catch)
