/**
 * Declarations of one TypeScript/JavaScript file: functions, classes and
 * their members, interfaces, types, enums, namespaces, bound object
 * literals and test blocks, each read from the node the query captured.
 */
import { commentAbove, oneLine, rangeOf, stringValue } from '../syntax-helpers.js';
import type { CompactNode as SyntaxNode } from '../compact-tree.js';
import type { DeclDraft, ExtractContext } from './extract-context.js';
import type { TsDecl, TsDeclDetail, TsDeclKind, TypeRef } from './facts.js';
import { callbacksOf, expr, memberName, returnTypeOf, typeParamsOf, typeRef, typeRefExpr } from './syntax.js';

const FUNCTION_VALUES = new Set(['arrow_function', 'function_expression', 'generator_function', 'function']);
const TEST_MODIFIERS = new Set(['only', 'skip', 'each', 'todo', 'concurrent', 'failing', 'sequential', 'shuffle', 'skipIf', 'runIf', 'fails', 'for']);

export function addDraft(context: ExtractContext, draft: Omit<DeclDraft, 'decl'> & { decl: Omit<TsDecl & TsDeclDetail, 'parent'> }): number {
  context.drafts.push({ ...draft, decl: { ...draft.decl, parent: -1 } });
  return context.drafts.length - 1;
}

function baseDecl(kind: TsDeclKind, name: string, node: SyntaxNode, nameNode: SyntaxNode | null, docNode: SyntaxNode): Omit<TsDecl & TsDeclDetail, 'parent'> {
  const at = nameNode ?? node;
  return {
    kind,
    name,
    range: rangeOf(node),
    nameLine: at.startPosition.row + 1,
    nameCol: at.startPosition.column + 1,
    signature: '',
    doc: commentAbove(docNode),
    start: node.startIndex,
    end: node.endIndex,
  };
}

/** The statement a declaration is written in, through `export` and `const`. */
function statementOf(node: SyntaxNode): SyntaxNode {
  let current = node;
  if (current.type === 'variable_declarator' && current.parent) current = current.parent;
  if (current.parent?.type === 'export_statement') current = current.parent;
  return current;
}

function isExportedStatement(statement: SyntaxNode): boolean {
  return statement.type === 'export_statement';
}

export function functionSignature(context: ExtractContext, fn: SyntaxNode): string {
  const typeParameters = fn.childForFieldName('type_parameters');
  const parameters = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
  const returnType = fn.childForFieldName('return_type');
  const start = (typeParameters ?? parameters)?.startIndex;
  if (start === undefined) return '()';
  const end = (returnType ?? parameters ?? typeParameters)!.endIndex;
  const written = oneLine(context.text.slice(start, end));
  return parameters?.type === 'identifier' ? `(${written})` : written;
}

function classSignature(context: ExtractContext, node: SyntaxNode): string {
  const heritage = node.namedChildren.find((child) => child.type === 'class_heritage');
  return heritage ? oneLine(context.text.slice(heritage.startIndex, heritage.endIndex)) : '';
}

/** Reads a function or class value into a declaration: signature, return type, heritage. */
export function describeValue(context: ExtractContext, decl: Omit<TsDecl & TsDeclDetail, 'parent'>, value: SyntaxNode): void {
  if (FUNCTION_VALUES.has(value.type) || value.type === 'function_declaration' || value.type === 'generator_function_declaration'
    || value.type === 'method_definition' || value.type === 'method_signature' || value.type === 'abstract_method_signature') {
    decl.signature = functionSignature(context, value);
    const typeParams = typeParamsOf(value);
    if (typeParams) decl.typeParams = typeParams;
    const callbacks = callbacksOf(value);
    if (callbacks) decl.callbacks = callbacks;
    const returns = returnTypeOf(value);
    if (returns) decl.returns = returns;
    else {
      const created = returnsOnlyNew(value);
      if (created) decl.returnsNew = created;
    }
    if (!returns && value.type === 'method_definition') {
      const via = returnsOnlyThis(value);
      if (via) {
        decl.returnsThis = true;
        if (via.length > 0) decl.returnsThisVia = via;
      }
    }
    if (value.type === 'method_signature' || value.type === 'abstract_method_signature') decl.abstract = true;
  } else if (value.type === 'class' || value.type === 'class_declaration' || value.type === 'abstract_class_declaration') {
    decl.signature = classSignature(context, value);
    const typeParams = typeParamsOf(value);
    if (typeParams) decl.typeParams = typeParams;
    readHeritage(decl, value);
  }
}

