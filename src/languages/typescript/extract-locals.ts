/**
 * Names bound in a file's scopes — declarations, parameters, variables,
 * loop and catch variables — and the fields of its classes. Bindings let
 * the resolver see what a name means at a call: a local shadows an import,
 * and a variable's initialiser or annotation types a receiver.
 */
import type { CompactNode as SyntaxNode } from '../compact-tree.js';
import { enclosingClass, scopeOf, type ExtractContext } from './extract-context.js';
import { innermostContaining } from '../syntax-helpers.js';
import type { Expr, TsBinding, TsField } from './facts.js';
import { isTypeBody } from './extract-decls.js';
import { expr, memberName, parametersOf, patternNames, typeRef } from './syntax.js';

const FUNCTIONS_WITH_BODIES = new Set([
  'arrow_function', 'function_expression', 'function_declaration', 'generator_function', 'generator_function_declaration', 'method_definition',
]);

export function readBindings(context: ExtractContext, captures: Array<{ name: string; node: SyntaxNode }>): void {
  const bindings = context.facts.bindings;
  // Declarations that bind their name: hoisted ones from the start of their scope.
  context.drafts.forEach((draft, index) => {
    if (!draft.bindsName) return;
    const scope = scopeOf(draft.statement, false);
    // Module-level names are visible everywhere in the module (calls run later); hoisted ones in their whole scope.
    const at = scope[0] === 0 || draft.hoisted ? scope[0] : draft.node.startIndex;
    bindings.push({ name: draft.decl.name.split('.')[0]!, at, scope, decl: index });
  });
  for (const { name, node } of captures) {
    switch (name) {
      case 'local.parameters':
        readParameters(context, node);
        break;
      case 'local.parameter': {
        const owner = node.parent!;
        const binding: TsBinding = { name: node.text, at: owner.startIndex, scope: [owner.startIndex, owner.endIndex] };
        const value = callbackArgument(owner, 0);
        if (value) binding.value = value;
        bindings.push(binding);
        break;
      }
      case 'local.variable':
        readDeclarator(context, node);
        break;
      case 'local.loop':
      case 'local.catch': {
        const statement = node.parent!;
        for (const bound of patternNames(node)) {
          bindings.push({ name: bound.text, at: statement.startIndex, scope: [statement.startIndex, statement.endIndex], value: { k: 'other' } });
        }
        break;
      }
    }
  }
}

function readParameters(context: ExtractContext, formal: SyntaxNode): void {
  const owner = formal.parent;
  if (!owner || !FUNCTIONS_WITH_BODIES.has(owner.type)) return;
  const scope: [number, number] = [owner.startIndex, owner.endIndex];
  const isConstructor = owner.type === 'method_definition' && owner.childForFieldName('name')?.text === 'constructor';
  for (const param of parametersOf(formal)) {
    const binding: TsBinding = { name: param.name, at: owner.startIndex, scope };
    if (param.type) binding.type = param.type;
    else if (/^(required|optional)_parameter$/.test(param.node.parent?.type ?? '')) {
      const value = callbackArgument(owner, param.index);
      if (value) binding.value = value;
    }
    context.facts.bindings.push(binding);
    if (isConstructor && param.property) {
      const field = param.type ? { name: param.name, type: param.type, at: owner.startIndex } : { name: param.name, at: owner.startIndex };
      context.pendingFields.push({ offset: owner.startIndex, field });
    }
  }
}

/** An untyped parameter of a function written as a call's argument: typed by what the callee declares for it. */
function callbackArgument(fn: SyntaxNode, param: number): Expr | undefined {
  if (fn.type !== 'arrow_function' && fn.type !== 'function_expression') return undefined;
  const args = fn.parent;
  const call = args?.parent;
  if (args?.type !== 'arguments' || !call || (call.type !== 'call_expression' && call.type !== 'new_expression')) return undefined;
  const arg = args.namedChildren.filter((child) => child.type !== 'comment').indexOf(fn);
  const callee = call.childForFieldName(call.type === 'new_expression' ? 'constructor' : 'function');
  if (arg < 0 || !callee) return undefined;
  const value: Expr = { k: 'arg', fn: expr(callee), arg, param };
  if (call.type === 'new_expression') value.isNew = true;
  return value;
}

