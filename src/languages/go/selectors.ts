/**
 * The names a file's calls select, for the incremental rule (incremental.ts):
 * a file depends on the methods of every name it selects in a call's
 * function expression, on a receiver reached through calls, indexing,
 * address-of, dereference, range or receive.
 */
import type { Expr, GoCall } from './facts.js';

export function callSelectors(calls: readonly GoCall[]): string[] {
  const names = new Set<string>();
  for (const call of calls) selectorNames(call.fn, names);
  return [...names].sort();
}

function selectorNames(expr: Expr, into: Set<string>): void {
  switch (expr.k) {
    case 'sel':
      into.add(expr.name);
      selectorNames(expr.x, into);
      return;
    case 'call':
      selectorNames(expr.fn, into);
      return;
    case 'index':
    case 'addr':
    case 'deref':
    case 'rangeKey':
    case 'rangeValue':
    case 'recv':
      selectorNames(expr.x, into);
      return;
    default:
      return;
  }
}
