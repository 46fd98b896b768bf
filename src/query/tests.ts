/**
 * "Tested by": the tests that reach a symbol over call edges, found by a
 * breadth-first walk up the callers (in memory, see call-graph.ts). Each test
 * comes with its shortest path and that path's confidence (the product of its
 * edges' confidences, the best among the shortest paths).
 */
import { compareText, type GraphInfo, type SymbolRecord } from '../model/graph.js';
import type { GraphStore } from '../store/graph-store.js';
import { callGraphOf, walkCallers, type CallGraph, type Reached } from './call-graph.js';
import { symbolCoverage, type SymbolCoverage } from './coverage.js';

export interface TestPathStep {
  id: string;
  name: string;
  kind: SymbolRecord['kind'];
}

export interface TestReach {
  test: TestPathStep & { file: string; line: number };
  /** test → … → symbol, both ends included. */
  path: TestPathStep[];
  length: number;
  confidence: number;
  /** The coverage report saw the symbol run, confirming that this static path can execute. */
  confirmedByCoverage?: boolean;
}

export interface TestsAnswer {
  /** covered: tests reach it; none: nothing does and nothing unresolved could; unknown: unresolved calls could hide a test. */
  status: 'covered' | 'none' | 'unknown';
  tests: TestReach[];
  /** Tests found beyond `limit`. */
  more: number;
  maxDepth: number;
  /** From the graph's imported runtime coverage report, when there is one. */
  coverage?: SymbolCoverage;
}

export async function testsReaching(
  store: GraphStore,
  graph: GraphInfo,
  target: SymbolRecord,
  options: { maxDepth?: number; limit?: number } = {},
): Promise<TestsAnswer> {
  const maxDepth = options.maxDepth ?? 8;
  const limit = options.limit ?? 20;
  const callGraph = await callGraphOf(store, graph);
  const start = callGraph.indexOf.get(target.id);
  const found: Array<[number, Reached]> = [];
  let reached = new Map<number, Reached>();
  if (start !== undefined) {
    // Tests are where walks stop: what calls a test is not a test of the target.
    reached = walkCallers(callGraph, start, { maxDepth, stopAt: (index) => callGraph.kinds[index] === 'test' }).reached;
    for (const [index, entry] of reached) if (index !== start && callGraph.kinds[index] === 'test') found.push([index, entry]);
  }
  found.sort(
    ([a, x], [b, y]) => x.depth - y.depth || y.confidence - x.confidence || compareText(callGraph.ids[a]!, callGraph.ids[b]!),
  );
  const shown = found.slice(0, limit);
  const records = new Map((await store.getSymbols(graph.id, shown.map(([index]) => callGraph.ids[index]!))).map((s) => [s.id, s]));
  const answer: TestsAnswer = {
    status: found.length > 0 ? 'covered' : 'none',
    tests: shown.map(([index, entry]) => {
      const record = records.get(callGraph.ids[index]!);
      return {
        test: {
          id: callGraph.ids[index]!,
          name: callGraph.names[index]!,
          kind: callGraph.kinds[index]!,
          file: record?.file ?? '',
          line: record?.nameLine ?? 0,
        },
        path: pathFrom(callGraph, index, reached),
        length: entry.depth,
        confidence: round(entry.confidence),
      };
    }),
    more: Math.max(0, found.length - limit),
    maxDepth,
  };
  const coverage = await symbolCoverage(store, graph, target);
  if (coverage) {
    answer.coverage = coverage;
    if (coverage.covered > 0) for (const reach of answer.tests) reach.confirmedByCoverage = true;
  }
  // Unresolved calls that could be calls of the target could come from tests or their helpers.
  if (found.length === 0 && (await store.countPossibleCallers(graph.id, target)) > 0) answer.status = 'unknown';
  return answer;
}

/** test → … → target, following each step's `next` pointer. */
function pathFrom(graph: CallGraph, index: number, reached: Map<number, Reached>): TestPathStep[] {
  const steps: TestPathStep[] = [];
  for (let current = index; current >= 0; current = reached.get(current)?.next ?? -1) {
    steps.push({ id: graph.ids[current]!, name: graph.names[current]!, kind: graph.kinds[current]! });
  }
  return steps;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
