/**
 * Runtime coverage: Go coverprofiles and lcov imported for a graph, shown per
 * symbol, confirming static test paths; bad reports rejected whole.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestsAnswer } from '../src/query/tests.js';
import { graphhub, graphhubJson } from './helpers/cli.js';
import { TestRepo } from './helpers/git-repo.js';
import { tempDir } from './helpers/temp.js';

const FIXTURE = fileURLToPath(new URL('../src/languages/go/fixtures/notifier', import.meta.url));

describe('coverage import', () => {
  let data: string;
  let repo: TestRepo;
  let reports: string;
  const report = (name: string, text: string): string => {
    const path = join(reports, name);
    writeFileSync(path, text);
    return path;
  };
  const testsOf = (query: string): TestsAnswer =>
    graphhubJson<{ tests: TestsAnswer }>(data, 'tests', query, '--repo', 'example.com/notifier').tests;

  beforeAll(() => {
    data = tempDir();
    reports = tempDir();
    repo = TestRepo.create({}, { from: FIXTURE });
    repo.commit('fixture');
    expect(graphhub(data, 'index', repo.path, '--repo', 'example.com/notifier').code).toBe(0);
  });

  it('imports a Go coverprofile and shows covered lines per symbol, confirming static paths', () => {
    const profile = report(
      'cover.out',
      [
        'mode: count',
        'example.com/notifier/run.go:6.69,8.36 2 3',
        'example.com/notifier/run.go:8.36,10.3 1 0',
        'example.com/notifier/run.go:11.2,17.2 2 3',
        'example.com/notifier/notifier.go:8.52,9.18 1 1',
        '',
      ].join('\n'),
    );
    const result = graphhubJson<{ report: { format: string; blocks: number } }>(data, 'coverage', 'import', profile, '--repo', 'example.com/notifier');
    expect(result.report).toMatchObject({ format: 'go-coverprofile', blocks: 4 });
    const tests = testsOf('startContainer');
    // Lines 6–17; 9 and 10 sit only in a block that never ran (line 8 shares a block that did).
    expect(tests.coverage).toMatchObject({ covered: 10, total: 12 });
    expect(tests.tests.find((t) => t.test.name === 'TestStartContainer')?.confirmedByCoverage).toBe(true);
    // A symbol the report does not instrument: no lines, so static paths stay unconfirmed.
    const pick = testsOf('pickSink');
    expect(pick.coverage).toMatchObject({ covered: 0, total: 0 });
    expect(pick.tests.every((t) => !t.confirmedByCoverage)).toBe(true);
    const text = graphhub(data, 'tests', 'startContainer').stdout;
    expect(text).toContain('runtime coverage: 10/12 lines');
    expect(text).toContain('confirmed by coverage');
  });

  it('imports lcov with absolute paths, replacing the previous report', () => {
    const lcov = report(
      'lcov.info',
      ['TN:', `SF:${join(repo.path, 'notifier.go')}`, 'DA:16,0', 'DA:17,0', 'LF:2', 'LH:0', 'end_of_record', ''].join('\n'),
    );
    expect(graphhub(data, 'coverage', 'import', lcov, '--repo', 'example.com/notifier').code).toBe(0);
    const setup = testsOf('setup');
    expect(setup.coverage).toMatchObject({ covered: 0, total: 2, report: { format: 'lcov', source: 'lcov.info' } });
    expect(setup.tests.every((t) => !t.confirmedByCoverage)).toBe(true);
    // The coverprofile is gone: startContainer has no instrumented lines now.
    expect(testsOf('startContainer').coverage).toMatchObject({ covered: 0, total: 0 });
  });

  it('rejects unknown paths, another commit and garbage, keeping the stored report', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['unknown.out', 'mode: set\nexample.com/notifier/nope.go:1.1,2.2 1 1\n', /not in this graph: example\.com\/notifier\/nope\.go/],
      ['other-commit.out', 'mode: set\nexample.com/notifier/run.go:6.1,400.2 1 1\n', /another commit/],
      ['garbage.out', 'mode: set\nthis is not a block\n', /coverprofile line 2/],
      ['random.bin', '\u0000\u0001binary', /not a coverage report/],
      ['empty.out', '', /empty/],
    ];
    for (const [name, text, message] of cases) {
      const result = graphhub(data, 'coverage', 'import', report(name, text), '--repo', 'example.com/notifier');
      expect(result.code, name).toBe(2);
      expect(result.stderr, name).toMatch(message);
      expect(result.stderr.trim().split('\n'), name).toHaveLength(1);
    }
    expect(testsOf('setup').coverage).toMatchObject({ total: 2, report: { format: 'lcov' } });
    expect(graphhub(data, 'coverage', 'import', join(reports, 'missing.out'), '--repo', 'example.com/notifier').code).toBe(2);
  });
});
