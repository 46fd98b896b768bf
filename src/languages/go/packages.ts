/**
 * The repository-wide view the Go resolver works on: modules, packages (a
 * package is a directory, plus its external `_test` package), and per package
 * the functions, types, methods and variables declared in it.
 */
import { posix } from 'node:path';
import { formatSymbolId } from '../../model/symbol-id.js';
import type { ResolveFile, StoredFacts } from '../language.js';
import type { GoDecl, GoDeclHead, GoFileFacts, GoFuncDecl, GoPackageVar, GoTypeDecl } from './facts.js';
import { originModule } from './copied-code.js';
import { DeclCache, declCount, type Slot } from './decl-cache.js';
import type { GoMod, VendoredModule } from './go-mod.js';

export interface GoModule {
  path: string;
  /** Directory of go.mod relative to the repository root ('' for the root). */
  directory: string;
  mod?: GoMod;
  manifest: string;
}

/** A file's facts as the resolver reads them, with the names its imports bind (made when first asked for). */
interface FileView {
  facts: GoFileFacts;
  imports?: Map<string, string>;
  dotImports?: string[];
}

/** A file's weight in the cache: its declarations. */
const viewWeight = (view: FileView): number => view.facts.heads.length;

/** The package name an import path binds when imported without an alias, if the repository has that package. */
type PackageNames = (importPath: string) => string | undefined;

/**
 * A Go file of the index. What places and names its declarations (path,
 * package, first declaration number) is kept; its facts are kept too, or,
 * when the index can read them back (StoredFacts.loadFacts), held in the
 * index's cache within a budget and read again when asked for: a
 * generated 2M-line repository's heads, imports and package variables were
 * a third of what the index held while the calls were written, growing
 * with it.
 */
export class FileInfo {
  /** The file's symbol ids, only when one of its names is declared twice (see FileIds). */
  ids?: FileIds;
  /** Number of the file's first declaration in the index (DeclNumbers). */
  firstDecl = 0;
  /** How many declarations (heads) the file has, known without its facts. */
  readonly declCount: number;
  readonly fileId: string;
  /** Reads the file's local facts (and facts) back when the index keeps them out of memory (ResolveFile.stored). */
  stored?: StoredFacts<GoFileFacts>;
  /** The facts, when they are kept rather than read back. */
  private held: FileView | undefined;
  /** Otherwise the cache they are read back through, and their place in it. */
  private cache: DeclCache | undefined;
  private slot: Slot | undefined;
  /** The cache the declarations are read back through when the index keeps them out of memory (stored), and their place in it. */
  private declCache: DeclCache | undefined;
  private declSlot: Slot | undefined;
  /** Facts with some local fields read back, or the facts a scan read, while the file is worked on (pin). */
  private pinned: GoFileFacts | undefined;

  constructor(
    readonly path: string,
    facts: GoFileFacts,
    readonly pkg: PackageInfo,
    readonly isTest: boolean,
    readonly platformTags: ReadonlySet<string>,
    private readonly names: PackageNames,
  ) {
    this.held = { facts };
    this.declCount = facts.heads.length;
    this.fileId = formatSymbolId({ language: 'go', path, descriptor: '' });
  }

  /**
   * The file's declarations (facts.decls): in memory, or read back through
   * `cache` once the index keeps them out of memory (readDeclsThrough).
   * `scan`: the caller reads every file once in order (DeclCache.fill).
   */
  decls(scan = false): readonly GoDecl[] {
    const slot = this.declSlot;
    if (!slot) return this.facts.decls;
    if (slot.value !== undefined) {
      slot.used = true;
      return slot.value as readonly GoDecl[];
    }
    return this.declCache!.fill(slot, () => this.stored!.loadLocal(['decls']).decls ?? [], declCount, scan);
  }

  /** From now on the declarations are read back with `stored` through `cache`, the facts' local field `decls` being left out. */
  readDeclsThrough(cache: DeclCache, stored: StoredFacts<GoFileFacts>): void {
    this.stored = stored;
    this.declCache = cache;
    this.declSlot = cache.slot();
  }

