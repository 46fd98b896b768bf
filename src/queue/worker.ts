/**
 * One indexing worker: take a due job, renew its lease while indexing,
 * record the outcome, repeat. Run as many as you like, on as many machines
 * as you like, against one database; they coordinate only through it.
 *
 * What makes a killed worker harmless: its graph writer's transaction dies
 * with its connection (nothing half-written is ever visible), and its lease
 * stops being renewed, so the next worker to look returns the job to the
 * queue (reap) and runs it again.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ContentStore } from '../cas/content-store.js';
import { indexRepository, type Progress } from '../indexer/index-repository.js';
import { locateSource, type LocatedSource } from '../indexer/locate.js';
import { GraphhubError } from '../model/errors.js';
import type { GraphStore } from '../store/graph-store.js';
import { DEFAULT_LEASE_MS, type JobQueue, type JobRecord } from './job-queue.js';

export interface WorkerOptions {
  queue: JobQueue;
  store: GraphStore;
  cas: ContentStore;
  /** Where clones of git URLs are kept on this machine. */
  mirrorsDir: string;
  /** Default: host:pid:random. */
  workerId?: string;
  /** How long a claimed job stays this worker's without a renewal. */
  leaseMs?: number;
  /** How long to wait before looking again when the queue is empty. */
  pollMs?: number;
  /** The delay before a failed job's first retry; it quadruples per attempt, up to an hour. */
  retryDelayMs?: number;
  /** Return when no job is due instead of waiting for more. */
  drain?: boolean;
  /** Aborting it stops the worker: the running job is given back to the queue, not failed. */
  signal?: AbortSignal;
  onEvent?: (event: WorkerEvent) => void;
}

export interface WorkerEvent {
  event: 'started' | 'claimed' | 'done' | 'retry' | 'dead' | 'released' | 'lost' | 'reaped' | 'error' | 'stopped';
  worker: string;
  job?: number;
  target?: string;
  repository?: string;
  commit?: string;
  graph?: number;
  attempt?: number;
  message?: string;
}

const DEFAULT_POLL_MS = 2_000;
const DEFAULT_RETRY_DELAY_MS = 10_000;
const MAX_RETRY_DELAY_MS = 3_600_000;
/** After the database failed a worker's own bookkeeping, it waits this long before trying again. */
const OUTAGE_RETRY_MS = 5_000;
/** A job whose repository and commit another worker holds waits this long before it is looked at again. */
const BUSY_COMMIT_DELAY_MS = 5_000;

/** Failures a retry cannot fix: the job is dead at once. */
function isPermanent(error: unknown): boolean {
  return error instanceof GraphhubError && (error.code === 'invalid-input' || error.code === 'not-found');
}

function progressText(progress: Progress): string {
  return progress.phase === 'reading' ? `reading ${progress.done}/${progress.total} files` : progress.phase;
}

export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** Runs until the signal aborts (or, with `drain`, until no job is due). Resolves to the number of jobs finished. */
export async function runWorker(options: WorkerOptions): Promise<number> {
  const worker = options.workerId ?? newWorkerId();
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const emit = (event: Omit<WorkerEvent, 'worker'>) => options.onEvent?.({ worker, ...event });
  let finished = 0;
  emit({ event: 'started' });
  while (!options.signal?.aborted) {
    try {
      const reaped = await options.queue.reap();
      if (reaped > 0) emit({ event: 'reaped', message: `${reaped} job(s) of vanished workers returned to the queue` });
      const job = await options.queue.claim(worker, leaseMs);
      if (!job) {
        if (options.drain) break;
        await sleep(options.pollMs ?? DEFAULT_POLL_MS, options.signal);
        continue;
      }
      emit({ event: 'claimed', job: job.id, target: job.target, attempt: job.attempts });
      if (await runJob(job, worker, leaseMs, options, emit)) finished++;
    } catch (error) {
      // The database is unreachable (restarting, network): a worker outlives
      // that. Whatever job it held comes back through its lease.
      emit({ event: 'error', message: error instanceof Error ? error.message : String(error) });
      await sleep(OUTAGE_RETRY_MS, options.signal);
    }
  }
  emit({ event: 'stopped' });
  return finished;
}

