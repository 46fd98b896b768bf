/**
 * Symbol ids are strings with a written grammar, never row numbers, so that an
 * id means the same thing in every graph of a repository and a bad index run
 * has a small blast radius (the SCIP lesson).
 *
 *   symbol-id  = language ":" path ":" descriptor
 *   language   = "go" | "ts" | "py" | …            (lower-case letters)
 *   path       = file path relative to the repository root, with "%" and ":"
 *                percent-encoded; for a package (Go) the directory path
 *                followed by "/", the root directory being "/"
 *   descriptor = the symbol's qualified name, empty for a File symbol;
 *                "~N" is appended for the N-th (N ≥ 2) definition of the same
 *                qualified name in one file (Go allows several `func init()`)
 *
 * Rules:
 *  1. An id is derived from the qualified name and the file only, never from
 *     line numbers, so re-indexing unchanged code yields the same ids.
 *  2. Ids are unique within a graph.
 *  3. Ids are compared as strings; `parseSymbolId(formatSymbolId(x))` is `x`.
 */
export interface SymbolIdParts {
  language: string;
  path: string;
  descriptor: string;
}

const LANGUAGE = /^[a-z][a-z0-9]*$/;

function encodePath(path: string): string {
  return path.replace(/%/g, '%25').replace(/:/g, '%3A');
}

function decodePath(path: string): string {
  return path.replace(/%3A/gi, ':').replace(/%25/g, '%');
}

export function formatSymbolId(parts: SymbolIdParts): string {
  if (!LANGUAGE.test(parts.language)) throw new Error(`bad language in symbol id: ${parts.language}`);
  // Joined, not concatenated: a concatenation is a tree of string pieces until something flattens it,
  // and a flattened one keeps its 32-byte head; an index keeps every declaration's id (3 MB of heads
  // on a generated 1M-line repository).
  return [parts.language, ':', encodePath(parts.path), ':', parts.descriptor].join('');
}

/** Returns undefined for a string that does not follow the grammar. */
export function parseSymbolId(id: string): SymbolIdParts | undefined {
  const first = id.indexOf(':');
  if (first <= 0) return undefined;
  const second = id.indexOf(':', first + 1);
  if (second < 0) return undefined;
  const language = id.slice(0, first);
  if (!LANGUAGE.test(language)) return undefined;
  const path = decodePath(id.slice(first + 1, second));
  if (path.length === 0) return undefined;
  return { language, path, descriptor: id.slice(second + 1) };
}

export function fileSymbolId(language: string, path: string): string {
  return formatSymbolId({ language, path, descriptor: '' });
}

export function packageSymbolId(language: string, directory: string, name: string): string {
  const path = directory === '' || directory === '.' ? '/' : `${directory}/`;
  return formatSymbolId({ language, path, descriptor: name });
}

/** Cheap test used by query parsing: does this string look like a symbol id? */
export function looksLikeSymbolId(text: string): boolean {
  return parseSymbolId(text) !== undefined && /^[a-z][a-z0-9]*:/.test(text);
}
