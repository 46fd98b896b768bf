/**
 * The compact tree and the JavaScript query matcher stand in for
 * tree-sitter's own nodes and query engine: on the same text they must
 * agree with them — node types, offsets, positions, fields, and the
 * captures our query files produce.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compactTree, type CompactNode } from '../../src/languages/compact-tree.js';
import { loadGrammar, loadQuery, parseText, type Grammar, type SyntaxNode } from '../../src/languages/tree-sitter.js';
import { compileQuery } from '../../src/languages/tree-query.js';

const require = createRequire(import.meta.url);
const Parser = require('tree-sitter') as typeof import('tree-sitter');

const TYPESCRIPT = `// ünïcode before: columns count UTF-16 units\r
import { a as b } from './x';\r
export default class K<T> extends Base implements I {\r
  static get value(): Promise<Map<string, T>> { return this.load('π'); }\r
  private handler = (event: Event) => { describe.each([1])('case %i', () => { it.only('x', async () => { await run(); }); }); };\r
}\r
const s = "esc\\n" + \`t\${f(g())}\`;\r
module.exports.x = function () { new K().value; };\r
`;

const PYTHON = `"""Module doc."""
from .base import Model, helper as h
import os.path
__all__ = ['a']
__all__ += ['b']
__all__.extend(['c'])

class Order(Model, metaclass=Meta):
    total: int = 0

    def save(self, *args, key: str = "k", **options) -> "Order":
        with open(path) as handle, lock:
            for (i, j) in pairs:
                self.items = [x for x in f"{handle.read()}" if (y := x)]
        try:
            pass
        except ValueError as error:
            return h(error)
`;

const GO = `//go:build linux

// Package p: ünïcode in a comment.
package p

import (
	"fmt"
	alias "os/exec"
)

// T is documented.
type (
	T struct{ a, b int; *Embedded }
	// U too.
	U = map[string][]*T
)

const (
	A Level = iota
	B
)

var x, y = f(), "s\\n"

func (t *T) M(p int, rest ...string) (n int, err error) {
	var a, b = 1, 2
	var c int
	type local struct{}
	switch v := t.x.(type) {
	case *T:
		v.M(a)
	default:
		_ = v
	}
	select {
	case m, ok := <-ch:
		g(m, ok)
	case m = <-ch:
	}
	for i, s := range rest {
		fmt.Println(&i, *s, <-ch, c, b)
	}
	t.Run("sub", func(t *testing.T) { f()(g()) })
	return alias.Command("x").Run(), nil
}
`;

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** Every named node of the native tree, in document order, with its field and positions. */
function nativeNodes(node: SyntaxNode, field: string | null, out: string[]): void {
  out.push(`${node.type} ${field ?? '-'} ${node.startIndex}-${node.endIndex} ${node.startPosition.row}:${node.startPosition.column}-${node.endPosition.row}:${node.endPosition.column}`);
  const cursor = node.walk();
  if (!cursor.gotoFirstChild()) return;
  do {
    if (cursor.nodeIsNamed) nativeNodes(cursor.currentNode, cursor.currentFieldName, out);
  } while (cursor.gotoNextSibling());
}

function compactNodes(node: CompactNode, field: string | null, out: string[]): void {
  out.push(`${node.type} ${field ?? '-'} ${node.startIndex}-${node.endIndex} ${node.startPosition.row}:${node.startPosition.column}-${node.endPosition.row}:${node.endPosition.column}`);
  for (const child of node.namedChildren) {
    const name = node.tree.fieldName(child.index);
    compactNodes(child, name, out);
  }
}

/** Captures per name, in match order, as `type start-end`: how the extractors consume a query. */
function capturesByName(matches: Array<{ captures: Array<{ name: string; node: { type: string; startIndex: number; endIndex: number } }> }>): Record<string, string[]> {
  const byName: Record<string, string[]> = {};
  for (const match of matches) {
    for (const capture of match.captures) (byName[capture.name] ??= []).push(`${capture.node.type} ${capture.node.startIndex}-${capture.node.endIndex}`);
  }
  return byName;
}

