#!/usr/bin/env node
// Indexing and query speed (issue "Speed"): for real corpora and generated
// Go repositories of growing size, prints files, lines, bytes; the
// single-threaded tree-sitter parse time (the floor) against full index time,
// single-threaded and parallel; peak RSS; re-index time after a one-file
// change; query latency p50/p99; size on disk; and the scaling exponent.
//
// Corpora: runc at a pinned commit when a clone is available
// (GRAPHHUB_BENCH_RUNC=/path/to/runc, or the tool library's mirror), Debian Go
// sources: the Go standard library of Debian's golang-1.19-src at a pinned
// version, and whatever is under /usr/share/gocode/src when installed, zod's TypeScript
// sources (the npm package zod@3.25.76, fetched with `npm pack` at bench
// time, never committed), pygments when Debian's python3-pygments is
// installed, and generated repositories.
// Sizes: GRAPHHUB_BENCH_SIZES=10000,100000,1000000,2000000 (default). Memory growth is judged between the
// two largest, both past the indexer's budgets (32,768 declarations held, ~350k generated lines), which
// smaller sizes are still filling.
// GRAPHHUB_BENCH_CORPORA=runc,gostd,gocode,zod,pygments,generated (default: all).
//
// The machine may be shared: every index line gives CPU time (user+sys)
// next to wall time, and the parse floor is CPU time too.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { generateGoRepository } from './generate-go.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'graphhub.js');
const require = createRequire(join(root, 'package.json'));
const RUNC_COMMIT = 'fba5a1ec2358e2523fec6f5ecdd4514dbdf2666c';
const ZOD_PACKAGE = 'zod@3.25.76';
const PYGMENTS = '/usr/lib/python3/dist-packages/pygments';
/**
 * A large Debian Go source package at a pinned version: the Go 1.19 standard
 * library and toolchain (2.0M lines of Go), installed with Debian's golang-go.
 */
const GO_SRC_PACKAGE = 'golang-1.19-src';
const GO_SRC_VERSION = '1.19.8-2';
const GO_SRC = '/usr/share/go-1.19/src';
const sizes = (process.env.GRAPHHUB_BENCH_SIZES ?? '10000,100000,1000000,2000000').split(',').map(Number);
const corpora = new Set((process.env.GRAPHHUB_BENCH_CORPORA ?? 'runc,gostd,gocode,zod,pygments,generated').split(','));
const work = mkdtempSync(join(tmpdir(), 'graphhub-bench-'));

function graphhub(data, args) {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, bin, '--data', data, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`graphhub ${args.join(' ')} failed: ${result.stderr}`);
  const timeLine = result.stderr.trim().split('\n').pop();
  const [wall, user, system, rssKb] = timeLine.split(' ').map(Number);
  return {
    wallMs: Math.round(wall * 1000),
    cpuMs: Math.round((user + system) * 1000),
    rssMb: Math.round(rssKb / 1024),
    json: args.includes('--json') ? JSON.parse(result.stdout) : undefined,
  };
}

/**
 * Full indexes and parse floors are each measured this many times and the
 * median reported (GRAPHHUB_BENCH_ROUNDS): the machine may be shared, and
 * one run of runc's index was seen anywhere between 4.2 and 6.4 s.
 */
const ROUNDS = Math.max(1, Number(process.env.GRAPHHUB_BENCH_ROUNDS ?? 3));

/**
 * The floor: tree-sitter parsing the same files in one thread, nothing else,
 * in a fresh process (parse-floor.js) as an index runs in one: CPU time of
 * the first pass (cold, as an index meets the files) and the best of two more.
 * Measured once per round (benchCorpus).
 */
