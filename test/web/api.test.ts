/**
 * The JSON API: every route against the fixture graphs, compared with what
 * the real `graphhub … --json` prints for the same data folder (same shapes),
 * and its errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { createHubApp } from '../../src/server/hub-server.js';
import { graphhubJson } from '../helpers/cli.js';
import { buildHubFixture, HOSTILE, type HubFixture } from '../helpers/hub-fixture.js';

const REPO = 'github.com/acme/notifier';
const API = `/api/${REPO}`;

let fixture: HubFixture;
let app: Hono;

beforeAll(async () => {
  fixture = await buildHubFixture();
  app = createHubApp(fixture.hub);
});

afterAll(async () => {
  await fixture?.hub.close();
});

async function api<T = Record<string, unknown>>(path: string, expectedStatus = 200): Promise<T> {
  const response = await app.request(path);
  const text = await response.text();
  expect(response.status, `${path}: ${text.slice(0, 300)}`).toBe(expectedStatus);
  expect(response.headers.get('content-type')).toContain('application/json');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
  // Markup characters travel as \u escapes, so no body can be mistaken for HTML.
  expect(text).not.toMatch(/[<>]/);
  return JSON.parse(text) as T;
}

describe('JSON API: the same shapes as the CLI', () => {
  it('lists the routes at /api', async () => {
    const index = await api<{ routes: Record<string, string> }>('/api');
    expect(Object.keys(index.routes)).toEqual(
      expect.arrayContaining(['repositories', 'search', 'repository', 'folder', 'file', 'source', 'symbol', 'callers', 'callees', 'tests', 'impact', 'wild']),
    );
  });

  it('answers repositories, search and symbol exactly as `graphhub repos|search|symbol --json`', async () => {
    expect(await api('/api/-/repositories')).toEqual(graphhubJson(fixture.dataDir, 'repos'));
    expect(await api('/api/-/search?q=startContainer')).toEqual(graphhubJson(fixture.dataDir, 'search', 'startContainer'));
    const symbol = await api(`${API}/-/symbol/startContainer`);
    expect(symbol).toEqual(graphhubJson(fixture.dataDir, 'symbol', 'startContainer', '--repo', REPO));
    expect(symbol).toMatchObject({ repository: REPO, commit: fixture.commits.notifier, symbol: { qualifiedName: 'main.startContainer' } });
  });

  it('answers tests, impact and wild exactly as the CLI does', async () => {
    expect(await api(`${API}/-/tests/startContainer`)).toEqual(graphhubJson(fixture.dataDir, 'tests', 'startContainer', '--repo', REPO));
    expect(await api(`${API}/-/impact/pickSink?depth=2`)).toEqual(graphhubJson(fixture.dataDir, 'impact', 'pickSink', '--repo', REPO, '--depth', '2'));
    const wild = await api<{ totalSites: number; repositories: Array<{ repository: string }> }>(`${API}/-/wild/alpha.Helper`);
    expect(wild).toEqual(graphhubJson(fixture.dataDir, 'wild', 'alpha.Helper', '--repo', REPO));
    expect(wild.totalSites).toBe(1);
    expect(wild.repositories[0]!.repository).toBe('github.com/acme/consumer');
  });

  it('pages callers and callees, keeping the fields of `graphhub callers|callees --json`', async () => {
    const cli = graphhubJson<Record<string, unknown>>(fixture.dataDir, 'callees', 'startContainer', '--repo', REPO);
    const all = await api<Record<string, unknown> & { callees: unknown[]; page: { total: number } }>(`${API}/-/callees/startContainer`);
    expect(all).toMatchObject(cli);
    expect(all.page.total).toBe(all.callees.length);
    const second = await api<{ callees: unknown[]; page: { offset: number; nextOffset?: number } }>(`${API}/-/callees/startContainer?offset=2&limit=2`);
    expect(second.callees).toEqual(all.callees.slice(2, 4));
    expect(second.page).toMatchObject({ offset: 2, nextOffset: 4 });
    const callers = await api(`${API}/-/callers/startContainer`);
    expect(callers).toMatchObject(graphhubJson<Record<string, unknown>>(fixture.dataDir, 'callers', 'startContainer', '--repo', REPO));
  });

  it('answers the repository, folder, file and source data of the pages', async () => {
    const overview = await api<{ commit: string; root: { folders: Array<{ name: string }> }; graphs: unknown[]; mostCalled: unknown[] }>(API);
    expect(overview.commit).toBe(fixture.commits.notifier);
    expect(overview.root.folders.map((folder) => folder.name)).toEqual(expect.arrayContaining(['internal', 'pkg', 'vendor']));
    expect(overview.graphs).toHaveLength(1);
    const folder = await api<{ path: string; files: Array<{ path: string }> }>(`${API}/-/tree/pkg/alpha`);
    expect(folder.files.map((file) => file.path)).toEqual(['pkg/alpha/helper.go']);
    const file = await api<{ source: { verified: boolean; lines: string[] }; symbols: Array<{ name: string }> }>(`${API}/-/file/run.go`);
    expect(file.source.verified).toBe(true);
    expect(file.symbols.map((symbol) => symbol.name)).toContain('startContainer');
    const source = await api<{ commit: string; source: { startLine: number; endLine: number; lines: string[]; blob: string } }>(`${API}/-/source/run.go?start=2&end=3`);
    expect(source.source).toMatchObject({ startLine: 2, endLine: 3 });
    expect(source.source.lines).toHaveLength(2);
    expect(source.commit).toBe(fixture.commits.notifier);
  });

  it('keeps hostile names intact as data', async () => {
    const hits = await api<{ hits: Array<{ symbol: { name: string } }> }>(`/api/-/search?q=${encodeURIComponent('</script>')}`);
    expect(hits.hits.map((hit) => hit.symbol.name)).toContain(HOSTILE);
  });
});

describe('JSON API errors', () => {
  it('maps error codes to statuses with a JSON body that says what to do', async () => {
    const unknown = await api<{ error: { code: string; message: string; suggestions: string[] } }>(`${API}/-/symbol/startContainr`, 404);
    expect(unknown.error).toMatchObject({ code: 'not-found', suggestions: ['startContainer'] });
    const ambiguous = await api<{ error: { code: string; choices: Array<{ id: string }> } }>(`${API}/-/symbol/Helper`, 409);
    expect(ambiguous.error.code).toBe('ambiguous');
    expect(ambiguous.error.choices).toHaveLength(2);
    expect((await api<{ error: { code: string } }>(`${API}/-/callers/startContainer?limit=100000`, 400)).error.code).toBe('invalid-input');
    expect((await api<{ error: { code: string } }>(`${API}/-/source/run.go?start=5&end=2`, 400)).error.code).toBe('invalid-input');
    expect((await api<{ error: { code: string } }>('/api/-/search?q=x&kind=bogus', 400)).error.code).toBe('invalid-input');
    expect((await api<{ error: { code: string } }>('/api/github.com/acme/nope', 404)).error.code).toBe('not-found');
    expect((await api<{ error: { code: string } }>(`${API}/-/bogus/x`, 400)).error.code).toBe('invalid-input');
    const integrity = await api<{ error: { code: string; message: string } }>('/api/github.com/acme/corrupt/-/source/corrupt.go?start=1&end=3', 500);
    expect(integrity.error.code).toBe('integrity');
    expect(integrity.error.message).toContain(fixture.corruptBlob);
  });
});
