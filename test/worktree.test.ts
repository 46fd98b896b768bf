/**
 * Local use: a working tree's graph follows the files on disk, updated in
 * place (`index --worktree`) or continuously (`watch`).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openHub } from '../src/hub/hub.js';
import { indexRepository } from '../src/indexer/index-repository.js';
import { openDirectorySource } from '../src/indexer/source.js';
import { BIN, graphhub, graphhubJson } from './helpers/cli.js';
import { TestRepo } from './helpers/git-repo.js';
import { renderGraph } from './helpers/render-graph.js';
import { tempDir } from './helpers/temp.js';

const FIXTURE = fileURLToPath(new URL('../src/languages/go/fixtures/notifier', import.meta.url));

/** `graphhub watch` of `directory`, its output gathered; `until` polls a condition for 20 s at most. */
function startWatch(data: string, directory: string, repository: string, debounceMs = 20) {
  const child = spawn(process.execPath, [BIN, '--data', data, 'watch', directory, '--repo', repository, '--json', '--debounce', String(debounceMs)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { out: '', err: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.err += chunk.toString()));
  const until = async (done: () => boolean, what: string): Promise<void> => {
    const deadline = Date.now() + 20_000;
    while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(done(), `${what}; stdout: ${output.out}; stderr: ${output.err}`).toBe(true);
  };
  /** Summary lines so far. */
  const summaries = (): number => output.out.split('\n').filter((line) => line.startsWith('{')).length;
  return { child, output, until, summaries };
}

/** A directory of `files` under watch, with its first index done (the watch is stopped if that fails). */
async function watchedDirectory(files: Record<string, string>, repository: string, debounceMs?: number) {
  const data = tempDir();
  const directory = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, name), text);
  const watch = startWatch(data, directory, repository, debounceMs);
  try {
    await watch.until(() => watch.summaries() === 1, 'the first index');
  } catch (error) {
    watch.child.kill('SIGTERM');
    throw error;
  }
  return { data, directory, ...watch };
}

interface IndexJson {
  graphId: number;
  commit: string;
  incremental?: { changedFiles: number; reusedFiles: number; previousCommit: string };
}

/** The data folder's worktree graph of example.com/notifier, rendered, checked equal to a full index of the files in `root`. */
async function worktreeEqualsFull(data: string, root: string): Promise<string> {
  const hub = await openHub({ dataDir: data });
  const fresh = await openHub({ dataDir: tempDir() });
  try {
    const graph = (await hub.store.findGraph('example.com/notifier', 'worktree'))!;
    const source = await openDirectorySource(root);
    const full = await indexRepository({ source, repository: { name: 'example.com/notifier' }, store: fresh.store, cas: fresh.cas, incremental: false });
    const updated = await renderGraph(hub.store, graph);
    expect(updated).toBe(await renderGraph(fresh.store, full.graph));
    return updated;
  } finally {
    await hub.close();
    await fresh.close();
  }
}

