/**
 * One Python file's text → PyFileFacts. The query files find the nodes;
 * this code reads their fields and nests them. It never looks outside the
 * file (see language.ts).
 */
import type { Extraction, ParseSpec } from '../language.js';
import { RECEIVER_NAMES } from './builtins.js';
import { cleanComment, innermostContaining, oneLine, rangeOf, stringValue } from '../syntax-helpers.js';
import type { CompactNode as SyntaxNode } from '../compact-tree.js';
import { loadGrammar, loadTreeQuery, parseCompact } from '../tree-sitter.js';
import type { CompactOptions } from '../compact-tree.js';
import type { PyBinding, PyCall, PyDecl, PyDeclDetail, PyExpr, PyField, PyFileFacts } from './facts.js';
import { keepNeededBindings } from './needed-bindings.js';
import { expr, parametersOf, targetNames, typeRef } from './syntax.js';

const grammar = loadGrammar('tree-sitter-python');
/** tags.scm and locals.scm as one query: one pass over the tree. */
const query = loadTreeQuery(import.meta.url, ['queries/tags.scm', 'queries/locals.scm']);

/**
 * Nodes whose insides no extractor reads: a string literal that is not an
 * f-string (calls can sit in an f-string's braces) — its text between the
 * quotes is what the extractor takes as its value.
 */
function plainString(text: string, start: number): boolean {
  for (let at = start; at < text.length; at++) {
    const char = text[at]!;
    if (char === '"' || char === "'") return true;
    if (char === 'f' || char === 'F') return false;
  }
  return true;
}

const COMPACT: CompactOptions = { opaqueWhen: new Map([['string', plainString]]) };

/** How extractPython parses (LanguageSupport.parseSpec). */
export const PYTHON_PARSE: ParseSpec = { grammar, options: COMPACT };

const MODULE_SCOPE: [number, number] = [0, Number.MAX_SAFE_INTEGER];

interface Context {
  text: string;
  facts: PyFileFacts;
  /** Class declaration index by the start offset of its body block. */
  classByBody: Map<number, number>;
  pendingSelfFields: Array<{ offset: number; object: string; field: PyField }>;
}

export function extractPython(text: string): Extraction<PyFileFacts> {
  const { tree, diagnostics } = parseCompact(grammar, text, COMPACT);
  if (!tree) return { facts: undefined, diagnostics };
  const root = tree.rootNode;
  const facts: PyFileFacts = { decls: [], details: [], bindings: [], stars: [], imports: [], calls: [], calledAttributes: [], lines: root.endPosition.row + 1 };
  const context: Context = { text, facts, classByBody: new Map(), pendingSelfFields: [] };

  const captures = new Map<string, SyntaxNode[]>();
  const locals: Array<{ name: string; node: SyntaxNode }> = [];
  for (const match of query.matches(tree)) {
    const capture = match.captures.find((item) => !item.name.startsWith('_'))!;
    if (capture.name.startsWith('local.')) {
      locals.push(match.captures[match.captures.length - 1]!);
      continue;
    }
    const list = captures.get(capture.name);
    if (list) list.push(capture.node);
    else captures.set(capture.name, [capture.node]);
  }
  const nodes = (name: string): SyntaxNode[] => captures.get(name) ?? [];

  const definitions = [...nodes('definition.function'), ...nodes('definition.class')].sort((a, b) => a.startIndex - b.startIndex);
  const drafts = definitions.map((node) => readDefinition(node));
  facts.decls = drafts;
  const parents = innermostContaining(facts.decls, facts.decls.map((decl) => decl.start), true);
  facts.decls.forEach((decl, index) => {
    decl.parent = parents[index]!;
    const node = definitions[index]!;
    const body = node.childForFieldName('body');
    if (decl.kind === 'class' && body) context.classByBody.set(body.startIndex, index);
    const scope = scopeOf(node);
    if (scope !== 'class') facts.bindings.push({ name: decl.name, at: node.startIndex, scope, decl: index });
  });

  for (const node of nodes('import')) readImport(context, node);
  for (const node of nodes('assignment')) readAssignment(context, node);
  for (const node of nodes('all.extend')) extendAll(context, node);
  for (const capture of locals) readLocal(context, capture.name, capture.node);
  placeSelfFields(context);
  readCalls(context, nodes('reference.call'));
  keepNeededBindings(facts);
  facts.calledAttributes = calledAttributes(facts.calls);
  // Only symbol records read a declaration's range, name position, signature and doc: a local fact of their own.
  facts.details = drafts.map((decl) => ({ range: decl.range, nameLine: decl.nameLine, nameCol: decl.nameCol, signature: decl.signature, doc: decl.doc }));
  facts.decls = drafts.map(({ range: _range, nameLine: _nameLine, nameCol: _nameCol, signature: _signature, doc: _doc, ...decl }) => decl);
  return { facts, diagnostics };
}

