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
  // TypeScript and JavaScript. Placed relative to Go's: lexical scoping and
  // explicit imports make plain names as certain as Go's package-qualified
  // calls; receivers typed by annotations are weaker than Go's declared types
  // because `any` and casts go unchecked at run time.
  'ts.local': {
    // measured: 1972/1972 edges correct, ts corpora of 2026-11-29 (accuracy/results/ts.json)
    confidence: 0.99,
    description: 'call of a function declared in the same file or an enclosing scope',
    source: 'measured',
  },
  'ts.import': {
    // measured: 1513/1513 edges correct, ts corpora of 2026-11-29 (accuracy/results/ts.json)
    confidence: 0.99,
    description: 'call of an imported function (ESM import or require), followed through re-exports',
    source: 'measured',
  },
  'ts.namespace': {
    // measured: 6684/6711 edges correct, ts corpora of 2026-11-29 (accuracy/results/ts.json)
    confidence: 0.99,
    description: 'member of a namespace import, `export * as ns` or a TypeScript namespace (ns.fn())',
    source: 'measured',
  },
  'ts.member': {
    // measured: 96/97 edges correct, ts corpora of 2026-11-29 (accuracy/results/ts.json)
    confidence: 0.99,
    description: 'static method of a class or method of an object literal, named through the class or object',
    source: 'measured',
  },
  'ts.this-method': {
    // measured: 239/239 edges correct, ts corpora of 2026-11-29 (accuracy/results/ts.json)
    confidence: 0.99,
    description: 'this.method() resolved to the enclosing class or object literal',
    source: 'measured',
  },
  'ts.inherited': {
    // measured: 160/160 edges correct, ts corpora of 2026-11-29 (accuracy/results/ts.json)
    confidence: 0.99,
    description: 'this.method() or super.method() resolved along extends to a base class',
    source: 'measured',
  },
  'ts.new': {
    // measured: 395/397 edges correct, ts corpora of 2026-11-29 (accuracy/results/ts.json)
    confidence: 0.99,
    description: 'new C(): the constructor of C (or the class when it declares none)',
    source: 'measured',
  },
  'ts.receiver.new': {
    // measured: 228/228 edges correct, ts corpora of 2026-11-29 (accuracy/results/ts.json)
    confidence: 0.99,
    description: 'method on a variable or field whose class is known from new C()',
    source: 'measured',
  },
  'ts.receiver.declared': {
    // measured: 869/869 edges correct, ts corpora of 2026-11-29 (accuracy/results/ts.json)
    confidence: 0.99,
    description: 'method on a variable, parameter or field whose type is annotated',
    source: 'measured',
  },
  'ts.receiver.result': {
    // measured: 972/972 edges correct, ts corpora of 2026-11-29 (accuracy/results/ts.json)
    confidence: 0.99,
    description: "method on a value whose type is a function's declared return type",
    source: 'measured',
  },
  'ts.interface': {
    // measured: 3483/3483 edges correct, ts corpora of 2026-11-29 (accuracy/results/ts.json)
    confidence: 0.99,
    description: 'interface method call: the interface method and the classes that implement the interface',
    source: 'measured',
  },
  'ts.name-only': {
    // measured: 105/212 edges correct, ts corpora of 2026-11-29 (accuracy/results/ts.json)
    confidence: 0.5,
    description: 'receiver type unknown; the only method of that name in the graph',
    source: 'measured',
  },
  // Python. Names and imports are resolved as Python binds them, but any
  // name can be rebound at run time and annotations go unchecked, so
  // receivers typed by annotations sit below TypeScript's.
  'py.local': {
    // measured: 634/641 edges correct, python corpora of 2026-11-29 (accuracy/results/python.json)
    confidence: 0.99,
    description: 'call of a function defined in the same module or an enclosing function',
    source: 'measured',
  },
  'py.import': {
    // measured: 295/295 edges correct, python corpora of 2026-11-29 (accuracy/results/python.json)
    confidence: 0.99,
    description: 'call of an imported function (from m import f), followed through package __init__ re-exports and star imports',
    source: 'measured',
  },
  'py.module': {
    // observed 16/16 edges correct, python corpora of 2026-11-29 (accuracy/results/python.json): too few (< 30) to measure
    confidence: 0.88,
    description: 'module attribute call through an imported module (mod.f())',
    source: 'provisional',
  },
  'py.constructor': {
    // measured: 659/659 edges correct, python corpora of 2026-11-29 (accuracy/results/python.json)
    confidence: 0.99,
    description: 'C(): C.__init__ found in method resolution order (or the class when none is defined)',
    source: 'measured',
  },
  'py.self-method': {
    // measured: 821/847 edges correct, python corpora of 2026-11-29 (accuracy/results/python.json)
    confidence: 0.97,
    description: "self.m() or cls.m() resolved to the method's own class",
    source: 'measured',
  },
  'py.inherited': {
    // measured: 278/282 edges correct, python corpora of 2026-11-29 (accuracy/results/python.json)
    confidence: 0.99,
    description: 'self.m(), cls.m() or super().m() resolved to a base class in method resolution order',
    source: 'measured',
  },
  'py.class-method': {
    // measured: 38/38 edges correct, python corpora of 2026-11-29 (accuracy/results/python.json)
    confidence: 0.99,
    description: 'C.m(): a method named through its class',
    source: 'measured',
  },
  'py.receiver.new': {
    // measured: 134/137 edges correct, python corpora of 2026-11-29 (accuracy/results/python.json)
    confidence: 0.98,
    description: 'method on a variable or attribute assigned an instance C()',
    source: 'measured',
  },
  'py.receiver.declared': {
    // measured: 219/227 edges correct, python corpora of 2026-11-29 (accuracy/results/python.json)
    confidence: 0.96,
    description: 'method on a variable, parameter or attribute whose type is annotated',
    source: 'measured',
  },
  'py.receiver.result': {
    // measured: 33/37 edges correct, python corpora of 2026-11-29 (accuracy/results/python.json)
    confidence: 0.89,
    description: "method on a value whose type is a function's annotated return type",
    source: 'measured',
  },
  'py.name-only': {
    // measured: 54/58 edges correct, python corpora of 2026-11-29 (accuracy/results/python.json)
    confidence: 0.93,
    description: 'receiver type unknown; the only method of that name in the graph',
    source: 'measured',
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
