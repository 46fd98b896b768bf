/**
 * Every page of the hub through `app.request()` (no port) against real
 * fixture graphs, hostile content included: it must come back escaped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { createHubApp } from '../../src/server/hub-server.js';
import { buildHubFixture, HOSTILE, HOSTILE_PATH, type HubFixture } from '../helpers/hub-fixture.js';

const RAW = '<img src=x onerror=alert(1)>';
const ESCAPED = '&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;';
const NOTIFIER = '/github.com/acme/notifier';

let fixture: HubFixture;
let app: Hono;

beforeAll(async () => {
  fixture = await buildHubFixture();
  app = createHubApp(fixture.hub);
});

afterAll(async () => {
  await fixture?.hub.close();
});

/** Fetches a page and checks what every response must satisfy: the CSP, and no hostile markup. */
async function get(path: string, init?: RequestInit): Promise<{ status: number; body: string; headers: Headers }> {
  const response = await app.request(path, init);
  const body = await response.text();
  expect(body).not.toContain(RAW);
  expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  return { status: response.status, body, headers: response.headers };
}

/** The href of every link in the page. */
function links(body: string): string[] {
  return [...body.matchAll(/href="([^"]*)"/g)].map((match) => match[1]!.replace(/&amp;/g, '&'));
}

