/**
 * Syntax highlighting on the server: the grammar packages' own
 * `queries/highlights.scm` run over a tree-sitter parse, turned into spans
 * per line. Pages render the spans; nothing here knows about HTML.
 *
 * Never throws: an unknown language, a grammar or query that fails to load,
 * a broken file or one too large to be worth parsing all yield plain spans.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type ParserType from 'tree-sitter';
import { loadGrammar, parseText, type Grammar, type Query } from './tree-sitter.js';

const require = createRequire(import.meta.url);
const Parser = require('tree-sitter') as typeof ParserType;

/** One run of text with at most one highlight scope (`keyword`, `string`, `function.method`, …). */
export interface HighlightSpan {
  text: string;
  scope?: string;
}

/** Each line of the input, split into spans; joining a line's spans gives the line back. */
export type HighlightedLines = HighlightSpan[][];

interface HighlightLanguage {
  grammarModule: string;
  grammarMember?: string;
  /** Query files, as `package/relative/path`; later files have lower precedence. */
  queryFiles: string[];
  extensions: string[];
}

/**
 * The highlighters, by language id (the ids of languages/registry.ts where
 * the language is indexed). Highlighting needs only a grammar, so languages
 * that are not indexed yet are highlighted too.
 */
const HIGHLIGHT_LANGUAGES: Record<string, HighlightLanguage> = {
  go: { grammarModule: 'tree-sitter-go', queryFiles: ['tree-sitter-go/queries/highlights.scm'], extensions: ['.go'] },
  ts: {
    grammarModule: 'tree-sitter-typescript',
    grammarMember: 'typescript',
    queryFiles: ['tree-sitter-typescript/queries/highlights.scm', 'tree-sitter-javascript/queries/highlights.scm'],
    extensions: ['.ts', '.mts', '.cts'],
  },
  tsx: {
    grammarModule: 'tree-sitter-typescript',
    grammarMember: 'tsx',
    queryFiles: [
      'tree-sitter-typescript/queries/highlights.scm',
      'tree-sitter-javascript/queries/highlights-jsx.scm',
      'tree-sitter-javascript/queries/highlights.scm',
    ],
    extensions: ['.tsx'],
  },
  js: {
    grammarModule: 'tree-sitter-javascript',
    queryFiles: ['tree-sitter-javascript/queries/highlights-jsx.scm', 'tree-sitter-javascript/queries/highlights.scm'],
    extensions: ['.js', '.mjs', '.cjs', '.jsx'],
  },
  py: { grammarModule: 'tree-sitter-python', queryFiles: ['tree-sitter-python/queries/highlights.scm'], extensions: ['.py', '.pyi'] },
};

/** Texts longer than this are shown plain: parsing them would cost more than the colours are worth. */
export const MAX_HIGHLIGHT_CHARS = 512 * 1024;

const loaded = new Map<string, { grammar: Grammar; query: Query } | null>();

function highlighterFor(languageId: string): { grammar: Grammar; query: Query } | null {
  if (loaded.has(languageId)) return loaded.get(languageId)!;
  const spec = HIGHLIGHT_LANGUAGES[languageId];
  let highlighter: { grammar: Grammar; query: Query } | null = null;
  if (spec) {
    try {
      const grammar = loadGrammar(spec.grammarModule, spec.grammarMember);
      const text = spec.queryFiles.map(readPackageFile).join('\n');
      highlighter = { grammar, query: new Parser.Query(grammar, text) };
    } catch {
      // A grammar or query that does not load means plain text, not a broken page.
      highlighter = null;
    }
  }
  loaded.set(languageId, highlighter);
  return highlighter;
}

function readPackageFile(specifier: string): string {
  const [scope, ...rest] = specifier.split('/');
  const packageJson = require.resolve(`${scope}/package.json`);
  return readFileSync(join(dirname(packageJson), ...rest), 'utf8');
}