  get facts(): GoFileFacts {
    return this.pinned ?? this.view().facts;
  }

  /** Import alias → import path, for named and default imports. */
  get imports(): Map<string, string> {
    const view = this.view();
    if (!view.imports) this.bindImports(view);
    return view.imports!;
  }

  get dotImports(): string[] {
    const view = this.view();
    if (!view.dotImports) this.bindImports(view);
    return view.dotImports!;
  }

  /**
   * From now on the facts are read through `cache` with `stored` (whose
   * loadFacts the index can call again and again) rather than kept; those
   * in hand stay in the cache while there is room.
   */
  readBackThrough(cache: DeclCache, stored: StoredFacts<GoFileFacts>): void {
    this.stored = stored;
    this.cache = cache;
    this.slot = cache.slot();
    cache.offer(this.slot, this.held!, viewWeight);
    this.held = undefined;
  }

  /**
   * While the caller works on this one file: its facts with these local
   * fields read back (`local`), or as a scan reads them (`scan`: every file
   * once, in order); `release` lets them go.
   */
  pin(local?: Partial<GoFileFacts>, scan = false): void {
    const facts = this.view(scan).facts;
    this.pinned = local ? { ...facts, ...local } : facts;
  }

  release(): void {
    this.pinned = undefined;
  }

  // Looked at on every use of the facts, so without a closure call while they are in memory.
  private view(scan = false): FileView {
    if (this.held) return this.held;
    const slot = this.slot!;
    if (slot.value !== undefined) {
      slot.used = true;
      return slot.value as FileView;
    }
    const stored = this.stored!;
    return this.cache!.fill(slot, () => ({ facts: stored.loadFacts() }), viewWeight, scan);
  }

  private bindImports(view: FileView): void {
    view.imports = new Map();
    view.dotImports = [];
    for (const spec of view.facts.imports) {
      if (spec.alias === '_') continue;
      if (spec.alias === '.') view.dotImports.push(spec.path);
      else view.imports.set(spec.alias ?? this.names(spec.path) ?? defaultImportName(spec.path), spec.path);
    }
  }
}

/**
 * A function or method: its head is always in memory (a method's parameter
 * and result counts are known without reading its declaration), its
 * declaration is read when asked for (FileInfo.decls).
 */
export class FuncInfo {
  constructor(
    readonly file: FileInfo,
    /** Index into the file's heads and decls. */
    readonly index: number,
    /** The numbers it was found by, which remember the ids of functions called lately. */
    private readonly numbers?: DeclNumbers,
  ) {}

  get id(): string {
    return this.numbers ? this.numbers.id(this) : declId(this.file, this.index);
  }

  get head(): GoDeclHead {
    return this.file.facts.heads[this.index]!;
  }

  get decl(): GoFuncDecl {
    return this.file.decls()[this.index] as GoFuncDecl;
  }
}

/**
 * Every declaration of the index by one number: its file's `firstDecl` plus
 * its index in the file. Tables keep these numbers rather than a FuncInfo
 * object a function (4 MB of a generated 1M-line repository's heap): a
 * number below 2^31 is stored in place.
 */
export class DeclNumbers {
  private files: readonly FileInfo[] = [];
  private firsts = new Int32Array(0);
  /**
   * Ids of functions found lately, by number: a popular callee's id is made
   * once rather than at each call, and handed to the writer as the same
   * string (SymbolNumbers looks such a string up cheaply). Bounded, so it
   * does not grow with the repository.
   */
  private readonly ids = new Map<number, string>();

  /** Numbers the files' declarations, in order; called once every file is placed. */
  seal(files: readonly FileInfo[]): void {
    this.files = files;
    this.firsts = new Int32Array(files.length);
    let next = 0;
    files.forEach((file, i) => {
      file.firstDecl = next;
      this.firsts[i] = next;
      next += file.declCount;
    });
    if (next > 0x7fffffff) throw new Error(`too many Go declarations in one index: ${next}`);
  }

