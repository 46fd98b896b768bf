/**
 * Small syntax-tree helpers shared by the TypeScript and Python extractors:
 * positions, one-line signatures and doc comments.
 */
import type { Range } from '../model/graph.js';
import type { Extraction } from './language.js';
import type { CompactNode as SyntaxNode } from './compact-tree.js';

/**
 * A range as facts keep it: start line, start column, end line, end column
 * (1-based). Four numbers instead of an object with four keys: facts are
 * cached and loaded as JSON, once per declaration.
 */
export type FactRange = [number, number, number, number];

export function rangeOf(node: SyntaxNode): FactRange {
  const start = node.startPosition;
  const end = node.endPosition;
  return [start.row + 1, start.column + 1, end.row + 1, end.column + 1];
}

export function rangeFromFacts(range: FactRange): Range {
  return { startLine: range[0], startCol: range[1], endLine: range[2], endCol: range[3] };
}

const MAX_SIGNATURE = 200;

/** Source text folded onto one line and cut to a readable length. */
export function oneLine(text: string): string {
  const folded = text.replace(/\s*\n\s*/g, ' ').replace(/\(\s+/g, '(').replace(/,\s*\)/g, ')');
  return folded.length > MAX_SIGNATURE ? `${folded.slice(0, MAX_SIGNATURE - 1)}…` : folded;
}

/**
 * The comment block directly above `node` (no blank line between), without
 * its comment markers: `/** … *\/` JSDoc, `//` and `#` line comments.
 */
export function commentAbove(node: SyntaxNode): string {
  const lines: string[] = [];
  let expectedEndRow = node.startPosition.row - 1;
  let previous = node.previousNamedSibling;
  while (previous && previous.type === 'comment' && previous.endPosition.row === expectedEndRow) {
    lines.unshift(previous.text);
    expectedEndRow = previous.startPosition.row - 1;
    previous = previous.previousNamedSibling;
  }
  return cleanComment(lines.join('\n'));
}

export function cleanComment(text: string): string {
  return text
    .replace(/^\/\*\*?|\*\/$/g, '')
    .split('\n')
    .map((line) => line.replace(/^\s*(\/\/+|#+|\*(?!\/))\s?/, '').trimEnd())
    .join('\n')
    .trim();
}

/** The text of a string literal node without its quotes (no escape processing beyond the common ones). */
export function stringValue(node: SyntaxNode): string | undefined {
  if (node.type !== 'string' && node.type !== 'template_string') return undefined;
  if (node.type === 'template_string' && node.namedChildren.some((child) => child.type === 'template_substitution')) {
    return node.text.slice(1, -1);
  }
  const fragments = node.namedChildren.filter((child) =>
    ['string_fragment', 'string_content', 'escape_sequence'].includes(child.type),
  );
  if (fragments.length === 0) {
    // Python strings carry prefixes (r, b, f) and triple quotes; JavaScript's empty string has no fragment.
    const match = /^[A-Za-z]*("""|'''|"|'|`)([\s\S]*)\1$/.exec(node.text);
    return match ? match[2] : '';
  }
  return fragments.map((child) => (child.type === 'escape_sequence' ? unescape(child.text) : child.text)).join('');
}

function unescape(sequence: string): string {
  switch (sequence) {
    case '\\n':
      return '\n';
    case '\\t':
      return '\t';
    default:
      return sequence.slice(1);
  }
}

/**
 * For each offset, the index of the innermost span containing it (-1 for
 * none). Spans must nest properly and be sorted by start (outer first).
 */
export function innermostContaining(spans: Array<{ start: number; end: number }>, offsets: number[], strict = false): number[] {
  const order = offsets.map((offset, index) => ({ offset, index })).sort((a, b) => a.offset - b.offset);
  const result = new Array<number>(offsets.length).fill(-1);
  const stack: number[] = [];
  let next = 0;
  for (const { offset, index } of order) {
    while (next < spans.length && (strict ? spans[next]!.start < offset : spans[next]!.start <= offset)) {
      while (stack.length > 0 && spans[stack[stack.length - 1]!]!.end <= spans[next]!.start) stack.pop();
      stack.push(next);
      next++;
    }
    while (stack.length > 0 && spans[stack[stack.length - 1]!]!.end <= offset) stack.pop();
    result[index] = stack.length > 0 ? stack[stack.length - 1]! : -1;
  }
  return result;
}

/**
 * Extraction must never throw (language.ts): a file that defeats an
 * extractor — say, nesting deep enough to exhaust the stack — becomes a
 * diagnostic and the rest of the repository is indexed.
 */
export function extractSafely<Facts>(extract: () => Extraction<Facts>): Extraction<Facts> {
  try {
    return extract();
  } catch (error) {
    return { facts: undefined, diagnostics: [{ severity: 'error', message: `extraction failed: ${(error as Error).message}` }] };
  }
}

/**
 * Makes a file's bindings that name the same scope share one `scope`
 * array. Facts come back from their JSON with an array per binding, while
 * a function's parameters and locals all name its span: on zod's sources
 * ten times over, 236k two-number arrays (7.2 MB) stayed in memory through
 * resolution, 89k (2.7 MB) when shared. The arrays are equal and never
 * written to, so the facts mean what they meant (a memo may share them
 * across runs).
 */
export function shareScopes(bindings: ReadonlyArray<{ scope: [number, number] }>): void {
  const byStart = new Map<number, Map<number, [number, number]>>();
  for (const binding of bindings) {
    const [start, end] = binding.scope;
    let byEnd = byStart.get(start);
    if (!byEnd) byStart.set(start, (byEnd = new Map()));
    const shared = byEnd.get(end);
    if (shared) (binding as { scope: [number, number] }).scope = shared;
    else byEnd.set(end, binding.scope);
  }
}