/** The function (or module) whose local a name bound at `node` is; 'class' for a class body. */
function scopeOf(node: SyntaxNode): [number, number] | 'class' {
  let current = node.parent;
  while (current) {
    switch (current.type) {
      case 'function_definition':
      case 'lambda':
        return [current.startIndex, current.endIndex];
      case 'class_definition':
        return 'class';
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        // Only the comprehension's own targets are local to it; see readLocal.
        break;
      case 'module':
        return MODULE_SCOPE;
    }
    current = current.parent;
  }
  return MODULE_SCOPE;
}

function readDefinition(node: SyntaxNode): PyDecl & PyDeclDetail {
  const nameNode = node.childForFieldName('name')!;
  const decorated = node.parent?.type === 'decorated_definition' ? node.parent : undefined;
  const outer = decorated ?? node;
  const decl: PyDecl & PyDeclDetail = {
    kind: node.type === 'class_definition' ? 'class' : 'function',
    name: nameNode.text,
    parent: -1,
    range: rangeOf(outer),
    nameLine: nameNode.startPosition.row + 1,
    nameCol: nameNode.startPosition.column + 1,
    signature: '',
    doc: docstring(node),
    // Decorators run in the enclosing scope: the declaration's own span starts at `def`/`class`.
    start: node.startIndex,
    end: node.endIndex,
  };
  if (decorated) {
    decl.decorators = decorated.namedChildren.filter((child) => child.type === 'decorator').map((child) => oneLine(child.text));
  }
  if (decl.kind === 'class') {
    const superclasses = node.childForFieldName('superclasses');
    decl.signature = superclasses ? oneLine(superclasses.text) : '';
    const bases = (superclasses?.namedChildren ?? []).filter((child) => child.type !== 'keyword_argument' && child.type !== 'comment');
    if (bases.length > 0) decl.bases = bases.map((base) => expr(base));
  } else {
    const parameters = node.childForFieldName('parameters');
    const returnType = node.childForFieldName('return_type');
    decl.signature = oneLine(`${parameters?.text ?? '()'}${returnType ? ` -> ${returnType.text}` : ''}`);
    const first = parameters ? parametersOf(parameters)[0] : undefined;
    if (first) decl.firstParam = first.name;
    const returns = typeRef(returnType);
    if (returns) decl.returns = returns;
  }
  return decl;
}

function docstring(node: SyntaxNode): string {
  const first = node.childForFieldName('body')?.namedChild(0);
  if (first?.type !== 'expression_statement') return '';
  const string = first.namedChild(0);
  if (string?.type !== 'string') return '';
  return cleanComment(stringValue(string) ?? '');
}