describe('working trees', () => {
  it('indexes uncommitted edits and updates the same graph in place, equal to a full index', async () => {
    const data = tempDir();
    const repo = TestRepo.create({}, { from: FIXTURE });
    repo.commit('fixture');
    repo.write({ 'pkg/alpha/helper.go': 'package alpha\n\n// Helper is being edited.\nfunc Helper() string { return helperTwo() }\n\nfunc helperTwo() string { return "" }\n' });
    const first = graphhubJson<IndexJson>(data, 'index', repo.path, '--worktree', '--repo', 'example.com/notifier');
    expect(first.commit).toBe('worktree');
    expect(graphhubJson<{ callers: Array<{ name: string }> }>(data, 'callers', 'helperTwo').callers.map((c) => c.name)).toEqual(['Helper']);

    // Edit, delete and add files; the next index updates the same graph.
    repo.write({ 'notifier.go': 'package main\n\nfunc newNotifier(socket, id string) *notifier { return nil }\n\ntype notifier struct{}\n\nfunc (n *notifier) setup() {}\n' });
    rmSync(join(repo.path, 'pkg/beta'), { recursive: true });
    repo.write({ 'added.go': 'package main\n\nfunc added() { newNotifier("", "") }\n' });
    const second = graphhubJson<IndexJson>(data, 'index', repo.path, '--worktree', '--repo', 'example.com/notifier');
    expect(second.graphId).toBe(first.graphId);
    expect(second.incremental?.changedFiles).toBe(3);
    expect(second.incremental?.reusedFiles).toBeGreaterThan(0);
    expect(graphhubJson<Array<{ graphCount: number }>>(data, 'repos')[0]!.graphCount).toBe(1);

    // The in-place result equals a full index of the same files.
    const updated = await worktreeEqualsFull(data, repo.path);
    expect(updated).toContain('main.added → main.newNotifier');
    expect(updated).not.toContain('beta.Helper');
  });

  it("builds a working tree's first graph on the repository's commit graph, then updates it in place, and leaves the commit's graph as it was", async () => {
    const data = tempDir();
    const repo = TestRepo.create({}, { from: FIXTURE });
    const commit = repo.commit('fixture');
    const committed = graphhubJson<IndexJson>(data, 'index', repo.path, '--repo', 'example.com/notifier');
    const before = graphhubJson<{ callers: Array<{ name: string }> }>(data, 'callers', 'newNotifier', '--commit', commit).callers.map((c) => c.name);
    repo.write({ 'pkg/alpha/helper.go': 'package alpha\n\n// Helper is being edited.\nfunc Helper() string { return helperTwo() }\n\nfunc helperTwo() string { return "" }\n' });
    const first = graphhubJson<IndexJson>(data, 'index', repo.path, '--worktree', '--repo', 'example.com/notifier');
    expect(first.commit).toBe('worktree');
    // Built on the commit's graph: only what the edit affects is resolved again.
    expect(first.incremental?.previousCommit).toBe(committed.commit);
    expect(first.incremental?.changedFiles).toBe(1);
    expect(first.incremental!.reusedFiles).toBeGreaterThan(0);
    repo.write({ 'added.go': 'package main\n\nfunc added() { newNotifier("", "") }\n' });
    const second = graphhubJson<IndexJson>(data, 'index', repo.path, '--worktree', '--repo', 'example.com/notifier');
    expect(second.graphId).toBe(first.graphId);
    expect(second.incremental?.previousCommit).toBe('worktree');

    const updated = await worktreeEqualsFull(data, repo.path);
    expect(updated).toContain('main.added → main.newNotifier');
    expect(updated).toContain('alpha.Helper → alpha.helperTwo');
    // The commit's graph took none of the working tree's edits.
    expect(graphhubJson<{ callers: Array<{ name: string }> }>(data, 'callers', 'newNotifier', '--commit', commit).callers.map((c) => c.name)).toEqual(before);
    expect(graphhub(data, 'callers', 'helperTwo', '--commit', commit).code).not.toBe(0);
  });

  it('watch outlives directories made and removed under it, watches no node_modules, and ends with an error when its tree goes', async () => {
    const data = tempDir();
    const directory = tempDir();
    writeFileSync(join(directory, 'main.go'), 'package main\n\nfunc main() {}\n');
    // Dependencies a large tree has thousands of directories of: watching each would exhaust inotify watches.
    for (let i = 0; i < 40; i++) {
      mkdirSync(join(directory, 'node_modules', `p${i}`, 'lib'), { recursive: true });
      writeFileSync(join(directory, 'node_modules', `p${i}`, 'lib', 'a.js'), 'module.exports = 1;\n');
    }
    const { child, output, until } = startWatch(data, directory, 'example.com/churn');
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until(() => output.out.includes('\n'), 'the first index');
      if (process.platform === 'linux') {
        const watches = readdirSync(`/proc/${child.pid}/fdinfo`)
          .map((fd) => readFileSync(`/proc/${child.pid}/fdinfo/${fd}`, 'utf8').split('\n').filter((line) => line.startsWith('inotify')).length)
          .reduce((a, b) => a + b, 0);
        expect(watches).toBeGreaterThan(0);
        expect(watches).toBeLessThan(10);
      }
      // A build tool making and deleting directories: Node's recursive fs.watch died of this (ENOENT on a scan).
      for (let i = 0; i < 30; i++) {
        mkdirSync(join(directory, 'tmp', 'a', 'b', 'c'), { recursive: true });
        writeFileSync(join(directory, 'tmp', 'a', 'b', 'c', 'f.txt'), 'x');
        rmSync(join(directory, 'tmp'), { recursive: true });
      }
      writeFileSync(join(directory, 'added.go'), 'package main\n\nfunc added() { main() }\n');
      await until(() => graphhub(data, 'symbol', 'added').code === 0, 'the watch indexed a file added after the churn');
      expect(child.exitCode).toBeNull();
      expect(graphhubJson<{ callers: Array<{ name: string }> }>(data, 'callers', 'main').callers.map((c) => c.name)).toEqual(['added']);
      rmSync(directory, { recursive: true });
      expect(await exited).toBe(6);
      expect(output.err).toContain('is no longer a directory: nothing left to watch');
      expect(output.err).not.toContain('internal error');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('watch leaves alone the directories git ignores, those there at the start and those it comes to ignore', async () => {
    const data = tempDir();
    const repo = TestRepo.create({ 'main.go': 'package main\n\nfunc main() {}\n', '.gitignore': 'dist/\ntarget/\n' });
    for (let i = 0; i < 40; i++) {
      mkdirSync(join(repo.path, 'dist', `d${i}`, 'x'), { recursive: true });
      writeFileSync(join(repo.path, 'dist', `d${i}`, 'x', 'a.js'), 'module.exports = 1;\n');
    }
    repo.commit('ignoring');
    const { child, output, until, summaries } = startWatch(data, repo.path, 'example.com/ignoring');
    const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1000));
    try {
      await until(() => summaries() === 1, 'the first index');
      if (process.platform === 'linux') {
        const watches = readdirSync(`/proc/${child.pid}/fdinfo`)
          .map((fd) => readFileSync(`/proc/${child.pid}/fdinfo/${fd}`, 'utf8').split('\n').filter((line) => line.startsWith('inotify')).length)
          .reduce((a, b) => a + b, 0);
        expect(watches).toBeLessThan(10);
      }
      // A build writing its output: no re-index.
      for (let i = 0; i < 5; i++) writeFileSync(join(repo.path, 'dist', `d${i}`, 'x', 'a.js'), `module.exports = ${i};\n`);
      await settle();
      expect(summaries()).toBe(1);
      // A directory git ignores that appears later costs one re-index, then is left alone too.
      mkdirSync(join(repo.path, 'target', 'a', 'b'), { recursive: true });
      writeFileSync(join(repo.path, 'target', 'a', 'b', 'c.o'), 'x');
      await until(() => summaries() === 2, 'the re-index after target/ appeared');
      await settle();
      const afterTarget = summaries();
      for (let i = 0; i < 5; i++) {
        writeFileSync(join(repo.path, 'target', 'a', 'b', 'c.o'), `x${i}`);
        mkdirSync(join(repo.path, 'target', 'a', `n${i}`));
      }
      await settle();
      expect(summaries()).toBe(afterTarget);
      // Still watching the sources.
      writeFileSync(join(repo.path, 'other.go'), 'package main\n\nfunc other() { main() }\n');
      await until(() => graphhub(data, 'symbol', 'other').code === 0, 'the re-index after other.go');
      expect(output.err).toBe('');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('watch recovers when the extraction cache loses the rows its memory points at', async () => {
    const { data, directory, child, output, until } = await watchedDirectory(
      { 'main.go': 'package main\n\nfunc main() { helper() }\n', 'util.go': 'package main\n\nfunc helper() {}\n' },
      'example.com/forgetful',
    );
    try {
      const db = new Database(join(data, 'graph.sqlite'));
      db.pragma('busy_timeout = 5000');
      expect(db.prepare('DELETE FROM extractions').run().changes).toBe(2);
      db.close();
      // helper renamed: main.go, unchanged, is resolved again, and its calls were rows of the cache.
      writeFileSync(join(directory, 'util.go'), 'package main\n\nfunc helper2() {}\n');
      await until(() => output.err.includes('no longer holds'), 'the run that finds the rows gone');
      // helper back, with a result: main.go is resolved once more, its facts read from its file now, not from what
      // was remembered (without forgetting, every later run failed the same way, and the graph kept the first helper).
      writeFileSync(join(directory, 'util.go'), 'package main\n\nfunc helper() int { return 1 }\n');
      const signature = (): string | undefined => {
        const found = graphhub(data, 'symbol', 'helper', '--json');
        return found.code === 0 ? (JSON.parse(found.stdout) as { symbol: { signature: string } }).symbol.signature : undefined;
      };
      await until(() => signature()?.includes('int') === true, 'a run after');
      expect(graphhubJson<{ callers: Array<{ name: string }> }>(data, 'callers', 'helper').callers.map((c) => c.name)).toEqual(['main']);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('watch indexes a write that follows another within 50 ms, which chokidar does not report', async () => {
    // No debounce: the run starts at the first write, before the second (a formatter's, after a save).
    const { data, directory, child, until } = await watchedDirectory({ 'main.go': 'package main\n\nfunc main() {}\n' }, 'example.com/twice', 0);
    try {
      for (let round = 0; round < 3; round++) {
        writeFileSync(join(directory, 'main.go'), `package main\n\nfunc main() { saved${round}() }\n\nfunc saved${round}() {}\n`);
        await new Promise((resolve) => setTimeout(resolve, 15));
        writeFileSync(join(directory, 'main.go'), `package main\n\nfunc main() { formatted${round}() }\n\nfunc formatted${round}() {}\n`);
        await until(() => graphhub(data, 'symbol', `formatted${round}`).code === 0, `the second write of round ${round}`);
      }
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('watch re-indexes when files change, and stops on SIGTERM', async () => {
    const data = tempDir();
    const directory = tempDir();
    writeFileSync(join(directory, 'main.go'), 'package main\n\nfunc main() { first() }\n\nfunc first() {}\n');
    const child = spawn(process.execPath, [BIN, '--data', data, 'watch', directory, '--repo', 'example.com/watched', '--json', '--debounce', '50'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      lines.push(...parts.filter(Boolean));
    });
    const waitFor = async (count: number): Promise<void> => {
      for (let i = 0; i < 400 && lines.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(lines.length).toBeGreaterThanOrEqual(count);
    };
    try {
      await waitFor(1);
      expect(graphhub(data, 'symbol', 'first').code).toBe(0);
      writeFileSync(join(directory, 'main.go'), 'package main\n\nfunc main() { second() }\n\nfunc second() {}\n');
      await waitFor(2);
      const update = JSON.parse(lines[lines.length - 1]!) as IndexJson;
      expect(update.commit).toBe('worktree');
      expect(graphhubJson<{ callers: Array<{ name: string }> }>(data, 'callers', 'second').callers.map((c) => c.name)).toEqual(['main']);
      expect(graphhub(data, 'symbol', 'first').code).toBe(3);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise<number | null>((resolve) => child.on('exit', (exit) => resolve(exit)));
    expect(code).toBe(0);
  });
});
