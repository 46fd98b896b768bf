/**
 * The indexing queue as a page (`/-/jobs`, `?state=dead` for one state):
 * counts per state and the newest jobs, each with its target, the graph it
 * published, its attempts, the worker that holds it and its last error.
 * The same data is `/api/-/jobs` and `graphhub jobs --json`.
 */
import { invalidInput } from '../../model/errors.js';
import { jobsOverview, type JobView } from '../../query/jobs.js';
import { JOB_STATES, type JobState } from '../../queue/job-queue.js';
import { intParam, type PageResult, type WebContext } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { repositoryPath } from '../urls.js';
import { shortCommit, timeElement } from './common.js';

export const JOBS_PATH = '/-/jobs';

/** `?state=…&limit=…` of the page and of the API, checked. */
export function jobsFilter(url: URL): { state?: JobState; limit: number } {
  const state = url.searchParams.get('state');
  if (state !== null && !(JOB_STATES as readonly string[]).includes(state)) {
    throw invalidInput(`unknown job state ${JSON.stringify(state.slice(0, 40))}; one of ${JOB_STATES.join(', ')}`);
  }
  return { limit: intParam(url, 'limit', 100, 1, 1000), ...(state !== null ? { state: state as JobState } : {}) };
}

function graphCell(job: JobView): SafeHtml {
  if (!job.repository) return html`<span class="empty">not resolved yet</span>`;
  const commit = job.commit ? html`@<span title="${job.commit}">${shortCommit(job.commit)}</span>` : '';
  // Only a done job's graph exists for sure; the others name what they work on.
  if (job.state === 'done' && job.commit) {
    return html`<a class="mono" href="${repositoryPath({ repository: job.repository, commit: job.commit })}">${job.repository}${commit}</a>`;
  }
  return html`<span class="mono">${job.repository}${commit}</span>`;
}

function noteCell(job: JobView): SafeHtml | string {
  if (job.state === 'running') return html`${job.progress ?? 'starting'}${job.leaseUntil ? html` <span class="muted">(lease until ${timeElement(job.leaseUntil)})</span>` : ''}`;
  if (job.state === 'queued' && job.dueAt) return html`retry due ${timeElement(job.dueAt)}${job.lastError ? html`<br><span class="muted">${job.lastError}</span>` : ''}`;
  return job.lastError ?? job.progress ?? '';
}

export async function jobsPage(context: WebContext): Promise<PageResult> {
  const filter = jobsFilter(context.url);
  const overview = await jobsOverview(context.hub.queue, filter);
  const total = JOB_STATES.reduce((sum, state) => sum + overview.counts[state], 0);
  const states = html`<p class="states">${[
    filter.state ? html`<a href="${JOBS_PATH}">all ${total}</a>` : html`<strong>all ${total}</strong>`,
    ...JOB_STATES.map((state) =>
      state === filter.state
        ? html` · <strong>${state} ${overview.counts[state]}</strong>`
        : html` · <a href="${JOBS_PATH}?state=${state}">${state} ${overview.counts[state]}</a>`,
    ),
  ]}</p>`;
  const rows = overview.jobs.map(
    (job) => html`<tr class="job-${job.state}"><td class="num">${job.id}</td><td>${job.state}</td><td class="mono">${job.target}${
      job.revision !== 'HEAD' ? html` @ ${job.revision}` : ''
    }</td><td>${graphCell(job)}</td><td class="num">${job.attempts}/${job.maxAttempts}</td><td class="mono">${job.worker ?? ''}</td><td>${noteCell(job)}</td><td>${timeElement(
      job.createdAt,
    )}</td><td>${job.finishedAt ? timeElement(job.finishedAt) : ''}</td></tr>`,
  );
  const table =
    overview.jobs.length === 0
      ? html`<p class="empty">No ${filter.state ?? ''} indexing jobs. Queue one with <code>graphhub enqueue GIT-URL</code>; <code>graphhub worker</code> runs them.</p>`
      : html`<table class="list jobs"><thead><tr><th class="num">job</th><th>state</th><th>target</th><th>graph</th><th class="num">attempts</th><th>worker</th><th>progress or last error</th><th>queued</th><th>finished</th></tr></thead><tbody>${rows}</tbody></table>`;
  return {
    title: 'indexing jobs · graphhub',
    body: html`<nav class="crumbs" aria-label="breadcrumb"><a href="/">hub</a> / <a href="${JOBS_PATH}">jobs</a></nav>
<h1>Indexing jobs</h1>
<p class="muted">As of ${timeElement(overview.now)}, newest first. Workers (<code>graphhub worker</code>) take queued jobs; a job out of attempts is dead until retried (<code>graphhub jobs retry ID</code>). JSON: <a href="/api${JOBS_PATH}">/api${JOBS_PATH}</a>.</p>
${states}
${table}`,
  };
}