  func(decl: number): FuncInfo {
    const file = this.fileOf(decl);
    return new FuncInfo(file, decl - file.firstDecl, this);
  }

  /** The head of any declaration. */
  head(decl: number): GoDeclHead {
    const file = this.fileOf(decl);
    return file.facts.heads[decl - file.firstDecl]!;
  }

  /** The file that declares it. */
  fileOf(decl: number): FileInfo {
    // The last file whose first number is at most `decl` (files without declarations share their first number).
    let low = 0;
    let high = this.firsts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.firsts[middle]! <= decl) low = middle;
      else high = middle - 1;
    }
    return this.files[low]!;
  }

  id(fn: FuncInfo): string {
    const decl = fn.file.firstDecl + fn.index;
    let id = this.ids.get(decl);
    if (id === undefined) {
      if (this.ids.size >= RECENT_IDS) this.ids.clear();
      id = declId(fn.file, fn.index);
      this.ids.set(decl, id);
    }
    return id;
  }
}

const RECENT_IDS = 4096;

/** Names a FuncTable scans before it keeps a Map. */
const SMALL_TABLE = 8;

/**
 * Functions (a package's, or a type's methods) by name, as declaration
 * numbers (DeclNumbers). A name usually has one, kept as itself rather than
 * in a list of one: those lists were 4.6 MB of a generated 1M-line
 * repository's heap. Several when build-tagged files each declare one. A
 * table of a few names (most types' methods) is a list scanned rather than
 * a Map: a Map a type was 3 MB of a generated 1M-line repository's heap.
 */
export class FuncTable {
  /** Up to SMALL_TABLE names: name, decls, name, decls… in the order added; then `byName`. */
  private small: Array<string | number | number[]> | undefined = [];
  private byName: Map<string, number | number[]> | undefined;

  constructor(private readonly numbers: DeclNumbers) {}

  get(name: string): readonly FuncInfo[] | undefined {
    const found = this.find(name);
    if (found === undefined) return undefined;
    return typeof found === 'number' ? [this.numbers.func(found)] : found.map((decl) => this.numbers.func(decl));
  }

  has(name: string): boolean {
    return this.find(name) !== undefined;
  }

  /** Adds a function by its declaration number; whether it is the first of that name. */
  add(name: string, decl: number): boolean {
    const found = this.find(name);
    if (found === undefined) this.put(name, decl);
    else if (typeof found === 'number') this.put(name, [found, decl]);
    else found.push(decl);
    return found === undefined;
  }

  *entries(): Generator<[string, readonly FuncInfo[]]> {
    const names = this.small ? this.small.filter((_, i) => i % 2 === 0) : this.byName!.keys();
    for (const name of names) yield [name as string, this.get(name as string)!];
  }

  private find(name: string): number | number[] | undefined {
    const small = this.small;
    if (!small) return this.byName!.get(name);
    for (let i = 0; i < small.length; i += 2) if (small[i] === name) return small[i + 1] as number | number[];
    return undefined;
  }

  private put(name: string, decls: number | number[]): void {
    const small = this.small;
    if (small) {
      for (let i = 0; i < small.length; i += 2) {
        if (small[i] === name) {
          small[i + 1] = decls;
          return;
        }
      }
      if (small.length < SMALL_TABLE * 2) {
        // Of its exact size: a list grown by push keeps room for 17 entries from the first.
        const grown: Array<string | number | number[]> = new Array(small.length + 2);
        for (let i = 0; i < small.length; i++) grown[i] = small[i]!;
        grown[small.length] = name;
        grown[small.length + 1] = decls;
        this.small = grown;
        return;
      }
      this.byName = new Map();
      for (let i = 0; i < small.length; i += 2) this.byName.set(small[i] as string, small[i + 1] as number | number[]);
      this.small = undefined;
    }
    this.byName!.set(name, decls);
  }
}

