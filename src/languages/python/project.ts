/**
 * The repository-wide view the Python resolver works on: every file with
 * its module name (packages are directories with __init__.py; `src/`
 * layouts and a repository that is itself a package are handled), its
 * declarations' ids, bindings by name, and class members.
 */
import { posix } from 'node:path';
import { formatSymbolId } from '../../model/symbol-id.js';
import { DescriptorCounter } from '../call-graph-builder.js';
import type { ResolveFile } from '../language.js';
import { shareScopes } from '../syntax-helpers.js';
import type { PyBinding, PyFileFacts } from './facts.js';

export interface PyFile {
  path: string;
  facts: PyFileFacts;
  /** Dotted module name: `pkg.sub.mod`; a package's __init__.py is `pkg.sub`. */
  module: string;
  isPackage: boolean;
  isTest: boolean;
  fileId: string;
  declIds: string[];
  qualifiedNames: string[];
  bindings: Map<string, PyBinding[]>;
  /** Class declaration index → member name → declaration indexes (methods, nested classes). */
  members: Map<number, Map<string, number[]>>;
}

export interface PyProject {
  files: Map<string, PyFile>;
  /** Module name → file, including the names a file has relative to the repository root and to src/. */
  byModule: Map<string, PyFile>;
  /** First components of the repository's own module names: an import of one of them never leaves the repository. */
  topLevel: Set<string>;
  /** Package directories ('' for the root) → dotted name. */
  packages: Map<string, string>;
  layout: ModuleLayout;
}

const TEST_DIRECTORIES = new Set(['tests', 'test']);

/** pytest's conventions: test_*.py, *_test.py, and files under tests/. */
export function isTestFile(path: string): boolean {
  const base = posix.basename(path);
  if (/^test_.*\.py$/.test(base) || /_test\.py$/.test(base)) return true;
  return path.split('/').slice(0, -1).some((segment) => TEST_DIRECTORIES.has(segment));
}

function directoryOf(path: string): string {
  const directory = posix.dirname(path);
  return directory === '.' ? '' : directory;
}

/** A repository that is itself a package (an __init__.py at its root) is named after the repository. */
function rootPackageName(repository: string): string {
  const last = repository.split('/').filter(Boolean).pop() ?? 'root';
  return last.replace(/\.git$/, '').replace(/[^A-Za-z0-9_]/g, '_');
}

/** Where every file sits in Python's module namespace; it depends on the paths alone. */
export interface ModuleLayout {
  /** Path → dotted module name, and whether the file is a package's __init__.py. */
  modules: Map<string, { module: string; isPackage: boolean }>;
  /** Module name → path, including the names a file has relative to the repository root and to src/. */
  byModule: Map<string, string>;
  topLevel: Set<string>;
  /** Package directories ('' for the root) → dotted name. */
  packages: Map<string, string>;
}

/**
 * The module layout of a set of paths. Where two files claim one name, the
 * first path in sorted order wins, so the layout depends on the set of paths
 * and not on the order a source listed them in.
 */
export function moduleLayout(repository: string, paths: Iterable<string>): ModuleLayout {
  const sorted = [...paths].sort();
  const present = new Set(sorted);
  const hasInit = (directory: string): boolean => present.has(directory === '' ? '__init__.py' : `${directory}/__init__.py`);
  const rootName = rootPackageName(repository);
  const layout: ModuleLayout = { modules: new Map(), byModule: new Map(), topLevel: new Set(), packages: new Map() };
  const aliases: Array<[string, string]> = [];
  for (const path of sorted) {
    const directory = directoryOf(path);
    const base = posix.basename(path, '.py');
    const isPackage = base === '__init__';
    const parts = isPackage ? [] : [base];
    let current = directory;
    while (current !== '' && hasInit(current)) {
      parts.unshift(posix.basename(current));
      current = directoryOf(current);
    }
    if (current === '' && hasInit('')) parts.unshift(rootName);
    const module = parts.join('.') || rootName;
    layout.modules.set(path, { module, isPackage });
    if (!layout.byModule.has(module)) layout.byModule.set(module, path);
    layout.topLevel.add(module.split('.')[0]!);
    if (isPackage) layout.packages.set(directory, module);
    // Other names the file is importable by: from the repository root, and from src/.
    const fromRoot = [...(directory ? directory.split('/') : []), ...(isPackage ? [] : [base])].join('.');
    if (fromRoot) aliases.push([fromRoot, path]);
    if (fromRoot.startsWith('src.')) aliases.push([fromRoot.slice(4), path]);
  }
  for (const [name, path] of aliases) if (!layout.byModule.has(name)) layout.byModule.set(name, path);
  return layout;
}

