/**
 * One TypeScript or JavaScript file's text → TsFileFacts. The query files
 * find the nodes; this code reads their fields and nests them. It never
 * looks outside the file (see language.ts).
 *
 * JavaScript is parsed with the TSX grammar: TypeScript's grammar is a
 * superset of JavaScript's, JSX is common in .js files, and one grammar
 * family keeps one set of query files.
 */
import type { Extraction, ParseSpec } from '../language.js';
import type { CompactNode as SyntaxNode } from '../compact-tree.js';
import { loadGrammar, loadTreeQuery, parseCompact, type Grammar } from '../tree-sitter.js';
import type { CompactOptions } from '../compact-tree.js';
import type { TreeQuery } from '../tree-query.js';
import type { ExtractContext } from './extract-context.js';
import { innermostContaining } from '../syntax-helpers.js';
import { readBindings, readClassFields, readSignatureFields } from './extract-locals.js';
import { readAssignment, readExport, readImport } from './extract-modules.js';
import {
  readBound,
  readExportDefault,
  readFieldFunction,
  readMethod,
  readPair,
  readPropertySignature,
  readStatementDecl,
  readTest,
} from './extract-decls.js';
import type { TsFileFacts, TypeRef } from './facts.js';
import { calledMembers, callSpecifiers } from './call-summary.js';
import { keepNeededBindings } from './needed-bindings.js';
import { expr, memberName, requireSource, returnTypeOf, sameTypeRef } from './syntax.js';

interface DialectQueries {
  grammar: Grammar;
}

const dialects = new Map<string, DialectQueries>();
/** tags.scm and locals.scm as one query: one pass over the tree (the same for both grammars: they share node types). */
const query: TreeQuery = loadTreeQuery(import.meta.url, ['queries/tags.scm', 'queries/locals.scm']);

function queriesFor(dialect: string): DialectQueries {
  const key = dialect === 'ts' ? 'ts' : 'tsx';
  let found = dialects.get(key);
  if (!found) {
    found = { grammar: loadGrammar('tree-sitter-typescript', key === 'ts' ? 'typescript' : 'tsx') };
    dialects.set(key, found);
  }
  return found;
}

/**
 * Types whose insides no extractor reads: typeRef (syntax.ts) looks only
 * through annotations, parentheses, generics and unions for a named type,
 * and calls cannot sit in a type. In declaration-heavy code these are most
 * of the tree.
 */
const OPAQUE_TYPES = new Set([
  'constructor_type', 'lookup_type',
  'index_type_query', 'mapped_type_clause', 'template_literal_type', 'infer_type', 'type_query', 'readonly_type',
  'literal_type', 'predefined_type', 'type_predicate', 'type_predicate_annotation', 'asserts', 'asserts_annotation',
  'array_type', 'tuple_type', 'nested_type_identifier', 'optional_type', 'rest_type', 'regex',
]);

/** A string literal without escapes: its text between the quotes is its value. */
function plainString(text: string, start: number, end: number): boolean {
  for (let at = start; at < end; at++) if (text.charCodeAt(at) === 92 /* \\ */) return false;
  return true;
}

const COMPACT: CompactOptions = { opaqueTypes: OPAQUE_TYPES, opaqueWhen: new Map([['string', plainString]]) };

/** How extractTypeScript parses a file of `dialect` (LanguageSupport.parseSpec). */
export function typeScriptParse(dialect: string): ParseSpec {
  return { grammar: queriesFor(dialect).grammar, options: COMPACT };
}

