/**
 * TypeScript syntax nodes → the small Expr / TypeRef shapes of facts.ts.
 * Only what helps find a call's target is kept; everything else is `other`.
 */
import type { CompactNode as SyntaxNode } from '../compact-tree.js';
import { stringValue } from '../syntax-helpers.js';
import type { Expr, TsCallback, TsTypeParam, TypeRef } from './facts.js';

const OTHER: Expr = { k: 'other' };

/** Types whose single type argument is what a value of them is used as (`await p`, `Promise<T>`). */
const WRAPPER_TYPES = new Set(['Promise', 'PromiseLike', 'Readonly', 'Required', 'Partial', 'NonNullable', 'Awaited']);

export function typeRef(node: SyntaxNode | null): TypeRef | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'type_annotation':
    case 'parenthesized_type':
      return typeRef(node.namedChild(node.namedChildCount - 1));
    case 'type_identifier':
    case 'identifier':
    case 'predefined_type':
      return { name: node.text };
    case 'this_type':
      return { name: 'this' };
    case 'array_type':
    case 'tuple_type':
      return { name: 'Array' };
    case 'nested_type_identifier':
    case 'nested_identifier':
    case 'member_expression': {
      const parts = node.text.split('.').map((part) => part.trim());
      const name = parts.pop()!;
      return { name, qualifier: parts };
    }
    case 'generic_type': {
      const name = typeRef(node.childForFieldName('name'));
      if (name && !name.qualifier && WRAPPER_TYPES.has(name.name)) {
        const argumentsNode = node.childForFieldName('type_arguments');
        if (argumentsNode?.namedChildCount === 1) return typeRef(argumentsNode.namedChild(0));
      }
      return name;
    }
    case 'conditional_type': {
      // `C extends X ? this & Y : this`: used as what both branches agree on.
      const consequence = typeRef(node.childForFieldName('consequence'));
      const alternative = typeRef(node.childForFieldName('alternative'));
      return consequence && alternative && sameTypeRef(consequence, alternative) ? consequence : undefined;
    }
    case 'intersection_type': {
      // `this & Branded<T>`, `Base & { extra: T }`: used as its first named member (object literal types add fields only).
      const first = node.namedChildren.find((child) => child.type !== 'object_type');
      return first ? typeRef(first) : undefined;
    }
    case 'union_type': {
      // `Foo | undefined | null` is used as a Foo.
      const members = node.namedChildren.filter((child) => !/^(literal_type|predefined_type)$/.test(child.type) || !/^(null|undefined|void)$/.test(child.text));
      const refs = members.flatMap((member) => (member.type === 'union_type' ? [typeRef(member)] : [typeRef(member)]));
      return refs.length === 1 ? refs[0] : undefined;
    }
    default:
      return undefined;
  }
}

export function sameTypeRef(a: TypeRef, b: TypeRef): boolean {
  return a.name === b.name && (a.qualifier ?? []).join('.') === (b.qualifier ?? []).join('.');
}

/** A type reference as the expression naming it: `ns.Client` → member(id ns, Client); nothing named → other. */
export function typeRefExpr(ref: TypeRef | undefined): Expr {
  if (!ref) return OTHER;
  let current: Expr | undefined;
  for (const part of [...(ref.qualifier ?? []), ref.name]) current = current ? { k: 'member', x: current, name: part } : { k: 'id', name: part };
  return current!;
}

/** Return type of a function node, Promise<T> unwrapped; a function type (`(a) => T`) writes it bare. */
export function returnTypeOf(node: SyntaxNode): TypeRef | undefined {
  const annotation = node.childForFieldName('return_type');
  if (node.type === 'function_type') return typeRef(annotation);
  return annotation?.type === 'type_annotation' ? typeRef(annotation) : undefined;
}

/**
 * Parameters declared with a function type (`init: (a: A, b: B) => void`,
 * optional or `| undefined` too) → the types of that function's parameters;
 * a leading `this:` parameter is not one a caller passes.
 */
