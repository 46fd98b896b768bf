/**
 * "Tested by": the tests that reach a symbol over call edges, found by a
 * breadth-first walk up the callers. Each test comes with its shortest path
 * and that path's confidence (the product of its edges' confidences, the best
 * among the shortest paths).
 */
import { compareText } from '../model/graph.js';
import type { GraphInfo, SymbolRecord } from '../model/graph.js';
import type { GraphStore } from '../store/graph-store.js';
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

interface Reached {
  symbol: SymbolRecord;
  depth: number;
  confidence: number;
  /** The next step towards the target. */
  next: string | undefined;
}

export async function testsReaching(
  store: GraphStore,
  graph: GraphInfo,
  target: SymbolRecord,
  options: { maxDepth?: number; limit?: number } = {},
): Promise<TestsAnswer> {
  const maxDepth = options.maxDepth ?? 8;
  const limit = options.limit ?? 20;
  const reached = new Map<string, Reached>([[target.id, { symbol: target, depth: 0, confidence: 1, next: undefined }]]);
  let frontier = [target.id];
  let unresolvedNearby = 0;
  for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
    const callers = await store.callersOfMany(graph.id, frontier);
    const nextFrontier: string[] = [];
    for (const calleeId of frontier) {
      const callee = reached.get(calleeId)!;
      for (const edge of callers.get(calleeId) ?? []) {
        const confidence = callee.confidence * edge.confidence;
        const known = reached.get(edge.symbol.id);
        if (!known) {
          reached.set(edge.symbol.id, { symbol: edge.symbol, depth, confidence, next: calleeId });
          // Tests are where walks stop: nothing calls a test.
          if (edge.symbol.kind !== 'test') nextFrontier.push(edge.symbol.id);
        } else if (known.depth === depth && confidence > known.confidence) {
          known.confidence = confidence;
          known.next = calleeId;
        }
      }
    }
    frontier = nextFrontier;
  }
  const tests = [...reached.values()]
    .filter((entry) => entry.symbol.kind === 'test' && entry.symbol.id !== target.id)
    .sort((a, b) => a.depth - b.depth || b.confidence - a.confidence || compareText(a.symbol.qualifiedName, b.symbol.qualifiedName));
  const answer: TestsAnswer = {
    status: tests.length > 0 ? 'covered' : 'none',
    tests: tests.slice(0, limit).map((entry) => ({
      test: { id: entry.symbol.id, name: entry.symbol.name, kind: entry.symbol.kind, file: entry.symbol.file, line: entry.symbol.nameLine },
      path: pathFrom(entry, reached),
      length: entry.depth,
      confidence: round(entry.confidence),
    })),
    more: Math.max(0, tests.length - limit),
    maxDepth,
  };
  const coverage = await symbolCoverage(store, graph, target);
  if (coverage) {
    answer.coverage = coverage;
    if (coverage.covered > 0) for (const reach of answer.tests) reach.confirmedByCoverage = true;
  }
  if (tests.length === 0) {
    // Unresolved calls to the target's name could come from tests or their helpers.
    unresolvedNearby = await store.countUnresolvedNamed(graph.id, target.name);
    if (unresolvedNearby > 0) answer.status = 'unknown';
  }
  return answer;
}

function pathFrom(start: Reached, reached: Map<string, Reached>): TestPathStep[] {
  const steps: TestPathStep[] = [];
  let current: Reached | undefined = start;
  while (current) {
    steps.push({ id: current.symbol.id, name: current.symbol.name, kind: current.symbol.kind });
    current = current.next ? reached.get(current.next) : undefined;
  }
  return steps;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
