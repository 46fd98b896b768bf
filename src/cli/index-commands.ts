/**
 * `graphhub index` and `graphhub watch`: building graphs from a repository,
 * once or every time its files change.
 */
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Hub } from '../hub/hub.js';
import type { IndexResult } from '../indexer/index-repository.js';
import type { LocatedSource } from '../indexer/locate.js';
import type { FactsMemo } from '../indexer/read-files.js';
import { graphRef } from '../query/views.js';
import { reportError } from './exit-codes.js';
import { nonNegativeInteger, type CliIo, type Runner } from './options.js';
import { terminalProgress } from './progress.js';
import { renderIndexSummary } from './render.js';

interface IndexCommandOptions {
  repo?: string;
  commit?: string;
  json?: boolean;
  threads?: number;
  worktree?: boolean;
  /** Index from scratch: no reuse of the previous graph, even when this commit's graph is already the newest. */
  force?: boolean;
}

export async function indexOnce(hub: Hub, target: string, options: IndexCommandOptions, quiet = false, memo?: FactsMemo): Promise<IndexResult> {
  return indexLocated(hub, await locate(hub, target, options), options, quiet, memo);
}

async function locate(hub: Hub, target: string, options: IndexCommandOptions): Promise<LocatedSource> {
  const { locateSource } = await import('../indexer/locate.js');
  return locateSource({
    target,
    ...(options.commit !== undefined ? { revision: options.commit } : {}),
    ...(options.repo !== undefined ? { name: options.repo } : {}),
    mirrorsDir: join(hub.dataDir, 'mirrors'),
    ...(options.worktree ? { worktree: true } : {}),
  });
}

async function indexLocated(hub: Hub, located: LocatedSource, options: IndexCommandOptions, quiet: boolean, memo?: FactsMemo): Promise<IndexResult> {
  try {
    const progress = quiet ? undefined : terminalProgress();
    // Loaded by the commands that index, not by every command (also serve-commands, queue-commands): the indexer
    // brings tree-sitter, every grammar and the extractors' compiled queries, ~100 ms of a query command's start.
    const { indexRepository } = await import('../indexer/index-repository.js');
    return await indexRepository({
      source: located.source,
      repository: { name: located.name, ...(located.url ? { url: located.url } : {}) },
      store: hub.store,
      cas: hub.cas,
      ...(progress ? { onProgress: progress } : {}),
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      ...(options.worktree ? { worktree: true } : {}),
      ...(options.force ? { incremental: false } : {}),
      ...(memo ? { memo } : {}),
    });
  } finally {
    located.source.close();
  }
}

function printResult(io: CliIo, result: IndexResult, json: boolean | undefined): void {
  if (json) {
    const { graph, stats, cachedFiles, timings, spilledBytes, incremental, upToDate } = result;
    io.out(JSON.stringify({ ...graphRef(graph), stats, cachedFiles, timings, spilledBytes, incremental, upToDate }));
  } else io.out(renderIndexSummary(result));
}

export function registerIndexCommands(program: Command, run: Runner, io: CliIo): void {
  program
    .command('index')
    .description('index a repository (a local path or a git URL) at a commit into a graph')
    .argument('<path>', 'local repository or directory, or a git URL')
    .option('--repo <name>', 'canonical name, e.g. github.com/org/repo (default: from the origin remote, else the folder name)')
    .option('--commit <rev>', 'commit, branch or tag to index (default: HEAD)')
    .option('--worktree', "index the files on disk, uncommitted edits included, updating the repository's worktree graph in place")
    .option('--force', "index from scratch, reusing nothing of the repository's previous graph (by default an already indexed commit is left as it is)")
    .option('--threads <n>', 'threads that extract: 0 this one alone, 1 one worker, N this one and N-1 workers (default: one per core for large repositories)', nonNegativeInteger)
    .option('--json', 'print the summary as JSON')
    .action(
      run(async (hub, target: string, options: IndexCommandOptions) => {
        printResult(io, await indexOnce(hub, target, options), options.json);
      }),
    );

  program
    .command('watch')
    .description("keep a working tree's graph current: index it, then again whenever its files change (until interrupted)")
    .argument('<path>', 'local repository or directory')
    .option('--repo <name>', 'canonical name (default: from the origin remote, else the folder name)')
    .option('--debounce <ms>', 'wait this long after the last change before indexing', nonNegativeInteger, 200)
    .option('--json', 'print each summary as JSON')
    .action(
      run(async (hub, target: string, options: { repo?: string; debounce: number; json?: boolean }) => {
        const indexOptions: IndexCommandOptions = { worktree: true, ...(options.repo ? { repo: options.repo } : {}) };
        // Facts stay in memory between runs: a change costs its own file's parse, not every file's.
        const memo: FactsMemo = new Map();
        // The repository is found (its top, name and remote) once; each change only lists the tree again.
        const located = await locate(hub, target, indexOptions);
        const root = resolve(target);
        const [{ watchLoop }, { ignoredDirectories }] = await Promise.all([import('./watch-loop.js'), import('../indexer/git.js')]);
        await watchLoop(root, options.debounce, {
          first: async () => printResult(io, await indexLocated(hub, located, indexOptions, true, memo), options.json),
          change: async () => {
            try {
              const again = located.reopen ? { ...located, source: await located.reopen() } : await locate(hub, target, indexOptions);
              printResult(io, await indexLocated(hub, again, indexOptions, true, memo), options.json);
            } catch (error) {
              // A bad moment (a half-written file, a git operation) must not end the watch. Nor may the memo keep
              // the run failing: its entries point into the extraction cache, whose rows may have gone bad.
              memo.clear();
              reportError(error, io.err);
            }
          },
          warn: (error) => io.err(`graphhub: watching ${target}: ${error.message}`),
          ...(located.kind === 'git' ? { ignoredDirectories: async () => (await ignoredDirectories(root)).map((path) => join(root, path)) } : {}),
        });
      }),
    );
}
