/**
 * The repository-wide view the Go resolver works on: modules, packages (a
 * package is a directory, plus its external `_test` package), and per package
 * the functions, types, methods and variables declared in it.
 */
import { posix } from 'node:path';
import { formatSymbolId } from '../../model/symbol-id.js';
import type { ResolveFile } from '../language.js';
import type { GoDecl, GoDeclHead, GoFileFacts, GoFuncDecl, GoImport, GoPackageVar, GoTypeDecl } from './facts.js';
import { originModule } from './copied-code.js';
import { DeclCache } from './decl-cache.js';
import type { GoMod, VendoredModule } from './go-mod.js';

export interface GoModule {
  path: string;
  /** Directory of go.mod relative to the repository root ('' for the root). */
  directory: string;
  mod?: GoMod;
  manifest: string;
}

export interface FileInfo {
  path: string;
  facts: GoFileFacts;
  pkg: PackageInfo;
  /** Import alias → import path, for named and default imports. */
  imports: Map<string, string>;
  dotImports: string[];
  platformTags: Set<string>;
  isTest: boolean;
  /**
   * The file's declarations (facts.decls): in memory, or read back through
   * the index's DeclCache when the index keeps them out of memory. What
   * places and names them is `facts.heads`, always in memory. `scan`: the
   * caller reads every file once in order (DeclCache.reader).
   */
  decls(scan?: boolean): GoDecl[];
  /** Symbol id of each decl, by index into facts.decls. */
  declIds: string[];
  /** Symbol ids of an interface decl's methods, by decl index then method index. */
  interfaceMethodIds: Array<readonly string[]>;
  /** Symbol id of each subtest (by index into facts.subtests); undefined when it is not a subtest of a test. */
  subtestIds: Array<string | undefined>;
  fileId: string;
  /** Reads back the file's local facts when the index kept them out of memory (ResolveFile.loadLocal). */
  loadLocal?: (fields: readonly string[]) => Partial<GoFileFacts>;
}

/**
 * A function or method: its head is always in memory (a method's parameter
 * and result counts are known without reading its declaration), its
 * declaration is read when asked for (FileInfo.decls).
 */
export class FuncInfo {
  constructor(
    readonly id: string,
    readonly file: FileInfo,
    /** Index into the file's heads and decls. */
    readonly index: number,
  ) {}

  get head(): GoDeclHead {
    return this.file.facts.heads[this.index]!;
  }

  get decl(): GoFuncDecl {
    return this.file.decls()[this.index] as GoFuncDecl;
  }
}

/**
 * Functions (a package's, or a type's methods) by name. A name usually has
 * one, kept as itself rather than in a list of one: those lists were 4.6 MB
 * of a generated 1M-line repository's heap. Several when build-tagged files
 * each declare one.
 */
export class FuncTable {
  private readonly byName = new Map<string, FuncInfo | FuncInfo[]>();

  get(name: string): readonly FuncInfo[] | undefined {
    const found = this.byName.get(name);
    return found === undefined ? undefined : found instanceof FuncInfo ? [found] : found;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Whether this is the first function of that name. */
  add(name: string, fn: FuncInfo): boolean {
    const found = this.byName.get(name);
    if (found === undefined) this.byName.set(name, fn);
    else if (found instanceof FuncInfo) this.byName.set(name, [found, fn]);
    else found.push(fn);
    return found === undefined;
  }

  *entries(): Generator<[string, readonly FuncInfo[]]> {
    for (const name of this.byName.keys()) yield [name, this.get(name)!];
  }
}

/**
 * Shared by every type without methods of that kind until it gets one: two
 * empty maps per type were 4 MB of a 1M-line repository's heap, most types
 * having no declared methods or being no interface.
 */
const NO_METHODS = new FuncTable();
const NO_INTERFACE_METHODS: ReadonlyMap<string, never> = new Map<string, never>();

/** A type: what its head says is known without reading its declaration (FileInfo.decls). */
export class TypeInfo {
  /** Declared methods by name (several when build-tagged files each define one); see addMethod. */
  methods: Pick<FuncTable, 'get' | 'has' | 'entries'> = NO_METHODS;
  /** Interface methods by name → their symbol ids; see addInterfaceMethod. */
  interfaceMethods: ReadonlyMap<string, string> = NO_INTERFACE_METHODS;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly file: FileInfo,
    readonly pkg: PackageInfo,
    /** Index into the file's heads and decls. */
    readonly index: number,
  ) {}

