/**
 * The hub in a real browser: Debian's chromium driven by playwright-core
 * against a real server on a free port. Search as you type, follow links,
 * watch "Used in the wild" settle, press the MCP button and read the
 * clipboard; hostile content must never run.
 */
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubServer, type RunningHubServer } from '../../src/server/hub-server.js';
import { buildHubFixture, HOSTILE, type HubFixture } from '../helpers/hub-fixture.js';
import { tempDir } from '../helpers/temp.js';

const CHROMIUM = '/usr/bin/chromium';

let fixture: HubFixture;
let server: RunningHubServer;
let context: BrowserContext;
const problems: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`);
  fixture = await buildHubFixture();
  server = await startHubServer(fixture.hub, { port: 0 });
  context = await chromium.launchPersistentContext(tempDir('graphhub-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    permissions: ['clipboard-read', 'clipboard-write'],
    timeout: 60_000,
  });
  context.setDefaultTimeout(30_000);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  await fixture?.hub.close();
});

/** A page that records console errors (CSP violations among them), script errors and dialogs. */
async function openPage(path: string): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(new URL(path, server.url).href);
  return page;
}

describe('the hub in chromium', () => {
  it('searches as you type, opens a symbol, follows a caller and sees the source and Used in the wild settle', async () => {
    const page = await openPage('/');
    await page.locator('input[data-search-target="home-results"]').pressSequentially('startCont');
    const result = page.locator('#home-results a', { hasText: 'main.startContainer' });
    await result.waitFor();
    await result.click();
    await page.waitForURL(/\/github\.com\/acme\/notifier\/-\/symbol\/main\.startContainer$/);
    await expect(page.locator('h1').textContent()).resolves.toBe('FunctionstartContainer');
    await expect(page.locator('.provenance').textContent()).resolves.toContain('hash-verified');
    await expect(page.locator('.code').textContent()).resolves.toContain('func startContainer(ctx *cli.Context, action string) (int, error) {');
    // Tab stops count from the code, not from the line number: each level of indentation is equally wide.
    // (Runs in the page, written as text: this project's TypeScript has no DOM types.)
    const starts = (await page.evaluate(`['func startContainer(', 'id := ctx', 'ns.setup()'].map((text) => {
      const line = [...document.querySelectorAll('.code .line .src')].find((element) => element.textContent.includes(text));
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let node = walker.nextNode();
      // The first character that is not indentation.
      while (node && /^\\s*$/.test(node.textContent)) node = walker.nextNode();
      const offset = node.textContent.search(/\\S/);
      const range = document.createRange();
      range.setStart(node, offset);
      range.setEnd(node, offset + 1);
      return range.getBoundingClientRect().left;
    })`)) as number[];
    expect(starts[1]! - starts[0]!).toBeGreaterThan(10);
    expect(Math.abs(starts[2]! - starts[1]! - (starts[1]! - starts[0]!))).toBeLessThan(1);
    // Used in the wild: the loading state gives way to the answer.
    await page.locator('section.wild[data-state="done"]').waitFor();
    await expect(page.locator('section.wild').textContent()).resolves.toContain('only exported');
    await expect(page.locator('section.wild [data-status]').count()).resolves.toBe(0);

    await page.locator('section.callers a.name', { hasText: 'TestStartContainer' }).click();
    await page.waitForURL(/\/-\/symbol\/main\.TestStartContainer$/);
    await expect(page.locator('h1').textContent()).resolves.toBe('TestTestStartContainer');
    await expect(page.locator('section.callees').textContent()).resolves.toContain('startContainer');
    await page.close();
  });

  it('shows the call sites found in dependent graphs', async () => {
    const page = await openPage('/github.com/acme/notifier/-/symbol/alpha.Helper');
    await page.locator('section.wild[data-state="done"] .wild-repo').waitFor();
    const wild = await page.locator('section.wild').textContent();
    expect(wild).toContain('github.com/acme/consumer');
    expect(wild).toContain('main.go:6');
    await page.close();
  });

  it('copies the MCP configuration and says so', async () => {
    const page = await openPage('/github.com/acme/notifier/-/symbol/main.startContainer');
    await page.locator('button.mcp-button').click();
    await page.locator('#mcp-status', { hasText: 'copied' }).waitFor();
    const copied = JSON.parse((await page.evaluate('navigator.clipboard.readText()')) as string) as {
      mcpServers: Record<string, { type: string; url?: string; command?: string; args?: string[] }>;
    };
    expect(copied.mcpServers.graphhub).toEqual({ type: 'http', url: `${server.url}mcp` });
    expect(copied.mcpServers['graphhub-stdio']!.args).toEqual([expect.stringMatching(/graphhub\.js$/), '--data', fixture.dataDir, 'mcp']);
    await page.close();
  });

  it('is readable without JavaScript, except the parts loaded later', async () => {
    const page = await context.newPage();
    const session = await context.newCDPSession(page);
    await session.send('Emulation.setScriptExecutionDisabled', { value: true });
    await page.goto(new URL('/github.com/acme/notifier/-/symbol/main.startContainer', server.url).href);
    await expect(page.locator('.code').textContent()).resolves.toContain('func startContainer(');
    await expect(page.locator('section.callers').textContent()).resolves.toContain('main.go');
    await expect(page.locator('section.tests').textContent()).resolves.toContain('TestStartContainer');
    await expect(page.locator('section.wild').textContent()).resolves.toContain('show uses in the wild');
    await page.locator('section.wild noscript a, section.wild a', { hasText: 'show uses in the wild' }).click();
    await page.waitForURL(/\/-\/wild\/main\.startContainer$/);
    await expect(page.locator('main').textContent()).resolves.toContain('only exported');
    await page.close();
  });

  it('shows hostile names as text and runs none of them', async () => {
    const page = await openPage('/github.com/acme/synthetic/-/symbol/main.caller');
    await expect(page.locator('section.callees a.name').first().textContent()).resolves.toBe(HOSTILE);
    await page.goto(new URL('/github.com/acme/hostile/-/symbol/evil.Payload', server.url).href);
    await expect(page.locator('.code').textContent()).resolves.toContain(`return "${HOSTILE}"`);
    await expect(page.locator('img').count()).resolves.toBe(0);
    await page.close();
    expect(problems).toEqual([]);
  });
});
