/**
 * Python resolution: the facts of every Python file of a repository →
 * symbols, call edges, unresolved calls and external references, plus the
 * distributions the repository provides and depends on.
 */
import type { Diagnostic } from '../../model/graph.js';
import { callBatchesByFile } from '../call-graph-builder.js';
import { emptyResolution, type Resolution, type ResolveInput } from '../language.js';
import { enclosingFunction, PyCallResolver } from './calls.js';
import { DistributionNames } from './distributions.js';
import { affectedFiles } from './incremental.js';
import type { PyFileFacts } from './facts.js';
import { readPythonManifests } from './manifests.js';
import { absoluteModule, buildProject, type PyFile, type PyProject } from './project.js';
import { packageSymbols, pySymbolBatches } from './symbols.js';
import { PyValueOracle } from './values.js';

export function resolvePython(input: ResolveInput<PyFileFacts>): Resolution {
  const resolution = emptyResolution();
  const manifests = readPythonManifests(input.manifests, resolution.diagnostics);
  const project = buildProject(input.repository, input.files);
  const oracle = new PyValueOracle(project, new DistributionNames(manifests.dependencies.map((dependency) => dependency.name)));

  // Incremental: only the files a change can affect are resolved; the rest keep their previous rows.
  const only = input.changes
    ? affectedFiles(input.repository, project.layout, new Map(input.files.map((file) => [file.path, file.facts])), input.changes)
    : undefined;
  if (only) resolution.resolvedFiles = only;

  resolution.symbols = packageSymbols(project);
  // Diagnostics are written again in full on every index; they only need the module layout.
  for (const file of project.files.values()) reportMissingImports(file, project, resolution.diagnostics);
  const resolved = [...project.files.values()].filter((file) => !only || only.has(file.path));
  resolution.symbolBatches = pySymbolBatches(resolved, input.files, oracle);
  const calls = new PyCallResolver(oracle, methodsByName(project));
  resolution.callBatches = callBatchesByFile(
    resolved,
    input.files,
    () => oracle.forgetCaches(),
    (call, file, graph, site) => graph.addTarget(callerOf(file, call.owner), calls.resolve(call, file), site),
  );
  resolution.modules = manifests.modules;
  resolution.dependencies = manifests.dependencies;
  return resolution;
}

/** A call in a function belongs to it; in a class body or at module level, to the file. */
function callerOf(file: PyFile, owner: number): string {
  const fn = enclosingFunction(file, owner);
  return fn >= 0 ? file.declIds[fn]! : file.fileId;
}

function methodsByName(project: PyProject): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const file of project.files.values()) {
    file.facts.decls.forEach((decl, index) => {
      const parent = file.facts.decls[decl.parent];
      if (decl.kind !== 'function' || parent?.kind !== 'class') return;
      byName.set(decl.name, [...(byName.get(decl.name) ?? []), file.declIds[index]!]);
    });
  }
  return byName;
}

/** An import of the repository's own modules that names no file is worth a warning. */
function reportMissingImports(file: PyFile, project: PyProject, diagnostics: Diagnostic[]): void {
  const reported = new Set<string>();
  for (const entry of file.facts.imports) {
    if (reported.has(entry.module)) continue;
    const dotted = absoluteModule(file, entry.module);
    let message: string | undefined;
    if (dotted === undefined) message = `import ${entry.module}: relative import goes beyond the top-level package`;
    else if (project.topLevel.has(dotted.split('.')[0]!) && !project.byModule.has(dotted) && !isAttributeImport(project, dotted)) {
      message = `import ${entry.module}: no module ${dotted} in the repository`;
    }
    if (!message) continue;
    reported.add(entry.module);
    diagnostics.push({ file: file.path, severity: 'warning', line: entry.line, message });
  }
}

/** `from pkg.mod import name` names pkg.mod; `import pkg.mod.name` where name is an attribute is rare but legal. */
function isAttributeImport(project: PyProject, dotted: string): boolean {
  const parent = dotted.split('.').slice(0, -1).join('.');
  return parent !== '' && project.byModule.has(parent);
}