  get kind(): GoTypeDecl['kind'] {
    return this.file.facts.heads[this.index]!.kind as GoTypeDecl['kind'];
  }

  /** `type T = U`. */
  get alias(): boolean {
    return this.file.facts.heads[this.index]!.alias === true;
  }

  get decl(): GoTypeDecl {
    return this.file.decls()[this.index] as GoTypeDecl;
  }

  /** Whether this is the type's first method of that name. */
  addMethod(name: string, method: FuncInfo): boolean {
    if (this.methods === NO_METHODS) this.methods = new FuncTable();
    return (this.methods as FuncTable).add(name, method);
  }

  /** The first declaration of an interface method name wins. */
  addInterfaceMethod(name: string, id: string): void {
    if (this.interfaceMethods === NO_INTERFACE_METHODS) this.interfaceMethods = new Map();
    const methods = this.interfaceMethods as Map<string, string>;
    if (!methods.has(name)) methods.set(name, id);
  }
}

export interface VarInfo {
  variable: GoPackageVar;
  file: FileInfo;
}

export interface PackageInfo {
  key: string;
  directory: string;
  name: string;
  importPath: string;
  module: string;
  /** Code of another module: under vendor/, or a recognisable copy (`copiedFrom`). */
  vendored: boolean;
  /** A hand-made copy: the import path its package doc names as origin, and the file that says so. */
  copiedFrom?: { path: string; file: string };
  files: FileInfo[];
  funcs: FuncTable;
  types: Map<string, TypeInfo>;
  vars: Map<string, VarInfo>;
}

export interface PackageIndex {
  modules: GoModule[];
  vendored: VendoredModule[];
  packages: Map<string, PackageInfo>;
  /** Import path → the (non-test) package with that path. */
  byImportPath: Map<string, PackageInfo>;
  files: FileInfo[];
  /** Method name → types (in the repository) that declare it; for interface dispatch and name-only guesses. */
  methodOwners: Map<string, TypeInfo[]>;
  /** Repository's own main module path (the root go.mod), for deciding what is "ours". */
  mainModule: string;
  /** The import path and module of the package in a directory (whether or not it holds files now). */
  locate(directory: string): { importPath: string; module: string; vendored: boolean };
}

const KNOWN_OS = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl',
  'netbsd', 'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos',
]);
const KNOWN_ARCH = new Set([
  '386', 'amd64', 'arm', 'arm64', 'loong64', 'mips', 'mips64', 'mips64le', 'mipsle', 'ppc64', 'ppc64le',
  'riscv64', 's390x', 'wasm', 'sparc64',
]);

/** GOOS/GOARCH tags a file is restricted to, from its name suffix and its //go:build line. */
export function platformTags(path: string, constraint: string | undefined): Set<string> {
  const tags = new Set<string>();
  const base = posix.basename(path, '.go').replace(/_test$/, '');
  const parts = base.split('_');
  const last = parts[parts.length - 1] ?? '';
  const beforeLast = parts[parts.length - 2] ?? '';
  if (parts.length > 1 && KNOWN_ARCH.has(last)) {
    tags.add(last);
    if (parts.length > 2 && KNOWN_OS.has(beforeLast)) tags.add(beforeLast);
  } else if (parts.length > 1 && KNOWN_OS.has(last)) tags.add(last);
  if (constraint) {
    // Positive mentions only: `linux && !arm` restricts to linux.
    for (const match of constraint.matchAll(/(!?)([A-Za-z0-9_.]+)/g)) {
      if (match[1] === '' && (KNOWN_OS.has(match[2]!) || KNOWN_ARCH.has(match[2]!))) tags.add(match[2]!);
    }
  }
  return tags;
}

