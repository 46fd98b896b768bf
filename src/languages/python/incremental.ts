/**
 * Which Python files a change can affect, so an incremental index
 * re-resolves only those.
 *
 * What a file's resolution reads (values.ts, calls.ts, symbols.ts): its own
 * facts and module name; the modules its imports name (`import a.b`,
 * `from .m import n`, `from m import *`, at any scope); from a package's
 * __init__.py, its submodules (`pkg.sub` is an attribute of `pkg`); and
 * from those modules the same again — every step to another file, whether
 * following a re-export, `__all__`, a base class along the MRO, a field or a
 * return annotation, goes through one of these. Besides, the repository's
 * methods by name, for name-only guesses, consulted only for the attribute
 * names the file calls.
 *
 * So a file is affected when (1) it changed, (2) the layout moved under it
 * (files added or removed: a new __init__.py renames every module below it,
 * a module may appear where an import found none, a package may gain or
 * lose a submodule), (3) it reaches a file of (1)–(2), or (4) the methods of
 * a name it calls are not what they were (a changed file's, or a renamed
 * module's: symbol ids hold the module name). Reachability is computed
 * on the new state: an old path to a changed file either still exists or
 * first passes through a file whose own imports now lead elsewhere, which is
 * in (2).
 *
 * A changed file is not a seed of (3)–(4) when what other files can read of
 * it is as it was (`visible`, compared by partitionChanges): an edit
 * inside a body that binds no new name, a comment. It is resolved again
 * itself, alone.
 */
import { addChangedNames, partitionChanges, reachingBackwards } from '../affected-files.js';
import type { FileChange } from '../language.js';
import type { PyFileFacts, PyImportRef } from './facts.js';
import { absoluteModule, buildFile, moduleLayout, type ModuleLayout } from './project.js';

/** Lines are where things are shown; offsets order and nest things (see facts.ts). */
const POSITIONS = new Set(['line', 'col']);
const OFFSETS = new Set(['at', 'start', 'end', 'scope']);

/**
 * What another file's resolution reads of a file: its declarations,
 * bindings (every scope's: imports bound in a function are followed too),
 * star imports, imports and `__all__`. Not calls or details (local facts:
 * the file's own resolution and records), nor the attribute names its calls
 * select, which only decide whether the file itself is affected.
 */
function visible(facts: PyFileFacts): unknown[] {
  return [facts.decls, facts.bindings, facts.stars, facts.imports, facts.all ?? null];
}

