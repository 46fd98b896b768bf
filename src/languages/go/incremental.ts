/**
 * Which Go files a change can affect, so an incremental index re-resolves
 * only those.
 *
 * A file's resolution reads (1) declarations of its own package, (2) those of
 * packages in the transitive closure of its package's imports — Go's own
 * rule: every type a file can see is declared in a package its package
 * transitively imports (through any of the package's files: a file without
 * imports may call a method of a type another file embeds from elsewhere) — and
 * (3) the repository-wide index of method names, for interface dispatch and
 * name-only guesses, but only for the names it calls. So a change matters to
 * a file when it touches a package in (1)–(2) or declares a method named in
 * (3). Computing the closure on the new state suffices: a path from the file
 * to a changed package in the old state passes first through a changed
 * package that is still on the new path.
 *
 * A change that leaves everything other files can read of the file as it
 * was (`visible`, compared by partitionChanges) — only bodies, comments or
 * positions differ — affects the file alone: its own calls and records are
 * made again, and every other file keeps its rows (which name the file's
 * symbols by ids that did not change).
 *
 * A change of declarations alone (`namedChange`: the same package, build
 * constraint, copy origin, embedded types and aliases, no dot import
 * changed — an import changed changes the declarations that qualify a name
 * with it; or a file added to or removed from a package that stays) is
 * narrowed
 * by name: another file's resolution reaches a declaration only through
 * names its own facts hold — an identifier, a selected member, a type's name
 * — so of the files the walk above finds, only those that mention a name
 * whose meaning may have changed are affected (`mentions`). Those names are
 * the changed declarations' and package variables'; for a struct whose
 * fields changed, its fields'; for a method changed on a type that stays,
 * its name and the methods of every interface with a method of that name,
 * selected anywhere (the type may now implement the interface, or no
 * longer); for a type added or removed, all its methods', in any file of
 * its package (an interface a type satisfies has only methods it has);
 * and, until nothing is added, every
 * package variable whose type or value mentions one of them (its type is
 * inferred from it). A changed interface, or type defined on another type,
 * takes the wider walk: the types implementing it, and every interface
 * embedding it, may change, and calls through those name none of it.
 */
import { partitionChanges, reachingBackwards, visibleForm } from '../affected-files.js';
import type { FileChange } from '../language.js';
import type { Expr, GoBinding, GoCall, GoDecl, GoDeclHead, GoFileFacts, GoImport, GoPackageVar, GoTypeDecl, TypeExpr } from './facts.js';
import { defaultImportName, type FileInfo, type PackageIndex } from './packages.js';
import { walkCallee } from './selectors.js';
import { TypeOracle } from './types.js';

/** What a version of a file provides: its package (both test variants) and the names of the methods it declares. */
function provided(importPath: string, facts: GoFileFacts | undefined, packages: Set<string>, methods: Set<string>): void {
  packages.add(importPath);
  packages.add(`${importPath}_test`);
  if (!facts) return;
  for (const head of facts.heads) {
    if (head.kind === 'method') methods.add(head.name);
    if (head.kind === 'interface') for (const method of head.methods ?? []) methods.add(method);
  }
}

/**
 * The import paths whose transitive imports (themselves included) reach one
 * of `changed`; undefined when the repository's imports form a cycle
 * (invalid Go, but a repository can hold anything), in which case every
 * file counts as affected.
 *
 * Why a walk backwards from the changed packages and not each package's
 * closure: closures are quadratic in a long chain of imports. 1,500
 * packages each importing the next (30,000 files) took ~3.8 s to find the
 * files a one-file change affects, against ~0.5 s to resolve every file.
 */
function reachingChanged(index: PackageIndex, changed: Set<string>): Set<string> | undefined {
  const direct = new Map<string, Set<string>>();
  for (const pkg of index.packages.values()) {
    const imports = direct.get(pkg.importPath) ?? new Set<string>();
    // A package importing itself is no cycle to give up on: a generator beside it (`//go:build ignore`,
    // package main), placed in the directory's package, imports it (Go's own cmd/go has such files).
    for (const file of pkg.files) for (const spec of file.facts.imports) if (spec.path !== pkg.importPath) imports.add(spec.path);
    direct.set(pkg.importPath, imports);
  }
  if (hasCycle(direct)) return undefined;
  const importers = new Map<string, string[]>();
  for (const [importPath, imports] of direct) {
    for (const imported of imports) {
      const list = importers.get(imported);
      if (list) list.push(importPath);
      else importers.set(imported, [importPath]);
    }
  }
  return reachingBackwards(changed, importers);
}

