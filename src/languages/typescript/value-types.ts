/**
 * What the TypeScript resolver says a name or expression denotes, and small
 * helpers over those values.
 */
import type { Expr, TsDecl, TypeRef } from './facts.js';
import type { TsFile } from './project.js';

/** How an instance's class was learnt, from strongest to weakest evidence. */
export type Evidence = 'new' | 'declared' | 'result';

export type Value =
  | { v: 'decl'; file: TsFile; index: number }
  | { v: 'module'; file: TsFile }
  | { v: 'external'; module: string; packagePath: string; path: string[] }
  | { v: 'instance'; of: Value; how: Evidence }
  /** A value of a built-in type (string, Array, Map, …): its methods are the runtime's. */
  | { v: 'builtin' }
  /** A value returned by a package's function: its type is the package's business. */
  | { v: 'opaque'; module: string }
  | { v: 'missing'; reason: string };

/** A value and whether it was reached through an import (a different strategy than a local name). */
export interface Found {
  value: Value;
  imported: boolean;
}

export interface Place {
  file: TsFile;
  at: number;
}

export function declOf(value: Value | undefined): { file: TsFile; index: number; decl: TsDecl } | undefined {
  if (value?.v !== 'decl') return undefined;
  return { file: value.file, index: value.index, decl: value.file.facts.decls[value.index]! };
}

/** The innermost declaration whose span holds `at` (linear in the file's declarations; called per `this`). */
export function enclosingDecl(file: TsFile, at: number): number {
  let best = -1;
  file.facts.decls.forEach((decl, index) => {
    if (decl.start <= at && at < decl.end) best = index;
  });
  return best;
}

/** `a.b.C` written as an expression → the same name as a type reference. */
export function typeRefOf(expression: Expr): TypeRef | undefined {
  if (expression.k === 'id') return { name: expression.name };
  if (expression.k !== 'member') return undefined;
  const qualifier: string[] = [];
  let current: Expr = expression.x;
  while (current.k === 'member') {
    qualifier.unshift(current.name);
    current = current.x;
  }
  if (current.k !== 'id') return undefined;
  return { name: expression.name, qualifier: [current.name, ...qualifier] };
}