function parseOnlyMs(directory) {
  const result = spawnSync(process.execPath, [join(root, 'bench', 'parse-floor.js'), directory], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`parse-floor.js failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

function duMb(path) {
  return Math.round(Number(execFileSync('du', ['-sk', path], { encoding: 'utf8' }).split('\t')[0]) / 1024);
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function median(values) {
  return percentile(values, 50);
}

async function queryLatencies(data, repository) {
  const { openHub } = await import(join(root, 'dist/hub/hub.js'));
  const { findGraph, findOneSymbol } = await import(join(root, 'dist/query/find-symbol.js'));
  const { symbolPage } = await import(join(root, 'dist/query/symbol-page.js'));
  const { impactOf } = await import(join(root, 'dist/query/impact.js'));
  const { usedInTheWild } = await import(join(root, 'dist/query/wild.js'));
  const hub = await openHub({ dataDir: data });
  try {
    const graph = await findGraph(hub.store, { repository });
    const names = (await hub.store.symbolNames(graph.id)).filter((name) => !name.includes('.')).slice(0, 4000);
    const pick = (i) => names[(i * 7919) % names.length];
    const time = async (label, fn, n = 200) => {
      const samples = [];
      for (let i = 0; i < 20; i++) await fn(i); // warm
      for (let i = 0; i < n; i++) {
        const started = performance.now();
        await fn(i);
        samples.push(performance.now() - started);
      }
      return { label, p50: percentile(samples, 50), p99: percentile(samples, 99) };
    };
    const symbols = [];
    for (let i = 0; symbols.length < 200 && i < 2000; i++) {
      const found = await hub.store.symbolsNamed(graph.id, pick(i), 1);
      if (found[0] && found[0].kind !== 'package') symbols.push(found[0]);
    }
    const sym = (i) => symbols[i % symbols.length];
    return [
      await time('symbol (lookup)', (i) => findOneSymbol(hub.store, graph, sym(i).id)),
      await time('symbol page', (i) => symbolPage(hub.store, hub.cas, graph, sym(i))),
      await time('callers', (i) => hub.store.callers(graph.id, sym(i).id)),
      await time('callees', (i) => hub.store.callees(graph.id, sym(i).id)),
      await time('impact depth 3', (i) => impactOf(hub.store, graph, sym(i), { depth: 3 })),
      await time('search', (i) => hub.store.searchSymbols({ text: pick(i).slice(0, 4), limit: 20 })),
      await time('used in the wild', (i) => usedInTheWild(hub.store, hub.cas, graph, sym(i))),
    ];
  } finally {
    await hub.close();
  }
}

/**
 * Local use: `graphhub watch` on the work tree, then `edits` one-line edits of
 * `file`, each waited for. Index time is the summary's durationMs; latency is
 * from the write to the summary on stdout (file event, debounce 0, index,
 * publish). Then one `graphhub index --worktree` after one more edit: the
 * one-shot command, process start included.
 */
async function worktreeReindex(data, directory, repository, file, edits = 7) {
  const { spawn } = await import('node:child_process');
  const watcher = spawn(process.execPath, [bin, '--data', data, 'watch', directory, '--repo', repository, '--json', '--debounce', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const summaries = [];
  let waiting;
  let buffered = '';
  watcher.stdout.on('data', (chunk) => {
    buffered += chunk;
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (!line.startsWith('{')) continue;
      summaries.push({ at: performance.now(), json: JSON.parse(line) });
      waiting?.();
    }
  });
  let stderr = '';
  watcher.stderr.on('data', (chunk) => (stderr += chunk));
  const next = (count) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`watch gave no summary in 120 s: ${stderr}`)), 120000);
      waiting = () => {
        if (summaries.length >= count) {
          clearTimeout(timer);
          resolve(summaries[count - 1]);
        }
      };
      waiting();
    });
  const indexMs = [];
  const latencyMs = [];
  // The watching process's memory: its peak, and what it holds between changes (after the last edit).
  const memory = () => {
    const status = readFileSync(`/proc/${watcher.pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { peakMb: Math.round(kb('VmHWM') / 1024), rssMb: Math.round(kb('VmRSS') / 1024) };
  };
  let held;
  try {
    await next(1);
    for (let i = 1; i <= edits; i++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const written = performance.now();
      appendFileSync(join(directory, file), `// watch edit ${i}\n`);
      const summary = await next(i + 1);
      indexMs.push(summary.json.stats.durationMs);
      latencyMs.push(Math.round(summary.at - written));
    }
    held = memory();
  } finally {
    watcher.kill('SIGINT');
    await new Promise((resolve) => watcher.once('exit', resolve));
  }
  // A file written within the racy margin is read again whatever its fingerprint; wait it out, as a user would.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  appendFileSync(join(directory, file), '// one-shot edit\n');
  const oneShot = graphhub(data, ['index', '--worktree', directory, '--repo', repository, '--json']);
  // A change other files can see: a function added (Go narrows it to the files that name it).
  let added;
  if (file.endsWith('.go')) {
    appendFileSync(join(directory, file), '\nfunc GraphhubBenchAdded() {}\n');
    added = graphhub(data, ['index', '--worktree', directory, '--repo', repository, '--json']);
  }
  return { indexMs, latencyMs, median: median(indexMs), medianLatency: median(latencyMs), oneShot, added, held };
}

async function benchCorpus(label, directory, indexArgs, change, editFile) {
  // Rounds interleave the floor and the two kinds of index, so that each ratio compares runs made under the same load.
  const floors = [];
  const runs = { 0: [], auto: [] };
  const data = { 0: join(work, `${label}-0`), auto: join(work, `${label}-auto`) };
  for (let round = 0; round < ROUNDS; round++) {
    floors.push(parseOnlyMs(directory));
    for (const threads of ['0', 'auto']) {
      rmSync(data[threads], { recursive: true, force: true });
      const run = graphhub(data[threads], ['index', ...indexArgs, '--json', ...(threads === '0' ? ['--threads', '0'] : [])]);
      runs[threads].push({ ...run, floor: floors[round] });
    }
  }
  const floor = { ...floors[0], ms: median(floors.map((f) => f.ms)), warmMs: median(floors.map((f) => f.warmMs)) };
  console.log(`\n${label}: ${floor.files} source files, ${floor.lines} lines, ${(floor.bytes / 1e6).toFixed(1)} MB`);
  const each = (values) => (values.length > 1 ? ` (${values.join(', ')})` : '');
  console.log(`  parse only (1 thread, CPU; median of ${ROUNDS}): ${floor.ms} ms cold${each(floors.map((f) => f.ms))}, ${floor.warmMs} ms warm${each(floors.map((f) => f.warmMs))}`);
  const results = {};
  for (const threads of ['0', 'auto']) {
    const all = runs[threads];
    // The median run by wall time, with its other figures; the data folder holds the last run's graph (the same graph).
    const run = [...all].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(all.length / 2)];
    const peakRssMb = Math.max(...all.map((r) => r.rssMb));
    // The peak target takes the most of the rounds; growth between sizes takes each size's median, since one
    // run's peak strays by ±7 MB (when V8 last collected, how glibc's heap fragmented), more than a million lines adds.
    const medianRssMb = median(all.map((r) => r.rssMb));
    results[threads] = { ...run, data: data[threads], peakRssMb, medianRssMb, all };
    const t = run.json.timings;
    // Each run against the floor measured in its own round; the median of those ratios.
    const cold = median(all.map((r) => r.wallMs / r.floor.ms));
    const warm = median(all.map((r) => r.wallMs / r.floor.warmMs));
    console.log(
      `  full index, ${threads === '0' ? '1 thread ' : 'parallel'}: ${run.wallMs} ms wall${each(all.map((r) => r.wallMs))} (read ${t.readMs}, resolve ${t.resolveMs}, write ${t.writeMs}), ${cold.toFixed(2)}× parse cold, ${warm.toFixed(2)}× warm; CPU ${run.cpuMs} ms (${(run.cpuMs / floor.ms).toFixed(2)}× parse); peak RSS ${peakRssMb} MB (the process: main thread and workers; the most of ${all.length}${each(all.map((r) => r.rssMb))}); local facts spilled ${((run.json.spilledBytes ?? 0) / 1e6).toFixed(1)} MB`,
    );
  }
  const json = results.auto.json;
  const dataDir = results.auto.data;
  console.log(`  graph: ${json.stats.symbols} symbols, ${json.stats.edges} edges, ${json.stats.unresolved} unresolved, ${json.stats.externalRefs} external refs`);
  console.log(`  size on disk: ${duMb(dataDir)} MB (graph.sqlite ${Math.round(statSync(join(dataDir, 'graph.sqlite')).size / 1e6)} MB, blobs in cas.sqlite ${Math.round(statSync(join(dataDir, 'cas.sqlite')).size / 1e6)} MB)`);
  const again = graphhub(dataDir, ['index', ...indexArgs, '--json']);
  const how = again.json.upToDate ? 'already the newest graph: answered from it' : `${again.json.cachedFiles} files from cache`;
  console.log(`  re-index, nothing changed: ${again.wallMs} ms wall, CPU ${again.cpuMs} ms (${how})`);
  const forced = graphhub(dataDir, ['index', ...indexArgs, '--json', '--force']);
  console.log(`  re-index from scratch (--force), facts from the cache: ${forced.wallMs} ms wall, CPU ${forced.cpuMs} ms (${forced.json.cachedFiles} files from cache)`);
  const reindex = {};
  if (change) {
    const changedArgs = change();
    // Pages in use (free pages left by the replaced --force graph would hide the growth in the file's size).
    const graphBytes = () => {
      const db = new Database(join(dataDir, 'graph.sqlite'), { readonly: true });
      try {
        return (db.pragma('page_count', { simple: true }) - db.pragma('freelist_count', { simple: true })) * db.pragma('page_size', { simple: true });
      } finally {
        db.close();
      }
    };
    const before = graphBytes();
    const changed = graphhub(dataDir, ['index', ...changedArgs, '--json']);
    const reuse = changed.json.incremental;
    const resolved = reuse ? `, ${reuse.resolvedFiles} files resolved, ${reuse.reusedFiles} reused` : ', resolved in full';
    // The new graph shares the unchanged files' rows with the one it was built on: the database grows by the changed rows.
    const grown = ((graphBytes() - before) / 1e6).toFixed(1);
    console.log(`  re-index after a one-file change (new commit, one-shot): ${changed.wallMs} ms wall, CPU ${changed.cpuMs} ms, index ${changed.json.stats.durationMs} ms${resolved}; graph database +${grown} MB`);
    reindex['new commit (index)'] = changed.json.stats.durationMs;
  }
  if (editFile) {
    const local = await worktreeReindex(dataDir, directory, `${json.repository}-worktree`, editFile);
    console.log(
      `  re-index after a one-file edit, watch: index median ${local.median} ms (${local.indexMs.join(', ')}), edit to graph median ${local.medianLatency} ms (${local.latencyMs.join(', ')}); the watching process: RSS ${local.held.rssMb} MB after the edits, peak ${local.held.peakMb} MB`,
    );
    const shot = local.oneShot;
    reindex['watch (index, median)'] = local.median;
    reindex['index --worktree (index)'] = shot.json.stats.durationMs;
    console.log(`  re-index after a one-file edit, index --worktree (one-shot): ${shot.wallMs} ms wall, index ${shot.json.stats.durationMs} ms, CPU ${shot.cpuMs} ms`);
    if (local.added) {
      const added = local.added;
      console.log(
        `  re-index after a function is added, index --worktree (one-shot): ${added.wallMs} ms wall, index ${added.json.stats.durationMs} ms, ${added.json.incremental?.resolvedFiles ?? 'all'} files resolved`,
      );
    }
  }
  const queries = await queryLatencies(dataDir, json.repository);
  for (const { label, p50, p99 } of queries) console.log(`  ${label} p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`);
  const ratioCold = median(results.auto.all.map((r) => r.wallMs / r.floor.ms));
  return { label, ratioCold, reindex, queries, lines: floor.lines, symbols: json.stats.symbols, fullMs: results.auto.wallMs, oneThreadMs: results['0'].wallMs, parseMs: floor.ms, rssMb: results.auto.peakRssMb, oneThreadRssMb: results['0'].peakRssMb, medianRssMb: results.auto.medianRssMb, oneThreadMedianRssMb: results['0'].medianRssMb };
}

