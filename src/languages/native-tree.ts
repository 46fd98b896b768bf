/**
 * Parse-and-copy in one native call (native/tree_export.c): the same compact
 * tree compactTree() builds through the binding's cursor, without a
 * JavaScript call per node, and with the native tree freed before the call
 * returns. Built by `npm install` (node-gyp, from the tree-sitter runtime's
 * sources the binding ships); where the addon is missing, or
 * GRAPHHUB_NATIVE_TREE=0, parseCompact falls back to the cursor walk.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { CompactTree, FIELDS, LEAF, shapeOf, vocabularyOf, type CompactOptions, type Columns, type Vocabulary } from './compact-tree.js';
import type { ExtractDiagnostic, ParseSpec } from './language.js';
import type { Grammar } from './tree-sitter.js';

interface Exported {
  buffer: ArrayBuffer;
  count: number;
  hasError: boolean;
  errorTotal: number;
  errors: Array<{ missing: boolean; type: number; offset: number }>;
}

interface Addon {
  vocabulary(grammar: Grammar): { names: Array<string | undefined>; named: Array<boolean | undefined>; fields: Array<string | undefined> };
  exportTree(grammar: Grammar, text: string, flags: Uint8Array, ask: (type: number, start: number, end: number) => boolean): Exported | null;
}

/** Flag bits per type id, as native/tree_export.c reads them. */
const COPY = 1;
const NAMED = 2;
const LEAF_FLAG = 4;
const FIELDS_FLAG = 8;
const ASK = 16;

function loadAddon(): Addon | undefined {
  if (process.env.GRAPHHUB_NATIVE_TREE === '0') return undefined;
  try {
    // dist/languages/ and src/languages/ are both two levels below the package root, where node-gyp builds.
    return createRequire(import.meta.url)(fileURLToPath(new URL('../../build/Release/tree_export.node', import.meta.url))) as Addon;
  } catch {
    return undefined;
  }
}

const addon = loadAddon();

/** Whether parseCompact uses the native export. */
export const nativeTreeExport = addon !== undefined;

/** The whole vocabulary of a grammar, read once from the language itself (the cursor walk learns it node by node). */
const filled = new WeakSet<Vocabulary>();

function filledVocabulary(grammar: Grammar): Vocabulary {
  const vocabulary = vocabularyOf(grammar);
  if (filled.has(vocabulary)) return vocabulary;
  const { names, named, fields } = addon!.vocabulary(grammar);
  names.forEach((name, id) => {
    if (name === undefined) return;
    vocabulary.typeNames[id] = name;
    vocabulary.kinds[id] = named[id] ? 1 : /\w/.test(name) ? 0 : -1;
  });
  fields.forEach((name, id) => {
    if (name === undefined) return;
    vocabulary.fieldNames[id] = name;
    vocabulary.fieldIds.set(name, id);
  });
  filled.add(vocabulary);
  return vocabulary;
}

const flagCache = new WeakMap<CompactOptions, WeakMap<Grammar, Uint8Array>>();

function flagsFor(grammar: Grammar, vocabulary: Vocabulary, options: CompactOptions): Uint8Array {
  let byGrammar = flagCache.get(options);
  if (!byGrammar) flagCache.set(options, (byGrammar = new WeakMap()));
  let flags = byGrammar.get(grammar);
  if (flags) return flags;
  flags = new Uint8Array(65536);
  vocabulary.typeNames.forEach((name, id) => {
    const kind = vocabulary.kinds[id]!;
    if (kind < 0) return;
    const shape = shapeOf(vocabulary, name, kind === 1) | (options.opaqueTypes?.has(name) ? LEAF : 0);
    flags![id] =
      COPY | (kind === 1 ? NAMED : 0) | (shape & LEAF ? LEAF_FLAG : 0) | (shape & FIELDS ? FIELDS_FLAG : 0) | (options.opaqueWhen?.has(name) ? ASK : 0);
  });
  byGrammar.set(grammar, flags);
  return flags;
}

