/**
 * Python files and declarations → SymbolRecords: packages (directories
 * with __init__.py), modules, files, functions, classes, methods, nested
 * functions and tests, with decorators kept as written.
 */
import { fileSymbol, type SymbolKind, type SymbolRecord } from '../../model/graph.js';
import { rangeFromFacts } from '../syntax-helpers.js';
import { formatSymbolId, packageSymbolId } from '../../model/symbol-id.js';
import { localFactReader, type ResolveFile } from '../language.js';
import type { PyDecl, PyDeclDetail, PyFileFacts } from './facts.js';
import type { PyFile, PyProject } from './project.js';
import { declOf, type PyValueOracle } from './values.js';

const FIRST_LINE = { startLine: 1, startCol: 1, endLine: 1, endCol: 1 };

/** The packages of a project: directories with __init__.py. */
export function packageSymbols(project: PyProject): SymbolRecord[] {
  const symbols: SymbolRecord[] = [];
  for (const [directory, dotted] of project.packages) {
    symbols.push({
      id: packageSymbolId('py', directory, dotted),
      kind: 'package',
      name: dotted.split('.').pop()!,
      qualifiedName: dotted,
      language: 'py',
      file: directory,
      range: FIRST_LINE,
      nameLine: 1,
      nameCol: 1,
      signature: '',
      exported: isPublic(dotted.split('.').pop()!),
      doc: '',
      packagePath: dotted,
    });
  }
  return symbols;
}

/**
 * A file's symbols at a time, made as the writer asks for them
 * (Resolution.symbolBatches), as TypeScript's and Go's are.
 */
export function* pySymbolBatches(files: Iterable<PyFile>, inputs: ReadonlyArray<ResolveFile<PyFileFacts>>, oracle: PyValueOracle): Generator<SymbolRecord[]> {
  const local = localFactReader(inputs);
  for (const file of files) {
    oracle.forgetCaches();
    // Declarations' details are a local fact: read back for this file's records only.
    yield fileSymbols(file, oracle, local(file, 'details'));
  }
}

/** A file's own symbols: the file, its module, functions, classes, methods and tests; `details` are its declarations' (PyFileFacts.details). */
function fileSymbols(file: PyFile, oracle: PyValueOracle, details: readonly PyDeclDetail[]): SymbolRecord[] {
  const symbols: SymbolRecord[] = [];
  const base = { language: 'py', file: file.path, packagePath: file.module };
  symbols.push(fileSymbol(base, file.fileId, file.facts.lines));
  if (!file.isPackage) {
    symbols.push({
      id: formatSymbolId({ language: 'py', path: file.path, descriptor: file.module }),
      kind: 'module',
      name: file.module.split('.').pop()!,
      qualifiedName: file.module,
      range: { startLine: 1, startCol: 1, endLine: file.facts.lines, endCol: 1 },
      nameLine: 1,
      nameCol: 1,
      signature: '',
      exported: isPublic(file.module.split('.').pop()!),
      doc: '',
      ...base,
    });
  }
  const tests = testDecls(file, oracle);
  const exported: boolean[] = [];
  file.facts.decls.forEach((decl, index) => {
    const parent = decl.parent >= 0 ? file.facts.decls[decl.parent] : undefined;
    exported.push(parent ? exported[decl.parent]! && parent.kind === 'class' && isPublic(decl.name) : isExportedName(file, decl.name));
    const detail = details[index]!;
    const symbol: SymbolRecord = {
      id: file.declIds[index]!,
      kind: tests.has(index) ? 'test' : kindOf(decl, parent),
      name: decl.name,
      qualifiedName: file.qualifiedNames[index]!,
      range: rangeFromFacts(detail.range),
      nameLine: detail.nameLine,
      nameCol: detail.nameCol,
      signature: detail.signature,
      exported: exported[index]!,
      doc: detail.doc,
      ...base,
    };
    if (parent?.kind === 'class' && decl.kind === 'function') symbol.receiver = parent.name;
    if (decl.decorators) symbol.decorators = decl.decorators;
    symbols.push(symbol);
  });
  return symbols;
}

function kindOf(decl: PyDecl, parent: PyDecl | undefined): SymbolKind {
  if (decl.kind === 'class') return 'class';
  return parent?.kind === 'class' ? 'method' : 'function';
}

/** Dunder names are public protocol; other leading underscores are private. */
function isPublic(name: string): boolean {
  return !name.startsWith('_') || (name.startsWith('__') && name.endsWith('__'));
}

function isExportedName(file: PyFile, name: string): boolean {
  return file.facts.all ? file.facts.all.includes(name) : !name.startsWith('_');
}

/**
 * pytest: test* functions and Test* classes (and their test* methods) in
 * test files; unittest: test* methods of TestCase subclasses anywhere.
 */
function testDecls(file: PyFile, oracle: PyValueOracle): Set<number> {
  const tests = new Set<number>();
  const decls = file.facts.decls;
  decls.forEach((decl, index) => {
    if (decl.kind !== 'class') return;
    const testCase = isTestCase(file, index, oracle);
    const pytestClass = file.isTest && decl.parent < 0 && decl.name.startsWith('Test');
    if (!testCase && !pytestClass) return;
    tests.add(index);
    for (const members of file.members.get(index)?.values() ?? []) {
      for (const member of members) if (decls[member]!.kind === 'function' && decls[member]!.name.startsWith('test')) tests.add(member);
    }
  });
  if (file.isTest) {
    decls.forEach((decl, index) => {
      if (decl.kind === 'function' && decl.parent < 0 && decl.name.startsWith('test')) tests.add(index);
    });
  }
  return tests;
}

function isTestCase(file: PyFile, index: number, oracle: PyValueOracle): boolean {
  return oracle.mro({ v: 'decl', file, index }).slice(1).some((entry) => {
    if (entry.v === 'external') return /TestCase$/.test(entry.path[entry.path.length - 1] ?? '');
    return /TestCase$/.test(declOf(entry)?.decl.name ?? '');
  });
}