/**
 * Does every `return` of the method (none of its nested functions') return
 * `this`, or the result of a call `this.other(…)`? A fluent method,
 * `add(x) { …; return this }`: calling it gives the receiver back, which
 * types chains like `new List().add(a).add(b)`. Returns the names of the
 * other methods it relies on, or undefined when it is not fluent.
 */
function returnsOnlyThis(method: SyntaxNode): string[] | undefined {
  const body = method.childForFieldName('body');
  if (!body) return undefined;
  let returns = 0;
  let others = 0;
  const via = new Set<string>();
  const visit = (node: SyntaxNode): void => {
    if (node !== body && (FUNCTION_VALUES.has(node.type) || node.type === 'function_declaration' || node.type === 'class' || node.type === 'class_declaration')) return;
    if (node.type === 'return_statement') {
      const value = node.namedChildren.find((child) => child.type !== 'comment');
      const callee = value?.type === 'call_expression' ? value.childForFieldName('function') : undefined;
      if (value?.type === 'this') returns++;
      else if (callee?.type === 'member_expression' && callee.childForFieldName('object')?.type === 'this' && callee.childForFieldName('property')) {
        via.add(callee.childForFieldName('property')!.text);
        returns++;
      } else others++;
      return;
    }
    for (const child of node.namedChildren) visit(child);
  };
  visit(body);
  return returns > 0 && others === 0 ? [...via] : undefined;
}

/**
 * Does every `return` of the function (none of its nested functions') return
 * `new C(…)` of one class named C? Then it returns a C, whatever it declares
 * (nothing, here). Returns that name.
 */
function returnsOnlyNew(fn: SyntaxNode): TypeRef | undefined {
  const body = fn.childForFieldName('body');
  if (!body) return undefined;
  if (body.type === 'new_expression') return newClassName(body);
  let created: string | undefined;
  let others = 0;
  const visit = (node: SyntaxNode): void => {
    if (node !== body && (FUNCTION_VALUES.has(node.type) || node.type === 'function_declaration' || node.type === 'class' || node.type === 'class_declaration')) return;
    if (node.type === 'return_statement') {
      const value = node.namedChildren.find((child) => child.type !== 'comment');
      const name = value?.type === 'new_expression' ? newClassName(value)?.name : undefined;
      if (name && (created === undefined || created === name)) created = name;
      else others++;
      return;
    }
    for (const child of node.namedChildren) visit(child);
  };
  visit(body);
  return created !== undefined && others === 0 ? { name: created } : undefined;
}

function newClassName(node: SyntaxNode): TypeRef | undefined {
  const constructor = node.childForFieldName('constructor');
  return constructor?.type === 'identifier' ? { name: constructor.text } : undefined;
}

function readHeritage(decl: Omit<TsDecl & TsDeclDetail, 'parent'>, node: SyntaxNode): void {
  const heritage = node.namedChildren.find((child) => child.type === 'class_heritage');
  for (const clause of heritage?.namedChildren ?? []) {
    if (clause.type === 'extends_clause') {
      const value = clause.childForFieldName('value');
      if (value) decl.extends = [expr(value)];
    } else if (clause.type === 'implements_clause') {
      decl.implements = clause.namedChildren.map((child) => typeRef(child)).filter((ref) => ref !== undefined);
    }
  }
}

export function valueKind(value: SyntaxNode): TsDeclKind | undefined {
  if (FUNCTION_VALUES.has(value.type)) return 'function';
  if (value.type === 'class') return 'class';
  if (value.type === 'object' && hasFunctionMembers(value)) return 'object';
  return undefined;
}

export function hasFunctionMembers(object: SyntaxNode): boolean {
  return object.namedChildren.some(
    (member) => member.type === 'method_definition' || (member.type === 'pair' && FUNCTION_VALUES.has(member.childForFieldName('value')?.type ?? '')),
  );
}

/** `const f = () => …`, `const K = class {…}`, `const api = { get() {…} }`. */
export function readBound(context: ExtractContext, declarator: SyntaxNode): void {
  const nameNode = declarator.childForFieldName('name')!;
  const value = declarator.childForFieldName('value')!;
  const kind = valueKind(value);
  if (!kind) return;
  const statement = statementOf(declarator);
  const decl = baseDecl(kind, nameNode.text, declarator, nameNode, statement);
  if (isExportedStatement(statement)) decl.exported = true;
  describeValue(context, decl, value);
  if (kind === 'object') {
    decl.signature = 'object';
    context.declaredObjects.add(value.startIndex);
  }
  addDraft(context, { decl, node: declarator, bindsName: true, hoisted: false, statement: declarator });
}

