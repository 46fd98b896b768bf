/**
 * Go resolution: the facts of every Go file of a repository → symbols, call
 * edges, unresolved calls and external references, plus the modules the
 * repository provides and depends on.
 */
import { posix } from 'node:path';
import { confidenceOf } from '../../model/confidence.js';
import type {
  DependencyRecord,
  EdgeRecord,
  ExternalRef,
  ModuleRecord,
  UnresolvedCall,
} from '../../model/graph.js';
import { emptyResolution, type CallBatch, type Resolution, type ResolveInput } from '../language.js';
import { CallResolver } from './calls.js';
import type { GoFileFacts } from './facts.js';
import { parseGoMod, parseModulesTxt, type VendoredModule } from './go-mod.js';
import { buildPackageIndex, declId, subtestAt, subtestId, type GoModule, type PackageIndex, type PackageInfo } from './packages.js';
import { affectedFiles } from './incremental.js';
import { goSymbols } from './symbols.js';
import { TypeOracle } from './types.js';

export function resolveGo(input: ResolveInput<GoFileFacts>): Resolution {
  const resolution = emptyResolution();
  const { modules, vendored } = readManifests(input.manifests, resolution);
  const index = buildPackageIndex({ repository: input.repository, files: input.files, modules, vendored });

  // Incremental: only the files a change can affect are resolved; the rest keep their previous rows.
  const only = input.changes ? affectedFiles(index, input.changes) : undefined;
  if (only) resolution.resolvedFiles = only;

  resolution.symbolBatches = goSymbols(index, only);
  for (const file of index.files) {
    if (file.pkg.vendored) resolution.fileModules.set(file.path, file.pkg.module);
  }
  const vendoredFiles = vendoredFilesOf(index);

  resolution.callBatches = resolveCalls(index, only, vendoredFiles);
  resolution.modules = modules.map(
    (module): ModuleRecord => ({ ecosystem: 'go', name: module.path, manifest: module.manifest, directory: module.directory }),
  );
  resolution.dependencies = [...dependenciesOf(modules, vendored), ...copiedModules(index)];
  return resolution;
}

/** The calls of each file to resolve, resolved when the writer asks for them (Resolution.callBatches). */
function* resolveCalls(index: PackageIndex, only: Set<string> | undefined, vendoredFiles: Map<string, PackageInfo>): Generator<CallBatch> {
  const oracle = new TypeOracle(index);
  const calls = new CallResolver(index, oracle);
  for (const file of index.files) {
    if (only && !only.has(file.path)) continue;
    // Local facts kept out of memory come back for this file only (they are read only at places in it).
    file.pin(file.stored ? file.stored.loadLocal(['calls', 'bindings']) : undefined);
    // A caller is a declaration of this file: its edges merge within the file, and the file's batch is final.
    const edges = new FileEdges();
    const batch: CallBatch = { edges: [], unresolved: [], externalRefs: [] };
    // Callers' ids, made once for the file (the index does not keep them).
    const callerIds: string[] = [];
    const subtestIds = file.facts.subtests.map((_, index) => subtestId(file, index));
    file.facts.calls.forEach((call) => {
      const caller = call.owner >= 0 ? (subtestAt(file, call.at, subtestIds) ?? (callerIds[call.owner] ??= declId(file, call.owner))) : file.fileId;
      const site = { file: file.path, line: call.line, col: call.col };
      for (const target of calls.resolve(call, file)) {
        switch (target.k) {
          case 'symbols':
            for (const callee of target.ids) {
              edges.add(caller, callee, target.strategy, site);
              // A call into vendored code is also a use of that module in the wild.
              const vendored = vendoredSymbol(vendoredFiles, callee);
              if (vendored && vendored.module !== file.pkg.module) {
                batch.externalRefs.push(vendoredRef(caller, vendored, target.strategy, site));
              }
            }
            break;
          case 'external':
            batch.externalRefs.push({
              caller,
              module: moduleOf(index, target.pkgPath),
              packagePath: target.pkgPath,
              symbol: target.symbol,
              strategy: target.strategy,
              confidence: confidenceOf(target.strategy),
              site,
            });
            break;
          case 'unresolved': {
            const unresolved: UnresolvedCall = { caller, name: target.name, reason: target.reason, site };
            if (target.receiver) unresolved.receiver = target.receiver;
            if (target.couldBe) unresolved.couldBe = target.couldBe;
            batch.unresolved.push(unresolved);
            break;
          }
          case 'ignore':
            break;
        }
      }
    });
    batch.edges = edges.list;
    if (file.stored) oracle.forget(file.facts.bindings);
    file.release();
    if (batch.edges.length + batch.unresolved.length + batch.externalRefs.length > 0) yield batch;
  }
}

/**
 * A file's edges, one per caller and callee, in the order first seen. Found
 * by caller, then callee, rather than by a key joining the two ids: that
 * key was a string made, and hashed, at every call site.
 */
class FileEdges {
  readonly list: EdgeRecord[] = [];
  private readonly byCaller = new Map<string, Map<string, EdgeRecord>>();

  add(caller: string, callee: string, strategy: EdgeRecord['strategy'], site: EdgeRecord['sites'][number]): void {
    let callees = this.byCaller.get(caller);
    if (!callees) this.byCaller.set(caller, (callees = new Map()));
    const existing = callees.get(callee);
    if (!existing) {
      const edge: EdgeRecord = { caller, callee, strategy, confidence: confidenceOf(strategy), sites: [site] };
      callees.set(callee, edge);
      this.list.push(edge);
      return;
    }
    existing.sites.push(site);
    // Several sites may resolve by different strategies; the edge keeps the best evidence.
    const confidence = confidenceOf(strategy);
    if (confidence > existing.confidence) {
      existing.strategy = strategy;
      existing.confidence = confidence;
    }
  }
}