/** Shared by every type without declared methods (most). */
const NO_METHODS = new FuncTable(new DeclNumbers());

/**
 * A type: its file and index, and what its head says (kind, alias,
 * interface method names) read from there. Made when asked for
 * (PackageInfo.types), so one type may be several TypeInfo objects: `is`
 * tells. Its declared methods are its package's (PackageInfo.methodsOf).
 */
export class TypeInfo {
  constructor(
    readonly name: string,
    readonly file: FileInfo,
    readonly pkg: PackageInfo,
    /** Index into the file's heads and decls. */
    readonly index: number,
  ) {}

  /** Its declaration's number (DeclNumbers). */
  get number(): number {
    return this.file.firstDecl + this.index;
  }

  /** Whether both are the same declaration. */
  is(other: TypeInfo): boolean {
    return this === other || (this.file === other.file && this.index === other.index);
  }

  /** Declared methods by name (several when build-tagged files each define one). */
  get methods(): Pick<FuncTable, 'get' | 'has' | 'entries'> {
    return this.pkg.methodsOf(this.number) ?? NO_METHODS;
  }

  /** The symbol id of the interface method of that name (the first of that name, should the declaration repeat it). */
  interfaceMethod(name: string): string | undefined {
    const method = this.file.facts.heads[this.index]!.methods?.indexOf(name) ?? -1;
    return method < 0 ? undefined : interfaceMethodId(this.file, this.index, method);
  }

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
}

/**
 * Method name → the (type, method) pairs of the repository that declare it,
 * as declaration numbers (DeclNumbers), in the order they were indexed: the
 * types that own a method name without the types themselves, whose tables
 * (PackageInfo) come and go. Interface dispatch and name-only guesses scan
 * it; no package's tables are built for that. Sealed into one array once
 * every package is indexed (8 bytes a method, where a TypeInfo a type with
 * its method tables was ~400 and grew with the repository).
 */
export class MethodOwners {
  /** While indexing: name → type, method, type, method… */
  private adding: Map<string, number[]> | undefined = new Map();
  /** Once sealed: name → offset in `pairs` of its count, then its pairs. */
  private readonly at = new Map<string, number>();
  private pairs = new Int32Array(0);

  add(name: string, typeDecl: number, methodDecl: number): void {
    const pairs = this.adding!.get(name);
    if (pairs) pairs.push(typeDecl, methodDecl);
    else this.adding!.set(name, [typeDecl, methodDecl]);
  }

  seal(): void {
    let size = 0;
    for (const pairs of this.adding!.values()) size += pairs.length + 1;
    this.pairs = new Int32Array(size);
    let next = 0;
    for (const [name, pairs] of this.adding!) {
      this.at.set(name, next);
      this.pairs[next++] = pairs.length / 2;
      this.pairs.set(pairs, next);
      next += pairs.length;
    }
    this.adding = undefined;
  }

  /** How many methods of that name the repository's types declare. */
  count(name: string): number {
    const at = this.at.get(name);
    return at === undefined ? 0 : this.pairs[at]!;
  }

  /** The methods (declaration numbers) of that name a type declares (several in build-tagged files), or all types when none is named. */
  methods(name: string, typeDecl?: number): number[] {
    const methods: number[] = [];
    this.forEach(name, (type, method) => {
      if (typeDecl === undefined || type === typeDecl) methods.push(method);
    });
    return methods;
  }

  /** Each (type, method) pair of that name, in the order indexed. */
  forEach(name: string, visit: (typeDecl: number, methodDecl: number) => void): void {
    const at = this.at.get(name);
    if (at === undefined) return;
    const end = at + 1 + 2 * this.pairs[at]!;
    for (let i = at + 1; i < end; i += 2) visit(this.pairs[i]!, this.pairs[i + 1]!);
  }
}

/** A package-level var or const: the file and its index there, the variable itself read from the file's facts when asked for. */
export class VarInfo {
  constructor(
    readonly file: FileInfo,
    private readonly index: number,
  ) {}

