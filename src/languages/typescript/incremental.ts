/**
 * Which TypeScript/JavaScript files a change can affect, so an incremental
 * index re-resolves only those.
 *
 * What a file's resolution reads (values.ts, calls.ts): its own facts; the
 * files its module specifiers lead to (imports, re-exports, `export *`,
 * `require`/`import()` anywhere in an expression), and from those files the
 * same again — every step from one file to another goes through one of that
 * file's specifiers, whether the resolver follows a re-export, a base class,
 * a field's type or a return type. Besides, two repository-wide indexes:
 * methods by name, for name-only guesses, consulted only for the member
 * names the file calls; and the classes that `implements` an interface, for
 * interface calls, consulted only for names that interfaces declare.
 *
 * So a file is affected when (1) it changed, (2) one of its specifiers now
 * resolves elsewhere (files were added or removed: `./x` may become
 * `./x/index.ts`, a `paths` pattern may find its first target), (3) it
 * reaches a file of (1)–(2) through specifiers, (4) a changed file's
 * methods of a name it calls are not what they were (added, removed,
 * renumbered: an edit inside a method body changes no guess), or (5) an implementing class's
 * answer may have changed (the class's file is in (1)–(3)) and it calls a
 * name some interface declares. Reachability is computed on the new state:
 * an old path from the file to a changed one either still exists or passes
 * first through a file whose own specifiers resolve differently, which is
 * in (2). No cycle needs a fallback: reachability is a walk, not a closure.
 *
 * A changed file is not a seed of (3)–(5) when what other files can read of
 * it is as it was (`visible`, compared by partitionChanges): an edit
 * inside a body that binds no new name, a comment. It is resolved again
 * itself, alone.
 */
import { addChangedNames, partitionChanges, reachingBackwards } from '../affected-files.js';
import type { FileChange } from '../language.js';
import type { Expr, TsFileFacts } from './facts.js';
import type { ModuleResolver, ModuleTarget } from './module-resolution.js';
import { chainRoot } from './describe.js';
import { buildFile } from './project.js';

export interface TsDependencyState {
  /** Facts of every file of the new state. */
  files: Map<string, TsFileFacts>;
  /** Module resolution over the new state's files. */
  modules: ModuleResolver;
  /** Module resolution over another set of files (the previous state's), with the same manifests. */
  modulesFor(paths: Set<string>): ModuleResolver;
}

/** Lines are where things are shown; offsets order and nest things (see facts.ts). */
const POSITIONS = new Set(['line', 'col']);
const OFFSETS = new Set(['at', 'start', 'end', 'scope']);

/**
 * What another file's resolution reads of a file: its declarations,
 * bindings (every scope's: a field's value is typed where it is assigned),
 * imports and exports. Not calls or details (local facts: the file's own
 * resolution and records), nor the summaries of its calls, which only
 * decide whether the file itself is affected.
 */
function visible(facts: TsFileFacts): unknown[] {
  return [facts.decls, facts.bindings, facts.imports, facts.exports, facts.commonjs ?? false];
}

