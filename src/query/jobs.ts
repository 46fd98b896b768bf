/**
 * The indexing queue as people and programs see it: `graphhub jobs --json`,
 * the JSON API and the jobs page share these shapes. Times are ISO-8601 from
 * the database's clock.
 */
import { notFound } from '../model/errors.js';
import type { JobQueue, JobRecord, JobState } from '../queue/job-queue.js';

export interface JobView {
  id: number;
  state: JobState;
  target: string;
  revision: string;
  repository?: string;
  commit?: string;
  attempts: number;
  maxAttempts: number;
  worker?: string;
  progress?: string;
  lastError?: string;
  graphId?: number;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** A queued job that waits (a retry's delay): when it becomes due. */
  dueAt?: string;
  /** A running job: when its lease ends unless the worker renews it. */
  leaseUntil?: string;
}

export interface JobsOverview {
  now: string;
  counts: Record<JobState, number>;
  jobs: JobView[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * `https://user:token@host/…` → `https://***@host/…`: a git URL may carry
 * credentials, and job lists are shown to anyone who can read the hub (git's
 * own error messages can repeat the URL, so errors get the same treatment).
 */
export function withoutCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@');
}

export function jobView(job: JobRecord, now: number): JobView {
  const view: JobView = {
    id: job.id,
    state: job.state,
    target: withoutCredentials(job.target),
    revision: job.revision,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    createdAt: iso(job.createdAt),
  };
  if (job.repository !== undefined) view.repository = job.repository;
  if (job.commit !== undefined) view.commit = job.commit;
  if (job.worker !== undefined) view.worker = job.worker;
  if (job.progress !== undefined) view.progress = withoutCredentials(job.progress);
  if (job.lastError !== undefined) view.lastError = withoutCredentials(job.lastError);
  if (job.graphId !== undefined) view.graphId = job.graphId;
  if (job.startedAt !== undefined) view.startedAt = iso(job.startedAt);
  if (job.finishedAt !== undefined) view.finishedAt = iso(job.finishedAt);
  if (job.state === 'queued' && job.runAfter > now) view.dueAt = iso(job.runAfter);
  if (job.state === 'running' && job.leaseUntil !== undefined) view.leaseUntil = iso(job.leaseUntil);
  return view;
}

/** Counts per state and the newest jobs (of one state, when given). */
export async function jobsOverview(queue: JobQueue, filter: { state?: JobState; limit: number }): Promise<JobsOverview> {
  const [now, counts, jobs] = await Promise.all([queue.now(), queue.counts(), queue.list(filter)]);
  return { now: iso(now), counts, jobs: jobs.map((job) => jobView(job, now)) };
}

export async function oneJob(queue: JobQueue, id: number): Promise<JobView> {
  const [now, job] = await Promise.all([queue.now(), queue.get(id)]);
  if (!job) throw notFound(`no job ${id}`);
  return jobView(job, now);
}