/** `export default () => …`, `export default class {…}`, `export default { … }`. */
export function readExportDefault(context: ExtractContext, statement: SyntaxNode): void {
  const value = statement.childForFieldName('value');
  if (!value || !/\bdefault\b/.test(context.text.slice(statement.startIndex, value.startIndex))) return;
  const kind = valueKind(value);
  if (!kind) return;
  const ownName = value.childForFieldName('name');
  const decl = baseDecl(kind, ownName?.text ?? 'default', value, ownName ?? statement, statement);
  decl.exported = true;
  describeValue(context, decl, value);
  if (kind === 'object') {
    decl.signature = 'object';
    context.declaredObjects.add(value.startIndex);
  }
  addDraft(context, { decl, node: value, bindsName: false, hoisted: false, statement });
}

const STATEMENT_KINDS: Record<string, TsDeclKind> = {
  function_declaration: 'function',
  generator_function_declaration: 'function',
  class_declaration: 'class',
  abstract_class_declaration: 'class',
  interface_declaration: 'interface',
  type_alias_declaration: 'type',
  enum_declaration: 'enum',
  internal_module: 'namespace',
  module: 'namespace',
};

export function readStatementDecl(context: ExtractContext, node: SyntaxNode): void {
  const kind = STATEMENT_KINDS[node.type];
  const nameNode = node.childForFieldName('name');
  if (!kind || !nameNode) return;
  const statement = node.parent?.type === 'expression_statement' ? node.parent : statementOf(node);
  const decl = baseDecl(kind, nameNode.text, node, nameNode, statement);
  if (isExportedStatement(statement) || (node.parent?.type === 'ambient_declaration' && node.parent.parent?.type === 'export_statement')) {
    decl.exported = true;
  }
  switch (kind) {
    case 'function':
    case 'class':
      describeValue(context, decl, node);
      break;
    case 'interface': {
      const typeParams = typeParamsOf(node);
      if (typeParams) decl.typeParams = typeParams;
      const extendsClause = node.namedChildren.find((child) => child.type === 'extends_type_clause');
      // Written as types (`core.$ZodType<T>`): read as type references, kept as the expressions they name.
      const parents = (extendsClause?.namedChildren ?? []).map((child) => typeRefExpr(typeRef(child)));
      if (parents.length > 0) decl.extends = parents;
      decl.signature = extendsClause ? `interface ${oneLine(extendsClause.text)}` : 'interface';
      break;
    }
    case 'type': {
      const typeParams = typeParamsOf(node);
      if (typeParams) decl.typeParams = typeParams;
      const value = node.childForFieldName('value');
      const alias = typeRef(value);
      if (alias) decl.alias = alias;
      decl.signature = value ? `= ${oneLine(value.text)}` : '';
      break;
    }
    case 'enum':
      decl.signature = 'enum';
      break;
    case 'namespace':
      decl.signature = 'namespace';
      break;
  }
  addDraft(context, { decl, node, bindsName: true, hoisted: kind === 'function', statement });
}

function memberFlags(decl: Omit<TsDecl & TsDeclDetail, 'parent'>, node: SyntaxNode): void {
  for (const child of node.children) {
    if (child.type === 'static') decl.static = true;
    else if (child.type === 'get' || child.type === 'set') decl.accessor = child.type;
    else if (child.type === 'accessibility_modifier' && child.text !== 'public') decl.hidden = true;
  }
  if (decl.name.startsWith('#')) decl.hidden = true;
}

/** An interface body, or the object type a type alias names (`type Api = { get(): T }`): its members are the type's. */
export function isTypeBody(container: SyntaxNode): boolean {
  return container.type === 'interface_body' || (container.type === 'object_type' && container.parent?.type === 'type_alias_declaration');
}

