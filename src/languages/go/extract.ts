/**
 * One Go file's text → GoFileFacts. The query files find the nodes; this code
 * reads their fields. It never looks outside the file (see language.ts).
 */
import type { CompactNode as SyntaxNode } from '../compact-tree.js';
import { loadGrammar, loadTreeQuery, parseCompact } from '../tree-sitter.js';
import type { CompactOptions } from '../compact-tree.js';
import type { Extraction, ParseSpec } from '../language.js';
import type { Range } from '../../model/graph.js';
import type {
  Expr,
  GoBinding,
  GoCall,
  GoDecl,
  GoDeclHead,
  GoFileFacts,
  GoFuncDecl,
  GoImport,
  GoInterfaceMethod,
  GoPackageVar,
  GoSubtest,
  GoTypeDecl,
  TypeExpr,
} from './facts.js';
import { copiedFrom } from './copied-code.js';
import { callSelectors, walkCallee } from './selectors.js';
import { docComment, expr, oneLine, parameters, resultTypes, structFields, typeExpr } from './syntax.js';

export const grammar = loadGrammar('tree-sitter-go');
/** tags.scm and locals.scm as one query: one pass over the tree. */
const query = loadTreeQuery(import.meta.url, ['queries/tags.scm', 'queries/locals.scm']);

/**
 * Nodes whose insides no extractor reads: string literals (their escape
 * sequences are named children) and comments — their text is all that is read.
 */
const COMPACT: CompactOptions = { opaqueTypes: new Set(['interpreted_string_literal', 'raw_string_literal', 'comment']) };

/** How extractGo parses (LanguageSupport.parseSpec). */
export const GO_PARSE: ParseSpec = { grammar, options: COMPACT };

export function extractGo(text: string): Extraction<GoFileFacts> {
  const { tree, diagnostics } = parseCompact(grammar, text, COMPACT);
  if (!tree) return { facts: undefined, diagnostics };
  const root = tree.rootNode;
  const facts: GoFileFacts = {
    package: '',
    imports: [],
    heads: [],
    decls: [],
    docs: [],
    vars: [],
    bindings: [],
    calls: [],
    selectors: [],
    subtests: [],
    lines: root.endPosition.row + 1,
  };
  const constraint = buildConstraint(text);
  if (constraint) facts.buildConstraint = constraint;
  const origin = copiedFrom(text);
  if (origin) facts.copiedFrom = origin;

  const callNodes: Array<{ call: SyntaxNode; callee: SyntaxNode }> = [];
  // Where each named function and method runs, kept as its decl is read: Go's named functions are all
  // top-level, so the one whose span holds a call owns it (none: package-level code). Small records of
  // one shape, not the decls themselves, whose shapes vary (functions, methods, types): reading the
  // decls here made V8 throw away and recompile this whole function as new shapes turned up.
  const functionSpans: FunctionSpan[] = [];
  for (const match of query.matches(tree)) {
    const last = match.captures[match.captures.length - 1];
    if (last && last.name.startsWith('local.')) {
      readBindings(last.name, last.node, facts.bindings);
      continue;
    }
    const captures = new Map(match.captures.map((capture) => [capture.name, capture.node]));
    const packageNode = captures.get('package');
    if (packageNode) {
      if (!facts.package) facts.package = packageNode.text;
      continue;
    }
    const importNode = captures.get('import');
    if (importNode) {
      const spec = readImport(importNode);
      if (spec) facts.imports.push(spec);
      continue;
    }
    const call = captures.get('reference.call');
    if (call) {
      const callee = captures.get('reference.callee');
      if (callee) callNodes.push({ call, callee });
      continue;
    }
    const fn = captures.get('definition.function') ?? captures.get('definition.method');
    if (fn) {
      functionSpans.push({ start: fn.startIndex, end: fn.endIndex, index: facts.decls.length });
      facts.decls.push(readFunction(fn, text, facts.docs));
      continue;
    }
    const type = captures.get('definition.type');
    if (type) {
      facts.decls.push(...readType(type, text, facts.docs));
      continue;
    }
    const variable = captures.get('definition.var');
    // Untyped package constants (the bulk of generated tables) can type nothing a call needs.
    if (variable) readVarSpec(variable, facts.vars, true);
  }

  functionSpans.sort((a, b) => a.start - b.start);
  for (const { call, callee } of callNodes) {
    const owner = ownerAt(functionSpans, call.startIndex);
    facts.calls.push(readCall(call, callee, owner));
    const subtest = readSubtest(call, callee, owner);
    if (subtest) facts.subtests.push(subtest);
  }

  facts.selectors = callSelectors(facts.calls);
  facts.bindings = neededBindings(facts);
  facts.heads = facts.decls.map(headOf);
  return { facts, diagnostics };
}

