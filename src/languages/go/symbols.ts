/**
 * Go declarations → SymbolRecords: packages, files, functions, methods,
 * types, interface methods and tests.
 */
import { fileSymbol, type SymbolKind, type SymbolRecord } from '../../model/graph.js';
import { packageSymbolId } from '../../model/symbol-id.js';
import { declId, interfaceMethodId, isTestFunctionName, isTestifySuite, qualifiedNameOf, subtestId, subtestName, type PackageIndex } from './packages.js';

function isExported(name: string): boolean {
  const first = name.codePointAt(0);
  if (first === undefined) return false;
  const char = String.fromCodePoint(first);
  return char !== char.toLowerCase() && char === char.toUpperCase();
}

/**
 * Symbols of every package, then of each file in `only` (every file when it
 * is undefined), a batch at a time: made as the writer takes them
 * (Resolution.symbolBatches), so that a large repository's records are not
 * all in memory at once.
 */
export function* goSymbols(index: PackageIndex, only?: ReadonlySet<string>): Generator<SymbolRecord[]> {
  let symbols: SymbolRecord[] = [];
  for (const pkg of index.packages.values()) {
    if (pkg.key.endsWith('#test')) continue;
    symbols.push({
      id: packageSymbolId('go', pkg.directory, pkg.name),
      kind: 'package',
      name: pkg.name,
      qualifiedName: pkg.importPath,
      language: 'go',
      file: pkg.directory,
      range: { startLine: 1, startCol: 1, endLine: 1, endCol: 1 },
      nameLine: 1,
      nameCol: 1,
      signature: '',
      exported: true,
      doc: '',
      packagePath: pkg.copiedFrom?.path ?? pkg.importPath,
      module: pkg.module,
    });
  }
  yield symbols;
  for (const file of index.files) {
    if (only && !only.has(file.path)) continue;
    symbols = [];
    const pkg = file.pkg;
    // Read once for the file, as a scan: the ids below read its heads again and again.
    file.pin(undefined, true);
    // Doc comments are a local fact: read back for this file when the index keeps them out of memory.
    const docs = file.stored ? (file.stored.loadLocal(['docs']).docs ?? []) : file.facts.docs;
    const decls = file.decls(true);
    // A copy's symbols are named as in the module they were copied from, as vendored ones are.
    const base = { language: 'go', file: file.path, packagePath: pkg.copiedFrom?.path ?? pkg.importPath, module: pkg.module };
    symbols.push(fileSymbol(base, file.fileId, file.facts.lines));
    decls.forEach((decl, declIndex) => {
      let kind: SymbolKind = decl.kind;
      if (decl.kind === 'function' && file.isTest && isTestFunctionName(decl.name)) kind = 'test';
      if (decl.kind === 'method' && file.isTest && /^Test/.test(decl.name)) {
        const receiver = decl.receiver ? pkg.types.get(decl.receiver.type) : undefined;
        if (receiver && isTestifySuite(receiver)) kind = 'test';
      }
      const symbol: SymbolRecord = {
        id: declId(file, declIndex),
        kind,
        name: decl.name,
        qualifiedName: qualifiedNameOf(pkg.name, file.facts.heads[declIndex]!),
        range: decl.range,
        nameLine: decl.nameLine,
        nameCol: decl.nameCol,
        signature: decl.signature,
        exported: isExported(decl.name),
        doc: docs[declIndex] ?? '',
        ...base,
      };
      if (decl.kind === 'method' && decl.receiver) symbol.receiver = decl.receiver.type;
      symbols.push(symbol);
      if (decl.kind === 'interface') {
        decl.methods.forEach((method, methodIndex) => {
          symbols.push({
            id: interfaceMethodId(file, declIndex, methodIndex),
            kind: 'method',
            name: method.name,
            qualifiedName: `${pkg.name}.${decl.name}.${method.name}`,
            range: method.range,
            nameLine: method.range.startLine,
            nameCol: method.range.startCol,
            signature: method.signature,
            exported: isExported(method.name) && isExported(decl.name),
            doc: '',
            receiver: decl.name,
            ...base,
          });
        });
      }
    });
    file.facts.subtests.forEach((subtest, index) => {
      const id = subtestId(file, index);
      const owner = file.facts.heads[subtest.owner];
      if (!id || !owner) return;
      const name = `${owner.name}/${subtestName(subtest.name)}`;
      symbols.push({
        id,
        kind: 'test',
        name,
        qualifiedName: `${pkg.name}.${name}`,
        range: subtest.range,
        nameLine: subtest.line,
        nameCol: subtest.col,
        signature: '',
        exported: false,
        doc: '',
        ...base,
      });
    });
    file.release();
    yield symbols;
  }
}
