/**
 * The job queue as rows of the `jobs` table (schema.ts), on either backend.
 *
 * Claiming in PostgreSQL is `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP
 * LOCKED LIMIT 1) RETURNING *`: concurrent workers each lock a different due
 * row and never wait on one another; a row is running for exactly one of
 * them. Every state change checks that the job is still the caller's
 * (`worker = ? AND state = 'running'`), so a worker that lost its lease
 * cannot complete or fail a job another worker has taken over.
 */
import { GraphhubError, notFound } from '../model/errors.js';
import type { EnqueueRequest, FailOptions, JobQueue, JobRecord, JobState } from './job-queue.js';
import type { SqlRunner } from './sql-runner.js';

const DEFAULT_MAX_ATTEMPTS = 3;

interface JobRow {
  id: number;
  target: string;
  revision: string;
  requested_name: string | null;
  repository: string | null;
  commit_sha: string | null;
  state: string;
  attempts: number;
  max_attempts: number;
  run_after: number;
  worker: string | null;
  lease_until: number | null;
  progress: string | null;
  last_error: string | null;
  graph_id: number | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

function jobFromRow(row: JobRow): JobRecord {
  const job: JobRecord = {
    id: Number(row.id),
    target: row.target,
    revision: row.revision,
    state: row.state as JobState,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAfter: Number(row.run_after),
    createdAt: Number(row.created_at),
  };
  if (row.requested_name !== null) job.requestedName = row.requested_name;
  if (row.repository !== null) job.repository = row.repository;
  if (row.commit_sha !== null) job.commit = row.commit_sha;
  if (row.worker !== null) job.worker = row.worker;
  if (row.lease_until !== null) job.leaseUntil = Number(row.lease_until);
  if (row.progress !== null) job.progress = row.progress;
  if (row.last_error !== null) job.lastError = row.last_error;
  if (row.graph_id !== null) job.graphId = Number(row.graph_id);
  if (row.started_at !== null) job.startedAt = Number(row.started_at);
  if (row.finished_at !== null) job.finishedAt = Number(row.finished_at);
  return job;
}

/** Error text kept per job: enough to diagnose, never a whole stack or a megabyte of git output. */
function shortError(text: string): string {
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

export class SqlJobQueue implements JobQueue {
  constructor(private readonly db: SqlRunner) {}

  async enqueue(request: EnqueueRequest): Promise<{ job: JobRecord; created: boolean }> {
    const revision = request.revision ?? 'HEAD';
    const maxAttempts = request.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    // A pending job for the same target and revision can finish between the
    // two statements; then the insert is simply tried again.
    for (let round = 0; round < 3; round++) {
      const [inserted] = await this.db.query<JobRow>(
        `INSERT INTO jobs (target, revision, requested_name, state, attempts, max_attempts, run_after, created_at)
         VALUES (?, ?, ?, 'queued', 0, ?, {{now}}, {{now}}) ON CONFLICT DO NOTHING RETURNING *`,
        [request.target, revision, request.name ?? null, maxAttempts],
      );
      if (inserted) return { job: jobFromRow(inserted), created: true };
      const [pending] = await this.db.query<JobRow>(
        "SELECT * FROM jobs WHERE target = ? AND revision = ? AND state IN ('queued', 'running')",
        [request.target, revision],
      );
      if (pending) return { job: jobFromRow(pending), created: false };
    }
    throw new GraphhubError('conflict', `could not enqueue ${request.target}: it keeps changing state; try again`);
  }

  async claim(worker: string, leaseMs: number): Promise<JobRecord | undefined> {
    const [row] = await this.db.query<JobRow>(
      `UPDATE jobs SET state = 'running', attempts = attempts + 1, worker = ?, lease_until = {{now}} + ?,
         started_at = {{now}}, progress = NULL, repository = requested_name, commit_sha = NULL
       WHERE id = (SELECT id FROM jobs WHERE state = 'queued' AND run_after <= {{now}} ORDER BY run_after, id LIMIT 1 {{skip-locked}})
         AND state = 'queued'
       RETURNING *`,
      [worker, leaseMs],
    );
    return row ? jobFromRow(row) : undefined;
  }

  async heartbeat(jobId: number, worker: string, leaseMs: number, progress?: string): Promise<boolean> {
    const rows = await this.db.query<{ id: number }>(
      `UPDATE jobs SET lease_until = {{now}} + ?, progress = COALESCE(?, progress)
       WHERE id = ? AND worker = ? AND state = 'running' RETURNING id`,
      [leaseMs, progress ?? null, jobId, worker],
    );
    return rows.length === 1;
  }

  async startCommit(jobId: number, worker: string, repository: string, commit: string): Promise<number | undefined> {
    try {
      const rows = await this.db.query<{ id: number }>(
        "UPDATE jobs SET repository = ?, commit_sha = ? WHERE id = ? AND worker = ? AND state = 'running' RETURNING id",
        [repository, commit, jobId, worker],
      );
      if (rows.length === 0) throw new GraphhubError('conflict', `job ${jobId} is no longer held by this worker`);
      return undefined;
    } catch (error) {
      if (!this.db.isUniqueViolation(error)) throw error;
      const [holder] = await this.db.query<{ id: number }>(
        "SELECT id FROM jobs WHERE repository = ? AND commit_sha = ? AND state = 'running' AND id <> ?",
        [repository, commit, jobId],
      );
      // The holder may have finished in between: report a nameless holder, and the caller waits a moment anyway.
      return holder ? Number(holder.id) : -1;
    }
  }

  async complete(jobId: number, worker: string, graphId: number): Promise<boolean> {
    const rows = await this.db.query<{ id: number }>(
      `UPDATE jobs SET state = 'done', graph_id = ?, finished_at = {{now}}, lease_until = NULL, progress = NULL, last_error = NULL
       WHERE id = ? AND worker = ? AND state = 'running' RETURNING id`,
      [graphId, jobId, worker],
    );
    return rows.length === 1;
  }

  async fail(jobId: number, worker: string, error: string, options: FailOptions): Promise<JobRecord | undefined> {
    const [row] = await this.db.query<JobRow>(
      `UPDATE jobs SET
         state = CASE WHEN ? = 1 OR attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
         finished_at = CASE WHEN ? = 1 OR attempts >= max_attempts THEN {{now}} ELSE NULL END,
         run_after = {{now}} + ?, last_error = ?, lease_until = NULL, progress = NULL
       WHERE id = ? AND worker = ? AND state = 'running' RETURNING *`,
      [options.permanent ? 1 : 0, options.permanent ? 1 : 0, options.retryDelayMs, shortError(error), jobId, worker],
    );
    return row ? jobFromRow(row) : undefined;
  }

  async release(jobId: number, worker: string, delayMs: number, note: string): Promise<boolean> {
    const rows = await this.db.query<{ id: number }>(
      `UPDATE jobs SET state = 'queued', attempts = attempts - 1, run_after = {{now}} + ?, progress = ?, lease_until = NULL
       WHERE id = ? AND worker = ? AND state = 'running' RETURNING id`,
      [delayMs, shortError(note), jobId, worker],
    );
    return rows.length === 1;
  }

  async reap(): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `UPDATE jobs SET
         state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
         finished_at = CASE WHEN attempts >= max_attempts THEN {{now}} ELSE NULL END,
         last_error = 'worker ' || worker || ' stopped renewing its lease (killed, or its machine or network was lost)',
         run_after = {{now}}, lease_until = NULL, progress = NULL
       WHERE state = 'running' AND lease_until < {{now}} RETURNING id`,
    );
    return rows.length;
  }

