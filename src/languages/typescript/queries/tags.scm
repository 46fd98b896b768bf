; TypeScript and JavaScript definitions and references, in the style of
; tree-sitter's tags.scm. Captures name the node; the extractor (extract.ts)
; reads names, parameters and types from the captured node's fields and
; decides what a declaration belongs to by nesting.

; Functions and classes declared by statement.
(function_declaration) @definition.function
(generator_function_declaration) @definition.function
(class_declaration) @definition.class
(abstract_class_declaration) @definition.class
(interface_declaration) @definition.interface
(type_alias_declaration) @definition.type
(enum_declaration) @definition.enum
(internal_module name: [(identifier) (nested_identifier)]) @definition.namespace
(module name: [(identifier) (nested_identifier)]) @definition.namespace

; Functions, classes and object literals bound to a name.
(variable_declarator
  name: (identifier)
  value: [(arrow_function) (function_expression) (generator_function) (class) (object)]) @definition.bound

; Members of classes, interfaces and bound object literals.
(method_definition) @definition.method
(method_signature) @definition.method-signature
(abstract_method_signature) @definition.method-signature
(function_signature) @definition.overload
(public_field_definition) @definition.field
(property_signature) @definition.property-signature
(pair key: (_) value: [(arrow_function) (function_expression) (generator_function)]) @definition.pair

; export default <function, class, object or name>
(export_statement value: (_)) @definition.export-default

; Imports and exports.
(import_statement) @import
(export_statement) @export

; CommonJS exports (module.exports = …, exports.x = …) and `this.x = …`
; assignments that give class fields their values.
(assignment_expression left: (member_expression)) @assignment

; Tests: describe/it/test/suite and their .each/.only/.skip forms. The
; extractor checks the modifiers and that a callback is passed.
((call_expression
   function: [(identifier) @test.function
              (member_expression object: (identifier) @test.function)
              (member_expression object: (member_expression object: (identifier) @test.function))
              (call_expression function: (member_expression object: (identifier) @test.function))
              (call_expression function: (member_expression object: (member_expression object: (identifier) @test.function)))]
   arguments: (arguments)) @test.call
 (#match? @test.function "^(describe|it|test|suite|context|specify|fdescribe|fit|xdescribe|xit|xtest)$"))

; Calls.
(call_expression) @reference.call
(new_expression) @reference.new
