/**
 * The queue on the command line: `enqueue` records an indexing job, `worker`
 * drains the queue (run many, on many machines, against one --store), and
 * `jobs` shows what is queued, running, done and dead.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { join } from 'node:path';
import { jobsOverview, oneJob } from '../query/jobs.js';
import { enqueueIndex, MAX_ATTEMPTS_LIMIT } from '../queue/enqueue.js';
import { DEFAULT_LEASE_MS, JOB_STATES, type JobState } from '../queue/job-queue.js';
import type { WorkerEvent } from '../queue/worker.js';
import type { CliIo, Runner } from './options.js';
import { renderJob, renderJobs, renderWorkerEvent } from './render-jobs.js';

function seconds(min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min || parsed > max) throw new InvalidArgumentError(`expected seconds from ${min} to ${max}`);
    return Math.round(parsed * 1000);
  };
}

function integer(min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return parsed;
  };
}

export function registerQueueCommands(program: Command, run: Runner, io: CliIo): void {
  program
    .command('enqueue')
    .description('queue a repository (a git URL, or a folder the workers can read) for indexing by `graphhub worker`')
    .argument('<target>', 'git URL or local folder')
    .option('--commit <rev>', 'commit, branch or tag to index (default: HEAD when the job runs)')
    .option('--repo <name>', 'canonical name, e.g. github.com/org/repo (default: derived by the worker)')
    .option('--attempts <n>', `attempts before the job is dead (1 to ${MAX_ATTEMPTS_LIMIT})`, integer(1, MAX_ATTEMPTS_LIMIT), 3)
    .option('--json', 'print the job as JSON')
    .action(
      run(async (hub, target: string, options: { commit?: string; repo?: string; attempts: number; json?: boolean }) => {
        const { job, created } = await enqueueIndex(hub.queue, {
          target,
          maxAttempts: options.attempts,
          ...(options.commit !== undefined ? { revision: options.commit } : {}),
          ...(options.repo !== undefined ? { name: options.repo } : {}),
        });
        const view = await oneJob(hub.queue, job.id);
        if (options.json) io.out(JSON.stringify({ created, job: view }));
        else io.out(created ? `queued job ${view.id}: ${view.target} @ ${view.revision}` : `already pending as job ${view.id} (${view.state})`);
      }),
    );

  program
    .command('worker')
    .description('index queued repositories until stopped (SIGINT/SIGTERM give the running job back to the queue)')
    .option('--lease <seconds>', 'how long a job stays this worker\'s without renewal', seconds(1, 3600), DEFAULT_LEASE_MS)
    .option('--poll <seconds>', 'how long to wait when the queue is empty', seconds(0.05, 600), 2000)
    .option('--retry-delay <seconds>', 'delay before a failed job\'s first retry (quadruples per attempt)', seconds(0, 3600), 10_000)
    .option('--drain', 'exit when no job is due instead of waiting for more')
    .option('--json', 'print one JSON object per event')
    .action(
      run(async (hub, options: { lease: number; poll: number; retryDelay: number; drain?: boolean; json?: boolean }) => {
        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          // The worker indexes: loaded when it runs (see index-commands.ts).
          const { runWorker } = await import('../queue/worker.js');
          await runWorker({
            queue: hub.queue,
            store: hub.store,
            cas: hub.cas,
            mirrorsDir: join(hub.dataDir, 'mirrors'),
            leaseMs: options.lease,
            pollMs: options.poll,
            retryDelayMs: options.retryDelay,
            drain: options.drain === true,
            signal: stop.signal,
            onEvent: (event: WorkerEvent) => (options.json ? io.out(JSON.stringify(event)) : io.err(renderWorkerEvent(event))),
          });
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      }),
    );

  const jobs = program.command('jobs').description('indexing jobs: list (the default), show one, retry a dead one');
  jobs
    .command('list', { isDefault: true })
    .description('counts per state and the newest jobs')
    .addOption(new Option('--state <state>', 'only jobs in this state').choices([...JOB_STATES]))
    .option('--limit <n>', 'at most this many jobs', integer(1, 10000), 50)
    .option('--json', 'print JSON')
    .action(
      run(async (hub, options: { state?: JobState; limit: number; json?: boolean }) => {
        const overview = await jobsOverview(hub.queue, { limit: options.limit, ...(options.state ? { state: options.state } : {}) });
        io.out(options.json ? JSON.stringify(overview) : renderJobs(overview));
      }),
    );

  jobs
    .command('retry')
    .description('put a dead (or done) job back in the queue with fresh attempts')
    .argument('<id>', 'job id', integer(1, Number.MAX_SAFE_INTEGER))
    .option('--json', 'print the job as JSON')
    .action(
      run(async (hub, id: number, options: { json?: boolean }) => {
        await hub.queue.retry(id);
        const view = await oneJob(hub.queue, id);
        io.out(options.json ? JSON.stringify(view) : renderJob(view));
      }),
    );

  jobs
    .command('prune')
    .description('delete done jobs older than some days (dead jobs stay until retried)')
    .option('--days <n>', 'age in days', integer(0, 36500), 7)
    .option('--json', 'print JSON')
    .action(
      run(async (hub, options: { days: number; json?: boolean }) => {
        const deleted = await hub.queue.prune(options.days * 86_400_000);
        io.out(options.json ? JSON.stringify({ deleted }) : `deleted ${deleted} done job(s) older than ${options.days} day(s)`);
      }),
    );

  jobs
    .command('show')
    .description('one job in full')
    .argument('<id>', 'job id', integer(1, Number.MAX_SAFE_INTEGER))
    .option('--json', 'print JSON')
    .action(
      run(async (hub, id: number, options: { json?: boolean }) => {
        const view = await oneJob(hub.queue, id);
        io.out(options.json ? JSON.stringify(view) : renderJob(view));
      }),
    );
}
