/** MCP over stdio: `graphhub mcp`. Resolves when the client closes the connection. */
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Hub } from '../hub/hub.js';
import { createMcpServer } from './server.js';

export async function serveMcpStdio(hub: Hub, streams: { stdin?: Readable; stdout?: Writable } = {}): Promise<void> {
  // Logs go to stderr: stdout carries the protocol.
  const server = createMcpServer(hub, { log: (line) => process.stderr.write(`${line}\n`) });
  const transport = new StdioServerTransport(streams.stdin, streams.stdout);
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
  });
  await server.connect(transport);
  const stdin = streams.stdin ?? process.stdin;
  stdin.once('end', () => void server.close());
  await closed;
}
