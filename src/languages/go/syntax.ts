/**
 * Go syntax nodes → the small TypeExpr / Expr shapes of facts.ts. Only the
 * shapes that help type a receiver are kept; everything else is `other`.
 */
import type { CompactNode as SyntaxNode } from '../compact-tree.js';
import type { Expr, GoField, GoParam, TypeExpr } from './facts.js';

const OTHER_TYPE: TypeExpr = { k: 'other' };
const OTHER_EXPR: Expr = { k: 'other' };

export function typeExpr(node: SyntaxNode | null): TypeExpr {
  if (!node) return OTHER_TYPE;
  switch (node.type) {
    case 'type_identifier':
      return { k: 'named', name: node.text };
    case 'qualified_type': {
      const pkg = node.childForFieldName('package');
      const name = node.childForFieldName('name');
      if (!pkg || !name) return OTHER_TYPE;
      return { k: 'named', pkg: pkg.text, name: name.text };
    }
    case 'pointer_type':
      return { k: 'ptr', elem: typeExpr(node.namedChild(0)) };
    case 'slice_type':
    case 'array_type':
    case 'implicit_length_array_type':
      return { k: 'slice', elem: typeExpr(node.childForFieldName('element')) };
    case 'map_type':
      return { k: 'map', key: typeExpr(node.childForFieldName('key')), value: typeExpr(node.childForFieldName('value')) };
    case 'channel_type':
      return { k: 'chan', elem: typeExpr(node.childForFieldName('value')) };
    case 'function_type':
      return { k: 'func', results: resultTypes(node.childForFieldName('result')) };
    case 'struct_type':
      return { k: 'struct', fields: structFields(node) };
    case 'interface_type':
      return { k: 'interface' };
    case 'generic_type':
      return typeExpr(node.childForFieldName('type'));
    case 'parenthesized_type':
      return typeExpr(node.namedChild(0));
    default:
      return OTHER_TYPE;
  }
}

/** The result list of a function: `(int, error)`, `error`, `(n int, err error)`. */
export function resultTypes(node: SyntaxNode | null): TypeExpr[] {
  if (!node) return [];
  if (node.type !== 'parameter_list') return [typeExpr(node)];
  const results: TypeExpr[] = [];
  for (const parameter of node.namedChildren) {
    if (parameter.type !== 'parameter_declaration' && parameter.type !== 'variadic_parameter_declaration') continue;
    const type = typeExpr(parameter.childForFieldName('type'));
    const names = parameter.childrenForFieldName('name').length;
    for (let i = 0; i < Math.max(1, names); i++) results.push(type);
  }
  return results;
}

/** The type of every parameter in order (one per name); a variadic `...T` has type `[]T`. */
export function parameters(node: SyntaxNode | null): GoParam[] {
  if (!node) return [];
  const params: GoParam[] = [];
  for (const parameter of node.namedChildren) {
    if (parameter.type !== 'parameter_declaration' && parameter.type !== 'variadic_parameter_declaration') continue;
    let type = typeExpr(parameter.childForFieldName('type'));
    const variadic = parameter.type === 'variadic_parameter_declaration';
    if (variadic) type = { k: 'slice', elem: type };
    const names = Math.max(1, parameter.childrenForFieldName('name').length);
    for (let index = 0; index < names; index++) params.push(variadic ? { type, variadic } : { type });
  }
  return params;
}

export function structFields(struct: SyntaxNode): GoField[] {
  const list = struct.namedChildren.find((child) => child.type === 'field_declaration_list');
  if (!list) return [];
  const fields: GoField[] = [];
  for (const declaration of list.namedChildren) {
    if (declaration.type !== 'field_declaration') continue;
    const typeNode = declaration.childForFieldName('type');
    const names = declaration.childrenForFieldName('name');
    if (names.length === 0) {
      // An embedded field: `Bar`, `*baz.Qux`. Its field name is the type's name.
      fields.push({ name: '', type: typeExpr(typeNode), embedded: true });
    } else {
      const type = typeExpr(typeNode);
      for (const name of names) fields.push({ name: name.text, type, embedded: false });
    }
  }
  return fields;
}

export function expr(node: SyntaxNode | null): Expr {
  if (!node) return OTHER_EXPR;
  switch (node.type) {
    case 'identifier':
      return { k: 'id', name: node.text };
    case 'selector_expression': {
      const operand = node.childForFieldName('operand');
      const field = node.childForFieldName('field');
      if (!field) return OTHER_EXPR;
      return { k: 'sel', x: expr(operand), name: field.text };
    }
    case 'call_expression': {
      const fn = node.childForFieldName('function');
      if (fn?.type === 'identifier' && (fn.text === 'new' || fn.text === 'make')) {
        const first = node.childForFieldName('arguments')?.namedChild(0) ?? null;
        const type = typeExpr(first);
        return fn.text === 'new' ? { k: 'new', type } : { k: 'conv', type };
      }
      if (fn && isTypeNode(fn)) return { k: 'conv', type: typeExpr(fn) };
      return { k: 'call', fn: expr(fn) };
    }
    case 'composite_literal':
      return { k: 'lit', type: typeExpr(node.childForFieldName('type')) };
    case 'unary_expression': {
      // The operator is punctuation, which the compact tree does not copy; it is the expression's first token.
      const operand = node.childForFieldName('operand');
      const text = node.tree.text;
      const at = node.startIndex;
      if (text.startsWith('<-', at)) return { k: 'recv', x: expr(operand) };
      if (text[at] === '&') return { k: 'addr', x: expr(operand) };
      if (text[at] === '*') return { k: 'deref', x: expr(operand) };
      return OTHER_EXPR;
    }
    case 'parenthesized_expression':
      return expr(node.namedChild(0));
    case 'index_expression':
      return { k: 'index', x: expr(node.childForFieldName('operand')) };
    case 'slice_expression':
      return expr(node.childForFieldName('operand'));
    case 'type_assertion_expression':
      return { k: 'assert', type: typeExpr(node.childForFieldName('type')) };
    case 'type_conversion_expression':
      return { k: 'conv', type: typeExpr(node.childForFieldName('type')) };
    case 'func_literal':
      return { k: 'funclit', results: resultTypes(node.childForFieldName('result')) };
    default:
      return OTHER_EXPR;
  }
}

function isTypeNode(node: SyntaxNode): boolean {
  switch (node.type) {
    case 'slice_type':
    case 'array_type':
    case 'map_type':
    case 'pointer_type':
    case 'channel_type':
    case 'function_type':
    case 'interface_type':
    case 'struct_type':
    case 'parenthesized_type':
      return true;
    default:
      return false;
  }
}

/** Collapses the whitespace of a multi-line signature onto one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\(\s+/g, '(').replace(/,\s*\)/g, ')');
}

/** The `// …` comment lines directly above a declaration, without the slashes. */
export function docComment(node: SyntaxNode): string {
  const lines: string[] = [];
  let expectedEndRow = node.startPosition.row - 1;
  let previous = node.previousSibling;
  while (previous && previous.type === 'comment' && previous.endPosition.row === expectedEndRow) {
    lines.unshift(previous.text);
    expectedEndRow = previous.startPosition.row - 1;
    previous = previous.previousSibling;
  }
  return lines
    .map((line) => line.replace(/^\/\/ ?/, '').replace(/^\/\*+|\*+\/$/g, ''))
    .join('\n')
    .trim();
}
