import { describe, expect, it } from 'vitest';
import { highlight, highlightLanguageOf } from '../../src/languages/highlight.js';

const GO = `package main

// héllo 😀 wörld
func greet(name string) string {
\treturn "hi </script> " + name
}
`;

function joined(lines: ReturnType<typeof highlight>): string[] {
  return lines.map((spans) => spans.map((span) => span.text).join(''));
}

describe('highlight', () => {
  it('gives every line back unchanged, split into scoped spans', () => {
    const lines = highlight(GO, 'go');
    expect(joined(lines)).toEqual(GO.split('\n').slice(0, -1));
    const scopes = (line: number) => lines[line - 1]!.map((span) => [span.text, span.scope ?? '']);
    expect(scopes(1)).toContainEqual(['package', 'keyword']);
    expect(scopes(3)).toEqual([['// héllo 😀 wörld', 'comment']]);
    expect(scopes(4)).toContainEqual(['greet', 'function']);
    expect(scopes(4)).toContainEqual(['string', 'type']);
    expect(scopes(5)).toContainEqual(['"hi </script> "', 'string']);
  });

  it('returns only the lines asked for, highlighted with the whole file as context', () => {
    const lines = highlight(GO, 'go', 4, 5);
    expect(joined(lines)).toEqual(['func greet(name string) string {', '\treturn "hi </script> " + name']);
    expect(lines[1]!.find((span) => span.scope === 'string')?.text).toBe('"hi </script> "');
  });

  it('never throws: broken code, unknown languages and binary-looking text come back plain or partly scoped', () => {
    const broken = 'func (((( {\n"unterminated\n\u0000\u0001 garbage }}}}\n';
    expect(joined(highlight(broken, 'go'))).toEqual(broken.split('\n').slice(0, -1));
    expect(highlight('a\nb', 'cobol')).toEqual([[{ text: 'a' }], [{ text: 'b' }]]);
    expect(highlight('a\r\n\r\nb', undefined)).toEqual([[{ text: 'a' }], [], [{ text: 'b' }]]);
    expect(highlight('x', 'go', 5, 9)).toEqual([]);
  });

  it('highlights languages that are not indexed, chosen by extension', () => {
    expect(highlightLanguageOf('web/app.tsx')).toBe('tsx');
    expect(highlightLanguageOf('main.go', 'go')).toBe('go');
    expect(highlightLanguageOf('ui/view.jsx', 'ts')).toBe('js');
    expect(highlightLanguageOf('Makefile.inc', 'go')).toBe('go');
    expect(highlightLanguageOf('README')).toBeUndefined();
    const ts = highlight('const x: number = 1; // c\n', 'ts');
    expect(ts[0]!.map((span) => span.scope)).toContain('comment');
    const py = highlight('def f():\n    return "s"\n', 'py');
    expect(py[1]!.find((span) => span.scope === 'string')?.text).toBe('"s"');
  });
});
