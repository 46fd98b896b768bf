#!/usr/bin/env node
// Server-side latency of the hub: pages, JSON API routes and every MCP tool,
// measured through the real app (the Hono app with the MCP endpoint, as
// `graphhub serve` runs it) without the network: from Request to the last
// byte of the body. Prints the first request, then p50 and p99 per route
// after a warm-up, and the process CPU time per request (p50, p99): on a
// loaded machine the wall-clock tail is mostly waiting for a core, which the
// CPU figures leave out.
//
//   node bench/hub-latency.bench.js [DATA_DIR] [--repo NAME] [--symbol QUERY] [--iterations N]
//
// Without DATA_DIR ($GRAPHHUB_BENCH_DATA): runc at the seed page's commit is
// indexed into a temporary folder when a clone is available
// (GRAPHHUB_BENCH_RUNC, or the tool library's mirror), else the example
// module. The symbol defaults to main.startContainer (the seed page's).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openHub } from '../dist/hub/hub.js';
import { createHubApp } from '../dist/server/hub-server.js';

function parseArguments(argv) {
  const options = { dataDir: process.env.GRAPHHUB_BENCH_DATA, repo: undefined, symbol: 'main.startContainer', iterations: 300 };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--repo') options.repo = argv[++index];
    else if (argument === '--symbol') options.symbol = argv[++index];
    else if (argument === '--iterations') options.iterations = Number(argv[++index]);
    else if (!argument.startsWith('--')) options.dataDir = argument;
  }
  return options;
}

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