describe('home and search', () => {
  it('lists every repository with its newest graph and offers a search box that searches as you type', async () => {
    const { status, body } = await get('/');
    expect(status).toBe(200);
    for (const name of ['notifier', 'consumer', 'hostile', 'synthetic', 'corrupt', 'webapp']) {
      expect(links(body)).toContain(`/github.com/acme/${name}`);
    }
    expect(links(body)).toContain(`${NOTIFIER}@${fixture.commits.notifier}`);
    expect(body).toContain(fixture.commits.notifier.slice(0, 12));
    expect(body).toMatch(/\d+ files · \d+ symbols · \d+ edges/);
    expect(body).toMatch(/<input type="search" name="q"[^>]*data-search-target="home-results"/);
    expect(body).toContain('<script src="/-/assets/hub.js?v=');
    // No inline script anywhere: every <script> has a src.
    expect(body.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull();
  });

  it('answers a search as a page and as the fragment the search box fetches', async () => {
    const page = await get('/-/search?q=startContainer');
    expect(page.status).toBe(200);
    expect(links(page.body)).toContain(`${NOTIFIER}/-/symbol/main.startContainer`);
    const fragment = await get('/-/search?q=startCont&fragment=1');
    expect(fragment.body.startsWith('<li>')).toBe(true);
    expect(fragment.body).not.toContain('<html');
    expect(links(fragment.body)).toContain(`${NOTIFIER}/-/symbol/main.startContainer`);
    expect((await get('/-/search?q=zzzznothing&fragment=1')).body).toContain('no symbols match');
    expect((await get(`/-/search?q=${'x'.repeat(300)}`)).status).toBe(400);
  });
});

describe('repository and folders', () => {
  it('shows folders and files, packages, the most-called symbols and the indexed graphs', async () => {
    const { status, body } = await get(NOTIFIER);
    expect(status).toBe(200);
    const hrefs = links(body);
    expect(hrefs).toContain(`${NOTIFIER}/-/tree/pkg`);
    expect(hrefs).toContain(`${NOTIFIER}/-/file/main.go`);
    expect(hrefs).toContain(`${NOTIFIER}/-/tree/pkg/alpha`);
    expect(body).toContain('example.com/notifier/pkg/alpha');
    expect(body).toContain('Most called');
    expect(hrefs.some((href) => href.startsWith(`${NOTIFIER}/-/symbol/`))).toBe(true);
    expect(hrefs).toContain(`${NOTIFIER}@${fixture.commits.notifier}`);
  });

  it('lists a folder, and answers 404 for one that does not exist', async () => {
    const { status, body } = await get(`${NOTIFIER}/-/tree/pkg/alpha`);
    expect(status).toBe(200);
    expect(links(body)).toContain(`${NOTIFIER}/-/file/pkg/alpha/helper.go`);
    expect(body).toContain('package <span class="mono">example.com/notifier/pkg/alpha</span>');
    expect((await get(`${NOTIFIER}/-/tree/nope`)).status).toBe(404);
  });
});

describe('file page', () => {
  it('shows the source from the CAS with line anchors and its symbols linked', async () => {
    const { status, body } = await get(`${NOTIFIER}/-/file/run.go`);
    expect(status).toBe(200);
    expect(body).toContain('hash-verified');
    expect(body).toMatch(/blob <span class="blob"[^>]*>[0-9a-f]{64}</);
    expect(body).toContain('<span class="line" id="L5">');
    expect(body).toContain('<a class="ln" href="#L5">5</a>');
    expect(body).toContain('<span class="hl-keyword">func</span>');
    // The definition's name in the code and the symbol list both link to the symbol page.
    expect(body).toMatch(/<a class="def" href="\/github\.com\/acme\/notifier\/-\/symbol\/main\.startContainer">/);
    expect(links(body)).toContain(`${NOTIFIER}/-/symbol/main.pickSink`);
  });

  it('refuses paths that try to leave the repository, and 404s unknown files', async () => {
    expect((await get(`${NOTIFIER}/-/file/..%2F..%2Fetc%2Fpasswd`)).status).toBe(400);
    // URL parsing resolves encoded dot segments before the hub sees them: what is left names no file.
    expect((await get(`${NOTIFIER}/-/file/%2E%2E/%2E%2E/%2E%2E/etc/passwd`)).status).toBe(404);
    expect((await get(`${NOTIFIER}/-/file/%2Fetc%2Fpasswd`)).status).toBe(400);
    expect((await get(`${NOTIFIER}/-/file/nope.go`)).status).toBe(404);
  });
});

describe('symbol page', () => {
  it('shows everything SPEC §1 lists for a function', async () => {
    const { status, body } = await get(`${NOTIFIER}/-/symbol/main.startContainer`);
    expect(status).toBe(200);
    const graph = (await fixture.hub.store.findGraph('github.com/acme/notifier'))!;
    const symbol = (await fixture.hub.store.symbolsQualified(graph.id, 'main.startContainer', 2))[0]!;
    const { startLine, endLine } = symbol.range;
    // Breadcrumb: hub / repository / name, each a link.
    expect(body).toContain(
      `<nav class="crumbs" aria-label="breadcrumb"><a href="/">hub</a> / <a href="${NOTIFIER}">github.com/acme/notifier</a> / <a href="${NOTIFIER}/-/symbol/main.startContainer">startContainer</a></nav>`,
    );
    expect(body).toContain('<h1><span class="kind">Function</span>startContainer</h1>');
    expect(body).toContain(`run.go:${startLine}–${endLine}`);
    expect(links(body)).toContain(`https://github.com/acme/notifier/blob/${fixture.commits.notifier}/run.go#L${startLine}-L${endLine}`);
    expect(body).toContain('<pre class="signature">(ctx *cli.Context, action string) (int, error)</pre>');
    // Source with context lines, highlighted, hash-verified, with its blob address.
    expect(body).toContain('Source from the content-addressed store, hash-verified');
    const blob = (await fixture.hub.store.getFile(graph.id, 'run.go'))!.blob;
    expect(body).toContain(blob);
    expect(body).toContain(`href="${NOTIFIER}/-/file/run.go#L${startLine - 2}">${startLine - 2}</a>`);
    expect(body).toContain('<span class="line context">');
    expect(body).toContain('<span class="hl-string">&quot;socket&quot;</span>');
    // Callers: the file-level closures of main.go, linked to their call sites.
    expect(body).toMatch(/<h2>Callers <span class="count">3<\/span><\/h2>/);
    expect(body).toMatch(/<a class="name" href="\/github\.com\/acme\/notifier\/-\/file\/main\.go#L\d+" title="main\.go">main\.go<\/a>/);
    expect(body).toContain('<span class="kind">File</span> · <span class="conf" title="go.same-package: call of a function declared in the same package">0.85</span>');
    expect(body).toContain(`href="${NOTIFIER}/-/symbol/main.TestStartContainer"`);
    // Calls: sorted by confidence, the strategy on hover, call-site lines.
    const calls = body.slice(body.indexOf('<section class="callees">'), body.indexOf('<section class="tests">'));
    const confidences = [...calls.matchAll(/<span class="conf" title="([^"]+)">([\d.]+)<\/span>/g)].map((match) => Number(match[2]));
    expect(confidences.length).toBeGreaterThan(2);
    expect([...confidences].sort((a, b) => b - a)).toEqual(confidences);
    expect(calls).toContain(`href="${NOTIFIER}/-/symbol/main.pickSink"`);
    expect(calls).toMatch(/call at <a href="\/github\.com\/acme\/notifier\/-\/file\/run\.go#L\d+">run\.go:\d+<\/a>/);
    // The counts of unresolved call sites, zero included.
    const unresolved = (await fixture.hub.store.unresolvedFrom(graph.id, symbol.id)).length;
    expect(calls).toMatch(new RegExp(`class="(muted|more) unresolved"[^>]*>(<summary>)?${unresolved} unresolved call site`));
    const possible = await fixture.hub.store.countUnresolvedNamed(graph.id, 'startContainer');
    expect(body).toContain(`<p class="muted unresolved">${possible} unresolved call site${possible === 1 ? '' : 's'} in this graph call a name like this one`);
    // Tested by: the test that reaches it.
    const tests = body.slice(body.indexOf('<section class="tests">'), body.indexOf('<section class="wild"'));
    expect(tests).toContain('TestStartContainer');
    // Used in the wild: loaded later, with its loading state and a no-script link.
    expect(body).toContain(`<section class="wild" data-src="${NOTIFIER}/-/wild/main.startContainer?fragment=1" data-state="loading">`);
    expect(body).toContain('searching dependent graphs…');
    // The MCP button carries this hub's configuration: the HTTP URL and the stdio command.
    const config = JSON.parse(decodeEntities(/data-mcp-config="([^"]*)"/.exec(body)![1]!)) as { mcpServers: Record<string, { url?: string; args?: string[] }> };
    expect(config.mcpServers.graphhub!.url).toBe('http://localhost/mcp');
    expect(config.mcpServers['graphhub-stdio']!.args).toEqual([expect.stringMatching(/bin\/graphhub\.js$/), '--data', fixture.dataDir, 'mcp']);
  });

  it('says when no test reaches a symbol, and has no GitHub link for other hosts', async () => {
    const { body } = await get('/github.com/acme/consumer/-/symbol/main.main');
    expect(body).toContain('no test coverage detected');
    const synthetic = await get('/github.com/acme/synthetic/-/symbol/main.caller');
    expect(synthetic.body).toContain('view source on GitHub');
    const graph = (await fixture.hub.store.findGraph('github.com/acme/notifier'))!;
    // A directory snapshot has no commit on GitHub.
    expect(graph.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('shows TypeScript symbols too, highlighted with their own grammar', async () => {
    const { status, body } = await get('/github.com/acme/webapp/-/symbol/format');
    expect(status).toBe(200);
    expect(body).toContain('<span class="kind">Function</span>format');
    expect(body).toContain('<span class="hl-keyword">export</span> <span class="hl-keyword">function</span>');
    expect(body).toContain('href="/github.com/acme/webapp/-/symbol/Greeter.greet"');
    expect(links(body)).toContain(`https://github.com/acme/webapp/blob/${fixture.commits.webapp}/src/greet.ts#L8-L10`);
  });

  it('pins a graph with @COMMIT and keeps the pin in its links', async () => {
    const short = fixture.commits.notifier.slice(0, 8);
    const { status, body } = await get(`${NOTIFIER}@${short}/-/symbol/startContainer`);
    expect(status).toBe(200);
    expect(links(body)).toContain(`${NOTIFIER}@${fixture.commits.notifier}/-/symbol/main.pickSink`);
    expect(body).toContain('pinned');
    expect((await get(`${NOTIFIER}@deadbeef/-/symbol/startContainer`)).status).toBe(404);
  });

  it('shows a choice page for an ambiguous name and a 404 with the nearest names for an unknown one', async () => {
    const ambiguous = await get(`${NOTIFIER}/-/symbol/Helper`);
    expect(ambiguous.status).toBe(300);
    expect(ambiguous.body).toContain('alpha.Helper');
    expect(ambiguous.body).toContain('beta.Helper');
    const choiceLinks = links(ambiguous.body).filter((href) => href.includes('/-/symbol/go:'));
    expect(choiceLinks).toHaveLength(2);
    for (const href of choiceLinks) expect((await get(href)).status).toBe(200);

    const unknown = await get(`${NOTIFIER}/-/symbol/startContainr`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('Did you mean');
    expect(links(unknown.body)).toContain(`${NOTIFIER}/-/symbol/startContainer`);

    const repository = await get('/github.com/acme/notifer/-/symbol/startContainer');
    expect(repository.status).toBe(404);
    expect(links(repository.body)).toContain(NOTIFIER);
  });

  it('shows a visible integrity error instead of source that fails verification', async () => {
    for (const path of ['/github.com/acme/corrupt/-/symbol/Damaged', '/github.com/acme/corrupt/-/file/corrupt.go']) {
      const { status, body } = await get(path);
      expect(status).toBe(500);
      expect(body).toContain('class="integrity-error"');
      expect(body).toContain('integrity error');
      expect(body).toContain(fixture.corruptBlob);
      expect(body).not.toContain('return 666');
      expect(body).not.toContain('class="provenance"');
    }
    // The rest of the page is still there.
    expect((await get('/github.com/acme/corrupt/-/symbol/Damaged')).body).toContain('Intact');
  });

  it('pages through callers and calls', async () => {
    const { status, body } = await get(`${NOTIFIER}/-/callees/main.startContainer?limit=2`);
    expect(status).toBe(200);
    expect(body).toMatch(/1–2 of \d+/);
    expect(links(body)).toContain(`${NOTIFIER}/-/callees/main.startContainer?offset=2&limit=2`);
    expect((await get(`${NOTIFIER}/-/callers/main.startContainer?limit=0`)).status).toBe(400);
  });
});

describe('used in the wild', () => {
  it('renders the call sites in dependent graphs as a fragment and as a page', async () => {
    const fragment = await get(`${NOTIFIER}/-/wild/alpha.Helper?fragment=1`);
    expect(fragment.status).toBe(200);
    expect(fragment.body).not.toContain('<html');
    expect(fragment.body).toContain('1 call site in 1 repository');
    expect(links(fragment.body)).toContain(`/github.com/acme/consumer@${fixture.commits.consumer}/-/file/main.go#L6`);
    const page = await get(`${NOTIFIER}/-/wild/alpha.Helper`);
    expect(page.body).toContain('<h1>Used in the wild');
    const none = await get(`${NOTIFIER}/-/wild/main.startContainer?fragment=1`);
    expect(none.body).toContain('only exported');
  });
});

describe('hostile content', () => {
  it('escapes a function name, a string literal and a file path from the repository everywhere', async () => {
    const synthetic = (await fixture.hub.store.findGraph('github.com/acme/synthetic'))!;
    const [hostileFunction] = await fixture.hub.store.symbolsNamed(synthetic.id, HOSTILE, 5);
    const pages = [
      '/',
      `/-/search?q=${encodeURIComponent('</script>')}`,
      `/-/search?q=${encodeURIComponent('</script>')}&fragment=1`,
      '/github.com/acme/synthetic',
      `/github.com/acme/synthetic/-/symbol/${encodeURIComponent(hostileFunction!.id)}`,
      '/github.com/acme/synthetic/-/symbol/main.caller',
      '/github.com/acme/synthetic/-/callers/main.caller',
      '/github.com/acme/synthetic/-/file/x.go',
      '/github.com/acme/hostile',
      '/github.com/acme/hostile/-/tree/evil/%3C',
      `/github.com/acme/hostile/-/file/${HOSTILE_PATH.split('/').map(encodeURIComponent).join('/')}`,
      '/github.com/acme/hostile/-/symbol/evil.Payload',
      `/github.com/acme/synthetic/-/symbol/${encodeURIComponent(HOSTILE)}x`,
    ];
    let escapedSeen = 0;
    for (const path of pages) {
      const { status, body } = await get(path);
      expect([200, 404]).toContain(status);
      if (body.includes(ESCAPED)) escapedSeen++;
    }
    expect(escapedSeen).toBeGreaterThanOrEqual(pages.length - 3);
    const payload = await get('/github.com/acme/hostile/-/symbol/evil.Payload');
    expect(payload.body).toContain(`<span class="hl-string">&quot;${ESCAPED}&quot;</span>`);
  });
});

describe('malformed requests', () => {
  it('answers 4xx and keeps serving', async () => {
    expect((await get(`${NOTIFIER}/-/symbol/%E0%A4%A`)).status).toBe(400);
    expect((await get(`${NOTIFIER}/-/symbol/a%00b`)).status).toBe(400);
    expect((await get(`${NOTIFIER}/-/bogus/x`)).status).toBe(400);
    expect((await get(`${NOTIFIER}/-/symbol/${'a'.repeat(5000)}`)).status).toBe(414);
    expect((await get(`${NOTIFIER}/-/file/run.go?start=abc`)).status).toBe(400);
    expect((await get(`${NOTIFIER}/-/symbol/main.startContainer`, { method: 'POST', body: 'x' })).status).toBe(405);
    expect((await get('/', { headers: { 'content-length': String(10 * 1024 * 1024) } })).status).toBe(413);
    expect((await get('http://evil.example/')).status).toBe(403);
    expect((await get('/nothing-here')).status).toBe(404);
    expect((await get('/')).status).toBe(200);
  });

  it('serves assets from its own table only', async () => {
    const script = await app.request('/-/assets/hub.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(await script.text()).toContain('data-mcp-config');
    expect((await app.request('/-/assets/..%2Fapp.js')).status).toBe(404);
    expect((await app.request('/-/assets/package.json')).status).toBe(404);
  });
});

function decodeEntities(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#96;/g, '`').replace(/&amp;/g, '&');
}
