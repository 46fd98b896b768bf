#!/usr/bin/env node
// Used in the wild at scale (issue "Tested by and Used in the wild"): one
// library graph and GRAPHHUB_BENCH_DEPENDENTS (default 1,000) synthetic
// dependent graphs written through the store's writer, each calling a few
// library functions among calls into other modules; a tenth are forks (the
// same call sites as another graph). Prints p50/p99 of the whole answer
// (counts, fork collapsing, the first page of sites with verified excerpts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { openHub } = await import(join(root, 'dist/hub/hub.js'));
const { usedInTheWild } = await import(join(root, 'dist/query/wild.js'));

const DEPENDENTS = Number(process.env.GRAPHHUB_BENCH_DEPENDENTS ?? 1000);
const LIBRARY_FUNCTIONS = 200;
const STATS = { files: 1, skipped: 0, symbols: 0, edges: 0, unresolved: 0, externalRefs: 0, diagnostics: 0, lines: 0, bytes: 0, durationMs: 0 };
const data = mkdtempSync(join(tmpdir(), 'graphhub-wild-bench-'));
const hub = await openHub({ dataDir: data });

function symbol(file, name, line, kind = 'function') {
  return {
    id: `go:${file}:main.${name}`, kind, name, qualifiedName: `main.${name}`, language: 'go', file,
    range: { startLine: line, startCol: 1, endLine: line + 5, endCol: 2 }, nameLine: line, nameCol: 6,
    signature: '()', exported: true, doc: '', packagePath: 'example.com/app', module: 'example.com/app',
  };
}

let random = 7;
const next = (n) => {
  random = (random * 1103515245 + 12345) % 2147483648;
  return random % n;
};

const started = performance.now();
// The library.
{
  const writer = await hub.store.beginGraph({ name: 'github.com/acme/lib' }, 'lib1', 'bench');
  const source = Buffer.from(Array.from({ length: LIBRARY_FUNCTIONS }, (_, i) => `func F${i}() {}`).join('\n'));
  const blob = await hub.cas.put(source);
  await writer.addFiles([{ path: 'lib.go', blob, size: source.length, language: 'go', lines: LIBRARY_FUNCTIONS }]);
  await writer.addSymbols(
    Array.from({ length: LIBRARY_FUNCTIONS }, (_, i) => ({
      ...symbol('lib.go', `F${i}`, i + 1), qualifiedName: `lib.F${i}`, packagePath: 'example.com/lib', module: 'example.com/lib',
    })),
  );
  await writer.addModules([{ ecosystem: 'go', name: 'example.com/lib', manifest: 'go.mod', directory: '' }], []);
  await writer.publish(STATS);
}
// The dependents.
const sources = [];
for (let d = 0; d < DEPENDENTS; d++) {
  const fork = d > 10 && d % 10 === 0;
  const seed = fork ? d - 1 : d;
  const writer = await hub.store.beginGraph({ name: `github.com/user${d}/app` }, `c${d}`, 'bench');
  const text = Array.from({ length: 120 }, (_, i) => `\tlib.F${(seed * 7 + i) % LIBRARY_FUNCTIONS}() // ${seed}`).join('\n');
  if (!sources[seed]) sources[seed] = await hub.cas.put(Buffer.from(text));
  await writer.addFiles([{ path: 'main.go', blob: sources[seed], size: text.length, language: 'go', lines: 120 }]);
  const callers = Array.from({ length: 20 }, (_, i) => symbol('main.go', `f${i}`, i * 6 + 1));
  await writer.addSymbols(callers);
  const refs = [];
  for (let i = 0; i < 120; i++) {
    const caller = callers[Math.floor(i / 6)].id;
    refs.push({ caller, module: 'example.com/lib', packagePath: 'example.com/lib', symbol: `F${(seed * 7 + i) % LIBRARY_FUNCTIONS}`, strategy: 'go.import', confidence: 0.92, site: { file: 'main.go', line: i + 1, col: 7 } });
    refs.push({ caller, module: 'std', packagePath: 'fmt', symbol: 'Println', strategy: 'go.import', confidence: 0.92, site: { file: 'main.go', line: i + 1, col: 30 } });
  }
  await writer.addExternalRefs(refs);
  await writer.addModules([], [{ ecosystem: 'go', from: 'example.com/app', name: 'example.com/lib', version: `v1.${next(9)}.0`, kind: 'require', manifest: 'go.mod' }]);
  await writer.publish(STATS);
}
console.log(`wrote 1 library graph and ${DEPENDENTS} dependent graphs in ${Math.round(performance.now() - started)} ms`);

const library = await hub.store.findGraph('github.com/acme/lib');
const targets = await hub.store.symbolsNamed(library.id, 'F0', 1).then(async () =>
  Promise.all(Array.from({ length: 50 }, (_, i) => hub.store.symbolsNamed(library.id, `F${(i * 37) % LIBRARY_FUNCTIONS}`, 1).then((s) => s[0]))),
);
const samples = [];
const cpuSamples = [];
let repositories = 0;
for (let round = 0; round < 6; round++) {
  for (const target of targets) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const answer = await usedInTheWild(hub.store, hub.cas, library, target, { limit: 10 });
    const cpu = process.cpuUsage(c0);
    const elapsed = performance.now() - t0;
    // The first round warms caches.
    if (round > 0) {
      samples.push(elapsed);
      cpuSamples.push((cpu.user + cpu.system) / 1000);
    }
    repositories = Math.max(repositories, answer.totalRepositories);
  }
}
const pick = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))].toFixed(2);
console.log(`used in the wild over ${DEPENDENTS} dependent graphs (up to ${repositories} repositories per symbol after collapsing forks):`);
console.log(`  wall p50 ${pick(samples, 50)} ms, p99 ${pick(samples, 99)} ms (target p99 ≤ 50 ms); CPU p50 ${pick(cpuSamples, 50)} ms, p99 ${pick(cpuSamples, 99)} ms`);
await hub.close();
rmSync(data, { recursive: true, force: true });
