/**
 * Scale-out end to end, on loopback against the local PostgreSQL: two real
 * `graphhub worker` processes drain a queue of real git repositories while
 * two real `graphhub serve` processes answer from the same database; one
 * worker is killed with SIGKILL while it is writing a graph. Every job must
 * complete exactly once, nothing half-written may ever be visible, the same
 * repository and commit must never be indexed by two workers at once, and
 * both servers must answer the same pages — MCP included, with consecutive
 * requests of one client spread over both by a round-robin balancer.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobsOverview } from '../../src/query/jobs.js';
import { graphhubJson } from '../helpers/cli.js';
import { TestRepo } from '../helpers/git-repo.js';
import { goCorpus } from '../helpers/go-corpus.js';
import { TEST_POSTGRES, freshStoreUrl } from '../helpers/postgres.js';
import { eventually, startGraphhub, type GraphhubProcess } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp.js';

interface JobRow {
  id: number;
  state: string;
  attempts: number;
  worker: string | null;
  progress: string | null;
  repository: string | null;
  commit_sha: string | null;
  started_at: number;
  finished_at: number | null;
}

describe('scale-out: workers and servers on one PostgreSQL', () => {
  const { url, schema } = freshStoreUrl();
  let db: pg.Client;
  beforeAll(async () => {
    db = new pg.Client({ connectionString: TEST_POSTGRES, options: `-c search_path=${schema}` });
    await db.connect();
  });
  /** The connection holding the symbols table while a worker is killed; closed by the test, or here if it failed first. */
  let gate: pg.Client | undefined;
  afterAll(async () => {
    await gate?.end();
    await db.end();
  });
  const query = async <T extends pg.QueryResultRow>(text: string, parameters: unknown[] = []) => (await db.query<T>(text, parameters)).rows;
  const cli = <T>(...args: string[]) => graphhubJson<T>(tempDir(), '--store', url, ...args);
  const worker = (): GraphhubProcess =>
    startGraphhub(['--data', tempDir(), '--store', url, 'worker', '--json', '--lease', '2', '--poll', '0.1', '--retry-delay', '0']);
  const workerId = async (process: GraphhubProcess) =>
    (JSON.parse(await process.waitForLine((line) => line.includes('"started"'))) as { worker: string }).worker;
  /** `graphhub serve` on a free port; resolves with its base URL once it answers. */
  const server = async (): Promise<{ process: GraphhubProcess; url: string }> => {
    const process = startGraphhub(['--data', tempDir(), '--store', url, 'serve', '--port', '0']);
    const line = await process.waitForLine((text) => text.startsWith('graphhub serving '));
    return { process, url: /graphhub serving (http:\/\/\S+\/)/.exec(line)![1]! };
  };

  it('two workers, two servers: every job done exactly once though a worker is killed mid-write, and both servers answer alike', async () => {
    // A repository large enough that writing its graph takes a moment, and two small ones.
    const big = TestRepo.create(goCorpus('example.com/big', 160, 40));
    const bigCommit = big.commit();
    const small = TestRepo.create({ 'go.mod': 'module example.com/small\n', 'main.go': 'package main\n\nfunc main() { helper() }\n\nfunc helper() {}\n' });
    const smallCommit = small.commit();
    const other = TestRepo.create({ 'go.mod': 'module example.com/other\n', 'main.go': 'package main\n\nfunc main() {}\n' });
    other.commit();

    // The store exists (migrated) before the workers race to it.
    const bigJob = cli<{ job: { id: number } }>('enqueue', big.path, '--repo', 'example.com/big').job.id;
    const smallJob = cli<{ job: { id: number } }>('enqueue', small.path, '--repo', 'example.com/small').job.id;
    // The same repository and commit again, under another revision name: a second job that must not run alongside the first.
    const sameCommitJob = cli<{ job: { id: number } }>('enqueue', small.path, '--repo', 'example.com/small', '--commit', smallCommit).job.id;
    const otherJob = cli<{ job: { id: number } }>('enqueue', other.path, '--repo', 'example.com/other').job.id;

    // Hold writes to the symbols table until the victim is dead: whichever
    // worker takes the big job then stops inside its write, with the commit's
    // lock held, however fast or slow this machine is; readers still read.
    gate = new pg.Client({ connectionString: TEST_POSTGRES, options: `-c search_path=${schema}` });
    await gate.connect();
    await gate.query('BEGIN');
    await gate.query('LOCK TABLE symbols IN EXCLUSIVE MODE');

    const [serverA, serverB] = await Promise.all([server(), server()]);
    const first = worker();
    const second = worker();
    const ids = new Map([[await workerId(first), first], [await workerId(second), second]]);

    // Wait until the big job's graph is being written (its writer's transaction
    // holds the commit's lock), then kill that worker outright.
    const lockHeld = `SELECT count(*)::int AS n FROM pg_locks l,
        (SELECT hashtextextended('graphhub:graph:' || $1 || ':' || $2, 0) AS k) key
      WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted
        AND l.classid::bigint = ((key.k >> 32) & 4294967295) AND l.objid::bigint = (key.k & 4294967295)`;
    const bigLockHeld = async () => (await query<{ n: number }>(lockHeld, [schema, `example.com/big@${bigCommit}`]))[0]!.n === 1;
    const writing = await eventually(async () => {
      const [row] = await query<JobRow>('SELECT * FROM jobs WHERE id = $1', [bigJob]);
      return row?.state === 'running' && row.progress === 'writing' && (await bigLockHeld()) ? row : undefined;
    }, 'the big job to be writing its graph', 120_000, 25);
    const victim = ids.get(writing.worker!)!;
    const survivor = victim === first ? second : first;
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toBe('SIGKILL');
    // The dead writer's server session notices once its statement runs on; the survivor goes on.
    await gate.query('COMMIT');
    await gate.end();
    gate = undefined;

    // The server rolled the dead writer back: no graph, no rows, no lock.
    await eventually(async () => ((await bigLockHeld()) ? undefined : true), 'the lock to be released', 10_000);
    const bigGraphs = await query<{ n: number }>("SELECT count(*)::int AS n FROM graphs g JOIN repositories r ON r.id = g.repository_id WHERE r.name = 'example.com/big'");
    expect(bigGraphs[0]!.n).toBe(0);
    // The stored rows (the symbols view would hide rows no graph layer names).
    for (const table of ['symbol_rows', 'edge_rows', 'graph_layers']) {
      const orphanRows = await query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE graph_id NOT IN (SELECT id FROM graphs)`);
      expect(orphanRows[0]!.n).toBe(0);
    }

    // Both servers go on answering meanwhile, and neither shows the dead writer's graph.
    for (const { url: base } of [serverA, serverB]) {
      const home = await fetch(base);
      expect(home.status).toBe(200);
      // The repository is known (its row is written before its first graph), but no graph of it is.
      expect(await home.text()).not.toMatch(/href="\/example\.com\/big@/);
      expect((await fetch(`${base}api/example.com/big`)).status).toBe(404);
    }

    // The survivor returns the job once the lease runs out, and finishes everything.
    const overview = await eventually(async () => {
      const jobs = cli<JobsOverview>('jobs');
      return jobs.counts.done === 4 ? jobs : undefined;
    }, 'every job to be done', 90_000, 250);
    expect(overview.counts).toEqual({ queued: 0, running: 0, done: 4, dead: 0 });
    await survivor.waitForLine((line) => line.includes('"reaped"'));
    const rows = new Map((await query<JobRow>('SELECT * FROM jobs')).map((row) => [Number(row.id), row]));
    // The killed attempt counts; on a loaded machine a lease can also run out
    // under a slow but live worker, which then stands down, so more is allowed.
    expect(rows.get(bigJob)).toMatchObject({ state: 'done', worker: [...ids.entries()].find(([, p]) => p === survivor)![0] });
    expect(rows.get(bigJob)!.attempts).toBeGreaterThanOrEqual(2);
    for (const id of [smallJob, sameCommitJob, otherJob]) expect(rows.get(id)!.state).toBe('done');

    // Exactly once: each job's 'done' event appears once across the workers, and one ready graph per repository and commit.
    const doneEvents = [...first.lines, ...second.lines].filter((line) => line.includes('"event":"done"')).map((line) => (JSON.parse(line) as { job: number }).job);
    expect(doneEvents.sort((a, b) => a - b)).toEqual([bigJob, smallJob, sameCommitJob, otherJob].sort((a, b) => a - b));
    const graphs = await query<{ name: string; commit_sha: string; status: string }>(
      'SELECT r.name, g.commit_sha, g.status FROM graphs g JOIN repositories r ON r.id = g.repository_id ORDER BY r.name',
    );
    expect(graphs.map((g) => [g.name, g.status])).toEqual([
      ['example.com/big', 'ready'],
      ['example.com/other', 'ready'],
      ['example.com/small', 'ready'],
    ]);
    // Never at once: the two jobs of one commit ran one after the other.
    const [a, b] = [rows.get(smallJob)!, rows.get(sameCommitJob)!].sort((x, y) => Number(x.started_at) - Number(y.started_at));
    expect(Number(b!.started_at)).toBeGreaterThanOrEqual(Number(a!.finished_at));

    // What the workers published, the hub answers.
    const callers = cli<{ callers: Array<{ name: string }> }>('callers', 'helper', '--repo', 'example.com/small');
    expect(callers.callers.map((caller) => caller.name)).toEqual(['main']);
    const bigRepo = cli<Array<{ name: string; newest?: { stats: { symbols: number } } }>>('repos').find((r) => r.name === 'example.com/big');
    expect(bigRepo?.newest?.stats.symbols).toBeGreaterThan(6000);

    // Two servers, one database, behind one balancer: the same pages, byte for byte, whichever
    // server answers (consecutive requests alternate between them), and the same JSON.
    const balancer = await roundRobin([serverA.url, serverB.url]);
    const pages = [
      '',
      'example.com/small',
      'example.com/small/-/symbol/main.helper',
      'example.com/big/-/callers/main.f1_0',
      'example.com/big/-/file/file3.go',
      '-/search?q=helper',
      'api/-/repositories',
      'api/example.com/big/-/symbol/main.f0_0',
      `api/-/jobs/${bigJob}`,
    ];
    for (const path of pages) {
      const before = [...balancer.hits];
      const a = await fetch(`${balancer.url}${path}`);
      const b = await fetch(`${balancer.url}${path}`);
      expect([a.status, b.status], path).toEqual([200, 200]);
      expect(balancer.hits.map((hits, i) => hits - before[i]!), path).toEqual([1, 1]);
      expect(await b.text(), path).toBe(await a.text());
    }
    const jobsA = (await (await fetch(`${serverA.url}api/-/jobs`)).json()) as JobsOverview;
    const jobsB = (await (await fetch(`${serverB.url}api/-/jobs`)).json()) as JobsOverview;
    expect(jobsB.jobs).toEqual(jobsA.jobs);
    expect(jobsA.counts.done).toBe(4);
    expect(await (await fetch(`${serverB.url}-/jobs`)).text()).toContain('done 4');

    // An MCP client behind the same balancer: every request lands on the other server.
    const client = new Client({ name: 'scale-out-test', version: '1.0.0' });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(`${balancer.url}mcp`)));
      const tools = await client.listTools();
      expect(tools.tools.map((tool) => tool.name)).toContain('callers');
      const answer = (await client.callTool({ name: 'callers', arguments: { repository: 'example.com/small', symbol: 'helper' } })) as unknown as {
        structuredContent: { callers: Array<{ name: string }> };
      };
      expect(answer.structuredContent.callers.map((caller) => caller.name)).toEqual(['main']);
      const page = (await client.callTool({ name: 'symbol', arguments: { repository: 'example.com/big', symbol: 'main.f0_0' } })) as unknown as {
        structuredContent: { commit: string };
      };
      expect(page.structuredContent.commit).toBe(bigCommit);
      const mcpRequests = balancer.hits.reduce((sum, hits) => sum + hits, 0) - 2 * pages.length;
      expect(mcpRequests).toBeGreaterThanOrEqual(4);
    } finally {
      await client.close();
      await balancer.close();
    }
    for (const { process } of [serverA, serverB]) {
      process.child.kill('SIGTERM');
      expect(await process.exited).toBe(0);
    }

    // A stopped worker says so and exits cleanly.
    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toBe(0);
    expect(survivor.lines.at(-1)).toContain('"stopped"');
  }, 240_000);
});

/** A load balancer at its simplest: each request goes to the next backend in turn, whatever session it belongs to. */
async function roundRobin(backends: string[]): Promise<{ url: string; hits: number[]; close: () => Promise<void> }> {
  const hits = backends.map(() => 0);
  let next = 0;
  const proxy: Server = createServer((incoming, outgoing) => {
    const index = next++ % backends.length;
    hits[index]!++;
    const target = new URL(incoming.url ?? '/', backends[index]);
    // The Host header passes through, as a balancer's does: pages name the hub by the address people use.
    const forward = httpRequest(target, { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forward.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    hits,
    close: () => new Promise((resolve) => proxy.close(() => resolve())),
  };
}