function readImport(context: Context, statement: SyntaxNode): void {
  const scope = scopeOf(statement);
  if (scope === 'class') return;
  const line = statement.startPosition.row + 1;
  const bind = (name: string, ref: PyBinding['import']): void => {
    context.facts.bindings.push({ name, at: statement.startIndex, scope, import: ref! });
  };
  if (statement.type === 'import_statement') {
    for (const item of statement.childrenForFieldName('name')) {
      if (item.type === 'dotted_name') {
        context.facts.imports.push({ module: item.text, line });
        bind(item.text.split('.')[0]!, { module: item.text.split('.')[0]! });
      } else if (item.type === 'aliased_import') {
        const name = item.childForFieldName('name');
        const alias = item.childForFieldName('alias');
        if (!name || !alias) continue;
        context.facts.imports.push({ module: name.text, line });
        bind(alias.text, { module: name.text });
      }
    }
    return;
  }
  const moduleNode = statement.childForFieldName('module_name');
  if (!moduleNode) return;
  const module = moduleNode.text.replace(/\s+/g, '');
  context.facts.imports.push({ module, line });
  if (statement.namedChildren.some((child) => child.type === 'wildcard_import')) {
    if (scope === MODULE_SCOPE) context.facts.stars.push({ module, line });
    return;
  }
  for (const item of statement.childrenForFieldName('name')) {
    if (item.type === 'dotted_name') bind(item.text, { module, name: item.text });
    else if (item.type === 'aliased_import') {
      const name = item.childForFieldName('name');
      const alias = item.childForFieldName('alias');
      if (name && alias) bind(alias.text, { module, name: name.text });
    }
  }
}

function readAssignment(context: Context, assignment: SyntaxNode): void {
  const left = assignment.childForFieldName('left');
  const right = assignment.childForFieldName('right');
  if (!left) return;
  const type = typeRef(assignment.childForFieldName('type'));
  const scope = scopeOf(assignment);
  if (left.type === 'attribute') {
    const object = left.childForFieldName('object');
    const attribute = left.childForFieldName('attribute');
    if (object?.type === 'identifier' && attribute && scope !== 'class') {
      const field: PyField = { name: attribute.text, at: assignment.startIndex };
      if (type) field.type = type;
      if (right) field.value = expr(right);
      context.pendingSelfFields.push({ offset: assignment.startIndex, object: object.text, field });
    }
    return;
  }
  if (scope === 'class') {
    // A class attribute: `db: Session`, `client = Client()`.
    const classIndex = classAround(context, assignment);
    if (classIndex < 0 || left.type !== 'identifier') return;
    const field: PyField = { name: left.text, at: assignment.startIndex };
    if (type) field.type = type;
    if (right) field.value = expr(right);
    (context.facts.decls[classIndex]!.fields ??= []).push(field);
    return;
  }
  if (left.type === 'identifier') {
    if (left.text === '__all__' && scope === MODULE_SCOPE && right) context.facts.all = stringList(right);
    const binding: PyBinding = { name: left.text, at: assignment.startIndex, scope };
    if (type) binding.type = type;
    if (right) binding.value = expr(right);
    context.facts.bindings.push(binding);
    return;
  }
  for (const name of targetNames(left)) {
    context.facts.bindings.push({ name: name.text, at: assignment.startIndex, scope, value: { k: 'other' } });
  }
}

function classAround(context: Context, node: SyntaxNode): number {
  let current = node.parent;
  while (current && current.type !== 'block') current = current.parent;
  return current ? (context.classByBody.get(current.startIndex) ?? -1) : -1;
}

function stringList(node: SyntaxNode): string[] {
  if (node.type !== 'list' && node.type !== 'tuple') return [];
  return node.namedChildren.map((child) => stringValue(child)).filter((value): value is string => value !== undefined);
}

/** `__all__ += [...]`, `__all__.extend([...])`, `__all__.append('x')`. */
function extendAll(context: Context, node: SyntaxNode): void {
  const facts = context.facts;
  if (node.type === 'augmented_assignment') {
    const right = node.childForFieldName('right');
    if (right) facts.all = [...(facts.all ?? []), ...stringList(right)];
    return;
  }
  const argument = node.childForFieldName('arguments')?.namedChild(0);
  if (!argument) return;
  const single = stringValue(argument);
  facts.all = [...(facts.all ?? []), ...(single !== undefined && argument.type === 'string' ? [single] : stringList(argument))];
}