/**
 * What exportTree hands over: the addon's export of a file (its columns in
 * one ArrayBuffer, transferable to another thread), null when the parse
 * was abandoned, or why the parser failed.
 */
export type ExportOutcome = { exported: Exported | null } | { error: string };

/**
 * Parses and copies `text` as `spec` says, and nothing more: the half of
 * an extraction another thread can do (see usingExport). Never throws.
 */
export function exportTree(spec: ParseSpec, text: string): ExportOutcome {
  try {
    const known = filledVocabulary(spec.grammar);
    const ask = (type: number, start: number, end: number): boolean => spec.options.opaqueWhen!.get(known.typeNames[type]!)!(text, start, end);
    return { exported: addon!.exportTree(spec.grammar, text, flagsFor(spec.grammar, known, spec.options), ask) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The export the next nativeParseCompact of this grammar and options takes instead of parsing (usingExport). */
let given: { spec: ParseSpec; outcome: ExportOutcome } | undefined;

/**
 * Runs `extract` with `outcome` — exportTree's result for the same text and
 * spec, made in another thread — standing in for its parse: the extractor's
 * parseCompact with that grammar and those options takes it. Why: with two
 * threads, one parsing and one running the extractors, only one isolate
 * compiles the extractors (see ARCHITECTURE.md).
 */
export function usingExport<T>(spec: ParseSpec, outcome: ExportOutcome, extract: () => T): T {
  given = { spec, outcome };
  try {
    return extract();
  } finally {
    given = undefined;
  }
}

export interface NativeParseResult {
  tree: CompactTree | undefined;
  diagnostics: ExtractDiagnostic[];
}

const MAX_SYNTAX_DIAGNOSTICS = 5;

/** Parses `text` and copies its tree natively; never throws (see parseCompact). */
export function nativeParseCompact(grammar: Grammar, text: string, options: CompactOptions = {}): NativeParseResult {
  const taken = given && given.spec.grammar === grammar && given.spec.options === options ? given.outcome : undefined;
  given = undefined;
  const outcome = taken ?? exportTree({ grammar, options }, text);
  let vocabulary: Vocabulary;
  try {
    if ('error' in outcome) throw new Error(outcome.error);
    vocabulary = filledVocabulary(grammar);
  } catch (error) {
    return { tree: undefined, diagnostics: [{ severity: 'error', message: `parser failed: ${(error as Error).message}` }] };
  }
  const { exported } = outcome;
  if (!exported) return { tree: undefined, diagnostics: [{ severity: 'error', message: 'parser failed: the parse was abandoned' }] };
  const { buffer, count } = exported;
  const columns: Columns = {
    starts: new Uint32Array(buffer, 0, count),
    ends: new Uint32Array(buffer, count * 4, count),
    parents: new Int32Array(buffer, count * 8, count),
    after: new Int32Array(buffer, count * 12, count),
    before: new Int32Array(buffer, count * 16, count),
    types: new Uint16Array(buffer, count * 20, count),
    fields: new Uint16Array(buffer, count * 22, count),
  };
  const tree = new CompactTree(text, vocabulary, columns, count);
  const diagnostics: ExtractDiagnostic[] = exported.errors.slice(0, MAX_SYNTAX_DIAGNOSTICS).map((error) => {
    const at = tree.pointAt(error.offset);
    return {
      severity: 'error' as const,
      message: error.missing ? `syntax error: missing ${vocabulary.typeNames[error.type]}` : 'syntax error: unexpected input',
      line: at.row + 1,
      col: at.column + 1,
    };
  });
  if (exported.errorTotal > diagnostics.length) {
    diagnostics.push({ severity: 'error', message: `${exported.errorTotal - diagnostics.length} more syntax errors in this file` });
  }
  return { tree, diagnostics };
}
