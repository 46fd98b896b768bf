/** Terminal renderings of the queue: job lists, one job, worker events. */
import type { JobsOverview, JobView } from '../query/jobs.js';
import type { WorkerEvent } from '../queue/worker.js';

const short = (commit: string | undefined): string => (commit ? commit.slice(0, 12) : '');

export function renderJobs(overview: JobsOverview): string {
  const { counts } = overview;
  const lines = [`queued ${counts.queued}  running ${counts.running}  done ${counts.done}  dead ${counts.dead}`];
  for (const job of overview.jobs) {
    const what = job.repository ? `${job.repository}@${short(job.commit) || job.revision}` : `${job.target} @ ${job.revision}`;
    const note = job.state === 'running' ? job.progress ?? '' : job.state === 'done' ? `graph ${job.graphId}` : job.lastError ?? job.progress ?? '';
    lines.push(`  ${String(job.id).padStart(5)}  ${job.state.padEnd(7)}  ${job.attempts}/${job.maxAttempts}  ${what}  ${note}`.trimEnd());
  }
  return lines.join('\n');
}

export function renderJob(job: JobView): string {
  const lines = [`job ${job.id}  ${job.state}  attempt ${job.attempts} of ${job.maxAttempts}`, `  target     ${job.target} @ ${job.revision}`];
  if (job.repository) lines.push(`  repository ${job.repository}${job.commit ? `@${job.commit}` : ''}`);
  if (job.worker) lines.push(`  worker     ${job.worker}`);
  if (job.progress) lines.push(`  progress   ${job.progress}`);
  if (job.lastError) lines.push(`  last error ${job.lastError}`);
  if (job.graphId !== undefined) lines.push(`  graph      ${job.graphId}`);
  lines.push(`  created    ${job.createdAt}`);
  if (job.startedAt) lines.push(`  started    ${job.startedAt}`);
  if (job.finishedAt) lines.push(`  finished   ${job.finishedAt}`);
  if (job.dueAt) lines.push(`  due        ${job.dueAt}`);
  if (job.leaseUntil) lines.push(`  lease till ${job.leaseUntil}`);
  return lines.join('\n');
}

export function renderWorkerEvent(event: WorkerEvent): string {
  const job = event.job !== undefined ? `job ${event.job}` : '';
  switch (event.event) {
    case 'started':
      return `worker ${event.worker} started`;
    case 'stopped':
      return `worker ${event.worker} stopped`;
    case 'claimed':
      return `${job}: indexing ${event.target} (attempt ${event.attempt})`;
    case 'done':
      return `${job}: done, ${event.repository}@${short(event.commit)} is graph ${event.graph}`;
    case 'retry':
      return `${job}: failed (attempt ${event.attempt}), will retry: ${event.message}`;
    case 'dead':
      return `${job}: dead after attempt ${event.attempt}: ${event.message}`;
    default:
      return `${job ? `${job}: ` : ''}${event.event}${event.message ? `: ${event.message}` : ''}`;
  }
}