export function extractTypeScript(text: string, dialect: string): Extraction<TsFileFacts> {
  const queries = queriesFor(dialect);
  const { tree, diagnostics } = parseCompact(queries.grammar, text, COMPACT);
  if (!tree) return { facts: undefined, diagnostics };
  const root = tree.rootNode;
  const facts: TsFileFacts = { decls: [], details: [], bindings: [], imports: [], exports: [], calls: [], calledMembers: [], callSpecifiers: [], lines: root.endPosition.row + 1 };
  const context: ExtractContext = { text, facts, drafts: [], declaredObjects: new Set(), declAt: new Map(), pendingFields: [] };

  const captures = new Map<string, SyntaxNode[]>();
  const locals: Array<{ name: string; node: SyntaxNode }> = [];
  for (const match of query.matches(tree)) {
    const last = match.captures[match.captures.length - 1]!;
    if (last.name.startsWith('local.')) {
      locals.push(last);
      continue;
    }
    // A test match also names its function; the call node is what matters.
    const capture = match.captures.find((item) => item.name === 'test.call') ?? match.captures[match.captures.length - 1]!;
    const list = captures.get(capture.name);
    if (list) list.push(capture.node);
    else captures.set(capture.name, [capture.node]);
  }
  const nodes = (name: string): SyntaxNode[] => captures.get(name) ?? [];

  // Containers first, so members know which object literals are declarations.
  for (const node of nodes('definition.bound')) readBound(context, node);
  for (const node of nodes('definition.export-default')) readExportDefault(context, node);
  for (const node of nodes('assignment')) readAssignment(context, node, 'declarations');
  for (const node of [...nodes('definition.function'), ...nodes('definition.class'), ...nodes('definition.interface'),
    ...nodes('definition.type'), ...nodes('definition.enum'), ...nodes('definition.namespace')]) {
    readStatementDecl(context, node);
  }
  for (const node of nodes('definition.method')) readMethod(context, node);
  for (const node of nodes('definition.method-signature')) readMethod(context, node);
  for (const node of nodes('definition.field')) readFieldFunction(context, node);
  for (const node of nodes('definition.property-signature')) readPropertySignature(context, node);
  for (const node of nodes('definition.pair')) readPair(context, node);
  for (const node of nodes('test.call')) readTest(context, node);

  // Document order, outer before inner; then each declaration's parent is the innermost one around it.
  context.drafts.sort((a, b) => a.decl.start - b.decl.start || b.decl.end - a.decl.end);
  facts.decls = context.drafts.map((draft) => draft.decl);
  const parents = innermostContaining(facts.decls, facts.decls.map((decl) => decl.start), true);
  facts.decls.forEach((decl, index) => (decl.parent = parents[index]!));
  facts.decls.forEach((decl, index) => context.declAt.set(decl.start, index));
  readOverloadReturns(context, [...nodes('definition.overload'), ...nodes('definition.method-signature')]);

  for (const node of nodes('import')) readImport(context, node);
  for (const node of nodes('export')) readExport(context, node);
  for (const node of nodes('assignment')) readAssignment(context, node, 'effects');
  readBindings(context, locals);
  readClassFields(context, nodes('definition.field'));
  readSignatureFields(context, nodes('definition.property-signature'));
  readCalls(context, [...nodes('reference.call'), ...nodes('reference.new')]);
  keepNeededBindings(facts);
  facts.calledMembers = calledMembers(facts.calls);
  facts.callSpecifiers = callSpecifiers(facts.calls);
  // Only symbol records read a declaration's range, name position, signature and doc: a local fact of their own.
  facts.details = context.drafts.map(({ decl }) => ({ range: decl.range, nameLine: decl.nameLine, nameCol: decl.nameCol, signature: decl.signature, doc: decl.doc }));
  facts.decls = context.drafts.map(({ decl: { range: _range, nameLine: _nameLine, nameCol: _nameCol, signature: _signature, doc: _doc, ...decl } }) => decl);
  return { facts, diagnostics };
}

/** Where overloads and their implementation sit together: a class body, or the statement list around `export`. */
function overloadKey(node: SyntaxNode, name: string): string {
  const statement = node.parent?.type === 'export_statement' ? node.parent : node;
  return `${statement.parent?.startIndex ?? -1}\u0000${name}`;
}

/**
 * An implementation without a declared return type after overload
 * signatures that all declare the same one (`function tuple(…): ZodTuple<T>`
 * three times, then `function tuple(…) {…}`) returns that type.
 */
function readOverloadReturns(context: ExtractContext, signatures: SyntaxNode[]): void {
  const returns = new Map<string, TypeRef | null>();
  for (const signature of signatures) {
    if (signature.type === 'method_signature' && signature.parent?.type !== 'class_body') continue;
    const name = memberName(signature.childForFieldName('name'));
    if (!name) continue;
    const key = overloadKey(signature, name);
    const type = returnTypeOf(signature);
    const known = returns.get(key);
    if (known === undefined) returns.set(key, type ?? null);
    else if (known && (!type || !sameTypeRef(known, type))) returns.set(key, null);
  }
  if (returns.size === 0) return;
  context.drafts.forEach((draft) => {
    const decl = draft.decl;
    if ((decl.kind !== 'function' && decl.kind !== 'method') || decl.returns || decl.abstract) return;
    const type = returns.get(overloadKey(draft.node, decl.name));
    if (type) decl.returns = type;
  });
}

/** Every call and `new`, owned by the innermost declaration around it. */
function readCalls(context: ExtractContext, nodes: SyntaxNode[]): void {
  const calls: Array<{ fn: ReturnType<typeof expr>; isNew: boolean; site: SyntaxNode; at: number }> = [];
  for (const node of nodes) {
    if (node.type === 'call_expression') {
      if (requireSource(node) !== undefined) continue;
      const fnNode = node.childForFieldName('function');
      if (!fnNode || fnNode.type === 'import') continue;
      calls.push({ fn: expr(fnNode), isNew: false, site: siteOf(fnNode), at: node.startIndex });
    } else {
      const constructorNode = node.childForFieldName('constructor');
      if (!constructorNode) continue;
      calls.push({ fn: expr(constructorNode), isNew: true, site: siteOf(constructorNode), at: node.startIndex });
    }
  }
  // The site, not the start of the call, decides the owner: in `it('x', () => f())`
  // the call to `it` itself sits outside the test it declares.
  const owners = innermostContaining(context.facts.decls, calls.map((call) => call.site.startIndex));
  calls.forEach((call, index) => {
    const owner = owners[index]!;
    // The describe/it call itself is made by the code around the test.
    const fact = {
      owner: owner >= 0 && context.facts.decls[owner]!.start === call.at && context.facts.decls[owner]!.kind === 'test'
        ? context.facts.decls[owner]!.parent
        : owner,
      fn: call.fn,
      line: call.site.startPosition.row + 1,
      col: call.site.startPosition.column + 1,
      at: call.at,
    };
    context.facts.calls.push(call.isNew ? { ...fact, isNew: true } : fact);
  });
}

function siteOf(fn: SyntaxNode): SyntaxNode {
  if (fn.type === 'member_expression') return fn.childForFieldName('property') ?? fn;
  if (fn.type === 'call_expression') return siteOf(fn.childForFieldName('function') ?? fn);
  return fn;
}