export function callbacksOf(fn: SyntaxNode): TsCallback[] | undefined {
  const formal = fn.childForFieldName('parameters');
  if (!formal || formal.type !== 'formal_parameters') return undefined;
  const callbacks: TsCallback[] = [];
  let arg = 0;
  for (const parameter of formal.namedChildren) {
    if (parameter.type !== 'required_parameter' && parameter.type !== 'optional_parameter') continue;
    if (parameter.childForFieldName('pattern')?.type === 'this') continue;
    const type = functionTypeOf(parameter.childForFieldName('type')?.namedChild(0) ?? null);
    const inner = type?.childForFieldName('parameters');
    if (inner) {
      const params = inner.namedChildren
        .filter((child) => (child.type === 'required_parameter' || child.type === 'optional_parameter') && child.childForFieldName('pattern')?.type !== 'this')
        .map((child) => typeRef(child.childForFieldName('type')) ?? null);
      if (params.some((param) => param !== null)) callbacks.push({ arg, params });
    }
    arg++;
  }
  return callbacks.length > 0 ? callbacks : undefined;
}

/** `(a) => b`, `((a) => b)`, `((a) => b) | undefined` → the function type. */
function functionTypeOf(node: SyntaxNode | null): SyntaxNode | undefined {
  if (!node) return undefined;
  if (node.type === 'function_type') return node;
  if (node.type === 'parenthesized_type') return functionTypeOf(node.namedChild(0));
  if (node.type === 'union_type') {
    const members = node.namedChildren.filter((child) => !/^(null|undefined|void)$/.test(child.text));
    return members.length === 1 ? functionTypeOf(members[0]!) : undefined;
  }
  return undefined;
}

/** `<T extends Base = Default>` → each parameter with what it is known to be: its constraint, else its default. */
export function typeParamsOf(node: SyntaxNode): TsTypeParam[] | undefined {
  const list = node.childForFieldName('type_parameters');
  if (!list) return undefined;
  const params: TsTypeParam[] = [];
  for (const parameter of list.namedChildren) {
    if (parameter.type !== 'type_parameter') continue;
    const name = parameter.childForFieldName('name')?.text;
    if (!name) continue;
    const bound = typeRef(parameter.childForFieldName('constraint')?.namedChild(0) ?? null) ?? typeRef(parameter.childForFieldName('value')?.namedChild(0) ?? null);
    params.push(bound ? { name, bound } : { name });
  }
  return params.length > 0 ? params : undefined;
}

/** Receivers nested deeper than this (`a.b().c()…` chains in generated code) are not followed. */
const MAX_EXPR_DEPTH = 16;

export function expr(node: SyntaxNode | null, depth = 0): Expr {
  if (!node || depth > MAX_EXPR_DEPTH) return OTHER;
  switch (node.type) {
    case 'identifier':
      return { k: 'id', name: node.text };
    case 'this':
      return { k: 'this' };
    case 'super':
      return { k: 'super' };
    case 'member_expression': {
      const property = node.childForFieldName('property');
      const object = expr(node.childForFieldName('object'), depth + 1);
      if (!property) return OTHER;
      return { k: 'member', x: object, name: property.text };
    }
    case 'subscript_expression': {
      const index = node.childForFieldName('index');
      const key = index ? stringValue(index) : undefined;
      const object = expr(node.childForFieldName('object'), depth + 1);
      // obj['literal'] names its member; obj[key] computes it.
      return key !== undefined && index?.type === 'string' ? { k: 'member', x: object, name: key } : { k: 'dynamic', x: object };
    }
    case 'new_expression':
      return { k: 'new', callee: expr(node.childForFieldName('constructor'), depth + 1) };
    case 'call_expression': {
      const fn = node.childForFieldName('function');
      const source = requireSource(node);
      if (source !== undefined) return { k: 'require', source };
      return { k: 'call', fn: expr(fn, depth + 1) };
    }
    case 'await_expression':
    case 'parenthesized_expression':
    case 'non_null_expression':
    case 'satisfies_expression':
      return expr(node.namedChild(0), depth + 1);
    case 'as_expression':
    case 'type_assertion': {
      const type = typeRef(node.namedChild(node.type === 'as_expression' ? 1 : 0));
      return type ? { k: 'cast', type } : expr(node.namedChild(node.type === 'as_expression' ? 0 : 1), depth + 1);
    }
    case 'arrow_function':
    case 'function_expression':
    case 'generator_function':
    case 'function':
      return { k: 'func' };
    case 'string':
    case 'template_string':
    case 'number':
    case 'array':
    case 'regex':
    case 'true':
    case 'false':
      return { k: 'builtin' };
    default:
      return OTHER;
  }
}

