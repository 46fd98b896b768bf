/**
 * The `graphhub` command line: a thin surface over query/ and indexer/.
 * Every command opens the hub, answers, closes it; errors go through
 * reportError (one line, an exit code per error code).
 */
import { Command, Option } from 'commander';
import { basename } from 'node:path';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { verifyStore } from '../cas/content-store.js';
import { openHub, type Hub } from '../hub/hub.js';
import { importCoverage } from '../indexer/coverage.js';
import { SYMBOL_KINDS, type SymbolKind } from '../model/graph.js';
import { invalidInput } from '../model/errors.js';
import { exportEdges } from '../query/export-edges.js';
import { findGraph, findOneSymbol } from '../query/find-symbol.js';
import { impactOf, MAX_IMPACT_DEPTH } from '../query/impact.js';
import { symbolPage } from '../query/symbol-page.js';
import { testsReaching } from '../query/tests.js';
import { usedInTheWild } from '../query/wild.js';
import { edgeItem, graphRef, summarize } from '../query/views.js';
import { reportError } from './exit-codes.js';
import { registerIndexCommands } from './index-commands.js';
import { nonNegativeInteger, positiveInteger, type CliIo } from './options.js';
import { registerQueueCommands } from './queue-commands.js';
import { registerServeCommands } from './serve-commands.js';
import {
  renderCallers,
  renderEdges,
  renderGraphHeader,
  renderHits,
  renderImpact,
  renderRepositories,
  renderSymbolPage,
  renderTests,
  renderVerify,
  renderWild,
} from './render.js';

/** The package's version (package.json sits two folders up from both src/cli and dist/cli). */
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

interface GlobalOptions {
  data?: string;
  store?: string;
}

interface GraphOptions {
  repo?: string;
  commit?: string;
  json?: boolean;
}

