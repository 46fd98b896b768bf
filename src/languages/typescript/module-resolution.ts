/**
 * Import specifier → a file of the repository, a package outside it, or
 * nothing. Follows what TypeScript and Node do, on the repository's own
 * files only: relative paths with extension and index resolution (and
 * `./x.js` meaning `./x.ts`), tsconfig `paths` and `baseUrl`, workspace
 * packages by name with their `exports`, `types` and `main` (mapped back
 * from build output to sources), and package.json `imports` (`#internal`).
 * Anything else is a package: an external reference keyed by its name.
 */
import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import { directoryOf, joinPath, type PackageManifest, type TsConfig } from './manifests.js';

export type ModuleTarget =
  | { k: 'file'; path: string }
  | { k: 'external'; module: string; packagePath: string }
  | { k: 'missing'; reason: string };

const NODE_BUILTINS = new Set(builtinModules);
const EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mts', '.cts', '.mjs', '.cjs', '.d.mts', '.d.cts'];
const SOURCE_FOR_OUTPUT: Record<string, string[]> = {
  '.js': ['.ts', '.tsx', '.js', '.jsx'],
  '.jsx': ['.tsx', '.jsx'],
  '.mjs': ['.mts', '.mjs'],
  '.cjs': ['.cts', '.cjs'],
};
const DECLARATION = /\.d\.[mc]?ts$/;
const OUTPUT_DIRECTORIES = /^(dist|lib|build|out|esm|cjs|types|typings)(\/(esm|cjs|types|src|lib))?\//;

export class ModuleResolver {
  private readonly packagesByName = new Map<string, PackageManifest>();
  private readonly packagesByDirectory = new Map<string, PackageManifest>();
  private readonly configsByDirectory = new Map<string, TsConfig>();
  private readonly cache = new Map<string, ModuleTarget>();

  constructor(
    private readonly files: Set<string>,
    packages: PackageManifest[],
    configs: Map<string, TsConfig>,
  ) {
    for (const manifest of packages) {
      if (manifest.name && !this.packagesByName.has(manifest.name)) this.packagesByName.set(manifest.name, manifest);
      this.packagesByDirectory.set(manifest.directory, manifest);
    }
    // The config that applies to a directory: tsconfig.json, else jsconfig.json.
    for (const config of configs.values()) {
      const base = posix.basename(config.path);
      if (base !== 'tsconfig.json' && base !== 'jsconfig.json') continue;
      const existing = this.configsByDirectory.get(config.directory);
      if (!existing || base === 'tsconfig.json') this.configsByDirectory.set(config.directory, config);
    }
  }

  /** The package whose directory holds `path` (nearest package.json). */
  packageOf(path: string): PackageManifest | undefined {
    return this.nearest(this.packagesByDirectory, directoryOf(path));
  }

  resolve(from: string, specifier: string): ModuleTarget {
    const key = `${directoryOf(from)}\u0000${specifier}`;
    let target = this.cache.get(key);
    if (!target) {
      target = this.resolveUncached(from, specifier);
      this.cache.set(key, target);
    }
    return target;
  }

  private resolveUncached(from: string, specifier: string): ModuleTarget {
    if (specifier.startsWith('.') || specifier.startsWith('/')) {
      const joined = specifier.startsWith('/') ? undefined : joinPath(directoryOf(from), specifier);
      const file = joined === undefined ? undefined : this.fileOrDirectory(joined);
      return file ? { k: 'file', path: file } : { k: 'missing', reason: `cannot find module ${specifier}` };
    }
    if (specifier.startsWith('#')) {
      const owner = this.packageOf(from);
      const found = owner?.imports !== undefined ? this.fromMap(owner, owner.imports, specifier) : undefined;
      return found ? { k: 'file', path: found } : { k: 'missing', reason: `cannot resolve ${specifier} from package.json imports` };
    }
    const config = this.nearest(this.configsByDirectory, directoryOf(from));
    if (config) {
      const mapped = this.fromTsConfig(config, specifier);
      if (mapped) return { k: 'file', path: mapped };
    }
    if (specifier.startsWith('node:') || NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(specifier.split('/')[0]!)) {
      return { k: 'external', module: 'node', packagePath: specifier.replace(/^node:/, '') };
    }
    const parts = specifier.split('/');
    const nameLength = specifier.startsWith('@') ? 2 : 1;
    const name = parts.slice(0, nameLength).join('/');
    const subpath = parts.length > nameLength ? `./${parts.slice(nameLength).join('/')}` : '.';
    const workspace = this.packagesByName.get(name);
    if (workspace) {
      const file = this.packageEntry(workspace, subpath);
      return file ? { k: 'file', path: file } : { k: 'missing', reason: `cannot find ${subpath} in workspace package ${name}` };
    }
    return { k: 'external', module: name, packagePath: specifier };
  }