function headOf(decl: GoDecl): GoDeclHead {
  const head: GoDeclHead = { kind: decl.kind, name: decl.name };
  if (decl.kind === 'method') {
    if (decl.receiver) {
      head.receiver = decl.receiver.type;
      if (decl.receiver.pointer) head.pointer = true;
    }
    head.params = decl.params?.length ?? 0;
    head.results = decl.results.length;
  }
  if (decl.kind === 'interface') head.methods = decl.methods.map((method) => method.name);
  if ('alias' in decl && decl.alias) head.alias = true;
  return head;
}

/**
 * Only bindings a call can consult are kept: names that occur in a call's
 * function expression, and, transitively, in the initialisers of kept
 * bindings. Loop counters and error values that are never a receiver go.
 */
function neededBindings(facts: GoFileFacts): GoBinding[] {
  const needed = new Set<string>();
  for (const call of facts.calls) identifiers(call.fn, needed);
  for (const call of facts.calls) for (const argument of call.args ?? []) identifiers(argument, needed);
  let grew = true;
  while (grew) {
    grew = false;
    for (const binding of facts.bindings) {
      if (!binding.value || !needed.has(binding.name)) continue;
      const before = needed.size;
      identifiers(binding.value, needed);
      if (needed.size > before) grew = true;
    }
  }
  return facts.bindings.filter((binding) => needed.has(binding.name));
}

function identifiers(expression: Expr, into: Set<string>): void {
  walkCallee(expression, (expr) => {
    if (expr.k === 'id') into.add(expr.name);
  });
}

interface FunctionSpan {
  start: number;
  end: number;
  /** The function's index in `decls`. */
  index: number;
}

function ownerAt(spans: FunctionSpan[], offset: number): number {
  let low = 0;
  let high = spans.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const span = spans[middle]!;
    if (offset < span.start) high = middle - 1;
    else if (offset >= span.end) low = middle + 1;
    else return span.index;
  }
  return -1;
}

function buildConstraint(text: string): string | undefined {
  // //go:build lines must precede the package clause; only look at the head.
  const head = text.slice(0, 4096);
  const match = /^\/\/go:build\s+(.+)$/m.exec(head);
  return match?.[1]?.trim();
}

function rangeOf(node: SyntaxNode): Range {
  return {
    startLine: node.startPosition.row + 1,
    startCol: node.startPosition.column + 1,
    endLine: node.endPosition.row + 1,
    endCol: node.endPosition.column + 1,
  };
}

