/**
 * The queue through the real executable on the embedded store: enqueue,
 * a draining worker, retries into the dead state, and `jobs`.
 */
import { describe, expect, it } from 'vitest';
import type { JobsOverview, JobView } from '../../src/query/jobs.js';
import { graphhub, graphhubJson } from '../helpers/cli.js';
import { TestRepo } from '../helpers/git-repo.js';
import { tempDir } from '../helpers/temp.js';

const GO = (body: string) => ({ 'go.mod': 'module example.com/q\n\ngo 1.22\n', 'main.go': `package main\n\n${body}\n` });

describe('graphhub enqueue, worker and jobs (embedded store)', () => {
  it('drains the queue: indexes every job once, retries a failing one into dead, and shows it all', async () => {
    const data = tempDir();
    const alpha = TestRepo.create(GO('func main() { helper() }\n\nfunc helper() {}'));
    const alphaCommit = alpha.commit();
    const beta = TestRepo.create(GO('func main() { other() }\n\nfunc other() {}'));
    beta.commit();

    const first = graphhubJson<{ created: boolean; job: JobView }>(data, 'enqueue', alpha.path, '--repo', 'example.com/alpha');
    expect(first.created).toBe(true);
    expect(first.job).toMatchObject({ state: 'queued', revision: 'HEAD', target: alpha.path });
    const again = graphhubJson<{ created: boolean; job: JobView }>(data, 'enqueue', alpha.path);
    expect(again).toMatchObject({ created: false, job: { id: first.job.id } });
    type Enqueued = { job: JobView };
    const second = graphhubJson<Enqueued>(data, 'enqueue', beta.path, '--repo', 'example.com/beta').job.id;
    // A commit that does not exist: a permanent failure, dead after one attempt.
    const missing = graphhubJson<Enqueued>(data, 'enqueue', beta.path, '--commit', 'no-such-branch').job.id;
    // A server that refuses: a transient failure, retried, then dead when attempts run out.
    const refused = graphhubJson<Enqueued>(data, 'enqueue', 'https://127.0.0.1:1/nothing.git', '--repo', 'example.com/nothing', '--attempts', '2')
      .job.id;

    const worker = graphhub(data, 'worker', '--drain', '--json', '--retry-delay', '0', '--poll', '0.05');
    expect(worker.code).toBe(0);
    const events = worker.stdout.trim().split('\n').map((line) => JSON.parse(line) as { event: string; job?: number });
    expect(events.filter((e) => e.event === 'done').map((e) => e.job)).toEqual([first.job.id, second]);
    expect(events.filter((e) => e.event === 'retry').map((e) => e.job)).toEqual([refused]);
    expect(events.filter((e) => e.event === 'dead').map((e) => e.job)).toEqual([missing, refused]);

    const overview = graphhubJson<JobsOverview>(data, 'jobs');
    expect(overview.counts).toEqual({ queued: 0, running: 0, done: 2, dead: 2 });
    const byId = new Map(overview.jobs.map((job) => [job.id, job]));
    expect(byId.get(first.job.id)).toMatchObject({ state: 'done', repository: 'example.com/alpha', commit: alphaCommit, attempts: 1 });
    expect(byId.get(missing)).toMatchObject({ state: 'dead', attempts: 1 });
    expect(byId.get(missing)!.lastError).toMatch(/^not-found: no commit no-such-branch/);
    expect(byId.get(refused)).toMatchObject({ state: 'dead', attempts: 2 });
    expect(byId.get(refused)!.lastError).toMatch(/^source-unavailable: cannot fetch/);

    // What the jobs published is what the hub answers.
    const callers = graphhubJson<{ callers: Array<{ name: string }> }>(data, 'callers', 'helper', '--repo', 'example.com/alpha');
    expect(callers.callers.map((caller) => caller.name)).toEqual(['main']);
    expect(graphhubJson<JobsOverview>(data, 'jobs', '--state', 'dead').jobs.map((job) => job.id)).toEqual([refused, missing]);

    // A dead job can be put back; a bad state or id is refused.
    expect(graphhubJson<JobView>(data, 'jobs', 'retry', String(missing))).toMatchObject({ state: 'queued', attempts: 0 });
    expect(graphhub(data, 'jobs', 'retry', '99999').code).toBe(3);
    expect(graphhub(data, 'jobs', '--state', 'exploded').code).toBe(2);
    const text = graphhub(data, 'jobs');
    expect(text.stdout).toContain('queued 1  running 0  done 2  dead 1');
  });

  it('refuses bad targets, revisions, names and attempt counts with the reason', async () => {
    const data = tempDir();
    const repo = TestRepo.create(GO('func main() {}'));
    repo.commit();
    const cases: Array<[string[], RegExp]> = [
      [['enqueue', '/no/such/folder'], /not a directory or git URL/],
      [['enqueue', 'https://example.com/a.git\u001b[2J'], /without control characters/],
      [['enqueue', repo.path, '--commit', '--upload-pack=evil'], /not a valid revision/],
      [['enqueue', repo.path, '--repo', '../../etc'], /not a valid repository name/],
      [['enqueue', repo.path, '--attempts', '0'], /integer from 1 to 20/],
    ];
    for (const [args, message] of cases) {
      const result = graphhub(data, ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(graphhubJson<JobsOverview>(data, 'jobs').counts.queued).toBe(0);
  });
});