  private nearest<T>(byDirectory: Map<string, T>, directory: string): T | undefined {
    let current = directory;
    for (;;) {
      const found = byDirectory.get(current);
      if (found) return found;
      if (current === '') return undefined;
      current = directoryOf(current);
    }
  }

  private fromTsConfig(config: TsConfig, specifier: string): string | undefined {
    let best: { prefix: string; suffix: string; targets: string[] } | undefined;
    for (const { pattern, targets } of config.paths) {
      const star = pattern.indexOf('*');
      if (star < 0) {
        if (pattern === specifier) return this.firstFile(targets);
        continue;
      }
      const prefix = pattern.slice(0, star);
      const suffix = pattern.slice(star + 1);
      if (specifier.startsWith(prefix) && specifier.endsWith(suffix) && specifier.length >= prefix.length + suffix.length) {
        if (!best || prefix.length > best.prefix.length) best = { prefix, suffix, targets };
      }
    }
    if (best) {
      const middle = specifier.slice(best.prefix.length, specifier.length - best.suffix.length);
      const found = this.firstFile(best.targets.map((target) => target.replace('*', middle)));
      if (found) return found;
    }
    if (config.baseUrl !== undefined) {
      const joined = joinPath(config.baseUrl, specifier);
      if (joined !== undefined) return this.fileOrDirectory(joined);
    }
    return undefined;
  }

  private firstFile(candidates: string[]): string | undefined {
    for (const candidate of candidates) {
      const found = this.fileOrDirectory(candidate) ?? this.sourceFor(candidate);
      if (found) return found;
    }
    return undefined;
  }

  /** A path as written → the file: exact, with an extension, as a directory with index or package.json. */
  fileOrDirectory(path: string): string | undefined {
    if (this.isSourceFile(path)) return path;
    const extension = posix.extname(path);
    for (const replacement of SOURCE_FOR_OUTPUT[extension] ?? []) {
      const candidate = path.slice(0, -extension.length) + replacement;
      if (this.files.has(candidate)) return candidate;
    }
    for (const suffix of EXTENSIONS) if (this.files.has(path + suffix)) return path + suffix;
    const inner = this.packagesByDirectory.get(path);
    if (inner && inner.directory !== '') {
      const entry = this.packageEntry(inner, '.');
      if (entry) return entry;
    }
    const prefix = path === '' ? '' : `${path}/`;
    for (const suffix of EXTENSIONS) if (this.files.has(`${prefix}index${suffix}`)) return `${prefix}index${suffix}`;
    return undefined;
  }

  private isSourceFile(path: string): boolean {
    return this.files.has(path) && EXTENSIONS.some((extension) => path.endsWith(extension));
  }

  /** A package's file for `.` or `./sub`, from exports, then types/module/main, then the directory. */
  private packageEntry(manifest: PackageManifest, subpath: string): string | undefined {
    if (manifest.exports !== undefined && manifest.exports !== null) {
      const found = this.fromMap(manifest, manifest.exports, subpath);
      if (found) return found;
    }
    if (subpath === '.') {
      const entries = [manifest.types, manifest.module, manifest.main]
        .filter((entry): entry is string => entry !== undefined)
        .map((entry) => joinPath(manifest.directory, entry))
        .filter((entry): entry is string => entry !== undefined);
      return this.preferSources(entries) ?? this.fileOrDirectory(joinPath(manifest.directory, 'src') ?? '') ?? this.indexOf(manifest.directory);
    }
    const joined = joinPath(manifest.directory, subpath);
    return joined === undefined ? undefined : (this.fileOrDirectory(joined) ?? this.sourceFor(joined));
  }

  private indexOf(directory: string): string | undefined {
    const prefix = directory === '' ? '' : `${directory}/`;
    for (const suffix of EXTENSIONS) if (this.files.has(`${prefix}index${suffix}`)) return `${prefix}index${suffix}`;
    return undefined;
  }