function exponent(points) {
  // Least-squares slope of log(time) against log(lines).
  const xs = points.map((p) => Math.log(p.lines));
  const ys = points.map((p) => Math.log(p.ms));
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i] - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

function git(dir, ...args) {
  return execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'b@b' },
  }).trim();
}

/** An npm package unpacked into a git repository of its own, or undefined (with a note) when it cannot be fetched. */
function fetchNpmPackage(spec) {
  const directory = join(work, spec.replace(/[^\w.-]/g, '_'));
  try {
    execFileSync('mkdir', ['-p', directory]);
    const tarball = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', directory], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').pop();
    execFileSync('tar', ['xzf', join(directory, tarball), '-C', directory]);
    const unpacked = join(directory, 'package');
    git(unpacked, 'init', '-q');
    git(unpacked, 'add', '-A');
    git(unpacked, 'commit', '-q', '-m', spec);
    return unpacked;
  } catch (error) {
    console.log(`\n${spec}: cannot be fetched with npm pack (${error.message.split('\n')[0]}); skipped`);
    return undefined;
  }
}

async function main() {
  console.log(`graphhub index-speed bench on ${process.arch}, ${require('node:os').availableParallelism()} cores, node ${process.version}`);
  const runcSource = process.env.GRAPHHUB_BENCH_RUNC ?? '/work/.mirror/opencontainers+runc/repo';
  let runc;
  if (!corpora.has('runc')) {
    // not asked for
  } else if (existsSync(runcSource)) {
    const clone = join(work, 'runc');
    execFileSync('git', ['clone', '-q', '--shared', '--no-checkout', runcSource, clone]);
    git(clone, 'checkout', '-q', RUNC_COMMIT);
    runc = await benchCorpus('runc with vendor/', clone, [clone, '--repo', 'github.com/opencontainers/runc', '--commit', RUNC_COMMIT], () => {
      appendFileSync(join(clone, 'utils_linux.go'), '\n// a one-line change\n');
      git(clone, 'commit', '-q', '-am', 'one-file change');
      return [clone, '--repo', 'github.com/opencontainers/runc'];
    }, 'utils_linux.go');
    const noVendor = join(work, 'runc-no-vendor');
    execFileSync('git', ['clone', '-q', '--shared', '--no-checkout', runcSource, noVendor]);
    git(noVendor, 'checkout', '-q', RUNC_COMMIT);
    rmSync(join(noVendor, 'vendor'), { recursive: true, force: true });
    // The index reads the commit, not the work tree: the removal must be committed.
    git(noVendor, 'commit', '-q', '-am', 'without vendor/');
    await benchCorpus('runc without vendor/', noVendor, [noVendor, '--repo', 'github.com/opencontainers/runc-novendor']);
  } else {
    console.log(`\nrunc: no clone at ${runcSource} (set GRAPHHUB_BENCH_RUNC)`);
  }
  if (!corpora.has('gostd')) {
    // not asked for
  } else if (existsSync(GO_SRC)) {
    const installed = execFileSync('dpkg-query', ['-W', '-f', '${Version}', GO_SRC_PACKAGE], { encoding: 'utf8' }).trim();
    const pinned = installed === GO_SRC_VERSION ? '' : `; not the pinned ${GO_SRC_VERSION}: figures are not comparable`;
    const gostd = join(work, 'go-std');
    execFileSync('cp', ['-r', GO_SRC, gostd]);
    git(gostd, 'init', '-q');
    git(gostd, 'add', '-A');
    git(gostd, 'commit', '-q', '-m', `${GO_SRC_PACKAGE} ${installed}`);
    await benchCorpus(`Debian ${GO_SRC_PACKAGE} ${installed} (${GO_SRC}${pinned})`, gostd, [gostd, '--repo', 'go.dev/std'], () => {
      appendFileSync(join(gostd, 'net', 'http', 'server.go'), '\n// a one-line change\n');
      git(gostd, 'commit', '-q', '-am', 'one-file change');
      return [gostd, '--repo', 'go.dev/std'];
    }, join('net', 'http', 'server.go'));
  } else {
    console.log(`\nGo standard library: not installed at ${GO_SRC} (apt-get install ${GO_SRC_PACKAGE})`);
  }
  const gocode = '/usr/share/gocode/src';
  if (corpora.has('gocode') && existsSync(gocode)) await benchCorpus('Debian Go sources (/usr/share/gocode/src)', gocode, [gocode, '--repo', 'debian/gocode']);

  const zod = corpora.has('zod') ? fetchNpmPackage(ZOD_PACKAGE) : undefined;
  if (zod) {
    await benchCorpus(`${ZOD_PACKAGE} (TypeScript sources and built JavaScript)`, zod, [zod, '--repo', 'npm/zod'], () => {
      // A leaf of the import graph: few files depend on it.
      const file = join(zod, 'src', 'v4', 'locales', 'en.ts');
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n// changed\n`);
      git(zod, 'commit', '-q', '-am', 'one-file change');
      return [zod, '--repo', 'npm/zod'];
    });
  }

  if (!corpora.has('pygments')) {
    // not asked for
  } else if (existsSync(PYGMENTS)) {
    const pygments = join(work, 'pygments');
    execFileSync('cp', ['-r', PYGMENTS, pygments]);
    await benchCorpus(`pygments (${PYGMENTS})`, pygments, [pygments, '--repo', 'debian/pygments']);
  } else {
    console.log(`\npygments: not installed at ${PYGMENTS} (apt-get install python3-pygments)`);
  }

  const points = [];
  for (const lines of corpora.has('generated') ? sizes : []) {
    const directory = join(work, `generated-${lines}`);
    generateGoRepository(directory, lines);
    const result = await benchCorpus(`generated ${lines} lines`, directory, [directory, '--repo', `example.com/generated-${lines}`], () => {
      const file = join(directory, 'pkg0', 'file0.go');
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n// changed\n`);
      return [directory, '--repo', `example.com/generated-${lines}`];
    });
    points.push({ lines: result.lines, symbols: result.symbols, ms: result.fullMs, rssMb: result.rssMb, oneThreadRssMb: result.oneThreadRssMb, medianRssMb: result.medianRssMb, oneThreadMedianRssMb: result.oneThreadMedianRssMb });
  }
  if (points.length >= 2) {
    console.log(`\nscaling: index time ∝ lines^${exponent(points).toFixed(2)} (1.00 is linear)`);
    // Memory that does not grow with size gives 0; what is in flight (workers, buffers) is the constant part.
    for (const [label, key] of [['parallel index', 'rssMb'], ['1 thread', 'oneThreadRssMb']]) {
      console.log(`scaling: peak RSS ∝ lines^${exponent(points.map((p) => ({ lines: p.lines, ms: p[key] }))).toFixed(2)} (${label}; ${points.map((p) => `${p.lines} lines ${p[key]} MB`).join(', ')})`);
    }
    // The exponent mixes what is fixed (threads, V8's young generation, SQLite's caches), which small sizes have not
    // reached yet, with what grows; the cost of each further line between the two largest sizes is the growth alone.
    const [a, b] = largestTwo(points);
    const per = (key, unit) => `${Math.round(((b[key] - a[key]) * 1024 * 1024) / (b[unit] - a[unit]))}`;
    console.log(
      `scaling: from ${a.lines} to ${b.lines} lines, peak RSS (median of the rounds) grows ${per('medianRssMb', 'lines')} bytes a line, ${per('medianRssMb', 'symbols')} a symbol (parallel); ${per('oneThreadMedianRssMb', 'lines')} a line, ${per('oneThreadMedianRssMb', 'symbols')} a symbol (1 thread)`,
    );
  }
  printTargets(runc, points);
  rmSync(work, { recursive: true, force: true });
}

