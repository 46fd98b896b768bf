/**
 * The shared tree-sitter plumbing: one parser per grammar and thread, query
 * files loaded from disk (language support is data), and parse errors turned
 * into diagnostics instead of exceptions.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, sep } from 'node:path';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type ParserType from 'tree-sitter';
import { compactTree, type CompactOptions, type CompactTree } from './compact-tree.js';
import type { ExtractDiagnostic } from './language.js';
import { nativeParseCompact, nativeTreeExport } from './native-tree.js';
import { compileQuery, type TreeQuery } from './tree-query.js';

const require = createRequire(import.meta.url);
const Parser = require('tree-sitter') as typeof ParserType;

export type Tree = ParserType.Tree;
export type SyntaxNode = ParserType.SyntaxNode;
export type Query = ParserType.Query;
export type Grammar = ParserType.Language;

export function loadGrammar(moduleName: string, member?: string): Grammar {
  const loaded = require(moduleName) as Record<string, unknown>;
  return (member ? loaded[member] : loaded) as Grammar;
}

const parsers = new Map<Grammar, ParserType>();

function parserFor(grammar: Grammar): ParserType {
  let parser = parsers.get(grammar);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(grammar);
    parsers.set(grammar, parser);
  }
  return parser;
}

/**
 * Query files live next to the language's code under src/, and are read from
 * there by the compiled code too (dist/ mirrors src/'s layout), so the .scm
 * files are the single source of truth.
 */
export function loadQuery(grammar: Grammar, callerUrl: string, relativePaths: string | string[]): Query {
  // Several files become one query: one pass over the tree instead of one per file.
  return new Parser.Query(grammar, readQueryFiles(callerUrl, Array.isArray(relativePaths) ? relativePaths : [relativePaths]));
}

/** Query files compiled for compact trees (tree-query.ts), read like `loadQuery`'s. */
export function loadTreeQuery(callerUrl: string, relativePaths: string[]): TreeQuery {
  return compileQuery(readQueryFiles(callerUrl, relativePaths));
}

function readQueryFiles(callerUrl: string, relativePaths: string[]): string {
  const here = dirname(fileURLToPath(callerUrl));
  const distAt = here.lastIndexOf(`${sep}dist${sep}`);
  const sourceDirectory = distAt < 0 ? here : `${here.slice(0, distAt)}${sep}src${sep}${here.slice(distAt + 6)}`;
  return relativePaths.map((path) => readFileSync(join(sourceDirectory, path), 'utf8')).join('\n');
}

/**
 * tree-sitter's trees live outside V8's heap: V8 does not see their size, so
 * it collects rarely while they pile up (a tree is 20–30 times its source).
 * After every COLLECT_EVERY bytes parsed, a collection is asked for; the
 * trees' finalisers then run once the thread returns to its event loop, so
 * callers yield (setImmediate) after `collectIfDue` says it collected.
 */
const COLLECT_EVERY = 524288;
/** Bytes parsed between full collections where the thread's heap is small enough for them (`all`). */
const COLLECT_ALL_EVERY = 4 * 1024 * 1024;
let parsedSinceCollection = 0;
let parsedSinceFullCollection = 0;
let collect: ((options?: { type: 'minor' | 'major' }) => void) | undefined;

/**
 * Collections normally take only the young generation, where a tree parsed
 * for a file just extracted usually still is: a full collection walks the
 * whole heap, and in the thread that holds every file's facts (the inline
 * extractor) a full collection every 512 KiB cost a third of the index's
 * CPU on pygments and about 2 s on runc; in a worker, whose heap is small,
 * it still cost V8's helper threads about 3 s of CPU on runc, for the same
 * peak memory. `all` (a worker) adds a full collection every 4 MiB parsed,
 * for the trees that outlived the young generation (a large file's, whose
 * extraction itself fills it).
 */
export function collectIfDue(scope: 'young' | 'all' = 'all'): boolean {
  if (parsedSinceCollection < COLLECT_EVERY) return false;
  parsedSinceFullCollection += parsedSinceCollection;
  parsedSinceCollection = 0;
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as typeof collect;
  }
  const full = scope === 'all' && parsedSinceFullCollection >= COLLECT_ALL_EVERY;
  if (full) parsedSinceFullCollection = 0;
  collect!(full ? undefined : { type: 'minor' });
  return true;
}

export interface ParseResult {
  tree: Tree | undefined;
  diagnostics: ExtractDiagnostic[];
}

const MAX_SYNTAX_DIAGNOSTICS = 5;

/** Parses; never throws. Syntax errors become (at most a few) diagnostics. */
export function parseText(grammar: Grammar, text: string): ParseResult {
  let tree: Tree;
  try {
    // One buffer for the whole text: the binding otherwise reads it back through a JS callback 32 Ki units at a time (a fifth of the parse).
    tree = parserFor(grammar).parse(text, undefined, { bufferSize: text.length + 1 });
    parsedSinceCollection += text.length;
  } catch (error) {
    return { tree: undefined, diagnostics: [{ severity: 'error', message: `parser failed: ${(error as Error).message}` }] };
  }
  const diagnostics: ExtractDiagnostic[] = [];
  if (tree.rootNode.hasError) collectSyntaxErrors(tree.rootNode, diagnostics);
  return { tree, diagnostics };
}

export interface CompactParseResult {
  tree: CompactTree | undefined;
  diagnostics: ExtractDiagnostic[];
}

/**
 * Parses into a compact tree (compact-tree.ts); never throws. Natively in one
 * call where the addon is built (native-tree.ts); otherwise through the
 * binding, whose tree is dropped once copied (collectIfDue frees it).
 */
export function parseCompact(grammar: Grammar, text: string, options?: CompactOptions): CompactParseResult {
  if (nativeTreeExport) return nativeParseCompact(grammar, text, options);
  const { tree, diagnostics } = parseText(grammar, text);
  return { tree: tree ? compactTree(tree, text, grammar, options) : undefined, diagnostics };
}

function collectSyntaxErrors(node: SyntaxNode, out: ExtractDiagnostic[]): void {
  const cursor = node.walk();
  let total = 0;
  const visit = (): void => {
    const current = cursor.currentNode;
    if (current.type === 'ERROR' || current.isMissing) {
      total++;
      if (out.length < MAX_SYNTAX_DIAGNOSTICS) {
        out.push({
          severity: 'error',
          message: current.isMissing ? `syntax error: missing ${current.type}` : 'syntax error: unexpected input',
          line: current.startPosition.row + 1,
          col: current.startPosition.column + 1,
        });
      }
      return;
    }
    if (!current.hasError) return;
    if (cursor.gotoFirstChild()) {
      do visit();
      while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
  };
  visit();
  if (total > out.length) {
    out.push({ severity: 'error', message: `${total - out.length} more syntax errors in this file` });
  }
}