  async retry(jobId: number): Promise<JobRecord> {
    try {
      const [row] = await this.db.query<JobRow>(
        `UPDATE jobs SET state = 'queued', attempts = 0, run_after = {{now}}, finished_at = NULL, started_at = NULL, progress = NULL,
           last_error = NULL, graph_id = NULL, worker = NULL, repository = requested_name, commit_sha = NULL
         WHERE id = ? AND state IN ('dead', 'done') RETURNING *`,
        [jobId],
      );
      if (row) return jobFromRow(row);
    } catch (error) {
      if (!this.db.isUniqueViolation(error)) throw error;
      throw new GraphhubError('conflict', `job ${jobId} cannot be retried: another job for the same target and revision is pending`);
    }
    const job = await this.get(jobId);
    if (!job) throw notFound(`no job ${jobId}`);
    throw new GraphhubError('conflict', `job ${jobId} is ${job.state}; only dead or done jobs can be retried`);
  }

  async prune(olderThanMs: number): Promise<number> {
    const rows = await this.db.query<{ id: number }>("DELETE FROM jobs WHERE state = 'done' AND finished_at < {{now}} - ? RETURNING id", [
      olderThanMs,
    ]);
    return rows.length;
  }

  async get(jobId: number): Promise<JobRecord | undefined> {
    const [row] = await this.db.query<JobRow>('SELECT * FROM jobs WHERE id = ?', [jobId]);
    return row ? jobFromRow(row) : undefined;
  }

  async list(filter: { state?: JobState; limit: number }): Promise<JobRecord[]> {
    const rows = filter.state
      ? await this.db.query<JobRow>('SELECT * FROM jobs WHERE state = ? ORDER BY id DESC LIMIT ?', [filter.state, filter.limit])
      : await this.db.query<JobRow>('SELECT * FROM jobs ORDER BY id DESC LIMIT ?', [filter.limit]);
    return rows.map(jobFromRow);
  }

  async counts(): Promise<Record<JobState, number>> {
    const counts: Record<JobState, number> = { queued: 0, running: 0, done: 0, dead: 0 };
    for (const row of await this.db.query<{ state: JobState; n: number }>('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state')) {
      counts[row.state] = Number(row.n);
    }
    return counts;
  }

  async now(): Promise<number> {
    const [row] = await this.db.query<{ now: number }>('SELECT {{now}} AS now');
    return Number(row!.now);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
