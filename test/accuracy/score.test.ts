/**
 * The scorer on small hand-made data: what counts as a correct edge, what is
 * set aside, what is unverifiable, and the figures computed from verdicts.
 */
import { describe, expect, it } from 'vitest';
import { computeFigures, wilson } from '../../src/accuracy/metrics.js';
import type { OracleCall, OracleRun } from '../../src/accuracy/oracle-records.js';
import { scoreCorpus } from '../../src/accuracy/score.js';
import type { ExportedEdge } from '../../src/query/export-edges.js';

const caller = { file: 'a.go', name: 'run', line: 3 };
const test = { file: 'a_test.go', name: 'TestRun', line: 5 };
const area = { file: 'shape.go', name: 'Square.Area', line: 9 };
const iface = { file: 'shape.go', name: 'Shape.Area', line: 4 };
const open = { file: 'open_linux.go', name: 'open', line: 2 };
const openWindows = { file: 'open_windows.go', name: 'open', line: 2 };

function call(partial: Partial<OracleCall> & Pick<OracleCall, 'kind' | 'site'>): OracleCall {
  return { record: 'call', caller, ...partial };
}

function edge(callee: ExportedEdge['callee'], line: number, strategy = 'go.same-package', from = caller): ExportedEdge {
  return { caller: from, callee, sites: [{ file: from.file, line, col: 2 }], confidence: 0.9, strategy };
}

const oracle: OracleRun = {
  units: [
    { record: 'package', dir: '.', importPath: 'm', test: false, files: ['a.go', 'a_test.go', 'shape.go', 'open_linux.go'], ignored: ['open_windows.go'], status: 'ok' },
    { record: 'package', dir: 'broken', importPath: 'm/broken', test: false, files: ['broken/b.go'], status: 'error', errors: ['x'] },
  ],
  calls: [
    call({ kind: 'interface', site: { file: 'a.go', line: 4, col: 2 }, callee: iface, alternatives: [area] }),
    call({ kind: 'static', site: { file: 'a.go', line: 5, col: 2 }, callee: open }),
    call({ kind: 'static', site: { file: 'a.go', line: 6, col: 2 }, external: 'strings Reader.Len' }),
    call({ kind: 'dynamic', site: { file: 'a.go', line: 7, col: 2 } }),
    call({ kind: 'static', site: { file: 'a.go', line: 8, col: 2 }, callee: area }),
    call({ kind: 'static', caller: test, site: { file: 'a_test.go', line: 7, col: 2 }, callee: area }),
  ],
};

describe('accuracy scorer', () => {
  const score = scoreCorpus(oracle, [
    edge(area, 4, 'go.interface'), // an implementation of the interface called: correct
    edge(iface, 4, 'go.interface'), // the interface method itself: correct
    edge(openWindows, 5), // the same function for another platform: correct
    edge(area, 6, 'go.name-only'), // the oracle says strings.Reader.Len: wrong
    edge(area, 7, 'go.func-value'), // a dynamic call the oracle cannot name: unverifiable
    edge(area, 9), // no call expression there at all: wrong, and counted as unmatched
    edge(area, 7, 'go.same-package', { file: 'a_test.go', name: 'TestRun/case', line: 6 }), // a subtest of TestRun: same caller
    edge(area, 1, 'go.same-package', { file: 'broken/b.go', name: 'f', line: 1 }), // unchecked code: set aside
  ]);

  it('judges each edge by its sites', () => {
    expect(score.edges.map((judged) => [judged.edge.sites[0]!.line, judged.verdict])).toEqual([
      [4, 'correct'],
      [4, 'correct'],
      [5, 'correct'],
      [6, 'wrong'],
      [7, 'unverifiable'],
      [9, 'wrong'],
      [7, 'correct'],
    ]);
    expect(score.edges[3]!.reason).toBe('static: external strings Reader.Len');
    expect(score.setAside).toBe(1);
    expect(score.unmatchedSites).toBe(1);
  });

  it('counts recall over calls whose target is declared in the repository', () => {
    // Line 8's call has no edge; the external and dynamic calls are not in the denominator.
    expect(score.recall.map((item) => [item.call.site.line, item.kind, item.found])).toEqual([
      [4, 'interface', true],
      [5, 'function', true],
      [8, 'method', false],
      [7, 'method', true],
    ]);
  });

  it('computes precision, recall, per-strategy figures, reliability and ECE', () => {
    const figures = computeFigures(score.edges, score.sites, score.recall);
    expect(figures.edgePrecision).toEqual({ hits: 4, total: 6, value: 0.6667 });
    expect(figures.unverifiable).toBe(1);
    expect(figures.recall).toEqual({ hits: 3, total: 4, value: 0.75 });
    expect(figures.strategies['go.interface']).toMatchObject({ edges: 2, correct: 2, wrong: 0, precision: 1 });
    expect(figures.strategies['go.func-value']).toMatchObject({ edges: 1, unverifiable: 1, precision: null });
    // Every judged edge has confidence 0.9: one bucket, |0.6667 - 0.9| is the ECE.
    expect(figures.reliability.filter((bucket) => bucket.edges > 0)).toEqual([{ from: 0.9, to: 1, edges: 6, meanConfidence: 0.9, precision: 0.6667 }]);
    expect(figures.ece).toBeCloseTo(0.2333, 3);
  });

  it('gives the 95% Wilson interval of a precision', () => {
    expect(wilson(0, 0)).toBeNull();
    // Reference values of the 95% Wilson score interval.
    expect(wilson(9, 10)).toEqual([0.5958, 0.9821]);
    expect(wilson(900, 1000)).toEqual([0.8798, 0.9171]);
    expect(wilson(10, 10)![1]).toBe(1);
  });
});