/** Whether following imports from some package leads back to it (iterative: a chain can be long). */
function hasCycle(direct: Map<string, Set<string>>): boolean {
  const done = new Set<string>();
  const onPath = new Set<string>();
  for (const root of direct.keys()) {
    if (done.has(root)) continue;
    const stack: Array<{ path: string; next: Iterator<string> }> = [{ path: root, next: (direct.get(root) ?? new Set<string>()).values() }];
    onPath.add(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const step = top.next.next();
      if (step.done) {
        stack.pop();
        onPath.delete(top.path);
        done.add(top.path);
        continue;
      }
      const imported = step.value;
      if (onPath.has(imported)) return true;
      if (done.has(imported) || !direct.has(imported)) continue;
      onPath.add(imported);
      stack.push({ path: imported, next: direct.get(imported)!.values() });
    }
  }
  return false;
}

/** Lines and columns are where things are shown; offsets (a declaration's span) order things in the file. */
const POSITIONS = new Set(['range', 'nameLine', 'nameCol', 'line']);
const OFFSETS = new Set(['start', 'end']);

/**
 * What another file's resolution reads of a file: its package and build
 * constraint, where it was copied from, its imports (they give the
 * declarations' types meaning), declarations and package variables. Not
 * calls, bindings, selectors, subtests, docs or length: only the file's own
 * resolution and records read those. (Every declaration, import and
 * package variable in the facts is top-level, so positions nest nothing.)
 */
function visible(facts: GoFileFacts): unknown[] {
  return [facts.package, facts.buildConstraint ?? null, facts.copiedFrom ?? null, facts.imports, facts.heads, facts.decls, facts.vars];
}

export function affectedFiles(index: PackageIndex, changes: Array<FileChange<GoFileFacts>>): Set<string> {
  const byPath = new Map(index.files.map((file) => [file.path, file]));
  const affected = new Set(changes.map((change) => change.path).filter((path) => byPath.has(path)));
  const { seen } = partitionChanges(changes, visible, POSITIONS, OFFSETS);
  if (seen.length === 0) return affected;
  const named = namedChange(index, seen, byPath);
  const changedPackages = named?.packages ?? new Set<string>();
  const changedMethods = named?.methods ?? new Set<string>();
  if (!named) {
    for (const change of seen) {
      const importPath = packageOf(index, change.path, byPath);
      provided(importPath, change.before, changedPackages, changedMethods);
      provided(importPath, change.after, changedPackages, changedMethods);
    }
  }
  const reaching = reachingChanged(index, changedPackages);
  if (!reaching) return new Set(index.files.map((file) => file.path));
  for (const file of index.files) {
    if (affected.has(file.path)) continue;
    // The selected names, not the calls: calls are a local fact, not in memory for most files.
    if (file.facts.selectors.some((name) => changedMethods.has(name))) affected.add(file.path);
    // By its package, not its own imports: a file reads its whole package's declarations, whose types the
    // package's other files import (a file without imports may call a method of a type another file embeds).
    else if (reaching.has(file.pkg.importPath) && (!named || mentions(file, named.names))) affected.add(file.path);
  }
  return affected;
}

function directoryOf(path: string): string {
  return path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
}

/** The import path of a changed file's package; a removed file's is its directory's, as for any file there. */
function packageOf(index: PackageIndex, path: string, byPath: ReadonlyMap<string, FileInfo>): string {
  const directory = directoryOf(path);
  return byPath.get(path)?.pkg.importPath.replace(/_test$/, '') ?? index.locate(directory).importPath;
}

interface NamedChange {
  /** Names whose meaning may differ: a file that mentions none of them resolves as before. */
  names: Set<string>;
  /** Every method name of the types whose method sets may differ: a file selecting one is affected wherever it is (interface dispatch, name-only guesses). */
  methods: Set<string>;
  /** The changed files' packages, both test variants. */
  packages: Set<string>;
}