  get variable(): GoPackageVar {
    return this.file.facts.vars[this.index]!;
  }
}

/** What a package declares by name, but for its types (declare). */
interface Declared {
  funcs: FuncTable;
  vars: Map<string, VarInfo>;
  /** A type's declaration number → its declared methods, for types that have some. */
  methods: Map<number, FuncTable>;
  /** Its weight in the cache: the package's declarations and variables. */
  weight: number;
}

const declaredWeight = (declared: Declared): number => declared.weight;

/**
 * The types a package declares: name → declaration number, kept while the
 * package's other tables come and go; a TypeInfo is made when asked for.
 * Build-tagged files may each declare a type: the first one wins.
 */
export class PackageTypes {
  private readonly decls = new Map<string, number>();

  constructor(
    private readonly pkg: PackageInfo,
    private readonly numbers: DeclNumbers,
  ) {}

  add(name: string, decl: number): void {
    if (!this.decls.has(name)) this.decls.set(name, decl);
  }

  get(name: string): TypeInfo | undefined {
    const decl = this.decls.get(name);
    return decl === undefined ? undefined : this.typeAt(name, decl);
  }

  has(name: string): boolean {
    return this.decls.has(name);
  }

  /** The type's declaration number, without making a TypeInfo. */
  number(name: string): number | undefined {
    return this.decls.get(name);
  }

  *values(): Generator<TypeInfo> {
    for (const [name, decl] of this.decls) yield this.typeAt(name, decl);
  }

  private typeAt(name: string, decl: number): TypeInfo {
    const file = this.numbers.fileOf(decl);
    return new TypeInfo(name, file, this.pkg, decl - file.firstDecl);
  }
}

/**
 * A package: what places it (directory, import path, module, files) and its
 * types' names and declaration numbers are kept; its other tables
 * (functions, variables, types' methods) are built from its files' heads
 * when asked for and kept in the index's cache within a budget of
 * declarations, the least recently used packages' let go by the clock rule.
 * Why: those tables, with a TypeInfo a type, were most of what the index
 * held that grew with the repository (~5 MB a million generated lines),
 * while a file's resolution looks in its own package and its imports'. The
 * types stay because comparing signatures for interface dispatch resolves
 * type names in every package that has a method of that name (building
 * their tables again for that made the Go standard library's index 60%
 * slower); anything else that must see every package reads MethodOwners.
 */
export class PackageInfo {
  /** A hand-made copy: the import path its package doc names as origin, and the file that says so. */
  copiedFrom?: { path: string; file: string };
  readonly files: FileInfo[] = [];
  readonly types: PackageTypes;
  private readonly slot: Slot;

  constructor(
    readonly key: string,
    readonly directory: string,
    public name: string,
    readonly importPath: string,
    public module: string,
    /** Code of another module: under vendor/, or a recognisable copy (`copiedFrom`). */
    public vendored: boolean,
    private readonly tables: DeclCache,
    private readonly numbers: DeclNumbers,
  ) {
    this.slot = tables.slot();
    this.types = new PackageTypes(this, numbers);
  }

  get funcs(): Pick<FuncTable, 'get' | 'has' | 'entries'> {
    return this.declared().funcs;
  }

  get vars(): ReadonlyMap<string, VarInfo> {
    return this.declared().vars;
  }

  /** The declared methods of the package's type of that number, if it has any. */
  methodsOf(typeDecl: number): FuncTable | undefined {
    return this.declared().methods.get(typeDecl);
  }

  /** Builds the tables as the index is built, calling `method` with each method a type of the package owns. */
  indexDeclarations(method: (name: string, typeDecl: number, methodDecl: number) => void): void {
    for (const file of this.files) {
      file.facts.heads.forEach((head, declIndex) => {
        if (head.kind === 'struct' || head.kind === 'interface' || head.kind === 'type') this.types.add(head.name, file.firstDecl + declIndex);
      });
    }
    this.tables.offer(this.slot, this.declare(method), declaredWeight);
  }

