/**
 * MCP through the SDK's own client, over stdio (the real `graphhub mcp`
 * executable) and over Streamable HTTP (a real port): list the tools, call
 * each, check the structured output against its advertised schema, and the
 * two kinds of failure (tool errors with hints, protocol errors).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubServer, type RunningHubServer } from '../../src/server/hub-server.js';
import { BIN } from '../helpers/cli.js';
import { buildHubFixture, HOSTILE, type HubFixture } from '../helpers/hub-fixture.js';

const REPO = 'github.com/acme/notifier';

let fixture: HubFixture;
let server: RunningHubServer;

beforeAll(async () => {
  fixture = await buildHubFixture();
  server = await startHubServer(fixture.hub, { port: 0 });
});

afterAll(async () => {
  await server?.close();
  await fixture?.hub.close();
});

const transports = {
  stdio: () =>
    new StdioClientTransport({ command: process.execPath, args: [BIN, '--data', fixture.dataDir, 'mcp'], stderr: 'pipe' }),
  'streamable HTTP': () => new StreamableHTTPClientTransport(new URL(`${server.url}mcp`)),
};

/** One valid call per tool: every tool is exercised. */
function calls(): Record<string, Record<string, unknown>> {
  return {
    repositories: {},
    search: { query: 'startContainer', limit: 5 },
    symbol: { symbol: 'startContainer', repository: REPO },
    callers: { symbol: 'main.startContainer', repository: 'notifier', limit: 2 },
    callees: { symbol: 'startContainer', repository: REPO, commit: fixture.commits.notifier.slice(0, 10), offset: 1, limit: 3 },
    impact: { symbol: 'pickSink', repository: REPO, depth: 3 },
    tests: { symbol: 'startContainer', repository: REPO },
    used_in_the_wild: { symbol: 'alpha.Helper', repository: REPO },
    source: { repository: REPO, file: 'run.go', startLine: 1, endLine: 8 },
  };
}

function text(result: CallToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

async function protocolError(promise: Promise<unknown>): Promise<McpError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(McpError);
    return error as McpError;
  }
  throw new Error('expected a protocol error, got a result');
}

