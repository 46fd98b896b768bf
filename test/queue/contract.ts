/**
 * The job-queue contract: the same queue runs on SQLite and on PostgreSQL
 * and must behave the same on both, including under concurrent claims.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobQueue } from '../../src/queue/job-queue.js';

export interface QueueFactory {
  /** A fresh queue on an empty database. */
  open(): Promise<JobQueue>;
  /** A second, independent queue handle on the same database (another worker process's view). */
  another(queue: JobQueue): Promise<JobQueue>;
}

const LONG = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function queueContract(name: string, factory: QueueFactory): void {
  describe(`job queue contract: ${name}`, () => {
    let queue: JobQueue;
    const extra: JobQueue[] = [];
    beforeEach(async () => {
      queue = await factory.open();
    });
    afterEach(async () => {
      for (const other of extra.splice(0)) await other.close();
      await queue.close();
    });

    it('enqueues once per target and revision while a job is pending', async () => {
      const first = await queue.enqueue({ target: 'https://example.com/a.git' });
      expect(first.created).toBe(true);
      expect(first.job).toMatchObject({ state: 'queued', revision: 'HEAD', attempts: 0, maxAttempts: 3 });
      const again = await queue.enqueue({ target: 'https://example.com/a.git', revision: 'HEAD' });
      expect(again).toMatchObject({ created: false, job: { id: first.job.id } });
      const other = await queue.enqueue({ target: 'https://example.com/a.git', revision: 'v1.0', name: 'example.com/a', maxAttempts: 5 });
      expect(other.created).toBe(true);
      expect(other.job).toMatchObject({ requestedName: 'example.com/a', maxAttempts: 5 });
      // Once done, the same target and revision can be enqueued again.
      const claimed = await queue.claim('w1', LONG);
      expect(claimed?.id).toBe(first.job.id);
      expect(await queue.complete(first.job.id, 'w1', 42)).toBe(true);
      const later = await queue.enqueue({ target: 'https://example.com/a.git' });
      expect(later.created).toBe(true);
      expect(later.job.id).not.toBe(first.job.id);
      expect(await queue.get(first.job.id)).toMatchObject({ state: 'done', graphId: 42, attempts: 1 });
    });

    it('hands each job to exactly one of many concurrent workers, oldest first', async () => {
      const ids: number[] = [];
      for (const target of ['/r/one', '/r/two', '/r/three']) ids.push((await queue.enqueue({ target })).job.id);
      const handles = [queue, ...(await Promise.all([1, 2, 3].map(() => factory.another(queue))))];
      extra.push(...handles.slice(1));
      const claims = await Promise.all(
        Array.from({ length: 12 }, (_, i) => handles[i % handles.length]!.claim(`w${i}`, LONG)),
      );
      const taken = claims.filter((job) => job !== undefined).map((job) => job!.id);
      expect(taken.sort((a, b) => a - b)).toEqual(ids);
      expect(await queue.claim('late', LONG)).toBeUndefined();
      expect(await queue.counts()).toEqual({ queued: 0, running: 3, done: 0, dead: 0 });
      const sequential = await factory.open();
      extra.push(sequential);
      await sequential.enqueue({ target: '/r/a' });
      await sequential.enqueue({ target: '/r/b' });
      expect((await sequential.claim('w', LONG))?.target).toBe('/r/a');
    });

    it('lets only the holder renew, complete or fail a job', async () => {
      const { job } = await queue.enqueue({ target: '/r/x' });
      const claimed = await queue.claim('holder', LONG);
      expect(claimed).toMatchObject({ id: job.id, state: 'running', attempts: 1, worker: 'holder' });
      const now = await queue.now();
      expect(claimed!.leaseUntil! - now).toBeGreaterThan(LONG - 5000);
      expect(await queue.heartbeat(job.id, 'holder', LONG, 'reading 3/9 files')).toBe(true);
      expect((await queue.get(job.id))?.progress).toBe('reading 3/9 files');
      expect(await queue.heartbeat(job.id, 'intruder', LONG)).toBe(false);
      expect(await queue.complete(job.id, 'intruder', 1)).toBe(false);
      expect(await queue.fail(job.id, 'intruder', 'x', { permanent: true, retryDelayMs: 0 })).toBeUndefined();
      expect((await queue.get(job.id))?.state).toBe('running');
    });

    it('retries a failed job after its delay and buries it when attempts run out', async () => {
      const { job } = await queue.enqueue({ target: '/r/flaky', maxAttempts: 2 });
      await queue.claim('w', LONG);
      const retried = await queue.fail(job.id, 'w', 'network down', { permanent: false, retryDelayMs: LONG });
      expect(retried).toMatchObject({ state: 'queued', attempts: 1, lastError: 'network down' });
      expect(await queue.claim('w', LONG)).toBeUndefined();
      await queue.fail(job.id, 'nobody', 'x', { permanent: false, retryDelayMs: 0 });
      const soon = await queue.enqueue({ target: '/r/other' });
      expect((await queue.claim('w', LONG))?.id).toBe(soon.job.id);

      const { job: quick } = await queue.enqueue({ target: '/r/quick', maxAttempts: 2 });
      await queue.claim('w', LONG);
      await queue.fail(quick.id, 'w', 'first', { permanent: false, retryDelayMs: 0 });
      expect((await queue.claim('w', LONG))?.id).toBe(quick.id);
      const dead = await queue.fail(quick.id, 'w', 'second', { permanent: false, retryDelayMs: 0 });
      expect(dead).toMatchObject({ state: 'dead', attempts: 2, lastError: 'second' });
      expect(dead!.finishedAt).toBeGreaterThan(0);

      const { job: hopeless } = await queue.enqueue({ target: '/r/missing' });
      await queue.claim('w', LONG);
      expect(await queue.fail(hopeless.id, 'w', 'no such directory', { permanent: true, retryDelayMs: 0 })).toMatchObject({
        state: 'dead',
        attempts: 1,
      });
      const revived = await queue.retry(hopeless.id);
      expect(revived).toMatchObject({ state: 'queued', attempts: 0 });
      expect(revived.lastError).toBeUndefined();
      expect(revived.finishedAt).toBeUndefined();
      await expect(queue.retry(hopeless.id)).rejects.toMatchObject({ code: 'conflict' });
      await expect(queue.retry(999_999)).rejects.toMatchObject({ code: 'not-found' });
    });

    it('returns the job of a worker that stopped renewing its lease, and then ignores that worker', async () => {
      const { job } = await queue.enqueue({ target: '/r/slow', maxAttempts: 2 });
      await queue.claim('vanished', 1);
      await sleep(20);
      expect(await queue.reap()).toBe(1);
      const back = await queue.get(job.id);
      expect(back).toMatchObject({ state: 'queued', attempts: 1 });
      expect(back!.lastError).toContain('vanished');
      expect(await queue.complete(job.id, 'vanished', 7)).toBe(false);
      expect((await queue.claim('successor', 1))?.id).toBe(job.id);
      await sleep(20);
      expect(await queue.reap()).toBe(1);
      expect(await queue.get(job.id)).toMatchObject({ state: 'dead', attempts: 2 });
    });

    it('admits one running job per repository and commit', async () => {
      const a = (await queue.enqueue({ target: '/clone/one' })).job;
      const b = (await queue.enqueue({ target: 'https://example.com/one.git' })).job;
      await queue.claim('w1', LONG);
      await queue.claim('w2', LONG);
      expect(await queue.startCommit(a.id, 'w1', 'example.com/one', 'abc')).toBeUndefined();
      expect(await queue.startCommit(b.id, 'w2', 'example.com/one', 'abc')).toBe(a.id);
      expect(await queue.release(b.id, 'w2', LONG, `waiting for job ${a.id}`)).toBe(true);
      expect(await queue.get(b.id)).toMatchObject({ state: 'queued', attempts: 0, progress: `waiting for job ${a.id}` });
      // Another commit of the same repository is no conflict.
      const c = (await queue.enqueue({ target: '/clone/one', revision: 'v2' })).job;
      await queue.claim('w3', LONG);
      expect(await queue.startCommit(c.id, 'w3', 'example.com/one', 'def')).toBeUndefined();
      await expect(queue.startCommit(c.id, 'not-the-holder', 'example.com/one', 'def')).rejects.toMatchObject({ code: 'conflict' });
    });

    it('prunes done jobs past an age and keeps dead and pending ones', async () => {
      const done = (await queue.enqueue({ target: '/r/done' })).job;
      const dead = (await queue.enqueue({ target: '/r/dead' })).job;
      const pending = (await queue.enqueue({ target: '/r/pending' })).job;
      await queue.claim('w', LONG);
      await queue.complete(done.id, 'w', 1);
      await queue.claim('w', LONG);
      await queue.fail(dead.id, 'w', 'broken', { permanent: true, retryDelayMs: 0 });
      expect(await queue.prune(LONG)).toBe(0);
      await sleep(20);
      expect(await queue.prune(5)).toBe(1);
      expect(await queue.get(done.id)).toBeUndefined();
      expect((await queue.list({ limit: 10 })).map((job) => job.id).sort((a, b) => a - b)).toEqual([dead.id, pending.id]);
    });

    it('lists newest first, by state, and keeps hostile text as text', async () => {
      const hostile = `/r/'; DROP TABLE jobs; --<script>`;
      await queue.enqueue({ target: '/r/1' });
      await queue.enqueue({ target: hostile, revision: 'v1' });
      const all = await queue.list({ limit: 10 });
      expect(all.map((job) => job.target)).toEqual([hostile, '/r/1']);
      expect(await queue.list({ state: 'dead', limit: 10 })).toEqual([]);
      expect((await queue.list({ state: 'queued', limit: 1 })).length).toBe(1);
    });
  });
}
