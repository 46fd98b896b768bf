/**
 * TypeScript/JavaScript resolution: the facts of every file of a repository
 * → symbols, call edges, unresolved calls and external references, plus the
 * npm packages the repository provides and depends on.
 */
import { posix } from 'node:path';
import type { Diagnostic, ModuleRecord } from '../../model/graph.js';
import { callBatchesByFile } from '../call-graph-builder.js';
import { emptyResolution, type Resolution, type ResolveInput } from '../language.js';
import { CallResolver } from './calls.js';
import type { TsFileFacts } from './facts.js';
import { dependencyRecords, readPackageJson, readTsConfigs, type PackageManifest } from './manifests.js';
import { affectedFiles } from './incremental.js';
import { ModuleResolver } from './module-resolution.js';
import { buildFile, type TsFile } from './project.js';
import { tsSymbolBatches } from './symbols.js';
import { ValueOracle } from './values.js';

export function resolveTypeScript(input: ResolveInput<TsFileFacts>): Resolution {
  const resolution = emptyResolution();
  const { packages, configs } = readManifests(input.manifests, resolution.diagnostics);
  const modules = new ModuleResolver(new Set(input.files.map((file) => file.path)), packages, configs);

  const files = new Map<string, TsFile>();
  for (const input_ of input.files) files.set(input_.path, buildFile(input_, modules.packageOf(input_.path)));

  // Incremental: only the files a change can affect are resolved; the rest keep their previous rows.
  const only = input.changes
    ? affectedFiles(
        {
          files: new Map(input.files.map((file) => [file.path, file.facts])),
          modules,
          modulesFor: (paths) => new ModuleResolver(paths, packages, configs),
        },
        input.changes,
      )
    : undefined;
  if (only) resolution.resolvedFiles = only;
  const resolved = only ? [...files.values()].filter((file) => only.has(file.path)) : [...files.values()];
  resolution.symbolBatches = tsSymbolBatches(resolved, input.files);

  // Diagnostics are written again in full on every index; they only need module resolution.
  for (const file of files.values()) reportMissingImports(file, modules, resolution.diagnostics);
  const oracle = new ValueOracle(files, modules);
  const calls = new CallResolver(files, oracle, methodsByName(files));
  resolution.callBatches = callBatchesByFile(
    resolved,
    input.files,
    () => oracle.forgetCaches(),
    (call, file, graph, site) => {
      const caller = callerOf(file, call.owner);
      // `new C()` inside C's own constructor is not a call of it.
      graph.addTarget(caller, calls.resolve(call, file), site, (callee) => callee !== caller || call.isNew !== true);
    },
  );
  resolution.modules = packages
    .filter((manifest) => manifest.name)
    .map((manifest): ModuleRecord => ({ ecosystem: 'npm', name: manifest.name!, manifest: manifest.manifest, directory: manifest.directory }));
  resolution.dependencies = packages.flatMap(dependencyRecords);
  return resolution;
}

/** The symbol a call at `owner` is made by: the declaration itself, or the nearest one that can call. */
function callerOf(file: TsFile, owner: number): string {
  const decls = file.facts.decls;
  let index = owner;
  while (index >= 0) {
    const decl = decls[index]!;
    const id = file.declIds[index];
    if (id && (decl.kind === 'function' || decl.kind === 'method' || decl.kind === 'test')) return id;
    // Field initialisers run in the constructor.
    if (decl.kind === 'class') {
      const constructor = file.members.get(index)?.get('constructor')?.[0];
      const constructorId = constructor !== undefined ? file.declIds[constructor] : undefined;
      if (constructorId) return constructorId;
    }
    index = decl.parent;
  }
  return file.fileId;
}

function methodsByName(files: Map<string, TsFile>): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const file of files.values()) {
    file.facts.decls.forEach((decl, index) => {
      const id = file.declIds[index];
      if (decl.kind !== 'method' || decl.abstract || !id || decl.name === 'constructor') return;
      const list = byName.get(decl.name);
      if (list) list.push(id);
      else byName.set(decl.name, [id]);
    });
  }
  return byName;
}

/** A relative import that leads nowhere is worth a warning: calls through it cannot resolve. */
function reportMissingImports(file: TsFile, modules: ModuleResolver, diagnostics: Diagnostic[]): void {
  const reported = new Set<string>();
  const sources = [
    ...file.facts.imports.map((entry) => ({ source: entry.source, line: entry.line })),
    ...file.facts.exports.filter((entry) => entry.source !== undefined).map((entry) => ({ source: entry.source!, line: undefined })),
  ];
  for (const { source, line } of sources) {
    if (reported.has(source)) continue;
    const target = modules.resolve(file.path, source);
    if (target.k !== 'missing') continue;
    reported.add(source);
    const diagnostic: Diagnostic = { file: file.path, severity: 'warning', message: `import ${source}: ${target.reason}` };
    if (line !== undefined) diagnostic.line = line;
    diagnostics.push(diagnostic);
  }
}

function readManifests(manifests: Map<string, string>, diagnostics: Diagnostic[]): { packages: PackageManifest[]; configs: ReturnType<typeof readTsConfigs> } {
  const packages: PackageManifest[] = [];
  const configTexts = new Map<string, string>();
  for (const [path, text] of manifests) {
    const base = posix.basename(path);
    if (base === 'package.json') {
      const manifest = readPackageJson(path, text, diagnostics);
      if (manifest) packages.push(manifest);
    } else {
      configTexts.set(path, text);
    }
  }
  const packageDirectories = new Map(packages.filter((manifest) => manifest.name).map((manifest) => [manifest.name!, manifest.directory]));
  return { packages, configs: readTsConfigs(configTexts, packageDirectories, diagnostics) };
}
