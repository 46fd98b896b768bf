/**
 * What an oracle says about a repository, in one shape for every language:
 * the units (packages, projects) it could check, and every call expression in
 * them with what the compiler's type checker says it calls. The Go oracle
 * (accuracy/go-oracle) prints these records as JSON lines; the TypeScript and
 * Python oracles produce the same shape.
 *
 * Names follow graphhub's `export edges` format (query/export-edges.ts):
 * methods `Recv.Method` without the pointer star, code outside any named
 * function named by its file path at line 1.
 */
import { z } from 'zod';

const endSchema = z.object({ file: z.string(), name: z.string(), line: z.number().int() });
const siteSchema = z.object({ file: z.string(), line: z.number().int(), col: z.number().int() });

/**
 * - static: a function or concrete method; `callee` is exact.
 * - interface: a method called through an interface, abstract method or type
 *   parameter; `callee` is the interface method (absent when it has no
 *   declaration in the repository), `alternatives` every implementation in
 *   the repository, each of which is an acceptable target too.
 * - funcvalue: a variable that only ever holds one function; `callee` is it.
 * - dynamic: a function value, field, closure or computed callee: no static target.
 * - builtin, conversion: not calls of repository code.
 */
export const ORACLE_KINDS = ['static', 'interface', 'funcvalue', 'dynamic', 'builtin', 'conversion'] as const;
export type OracleKind = (typeof ORACLE_KINDS)[number];

export const oracleCallSchema = z.object({
  record: z.literal('call'),
  kind: z.enum(ORACLE_KINDS),
  caller: endSchema,
  site: siteSchema,
  callee: endSchema.optional(),
  alternatives: z.array(endSchema).optional(),
  /** A callee outside the repository: `package-path Name`. */
  external: z.string().optional(),
});

export const oracleUnitSchema = z.object({
  record: z.literal('package'),
  dir: z.string(),
  importPath: z.string(),
  test: z.boolean(),
  files: z.array(z.string()).nullable().transform((files) => files ?? []),
  /** Files of the unit's directory that the oracle's build leaves out (other platforms, build tags). */
  ignored: z.array(z.string()).optional(),
  /** Files that do not parse, left out of the check. */
  unparsable: z.array(z.string()).optional(),
  /** Test files left out because the unit type-checks only without them (testsReason says why). */
  testsLeftOut: z.array(z.string()).optional(),
  testsReason: z.string().optional(),
  /** Vendored code, checked for its declarations only: never scored. */
  vendor: z.boolean().optional(),
  /** `declarations` for vendored code. */
  status: z.enum(['ok', 'error', 'declarations']),
  errors: z.array(z.string()).optional(),
});

export type End = z.infer<typeof endSchema>;
export type Site = z.infer<typeof siteSchema>;
export type OracleCall = z.infer<typeof oracleCallSchema>;
export type OracleUnit = z.infer<typeof oracleUnitSchema>;

/**
 * How an oracle's names compare with graphhub's. `exact`: callers and callees
 * by file, full name and line (the Go oracle names them as graphhub does).
 * For TypeScript and Python the site alone decides the caller (how code in
 * nested functions is attributed is graphhub's modelling, not resolution)
 * and a callee is its file, line and simple name (`m` for `C.m`).
 */
export interface Matching {
  caller: 'exact' | 'site';
  callee: 'exact' | 'loose';
}

export const EXACT: Matching = { caller: 'exact', callee: 'exact' };

export interface OracleRun {
  units: OracleUnit[];
  calls: OracleCall[];
  matching?: Matching;
}

const recordSchema = z.discriminatedUnion('record', [oracleCallSchema, oracleUnitSchema]);

/** Parses an oracle's JSON-lines output; a malformed line is an error naming it. */
export function parseOracleOutput(text: string): OracleRun {
  const run: OracleRun = { units: [], calls: [] };
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const parsed = recordSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`oracle output line ${index + 1}: ${parsed.error.message}`);
    if (parsed.data.record === 'call') run.calls.push(parsed.data);
    else run.units.push(parsed.data);
  });
  return run;
}

export function endKey(end: End): string {
  return `${end.file}\u0000${end.name}\u0000${end.line}`;
}

/** The key a callee is compared by under a matching mode. */
export function calleeKey(end: End, matching: Matching = EXACT): string {
  if (matching.callee === 'exact') return endKey(end);
  return `${end.file}\u0000${end.name.slice(end.name.lastIndexOf('.') + 1)}\u0000${end.line}`;
}

export function siteKey(site: Site): string {
  return `${site.file}:${site.line}:${site.col}`;
}