/** `require('x')` or `import('x')` with a literal argument: the specifier. */
export function requireSource(call: SyntaxNode): string | undefined {
  if (call.type !== 'call_expression') return undefined;
  const fn = call.childForFieldName('function');
  if (!fn || (fn.type !== 'import' && !(fn.type === 'identifier' && fn.text === 'require'))) return undefined;
  const argument = call.childForFieldName('arguments')?.namedChild(0);
  if (!argument || argument.type !== 'string') return undefined;
  return stringValue(argument);
}

export interface ParamFact {
  name: string;
  /** Position in the parameter list (a destructured parameter's names share it). */
  index: number;
  type?: TypeRef;
  /** `constructor(private db: Db)`: also a field of the class. */
  property: boolean;
  node: SyntaxNode;
}

/** Parameters with a plain name; destructured ones yield each bound name without a type. */
export function parametersOf(formal: SyntaxNode | null): ParamFact[] {
  if (!formal) return [];
  const params: ParamFact[] = [];
  let index = -1;
  for (const parameter of formal.namedChildren) {
    if (parameter.type !== 'required_parameter' && parameter.type !== 'optional_parameter') continue;
    const pattern = parameter.childForFieldName('pattern');
    if (!pattern) continue;
    if (pattern.type !== 'this') index++;
    const property = parameter.namedChildren.some((child) => child.type === 'accessibility_modifier' || child.type === 'override_modifier')
      || /^\s*readonly\b/.test(parameter.text);
    if (pattern.type === 'identifier') {
      const param: ParamFact = { name: pattern.text, index, property, node: pattern };
      const type = typeRef(parameter.childForFieldName('type'));
      if (type) param.type = type;
      params.push(param);
    } else {
      for (const name of patternNames(pattern)) params.push({ name: name.text, index, property: false, node: name });
    }
  }
  return params;
}

/** Every identifier a destructuring pattern binds. */
export function patternNames(pattern: SyntaxNode): SyntaxNode[] {
  switch (pattern.type) {
    case 'identifier':
    case 'shorthand_property_identifier_pattern':
      return [pattern];
    case 'object_pattern':
    case 'array_pattern':
      return pattern.namedChildren.flatMap(patternNames);
    case 'pair_pattern': {
      const value = pattern.childForFieldName('value');
      return value ? patternNames(value) : [];
    }
    case 'assignment_pattern':
    case 'object_assignment_pattern': {
      const left = pattern.childForFieldName('left') ?? pattern.namedChild(0);
      return left ? patternNames(left) : [];
    }
    case 'rest_pattern':
      return pattern.namedChildren.flatMap(patternNames);
    default:
      return [];
  }
}

/** The name of a class member or object key as written: `get`, `#secret`, `'quoted'`. */
export function memberName(node: SyntaxNode | null): string | undefined {
  if (!node) return undefined;
  if (node.type === 'string') return stringValue(node);
  if (node.type === 'computed_property_name') return undefined;
  return node.text;
}