/** Declarations and package variables by what identifies them across versions, each with its visible form. */
function declarationsOf(facts: GoFileFacts): Map<string, string> {
  const grouped = new Map<string, unknown[]>();
  const add = (key: string, value: unknown): void => {
    const list = grouped.get(key);
    if (list) list.push(value);
    else grouped.set(key, [value]);
  };
  facts.decls.forEach((decl, index) => add(declKey(decl), [facts.heads[index], decl]));
  for (const variable of facts.vars) add(`v ${variable.name}`, variable);
  return new Map([...grouped].map(([key, values]) => [key, visibleForm(values, POSITIONS, OFFSETS)]));
}

/**
 * The names a file's changed imports may qualify with (an alias, or the
 * name the imported package goes by); undefined when a dot import changed.
 */
function changedQualifiers(index: PackageIndex, before: readonly GoImport[], after: readonly GoImport[]): Set<string> | undefined {
  const key = (spec: GoImport): string => `${spec.alias ?? ''} ${spec.path}`;
  const old = new Set(before.map(key));
  const now = new Set(after.map(key));
  const qualifiers = new Set<string>();
  for (const spec of [...before.filter((item) => !now.has(key(item))), ...after.filter((item) => !old.has(key(item)))]) {
    if (spec.alias === '.') return undefined;
    if (spec.alias === '_') continue;
    if (spec.alias !== undefined) qualifiers.add(spec.alias);
    else {
      qualifiers.add(defaultImportName(spec.path));
      const name = index.byImportPath.get(spec.path)?.name;
      if (name) qualifiers.add(name);
    }
  }
  return qualifiers;
}

/** Whether a declaration or package variable qualifies a name with one of `qualifiers` (`pkg.T`, `pkg.F()`). */
function qualifies(value: unknown, qualifiers: ReadonlySet<string>): boolean {
  if (Array.isArray(value)) return value.some((item) => qualifies(item, qualifiers));
  if (value === null || typeof value !== 'object') return false;
  const node = value as { k?: unknown; pkg?: unknown; x?: { k?: unknown; name?: unknown } };
  if (node.k === 'named' && typeof node.pkg === 'string' && qualifiers.has(node.pkg)) return true;
  if (node.k === 'sel' && node.x?.k === 'id' && typeof node.x.name === 'string' && qualifiers.has(node.x.name)) return true;
  return Object.values(value).some((item) => qualifies(item, qualifiers));
}

function declKey(decl: GoDecl): string {
  if (decl.kind === 'function') return `f ${decl.name}`;
  if (decl.kind === 'method') return `m ${decl.receiver?.type ?? ''} ${decl.name}`;
  return `t ${decl.name}`;
}

