import type { FileChange } from './language.js';

/**
 * Pieces the languages' incremental rules share (which files a change can
 * affect): walking import edges backwards from the changed files, the
 * method names whose declarations differ between two versions of a file,
 * and whether two versions of a file look the same from other files.
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

/**
 * Two versions of a file's facts as another file's resolution sees them, for
 * telling whether a change can matter beyond the file (`visibleForm(a) ===
 * visibleForm(b)`): the given fields, with display positions (`positions`:
 * lines, columns) left out and offsets (`offsets`: where a scope, binding or
 * declaration starts and ends) replaced by their rank among the offsets the
 * fields hold. Resolvers compare offsets only with one another — which scope
 * holds which place — and with 0 and MAX_SAFE_INTEGER (the top of a module,
 * a module-wide scope's end), which keep their own names, `top` and `end`;
 * so two versions with the same form answer every such question alike,
 * however far an edit above moved them.
 */
export function visibleForm(fields: readonly unknown[], positions: ReadonlySet<string>, offsets: ReadonlySet<string>): string {
  const values = new Set<number>();
  const collect = (value: unknown): void => {
    if (typeof value === 'number') values.add(value);
    else if (Array.isArray(value)) for (const item of value) collect(item);
  };
  JSON.stringify(fields, (key, value: unknown) => {
    if (offsets.has(key)) collect(value);
    return value;
  });
  values.delete(0);
  values.delete(Number.MAX_SAFE_INTEGER);
  const rank = new Map([...values].sort((a, b) => a - b).map((value, index) => [value, index]));
  const ranked = (value: unknown): unknown => {
    if (value === 0) return 'top';
    if (value === Number.MAX_SAFE_INTEGER) return 'end';
    return typeof value === 'number' ? rank.get(value) : Array.isArray(value) ? value.map(ranked) : value;
  };
  return JSON.stringify(fields, (key, value: unknown) => (positions.has(key) ? undefined : offsets.has(key) ? ranked(value) : value));
}

/**
 * The changes another file can see, and the paths of those it cannot: both
 * versions exist and have the same visibleForm of what `visible` picks.
 * A rule walks only from the first; the second are resolved alone.
 */
export function partitionChanges<Facts>(
  changes: ReadonlyArray<FileChange<Facts>>,
  visible: (facts: Facts) => readonly unknown[],
  positions: ReadonlySet<string>,
  offsets: ReadonlySet<string>,
): { seen: Array<FileChange<Facts>>; unseen: string[] } {
  const seen: Array<FileChange<Facts>> = [];
  const unseen: string[] = [];
  const form = (facts: Facts): string => visibleForm(visible(facts), positions, offsets);
  for (const change of changes) {
    if (change.before !== undefined && change.after !== undefined && form(change.before) === form(change.after)) unseen.push(change.path);
    else seen.push(change);
  }
  return { seen, unseen };
}
