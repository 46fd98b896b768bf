/**
 * The repository-wide view the TypeScript resolver works on: every file
 * with its declarations' ids and qualified names, its bindings by name, its
 * imports, exports and the members of each class, namespace and object.
 */
import { posix } from 'node:path';
import { formatSymbolId } from '../../model/symbol-id.js';
import { DescriptorCounter } from '../call-graph-builder.js';
import type { ResolveFile } from '../language.js';
import { shareScopes } from '../syntax-helpers.js';
import type { TsBinding, TsExport, TsFileFacts, TsImport } from './facts.js';
import type { PackageManifest } from './manifests.js';

export interface TsFile {
  path: string;
  facts: TsFileFacts;
  fileId: string;
  isTest: boolean;
  /** Symbol id of each declaration; undefined for a test block outside a test file. */
  declIds: Array<string | undefined>;
  qualifiedNames: string[];
  bindings: Map<string, TsBinding[]>;
  imports: Map<string, TsImport>;
  exports: Map<string, TsExport[]>;
  starExports: TsExport[];
  /** Declaration index (-1 for the file) → member name → member declaration indexes. */
  members: Map<number, Map<string, number[]>>;
  pkg: PackageManifest | undefined;
}

const TEST_DIRECTORIES = new Set(['__tests__', 'test', 'tests', '__test__', 'spec']);

/** Test files by the conventions of vitest, jest, mocha and node:test. */
export function isTestFile(path: string): boolean {
  const base = posix.basename(path);
  if (/\.(test|spec)\.[cm]?[jt]sx?$/.test(base) || /^test\.[cm]?[jt]sx?$/.test(base)) return true;
  return path.split('/').slice(0, -1).some((segment) => TEST_DIRECTORIES.has(segment));
}

export function buildFile(input: ResolveFile<TsFileFacts>, pkg: PackageManifest | undefined): TsFile {
  const facts = input.facts;
  const file: TsFile = {
    path: input.path,
    facts,
    fileId: formatSymbolId({ language: 'ts', path: input.path, descriptor: '' }),
    isTest: isTestFile(input.path),
    declIds: [],
    qualifiedNames: [],
    bindings: new Map(),
    imports: new Map(),
    exports: new Map(),
    starExports: [],
    members: new Map(),
    pkg,
  };
  const descriptors = new DescriptorCounter();
  facts.decls.forEach((decl, index) => {
    // A describe/it outside a test file is not a test; what it holds belongs to the code around it.
    const kept = decl.kind !== 'test' || file.isTest;
    let parent = decl.parent;
    while (parent >= 0 && file.declIds[parent] === undefined) parent = facts.decls[parent]!.parent;
    const parentDecl = parent >= 0 ? facts.decls[parent] : undefined;
    const separator = parentDecl?.kind === 'test' && decl.kind === 'test' ? ' > ' : '.';
    const name = decl.name || '(anonymous)';
    const qualifiedName = parentDecl ? `${file.qualifiedNames[parent]}${separator}${name}` : name;
    file.qualifiedNames.push(qualifiedName);
    file.declIds.push(kept ? formatSymbolId({ language: 'ts', path: input.path, descriptor: descriptors.next(qualifiedName) }) : undefined);
    if (decl.kind === 'test') return;
    let byName = file.members.get(decl.parent);
    if (!byName) file.members.set(decl.parent, (byName = new Map()));
    const list = byName.get(decl.name);
    if (list) list.push(index);
    else byName.set(decl.name, [index]);
  });
  shareScopes(facts.bindings);
  for (const binding of facts.bindings) {
    const list = file.bindings.get(binding.name);
    if (list) list.push(binding);
    else file.bindings.set(binding.name, [binding]);
  }
  for (const entry of facts.imports) file.imports.set(entry.local, entry);
  for (const entry of facts.exports) {
    if (entry.exported === '*') {
      file.starExports.push(entry);
      continue;
    }
    const list = file.exports.get(entry.exported);
    if (list) list.push(entry);
    else file.exports.set(entry.exported, [entry]);
  }
  return file;
}

/** The innermost binding of `name` visible at offset `at`. */
export function bindingAt(file: TsFile, name: string, at: number): TsBinding | undefined {
  let best: TsBinding | undefined;
  for (const binding of file.bindings.get(name) ?? []) {
    if (at < binding.scope[0] || at >= binding.scope[1] || binding.at > at) continue;
    if (!best || binding.scope[0] > best.scope[0] || (binding.scope[0] === best.scope[0] && binding.at >= best.at)) best = binding;
  }
  return best;
}
