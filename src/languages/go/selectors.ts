/**
 * Walks along a call's function expression: `a.b.c()` visits the selectors
 * c and b and the identifier a, through calls, indexing, address-of,
 * dereference, range and receive. Two facts come from it: the names a
 * file's calls select, for the incremental rule (incremental.ts: a file
 * depends on the methods of every name it selects), and the identifiers
 * they start from, for the bindings worth keeping (extract.ts); and the
 * incremental rule walks every expression with it for the names a file
 * mentions.
 */
import type { Expr, GoCall } from './facts.js';

export function walkCallee(expr: Expr, visit: (expr: Expr) => void): void {
  visit(expr);
  switch (expr.k) {
    case 'sel':
    case 'index':
    case 'addr':
    case 'deref':
    case 'rangeKey':
    case 'rangeValue':
    case 'recv':
      walkCallee(expr.x, visit);
      return;
    case 'call':
      walkCallee(expr.fn, visit);
      return;
    default:
      return;
  }
}

/** The names a file's calls select, sorted. */
export function callSelectors(calls: readonly GoCall[]): string[] {
  const names = new Set<string>();
  for (const call of calls) {
    walkCallee(call.fn, (expr) => {
      if (expr.k === 'sel') names.add(expr.name);
    });
  }
  return [...names].sort();
}