describe.each(Object.keys(transports) as Array<keyof typeof transports>)('MCP over %s', (transportName) => {
  let client: Client;
  let tools: Tool[];

  beforeAll(async () => {
    client = new Client({ name: 'graphhub-test', version: '1.0.0' });
    await client.connect(transports[transportName]());
    tools = (await client.listTools()).tools;
  });

  afterAll(async () => {
    await client?.close();
  });

  it('lists the read-only tools, each with input and output schemas and a description', () => {
    expect(tools.map((tool) => tool.name).sort()).toEqual(Object.keys(calls()).sort());
    for (const tool of tools) {
      expect(tool.description!.length).toBeGreaterThan(40);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    }
  });

  it('answers every tool with structured content that matches its output schema, and a short text', async () => {
    const validator = new AjvJsonSchemaValidator();
    const before = JSON.stringify(await fixture.hub.store.listRepositories());
    for (const [name, args] of Object.entries(calls())) {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
      expect(result.isError, `${name}: ${text(result)}`).toBeFalsy();
      const schema = tools.find((tool) => tool.name === name)!.outputSchema!;
      const check = validator.getValidator(schema as never)(result.structuredContent);
      expect(check.valid, `${name}: ${check.errorMessage}`).toBe(true);
      expect(text(result).length).toBeGreaterThan(10);
      const structured = result.structuredContent as Record<string, unknown>;
      // Every answer names the repository and commit it was computed from.
      if (name === 'repositories') {
        for (const entry of structured.repositories as Array<{ repository: string; newest: { commit: string } }>) {
          expect(entry.repository).toMatch(/^github\.com\/acme\//);
          expect(entry.newest.commit).toMatch(/^[0-9a-f]{40}$/);
        }
      } else if (name === 'search') {
        for (const hit of structured.hits as Array<{ repository: string; commit: string }>) {
          expect(hit).toMatchObject({ repository: REPO, commit: fixture.commits.notifier });
        }
      } else {
        expect(structured).toMatchObject({ repository: REPO, commit: fixture.commits.notifier });
      }
    }
    // Read-only: nothing changed.
    expect(JSON.stringify(await fixture.hub.store.listRepositories())).toBe(before);
  });

  it('gives the page data from symbol, pages long lists and verifies source', async () => {
    const symbol = (await client.callTool({ name: 'symbol', arguments: { symbol: 'startContainer', repository: REPO, limit: 1 } })) as CallToolResult;
    const page = symbol.structuredContent as { callers: unknown[]; callerCount: number; tests: { status: string }; source: { verified: boolean; blob: string } };
    expect(page.callers).toHaveLength(1);
    expect(page.callerCount).toBe(3);
    expect(page.tests.status).toBe('covered');
    expect(page.source).toMatchObject({ verified: true, blob: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const callers = (await client.callTool({ name: 'callers', arguments: { symbol: 'startContainer', repository: REPO, limit: 2 } })) as CallToolResult;
    expect((callers.structuredContent as { page: { nextOffset: number; total: number } }).page).toMatchObject({ nextOffset: 2, total: 3 });
    const wild = (await client.callTool({ name: 'used_in_the_wild', arguments: { symbol: 'alpha.Helper', repository: REPO } })) as CallToolResult;
    expect(wild.structuredContent).toMatchObject({ totalSites: 1, repositories: [{ repository: 'github.com/acme/consumer' }] });
    const source = (await client.callTool({ name: 'source', arguments: { repository: REPO, file: 'run.go', startLine: 6, endLine: 6 } })) as CallToolResult;
    expect((source.structuredContent as { source: { lines: string[] } }).source.lines).toEqual(['func startContainer(ctx *cli.Context, action string) (int, error) {']);
    const hostile = (await client.callTool({ name: 'search', arguments: { query: '</script>' } })) as CallToolResult;
    expect(JSON.stringify(hostile.structuredContent)).toContain(JSON.stringify(HOSTILE).slice(1, -1));
  });

  it('reports an unknown or ambiguous symbol as a tool error with a hint the model can act on', async () => {
    const unknown = (await client.callTool({ name: 'symbol', arguments: { symbol: 'startContainr', repository: REPO } })) as CallToolResult;
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toContain('Did you mean `startContainer`?');

    const ambiguous = (await client.callTool({ name: 'callers', arguments: { symbol: 'Helper', repository: REPO } })) as CallToolResult;
    expect(ambiguous.isError).toBe(true);
    expect(text(ambiguous)).toContain('Call again with one of these ids as `symbol`');
    expect(text(ambiguous)).toContain('go:pkg/alpha/helper.go:alpha.Helper');
    expect(text(ambiguous)).toContain('go:pkg/beta/helper.go:beta.Helper');

    // Without a repository, every repository is searched; `main.main` is in two of them.
    const everywhere = (await client.callTool({ name: 'symbol', arguments: { symbol: 'main.main' } })) as CallToolResult;
    expect(everywhere.isError).toBe(true);
    expect(text(everywhere)).toContain('github.com/acme/consumer');
    expect(text(everywhere)).toContain(REPO);
    const unique = (await client.callTool({ name: 'tests', arguments: { symbol: 'pickSink' } })) as CallToolResult;
    expect(unique.isError).toBeFalsy();
    expect(unique.structuredContent).toMatchObject({ repository: REPO });

    const source = (await client.callTool({ name: 'source', arguments: { file: 'run.go', startLine: 1, endLine: 2 } })) as CallToolResult;
    expect(source.isError).toBe(true);
    expect(text(source)).toContain('pass `repository`');

    const corrupt = (await client.callTool({ name: 'source', arguments: { repository: 'github.com/acme/corrupt', file: 'corrupt.go', startLine: 1, endLine: 3 } })) as CallToolResult;
    expect(corrupt.isError).toBe(true);
    expect(text(corrupt)).toContain('integrity error');
    expect(text(corrupt)).not.toContain('return 666');
  });

  it('answers malformed arguments and unknown tools with protocol errors', async () => {
    const cases: Array<{ name: string; arguments: Record<string, unknown> }> = [
      { name: 'symbol', arguments: { symbol: 42 } },
      { name: 'symbol', arguments: {} },
      { name: 'callers', arguments: { symbol: 'startContainer', limit: -1 } },
      { name: 'callers', arguments: { symbol: 'startContainer', limit: 1.5 } },
      { name: 'search', arguments: { query: 'x', colour: 'blue' } },
      { name: 'source', arguments: { repository: REPO, file: 'run.go', startLine: 0, endLine: 2 } },
      { name: 'impact', arguments: { symbol: 'startContainer', depth: 99 } },
      { name: 'symbol', arguments: { symbol: 'startContainer', commit: '--upload-pack=evil' } },
      { name: 'no_such_tool', arguments: {} },
    ];
    for (const call of cases) {
      const error = await protocolError(client.callTool(call));
      expect(error.code, JSON.stringify(call)).toBe(ErrorCode.InvalidParams);
    }
    // The server keeps serving.
    const after = (await client.callTool({ name: 'repositories', arguments: {} })) as CallToolResult;
    expect(after.isError).toBeFalsy();
  });
});

describe('Streamable HTTP endpoint', () => {
  it('is stateless: no session id, GET and DELETE are 405, oversized bodies are refused', async () => {
    const url = `${server.url}mcp`;
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const list = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    expect(list.status).toBe(200);
    expect(list.headers.get('mcp-session-id')).toBeNull();
    expect(((await list.json()) as { result: { tools: unknown[] } }).result.tools).toHaveLength(9);
    expect((await fetch(url)).status).toBe(405);
    expect((await fetch(url, { method: 'DELETE' })).status).toBe(405);
    const big = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: { pad: 'x'.repeat(2 * 1024 * 1024) } }) });
    expect(big.status).toBe(413);
    const garbage = await fetch(url, { method: 'POST', headers, body: '{not json' });
    expect(garbage.status).toBe(400);
    const foreign = await fetch(url, { method: 'POST', headers: { ...headers, origin: 'http://evil.example' }, body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }) });
    expect(foreign.status).toBe(403);
  });
});
