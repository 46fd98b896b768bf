/**
 * The native parse-and-copy (native/tree_export.c) must build exactly the
 * compact tree the cursor walk builds (compactTree over the binding's tree):
 * every column, and the syntax-error diagnostics, on every fixture file of
 * every language and on hostile text (syntax errors, non-ASCII, CRLF, empty).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compactTree, type CompactOptions, type CompactTree } from '../../src/languages/compact-tree.js';
import { nativeParseCompact, nativeTreeExport } from '../../src/languages/native-tree.js';
import { loadGrammar, parseText, type Grammar } from '../../src/languages/tree-sitter.js';

const languagesDir = fileURLToPath(new URL('../../src/languages/', import.meta.url));

interface Case {
  grammar: Grammar;
  options: CompactOptions;
}

const go: Case = { grammar: loadGrammar('tree-sitter-go'), options: { opaqueTypes: new Set(['interpreted_string_literal', 'raw_string_literal', 'comment']) } };
const noEscapes = (text: string, start: number, end: number): boolean => !text.slice(start, end).includes('\\');
const ts: Case = { grammar: loadGrammar('tree-sitter-typescript', 'typescript'), options: { opaqueTypes: new Set(['predefined_type', 'array_type']), opaqueWhen: new Map([['string', noEscapes]]) } };
const tsx: Case = { grammar: loadGrammar('tree-sitter-typescript', 'tsx'), options: ts.options };
const python: Case = { grammar: loadGrammar('tree-sitter-python'), options: { opaqueWhen: new Map([['string', (text, start) => !/^[a-zA-Z]*[fF]/.test(text.slice(start, start + 3))]]) } };

function caseFor(path: string): Case | undefined {
  if (path.endsWith('.go')) return go;
  if (/\.(ts|mts|cts)$/.test(path)) return ts;
  if (/\.(tsx|js|jsx|mjs|cjs)$/.test(path)) return tsx;
  if (path.endsWith('.py')) return python;
  return undefined;
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

const COLUMNS = ['types', 'starts', 'ends', 'fields', 'parents', 'after', 'before'] as const;

function columnsOf(tree: CompactTree): Record<string, number[]> {
  return Object.fromEntries(COLUMNS.map((column) => [column, Array.from(tree[column].subarray(0, tree.count))]));
}

function expectSame(text: string, { grammar, options }: Case): number {
  const viaCursor = parseText(grammar, text);
  const native = nativeParseCompact(grammar, text, options);
  expect(native.diagnostics).toEqual(viaCursor.diagnostics);
  const expected = compactTree(viaCursor.tree!, text, grammar, options);
  expect(native.tree!.count).toBe(expected.count);
  expect(columnsOf(native.tree!)).toEqual(columnsOf(expected));
  // Names resolve through the same vocabulary: spot-check the node objects too.
  expect(native.tree!.rootNode.namedChildren.map((node) => [node.type, node.text])).toEqual(expected.rootNode.namedChildren.map((node) => [node.type, node.text]));
  return expected.count;
}

describe('native tree export', () => {
  it('is built by npm install (the fallback is for machines without a compiler)', () => {
    expect(nativeTreeExport).toBe(true);
  });

  it('copies every fixture file exactly as the cursor walk does', () => {
    const files = filesUnder(languagesDir).filter((path) => path.includes(`${'/'}fixtures${'/'}`) && caseFor(path));
    expect(files.length).toBeGreaterThan(40);
    let nodes = 0;
    for (const path of files) nodes += expectSame(readFileSync(path, 'utf8'), caseFor(path)!);
    expect(nodes).toBeGreaterThan(5000);
  });

  it('agrees on syntax errors, missing tokens, non-ASCII text, CRLF and empty files', () => {
    const texts: Array<[string, Case]> = [
      ['package p\n\nfunc f( {\n\tg(\n}\n\nfunc h() { i() }\n', go],
      ['package p\n\nvar x = []int{1, 2\n\nfunc (r *T) m() string { return "π — 漢字 🎉" + r.n() }\n', go],
      ['package p\r\n\r\nfunc a() {\r\n\tb("\\u00e9")\r\n}\r\n', go],
      ['', go],
      ['class A { m() { return f(`x${"\\n"}`) } }\nconst s = "plain" + "esc\\t";\nlet y = ;\n', ts],
      ['const 名前 = "ünï" + g(\'🎉\');\nexport default <div>{h()}</div>;\n', tsx],
      ['def f(:\n    return g(f"{h()}", "x", rb"\\d")\n\nclass C:\n    def m(self): return "é".upper()\n', python],
      [')))(((', python],
    ];
    for (const [text, which] of texts) expectSame(text, which);
  });

  it('survives hostile nesting in a worker thread, whose stack is small', async () => {
    // 100,000 nested parentheses around a syntax error: the copy and the error walk must not recurse.
    const treeSitter = new URL('../../dist/languages/tree-sitter.js', import.meta.url).href;
    const code = `
      const { parentPort } = require('node:worker_threads');
      import(${JSON.stringify(treeSitter)}).then(({ loadGrammar, parseCompact }) => {
        const n = 100000;
        const text = 'package p\\nvar x = ' + '('.repeat(n) + '1 + ' + ')'.repeat(n) + '\\n';
        const { tree, diagnostics } = parseCompact(loadGrammar('tree-sitter-go'), text, {});
        parentPort.postMessage({ count: tree && tree.count, diagnostics });
      });`;
    const { Worker } = await import('node:worker_threads');
    const worker = new Worker(code, { eval: true });
    const [answer, exitCode] = await Promise.all([
      new Promise<{ count: number; diagnostics: Array<{ message: string }> }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      }),
      new Promise<number>((resolve) => worker.once('exit', resolve)),
    ]);
    expect(exitCode).toBe(0);
    expect(answer.count).toBeGreaterThan(100000);
    expect(answer.diagnostics.map((diagnostic) => diagnostic.message)).toEqual(['syntax error: missing identifier']);
  });

  it('reports a bad language or bad flags as an error, not a crash', () => {
    const result = nativeParseCompact({} as Grammar, 'package p\n', {});
    expect(result.tree).toBeUndefined();
    expect(result.diagnostics[0]!.message).toMatch(/parser failed: not a tree-sitter language/);
    const throwing = nativeParseCompact(python.grammar, 'x = "a"\n', { opaqueWhen: new Map([['string', () => { throw new Error('predicate broke'); }]]) });
    expect(throwing.tree).toBeUndefined();
    expect(throwing.diagnostics[0]!.message).toBe('parser failed: predicate broke');
    // The parser is still usable afterwards.
    expect(nativeParseCompact(python.grammar, 'f(1)\n', python.options).tree!.rootNode.text).toBe('f(1)\n');
  });
});