/** What a change of declarations alone can change by name; undefined for any other visible change. */
function namedChange(index: PackageIndex, seen: Array<FileChange<GoFileFacts>>, byPath: ReadonlyMap<string, FileInfo>): NamedChange | undefined {
  const named: NamedChange = { names: new Set(), methods: new Set(), packages: new Set() };
  const changedPaths = new Set(seen.map((change) => change.path));
  const changedMethods = new Set<string>();
  for (const change of seen) {
    const { path } = change;
    let { before, after } = change;
    if (!before || !after) {
      // A file added to a package, or removed from one, that has unchanged files in both versions: its declarations
      // are added or removed (its imports and build constraint speak for them alone). A package that appears or
      // goes moves its importers' calls between the repository and other modules: the wider walk.
      const facts = (before ?? after)!;
      if (facts.copiedFrom !== undefined) return undefined;
      const directory = directoryOf(path);
      const stays = index.files.some((file) => !changedPaths.has(file.path) && directoryOf(file.path) === directory && file.facts.package === facts.package);
      if (!stays) return undefined;
      const none: GoFileFacts = { ...facts, imports: [], heads: [], decls: [], vars: [] };
      before ??= none;
      after ??= none;
    } else if (before.package !== after.package || before.buildConstraint !== after.buildConstraint || before.copiedFrom !== after.copiedFrom) {
      return undefined;
    }
    // Imports speak for the file's declarations: one added, removed or renamed changes the declarations that
    // qualify a name with it. A dot import names nothing: the wider walk.
    const qualifiers = changedQualifiers(index, before.imports, after.imports);
    if (!qualifiers) return undefined;
    const importPath = packageOf(index, path, byPath);
    named.packages.add(importPath);
    named.packages.add(`${importPath}_test`);
    const old = declarationsOf(before);
    const now = declarationsOf(after);
    const changed = new Set([...old.keys(), ...now.keys()].filter((key) => old.get(key) !== now.get(key)));
    if (qualifiers.size > 0) {
      for (const facts of [before, after]) {
        for (const decl of facts.decls) if (qualifies(decl, qualifiers)) changed.add(declKey(decl));
        for (const variable of facts.vars) if (qualifies(variable, qualifiers)) changed.add(`v ${variable.name}`);
      }
    }
    // Types added, removed or of another kind (every method of theirs may have come or gone), types of which only
    // fields changed, and methods changed on types whose declaration did not change: [type, method].
    const methodTypes = new Set<string>();
    const fieldTypes = new Set<string>();
    const methods: Array<[string, string]> = [];
    const form = (value: unknown): string => visibleForm([value], POSITIONS, OFFSETS);
    for (const [facts, other] of [
      [before, after],
      [after, before],
    ] as const) {
      for (const decl of facts.decls) {
        if (!changed.has(declKey(decl))) continue;
        named.names.add(decl.name);
        if (decl.kind === 'method') {
          if (decl.receiver) methods.push([decl.receiver.type, decl.name]);
        } else if (isType(decl)) {
          const counterpart = other.decls.find((candidate) => declKey(candidate) === declKey(decl));
          // What a type embeds (an interface's embeds, a struct's embedded fields), or is an alias of, brings
          // members of other types: the wider walk.
          if (decl.alias || (!counterpart && (decl.embeds.length > 0 || decl.fields.some((field) => field.embedded)))) return undefined;
          if (counterpart && (!isType(counterpart) || counterpart.alias || form(embedded(decl)) !== form(embedded(counterpart)))) return undefined;
          // An interface, or a type defined on another (which may be one), whose declaration changed may change which
          // types implement it and every interface embedding it: calls through those reach no name of it.
          if (decl.kind === 'interface' || decl.underlying || (counterpart && isType(counterpart) && (counterpart.kind === 'interface' || counterpart.underlying))) {
            return undefined;
          }
          const sameMethods = counterpart !== undefined && counterpart.kind === decl.kind;
          (sameMethods ? fieldTypes : methodTypes).add(decl.name);
        }
      }
      for (const variable of facts.vars) if (changed.has(`v ${variable.name}`)) named.names.add(variable.name);
    }
    for (const type of fieldTypes) {
      named.names.add(type);
      for (const facts of [before, after]) {
        for (const decl of facts.decls) if (isType(decl) && decl.name === type) for (const field of decl.fields) named.names.add(field.name);
      }
    }
    for (const [type, method] of methods) if (!methodTypes.has(type)) changedMethods.add(method);
    // A type added, removed or of another kind may satisfy other interfaces: every method of it, in both versions,
    // is a name through which a call can reach it (an interface a type satisfies has only methods the type has).
    for (const type of methodTypes) {
      named.names.add(type);
      const members = new Set<string>();
      for (const facts of [before, after]) {
        for (const decl of facts.decls) {
          if (decl.kind === 'method' && decl.receiver?.type === type) members.add(decl.name);
          if (isType(decl) && decl.name === type) {
            for (const field of decl.fields) named.names.add(field.name);
            for (const method of decl.methods) members.add(method.name);
          }
        }
      }
      // Methods declared on it in the package's other files: a type removed leaves them without an owner.
      for (const other of index.packages.values()) {
        if (other.importPath !== importPath && other.importPath !== `${importPath}_test`) continue;
        for (const file of other.files) for (const head of file.facts.heads) if (head.kind === 'method' && head.receiver === type) members.add(head.name);
      }
      for (const member of members) {
        named.names.add(member);
        named.methods.add(member);
      }
    }
  }
  // A method changed on a type that stays: calls of that name, and calls through every interface with a method of
  // that name (which the type may now implement, or no longer), whatever the interface's package.
  if (changedMethods.size > 0) {
    const oracle = new TypeOracle(index);
    for (const name of changedMethods) {
      named.names.add(name);
      named.methods.add(name);
    }
    for (const pkg of index.packages.values()) {
      for (const type of pkg.types.values()) {
        if (type.kind !== 'interface') continue;
        const full = oracle.interfaceMethods(type).map(({ method }) => method.name);
        if (!full.some((name) => changedMethods.has(name))) continue;
        for (const name of full) {
          named.names.add(name);
          named.methods.add(name);
        }
      }
    }
  }
  // A package variable's type is inferred from its value: one naming a changed name may have changed too.
  for (let grew = true; grew; ) {
    grew = false;
    for (const pkg of index.packages.values()) {
      for (const [name, { variable }] of pkg.vars) {
        if (named.names.has(name)) continue;
        const mentioned = new Set<string>();
        addVarNames(variable, mentioned);
        if ([...mentioned].some((item) => named.names.has(item))) {
          named.names.add(name);
          grew = true;
        }
      }
    }
  }
  return named;
}

