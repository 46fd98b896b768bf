/**
 * What a file's calls say about the files it depends on, kept beside the
 * calls because the calls themselves are a local fact (index.ts): the
 * incremental rule (incremental.ts) reads these for every file of the
 * repository, the calls only for the files it resolves.
 */
import { chainRoot } from './describe.js';
import type { Expr, TsCall } from './facts.js';

/** The member names along each call's function expression: `a.b.c()` → b, c (calls through `.call`/`.apply`/`.bind` name the inner member), sorted. */
export function calledMembers(calls: readonly TsCall[]): string[] {
  const names = new Set<string>();
  for (const call of calls) {
    let expression: Expr = call.fn;
    while (expression.k === 'member') {
      names.add(expression.name);
      expression = expression.x;
    }
  }
  return [...names].sort();
}

/** The specifiers of `require(…)` at the root of a call's function expression (`require('x').f()`), sorted. */
export function callSpecifiers(calls: readonly TsCall[]): string[] {
  const found = new Set<string>();
  for (const call of calls) {
    const root = chainRoot(call.fn);
    if (root.k === 'require') found.add(root.source);
  }
  return [...found].sort();
}