export function affectedFiles(state: TsDependencyState, allChanges: Array<FileChange<TsFileFacts>>): Set<string> {
  const { seen: changes, unseen } = partitionChanges(allChanges, visible, POSITIONS, OFFSETS);
  const changed = new Set(changes.map((change) => change.path));
  const seeds = new Set(changes.filter((change) => state.files.has(change.path)).map((change) => change.path));
  const specifiers = new Map<string, string[]>();
  for (const [path, facts] of state.files) specifiers.set(path, specifiersOf(facts));

  // (2) Only a different set of files can move a specifier (manifest changes never reach here: changes.ts).
  if (changes.some((change) => (change.before === undefined) !== (change.after === undefined))) {
    const oldPaths = new Set([...state.files.keys()].filter((path) => !changed.has(path)));
    for (const change of changes) if (change.before !== undefined) oldPaths.add(change.path);
    const old = state.modulesFor(oldPaths);
    for (const [path, list] of specifiers) {
      if (changed.has(path)) continue;
      if (list.some((specifier) => targetKey(state.modules.resolve(path, specifier)) !== targetKey(old.resolve(path, specifier)))) seeds.add(path);
    }
  }

  // (3) Everything that reaches a seed, walking specifier edges backwards.
  const importers = new Map<string, string[]>();
  for (const [path, list] of specifiers) {
    for (const specifier of list) {
      const target = state.modules.resolve(path, specifier);
      if (target.k !== 'file' || target.path === path) continue;
      const known = importers.get(target.path);
      if (known) known.push(path);
      else importers.set(target.path, [path]);
    }
  }
  const affected = reachingBackwards(seeds, importers);

  // (4) Name-only guesses, and (5) interface calls, by the member names a file calls.
  const changedMethods = new Set<string>();
  let implementersMoved = false;
  for (const change of changes) {
    const before = methodIdsByName(change.path, change.before);
    const after = methodIdsByName(change.path, change.after);
    addChangedNames(before, after, changedMethods);
    if ((change.before && hasImplements(change.before)) || (change.after && hasImplements(change.after))) implementersMoved = true;
  }
  for (const path of affected) if (hasImplements(state.files.get(path)!)) implementersMoved = true;
  const interfaceMethods = new Set<string>();
  if (implementersMoved) {
    for (const facts of [...state.files.values(), ...changes.map((change) => change.before)]) {
      if (!facts) continue;
      for (const decl of facts.decls) {
        const owner = facts.decls[decl.parent]?.kind;
        if (decl.kind === 'method' && (owner === 'interface' || owner === 'type')) interfaceMethods.add(decl.name);
      }
    }
  }
  for (const [path, facts] of state.files) {
    if (affected.has(path)) continue;
    for (const name of facts.calledMembers) {
      if (changedMethods.has(name) || interfaceMethods.has(name)) {
        affected.add(path);
        break;
      }
    }
  }
  for (const path of unseen) affected.add(path);
  return affected;
}

function targetKey(target: ModuleTarget): string {
  switch (target.k) {
    case 'file':
      return `file:${target.path}`;
    case 'external':
      return `external:${target.module}:${target.packagePath}`;
    case 'missing':
      return `missing:${target.reason}`;
  }
}

/**
 * What a version of a file adds to the index of methods by name (resolve.ts
 * `methodsByName`): an edit that leaves it alone changes no name-only guess.
 */
function methodIdsByName(path: string, facts: TsFileFacts | undefined): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  if (!facts) return byName;
  const file = buildFile({ path, blob: '', facts }, undefined);
  facts.decls.forEach((decl, index) => {
    const id = file.declIds[index];
    if (decl.kind !== 'method' || decl.abstract || !id || decl.name === 'constructor') return;
    byName.set(decl.name, [...(byName.get(decl.name) ?? []), id]);
  });
  return byName;
}

function hasImplements(facts: TsFileFacts): boolean {
  return facts.decls.some((decl) => decl.kind === 'class' && (decl.implements?.length ?? 0) > 0);
}

/** Every module specifier a file's resolution can follow. */
export function specifiersOf(facts: TsFileFacts): string[] {
  const found = new Set<string>();
  for (const entry of facts.imports) found.add(entry.source);
  for (const entry of facts.exports) if (entry.source !== undefined) found.add(entry.source);
  const visit = (expression: Expr | undefined): void => {
    const root = expression && chainRoot(expression);
    if (root?.k === 'require') found.add(root.source);
  };
  for (const binding of facts.bindings) visit(binding.value);
  for (const source of facts.callSpecifiers) found.add(source);
  for (const decl of facts.decls) {
    for (const parent of decl.extends ?? []) visit(parent);
    for (const field of decl.fields ?? []) visit(field.value);
  }
  return [...found];
}

