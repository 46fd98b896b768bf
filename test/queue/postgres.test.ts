import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { SqlJobQueue } from '../../src/queue/sql-job-queue.js';
import { PostgresRunner } from '../../src/queue/sql-runner.js';
import { openPostgres } from '../../src/store/postgres/connection.js';
import type { JobQueue } from '../../src/queue/job-queue.js';
import { TEST_POSTGRES, freshStoreUrl } from '../helpers/postgres.js';
import { queueContract } from './contract.js';

const urls = new WeakMap<object, string>();

/** Each handle has its own pool, as a separate worker process would. */
async function openQueue(url: string): Promise<JobQueue> {
  const database = await openPostgres(url);
  const inner = new SqlJobQueue(new PostgresRunner(database.pool));
  const queue: JobQueue = Object.assign(Object.create(inner) as JobQueue, {
    close: async () => {
      await inner.close();
      await database.close();
    },
  });
  urls.set(queue, url);
  return queue;
}

queueContract('postgres', {
  open: async () => openQueue(freshStoreUrl().url),
  another: async (queue) => openQueue(urls.get(queue)!),
});

describe('postgres job queue under contention', () => {
  it('skips a job another worker has locked mid-claim instead of waiting for it', async () => {
    const { url, schema } = freshStoreUrl();
    const queue = await openQueue(url);
    const blocker = new pg.Client({ connectionString: TEST_POSTGRES, options: `-c search_path=${schema}` });
    await blocker.connect();
    try {
      const first = (await queue.enqueue({ target: '/r/first' })).job;
      const second = (await queue.enqueue({ target: '/r/second' })).job;
      await blocker.query('BEGIN');
      await blocker.query('SELECT id FROM jobs WHERE id = $1 FOR UPDATE', [first.id]);
      // Without SKIP LOCKED the claim would wait behind the open transaction, which only ends below.
      const blocked = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('claim waited for a locked job')), 10_000).unref());
      const claimed = await Promise.race([queue.claim('w', 60_000), blocked]);
      expect(claimed?.id).toBe(second.id);
      await blocker.query('ROLLBACK');
      expect((await queue.claim('w', 60_000))?.id).toBe(first.id);
    } finally {
      await blocker.end();
      await queue.close();
    }
  });
});