  private declared(): Declared {
    const slot = this.slot;
    if (slot.value !== undefined) {
      slot.used = true;
      return slot.value as Declared;
    }
    return this.tables.fill(slot, () => this.declare(), declaredWeight, false);
  }

  /** The tables from the files' heads, in file order (the same every time they are built again). */
  private declare(method?: (name: string, typeDecl: number, methodDecl: number) => void): Declared {
    const declared: Declared = { funcs: new FuncTable(this.numbers), vars: new Map(), methods: new Map(), weight: 0 };
    // Methods once every type is known (a method may precede its type's file): heads and declaration numbers,
    // the heads kept rather than read again (their file may have left the facts' cache meanwhile).
    const pendingHeads: GoDeclHead[] = [];
    const pendingDecls: number[] = [];
    for (const file of this.files) {
      const facts = file.facts;
      declared.weight += facts.heads.length + facts.vars.length;
      facts.heads.forEach((head, declIndex) => {
        if (head.kind === 'function') declared.funcs.add(head.name, file.firstDecl + declIndex);
        else if (head.kind === 'method') {
          pendingHeads.push(head);
          pendingDecls.push(file.firstDecl + declIndex);
        }
      });
      facts.vars.forEach((variable, varIndex) => {
        if (variable.name !== '_' && !declared.vars.has(variable.name)) declared.vars.set(variable.name, new VarInfo(file, varIndex));
      });
    }
    pendingHeads.forEach((head, i) => {
      const methodDecl = pendingDecls[i]!;
      const typeDecl = head.receiver ? this.types.number(head.receiver) : undefined;
      if (typeDecl === undefined) return;
      let methods = declared.methods.get(typeDecl);
      if (!methods) declared.methods.set(typeDecl, (methods = new FuncTable(this.numbers)));
      methods.add(head.name, methodDecl);
      method?.(head.name, typeDecl, methodDecl);
    });
    return declared;
  }
}

