/**
 * The commands that keep running: `serve` (pages, JSON API and MCP over
 * Streamable HTTP on one port), `mcp` (MCP over stdio) and `start` (the quick
 * start: index the example when the data folder is empty, then serve).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hub } from '../hub/hub.js';
import { GraphhubError } from '../model/errors.js';
// The server and MCP modules (web framework, MCP SDK) are loaded by the commands that serve: `index` does not pay for them.
import { DEFAULT_HOST, DEFAULT_PORT } from '../server/defaults.js';
import type { RunningHubServer } from '../server/hub-server.js';
import type { CliIo, Runner } from './options.js';
import { renderIndexSummary, renderRepositories } from './render.js';

/** The Go module the quick start indexes: the golden fixture, kept as data in the repository. */
const EXAMPLE_REPOSITORY = fileURLToPath(new URL('../../src/languages/go/fixtures/notifier', import.meta.url));
const EXAMPLE_NAME = 'example.com/notifier';

interface ServeOptions {
  port: number;
  host: string;
}

function portNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new InvalidArgumentError('expected a port from 0 to 65535 (0: any free port)');
  return parsed;
}

function hostName(value: string): string {
  if (!/^[A-Za-z0-9.:[\]-]{1,255}$/.test(value)) throw new InvalidArgumentError('expected a host name or an IP address');
  return value;
}

function serveOptions(command: Command): Command {
  return command
    .option('--port <n>', `port to listen on (0: any free port)`, portNumber, DEFAULT_PORT)
    .option('--host <host>', 'address to bind; other than loopback, the hub is reachable from the network', hostName, DEFAULT_HOST);
}

/** Serves until SIGINT or SIGTERM, then closes the server (the caller closes the hub). */
async function serveUntilStopped(hub: Hub, options: ServeOptions, io: CliIo, example?: string): Promise<void> {
  let running: RunningHubServer;
  try {
    const { startHubServer } = await import('../server/hub-server.js');
    running = await startHubServer(hub, { port: options.port, host: options.host, log: io.err });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new GraphhubError('unavailable', `port ${options.port} on ${options.host} is in use; choose another with --port`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new GraphhubError('invalid-input', `cannot bind to ${options.host}`);
    throw error;
  }
  const lines = [`graphhub serving ${running.url}  (MCP over Streamable HTTP: ${running.url}mcp; stop with Ctrl-C)`];
  if (example) lines.push(`open ${running.url}${example}`);
  io.out(lines.join('\n'));
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await running.close();
}

export function registerServeCommands(program: Command, run: Runner, io: CliIo): void {
  serveOptions(program.command('serve').description('serve the hub: web pages, the JSON API under /api and MCP over Streamable HTTP at /mcp')).action(
    run(async (hub, options: ServeOptions) => {
      await serveUntilStopped(hub, options, io);
    }),
  );

  program
    .command('mcp')
    .description('serve the MCP tools over stdio (for an agent that starts graphhub itself)')
    .action(
      run(async (hub) => {
        const { serveMcpStdio } = await import('../mcp/stdio.js');
        await serveMcpStdio(hub);
      }),
    );

  serveOptions(program.command('start').description('the quick start: index the example repository when the data folder is empty, then serve the hub')).action(
    run(async (hub, options: ServeOptions) => {
      if ((await hub.store.listRepositories()).length === 0) {
        // The indexer is loaded when needed (see index-commands.ts).
        const [{ locateSource }, { indexRepository }] = await Promise.all([import('../indexer/locate.js'), import('../indexer/index-repository.js')]);
        const located = await locateSource({ target: EXAMPLE_REPOSITORY, name: EXAMPLE_NAME, mirrorsDir: join(hub.dataDir, 'mirrors') });
        try {
          const result = await indexRepository({ source: located.source, repository: { name: located.name }, store: hub.store, cas: hub.cas });
          io.out(renderIndexSummary(result));
        } finally {
          located.source.close();
        }
      }
      const repositories = await hub.store.listRepositories();
      io.out(renderRepositories(repositories));
      const example = repositories.some((repository) => repository.name === EXAMPLE_NAME) ? `${EXAMPLE_NAME}/-/symbol/main.startContainer` : undefined;
      await serveUntilStopped(hub, options, io, example);
    }),
  );
}
