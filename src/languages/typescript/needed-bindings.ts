/**
 * Only bindings the resolver can consult are kept in a file's facts: those
 * of names that occur in a call's function, in a declaration's heritage,
 * fields, return type or alias, in an export, and — transitively — in the
 * value or type of a kept binding. A loop counter or a string never used as
 * a receiver costs cache space and lookup time for nothing. (The resolver
 * looks names up only from these places: values.ts `name` and `typeName`.)
 */
import { chainRoot } from './describe.js';
import type { Expr, TsFileFacts, TypeRef } from './facts.js';

function expressionNames(expression: Expr | undefined, into: Set<string>): void {
  const root = expression && chainRoot(expression);
  if (root?.k === 'id') into.add(root.name);
  else if (root?.k === 'cast') typeNames(root.type, into);
}

function typeNames(ref: TypeRef | undefined, into: Set<string>): void {
  if (!ref) return;
  into.add(ref.qualifier?.[0] ?? ref.name);
  into.add(ref.name);
}

export function keepNeededBindings(facts: TsFileFacts): void {
  const needed = new Set<string>();
  for (const call of facts.calls) expressionNames(call.fn, needed);
  for (const decl of facts.decls) {
    for (const parent of decl.extends ?? []) expressionNames(parent, needed);
    for (const ref of decl.implements ?? []) typeNames(ref, needed);
    typeNames(decl.returns, needed);
    typeNames(decl.returnsNew, needed);
    typeNames(decl.alias, needed);
    for (const param of decl.typeParams ?? []) typeNames(param.bound, needed);
    for (const field of decl.fields ?? []) {
      typeNames(field.type, needed);
      expressionNames(field.value, needed);
    }
  }
  for (const entry of facts.exports) if (entry.local !== undefined) needed.add(entry.local);
  let grew = true;
  while (grew) {
    grew = false;
    for (const binding of facts.bindings) {
      if (!needed.has(binding.name)) continue;
      const before = needed.size;
      expressionNames(binding.value, needed);
      typeNames(binding.type, needed);
      if (needed.size > before) grew = true;
    }
  }
  facts.bindings = facts.bindings.filter((binding) => needed.has(binding.name));
}
