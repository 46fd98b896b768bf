/**
 * Python syntax nodes → the small PyExpr / PyTypeRef shapes of facts.ts.
 */
import type { CompactNode as SyntaxNode } from '../compact-tree.js';
import { stringValue } from '../syntax-helpers.js';
import type { PyExpr, PyTypeRef } from './facts.js';

const OTHER: PyExpr = { k: 'other' };
const LITERALS = new Set([
  'string', 'concatenated_string', 'integer', 'float', 'list', 'dictionary', 'set', 'tuple', 'true', 'false',
  'list_comprehension', 'dictionary_comprehension', 'set_comprehension',
]);
/** Wrappers whose argument is what the value is used as. */
const WRAPPERS = new Set(['Optional', 'Annotated', 'Final', 'ClassVar', 'Type', 'type', 'Awaitable', 'Coroutine']);

/** Receivers nested deeper than this (`a.b().c()…` chains in generated code) are not followed. */
const MAX_EXPR_DEPTH = 16;

export function expr(node: SyntaxNode | null, depth = 0): PyExpr {
  if (!node || depth > MAX_EXPR_DEPTH) return OTHER;
  switch (node.type) {
    case 'identifier':
      return { k: 'id', name: node.text };
    case 'attribute': {
      const attribute = node.childForFieldName('attribute');
      return attribute ? { k: 'attr', x: expr(node.childForFieldName('object'), depth + 1), name: attribute.text } : OTHER;
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      if (fn?.type === 'identifier' && fn.text === 'super') return { k: 'super' };
      return { k: 'call', fn: expr(fn, depth + 1) };
    }
    case 'subscript':
      return { k: 'dynamic', x: expr(node.childForFieldName('value'), depth + 1) };
    case 'parenthesized_expression':
    case 'await':
      return expr(node.namedChild(0), depth + 1);
    case 'lambda':
      return { k: 'lambda' };
    default:
      return LITERALS.has(node.type) ? { k: 'builtin' } : OTHER;
  }
}

/** An annotation → the one class it names, if it names one. */
export function typeRef(node: SyntaxNode | null): PyTypeRef | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'type':
      return typeRef(node.namedChild(0));
    case 'identifier':
      return { name: node.text };
    case 'attribute': {
      const parts = node.text.split('.').map((part) => part.trim());
      const name = parts.pop()!;
      return { name, qualifier: parts };
    }
    case 'string': {
      // A forward reference: "Foo" or "mod.Foo".
      const text = stringValue(node)?.trim() ?? '';
      if (!/^[A-Za-z_][\w.]*$/.test(text)) return undefined;
      const parts = text.split('.');
      const name = parts.pop()!;
      return parts.length > 0 ? { name, qualifier: parts } : { name };
    }
    case 'generic_type':
    case 'subscript': {
      const base = node.type === 'generic_type' ? node.namedChild(0) : node.childForFieldName('value');
      const name = base?.text.split('.').pop() ?? '';
      const argumentsNode = node.type === 'generic_type' ? node.namedChild(1) : node.childForFieldName('subscript');
      if (WRAPPERS.has(name) || name === 'Union') {
        const members = (argumentsNode?.type === 'type_parameter' ? argumentsNode.namedChildren : [argumentsNode])
          .filter((member): member is SyntaxNode => member !== null && member.text !== 'None');
        return members.length === 1 ? typeRef(members[0]!) : undefined;
      }
      return typeRef(base);
    }
    case 'binary_operator': {
      // X | None
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (right?.text === 'None') return typeRef(left);
      if (left?.text === 'None') return typeRef(right);
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The names a target binds: `a`, `a, b`, `(a, [b, *c])`. */
export function targetNames(node: SyntaxNode): SyntaxNode[] {
  switch (node.type) {
    case 'identifier':
      return [node];
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'expression_list':
    case 'tuple':
    case 'list':
    case 'list_splat_pattern':
    case 'as_pattern_target':
    case 'parenthesized_expression':
      return node.namedChildren.flatMap(targetNames);
    default:
      return [];
  }
}

export interface PyParam {
  name: string;
  type?: PyTypeRef;
  node: SyntaxNode;
}

export function parametersOf(parameters: SyntaxNode): PyParam[] {
  const found: PyParam[] = [];
  for (const parameter of parameters.namedChildren) {
    switch (parameter.type) {
      case 'identifier':
        found.push({ name: parameter.text, node: parameter });
        break;
      case 'typed_parameter':
      case 'typed_default_parameter':
      case 'default_parameter': {
        const name = parameter.childForFieldName('name') ?? parameter.namedChildren.find((child) => child.type === 'identifier');
        if (!name || name.type !== 'identifier') break;
        const param: PyParam = { name: name.text, node: name };
        const type = typeRef(parameter.childForFieldName('type'));
        if (type) param.type = type;
        found.push(param);
        break;
      }
      case 'list_splat_pattern':
      case 'dictionary_splat_pattern': {
        const name = parameter.namedChildren.find((child) => child.type === 'identifier');
        if (name) found.push({ name: name.text, node: name });
        break;
      }
    }
  }
  return found;
}