/** Whether a file's facts hold one of `names`: an identifier, a selected member, a type's or a declaration's name. */
function mentions(file: FileInfo, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  const found = new Set<string>();
  for (const head of file.facts.heads) addHeadNames(head, found);
  for (const variable of file.facts.vars) addVarNames(variable, found);
  for (const decl of file.decls()) addDeclNames(decl, found);
  const local: Partial<GoFileFacts> = file.stored ? file.stored.loadLocal(['calls', 'bindings']) : file.facts;
  for (const binding of local.bindings ?? []) addBindingNames(binding, found);
  for (const call of local.calls ?? []) addCallNames(call, found);
  for (const name of found) if (names.has(name)) return true;
  return false;
}

function addHeadNames(head: GoDeclHead, into: Set<string>): void {
  into.add(head.name);
  if (head.receiver) into.add(head.receiver);
  for (const method of head.methods ?? []) into.add(method);
}

/** What a type declaration embeds: an interface's embedded types, a struct's embedded fields. */
function embedded(decl: GoTypeDecl): unknown[] {
  return [decl.embeds, decl.fields.filter((field) => field.embedded)];
}

function isType(decl: GoDecl): decl is GoTypeDecl {
  return decl.kind !== 'function' && decl.kind !== 'method';
}

function addDeclNames(decl: GoDecl, into: Set<string>): void {
  into.add(decl.name);
  if (!isType(decl)) {
    if (decl.receiver) into.add(decl.receiver.type);
    for (const type of decl.results) addTypeNames(type, into);
    for (const param of decl.params ?? []) addTypeNames(param.type, into);
    return;
  }
  for (const field of decl.fields) {
    into.add(field.name);
    addTypeNames(field.type, into);
  }
  for (const method of decl.methods) {
    into.add(method.name);
    for (const type of method.results) addTypeNames(type, into);
    for (const param of method.params) addTypeNames(param.type, into);
  }
  for (const type of decl.embeds) addTypeNames(type, into);
  if (decl.underlying) addTypeNames(decl.underlying, into);
}

function addVarNames(variable: GoPackageVar, into: Set<string>): void {
  into.add(variable.name);
  if (variable.type) addTypeNames(variable.type, into);
  if (variable.value) addExprNames(variable.value, into);
}

function addBindingNames(binding: GoBinding, into: Set<string>): void {
  into.add(binding.name);
  if (binding.type) addTypeNames(binding.type, into);
  if (binding.value) addExprNames(binding.value, into);
}

function addCallNames(call: GoCall, into: Set<string>): void {
  addExprNames(call.fn, into);
  for (const arg of call.args ?? []) addExprNames(arg, into);
}

function addTypeNames(type: TypeExpr, into: Set<string>): void {
  switch (type.k) {
    case 'named':
      into.add(type.name);
      return;
    case 'ptr':
    case 'slice':
    case 'chan':
      addTypeNames(type.elem, into);
      return;
    case 'map':
      addTypeNames(type.key, into);
      addTypeNames(type.value, into);
      return;
    case 'func':
      for (const result of type.results) addTypeNames(result, into);
      return;
    case 'struct':
      for (const field of type.fields) {
        into.add(field.name);
        addTypeNames(field.type, into);
      }
      return;
    default:
      return;
  }
}

/** Every name an expression holds: identifiers and selected members along its chain, and the types it names. */
function addExprNames(expr: Expr, into: Set<string>): void {
  walkCallee(expr, (part) => {
    switch (part.k) {
      case 'id':
      case 'sel':
        into.add(part.name);
        return;
      case 'lit':
      case 'new':
      case 'assert':
      case 'conv':
        addTypeNames(part.type, into);
        return;
      case 'funclit':
        for (const result of part.results) addTypeNames(result, into);
        return;
      default:
        return;
    }
  });
}
