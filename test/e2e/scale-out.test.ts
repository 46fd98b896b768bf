/**
 * Scale-out end to end, on loopback against the local PostgreSQL: real
 * `graphhub worker` processes drain a queue of real git repositories; one
 * worker is killed with SIGKILL while it is writing a graph. Every job must
 * complete exactly once, nothing half-written may ever be visible, and the
 * same repository and commit must never be indexed by two workers at once.
 */
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

describe('scale-out: workers on one PostgreSQL', () => {
  const { url, schema } = freshStoreUrl();
  let db: pg.Client;
  beforeAll(async () => {
    db = new pg.Client({ connectionString: TEST_POSTGRES, options: `-c search_path=${schema}` });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
  });
  const query = async <T extends pg.QueryResultRow>(text: string, parameters: unknown[] = []) => (await db.query<T>(text, parameters)).rows;
  const cli = <T>(...args: string[]) => graphhubJson<T>(tempDir(), '--store', url, ...args);
  const worker = (): GraphhubProcess =>
    startGraphhub(['--data', tempDir(), '--store', url, 'worker', '--json', '--lease', '2', '--poll', '0.1', '--retry-delay', '0']);
  const workerId = async (process: GraphhubProcess) =>
    (JSON.parse(await process.waitForLine((line) => line.includes('"started"'))) as { worker: string }).worker;

  it('completes every job exactly once when a worker is killed mid-write', async () => {
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
    }, 'the big job to be writing its graph', 60_000, 5);
    const victim = ids.get(writing.worker!)!;
    const survivor = victim === first ? second : first;
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toBe('SIGKILL');

    // The server rolled the dead writer back: no graph, no rows, no lock.
    await eventually(async () => ((await bigLockHeld()) ? undefined : true), 'the lock to be released', 10_000);
    const bigGraphs = await query<{ n: number }>("SELECT count(*)::int AS n FROM graphs g JOIN repositories r ON r.id = g.repository_id WHERE r.name = 'example.com/big'");
    expect(bigGraphs[0]!.n).toBe(0);
    const orphanRows = await query<{ n: number }>('SELECT count(*)::int AS n FROM symbols WHERE graph_id NOT IN (SELECT id FROM graphs)');
    expect(orphanRows[0]!.n).toBe(0);

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

    // A stopped worker says so and exits cleanly.
    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toBe(0);
    expect(survivor.lines.at(-1)).toContain('"stopped"');
  });
});
