/**
 * Which Go files a change can affect, so an incremental index re-resolves
 * only those.
 *
 * A file's resolution reads (1) declarations of its own package, (2) those of
 * packages in the transitive closure of its imports — Go's own rule: every
 * type a file can see is declared in a package it transitively imports — and
 * (3) the repository-wide index of method names, for interface dispatch and
 * name-only guesses, but only for the names it calls. So a change matters to
 * a file when it touches a package in (1)–(2) or declares a method named in
 * (3). Computing the closure on the new state suffices: a path from the file
 * to a changed package in the old state passes first through a changed
 * package that is still on the new path.
 */
import type { FileChange } from '../language.js';
import type { GoFileFacts } from './facts.js';
import type { FileInfo, PackageIndex } from './packages.js';

const packageKey = (importPath: string): string => `pkg:${importPath}`;
const methodKey = (name: string): string => `method:${name}`;

/** Keys a version of a file provides: its package (both test variants) and the methods it declares. */
function providedKeys(importPath: string, facts: GoFileFacts | undefined, into: Set<string>): void {
  into.add(packageKey(importPath));
  into.add(packageKey(`${importPath}_test`));
  if (!facts) return;
  for (const decl of facts.decls) {
    if (decl.kind === 'method') into.add(methodKey(decl.name));
    if (decl.kind === 'interface') for (const method of decl.methods) into.add(methodKey(method.name));
  }
}

/**
 * The import paths each package transitively imports, itself included;
 * undefined when the imports form a cycle (invalid Go, but a repository can
 * hold anything), in which case every file counts as affected.
 */
function importClosures(index: PackageIndex): Map<string, Set<string>> | undefined {
  const direct = new Map<string, Set<string>>();
  for (const pkg of index.packages.values()) {
    const imports = new Set<string>();
    for (const file of pkg.files) for (const spec of file.facts.imports) imports.add(spec.path);
    direct.set(pkg.importPath, imports);
  }
  const closures = new Map<string, Set<string>>();
  let cyclic = false;
  const visiting = new Set<string>();
  const closureOf = (importPath: string): Set<string> => {
    const known = closures.get(importPath);
    if (known) return known;
    const result = new Set<string>([importPath]);
    if (visiting.has(importPath)) {
      cyclic = true;
      return result;
    }
    visiting.add(importPath);
    for (const imported of direct.get(importPath) ?? []) {
      for (const path of closureOf(imported)) result.add(path);
    }
    visiting.delete(importPath);
    closures.set(importPath, result);
    return result;
  };
  for (const importPath of direct.keys()) closureOf(importPath);
  return cyclic ? undefined : closures;
}

export function affectedFiles(index: PackageIndex, changes: Array<FileChange<GoFileFacts>>): Set<string> {
  const changed = new Set<string>();
  const byPath = new Map(index.files.map((file) => [file.path, file]));
  for (const change of changes) {
    const file = byPath.get(change.path);
    // A removed file's package is its directory's, as for any file there.
    const directory = change.path.includes('/') ? change.path.slice(0, change.path.lastIndexOf('/')) : '';
    const importPath = file?.pkg.importPath.replace(/_test$/, '') ?? index.locate(directory).importPath;
    providedKeys(importPath, change.before, changed);
    providedKeys(importPath, change.after, changed);
  }
  const closures = importClosures(index);
  if (!closures) return new Set(index.files.map((file) => file.path));
  const affected = new Set(changes.map((change) => change.path).filter((path) => byPath.has(path)));
  for (const file of index.files) {
    if (affected.has(file.path)) continue;
    if (dependsOnAny(file, closures, changed)) affected.add(file.path);
  }
  return affected;
}

function dependsOnAny(file: FileInfo, closures: Map<string, Set<string>>, changed: Set<string>): boolean {
  if (changed.has(packageKey(file.pkg.importPath))) return true;
  for (const spec of file.facts.imports) {
    for (const path of closures.get(spec.path) ?? [spec.path]) if (changed.has(packageKey(path))) return true;
  }
  // The selected names, not the calls: calls are a local fact, not in memory for most files.
  for (const name of file.facts.selectors) if (changed.has(methodKey(name))) return true;
  return false;
}

