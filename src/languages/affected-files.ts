/**
 * Pieces the languages' incremental rules share (which files a change can
 * affect): walking import edges backwards from the changed files, and the
 * method names whose declarations differ between two versions of a file.
 */

/** The seeds and every file that reaches one of them through `importers` (file → the files that import it). */
export function reachingBackwards(seeds: Iterable<string>, importers: ReadonlyMap<string, Iterable<string>>): Set<string> {
  const affected = new Set(seeds);
  const queue = [...affected];
  while (queue.length > 0) {
    for (const importer of importers.get(queue.pop()!) ?? []) {
      if (affected.has(importer)) continue;
      affected.add(importer);
      queue.push(importer);
    }
  }
  return affected;
}

/** Adds to `into` every name whose method ids differ between the two versions (name → ids declared under it). */
export function addChangedNames(before: ReadonlyMap<string, string[]>, after: ReadonlyMap<string, string[]>, into: Set<string>): void {
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(name)?.join('\n') !== after.get(name)?.join('\n')) into.add(name);
  }
}