function readDeclarator(context: ExtractContext, declarator: SyntaxNode): void {
  const nameNode = declarator.childForFieldName('name');
  if (!nameNode) return;
  const declaration = declarator.parent;
  const functionScoped = declaration?.type === 'variable_declaration';
  const scope = scopeOf(declarator, functionScoped);
  const at = scope[0] === 0 ? 0 : declarator.startIndex;
  const valueNode = declarator.childForFieldName('value');
  if (nameNode.type === 'identifier') {
    // Declarations (`const f = () => …`) were bound with the other declarations.
    if (context.declAt.has(declarator.startIndex)) return;
    const binding: TsBinding = { name: nameNode.text, at, scope, value: expr(valueNode) };
    const type = typeRef(declarator.childForFieldName('type'));
    if (type) binding.type = type;
    context.facts.bindings.push(binding);
    return;
  }
  // `const { a, b: c } = require('x')` binds members of the value.
  const value = valueNode ? expr(valueNode) : { k: 'other' as const };
  for (const [bound, member] of destructured(nameNode)) {
    const memberValue: Expr = member !== undefined && value.k !== 'other' ? { k: 'member', x: value, name: member } : { k: 'other' };
    context.facts.bindings.push({ name: bound, at, scope, value: memberValue });
  }
}

/** Bound name → the member it takes, for the first level of an object pattern; nested names take nothing known. */
function destructured(pattern: SyntaxNode): Array<[string, string | undefined]> {
  if (pattern.type !== 'object_pattern') return patternNames(pattern).map((name) => [name.text, undefined]);
  const found: Array<[string, string | undefined]> = [];
  for (const member of pattern.namedChildren) {
    if (member.type === 'shorthand_property_identifier_pattern') found.push([member.text, member.text]);
    else if (member.type === 'pair_pattern') {
      const key = memberName(member.childForFieldName('key'));
      const value = member.childForFieldName('value');
      if (value?.type === 'identifier') found.push([value.text, key]);
      else if (value) for (const name of patternNames(value)) found.push([name.text, undefined]);
    } else for (const name of patternNames(member)) found.push([name.text, undefined]);
  }
  return found;
}

/** Typed fields, parameter properties and `this.x = …` assignments → the fields of their class. */
export function readClassFields(context: ExtractContext, fieldNodes: SyntaxNode[]): void {
  for (const node of fieldNodes) {
    const value = node.childForFieldName('value');
    if (value && /function|arrow/.test(value.type)) continue;
    const name = memberName(node.childForFieldName('name'));
    if (!name) continue;
    const field: TsField = { name, at: node.startIndex };
    const type = typeRef(node.childForFieldName('type'));
    if (type) field.type = type;
    if (value) field.value = expr(value);
    context.pendingFields.push({ offset: node.startIndex, field });
  }
  const owners = innermostContaining(context.facts.decls, context.pendingFields.map((pending) => pending.offset));
  context.pendingFields.forEach((pending, index) => {
    const classIndex = enclosingClass(context, owners[index]!);
    if (classIndex < 0) return;
    (context.facts.decls[classIndex]!.fields ??= []).push(pending.field);
  });
}

/** Property signatures of interfaces and object type aliases that are not functions → the fields of their type. */
export function readSignatureFields(context: ExtractContext, nodes: SyntaxNode[]): void {
  const wanted = nodes.filter((node) => node.parent && isTypeBody(node.parent) && node.childForFieldName('type')?.namedChild(0)?.type !== 'function_type');
  const owners = innermostContaining(context.facts.decls, wanted.map((node) => node.startIndex));
  wanted.forEach((node, index) => {
    const owner = context.facts.decls[owners[index]!];
    const name = memberName(node.childForFieldName('name'));
    const type = typeRef(node.childForFieldName('type'));
    if (!owner || (owner.kind !== 'interface' && owner.kind !== 'type') || !name || !type) return;
    (owner.fields ??= []).push({ name, type, at: node.startIndex });
  });
}