function readImport(spec: SyntaxNode): GoImport | undefined {
  const pathNode = spec.childForFieldName('path');
  if (!pathNode) return undefined;
  const path = pathNode.text.replace(/^["`]|["`]$/g, '');
  const nameNode = spec.childForFieldName('name');
  const result: GoImport = { path, line: spec.startPosition.row + 1 };
  if (nameNode) result.alias = nameNode.text;
  return result;
}

/** Reads a function or method declaration; its doc comment goes to `docs`, at the index the decl will have. */
function readFunction(node: SyntaxNode, text: string, docs: string[]): GoFuncDecl {
  const name = node.childForFieldName('name')!;
  const typeParameters = node.childForFieldName('type_parameters');
  const params = node.childForFieldName('parameters');
  const result = node.childForFieldName('result');
  const signatureStart = (typeParameters ?? params ?? name).startIndex;
  const signatureEnd = (result ?? params ?? name).endIndex;
  const decl: GoFuncDecl = {
    kind: node.type === 'method_declaration' ? 'method' : 'function',
    name: name.text,
    range: rangeOf(node),
    nameLine: name.startPosition.row + 1,
    nameCol: name.startPosition.column + 1,
    start: node.startIndex,
    end: node.endIndex,
    signature: oneLine(text.slice(signatureStart, signatureEnd)),
    results: resultTypes(result),
  };
  docs.push(docComment(node));
  if (decl.kind === 'method') {
    decl.params = parameters(params);
    const receiverList = node.childForFieldName('receiver');
    const receiver = receiverList?.namedChildren.find((child) => child.type === 'parameter_declaration');
    if (receiver) {
      const receiverType = typeExpr(receiver.childForFieldName('type'));
      const pointer = receiverType.k === 'ptr';
      const base = receiverType.k === 'ptr' ? receiverType.elem : receiverType;
      decl.receiver = {
        type: base.k === 'named' ? base.name : '?',
        pointer,
        name: receiver.childForFieldName('name')?.text ?? '',
      };
    }
  }
  return decl;
}

/** Reads a type spec; its doc comment goes to `docs`, at the index the decl will have. */
function readType(spec: SyntaxNode, text: string, docs: string[]): GoDecl[] {
  const name = spec.childForFieldName('name')!;
  const typeNode = spec.childForFieldName('type');
  const alias = spec.type === 'type_alias';
  const kind: GoTypeDecl['kind'] = alias
    ? 'type'
    : typeNode?.type === 'struct_type'
      ? 'struct'
      : typeNode?.type === 'interface_type'
        ? 'interface'
        : 'type';
  // A lone spec's doc comment sits above `type`; in a group, above the spec.
  const docNode = spec.parent?.type === 'type_declaration' && spec.parent.namedChildCount === 1 ? spec.parent : spec;
  const decl: GoTypeDecl = {
    kind,
    name: name.text,
    range: rangeOf(docNode === spec ? spec : docNode),
    nameLine: name.startPosition.row + 1,
    nameCol: name.startPosition.column + 1,
    start: spec.startIndex,
    end: spec.endIndex,
    signature: signatureOfType(kind, alias, typeNode, text),
    fields: kind === 'struct' && typeNode ? structFields(typeNode) : [],
    methods: [],
    embeds: [],
    alias,
  };
  if (kind === 'interface' && typeNode) {
    for (const element of typeNode.namedChildren) {
      if (element.type === 'method_elem') decl.methods.push(readInterfaceMethod(element, text));
      else if (element.type === 'type_elem') {
        const first = element.namedChild(0);
        if (first && element.namedChildCount === 1) decl.embeds.push(typeExpr(first));
      }
    }
  }
  if (kind === 'type' && typeNode) decl.underlying = typeExpr(typeNode);
  docs.push(docComment(docNode));
  return [decl];
}

function readInterfaceMethod(element: SyntaxNode, text: string): GoInterfaceMethod {
  const name = element.childForFieldName('name');
  const params = element.childForFieldName('parameters');
  const result = element.childForFieldName('result');
  const start = (params ?? element).startIndex;
  const end = (result ?? params ?? element).endIndex;
  return {
    name: name?.text ?? '',
    params: parameters(params),
    results: resultTypes(result),
    range: rangeOf(element),
    signature: oneLine(text.slice(start, end)),
  };
}

function signatureOfType(kind: GoTypeDecl['kind'], alias: boolean, typeNode: SyntaxNode | null, text: string): string {
  if (kind === 'struct') return 'struct';
  if (kind === 'interface') return 'interface';
  if (!typeNode) return '';
  const written = oneLine(text.slice(typeNode.startIndex, typeNode.endIndex));
  const short = written.length > 160 ? `${written.slice(0, 157)}…` : written;
  return alias ? `= ${short}` : short;
}

/** The variables or constants of a spec, added to `into` (without untyped constants when `typedOnly`). */
function readVarSpec(spec: SyntaxNode, into: GoPackageVar[], typedOnly: boolean): void {
  const names = spec.childrenForFieldName('name');
  const constant = spec.type === 'const_spec';
  const source = constant ? repeatedConstSpec(spec) : spec;
  const typeNode = source.childForFieldName('type');
  const values = source.childForFieldName('value')?.namedChildren ?? [];
  const type = typeNode ? typeExpr(typeNode) : undefined;
  names.forEach((name, index) => {
    // One value per name, or one multi-valued expression (`a, b := f()`) whose index-th result each name takes.
    const one = values.length === names.length;
    const value = one ? expr(values[index] ?? null) : values.length === 1 ? expr(values[0] ?? null) : undefined;
    if (typedOnly && constant && !type && value?.k !== 'conv') return;
    const variable: GoPackageVar = { name: name.text };
    // Both are kept: the type types the variable, the value says which function a func-typed one holds.
    if (type) variable.type = type;
    // A value of no useful shape (a literal number, an operator) is not worth keeping. (Not added and then
    // deleted: a deleted property turns the object into a slow dictionary.)
    if (value && value.k !== 'other') {
      variable.value = value;
      if (!one) variable.index = index;
    }
    into.push(variable);
  });
}

/**
 * In a const group a spec with neither type nor value repeats the previous
 * spec's (`A Level = iota; B; C`): the spec whose type and value apply.
 */
function repeatedConstSpec(spec: SyntaxNode): SyntaxNode {
  let current: SyntaxNode | null = spec;
  while (current && current.type === 'const_spec') {
    if (current.childForFieldName('type') || current.childForFieldName('value')) return current;
    current = current.previousNamedSibling;
    while (current && current.type === 'comment') current = current.previousNamedSibling;
  }
  return spec;
}

function readCall(call: SyntaxNode, callee: SyntaxNode, owner: number): GoCall {
  // The site is the called name itself: `bindSocket` in `ns.bindSocket()`.
  let nameNode: SyntaxNode = callee;
  if (callee.type === 'selector_expression') nameNode = callee.childForFieldName('field') ?? callee;
  const result: GoCall = {
    owner,
    fn: expr(callee),
    line: nameNode.startPosition.row + 1,
    col: nameNode.startPosition.column + 1,
    at: call.startIndex,
  };
  // `suite.Run(t, new(S))` and `t.Run(name, fn)` are understood by their arguments.
  if (nameNode !== callee && nameNode.text === 'Run') {
    result.args = (call.childForFieldName('arguments')?.namedChildren ?? []).slice(0, 2).map((argument) => expr(argument));
  }
  return result;
}

/** `t.Run("name", func(t *testing.T) {…})`: a subtest with a literal name. */
function readSubtest(call: SyntaxNode, callee: SyntaxNode, owner: number): GoSubtest | undefined {
  if (owner < 0 || callee.type !== 'selector_expression' || callee.childForFieldName('field')?.text !== 'Run') return undefined;
  const [name, body] = call.childForFieldName('arguments')?.namedChildren ?? [];
  if (!name || !body || body.type !== 'func_literal') return undefined;
  if (name.type !== 'interpreted_string_literal' && name.type !== 'raw_string_literal') return undefined;
  const text = name.text.slice(1, -1);
  if (text.length === 0 || text.length > 200) return undefined;
  return {
    owner,
    name: text,
    start: body.startIndex,
    end: body.endIndex,
    range: rangeOf(body),
    line: name.startPosition.row + 1,
    col: name.startPosition.column + 1,
  };
}

/** The offsets where a name declared by `node` is visible: to the end of its block or statement. */
function visibleUntil(node: SyntaxNode): number {
  let container = node.parent;
  // `if x := f(); …`, `for i := …; …` and `switch x := …` scope to the statement.
  if (container?.type === 'for_clause') container = container.parent;
  if (container?.type === 'var_spec_list') container = container.parent;
  if (container?.type === 'var_declaration' || container?.type === 'const_declaration') container = container.parent;
  return (container ?? node).endIndex;
}

function readBindings(kind: string, node: SyntaxNode, out: GoBinding[]): void {
  switch (kind) {
    case 'local.parameter': {
      // Parameters of functions, methods (including the receiver) and closures
      // are visible in the whole function; those of function types bind nothing.
      const owner = node.parent?.parent;
      if (!owner || !['function_declaration', 'method_declaration', 'func_literal'].includes(owner.type)) return;
      let type: TypeExpr = typeExpr(node.childForFieldName('type'));
      if (node.type === 'variadic_parameter_declaration') type = { k: 'slice', elem: type };
      for (const name of node.childrenForFieldName('name')) {
        out.push({ name: name.text, at: owner.startIndex, scope: [owner.startIndex, owner.endIndex], type });
      }
      return;
    }
    case 'local.short': {
      const left = node.childForFieldName('left')?.namedChildren ?? [];
      const right = node.childForFieldName('right')?.namedChildren ?? [];
      const scope: [number, number] = [node.startIndex, visibleUntil(node)];
      left.forEach((name, index) => {
        if (name.type !== 'identifier' || name.text === '_') return;
        const binding: GoBinding = { name: name.text, at: node.endIndex, scope };
        if (right.length === left.length) binding.value = expr(right[index] ?? null);
        else if (right.length === 1) {
          binding.value = expr(right[0] ?? null);
          binding.index = index;
        }
        out.push(binding);
      });
      return;
    }
    case 'local.var': {
      const scope: [number, number] = [node.startIndex, visibleUntil(node)];
      const variables: GoPackageVar[] = [];
      readVarSpec(node, variables, false);
      for (const variable of variables) {
        if (variable.name === '_') continue;
        const binding: GoBinding = { name: variable.name, at: node.endIndex, scope };
        if (variable.type) binding.type = variable.type;
        if (variable.value) binding.value = variable.value;
        if (variable.index !== undefined) binding.index = variable.index;
        out.push(binding);
      }
      return;
    }
    case 'local.typeswitch': {
      // `switch x := v.(type)`: in a case of one type x has that type; in
      // other cases (several types, default) x has v's type.
      const alias = node.childForFieldName('alias')?.namedChildren[0];
      const value = node.childForFieldName('value');
      if (!alias || alias.type !== 'identifier' || !value) return;
      for (const clause of node.namedChildren) {
        if (clause.type !== 'type_case' && clause.type !== 'default_case') continue;
        const types = clause.type === 'type_case' ? clause.childrenForFieldName('type').filter((type) => type.isNamed) : [];
        const scope: [number, number] = [clause.startIndex, clause.endIndex];
        const binding: GoBinding = { name: alias.text, at: clause.startIndex, scope };
        if (types.length === 1 && types[0]!.text !== 'nil') binding.type = typeExpr(types[0]!);
        else {
          binding.value = expr(value);
          binding.evalAt = node.startIndex;
        }
        out.push(binding);
      }
      return;
    }
    case 'local.receive': {
      // `case v, ok := <-ch:` in a select: v is bound in that case.
      const leftNode = node.childForFieldName('left');
      const rightNode = node.childForFieldName('right');
      // `:=` is punctuation, which the compact tree does not copy: it sits between the two sides (`=` assigns, binding nothing).
      if (!leftNode || !rightNode || !node.tree.text.slice(leftNode.endIndex, rightNode.startIndex).includes(':=')) return;
      const left = leftNode.namedChildren;
      const right = expr(rightNode);
      const clause = node.parent ?? node;
      const scope: [number, number] = [clause.startIndex, clause.endIndex];
      left.forEach((name, index) => {
        if (name.type !== 'identifier' || name.text === '_') return;
        const binding: GoBinding = { name: name.text, at: node.endIndex, scope, value: right, evalAt: node.startIndex };
        if (index > 0) binding.index = index;
        out.push(binding);
      });
      return;
    }
    case 'local.range': {
      const left = node.childForFieldName('left')?.namedChildren ?? [];
      const right = expr(node.childForFieldName('right'));
      const statement = node.parent ?? node;
      const scope: [number, number] = [node.startIndex, statement.endIndex];
      left.forEach((name, index) => {
        if (name.type !== 'identifier' || name.text === '_') return;
        const value: Expr = index === 0 ? { k: 'rangeKey', x: right } : { k: 'rangeValue', x: right };
        out.push({ name: name.text, at: node.endIndex, scope, value });
      });
      return;
    }
  }
}
