; Python definitions and references, in the style of tree-sitter's tags.scm.
; Captures name the node; the extractor (extract.ts) reads names,
; parameters, bases and decorators from the captured node's fields and
; decides what a declaration belongs to by nesting.

(function_definition) @definition.function
(class_definition) @definition.class

(import_statement) @import
(import_from_statement) @import

; Assignments bind names (module and function scope), give classes their
; attributes (class body, self.x = …) and may define __all__.
(assignment) @assignment
(augmented_assignment left: (identifier) @_target (#eq? @_target "__all__")) @all.extend
(call function: (attribute object: (identifier) @_target attribute: (identifier) @_method)
  (#eq? @_target "__all__") (#match? @_method "^(extend|append)$")) @all.extend

(call) @reference.call
