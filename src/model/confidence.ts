/**
 * Resolution strategies and their confidence: the probability that an edge
 * produced by the strategy is a real call to exactly that target.
 *
 * Where the values come from: until the accuracy harness measures them
 * against compiler-grade oracles, the values are PROVISIONAL. The ones the
 * seed page shows (runc's startContainer) are taken from it; the others are
 * placed between them by how much type information the strategy uses. Each
 * row says which. Every language adds its rows to this one table.
 */
export interface StrategyInfo {
  confidence: number;
  description: string;
  source: 'seed-page' | 'provisional' | 'measured';
}

export const STRATEGIES = {
  // Go
  'go.same-package': {
    confidence: 0.85,
    description: 'call of a function declared in the same package',
    source: 'seed-page',
  },
  'go.import': {
    confidence: 0.92,
    description: 'package-qualified call through an import (pkg.Func)',
    source: 'seed-page',
  },
  'go.method.literal': {
    confidence: 0.95,
    description: 'method on a value whose type is known from a composite literal or new()',
    source: 'seed-page',
  },
  'go.method.declared': {
    confidence: 0.9,
    description: 'method on a variable, parameter, receiver or field whose type is declared',
    source: 'provisional',
  },
  'go.method.result': {
    confidence: 0.8,
    description: "method on a value whose type is a function's declared result type",
    source: 'seed-page',
  },
  'go.method.embedded': {
    confidence: 0.85,
    description: 'method promoted from an embedded field',
    source: 'provisional',
  },
  'go.interface': {
    confidence: 0.6,
    description: 'interface method call: the interface method or one of its implementations',
    source: 'provisional',
  },
  'go.func-value': {
    confidence: 0.7,
    description: 'call of a variable or field holding a function known from its initialiser',
    source: 'provisional',
  },
  'go.testify-suite': {
    confidence: 0.9,
    description: "testify's suite.Run running a suite's Test… methods",
    source: 'provisional',
  },
  'go.name-only': {
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
