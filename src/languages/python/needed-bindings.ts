/**
 * Only bindings the resolver can consult are kept in a file's facts.
 * Module-level bindings all stay: another module may import any of them by
 * name (`from m import x`, star imports). A function's locals stay when
 * their name occurs in a call's function, a class's bases or fields, an
 * annotation, or — transitively — the value or type of a kept binding.
 * (The resolver looks names up only from these places: values.ts `name`.)
 */
import type { PyExpr, PyFileFacts, PyTypeRef } from './facts.js';

const MODULE_END = Number.MAX_SAFE_INTEGER;

function expressionNames(expression: PyExpr | undefined, into: Set<string>): void {
  while (expression) {
    switch (expression.k) {
      case 'id':
        into.add(expression.name);
        return;
      case 'attr':
      case 'dynamic':
        expression = expression.x;
        break;
      case 'call':
        expression = expression.fn;
        break;
      default:
        return;
    }
  }
}

function typeNames(ref: PyTypeRef | undefined, into: Set<string>): void {
  if (!ref) return;
  into.add(ref.qualifier?.[0] ?? ref.name);
  into.add(ref.name);
}

export function keepNeededBindings(facts: PyFileFacts): void {
  const needed = new Set<string>();
  for (const call of facts.calls) expressionNames(call.fn, needed);
  for (const decl of facts.decls) {
    for (const base of decl.bases ?? []) expressionNames(base, needed);
    typeNames(decl.returns, needed);
    for (const field of decl.fields ?? []) {
      typeNames(field.type, needed);
      expressionNames(field.value, needed);
    }
  }
  const kept = (binding: PyFileFacts['bindings'][number]): boolean => binding.scope[1] === MODULE_END || needed.has(binding.name);
  let grew = true;
  while (grew) {
    grew = false;
    for (const binding of facts.bindings) {
      if (!kept(binding)) continue;
      const before = needed.size;
      expressionNames(binding.value, needed);
      typeNames(binding.type, needed);
      if (needed.size > before) grew = true;
    }
  }
  facts.bindings = facts.bindings.filter(kept);
}