/** One job, start to finish. Resolves to whether the job ended (done or dead) in this worker's hands. */
async function runJob(
  job: JobRecord,
  worker: string,
  leaseMs: number,
  options: WorkerOptions,
  emit: (event: Omit<WorkerEvent, 'worker'>) => void,
): Promise<boolean> {
  const { queue } = options;
  const jobControl = new AbortController();
  const stop = () => jobControl.abort(new GraphhubError('unavailable', 'the worker is stopping'));
  options.signal?.addEventListener('abort', stop, { once: true });
  let progress: string | undefined;
  const renew = async () => {
    try {
      const held = await queue.heartbeat(job.id, worker, leaseMs, progress);
      if (!held && !jobControl.signal.aborted) {
        jobControl.abort(new GraphhubError('conflict', `job ${job.id} was taken over after this worker's lease ran out`));
      }
    } catch {
      // The database is unreachable for now; the next beat tries again, and the lease decides.
    }
  };
  const timer = setInterval(() => void renew(), Math.max(50, Math.floor(leaseMs / 3)));
  let located: LocatedSource | undefined;
  try {
    located = await locateSource({
      target: job.target,
      // HEAD is the default; a plain directory (no git) accepts no revision at all.
      ...(job.revision !== 'HEAD' ? { revision: job.revision } : {}),
      ...(job.requestedName !== undefined ? { name: job.requestedName } : {}),
      mirrorsDir: options.mirrorsDir,
    });
    jobControl.signal.throwIfAborted();
    const commit = located.source.commit;
    if (commit !== undefined) {
      const holder = await queue.startCommit(job.id, worker, located.name, commit);
      if (holder !== undefined) {
        const note = `waiting: ${holder > 0 ? `job ${holder}` : 'another job'} is indexing ${located.name}@${commit.slice(0, 12)}`;
        await queue.release(job.id, worker, BUSY_COMMIT_DELAY_MS, note);
        emit({ event: 'released', job: job.id, message: note });
        return false;
      }
    }
    let lastPhase: string | undefined;
    const result = await indexRepository({
      source: located.source,
      repository: { name: located.name, ...(located.url ? { url: located.url } : {}) },
      store: options.store,
      cas: options.cas,
      signal: jobControl.signal,
      onProgress: (step) => {
        progress = progressText(step);
        // A new phase is shown at once; file counts ride on the regular beat.
        if (step.phase !== lastPhase) {
          lastPhase = step.phase;
          void renew();
        }
      },
    });
    const recorded = await queue.complete(job.id, worker, result.graph.id);
    emit({
      event: recorded ? 'done' : 'lost',
      job: job.id,
      repository: result.graph.repository,
      commit: result.graph.commit,
      graph: result.graph.id,
      ...(recorded ? {} : { message: 'published, but the job had been taken over meanwhile' }),
    });
    return recorded;
  } catch (error) {
    return await settleFailure(job, worker, error, jobControl.signal, options, emit);
  } finally {
    clearInterval(timer);
    options.signal?.removeEventListener('abort', stop);
    located?.source.close();
  }
}

async function settleFailure(
  job: JobRecord,
  worker: string,
  error: unknown,
  jobSignal: AbortSignal,
  options: WorkerOptions,
  emit: (event: Omit<WorkerEvent, 'worker'>) => void,
): Promise<boolean> {
  const { queue } = options;
  const message = error instanceof Error ? error.message : String(error);
  if (options.signal?.aborted) {
    await queue.release(job.id, worker, 0, 'given back by a worker that stopped');
    emit({ event: 'released', job: job.id, message: 'worker stopping' });
    return false;
  }
  if (jobSignal.aborted) {
    emit({ event: 'lost', job: job.id, message });
    return false;
  }
  if (error instanceof GraphhubError && error.code === 'conflict') {
    // Another process is writing this very commit (the store's lock said so): not this job's failure.
    const released = await queue.release(job.id, worker, BUSY_COMMIT_DELAY_MS, `waiting: ${message}`);
    emit({ event: released ? 'released' : 'lost', job: job.id, message });
    return false;
  }
  const base = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  const retryDelayMs = Math.min(MAX_RETRY_DELAY_MS, base * 4 ** Math.max(0, job.attempts - 1));
  const detail = error instanceof GraphhubError ? `${error.code}: ${message}` : `internal error: ${message}`;
  const after = await queue.fail(job.id, worker, detail, { permanent: isPermanent(error), retryDelayMs });
  if (!after) {
    emit({ event: 'lost', job: job.id, message: detail });
    return false;
  }
  emit({ event: after.state === 'dead' ? 'dead' : 'retry', job: job.id, attempt: after.attempts, message: detail });
  return after.state === 'dead';
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