export function buildProject(repository: string, inputs: Array<ResolveFile<PyFileFacts>>): PyProject {
  const layout = moduleLayout(repository, inputs.map((input) => input.path));
  const project: PyProject = { files: new Map(), byModule: new Map(), topLevel: layout.topLevel, packages: layout.packages, layout };
  for (const input of inputs) {
    const { module, isPackage } = layout.modules.get(input.path)!;
    project.files.set(input.path, buildFile(input, module, isPackage));
  }
  for (const [name, path] of layout.byModule) project.byModule.set(name, project.files.get(path)!);
  return project;
}

export function buildFile(input: ResolveFile<PyFileFacts>, module: string, isPackage: boolean): PyFile {
  const facts = input.facts;
  const file: PyFile = {
    path: input.path,
    facts,
    module,
    isPackage,
    isTest: isTestFile(input.path),
    fileId: formatSymbolId({ language: 'py', path: input.path, descriptor: '' }),
    declIds: [],
    qualifiedNames: [],
    bindings: new Map(),
    members: new Map(),
  };
  const descriptors = new DescriptorCounter();
  facts.decls.forEach((decl, index) => {
    const qualifiedName = decl.parent >= 0 ? `${file.qualifiedNames[decl.parent]}.${decl.name}` : `${module}.${decl.name}`;
    file.qualifiedNames.push(qualifiedName);
    file.declIds.push(formatSymbolId({ language: 'py', path: input.path, descriptor: descriptors.next(qualifiedName) }));
    if (decl.parent >= 0 && facts.decls[decl.parent]!.kind === 'class') {
      let byName = file.members.get(decl.parent);
      if (!byName) file.members.set(decl.parent, (byName = new Map()));
      byName.set(decl.name, [...(byName.get(decl.name) ?? []), index]);
    }
  });
  shareScopes(facts.bindings);
  for (const binding of facts.bindings) {
    const list = file.bindings.get(binding.name);
    if (list) list.push(binding);
    else file.bindings.set(binding.name, [binding]);
  }
  return file;
}

/**
 * The binding `name` refers to at offset `at`: Python's scopes are whole
 * functions, so the innermost scope that binds the name decides, and in it
 * the latest binding before `at`. Code that runs later (`deferred`: inside
 * a function) sees a module-level name's last definition.
 */
export function bindingAt(file: PyFile, name: string, at: number, deferred: boolean): PyBinding | undefined {
  const candidates = (file.bindings.get(name) ?? []).filter((binding) => binding.scope[0] <= at && at < binding.scope[1]);
  if (candidates.length === 0) return undefined;
  let innermost = candidates[0]!.scope;
  for (const binding of candidates) {
    const scope = binding.scope;
    if (scope[0] > innermost[0] || (scope[0] === innermost[0] && scope[1] < innermost[1])) innermost = scope;
  }
  const inScope = candidates.filter((binding) => binding.scope[0] === innermost[0] && binding.scope[1] === innermost[1]).sort((a, b) => a.at - b.at);
  if (innermost[1] === Number.MAX_SAFE_INTEGER && deferred) {
    const definitions = inScope.filter((binding) => binding.decl !== undefined || binding.import !== undefined);
    return definitions[definitions.length - 1] ?? inScope[inScope.length - 1];
  }
  const before = inScope.filter((binding) => binding.at <= at);
  return before[before.length - 1] ?? inScope[0];
}

/** `from ..x import y` in `file` → the absolute module `..x` names; undefined past the top package. */
export function absoluteModule(file: Pick<PyFile, 'module' | 'isPackage'>, relative: string): string | undefined {
  const level = /^\.*/.exec(relative)![0].length;
  if (level === 0) return relative;
  const parts = file.module.split('.');
  if (!file.isPackage) parts.pop();
  for (let step = 1; step < level; step++) {
    if (parts.length === 0) return undefined;
    parts.pop();
  }
  const rest = relative.slice(level);
  if (parts.length === 0 && !rest) return undefined;
  return [...parts, ...(rest ? [rest] : [])].join('.');
}