interface VendoredSymbol {
  module: string;
  packagePath: string;
  /** `Func` or `Type.Method`, as external references name it. */
  name: string;
}

/**
 * Vendored code's files by their symbol id's prefix (the file's id, `go:<path>:`):
 * a call into one of their functions is also a use of its module. By file,
 * not by function: a map of every vendored function's id was most of what
 * runc's index held, and each call's callee was looked up in it.
 */
function vendoredFilesOf(index: PackageIndex): Map<string, PackageInfo> {
  const out = new Map<string, PackageInfo>();
  for (const pkg of index.packages.values()) {
    if (pkg.vendored) for (const file of pkg.files) out.set(file.fileId, pkg);
  }
  return out;
}

/**
 * The vendored function, method or interface method a callee id names, as
 * external references name it (`Func`, `Type.Method`): its descriptor is
 * `<package>.Func`, `<package>.Type.Method` or `<package>.(*Type).Method`,
 * with `~2`… when the file declares the name again.
 */
function vendoredSymbol(files: Map<string, PackageInfo>, callee: string): VendoredSymbol | undefined {
  if (files.size === 0) return undefined;
  const end = callee.indexOf(':', callee.indexOf(':') + 1) + 1;
  const pkg = end > 0 ? files.get(callee.slice(0, end)) : undefined;
  if (!pkg) return undefined;
  const name = callee.slice(end + pkg.name.length + 1).replace(/~[0-9]+$/, '').replace(/^\(\*([^)]*)\)/, '$1');
  return { module: pkg.module, packagePath: pkg.copiedFrom?.path ?? pkg.importPath, name };
}

function vendoredRef(caller: string, symbol: VendoredSymbol, strategy: ExternalRef['strategy'], site: ExternalRef['site']): ExternalRef {
  return {
    caller,
    module: symbol.module,
    packagePath: symbol.packagePath,
    symbol: symbol.name,
    strategy,
    confidence: confidenceOf(strategy),
    site,
  };
}

/** The module an import path belongs to: the longest required or vendored module prefix; `std` for the standard library. */
function moduleOf(index: PackageIndex, importPath: string): string {
  const first = importPath.split('/')[0] ?? '';
  if (!first.includes('.')) return 'std';
  let best = '';
  const consider = (path: string): void => {
    if ((importPath === path || importPath.startsWith(`${path}/`)) && path.length > best.length) best = path;
  };
  for (const module of index.modules) {
    for (const require of module.mod?.requires ?? []) consider(require.path);
  }
  for (const module of index.vendored) consider(module.path);
  return best || importPath;
}

function readManifests(
  manifests: Map<string, string>,
  resolution: Resolution,
): { modules: GoModule[]; vendored: VendoredModule[] } {
  const modules: GoModule[] = [];
  let vendored: VendoredModule[] = [];
  for (const [path, text] of manifests) {
    const base = posix.basename(path);
    if (base === 'go.mod') {
      if (path.split('/').includes('vendor') || path.split('/').includes('testdata')) continue;
      const mod = parseGoMod(text);
      for (const problem of mod.problems) {
        resolution.diagnostics.push({ file: path, severity: 'warning', line: problem.line, message: `go.mod: ${problem.message}` });
      }
      if (!mod.module) continue;
      const directory = posix.dirname(path) === '.' ? '' : posix.dirname(path);
      modules.push({ path: mod.module, directory, mod, manifest: path });
    } else if (path === 'vendor/modules.txt') {
      vendored = parseModulesTxt(text);
    }
  }
  return { modules, vendored };
}

function dependenciesOf(modules: GoModule[], vendored: VendoredModule[]): DependencyRecord[] {
  const dependencies: DependencyRecord[] = [];
  for (const module of modules) {
    for (const require of module.mod?.requires ?? []) {
      dependencies.push({
        ecosystem: 'go',
        from: module.path,
        name: require.path,
        version: require.version,
        kind: 'require',
        manifest: module.manifest,
      });
    }
    for (const replace of module.mod?.replaces ?? []) {
      dependencies.push({
        ecosystem: 'go',
        from: module.path,
        name: replace.from,
        version: replace.fromVersion ?? '',
        kind: 'replace',
        replacement: replace.toVersion ? `${replace.to}@${replace.toVersion}` : replace.to,
        manifest: module.manifest,
      });
    }
  }
  const root = modules.find((module) => module.directory === '');
  for (const module of vendored) {
    const dependency: DependencyRecord = {
      ecosystem: 'go',
      from: root?.path ?? '',
      name: module.path,
      version: module.version,
      kind: 'vendored',
      manifest: 'vendor/modules.txt',
    };
    if (module.replacement) dependency.replacement = module.replacement;
    dependencies.push(dependency);
  }
  return dependencies;
}

/** Modules the repository holds hand-made copies of: a dependency that no manifest lists, so the package doc is its manifest. */
function copiedModules(index: PackageIndex): DependencyRecord[] {
  const byModule = new Map<string, DependencyRecord>();
  for (const pkg of [...index.packages.values()].sort((a, b) => (a.directory < b.directory ? -1 : 1))) {
    if (!pkg.copiedFrom || byModule.has(pkg.module)) continue;
    byModule.set(pkg.module, { ecosystem: 'go', from: index.mainModule, name: pkg.module, version: '', kind: 'vendored', manifest: pkg.copiedFrom.file });
  }
  return [...byModule.values()];
}