/** The name a package gets when imported without an alias, when we cannot see the package itself. */
export function defaultImportName(importPath: string): string {
  const parts = importPath.split('/');
  let last = parts[parts.length - 1] ?? importPath;
  if (/^v[0-9]+$/.test(last) && parts.length > 1) last = parts[parts.length - 2]!;
  last = last.replace(/^go-/, '').replace(/[.-]go$/, '').replace(/\.v[0-9]+$/, '');
  return last.replace(/[^A-Za-z0-9_]/g, '_');
}

export function isTestFunctionName(name: string): boolean {
  if (name.startsWith('Example')) return true;
  const match = /^(Test|Benchmark|Fuzz)(.?)/.exec(name);
  if (!match) return false;
  const next = match[2] ?? '';
  return next === '' || !/[a-z]/.test(next);
}

export function qualifiedNameOf(pkgName: string, head: GoDeclHead): string {
  if (head.kind === 'method' && head.receiver) {
    const receiver = head.pointer ? `(*${head.receiver})` : head.receiver;
    return `${pkgName}.${receiver}.${head.name}`;
  }
  return `${pkgName}.${head.name}`;
}

interface BuildInput {
  repository: string;
  files: Array<ResolveFile<GoFileFacts>>;
  modules: GoModule[];
  vendored: VendoredModule[];
}