function largestTwo(points) {
  return [...points].sort((x, y) => x.lines - y.lines).slice(-2);
}

/** The issue's targets against this run's figures (runc's, and the generated sizes' for memory), each said met or not. */
function printTargets(runc, points) {
  if (!runc && points.length < 2) return;
  const verdict = (ok) => (ok ? 'met' : 'NOT met');
  console.log('\ntargets (issue "Speed"; this machine, this run):');
  if (runc) {
    console.log(`  full index within 2× the single-threaded parse (runc, parallel, cold floor): ${runc.ratioCold.toFixed(2)}× — ${verdict(runc.ratioCold <= 2)}`);
    console.log(`  peak RSS ≤ 300 MB (runc): ${runc.rssMb} MB — ${verdict(runc.rssMb <= 300)}`);
    for (const [how, ms] of Object.entries(runc.reindex)) console.log(`  re-index after a one-file change ≤ 500 ms (runc), ${how}: ${ms} ms — ${verdict(ms <= 500)}`);
    const p99 = (label) => runc.queries.find((q) => q.label === label)?.p99;
    console.log(`  symbol query p99 ≤ 5 ms: ${p99('symbol (lookup)').toFixed(2)} ms (symbol page ${p99('symbol page').toFixed(2)} ms) — ${verdict(p99('symbol page') <= 5)}`);
    console.log(`  search p99 ≤ 20 ms: ${p99('search').toFixed(2)} ms — ${verdict(p99('search') <= 20)}`);
  }
  if (points.length >= 2) {
    const [a, b] = largestTwo(points);
    const perLine = ((b.oneThreadMedianRssMb - a.oneThreadMedianRssMb) * 1024 * 1024) / (b.lines - a.lines);
    // Flat: a line costs at most 10 bytes of peak, 10 MB a million lines, about the run-to-run spread of a peak.
    const flat = perLine <= 10;
    console.log(
      `  memory does not grow with size: ${a.lines} → ${b.lines} lines, peak RSS ${a.oneThreadMedianRssMb} → ${b.oneThreadMedianRssMb} MB (1 thread, median of ${ROUNDS}), ${Math.round(perLine)} bytes a line — ${verdict(flat)}`,
    );
    console.log(`  time grows linearly: exponent ${exponent(points).toFixed(2)} (reported)`);
  }
}

await main();