  /** An `exports` or `imports` map entry for `key` → the repository file it names. */
  private fromMap(manifest: PackageManifest, map: unknown, key: string): string | undefined {
    const targets = mapTargets(map, key)
      .map((target) => joinPath(manifest.directory, target))
      .filter((target): target is string => target !== undefined);
    return this.preferSources(targets);
  }

  /**
   * The first target that is a source file (or whose sources can be found);
   * declaration files (.d.ts) only when nothing else is there, because calls
   * resolve into code, not into declarations.
   */
  private preferSources(targets: string[]): string | undefined {
    for (const target of targets) {
      const direct = this.fileOrDirectory(target);
      if (direct && !DECLARATION.test(direct)) return direct;
      const source = this.sourceFor(target);
      if (source && !DECLARATION.test(source)) return source;
    }
    for (const target of targets) {
      const found = this.fileOrDirectory(target) ?? this.sourceFor(target);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * Build output (`dist/index.js`, `lib/x.d.ts`) is rarely committed: find
   * the source it is compiled from, through the package's tsconfig outDir →
   * rootDir, else by the usual `dist/` → `src/` layout.
   */
  private sourceFor(path: string): string | undefined {
    const withoutExtension = path.replace(/(\.d)?\.[mc]?[jt]sx?$/, '');
    const config = this.nearest(this.configsByDirectory, directoryOf(path));
    if (config?.outDir !== undefined && (withoutExtension + '/').startsWith(`${config.outDir}/`)) {
      const rootDir = config.rootDir ?? config.directory;
      const relative = withoutExtension.slice(config.outDir.length).replace(/^\//, '');
      const candidate = this.fileOrDirectory(relative ? (rootDir ? `${rootDir}/${relative}` : relative) : rootDir);
      if (candidate) return candidate;
    }
    const owner = this.packageOf(path);
    const base = owner?.directory ?? '';
    const inside = base === '' ? withoutExtension : withoutExtension.slice(base.length + 1);
    const match = OUTPUT_DIRECTORIES.exec(`${inside}/`);
    if (!match) return undefined;
    const rest = `${inside}/`.slice(match[0].length).replace(/\/$/, '');
    const source = [base, 'src', rest].filter(Boolean).join('/');
    return this.fileOrDirectory(source);
  }
}

/** Every target an exports/imports map offers for `key`, in condition order, `*` substituted. */
export function mapTargets(map: unknown, key: string): string[] {
  if (typeof map === 'string' || Array.isArray(map)) return key === '.' ? conditionTargets(map, '') : [];
  if (!map || typeof map !== 'object') return [];
  const entries = Object.entries(map as Record<string, unknown>);
  const isSubpathMap = entries.some(([name]) => name.startsWith('.') || name.startsWith('#'));
  if (!isSubpathMap) return key === '.' ? conditionTargets(map, '') : [];
  const exact = entries.find(([name]) => name === key);
  if (exact) return conditionTargets(exact[1], '');
  let best: { prefix: string; value: unknown; middle: string; folder: boolean } | undefined;
  for (const [name, value] of entries) {
    const star = name.indexOf('*');
    if (star < 0) {
      // Old-style folder mappings: "./utils/": "./src/utils/".
      if (name.endsWith('/') && key.startsWith(name) && (!best || name.length > best.prefix.length)) {
        best = { prefix: name, value, middle: key.slice(name.length), folder: true };
      }
      continue;
    }
    const prefix = name.slice(0, star);
    const suffix = name.slice(star + 1);
    if (key.startsWith(prefix) && key.endsWith(suffix) && key.length >= prefix.length + suffix.length) {
      if (!best || prefix.length > best.prefix.length) best = { prefix, value, middle: key.slice(prefix.length, key.length - suffix.length), folder: false };
    }
  }
  if (!best) return [];
  const found = best;
  return conditionTargets(found.value, found.middle).map((target) => (found.folder ? target + found.middle : target));
}

function conditionTargets(value: unknown, middle: string): string[] {
  if (typeof value === 'string') return [value.replaceAll('*', middle)];
  if (Array.isArray(value)) return value.flatMap((item) => conditionTargets(item, middle));
  if (!value || typeof value !== 'object') return [];
  // Conditions in the author's order, as Node and TypeScript read them; a
  // custom "source" condition (`"@zod/source": "./src/index.ts"`) comes first
  // where authors put it. Every target is offered; the resolver keeps the
  // first that is in the repository.
  return Object.values(value as Record<string, unknown>).flatMap((target) => conditionTargets(target, middle));
}
