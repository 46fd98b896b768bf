/**
 * Never a silent zero: a method the graph could not tie any call to shows
 * how many unresolved calls could be calls of it — only those of its name
 * whose receiver's type is unknown, never calls known to go elsewhere.
 * Through the real executable over a real git repository.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SymbolPage } from '../src/query/symbol-page.js';
import { graphhub, graphhubJson } from './helpers/cli.js';
import { TestRepo } from './helpers/git-repo.js';
import { tempDir } from './helpers/temp.js';

const FILES = {
  'go.mod': 'module example.com/possible\n\ngo 1.21\n',
  'main.go': [
    'package main',
    '',
    'import "strings"',
    '',
    'type Pipe struct{}',
    '',
    'func (Pipe) Close() error { return nil }',
    '',
    'type File struct{}',
    '',
    'func (File) Close() error { return nil }',
    '',
    '// Len is the only method of its name: strings.Reader.Len must not count for it.',
    'type Buffer struct{}',
    '',
    'func (Buffer) Len() int { return 0 }',
    '',
    '// The receiver of both calls has a type graphhub cannot know (declared nowhere here).',
    'func shut(a, b Unknown) { a.Close(); b.Close() }',
    '',
    'func size() int { return strings.NewReader("x").Len() }',
    '',
    'func helper() {}',
    '',
    'func main() { shut(nil, nil); _ = size() }',
    '',
  ].join('\n'),
};

describe('possible callers unresolved', () => {
  let data: string;

  beforeAll(() => {
    data = tempDir();
    const repo = TestRepo.create(FILES);
    repo.commit('possible callers');
    const index = graphhub(data, 'index', repo.path, '--repo', 'example.com/possible');
    expect(index.code, index.stderr).toBe(0);
  });

  it('counts unresolved calls of the name with an unknown receiver for each method of that name', () => {
    for (const query of ['Pipe.Close', 'File.Close']) {
      const page = graphhubJson<SymbolPage>(data, 'symbol', query);
      expect(page.callers).toEqual([]);
      expect(page.possibleCallersUnresolved).toBe(2);
    }
    const callers = graphhub(data, 'callers', 'Pipe.Close');
    expect(callers.code).toBe(0);
    expect(callers.stdout).toContain('Callers 0');
    expect(callers.stdout).toContain('2 possible callers unresolved');
    expect(graphhub(data, 'symbol', 'File.Close').stdout).toContain('2 possible callers unresolved');
  });

  it('does not count a call on a value of another module, nor functions for method calls', () => {
    const len = graphhubJson<SymbolPage>(data, 'symbol', 'Buffer.Len');
    expect(len.callers).toEqual([]);
    expect(len.possibleCallersUnresolved).toBe(0);
    expect(graphhub(data, 'callers', 'Buffer.Len').stdout).toContain('no callers found');
    const helper = graphhubJson<SymbolPage>(data, 'symbol', 'helper');
    expect(helper.possibleCallersUnresolved).toBe(0);
  });

  it('says so in the JSON of the callers command', () => {
    const answer = graphhubJson<{ callers: unknown[]; possibleCallersUnresolved: number }>(data, 'callers', 'File.Close');
    expect(answer).toMatchObject({ callers: [], possibleCallersUnresolved: 2 });
  });
});