function check(grammar: Grammar, text: string, queryFiles: string[]): void {
  const { tree } = parseText(grammar, text);
  const compact = compactTree(tree!, text, grammar);
  // A tree without errors skips the insides of leaf-like nodes; compare what both have.
  const native: string[] = [];
  nativeNodes(tree!.rootNode, null, native);
  const copied: string[] = [];
  compactNodes(compact.rootNode, null, copied);
  expect(copied.length).toBeGreaterThan(50);
  expect(native).toEqual(expect.arrayContaining(copied));
  // Nothing the compact tree has is out of order.
  expect(native.filter((line) => copied.includes(line))).toEqual(copied);

  const source = queryFiles.map((path) => readFileSync(here(path), 'utf8')).join('\n');
  const nativeMatches = loadQuery(grammar, import.meta.url, queryFiles).matches(tree!.rootNode);
  const compactMatches = compileQuery(source).matches(compact);
  expect(compactMatches.length).toBeGreaterThan(10);
  expect(capturesByName(compactMatches)).toEqual(capturesByName(nativeMatches));
}

describe('compact trees and the query matcher', () => {
  it('agree with tree-sitter on TypeScript (CRLF, non-ASCII, every query pattern)', () => {
    check(loadGrammar('tree-sitter-typescript', 'typescript'), TYPESCRIPT, [
      '../../src/languages/typescript/queries/tags.scm',
      '../../src/languages/typescript/queries/locals.scm',
    ]);
  });

  it('agree with tree-sitter on Python', () => {
    check(loadGrammar('tree-sitter-python'), PYTHON, ['../../src/languages/python/queries/tags.scm', '../../src/languages/python/queries/locals.scm']);
  });

  it('agree with tree-sitter on Go (a pattern matching several children matches once per child)', () => {
    check(loadGrammar('tree-sitter-go'), GO, ['../../src/languages/go/queries/tags.scm', '../../src/languages/go/queries/locals.scm']);
  });

  it('match trees of several grammars with one query as with a query each (type ids differ between grammars)', () => {
    const go = loadGrammar('tree-sitter-go');
    const python = loadGrammar('tree-sitter-python');
    const goTree = compactTree(parseText(go, GO).tree!, GO, go);
    const pythonTree = compactTree(parseText(python, PYTHON).tree!, PYTHON, python);
    // Named types of each tree by type id; the query names Python's types whose ids Go's tree uses for other types.
    const namedById = (tree: typeof goTree): Map<number, string> => {
      const byId = new Map<number, string>();
      for (let index = 0; index < tree.count; index++) if (tree.isNamed(index)) byId.set(tree.types[index]!, tree.typeName(index));
      return byId;
    };
    const goTypes = namedById(goTree);
    const sharedIds = [...namedById(pythonTree)].filter(([id, name]) => goTypes.has(id) && goTypes.get(id) !== name && /^[A-Za-z_]\w*$/.test(name));
    expect(sharedIds.length).toBeGreaterThan(3);
    const source = sharedIds.map(([, name]) => `(${name}) @${name}`).join('\n');
    const shared = compileQuery(source);
    // Go's tree first: its nodes of those ids match no pattern, which must not stop Python's from matching theirs.
    const answers = [goTree, pythonTree, goTree].map((tree) => capturesByName(shared.matches(tree)));
    const own = [goTree, pythonTree].map((tree) => capturesByName(compileQuery(source).matches(tree)));
    expect(answers).toEqual([own[0], own[1], own[0]]);
    expect(Object.keys(own[1]!).length).toBe(sharedIds.length);
  });

  it('copy a tree with syntax errors whole', () => {
    const grammar = loadGrammar('tree-sitter-python');
    const text = 'x = )\ny = g("x")\n';
    const { tree } = parseText(grammar, text);
    expect(tree!.rootNode.hasError).toBe(true);
    const strings = compactTree(tree!, text, grammar).rootNode;
    const types: string[] = [];
    const visit = (node: CompactNode): void => {
      types.push(node.type);
      node.children.forEach(visit);
    };
    visit(strings);
    expect(types).toContain('string_content');
    expect(types).toContain('ERROR');
  });

  it('refuses query syntax it does not implement, naming it', () => {
    expect(() => compileQuery('(call)+ @c')).toThrow(/query/);
    expect(() => compileQuery('((call) @c (#set! @c "x"))')).toThrow(/unsupported predicate #set!/);
    expect(() => compileQuery('(call "(" @c)')).toThrow(/query/);
    expect(() => new Parser.Query(loadGrammar('tree-sitter-python'), '(call) @c')).not.toThrow();
  });
});
