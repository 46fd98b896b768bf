; Names bound inside functions and comprehensions other than by assignment:
; parameters, loop targets, `with … as`, `except … as` and `:=`. Scopes are
; computed from the captured node's parents.

(parameters) @local.parameters
(lambda_parameters) @local.parameters
(for_statement left: (_) @local.target)
(for_in_clause left: (_) @local.target)
(with_item value: (as_pattern alias: (as_pattern_target) @local.with))
(except_clause (as_pattern alias: (as_pattern_target) @local.target))
(named_expression name: (identifier) @local.target)
