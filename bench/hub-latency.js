// Server-side latency of the hub: pages, JSON API routes and every MCP tool,
// measured through the real app (the Hono app with the MCP endpoint, as
// `graphhub serve` runs it) without the network: from Request to the last
// byte of the body. Prints p50 and p99 per route.
//
//   npm run build && node bench/hub-latency.js DATA_DIR [--repo NAME] [--symbol QUERY] [--iterations N]
//
// DATA_DIR defaults to $GRAPHHUB_DATA, then ./.graphhub (what `npm start` fills).
// The symbol defaults to main.startContainer (runc's, the seed page).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openHub } from '../dist/hub/hub.js';
import { createHubApp } from '../dist/server/hub-server.js';

function parseArguments(argv) {
  const options = { dataDir: process.env.GRAPHHUB_DATA || '.graphhub', repo: undefined, symbol: 'main.startContainer', iterations: 300 };
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
  for (let index = 0; index < iterations; index++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { cold, p50: percentile(times, 0.5), p99: percentile(times, 0.99), max: times[times.length - 1] };
}

const options = parseArguments(process.argv.slice(2));
const dataDir = resolve(options.dataDir);
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
console.log(`${'route'.padEnd(30)}${'first'.padStart(10)}${'p50'.padStart(10)}${'p99'.padStart(10)}${'max'.padStart(10)}   (ms)`);
for (const [name, run] of routes) {
  const result = await measure(run, options.iterations);
  console.log(`${name.padEnd(30)}${result.cold.toFixed(2).padStart(10)}${result.p50.toFixed(2).padStart(10)}${result.p99.toFixed(2).padStart(10)}${result.max.toFixed(2).padStart(10)}`);
}
await hub.close();