export function affectedFiles(repository: string, layout: ModuleLayout, files: Map<string, PyFileFacts>, allChanges: Array<FileChange<PyFileFacts>>): Set<string> {
  const { seen: changes, unseen } = partitionChanges(allChanges, visible, POSITIONS, OFFSETS);
  const changed = new Set(changes.map((change) => change.path));
  const seeds = new Set(changes.filter((change) => files.has(change.path)).map((change) => change.path));

  // (2) Only a different set of files moves the layout (manifests never change here: changes.ts).
  let old = layout;
  const renamed: string[] = [];
  if (changes.some((change) => (change.before === undefined) !== (change.after === undefined))) {
    const oldPaths = new Set([...files.keys()].filter((path) => !changed.has(path)));
    for (const change of changes) if (change.before !== undefined) oldPaths.add(change.path);
    old = moduleLayout(repository, oldPaths);
    const newChildren = submodules(layout);
    const oldChildren = submodules(old);
    for (const [path, facts] of files) {
      if (changed.has(path)) continue;
      const now = layout.modules.get(path)!;
      const before = old.modules.get(path)!;
      if (now.module !== before.module || now.isPackage !== before.isPackage) {
        seeds.add(path);
        renamed.push(path);
      } else if (importRefs(facts).some((ref) => targetKey(layout, path, ref) !== targetKey(old, path, ref))) seeds.add(path);
      else if (now.isPackage && newChildren.get(now.module)?.join('\n') !== oldChildren.get(now.module)?.join('\n')) seeds.add(path);
    }
  }

  // (3) Everything that reaches a seed, walking import edges backwards.
  const importers = new Map<string, Set<string>>();
  const addEdge = (from: string, to: string): void => {
    if (from === to) return;
    const known = importers.get(to);
    if (known) known.add(from);
    else importers.set(to, new Set([from]));
  };
  const children = submodules(layout);
  for (const [path, facts] of files) {
    for (const ref of importRefs(facts)) {
      const target = targetOf(layout, path, ref);
      if (target !== undefined && target.startsWith('file:')) addEdge(path, target.slice(5));
    }
    const own = layout.modules.get(path)!;
    if (own.isPackage) for (const child of children.get(own.module) ?? []) addEdge(path, child.slice(child.indexOf('\u0000') + 1));
  }
  const affected = reachingBackwards(seeds, importers);

  // (4) Name-only guesses, by the attribute names a file calls: methods of changed files, and of renamed modules (ids hold the module name).
  const changedMethods = new Set<string>();
  const versions = [
    ...changes.map((change) => ({ path: change.path, before: change.before, after: change.after })),
    ...renamed.map((path) => ({ path, before: files.get(path), after: files.get(path) })),
  ];
  for (const { path, before, after } of versions) {
    const was = methodIdsByName(path, before, old.modules.get(path));
    const is = methodIdsByName(path, after, layout.modules.get(path));
    addChangedNames(was, is, changedMethods);
  }
  for (const [path, facts] of files) {
    if (affected.has(path)) continue;
    if (facts.calledAttributes.some((name) => changedMethods.has(name))) affected.add(path);
  }
  for (const path of unseen) affected.add(path);
  return affected;
}

/**
 * What a version of a file adds to the index of methods by name (resolve.ts
 * `methodsByName`): an edit that leaves it alone changes no name-only guess.
 */
function methodIdsByName(path: string, facts: PyFileFacts | undefined, place: { module: string; isPackage: boolean } | undefined): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  if (!facts || !place) return byName;
  const file = buildFile({ path, blob: '', facts }, place.module, place.isPackage);
  facts.decls.forEach((decl, index) => {
    if (decl.kind !== 'function' || facts.decls[decl.parent]?.kind !== 'class') return;
    byName.set(decl.name, [...(byName.get(decl.name) ?? []), file.declIds[index]!]);
  });
  return byName;
}

/** Every module reference of a file: imports bound at any scope and star imports. */
function importRefs(facts: PyFileFacts): PyImportRef[] {
  const refs: PyImportRef[] = [];
  for (const binding of facts.bindings) if (binding.import) refs.push(binding.import);
  for (const star of facts.stars) refs.push({ module: star.module });
  return refs;
}

/** What a module reference leads to in a layout, as the resolver's `module()` decides it. */
function targetOf(layout: ModuleLayout, path: string, ref: PyImportRef): string | undefined {
  const own = layout.modules.get(path)!;
  const dotted = absoluteModule({ module: own.module, isPackage: own.isPackage }, ref.module);
  if (dotted === undefined) return undefined;
  const file = layout.byModule.get(dotted);
  if (file !== undefined) return `file:${file}`;
  return layout.topLevel.has(dotted.split('.')[0]!) ? `missing:${dotted}` : `external:${dotted}`;
}

function targetKey(layout: ModuleLayout, path: string, ref: PyImportRef): string {
  return targetOf(layout, path, ref) ?? 'beyond';
}

/** Module name → its direct submodules (`name\0path`, sorted), as a package's attributes find them. */
function submodules(layout: ModuleLayout): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const [name, path] of layout.byModule) {
    const dot = name.lastIndexOf('.');
    if (dot < 0) continue;
    const parent = name.slice(0, dot);
    const list = children.get(parent) ?? [];
    list.push(`${name.slice(dot + 1)}\u0000${path}`);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort();
  return children;
}