export function buildProgram(io: CliIo = defaultIo): { program: Command; exitCode: () => number } {
  let exitCode = 0;
  const program = new Command('graphhub')
    .description('A hub of code graphs: callers, callees, tests and uses in the wild of every function.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--data <dir>', 'data folder (default: $GRAPHHUB_DATA or ~/.local/share/graphhub)')
    .option('--store <url>', 'postgres://user@host:5432/db[?schema=name] to use PostgreSQL (default: $GRAPHHUB_STORE, else SQLite in the data folder)')
    .showHelpAfterError()
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) })
    .exitOverride();

  /** Opens the hub, runs the action, closes the hub, maps errors to an exit code. */
  const run =
    <A extends unknown[]>(action: (hub: Hub, ...args: A) => Promise<number | void>) =>
    async (...args: A): Promise<void> => {
      const globals = program.opts<GlobalOptions>();
      let hub: Hub | undefined;
      try {
        hub = await openHub({
          ...(globals.data ? { dataDir: globals.data } : {}),
          ...(globals.store ? { store: globals.store } : {}),
        });
        exitCode = (await action(hub, ...args)) ?? 0;
      } catch (error) {
        exitCode = reportError(error, io.err);
      } finally {
        await hub?.close();
      }
    };

  const graphOptions = (command: Command): Command =>
    command
      .option('--repo <name>', 'repository, e.g. github.com/opencontainers/runc (or a unique suffix such as runc)')
      .option('--commit <rev>', 'a commit of that repository (default: its newest graph)')
      .option('--json', 'print JSON');

  registerIndexCommands(program, run, io);

  graphOptions(program.command('symbol').description('everything about one symbol: source, callers, calls, tests'))
    .argument('<query>', 'a name, qualified name (main.startContainer) or symbol id')
    .action(
      run(async (hub, query: string, options: GraphOptions) => {
        const graph = await findGraph(hub.store, selector(options));
        const symbol = await findOneSymbol(hub.store, graph, query);
        const page = await symbolPage(hub.store, hub.cas, graph, symbol);
        io.out(options.json ? JSON.stringify(page) : renderSymbolPage(page));
      }),
    );

  graphOptions(program.command('callers').description('who calls a symbol'))
    .argument('<query>', 'a name, qualified name or symbol id')
    .action(
      run(async (hub, query: string, options: GraphOptions) => {
        const graph = await findGraph(hub.store, selector(options));
        const symbol = await findOneSymbol(hub.store, graph, query);
        const callers = (await hub.store.callers(graph.id, symbol.id)).map(edgeItem);
        const possibleCallersUnresolved = await hub.store.countPossibleCallers(graph.id, symbol);
        if (options.json) {
          io.out(JSON.stringify({ ...graphRef(graph), symbol: summarize(symbol), callers, possibleCallersUnresolved }));
        } else {
          io.out(`${symbol.qualifiedName}  ${renderGraphHeader(graphRef(graph))}`);
          io.out(renderCallers(callers, possibleCallersUnresolved).join('\n'));
        }
      }),
    );

  graphOptions(program.command('callees').description('what a symbol calls'))
    .argument('<query>', 'a name, qualified name or symbol id')
    .action(
      run(async (hub, query: string, options: GraphOptions) => {
        const graph = await findGraph(hub.store, selector(options));
        const symbol = await findOneSymbol(hub.store, graph, query);
        const callees = (await hub.store.callees(graph.id, symbol.id)).map(edgeItem);
        const unresolvedCalls = await hub.store.unresolvedFrom(graph.id, symbol.id);
        const externalCalls = await hub.store.externalRefsFrom(graph.id, symbol.id);
        if (options.json) {
          io.out(JSON.stringify({ ...graphRef(graph), symbol: summarize(symbol), callees, unresolvedCalls, externalCalls }));
        } else {
          io.out(`${symbol.qualifiedName}  ${renderGraphHeader(graphRef(graph))}`);
          io.out(renderEdges('Calls', callees).join('\n'));
          for (const call of unresolvedCalls) {
            io.out(`  unresolved  ${call.receiver ? `${call.receiver}.` : ''}${call.name}  ${call.site.file}:${call.site.line}  (${call.reason})`);
          }
          for (const ref of externalCalls) {
            io.out(`  external    ${ref.packagePath}.${ref.symbol}  [${ref.module}]  ${ref.site.file}:${ref.site.line}`);
          }
        }
      }),
    );

  graphOptions(program.command('tests').description('the tests that reach a symbol over call edges, with their paths'))
    .argument('<query>', 'a name, qualified name or symbol id')
    .option('--depth <n>', 'longest path to follow', positiveInteger, 8)
    .action(
      run(async (hub, query: string, options: GraphOptions & { depth: number }) => {
        const graph = await findGraph(hub.store, selector(options));
        const symbol = await findOneSymbol(hub.store, graph, query);
        const tests = await testsReaching(hub.store, graph, symbol, { maxDepth: options.depth });
        if (options.json) io.out(JSON.stringify({ ...graphRef(graph), symbol: summarize(symbol), tests }));
        else io.out([`${symbol.qualifiedName}  ${renderGraphHeader(graphRef(graph))}`, ...renderTests(tests)].join('\n'));
      }),
    );

  graphOptions(program.command('impact').description('transitive callers of a symbol to a depth, and the tests among them'))
    .argument('<query>', 'a name, qualified name or symbol id')
    .option('--depth <n>', `how many levels of callers (at most ${MAX_IMPACT_DEPTH})`, positiveInteger, 3)
    .action(
      run(async (hub, query: string, options: GraphOptions & { depth: number }) => {
        const graph = await findGraph(hub.store, selector(options));
        const symbol = await findOneSymbol(hub.store, graph, query);
        const impact = await impactOf(hub.store, graph, symbol, { depth: options.depth });
        io.out(options.json ? JSON.stringify(impact) : renderImpact(impact));
      }),
    );

  graphOptions(program.command('wild').description('call sites of a symbol in other indexed repositories that depend on its module'))
    .argument('<query>', 'a name, qualified name or symbol id')
    .option('--offset <n>', 'skip this many repositories', nonNegativeInteger, 0)
    .option('--limit <n>', 'repositories per page', positiveInteger, 10)
    .action(
      run(async (hub, query: string, options: GraphOptions & { offset: number; limit: number }) => {
        const graph = await findGraph(hub.store, selector(options));
        const symbol = await findOneSymbol(hub.store, graph, query);
        const answer = await usedInTheWild(hub.store, hub.cas, graph, symbol, { offset: options.offset, limit: options.limit });
        io.out(options.json ? JSON.stringify(answer) : renderWild(answer));
      }),
    );

  program
    .command('search')
    .description('search symbols by name across the newest graph of every repository')
    .argument('<text>', 'part of a name or qualified name')
    .option('--repo <name>', 'only this repository')
    .option('--commit <rev>', 'with --repo: this commit')
    .addOption(new Option('--kind <kind...>', 'only these kinds').choices([...SYMBOL_KINDS]))
    .option('--limit <n>', 'at most this many results', positiveInteger, 20)
    .option('--json', 'print JSON')
    .action(
      run(async (hub, text: string, options: GraphOptions & { kind?: SymbolKind[]; limit: number }) => {
        if (text.length > 200) throw invalidInput('search text longer than 200 characters');
        const graphIds = options.repo ? [(await findGraph(hub.store, selector(options))).id] : undefined;
        const hits = await hub.store.searchSymbols({
          text,
          limit: options.limit,
          ...(graphIds ? { graphIds } : {}),
          ...(options.kind ? { kinds: options.kind } : {}),
        });
        if (options.json) {
          io.out(JSON.stringify({ query: text, hits: hits.map((hit) => ({ repository: hit.repository, commit: hit.commit, symbol: summarize(hit.symbol) })) }));
        } else io.out(renderHits(hits));
      }),
    );

  program
    .command('repos')
    .description('the indexed repositories and their newest graphs')
    .option('--json', 'print JSON')
    .action(
      run(async (hub, options: { json?: boolean }) => {
        const repositories = await hub.store.listRepositories();
        io.out(options.json ? JSON.stringify(repositories) : renderRepositories(repositories));
      }),
    );

  program
    .command('verify')
    .description('check every blob of the content-addressed store against its hash; list corrupt and missing ones')
    .option('--json', 'print JSON')
    .action(
      run(async (hub, options: { json?: boolean }) => {
        const report = await verifyStore(hub.cas, await hub.store.referencedBlobs());
        io.out(options.json ? JSON.stringify(report) : renderVerify(report));
        return report.corrupt.length > 0 || report.missing.length > 0 ? 5 : 0;
      }),
    );

  const coverageCommand = program.command('coverage').description('runtime coverage reports');
  coverageCommand
    .command('import')
    .description('import a Go coverprofile or lcov report for a graph; a bad report is rejected whole')
    .argument('<file>', 'the report')
    .requiredOption('--repo <name>', 'repository')
    .option('--commit <rev>', 'commit the report was produced at (default: newest graph)')
    .option('--json', 'print JSON')
    .action(
      run(async (hub, file: string, options: GraphOptions) => {
        const graph = await findGraph(hub.store, selector(options));
        let text: string;
        try {
          text = await readFile(file, 'utf8');
        } catch (error) {
          throw invalidInput(`cannot read ${file}: ${(error as Error).message}`);
        }
        const info = await importCoverage(hub.store, graph, text, basename(file));
        if (options.json) io.out(JSON.stringify({ ...graphRef(graph), report: info }));
        else io.out(`imported ${info.blocks} coverage blocks (${info.format}) for ${renderGraphHeader(graphRef(graph))}`);
      }),
    );

  const exportCommand = program.command('export').description('export a graph');
  exportCommand
    .command('edges')
    .description('every call edge as one JSON object per line')
    .requiredOption('--repo <name>', 'repository')
    .option('--commit <rev>', 'commit (default: newest graph)')
    .action(
      run(async (hub, options: GraphOptions) => {
        const graph = await findGraph(hub.store, selector(options));
        for await (const edge of exportEdges(hub.store, graph)) io.out(JSON.stringify(edge));
      }),
    );

  registerQueueCommands(program, run, io);
  registerServeCommands(program, run, io);

  return { program, exitCode: () => exitCode };
}

function selector(options: GraphOptions): { repository?: string; commit?: string } {
  return {
    ...(options.repo !== undefined ? { repository: options.repo } : {}),
    ...(options.commit !== undefined ? { commit: options.commit } : {}),
  };
}

/** Runs the CLI; resolves to the process exit code. */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const { program, exitCode } = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    // commander's exitOverride: --help and --version end here with code 0, usage errors with 1.
    const code = (error as { exitCode?: number }).exitCode;
    if (typeof code === 'number') return code === 0 ? 0 : 2;
    return reportError(error, io.err);
  }
  return exitCode();
}