export interface PackageIndex {
  modules: GoModule[];
  vendored: VendoredModule[];
  packages: Map<string, PackageInfo>;
  /** Import path → the (non-test) package with that path. */
  byImportPath: Map<string, PackageInfo>;
  files: FileInfo[];
  /** Method name → types (in the repository) that declare it; for interface dispatch and name-only guesses. */
  methodOwners: MethodOwners;
  /** Every declaration by number (for MethodOwners' numbers). */
  numbers: DeclNumbers;
  /** Where the packages keep their tables of names (PackageInfo), within the budget of declarations. */
  tables: DeclCache;
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

/**
 * The import path and module of the package in a directory. Made apart from
 * buildPackageIndex, as every function the index keeps is: a closure made
 * there would share the context that holds its input (every file's facts,
 * which the index lets go once built).
 */
function locator(repository: string, modules: readonly GoModule[], vendored: readonly VendoredModule[]): PackageIndex['locate'] {
  const modulesByDepth = [...modules].sort((a, b) => b.directory.length - a.directory.length);
  const vendoredModuleOf = (importPath: string): string => {
    let best = '';
    for (const module of vendored) {
      if ((importPath === module.path || importPath.startsWith(`${module.path}/`)) && module.path.length > best.length) {
        best = module.path;
      }
    }
    return best || importPath;
  };
  return (directory) => {
    const vendorAt = vendorPrefix(directory);
    if (vendorAt !== undefined) {
      const importPath = directory.slice(vendorAt);
      return { importPath, module: vendoredModuleOf(importPath), vendored: true };
    }
    const owner = modulesByDepth.find((m) => m.directory === '' || directory === m.directory || directory.startsWith(`${m.directory}/`));
    const base = owner?.path ?? repository;
    const relative = owner && owner.directory ? directory.slice(owner.directory.length).replace(/^\//, '') : directory;
    return { importPath: relative ? `${base}/${relative}` : base, module: owner?.path ?? repository, vendored: false };
  };
}

export function buildPackageIndex(input: BuildInput): PackageIndex {
  const rootModule = input.modules.find((module) => module.directory === '');
  const mainModule = rootModule?.path ?? input.repository;
  const locate = locator(input.repository, input.modules, input.vendored);
  const index: PackageIndex = {
    modules: input.modules,
    vendored: input.vendored,
    packages: new Map(),
    byImportPath: new Map(),
    files: [],
    methodOwners: new MethodOwners(),
    numbers: new DeclNumbers(),
    tables: new DeclCache(),
    mainModule,
    locate,
  };
  const decls = new DeclCache();
  const { tables, numbers } = index;
  const names = packageNames(index.byImportPath);

  for (const file of input.files) {
    const directory = posix.dirname(file.path) === '.' ? '' : posix.dirname(file.path);
    const isTest = file.path.endsWith('_test.go');
    const { importPath, module, vendored } = index.locate(directory);
    const packageName = file.facts.package || posix.basename(directory) || 'main';
    const externalTest = isTest && packageName.endsWith('_test');
    const key = externalTest ? `${directory}#test` : directory;
    let pkg = index.packages.get(key);
    if (!pkg) {
      pkg = new PackageInfo(key, directory, packageName, externalTest ? `${importPath}_test` : importPath, module, vendored, tables, numbers);
      index.packages.set(key, pkg);
      if (!externalTest) index.byImportPath.set(importPath, pkg);
    } else if (!isTest && pkg.name !== packageName && pkg.files.every((f) => f.isTest)) {
      // The package's name is the non-test files' name.
      pkg.name = packageName;
    }
    const tags = platformTags(file.path, file.facts.buildConstraint);
    const info = new FileInfo(file.path, file.facts, pkg, isTest, tags.size > 0 ? tags : NO_TAGS, names);
    if (file.stored) info.readDeclsThrough(decls, file.stored);
    pkg.files.push(info);
    index.files.push(info);
  }

  numbers.seal(index.files);
  markCopies(index);
  for (const file of index.files) assignDeclarationIds(file);
  const owners = index.methodOwners;
  for (const pkg of index.packages.values()) {
    // Each method a type declares is a (type, method) pair of its name, for what must see every package's types.
    pkg.indexDeclarations((name, typeDecl, methodDecl) => owners.add(name, typeDecl, methodDecl));
  }
  owners.seal();
  // Indexed: from now on what the index needs of a file's facts it reads back when it can, within the budget.
  const facts = new DeclCache();
  input.files.forEach((file, i) => {
    if (file.stored?.factsReadBack) index.files[i]!.readBackThrough(facts, file.stored);
  });
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

/**
 * Imports bind names only once every package is placed: a file's import
 * names are made when first asked for (made apart: see locator).
 */
function packageNames(byImportPath: ReadonlyMap<string, PackageInfo>): PackageNames {
  return (importPath) => byImportPath.get(importPath)?.name;
}

/** Shared by every file not restricted to a platform (most). */
const NO_TAGS: ReadonlySet<string> = new Set<string>();

/** A file's symbol ids, kept when the file declares a name twice (FileInfo.ids). */
interface FileIds {
  decls: string[];
  interfaceMethods: Array<readonly string[]>;
  subtests: Array<string | undefined>;
}

/**
 * A file's names, in the order ids are given: its declarations, its
 * interfaces' methods, its subtests. The same name again gets `~2`, `~3`…
 * (a file may declare an interface twice: testdata does). Ids are kept only
 * for a file where that happens; any other file's are made when asked for.
 */
function assignDeclarationIds(file: FileInfo): void {
  const heads = file.facts.heads;
  const names = new Set<string>();
  let repeated = false;
  const see = (qualifiedName: string): void => {
    if (names.has(qualifiedName)) repeated = true;
    names.add(qualifiedName);
  };
  heads.forEach((_, index) => see(declName(file, index)));
  heads.forEach((head) => head.kind === 'interface' && head.methods?.forEach((method) => see(`${file.pkg.name}.${head.name}.${method}`)));
  file.facts.subtests.forEach((_, index) => {
    if (isSubtestOfTest(file, index)) see(subtestDescriptor(file, index));
  });
  if (!repeated) return;
  const seen = new Map<string, number>();
  const unique = (qualifiedName: string): string => {
    const count = (seen.get(qualifiedName) ?? 0) + 1;
    seen.set(qualifiedName, count);
    const descriptor = count === 1 ? qualifiedName : `${qualifiedName}~${count}`;
    return formatSymbolId({ language: 'go', path: file.path, descriptor });
  };
  const decls = heads.map((_, index) => unique(declName(file, index)));
  const interfaceMethods = heads.map((head) =>
    head.kind === 'interface' && head.methods ? head.methods.map((method) => unique(`${file.pkg.name}.${head.name}.${method}`)) : NO_IDS,
  );
  const subtests = file.facts.subtests.map((_, index) => (isSubtestOfTest(file, index) ? unique(subtestDescriptor(file, index)) : undefined));
  file.ids = { decls, interfaceMethods, subtests };
}

function declName(file: FileInfo, index: number): string {
  return qualifiedNameOf(file.pkg.name, file.facts.heads[index]!);
}

/** Subtests are named as `go test -run` names them: spaces become underscores. */
function subtestDescriptor(file: FileInfo, index: number): string {
  const subtest = file.facts.subtests[index]!;
  return `${qualifiedNameOf(file.pkg.name, file.facts.heads[subtest.owner]!)}/${subtestName(subtest.name)}`;
}

/** A subtest is a symbol when it runs inside a test function of a test file. */
function isSubtestOfTest(file: FileInfo, index: number): boolean {
  const owner = file.facts.heads[file.facts.subtests[index]!.owner];
  return file.isTest && owner !== undefined && owner.kind === 'function' && isTestFunctionName(owner.name);
}

/** `fileId` is the id with an empty descriptor: `go:<path>:`. */
function goId(file: FileInfo, descriptor: string): string {
  return file.fileId + descriptor;
}

/** Symbol id of a declaration, by index into the file's heads and decls. */
export function declId(file: FileInfo, index: number): string {
  return file.ids ? file.ids.decls[index]! : goId(file, declName(file, index));
}

/** Symbol id of an interface declaration's method, by declaration index then method index. */
export function interfaceMethodId(file: FileInfo, declIndex: number, methodIndex: number): string {
  if (file.ids) return file.ids.interfaceMethods[declIndex]![methodIndex]!;
  const head = file.facts.heads[declIndex]!;
  return goId(file, `${file.pkg.name}.${head.name}.${head.methods![methodIndex]!}`);
}

/** Symbol id of a subtest (by index into facts.subtests); undefined when it is not a subtest of a test. */
export function subtestId(file: FileInfo, index: number): string | undefined {
  if (file.ids) return file.ids.subtests[index];
  return isSubtestOfTest(file, index) ? goId(file, subtestDescriptor(file, index)) : undefined;
}

/** Shared by every declaration that is not an interface: one empty array per decl was 3.6 MB on a 1M-line repository. */
const NO_IDS: readonly string[] = Object.freeze([]) as readonly string[];

export function subtestName(name: string): string {
  return name.replace(/\s/g, '_');
}

/**
 * The innermost subtest whose function literal holds `offset`, if any: calls
 * there belong to the subtest rather than to the enclosing test. `ids`: the
 * file's subtest ids (subtestId), made once for the file.
 */
export function subtestAt(file: FileInfo, offset: number, ids: ReadonlyArray<string | undefined>): string | undefined {
  let best: { id: string; start: number } | undefined;
  file.facts.subtests.forEach((subtest, index) => {
    const id = ids[index];
    if (!id || offset < subtest.start || offset >= subtest.end) return;
    if (!best || subtest.start > best.start) best = { id, start: subtest.start };
  });
  return best?.id;
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