async function measure(run, iterations) {
  const warmup = Math.min(30, iterations);
  const first = performance.now();
  await run();
  const cold = performance.now() - first;
  for (let index = 0; index < warmup; index++) await run();
  const times = [];
  const cpu = [];
  for (let index = 0; index < iterations; index++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    await run();
    const usage = process.cpuUsage(startCpu);
    times.push(performance.now() - start);
    cpu.push((usage.user + usage.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { cold, p50: percentile(times, 0.5), p99: percentile(times, 0.99), max: times[times.length - 1], cpu50: percentile(cpu, 0.5), cpu99: percentile(cpu, 0.99) };
}

/** A data folder to measure: the one given, or a temporary one with runc (or the example) indexed. */
function dataFolder(options) {
  if (options.dataDir) return { dataDir: resolve(options.dataDir), cleanup: () => {} };
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dataDir = mkdtempSync(join(tmpdir(), 'graphhub-bench-hub-'));
  const runc = process.env.GRAPHHUB_BENCH_RUNC ?? '/work/.mirror/opencontainers+runc/repo';
  const args = existsSync(runc)
    ? [runc, '--repo', 'github.com/opencontainers/runc', '--commit', 'fba5a1ec2358e2523fec6f5ecdd4514dbdf2666c']
    : [join(root, 'src/languages/go/fixtures/notifier'), '--repo', 'example.com/notifier'];
  console.log(`indexing ${args[0]} into ${dataDir} …`);
  const result = spawnSync(process.execPath, [join(root, 'bin/graphhub.js'), '--data', dataDir, 'index', ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`indexing failed: ${result.stderr}`);
  return { dataDir, cleanup: () => rmSync(dataDir, { recursive: true, force: true }) };
}

const options = parseArguments(process.argv.slice(2));
const { dataDir, cleanup } = dataFolder(options);
if (!existsSync(dataDir)) {
  console.error(`hub-latency: no data folder ${dataDir}; index something first (npm start, or graphhub index)`);
  process.exit(2);
}
const hub = await openHub({ dataDir });
const app = createHubApp(hub, { log: () => {} });
const repositories = (await hub.store.listRepositories()).filter((repository) => repository.newest);
const repository = options.repo ? repositories.find((entry) => entry.name === options.repo || entry.name.endsWith(`/${options.repo}`)) : repositories.find((entry) => entry.name.endsWith('/runc')) ?? repositories[0];
if (!repository) {
  console.error(`hub-latency: no indexed repository in ${dataDir}`);
  process.exit(2);
}
const graph = repository.newest;
const symbol = options.symbol;
const base = `/${repository.name}`;
const symbolRecord = (await hub.store.symbolsQualified(graph.id, symbol, 2))[0] ?? (await hub.store.symbolsNamed(graph.id, symbol.split('.').pop(), 2))[0];
if (!symbolRecord) {
  console.error(`hub-latency: no symbol ${symbol} in ${repository.name}; pass --symbol`);
  process.exit(2);
}

async function get(path) {
  const response = await app.request(`http://127.0.0.1${path}`);
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}: ${body.slice(0, 200)}`);
  return body;
}

let requestId = 0;
async function callTool(name, args) {
  const response = await app.request('http://127.0.0.1/mcp', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++requestId, method: 'tools/call', params: { name, arguments: args } }),
  });
  const body = await response.json();
  if (body.error || body.result?.isError) throw new Error(`${name}: ${JSON.stringify(body.error ?? body.result.content)}`);
  return body;
}

const line = symbolRecord.range.startLine;
const routes = [
  ['page  symbol', () => get(`${base}/-/symbol/${symbol}`)],
  ['page  home', () => get('/')],
  ['page  repository', () => get(base)],
  ['page  file', () => get(`${base}/-/file/${symbolRecord.file}`)],
  ['page  search (as you type)', () => get(`/-/search?fragment=1&q=${encodeURIComponent(symbolRecord.name.slice(0, 6))}`)],
  ['page  used in the wild', () => get(`${base}/-/wild/${symbol}?fragment=1`)],
  ['api   symbol', () => get(`/api${base}/-/symbol/${symbol}`)],
  ['api   callers', () => get(`/api${base}/-/callers/${symbol}`)],
  ['api   search', () => get(`/api/-/search?q=${encodeURIComponent(symbolRecord.name)}`)],
  ['mcp   repositories', () => callTool('repositories', {})],
  ['mcp   search', () => callTool('search', { query: symbolRecord.name })],
  ['mcp   symbol', () => callTool('symbol', { symbol, repository: repository.name })],
  ['mcp   callers', () => callTool('callers', { symbol, repository: repository.name })],
  ['mcp   callees', () => callTool('callees', { symbol, repository: repository.name })],
  ['mcp   impact', () => callTool('impact', { symbol, repository: repository.name, depth: 3 })],
  ['mcp   tests', () => callTool('tests', { symbol, repository: repository.name })],
  ['mcp   used_in_the_wild', () => callTool('used_in_the_wild', { symbol, repository: repository.name })],
  ['mcp   source', () => callTool('source', { repository: repository.name, file: symbolRecord.file, startLine: line, endLine: line + 50 })],
];

console.log(`hub latency, server side (Request → last byte, no network): ${repository.name}@${graph.commit.slice(0, 12)}, symbol ${symbol}`);
console.log(`${graph.stats.files} files, ${graph.stats.symbols} symbols, ${graph.stats.edges} edges; ${options.iterations} timed requests per route after a warm-up; node ${process.version}`);
console.log(`${'route'.padEnd(30)}${'first'.padStart(10)}${'p50'.padStart(10)}${'p99'.padStart(10)}${'max'.padStart(10)}${'cpu p50'.padStart(10)}${'cpu p99'.padStart(10)}   (ms)`);
for (const [name, run] of routes) {
  const result = await measure(run, options.iterations);
  console.log(
    `${name.padEnd(30)}${result.cold.toFixed(2).padStart(10)}${result.p50.toFixed(2).padStart(10)}${result.p99.toFixed(2).padStart(10)}${result.max.toFixed(2).padStart(10)}${result.cpu50.toFixed(2).padStart(10)}${result.cpu99.toFixed(2).padStart(10)}`,
  );
}
console.log(`load average while measuring: ${(await import('node:os')).loadavg().map((value) => value.toFixed(2)).join(' ')}`);
await hub.close();
cleanup();