export function buildPackageIndex(input: BuildInput): PackageIndex {
  const modulesByDepth = [...input.modules].sort((a, b) => b.directory.length - a.directory.length);
  const rootModule = input.modules.find((module) => module.directory === '');
  const mainModule = rootModule?.path ?? input.repository;
  const vendoredModuleOf = (importPath: string): string => {
    let best = '';
    for (const module of input.vendored) {
      if ((importPath === module.path || importPath.startsWith(`${module.path}/`)) && module.path.length > best.length) {
        best = module.path;
      }
    }
    return best || importPath;
  };
  const locate = (directory: string): { importPath: string; module: string; vendored: boolean } => {
    const vendorAt = vendorPrefix(directory);
    if (vendorAt !== undefined) {
      const importPath = directory.slice(vendorAt);
      return { importPath, module: vendoredModuleOf(importPath), vendored: true };
    }
    const owner = modulesByDepth.find((m) => m.directory === '' || directory === m.directory || directory.startsWith(`${m.directory}/`));
    const base = owner?.path ?? input.repository;
    const relative = owner && owner.directory ? directory.slice(owner.directory.length).replace(/^\//, '') : directory;
    return { importPath: relative ? `${base}/${relative}` : base, module: owner?.path ?? input.repository, vendored: false };
  };
  const index: PackageIndex = {
    modules: input.modules,
    vendored: input.vendored,
    packages: new Map(),
    byImportPath: new Map(),
    files: [],
    methodOwners: new Map(),
    mainModule,
    locate,
  };
  const decls = new DeclCache();

  for (const file of input.files) {
    const directory = posix.dirname(file.path) === '.' ? '' : posix.dirname(file.path);
    const isTest = file.path.endsWith('_test.go');
    const { importPath, module, vendored } = index.locate(directory);
    const packageName = file.facts.package || posix.basename(directory) || 'main';
    const externalTest = isTest && packageName.endsWith('_test');
    const key = externalTest ? `${directory}#test` : directory;
    let pkg = index.packages.get(key);
    if (!pkg) {
      pkg = {
        key,
        directory,
        name: packageName,
        importPath: externalTest ? `${importPath}_test` : importPath,
        module,
        vendored,
        files: [],
        funcs: new FuncTable(),
        types: new Map(),
        vars: new Map(),
      };
      index.packages.set(key, pkg);
      if (!externalTest) index.byImportPath.set(importPath, pkg);
    } else if (!isTest && pkg.name !== packageName && pkg.files.every((f) => f.isTest)) {
      // The package's name is the non-test files' name.
      pkg.name = packageName;
    }
    const info: FileInfo = {
      path: file.path,
      facts: file.facts,
      pkg,
      imports: new Map(),
      dotImports: [],
      platformTags: platformTags(file.path, file.facts.buildConstraint),
      isTest,
      decls: file.loadLocal ? decls.reader(() => (file.loadLocal!(['decls']).decls ?? [])) : () => file.facts.decls,
      declIds: [],
      interfaceMethodIds: [],
      subtestIds: [],
      fileId: formatSymbolId({ language: 'go', path: file.path, descriptor: '' }),
    };
    if (file.loadLocal) info.loadLocal = file.loadLocal;
    pkg.files.push(info);
    index.files.push(info);
  }

  markCopies(index);
  // Imports need every package's name, so they come after all files are placed.
  for (const file of index.files) {
    for (const spec of file.facts.imports) addImport(index, file, spec);
    assignDeclarationIds(file);
  }
  for (const pkg of index.packages.values()) indexDeclarations(index, pkg);
  return index;
}

/** Offset just past the last `vendor/` segment of a directory, if it has one. */
function vendorPrefix(directory: string): number | undefined {
  if (directory.startsWith('vendor/')) {
    const inner = directory.lastIndexOf('/vendor/');
    return inner >= 0 ? inner + '/vendor/'.length : 'vendor/'.length;
  }
  const inner = directory.lastIndexOf('/vendor/');
  return inner >= 0 ? inner + '/vendor/'.length : undefined;
}

function addImport(index: PackageIndex, file: FileInfo, spec: GoImport): void {
  if (spec.alias === '_') return;
  if (spec.alias === '.') {
    file.dotImports.push(spec.path);
    return;
  }
  const alias = spec.alias ?? index.byImportPath.get(spec.path)?.name ?? defaultImportName(spec.path);
  file.imports.set(alias, spec.path);
}

function assignDeclarationIds(file: FileInfo): void {
  const seen = new Map<string, number>();
  const unique = (qualifiedName: string): string => {
    const count = (seen.get(qualifiedName) ?? 0) + 1;
    seen.set(qualifiedName, count);
    const descriptor = count === 1 ? qualifiedName : `${qualifiedName}~${count}`;
    return formatSymbolId({ language: 'go', path: file.path, descriptor });
  };
  const heads = file.facts.heads;
  file.declIds = heads.map((head) => unique(qualifiedNameOf(file.pkg.name, head)));
  // Interface methods share the file's namespace: a file may declare an interface twice (testdata does).
  file.interfaceMethodIds = heads.map((head) =>
    head.kind === 'interface' && head.methods ? head.methods.map((method) => unique(`${file.pkg.name}.${head.name}.${method}`)) : NO_IDS,
  );
  // Subtests are named as `go test -run` names them: spaces become underscores.
  file.subtestIds = file.facts.subtests.map((subtest) => {
    const owner = heads[subtest.owner];
    if (!file.isTest || !owner || owner.kind !== 'function' || !isTestFunctionName(owner.name)) return undefined;
    return unique(`${qualifiedNameOf(file.pkg.name, owner)}/${subtestName(subtest.name)}`);
  });
}

/** Shared by every declaration that is not an interface: one empty array per decl was 3.6 MB on a 1M-line repository. */
const NO_IDS: readonly string[] = Object.freeze([]) as readonly string[];

export function subtestName(name: string): string {
  return name.replace(/\s/g, '_');
}

/**
 * The innermost subtest whose function literal holds `offset`, if any: calls
 * there belong to the subtest rather than to the enclosing test.
 */
export function subtestAt(file: FileInfo, offset: number): string | undefined {
  let best: { id: string; start: number } | undefined;
  file.facts.subtests.forEach((subtest, index) => {
    const id = file.subtestIds[index];
    if (!id || offset < subtest.start || offset >= subtest.end) return;
    if (!best || subtest.start > best.start) best = { id, start: subtest.start };
  });
  return best?.id;
}

function indexDeclarations(index: PackageIndex, pkg: PackageInfo): void {
  const pendingMethods: Array<{ method: FuncInfo; receiver: string | undefined; name: string }> = [];
  for (const file of pkg.files) {
    file.facts.heads.forEach((head, declIndex) => {
      const id = file.declIds[declIndex]!;
      if (head.kind === 'function') {
        pkg.funcs.add(head.name, new FuncInfo(id, file, declIndex));
      } else if (head.kind === 'method') {
        pendingMethods.push({ method: new FuncInfo(id, file, declIndex), receiver: head.receiver, name: head.name });
      } else if (head.kind === 'struct' || head.kind === 'interface' || head.kind === 'type') {
        const type = new TypeInfo(id, head.name, file, pkg, declIndex);
        head.methods?.forEach((method, methodIndex) => type.addInterfaceMethod(method, file.interfaceMethodIds[declIndex]![methodIndex]!));
        // Build-tagged files may each declare the type; the first one wins for typing.
        if (!pkg.types.has(head.name)) pkg.types.set(head.name, type);
      }
    });
    for (const variable of file.facts.vars) {
      if (variable.name !== '_' && !pkg.vars.has(variable.name)) pkg.vars.set(variable.name, { variable, file });
    }
  }
  for (const { method, receiver, name } of pendingMethods) {
    const type = receiver ? pkg.types.get(receiver) : undefined;
    if (!type) continue;
    if (!type.addMethod(name, method)) continue;
    // A type's first method of this name makes it an owner (a scan of the owners was quadratic in
    // a repository where thousands of types declare the same method name).
    const owners = index.methodOwners.get(name);
    if (owners) owners.push(type);
    else index.methodOwners.set(name, [type]);
  }
}

export const TESTIFY_SUITE = 'github.com/stretchr/testify/suite';

/** Does the struct embed testify's `suite.Suite`? Its `Test…` methods then run as tests. */
export function isTestifySuite(type: TypeInfo): boolean {
  return type.decl.fields.some((field) => {
    if (!field.embedded) return false;
    const named = field.type.k === 'ptr' ? field.type.elem : field.type;
    return named.k === 'named' && named.name === 'Suite' && !!named.pkg && type.file.imports.get(named.pkg) === TESTIFY_SUITE;
  });
}

/**
 * Packages whose doc comment names the code they were copied from belong to
 * that module (copied-code.ts). The first file in path order that says so
 * decides, so the answer does not depend on the order files were listed in.
 */
function markCopies(index: PackageIndex): void {
  const known = [
    ...index.modules.flatMap((module) => (module.mod?.requires ?? []).map((require) => require.path)),
    ...index.vendored.map((module) => module.path),
  ];
  const own = new Set(index.modules.map((module) => module.path));
  for (const pkg of index.packages.values()) {
    if (pkg.vendored) continue;
    const declaring = pkg.files.filter((file) => !file.isTest && file.facts.copiedFrom).sort((a, b) => (a.path < b.path ? -1 : 1))[0];
    if (!declaring) continue;
    const path = declaring.facts.copiedFrom!;
    const module = originModule(path, known);
    // A repository's own code that calls itself a copy of itself is just its own code.
    if (own.has(module) || module === index.mainModule) continue;
    pkg.copiedFrom = { path, file: declaring.path };
    pkg.module = module;
    pkg.vendored = true;
  }
}
