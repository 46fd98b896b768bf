/**
 * Cargo.toml → the crates a repository provides and the crates they depend
 * on, with versions. Outside input: a malformed manifest is a diagnostic.
 */
import { posix } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { DependencyKind, DependencyRecord, Diagnostic, ModuleRecord } from '../../model/graph.js';

type Table = Record<string, unknown>;

const isTable = (value: unknown): value is Table => typeof value === 'object' && value !== null && !Array.isArray(value);

const SECTIONS: Array<[string, DependencyKind]> = [
  ['dependencies', 'require'],
  ['dev-dependencies', 'dev'],
  ['build-dependencies', 'require'],
];

/** A dependency's version requirement: `"1.0"`, `{ version = "1.0" }`, or a path/git source. */
function versionOf(spec: unknown): string {
  if (typeof spec === 'string') return spec;
  if (isTable(spec)) {
    if (typeof spec.version === 'string') return spec.version;
    if (typeof spec.git === 'string') return `git+${spec.git}${typeof spec.rev === 'string' ? `#${spec.rev}` : ''}`;
    if (typeof spec.path === 'string') return `path:${spec.path}`;
    if (spec.workspace === true) return 'workspace';
  }
  return '';
}

export function readCargoManifests(manifests: Map<string, string>): {
  modules: ModuleRecord[];
  dependencies: DependencyRecord[];
  diagnostics: Diagnostic[];
} {
  const modules: ModuleRecord[] = [];
  const dependencies: DependencyRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [path, text] of [...manifests].sort(([a], [b]) => (a < b ? -1 : 1))) {
    let manifest: Table;
    try {
      manifest = parseToml(text) as Table;
    } catch (error) {
      diagnostics.push({ file: path, severity: 'warning', message: `Cargo.toml: ${(error as Error).message.split('\n')[0]}` });
      continue;
    }
    const directory = posix.dirname(path) === '.' ? '' : posix.dirname(path);
    const pkg = isTable(manifest.package) ? manifest.package : undefined;
    const name = pkg && typeof pkg.name === 'string' ? pkg.name : '';
    if (name) modules.push({ ecosystem: 'cargo', name, manifest: path, directory });
    const tables: Table[] = [manifest];
    // Platform-specific sections: [target.'cfg(unix)'.dependencies].
    if (isTable(manifest.target)) for (const target of Object.values(manifest.target)) if (isTable(target)) tables.push(target);
    if (isTable(manifest.workspace)) tables.push(manifest.workspace);
    for (const table of tables) {
      for (const [section, kind] of SECTIONS) {
        const entries = table[section];
        if (!isTable(entries)) continue;
        for (const [key, spec] of Object.entries(entries)) {
          // `foo = { package = "real-name" }` renames a dependency.
          const crate = isTable(spec) && typeof spec.package === 'string' ? spec.package : key;
          const kindHere: DependencyKind = isTable(spec) && spec.optional === true ? 'optional' : kind;
          dependencies.push({ ecosystem: 'cargo', from: name, name: crate, version: versionOf(spec), kind: kindHere, manifest: path });
        }
      }
    }
  }
  return { modules, dependencies, diagnostics };
}