/**
 * The highlighting language of a file: by extension first (one indexed
 * language, `ts`, covers .ts, .tsx and .js, which parse with different
 * grammars), else its indexed language.
 */
export function highlightLanguageOf(path: string, indexedLanguage?: string): string | undefined {
  const lower = path.toLowerCase();
  for (const [id, spec] of Object.entries(HIGHLIGHT_LANGUAGES)) {
    if (spec.extensions.some((extension) => lower.endsWith(extension))) return id;
  }
  return indexedLanguage && HIGHLIGHT_LANGUAGES[indexedLanguage] ? indexedLanguage : undefined;
}

/**
 * Highlights `text` (a whole file, so that the parse sees full context) and
 * returns the spans of lines `firstLine`..`lastLine` (1-based, inclusive;
 * default every line).
 */
export function highlight(
  text: string,
  languageId: string | undefined,
  firstLine = 1,
  lastLine = Number.POSITIVE_INFINITY,
): HighlightedLines {
  const lines = splitLines(text);
  const first = Math.max(1, firstLine);
  const last = Math.min(lines.length, lastLine);
  if (last < first) return [];
  const plain = (): HighlightedLines => lines.slice(first - 1, last).map((line) => (line === '' ? [] : [{ text: line }]));
  if (!languageId || text.length > MAX_HIGHLIGHT_CHARS) return plain();
  const highlighter = highlighterFor(languageId);
  if (!highlighter) return plain();
  try {
    return paint(text, lines, first, last, highlighter);
  } catch {
    return plain();
  }
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/**
 * Gives every character of the wanted lines the scope of the innermost node
 * that captured it; for one node, the first pattern of the query wins (the
 * tree-sitter convention that lets specific patterns precede general ones).
 */
function paint(
  text: string,
  lines: string[],
  first: number,
  last: number,
  highlighter: { grammar: Grammar; query: Query },
): HighlightedLines {
  const { tree } = parseText(highlighter.grammar, text);
  if (!tree) return lines.slice(first - 1, last).map((line) => (line === '' ? [] : [{ text: line }]));
  // Character offsets of each line start, in the JavaScript string (tree-sitter's indices are the same units).
  const lineStarts: number[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    lineStarts.push(offset);
    offset += line.length + 1;
  }
  const rangeStart = lineStarts[first - 1]!;
  const rangeEnd = (lineStarts[last] ?? text.length + 1) - 1;
  const size = rangeEnd - rangeStart;
  const scopes: Array<string | undefined> = new Array(size);
  const owners = new Float64Array(size).fill(Number.POSITIVE_INFINITY);
  const captures = highlighter.query.captures(tree.rootNode, {
    startPosition: { row: first - 1, column: 0 },
    endPosition: { row: last, column: 0 },
  });
  for (const capture of captures) {
    if (capture.name.startsWith('_') || capture.name === '') continue;
    const start = Math.max(capture.node.startIndex, rangeStart);
    const end = Math.min(capture.node.endIndex, rangeEnd);
    const nodeSize = capture.node.endIndex - capture.node.startIndex;
    for (let index = start; index < end; index++) {
      const slot = index - rangeStart;
      if (nodeSize < owners[slot]!) {
        owners[slot] = nodeSize;
        scopes[slot] = capture.name;
      }
    }
  }
  const result: HighlightedLines = [];
  for (let lineNumber = first; lineNumber <= last; lineNumber++) {
    const line = lines[lineNumber - 1]!;
    const base = lineStarts[lineNumber - 1]! - rangeStart;
    const spans: HighlightSpan[] = [];
    let spanStart = 0;
    for (let column = 1; column <= line.length; column++) {
      if (column === line.length || scopes[base + column] !== scopes[base + spanStart]) {
        const scope = scopes[base + spanStart];
        const span: HighlightSpan = { text: line.slice(spanStart, column) };
        if (scope) span.scope = scope;
        spans.push(span);
        spanStart = column;
      }
    }
    result.push(spans);
  }
  return result;
}
