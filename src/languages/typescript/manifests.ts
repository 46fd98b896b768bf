/**
 * package.json and tsconfig.json/jsconfig.json as the resolver needs them:
 * package names, entry points, export maps, dependencies; baseUrl, paths and
 * the directories sources are compiled from and to. A malformed manifest is
 * a diagnostic, never a failure.
 */
import { posix } from 'node:path';
import type { DependencyKind, DependencyRecord, Diagnostic } from '../../model/graph.js';
import { asObject, asString, parseJsonManifest } from '../manifest-json.js';

export interface PackageManifest {
  /** Path of the package.json. */
  manifest: string;
  /** Its directory ('' for the repository root). */
  directory: string;
  name?: string;
  main?: string;
  module?: string;
  types?: string;
  exports?: unknown;
  imports?: unknown;
  dependencies: Array<{ name: string; version: string; kind: DependencyKind }>;
}

export interface TsConfig {
  path: string;
  directory: string;
  /** Repository-relative directory that non-relative imports are looked up in. */
  baseUrl?: string;
  /** `paths` patterns with their targets, made repository-relative. */
  paths: Array<{ pattern: string; targets: string[] }>;
  outDir?: string;
  rootDir?: string;
}

const DEPENDENCY_FIELDS: Array<[string, DependencyKind]> = [
  ['dependencies', 'require'],
  ['devDependencies', 'dev'],
  ['peerDependencies', 'peer'],
  ['optionalDependencies', 'optional'],
];

function jsonPosition(message: string): string {
  const position = /position (\d+)/.exec(message);
  return position ? ` (at character ${position[1]})` : '';
}

export function directoryOf(path: string): string {
  const directory = posix.dirname(path);
  return directory === '.' ? '' : directory;
}

export function joinPath(directory: string, relative: string): string | undefined {
  const joined = posix.normalize(directory === '' ? relative : `${directory}/${relative}`);
  if (joined === '..' || joined.startsWith('../') || posix.isAbsolute(joined)) return undefined;
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}

export function readPackageJson(path: string, text: string, diagnostics: Diagnostic[]): PackageManifest | undefined {
  const parsed = parseJsonManifest(text, false);
  if (!parsed.ok) {
    // The parser's own message differs between Node versions; the position is what helps.
    diagnostics.push({ file: path, severity: 'warning', message: `package.json is not valid JSON${jsonPosition(parsed.message)}` });
    return undefined;
  }
  const json = asObject(parsed.value);
  if (!json) {
    diagnostics.push({ file: path, severity: 'warning', message: 'package.json is not a JSON object' });
    return undefined;
  }
  const manifest: PackageManifest = { manifest: path, directory: directoryOf(path), dependencies: [] };
  const name = asString(json.name);
  if (name) manifest.name = name;
  const main = asString(json.main);
  if (main) manifest.main = main;
  const module = asString(json.module);
  if (module) manifest.module = module;
  const types = asString(json.types) ?? asString(json.typings);
  if (types) manifest.types = types;
  if (json.exports !== undefined) manifest.exports = json.exports;
  if (json.imports !== undefined) manifest.imports = json.imports;
  for (const [field, kind] of DEPENDENCY_FIELDS) {
    const dependencies = asObject(json[field]);
    for (const [dependency, version] of Object.entries(dependencies ?? {})) {
      manifest.dependencies.push({ name: dependency, version: typeof version === 'string' ? version : '', kind });
    }
  }
  return manifest;
}

export function dependencyRecords(manifest: PackageManifest): DependencyRecord[] {
  return manifest.dependencies.map((dependency) => ({
    ecosystem: 'npm',
    from: manifest.name ?? '',
    name: dependency.name,
    version: dependency.version,
    kind: dependency.kind,
    manifest: manifest.manifest,
  }));
}

interface RawTsConfig {
  extends: string[];
  baseUrl?: string;
  paths?: Array<{ pattern: string; targets: string[] }>;
  outDir?: string;
  rootDir?: string;
}

/**
 * Reads every tsconfig/jsconfig, following `extends` inside the repository.
 * Paths in a config are relative to the config that wrote them; `paths`
 * targets are relative to baseUrl when there is one.
 */
