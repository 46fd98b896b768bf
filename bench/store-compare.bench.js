// SQLite against PostgreSQL on the same corpus: runc at the seed page's
// commit, indexed cold (empty store) and warm (extraction cache full), then
// the questions a hub server answers, timed per call. Prints figures only.
//
//   npm run build && node bench/store-compare.bench.js   (or: npm run bench -- store-compare)
//
// Environment: GRAPHHUB_BENCH_REPO (a git directory; default the runc mirror),
// GRAPHHUB_BENCH_COMMIT, GRAPHHUB_BENCH_POSTGRES (default the local `test`
// database; a fresh schema is created and dropped), GRAPHHUB_BENCH_ROUNDS.
import { existsSync, mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openHub } from '../dist/hub/hub.js';
import { indexRepository } from '../dist/indexer/index-repository.js';
import { locateSource } from '../dist/indexer/locate.js';
import { findOneSymbol } from '../dist/query/find-symbol.js';
import { symbolPage } from '../dist/query/symbol-page.js';
import { impactOf } from '../dist/query/impact.js';

const REPO = process.env.GRAPHHUB_BENCH_REPO ?? '/work/.mirror/opencontainers+runc/repo';
const COMMIT = process.env.GRAPHHUB_BENCH_COMMIT ?? 'fba5a1ec2358e2523fec6f5ecdd4514dbdf2666c';
const NAME = 'github.com/opencontainers/runc';
const POSTGRES = process.env.GRAPHHUB_BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROUNDS = Number(process.env.GRAPHHUB_BENCH_ROUNDS ?? 30);

if (!existsSync(REPO)) {
  console.log(`skipped: no repository at ${REPO} (set GRAPHHUB_BENCH_REPO)`);
  process.exit(0);
}
try {
  const probe = new pg.Client({ connectionString: POSTGRES, connectionTimeoutMillis: 3000 });
  await probe.connect();
  await probe.end();
} catch (error) {
  console.log(`skipped: PostgreSQL at ${POSTGRES} is not reachable (${error.message})`);
  process.exit(0);
}

const schema = `gh_bench_${process.pid}`;
const postgresUrl = (() => {
  const url = new URL(POSTGRES);
  url.searchParams.set('schema', schema);
  return url.toString();
})();

async function indexOnce(hub) {
  const located = await locateSource({ target: REPO, revision: COMMIT, name: NAME, mirrorsDir: join(hub.dataDir, 'mirrors') });
  try {
    const started = performance.now();
    const result = await indexRepository({ source: located.source, repository: { name: NAME }, store: hub.store, cas: hub.cas });
    return { totalMs: performance.now() - started, ...result.timings, stats: result.stats };
  } finally {
    located.source.close();
  }
}

/** Median and 95th percentile of `rounds` calls, in milliseconds. */
async function timed(rounds, call) {
  await call(); // warm caches and plans once
  const samples = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], p95: samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.95))] };
}

function folderBytes(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + folderBytes(join(path, name)), 0);
}

async function postgresBytes() {
  const client = new pg.Client({ connectionString: POSTGRES });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::bigint AS bytes,
              COALESCE(SUM(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname = 'blobs'), 0)::bigint AS blobs
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
      [schema],
    );
    return { total: Number(rows[0].bytes), blobs: Number(rows[0].blobs) };
  } finally {
    await client.end();
  }
}

async function measure(label, options) {
  const hub = await openHub(options);
  try {
    const cold = await indexOnce(hub);
    const warm = await indexOnce(hub);
    const graph = await hub.store.findGraph(NAME);
    const symbol = await findOneSymbol(hub.store, graph, 'startContainer');
    const queries = {
      'symbol page (startContainer)': await timed(ROUNDS, () => symbolPage(hub.store, hub.cas, graph, symbol)),
      'callers': await timed(ROUNDS, () => hub.store.callers(graph.id, symbol.id)),
      'callees': await timed(ROUNDS, () => hub.store.callees(graph.id, symbol.id)),
      'find symbol by name': await timed(ROUNDS, () => findOneSymbol(hub.store, graph, 'main.startContainer')),
      'search "notify"': await timed(ROUNDS, () => hub.store.searchSymbols({ text: 'notify', limit: 20 })),
      'most called (top 20)': await timed(ROUNDS, () => hub.store.mostCalled(graph.id, 20)),
      'impact depth 3 (startContainer)': await timed(ROUNDS, () => impactOf(hub.store, graph, symbol, { depth: 3 })),
      'wild counts (fmt.Errorf)': await timed(ROUNDS, () =>
        hub.store.wildCounts({ module: 'std', packagePath: 'fmt', symbol: 'Errorf' }, 'nobody'),
      ),
      'all edges streamed': await timed(3, async () => {
        let count = 0;
        for await (const _ of hub.store.allEdges(graph.id)) count++;
        return count;
      }),
    };
    const bytes =
      label === 'sqlite'
        ? { total: folderBytes(join(options.dataDir, 'graph.sqlite')) + folderBytes(join(options.dataDir, 'graph.sqlite-wal')) + folderBytes(join(options.dataDir, 'cas.sqlite')) + folderBytes(join(options.dataDir, 'cas.sqlite-wal')), blobs: folderBytes(join(options.dataDir, 'cas.sqlite')) + folderBytes(join(options.dataDir, 'cas.sqlite-wal')) }
        : await postgresBytes();
    return { cold, warm, queries, bytes };
  } finally {
    await hub.close();
  }
}

const folder = mkdtempSync(join(tmpdir(), 'graphhub-bench-'));
let results;
try {
  const sqlite = await measure('sqlite', { dataDir: join(folder, 'sqlite') });
  const postgres = await measure('postgres', { dataDir: join(folder, 'postgres'), store: postgresUrl });
  results = { sqlite, postgres };
} finally {
  rmSync(folder, { recursive: true, force: true });
  const client = new pg.Client({ connectionString: POSTGRES });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

const { sqlite, postgres } = results;
const s = sqlite.cold.stats;
console.log(`corpus: ${NAME}@${COMMIT.slice(0, 12)}: ${s.files} files, ${s.symbols} symbols, ${s.edges} edges, ${s.externalRefs} external refs`);
console.log(`rounds per query: ${ROUNDS} (median / p95, ms)\n`);
const ms = (value) => `${value.toFixed(value < 10 ? 2 : 0)}`;
const row = (name, a, b) => console.log(`${name.padEnd(34)} ${a.padStart(18)} ${b.padStart(18)}`);
row('', 'sqlite', 'postgres');
for (const phase of ['cold', 'warm']) {
  for (const key of ['totalMs', 'readMs', 'resolveMs', 'writeMs']) {
    row(`index ${phase} ${key.replace('Ms', '')} (ms)`, ms(sqlite[phase][key]), ms(postgres[phase][key]));
  }
}
for (const name of Object.keys(sqlite.queries)) {
  const a = sqlite.queries[name];
  const b = postgres.queries[name];
  row(name, `${ms(a.median)} / ${ms(a.p95)}`, `${ms(b.median)} / ${ms(b.p95)}`);
}
const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
row('storage, all (after two indexes)', mb(sqlite.bytes.total), mb(postgres.bytes.total));
row('storage, blobs', mb(sqlite.bytes.blobs), mb(postgres.bytes.blobs));
