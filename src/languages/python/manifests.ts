/**
 * Python manifests → the distributions a repository provides and the ones
 * it depends on: pyproject.toml (PEP 621 `[project]`, PEP 735
 * `[dependency-groups]`, Poetry), setup.cfg (`[metadata]`, `[options]`) and
 * requirements*.txt. A malformed manifest is a diagnostic, never a failure.
 */
import { posix } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { DependencyKind, DependencyRecord, Diagnostic, ModuleRecord } from '../../model/graph.js';

export interface PythonManifests {
  modules: ModuleRecord[];
  dependencies: DependencyRecord[];
}

type Table = Record<string, unknown>;

function table(value: unknown): Table | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Table) : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** `requests[socks] >=2.31 ; python_version<"3.12"` → name and version constraint. */
export function parseRequirement(text: string): { name: string; version: string } | undefined {
  const withoutMarker = text.split(';')[0]!.trim();
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$/.exec(withoutMarker);
  if (!match) return undefined;
  const version = match[3]!.trim().replace(/^\(|\)$/g, '').trim();
  if (version.startsWith('@')) return { name: match[1]!, version: version.slice(1).trim() };
  return { name: match[1]!, version };
}

function directoryOf(path: string): string {
  const directory = posix.dirname(path);
  return directory === '.' ? '' : directory;
}

export function readPythonManifests(manifests: Map<string, string>, diagnostics: Diagnostic[]): PythonManifests {
  const result: PythonManifests = { modules: [], dependencies: [] };
  // A requirements file belongs to the distribution declared beside it, when there is one.
  const nameByDirectory = new Map<string, string>();
  const requirementFiles: Array<[string, string]> = [];
  for (const [path, text] of [...manifests].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const base = posix.basename(path);
    if (base === 'pyproject.toml') readPyproject(path, text, result, nameByDirectory, diagnostics);
    else if (base === 'setup.cfg') readSetupCfg(path, text, result, nameByDirectory);
    else requirementFiles.push([path, text]);
  }
  for (const [path, text] of requirementFiles) {
    const from = nameByDirectory.get(directoryOf(path)) ?? nameByDirectory.get('') ?? '';
    const kind: DependencyKind = /(dev|test|lint|doc)/i.test(path) ? 'dev' : 'require';
    for (const rawLine of text.split('\n')) {
      const line = rawLine.replace(/(^|\s)#.*$/, '').trim();
      if (!line || line.startsWith('-') || line.includes('://')) continue;
      const requirement = parseRequirement(line);
      if (requirement) result.dependencies.push({ ecosystem: 'pypi', from, ...requirement, kind, manifest: path });
    }
  }
  return result;
}

function readPyproject(
  path: string,
  text: string,
  result: PythonManifests,
  nameByDirectory: Map<string, string>,
  diagnostics: Diagnostic[],
): void {
  let document: Table;
  try {
    document = parseToml(text) as Table;
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    diagnostics.push({ file: path, severity: 'warning', message: `pyproject.toml is not valid TOML: ${message}` });
    return;
  }
  const project = table(document.project);
  const poetry = table(table(document.tool)?.poetry);
  const name = (typeof project?.name === 'string' ? project.name : undefined) ?? (typeof poetry?.name === 'string' ? poetry.name : undefined);
  const directory = directoryOf(path);
  if (name) {
    result.modules.push({ ecosystem: 'pypi', name, manifest: path, directory });
    nameByDirectory.set(directory, name);
  }
  const from = name ?? '';
  const add = (requirement: string, kind: DependencyKind): void => {
    const parsed = parseRequirement(requirement);
    if (parsed) result.dependencies.push({ ecosystem: 'pypi', from, ...parsed, kind, manifest: path });
  };
  for (const requirement of strings(project?.dependencies)) add(requirement, 'require');
  for (const group of Object.values(table(project?.['optional-dependencies']) ?? {})) {
    for (const requirement of strings(group)) add(requirement, 'optional');
  }
  for (const group of Object.values(table(document['dependency-groups']) ?? {})) {
    for (const requirement of strings(group)) add(requirement, 'dev');
  }
  const poetryDependencies = (dependencies: unknown, kind: DependencyKind): void => {
    for (const [dependency, spec] of Object.entries(table(dependencies) ?? {})) {
      if (dependency === 'python') continue;
      const version = typeof spec === 'string' ? spec : typeof table(spec)?.version === 'string' ? (table(spec)!.version as string) : '';
      result.dependencies.push({ ecosystem: 'pypi', from, name: dependency, version, kind, manifest: path });
    }
  };
  poetryDependencies(poetry?.dependencies, 'require');
  poetryDependencies(poetry?.['dev-dependencies'], 'dev');
  for (const group of Object.values(table(poetry?.group) ?? {})) poetryDependencies(table(group)?.dependencies, 'dev');
}

/** setup.cfg is INI: sections, `key = value`, and values continued on indented lines. */
function readSetupCfg(path: string, text: string, result: PythonManifests, nameByDirectory: Map<string, string>): void {
  const values = new Map<string, string>();
  let section = '';
  let key = '';
  for (const rawLine of text.split('\n')) {
    if (/^\s*[#;]/.test(rawLine) || rawLine.trim() === '') continue;
    const header = /^\[([^\]]+)\]\s*$/.exec(rawLine);
    if (header) {
      section = header[1]!.trim();
      key = '';
      continue;
    }
    const entry = /^([A-Za-z0-9_.-]+)\s*[=:]\s*(.*)$/.exec(rawLine);
    if (entry && !/^\s/.test(rawLine)) {
      key = `${section}.${entry[1]}`;
      values.set(key, entry[2]!.trim());
    } else if (key) {
      values.set(key, `${values.get(key) ?? ''}\n${rawLine.trim()}`);
    }
  }
  const name = values.get('metadata.name');
  const directory = directoryOf(path);
  if (name) {
    result.modules.push({ ecosystem: 'pypi', name, manifest: path, directory });
    if (!nameByDirectory.has(directory)) nameByDirectory.set(directory, name);
  }
  const add = (text: string | undefined, kind: DependencyKind): void => {
    for (const line of (text ?? '').split('\n').map((item) => item.trim()).filter(Boolean)) {
      const parsed = parseRequirement(line);
      if (parsed) result.dependencies.push({ ecosystem: 'pypi', from: name ?? '', ...parsed, kind, manifest: path });
    }
  };
  add(values.get('options.install_requires'), 'require');
  for (const [entry, value] of values) if (entry.startsWith('options.extras_require.')) add(value, 'optional');
}