export function readMethod(context: ExtractContext, node: SyntaxNode): void {
  const container = node.parent;
  if (!container) return;
  const inClass = container.type === 'class_body';
  const inInterface = isTypeBody(container);
  const inObject = container.type === 'object' && context.declaredObjects.has(container.startIndex);
  if (!inClass && !inInterface && !inObject) return;
  const nameNode = node.childForFieldName('name');
  const name = memberName(nameNode);
  if (!name) return;
  // Overload signatures in a class precede the implementation, which is the symbol.
  if (inClass && node.type === 'method_signature') return;
  const decl = baseDecl('method', name, node, nameNode, node);
  memberFlags(decl, node);
  describeValue(context, decl, node);
  addDraft(context, { decl, node, bindsName: false, hoisted: false, statement: node });
}

/**
 * `parse: (input: I) => O` in an interface or object type: a method without
 * a body, as a method signature is (a call through the type has it as its
 * target). Property signatures of other types are fields (extract-locals.ts).
 */
export function readPropertySignature(context: ExtractContext, node: SyntaxNode): void {
  const container = node.parent;
  if (!container || !isTypeBody(container)) return;
  const fn = node.childForFieldName('type')?.namedChild(0);
  if (fn?.type !== 'function_type') return;
  const nameNode = node.childForFieldName('name');
  const name = memberName(nameNode);
  if (!name) return;
  const decl = baseDecl('method', name, node, nameNode, node);
  memberFlags(decl, node);
  decl.signature = functionSignature(context, fn);
  const returns = returnTypeOf(fn);
  if (returns) decl.returns = returns;
  const typeParams = typeParamsOf(fn);
  if (typeParams) decl.typeParams = typeParams;
  decl.abstract = true;
  addDraft(context, { decl, node, bindsName: false, hoisted: false, statement: node });
}

/** `handler = () => …` in a class body: a method. Other fields are read by readFields. */
export function readFieldFunction(context: ExtractContext, node: SyntaxNode): void {
  const value = node.childForFieldName('value');
  if (!value || !FUNCTION_VALUES.has(value.type)) return;
  const nameNode = node.childForFieldName('name');
  const name = memberName(nameNode);
  if (!name) return;
  const decl = baseDecl('method', name, node, nameNode, node);
  memberFlags(decl, node);
  describeValue(context, decl, value);
  addDraft(context, { decl, node, bindsName: false, hoisted: false, statement: node });
}

/** `{ list: () => … }` in a declared object literal. */
export function readPair(context: ExtractContext, pair: SyntaxNode): void {
  const object = pair.parent;
  if (!object || object.type !== 'object' || !context.declaredObjects.has(object.startIndex)) return;
  const keyNode = pair.childForFieldName('key');
  const name = memberName(keyNode);
  const value = pair.childForFieldName('value');
  if (!name || !value) return;
  const decl = baseDecl('method', name, pair, keyNode, pair);
  describeValue(context, decl, value);
  addDraft(context, { decl, node: pair, bindsName: false, hoisted: false, statement: pair });
}

/** describe/it/test(name, callback) and their modifier forms: a test declaration around the callback. */
export function readTest(context: ExtractContext, call: SyntaxNode): void {
  const chain = testChain(call.childForFieldName('function'));
  if (!chain) return;
  const args = call.childForFieldName('arguments')?.namedChildren.filter((child) => child.type !== 'comment') ?? [];
  const callback = args[args.length - 1];
  const first = args[0];
  if (!first || !callback || first === callback || !FUNCTION_VALUES.has(callback.type)) return;
  // A name is part of the symbol id: never empty (it would be the file's id), one line, bounded.
  const name = oneLine(stringValue(first) ?? first.text).trim() || '(unnamed)';
  const decl = baseDecl('test', name, call, first, call.parent ?? call);
  decl.testFunction = chain.join('.');
  decl.signature = decl.testFunction;
  addDraft(context, { decl, node: call, bindsName: false, hoisted: false, statement: call });
}

/** `it`, `it.only`, `describe.each(table)`, `test.skip.each\`…\`` → [it], [it, only], …; undefined for anything else. */
function testChain(node: SyntaxNode | null): string[] | undefined {
  if (!node) return undefined;
  if (node.type === 'identifier') return [node.text];
  if (node.type === 'call_expression') {
    const inner = testChain(node.childForFieldName('function'));
    const last = inner?.[inner.length - 1];
    return inner && last && ['each', 'skipIf', 'runIf', 'for'].includes(last) ? inner : undefined;
  }
  if (node.type === 'member_expression') {
    const object = testChain(node.childForFieldName('object'));
    const property = node.childForFieldName('property')?.text ?? '';
    return object && TEST_MODIFIERS.has(property) ? [...object, property] : undefined;
  }
  return undefined;
}

