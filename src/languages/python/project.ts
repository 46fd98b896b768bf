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

export function buildProject(repository: string, inputs: Array<ResolveFile<PyFileFacts>>): PyProject {
  const paths = new Set(inputs.map((input) => input.path));
  const hasInit = (directory: string): boolean => paths.has(directory === '' ? '__init__.py' : `${directory}/__init__.py`);
  const rootName = rootPackageName(repository);
  const project: PyProject = { files: new Map(), byModule: new Map(), topLevel: new Set(), packages: new Map() };
  const aliases: Array<[string, PyFile]> = [];

  for (const input of inputs) {
    const directory = directoryOf(input.path);
    const base = posix.basename(input.path, '.py');
    const isPackage = base === '__init__';
    const parts = isPackage ? [] : [base];
    let current = directory;
    while (current !== '' && hasInit(current)) {
      parts.unshift(posix.basename(current));
      current = directoryOf(current);
    }
    if (current === '' && hasInit('')) parts.unshift(rootName);
    const module = parts.join('.') || rootName;
    const file = buildFile(input, module, isPackage);
    project.files.set(input.path, file);
    if (!project.byModule.has(module)) project.byModule.set(module, file);
    project.topLevel.add(module.split('.')[0]!);
    if (isPackage) project.packages.set(directory, module);
    // Other names the file is importable by: from the repository root, and from src/.
    const fromRoot = [...(directory ? directory.split('/') : []), ...(isPackage ? [] : [base])].join('.');
    if (fromRoot) aliases.push([fromRoot, file]);
    if (fromRoot.startsWith('src.')) aliases.push([fromRoot.slice(4), file]);
  }
  for (const [name, file] of aliases) if (!project.byModule.has(name)) project.byModule.set(name, file);
  return project;
}

function buildFile(input: ResolveFile<PyFileFacts>, module: string, isPackage: boolean): PyFile {
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
export function absoluteModule(file: PyFile, relative: string): string | undefined {
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
