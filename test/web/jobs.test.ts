/**
 * The indexing queue on the web: the jobs page and its JSON, against a real
 * queue that a real worker drained (one job done, one dead), with a hostile
 * target whose URL carries credentials.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { openHub, type Hub } from '../../src/hub/hub.js';
import type { JobsOverview, JobView } from '../../src/query/jobs.js';
import { enqueueIndex } from '../../src/queue/enqueue.js';
import { runWorker } from '../../src/queue/worker.js';
import { createHubApp } from '../../src/server/hub-server.js';
import { graphhubJson } from '../helpers/cli.js';
import { TestRepo } from '../helpers/git-repo.js';
import { tempDir } from '../helpers/temp.js';

const HOSTILE_URL = 'https://user:s3cret@127.0.0.1:1/</script><img src=x onerror=alert(1)>.git';

let hub: Hub;
let app: Hono;
let dataDir: string;
let done: number;
let dead: number;
let queued: number;
let commit: string;

beforeAll(async () => {
  dataDir = tempDir();
  hub = await openHub({ dataDir });
  const repo = TestRepo.create({ 'go.mod': 'module example.com/jobs\n', 'main.go': 'package main\n\nfunc main() { helper() }\n\nfunc helper() {}\n' });
  commit = repo.commit();
  done = (await enqueueIndex(hub.queue, { target: repo.path, name: 'example.com/jobs' })).job.id;
  dead = (await enqueueIndex(hub.queue, { target: HOSTILE_URL, name: 'example.com/hostile', maxAttempts: 1 })).job.id;
  await runWorker({ queue: hub.queue, store: hub.store, cas: hub.cas, mirrorsDir: tempDir(), drain: true, retryDelayMs: 0 });
  queued = (await enqueueIndex(hub.queue, { target: repo.path, revision: 'main' })).job.id;
  app = createHubApp(hub);
});

afterAll(async () => {
  await hub?.close();
});

async function page(path: string, expectedStatus = 200): Promise<string> {
  const response = await app.request(path);
  const text = await response.text();
  expect(response.status, `${path}: ${text.slice(0, 300)}`).toBe(expectedStatus);
  expect(response.headers.get('content-type')).toContain('text/html');
  return text;
}

async function api<T>(path: string, expectedStatus = 200): Promise<T> {
  const response = await app.request(path);
  const text = await response.text();
  expect(response.status, `${path}: ${text.slice(0, 300)}`).toBe(expectedStatus);
  expect(text).not.toMatch(/[<>]/);
  return JSON.parse(text) as T;
}

describe('jobs on the web', () => {
  it('shows counts, each job with its graph, and the dead job escaped and without its credentials', async () => {
    const text = await page('/-/jobs');
    expect(text).toContain('<h1>Indexing jobs</h1>');
    expect(text).toMatch(/all 3<\/strong> · <a href="\/-\/jobs\?state=queued">queued 1<\/a> · <a href="\/-\/jobs\?state=running">running 0<\/a> · <a href="\/-\/jobs\?state=done">done 1<\/a> · <a href="\/-\/jobs\?state=dead">dead 1<\/a>/);
    expect(text).toContain(`href="/example.com/jobs@${commit}"`);
    expect(text).toContain('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(text).not.toContain('<img src=x');
    expect(text).not.toContain('s3cret');
    expect(text).toContain('https://***@127.0.0.1:1/');
    expect(text).toMatch(/source-unavailable: cannot fetch/);
    expect(await page('/')).toContain('href="/-/jobs"');
  });

  it('filters by state and refuses an unknown one', async () => {
    const deadOnly = await page('/-/jobs?state=dead');
    expect(deadOnly).toContain('<strong>dead 1</strong>');
    expect(deadOnly).not.toContain(`href="/example.com/jobs@${commit}"`);
    expect(await page('/-/jobs?state=exploded', 400)).toContain('unknown job state');
  });

  it('answers the same data as JSON, as `graphhub jobs --json` does', async () => {
    const overview = await api<JobsOverview>('/api/-/jobs');
    const cli = graphhubJson<JobsOverview>(dataDir, 'jobs');
    expect(overview.counts).toEqual({ queued: 1, running: 0, done: 1, dead: 1 });
    expect(overview.jobs).toEqual(cli.jobs);
    expect(overview.jobs.map((job) => job.id)).toEqual([queued, dead, done]);
    const one = await api<JobView>(`/api/-/jobs/${done}`);
    expect(one).toMatchObject({ state: 'done', repository: 'example.com/jobs', commit, attempts: 1 });
    expect((await api<JobView>(`/api/-/jobs/${dead}`)).target).not.toContain('s3cret');
    expect((await api<JobsOverview>('/api/-/jobs?state=queued&limit=1')).jobs.map((job) => job.id)).toEqual([queued]);
    expect((await api<{ error: { code: string } }>('/api/-/jobs/abc', 400)).error.code).toBe('invalid-input');
    expect((await api<{ error: { code: string } }>('/api/-/jobs/999999', 404)).error.code).toBe('not-found');
    expect((await api<{ error: { code: string } }>('/api/-/jobs?limit=0', 400)).error.code).toBe('invalid-input');
    expect(Object.keys((await api<{ routes: Record<string, string> }>('/api')).routes)).toEqual(expect.arrayContaining(['jobs', 'job']));
  });
});