function readLocal(context: Context, capture: string, node: SyntaxNode): void {
  const bindings = context.facts.bindings;
  switch (capture) {
    case 'local.parameters': {
      const owner = node.parent!;
      const scope: [number, number] = [owner.startIndex, owner.endIndex];
      const receiver = owner.type === 'function_definition' ? receiverOf(context, owner) : undefined;
      parametersOf(node).forEach((param, index) => {
        const binding: PyBinding = { name: param.name, at: owner.startIndex, scope };
        if (param.type) binding.type = param.type;
        if (index === 0 && receiver && RECEIVER_NAMES.has(param.name)) binding.receiver = receiver;
        bindings.push(binding);
      });
      return;
    }
    case 'local.with': {
      const pattern = node.parent!;
      const value = pattern.namedChild(0);
      const scope = scopeOf(pattern);
      if (scope === 'class') return;
      for (const name of targetNames(node)) bindings.push({ name: name.text, at: pattern.startIndex, scope, value: expr(value) });
      return;
    }
    case 'local.target': {
      const parent = node.parent!;
      const comprehension = parent.type === 'for_in_clause' ? parent.parent : undefined;
      const scope = comprehension ? ([comprehension.startIndex, comprehension.endIndex] as [number, number]) : scopeOf(parent);
      if (scope === 'class') return;
      for (const name of targetNames(node)) bindings.push({ name: name.text, at: parent.startIndex, scope, value: { k: 'other' } });
      return;
    }
  }
}

/** What a method's first parameter is: an instance of its class, or the class for a classmethod; nothing for a staticmethod. */
function receiverOf(context: Context, fn: SyntaxNode): PyBinding['receiver'] {
  const holder = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  const cls = holder.parent?.type === 'block' ? context.classByBody.get(holder.parent.startIndex) : undefined;
  if (cls === undefined) return undefined;
  const decorators = holder === fn ? [] : holder.namedChildren.filter((child) => child.type === 'decorator').map((child) => child.text);
  if (decorators.includes('@staticmethod')) return undefined;
  const isClassMethod = decorators.includes('@classmethod') || ['__new__', '__init_subclass__', '__class_getitem__'].includes(fn.childForFieldName('name')?.text ?? '');
  return { kind: isClassMethod ? 'class' : 'instance', cls };
}

/** `self.x = …` inside a method: a field of the method's class, when `self` is the method's first parameter. */
function placeSelfFields(context: Context): void {
  const decls = context.facts.decls;
  const owners = innermostContaining(decls, context.pendingSelfFields.map((pending) => pending.offset));
  context.pendingSelfFields.forEach((pending, index) => {
    const owner = decls[owners[index]!];
    if (!owner || owner.kind !== 'function' || owner.firstParam !== pending.object) return;
    const cls = decls[owner.parent];
    if (cls?.kind !== 'class') return;
    (cls.fields ??= []).push(pending.field);
  });
}

function readCalls(context: Context, calls: SyntaxNode[]): void {
  const sites = calls.map((call) => {
    const fn = call.childForFieldName('function');
    return { call, fn, site: fn?.type === 'attribute' ? (fn.childForFieldName('attribute') ?? fn) : (fn ?? call) };
  });
  const owners = innermostContaining(context.facts.decls, sites.map((item) => item.site.startIndex));
  sites.forEach(({ call, fn, site }, index) => {
    if (!fn) return;
    context.facts.calls.push({
      owner: owners[index]!,
      fn: expr(fn),
      line: site.startPosition.row + 1,
      col: site.startPosition.column + 1,
      at: call.startIndex,
    });
  });
}

/** The attribute names along each call's function expression: `a.b.c()` → b, c, sorted (PyFileFacts.calledAttributes). */
function calledAttributes(calls: readonly PyCall[]): string[] {
  const names = new Set<string>();
  for (const call of calls) {
    let expression: PyExpr = call.fn;
    while (expression.k === 'attr') {
      names.add(expression.name);
      expression = expression.x;
    }
  }
  return [...names].sort();
}
