/**
 * The real executable on a real port: `graphhub start` on an empty data
 * folder indexes the example and serves it; `graphhub serve` survives
 * malformed requests; a busy port is a clear error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, graphhub } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const running: ChildProcess[] = [];

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts `graphhub ARGS` and resolves with the URL it prints once it serves. */
function startServing(dataDir: string, ...args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  // The URL line and what follows it are one write: wait for the line to end.
  const child = spawn(process.execPath, [BIN, '--data', dataDir, ...args, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /graphhub serving (http:\/\/\S+\/).*\n(?:open .*\n)?/.exec(output);
      if (match) resolve({ child, url: match[1]!, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`graphhub exited with ${code} before serving: ${output}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

/** Sends raw bytes on a socket and returns what comes back. */
function rawRequest(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('graphhub start and serve', () => {
  it('start indexes the example into an empty data folder, serves a page, and stops cleanly on SIGTERM', async () => {
    const dataDir = tempDir('graphhub-start-');
    const { child, url, output } = await startServing(dataDir, 'start');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(output()).toContain('indexed example.com/notifier');
    expect(output()).toContain(`open ${url}example.com/notifier/-/symbol/main.startContainer`);
    const page = await fetch(`${url}example.com/notifier/-/symbol/main.startContainer`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('startContainer');
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });

  it('serve answers malformed requests with 4xx and keeps serving', async () => {
    const dataDir = tempDir('graphhub-serve-');
    expect(graphhub(dataDir, 'repos').code).toBe(0);
    const { child, url } = await startServing(dataDir, 'serve');
    expect(await rawRequest(url, 'GARBAGE\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawRequest(url, 'GET /../../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 404/);
    expect(await rawRequest(url, 'GET / HTTP/1.1\r\nHost: rebind.example\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 403/);
    expect(await rawRequest(url, `GET /${'a'.repeat(20000)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 4\d\d/);
    const big = await fetch(`${url}mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(2 * 1024 * 1024) });
    expect(big.status).toBe(413);
    const home = await fetch(url);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('No repository has been indexed yet');
    child.kill('SIGINT');
    expect(await exited(child)).toBe(0);
  });

  it('reports a port in use as a clear error', async () => {
    const dataDir = tempDir('graphhub-busy-');
    const { url } = await startServing(dataDir, 'serve');
    const port = new URL(url).port;
    const second = spawn(process.execPath, [BIN, '--data', dataDir, 'serve', '--port', port], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(second);
    let stderr = '';
    second.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exited(second)).toBe(8);
    expect(stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
  });
});
