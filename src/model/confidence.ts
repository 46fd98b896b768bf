/**
 * Resolution strategies and their confidence: the probability that an edge
 * produced by the strategy is a real call to exactly that target (for a call
 * through an interface: to the interface method or one implementation).
 *
 * Where the values come from, row by row (`source`):
 * - `measured`: the observed precision of the strategy's edges in the last
 *   full accuracy run (`npm run accuracy`), rounded to two places and never
 *   above 0.99, against compiler-grade oracles (Go: go/types) over the
 *   corpora listed in accuracy/results/<language>.json. The comment above
 *   each such row gives the figures. `npm run accuracy -- --update-table`
 *   rewrites these rows; test/accuracy/confidence-table.test.ts fails when
 *   the table and the recorded run disagree.
 * - `seed-page` / `provisional`: too few of the strategy's edges could be
 *   checked (fewer than 30, or none: reflection) to measure it; the value is
 *   the seed page's (runc's startContainer) or placed by how much type
 *   information the strategy uses, and the comment says what was observed.
 *
 * Every language adds its rows to this one table.
 */
export interface StrategyInfo {
  confidence: number;
  description: string;
  source: 'seed-page' | 'provisional' | 'measured';
}

export const STRATEGIES = {
  // Go
  'go.same-package': {
    // measured: 12394/12395 edges correct, go corpora of 2026-11-29 (accuracy/results/go.json)
    confidence: 0.99,
    description: 'call of a function declared in the same package',
    source: 'measured',
  },
  'go.import': {
    // measured: 2559/2559 edges correct, go corpora of 2026-11-29 (accuracy/results/go.json)
    confidence: 0.99,
    description: 'package-qualified call through an import (pkg.Func)',
    source: 'measured',
  },
  'go.method.literal': {
    // measured: 1755/1755 edges correct, go corpora of 2026-11-29 (accuracy/results/go.json)
    confidence: 0.99,
    description: 'method on a value whose type is known from a composite literal or new()',
    source: 'measured',
  },
  'go.method.declared': {
    // measured: 6565/6565 edges correct, go corpora of 2026-11-29 (accuracy/results/go.json)
    confidence: 0.99,
    description: 'method on a variable, parameter, receiver or field whose type is declared',
    source: 'measured',
  },
  'go.method.result': {
    // measured: 5071/5073 edges correct, go corpora of 2026-11-29 (accuracy/results/go.json)
    confidence: 0.99,
    description: "method on a value whose type is a function's declared result type",
    source: 'measured',
  },
  'go.method.embedded': {
    // measured: 576/576 edges correct, go corpora of 2026-11-29 (accuracy/results/go.json)
    confidence: 0.99,
    description: 'method promoted from an embedded field',
    source: 'measured',
  },
  'go.interface': {
    // measured: 11826/11831 edges correct, go corpora of 2026-11-29 (accuracy/results/go.json)
    confidence: 0.99,
    description: 'interface method call: the interface method or one of its implementations',
    source: 'measured',
  },
  'go.func-value': {
    // measured: 30/30 edges correct, go corpora of 2026-11-29 (accuracy/results/go.json)
    confidence: 0.99,
    description: 'call of a variable or field holding a function known from its initialiser',
    source: 'measured',
  },
  'go.testify-suite': {
    // no edge of it could be checked, go corpora of 2026-11-29 (accuracy/results/go.json): 1 unverifiable
    confidence: 0.9,
    description: "testify's suite.Run running a suite's Test… methods",
    source: 'provisional',
  },
  'go.name-only': {
    // observed 24/26 edges correct, go corpora of 2026-11-29 (accuracy/results/go.json): too few (< 30) to measure
    confidence: 0.45,
    description: 'receiver type unknown; the only method of that name in the graph',
    source: 'seed-page',
  },
} as const satisfies Record<string, StrategyInfo>;

export type Strategy = keyof typeof STRATEGIES;

export function isStrategy(name: string): name is Strategy {
  return Object.prototype.hasOwnProperty.call(STRATEGIES, name);
}

export function strategyInfo(strategy: Strategy): StrategyInfo {
  return STRATEGIES[strategy];
}

export function confidenceOf(strategy: Strategy): number {
  return STRATEGIES[strategy].confidence;
}
