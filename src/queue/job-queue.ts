/**
 * Indexing jobs: what `graphhub enqueue` records and `graphhub worker`
 * processes drain, on one machine or many.
 *
 * A job's life: queued → running (a worker holds a lease and renews it) →
 * done, or back to queued with a delay after a failure, or dead when its
 * attempts are spent or its failure is one a retry cannot fix. A worker that
 * stops renewing its lease (killed, machine lost) loses the job to the next
 * worker that looks; the database, not the workers, decides who holds what.
 *
 * Architecture invariant: the same repository at the same commit is never
 * indexed by two workers at once. Two rules in the database enforce it: a
 * unique index admits one running job per (repository, commit), and the
 * graph store lets one writer per (repository, commit) write at a time.
 */

export type JobState = 'queued' | 'running' | 'done' | 'dead';

export const JOB_STATES: readonly JobState[] = ['queued', 'running', 'done', 'dead'];

/** How long a claimed job stays its worker's without the lease being renewed, unless the worker is told otherwise. */
export const DEFAULT_LEASE_MS = 60_000;

export interface JobRecord {
  id: number;
  /** A git URL, or an absolute path on the workers' machines, as enqueued. */
  target: string;
  /** The revision to index as given (`HEAD` when none was). */
  revision: string;
  /** The canonical name given at enqueue time, if any. */
  requestedName?: string;
  /** The canonical name and the commit, once a worker has resolved them. */
  repository?: string;
  commit?: string;
  state: JobState;
  /** Attempts started so far, the running one included. */
  attempts: number;
  maxAttempts: number;
  /** Epoch milliseconds (database clock) before which a queued job is not taken. */
  runAfter: number;
  /** The worker running the job, or the last one that ran it. */
  worker?: string;
  leaseUntil?: number;
  /** What the running worker last reported: `reading 128/900 files`, `writing`. */
  progress?: string;
  lastError?: string;
  /** The graph the job published, when done. */
  graphId?: number;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
}

export interface EnqueueRequest {
  target: string;
  revision?: string;
  name?: string;
  maxAttempts?: number;
}

export interface FailOptions {
  /** A failure a retry cannot fix (a bad target, a missing commit): the job goes to dead at once. */
  permanent: boolean;
  /** How long a retried job waits before it can be taken again. */
  retryDelayMs: number;
}

export interface JobQueue {
  /**
   * Records a job. While a job for the same target and revision is queued or
   * running, that job is returned instead (`created: false`).
   */
  enqueue(request: EnqueueRequest): Promise<{ job: JobRecord; created: boolean }>;
  /** Takes the oldest job that is due, under a lease of `leaseMs`; undefined when none is due. */
  claim(worker: string, leaseMs: number): Promise<JobRecord | undefined>;
  /** Renews the lease and records progress; false when the job is no longer this worker's. */
  heartbeat(jobId: number, worker: string, leaseMs: number, progress?: string): Promise<boolean>;
  /**
   * Records the repository and commit a running job resolved to. Returns the
   * id of another running job that holds the same repository and commit (the
   * caller must not index it now), or undefined when this job may go on.
   */
  startCommit(jobId: number, worker: string, repository: string, commit: string): Promise<number | undefined>;
  complete(jobId: number, worker: string, graphId: number): Promise<boolean>;
  /** Records a failed attempt: back to queued after a delay, or dead. Undefined when the job is no longer this worker's. */
  fail(jobId: number, worker: string, error: string, options: FailOptions): Promise<JobRecord | undefined>;
  /** Gives a job back without counting the attempt (the worker is stopping, or another job holds its commit). */
  release(jobId: number, worker: string, delayMs: number, note: string): Promise<boolean>;
  /** Returns running jobs whose lease has expired to the queue (or to dead when out of attempts); how many. */
  reap(): Promise<number>;
  /** Puts a dead (or done) job back in the queue with fresh attempts. */
  retry(jobId: number): Promise<JobRecord>;
  /** Deletes done jobs that finished more than `olderThanMs` ago (dead ones stay until retried); how many. */
  prune(olderThanMs: number): Promise<number>;
  get(jobId: number): Promise<JobRecord | undefined>;
  /** Newest first. */
  list(filter: { state?: JobState; limit: number }): Promise<JobRecord[]>;
  counts(): Promise<Record<JobState, number>>;
  /** The database's clock, in epoch milliseconds: the clock leases and delays are measured against. */
  now(): Promise<number>;
  close(): Promise<void>;
}
