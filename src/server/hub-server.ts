/**
 * The hub on a socket: the web app (pages, JSON API) and the MCP endpoint
 * composed into one HTTP server. This is the one place that joins the two
 * surfaces; neither imports the other.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Hub } from '../hub/hub.js';
import { createMcpHttpHandler } from '../mcp/http-endpoint.js';
import { callGraphOf } from '../query/call-graph.js';
import { createApp } from '../web/app.js';
import type { Hono } from 'hono';

import { DEFAULT_HOST, DEFAULT_PORT } from './defaults.js';

export { DEFAULT_HOST, DEFAULT_PORT };

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '::1', '[::1]'];

export interface HubServerOptions {
  port?: number;
  host?: string;
  log?: (line: string) => void;
}

export interface RunningHubServer {
  /** Where the hub answers, e.g. http://127.0.0.1:7777/. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.includes(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The command that serves the same hub over stdio: this installation's executable and data folder. */
export function stdioCommand(hub: Hub): { command: string; args: string[] } {
  const bin = fileURLToPath(new URL('../../bin/graphhub.js', import.meta.url));
  return { command: process.execPath, args: [bin, '--data', hub.dataDir, 'mcp'] };
}

/** The whole hub as one Hono app: pages, API and /mcp. */
export function createHubApp(hub: Hub, options: { host?: string; log?: (line: string) => void } = {}): Hono {
  const host = options.host ?? DEFAULT_HOST;
  return createApp(hub, {
    mcpEndpoint: createMcpHttpHandler(hub, options.log ? { log: options.log } : {}),
    // The stdio command names the data folder; a PostgreSQL hub's would have to carry the store URL and its
    // password, which a public page must never show. Clients of such a hub use the HTTP endpoint.
    ...(hub.store.backend === 'sqlite' ? { mcpStdio: stdioCommand(hub) } : {}),
    // On loopback only loopback names are answered: a web page elsewhere cannot rebind a DNS name to this hub.
    ...(isLoopback(host) ? { allowedHosts: LOOPBACK_HOSTS } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
}

/** Repositories whose call graph is loaded when the server starts. */
const WARM_REPOSITORIES = 8;

/**
 * Loads the compact call graphs of the newest graphs in the background, so
 * the first symbol page of a large repository does not pay for it (runc:
 * about a quarter of a second). Failures only mean a cold first request.
 */
async function warmUp(hub: Hub): Promise<void> {
  try {
    const repositories = (await hub.store.listRepositories()).filter((repository) => repository.newest);
    for (const repository of repositories.slice(0, WARM_REPOSITORIES)) await callGraphOf(hub.store, repository.newest!);
  } catch {
    // Nothing to do: the pages load the same data on demand.
  }
}

export function startHubServer(hub: Hub, options: HubServerOptions = {}): Promise<RunningHubServer> {
  const host = options.host ?? DEFAULT_HOST;
  const app = createHubApp(hub, { host, ...(options.log ? { log: options.log } : {}) });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port ?? DEFAULT_PORT, hostname: host }, (info: AddressInfo) => {
      void warmUp(hub);
      const shownHost = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${shownHost}:${info.port}/`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Keep-alive connections would hold close() open; end them.
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
    server.once('error', reject);
    // Slow or stuck clients must not hold sockets forever.
    (server as { requestTimeout?: number }).requestTimeout = 30_000;
    (server as { headersTimeout?: number }).headersTimeout = 10_000;
  });
}