export function readTsConfigs(
  texts: Map<string, string>,
  packageDirectories: Map<string, string>,
  diagnostics: Diagnostic[],
): Map<string, TsConfig> {
  const raw = new Map<string, RawTsConfig>();
  for (const [path, text] of texts) {
    const parsed = parseJsonManifest(text, true);
    const json = parsed.ok ? asObject(parsed.value) : undefined;
    if (!json) {
      diagnostics.push({ file: path, severity: 'warning', message: `${posix.basename(path)} is not valid JSON${parsed.ok ? ': not an object' : jsonPosition(parsed.message)}` });
      continue;
    }
    const directory = directoryOf(path);
    const options = asObject(json.compilerOptions) ?? {};
    const config: RawTsConfig = {
      extends: (Array.isArray(json.extends) ? json.extends : [json.extends]).filter((item): item is string => typeof item === 'string'),
    };
    const baseUrl = asString(options.baseUrl);
    if (baseUrl !== undefined) {
      const resolved = joinPath(directory, baseUrl);
      if (resolved !== undefined) config.baseUrl = resolved;
    }
    const paths = asObject(options.paths);
    if (paths) {
      // Without baseUrl, targets are relative to the config that declares them.
      const base = config.baseUrl ?? directory;
      config.paths = Object.entries(paths).map(([pattern, targets]) => ({
        pattern,
        targets: (Array.isArray(targets) ? targets : [])
          .filter((target): target is string => typeof target === 'string')
          .map((target) => joinPath(base, target))
          .filter((target): target is string => target !== undefined),
      }));
    }
    for (const key of ['outDir', 'rootDir'] as const) {
      const value = asString(options[key]);
      const resolved = value === undefined ? undefined : joinPath(directory, value);
      if (resolved !== undefined) config[key] = resolved;
    }
    raw.set(path, config);
  }

  const resolved = new Map<string, TsConfig>();
  const resolveOne = (path: string, seen: Set<string>): TsConfig | undefined => {
    const done = resolved.get(path);
    if (done) return done;
    const config = raw.get(path);
    if (!config || seen.has(path)) return undefined;
    seen.add(path);
    const result: TsConfig = { path, directory: directoryOf(path), paths: [] };
    for (const parent of config.extends) {
      const parentPath = extendedConfigPath(path, parent, raw, packageDirectories);
      const base = parentPath ? resolveOne(parentPath, seen) : undefined;
      if (!base) {
        if (parent.startsWith('.')) diagnostics.push({ file: path, severity: 'info', message: `extends ${parent}: not found in the repository` });
        continue;
      }
      if (base.baseUrl !== undefined) result.baseUrl = base.baseUrl;
      if (base.paths.length > 0) result.paths = base.paths;
      if (base.outDir !== undefined) result.outDir = base.outDir;
      if (base.rootDir !== undefined) result.rootDir = base.rootDir;
    }
    if (config.baseUrl !== undefined) result.baseUrl = config.baseUrl;
    if (config.paths) result.paths = config.paths;
    if (config.outDir !== undefined) result.outDir = config.outDir;
    if (config.rootDir !== undefined) result.rootDir = config.rootDir;
    resolved.set(path, result);
    return result;
  };
  for (const path of raw.keys()) resolveOne(path, new Set());
  return resolved;
}

function extendedConfigPath(
  from: string,
  parent: string,
  raw: Map<string, RawTsConfig>,
  packageDirectories: Map<string, string>,
): string | undefined {
  const candidates: string[] = [];
  if (parent.startsWith('.')) {
    const joined = joinPath(directoryOf(from), parent);
    if (joined !== undefined) candidates.push(joined, `${joined}.json`, `${joined}/tsconfig.json`);
  } else {
    // A workspace package's config: `@acme/tsconfig/base.json`.
    const parts = parent.split('/');
    const nameLength = parent.startsWith('@') ? 2 : 1;
    const directory = packageDirectories.get(parts.slice(0, nameLength).join('/'));
    if (directory !== undefined) {
      const rest = parts.slice(nameLength).join('/');
      const joined = joinPath(directory, rest || 'tsconfig.json');
      if (joined !== undefined) candidates.push(joined, `${joined}.json`);
    }
  }
  return candidates.find((candidate) => raw.has(candidate));
}
