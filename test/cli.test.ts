/**
 * The CLI through the real executable, over a real git repository built from
 * the Go fixture module.
 */
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { FsContentStore } from '../src/cas/fs-content-store.js';
import { confidenceOf } from '../src/model/confidence.js';
import type { SymbolPage } from '../src/query/symbol-page.js';
import { tamperBlob } from './helpers/blobs.js';
import { BIN, graphhub, graphhubJson } from './helpers/cli.js';
import { git, TestRepo } from './helpers/git-repo.js';
import { tempDir } from './helpers/temp.js';

const FIXTURE = fileURLToPath(new URL('../src/languages/go/fixtures/notifier', import.meta.url));

describe('graphhub CLI', () => {
  let data: string;
  let repo: TestRepo;
  let firstCommit: string;
  let secondCommit: string;

  beforeAll(() => {
    data = tempDir();
    repo = TestRepo.create({}, { from: FIXTURE });
    git(repo.path, 'remote', 'add', 'origin', 'https://github.com/example/notifier.git');
    firstCommit = repo.commit('first');
    repo.write({ 'extra.go': 'package main\n\nfunc extra() { newNotifier("s", "i") }\n' });
    secondCommit = repo.commit('second');
    // An uncommitted change in the work tree must not be indexed: git objects are read, not files.
    repo.write({ 'dirty.go': 'package main\n\nfunc dirty() {}\n' });
    const index = graphhub(data, 'index', repo.path);
    expect(index.code, index.stderr).toBe(0);
    expect(index.stdout).toMatch(/indexed github\.com\/example\/notifier@/);
  });

  it('names the repository after its origin remote and indexes HEAD from git objects', () => {
    const repos = graphhubJson<Array<{ name: string; newest: { commit: string } }>>(data, 'repos');
    expect(repos.map((r) => r.name)).toEqual(['github.com/example/notifier']);
    expect(repos[0]!.newest.commit).toBe(secondCommit);
    expect(graphhub(data, 'symbol', 'extra').code).toBe(0);
    expect(graphhub(data, 'symbol', 'dirty').code).toBe(3);
  });

  it('answers a query without loading the indexer: no tree-sitter, no grammar', () => {
    // Node's module cache, read as the process ends: the grammars are CommonJS packages, cached there once loaded.
    const hook = join(tempDir(), 'loaded.cjs');
    writeFileSync(
      hook,
      "process.on('exit', () => process.stderr.write('\\nloaded: ' + JSON.stringify(Object.keys(require('node:module')._cache)) + '\\n'));\n",
    );
    const loaded = (...args: string[]): string[] => {
      const result = spawnSync(process.execPath, ['--require', hook, BIN, '--data', data, ...args], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      return JSON.parse(/\nloaded: (.*)\n/.exec(result.stderr)![1]!) as string[];
    };
    const grammars = (paths: string[]): string[] => paths.filter((path) => /node_modules\/tree-sitter/.test(path));
    expect(grammars(loaded('callers', 'startContainer'))).toEqual([]);
    expect(grammars(loaded('repos'))).toEqual([]);
    // The same hook sees them when a command indexes.
    expect(grammars(loaded('index', repo.path))).not.toEqual([]);
  });

  it('answers symbol --json with source, callers, callees and unresolved counts', () => {
    const page = graphhubJson<SymbolPage>(data, 'symbol', 'startContainer');
    expect(page.repository).toBe('github.com/example/notifier');
    expect(page.commit).toBe(secondCommit);
    expect(page.symbol).toMatchObject({
      id: 'go:run.go:main.startContainer',
      kind: 'function',
      name: 'startContainer',
      qualifiedName: 'main.startContainer',
      file: 'run.go',
      startLine: 6,
      endLine: 17,
      signature: '(ctx *cli.Context, action string) (int, error)',
    });
    expect(page.source?.verified).toBe(true);
    expect(page.source?.blob).toMatch(/^[0-9a-f]{64}$/);
    expect(page.source?.lines.some((line) => line.includes('func startContainer('))).toBe(true);
    expect(page.callers.map((c) => `${c.kind}:${c.name}`).sort()).toEqual([
      'file:main.go',
      'function:brokenButNamed',
      'test:TestStartContainer',
    ]);
    const callees = Object.fromEntries(page.callees.map((c) => [c.qualifiedName, c.strategy]));
    expect(callees).toMatchObject({
      'main.(*runner).run': 'go.method.literal',
      'main.newNotifier': 'go.same-package',
      'main.(*notifier).setup': 'go.method.result',
      'cli.(*Context).String': 'go.method.declared',
      'cli.Args.First': 'go.method.result',
    });
    // Sorted by confidence.
    const confidences = page.callees.map((c) => c.confidence);
    expect([...confidences].sort((a, b) => b - a)).toEqual(confidences);
    expect(page.tests.status).toBe('covered');
    expect(page.tests.tests[0]!.test.name).toBe('TestStartContainer');
  });

  it('accepts qualified names, pointer-receiver forms and symbol ids', () => {
    for (const query of ['store.(*DB).Put', 'DB.Put', '(*DB).Put', 'go:internal/store/store.go:store.(*DB).Put']) {
      const page = graphhubJson<SymbolPage>(data, 'symbol', query);
      expect(page.symbol.qualifiedName, query).toBe('store.(*DB).Put');
    }
    expect(graphhubJson<SymbolPage>(data, 'symbol', 'alpha.Helper').symbol.file).toBe('pkg/alpha/helper.go');
  });

  it('lists the choices of an ambiguous name and exits 4', () => {
    const result = graphhub(data, 'symbol', 'Helper');
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('2 symbols match Helper');
    expect(result.stderr).toContain('alpha.Helper  pkg/alpha/helper.go:4');
    expect(result.stderr).toContain('beta.Helper  pkg/beta/helper.go:4');
  });

  it('suggests the nearest names for an unknown one and exits 3', () => {
    const result = graphhub(data, 'symbol', 'startContainr');
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('Did you mean `startContainer`');
  });

  it('answers callers, callees, tests, impact and search', () => {
    const callers = graphhubJson<{ callers: Array<{ name: string }> }>(data, 'callers', 'newNotifier');
    expect(callers.callers.map((c) => c.name).sort()).toEqual(['extra', 'startContainer']);
    const callees = graphhubJson<{ callees: Array<{ name: string }>; unresolvedCalls: Array<{ name: string }>; externalCalls: Array<{ symbol: string }> }>(
      data,
      'callees',
      'main.main',
    );
    expect(callees.unresolvedCalls.map((u) => u.name)).toContain('Action');
    expect(callees.externalCalls.map((e) => e.symbol)).toContain('Println');
    const impact = graphhubJson<{ callers: Array<{ symbol: { name: string }; depth: number }>; tests: Array<{ symbol: { name: string } }> }>(
      data,
      'impact',
      'bind',
      '--depth',
      '3',
    );
    expect(impact.callers.map((c) => `${c.depth}:${c.symbol.name}`)).toEqual(['1:setup', '2:startContainer', '3:TestStartContainer', '3:brokenButNamed', '3:main.go']);
    expect(impact.tests.map((t) => t.symbol.name)).toEqual(['TestStartContainer']);
    const search = graphhubJson<{ hits: Array<{ symbol: { name: string } }> }>(data, 'search', 'notif');
    expect(search.hits[0]!.symbol.name).toBe('notifier');
    expect(search.hits.map((h) => h.symbol.name)).toContain('newNotifier');
    const text = graphhub(data, 'callers', 'startContainer');
    expect(text.stdout).toContain('Callers 3');
  });

  it('finds direct and transitive tests, subtests and testify suite methods, with their paths', () => {
    const answer = graphhubJson<{ tests: { status: string; tests: Array<{ test: { name: string }; path: Array<{ name: string }>; length: number; confidence: number }> } }>(
      data,
      'tests',
      'main.fileSink.Send',
    );
    expect(answer.tests.status).toBe('covered');
    const found = Object.fromEntries(answer.tests.tests.map((t) => [t.test.name, t]));
    expect(found['TestSinks/file_sink']).toMatchObject({ length: 1, confidence: confidenceOf('go.method.literal') });
    expect(found['TestRun']!.path.map((step) => step.name)).toEqual(['TestRun', 'run', 'Send']);
    // A path's confidence is the product of its edges' (a declared receiver, then an interface call).
    expect(found['TestRun']!.confidence).toBeCloseTo(confidenceOf('go.method.declared') * confidenceOf('go.interface'), 3);
    expect(found['TestStartContainer']!.path.map((step) => step.name)).toEqual(['TestStartContainer', 'startContainer', 'run', 'Send']);
    // Direct callers first.
    expect(answer.tests.tests[0]!.test.name).toBe('TestSinks/file_sink');
    // A helper in a test file is not a test, and a function nothing reaches has no coverage.
    const helper = graphhubJson<{ symbol: { kind: string } }>(data, 'symbol', 'helperNotATest');
    expect(helper.symbol.kind).toBe('function');
    const untested = graphhubJson<{ tests: { status: string } }>(data, 'tests', 'alpha.Helper');
    expect(untested.tests.status).toBe('none');
    expect(graphhub(data, 'tests', 'alpha.Helper').stdout).toContain('no test coverage detected');
  });

  it('pins an older commit with --commit (a prefix is enough)', () => {
    const index = graphhub(data, 'index', repo.path, '--commit', firstCommit.slice(0, 10));
    expect(index.code, index.stderr).toBe(0);
    const old = graphhub(data, 'symbol', 'extra', '--commit', firstCommit.slice(0, 8));
    expect(old.code).toBe(3);
    const page = graphhubJson<SymbolPage>(data, 'symbol', 'startContainer', '--commit', firstCommit);
    expect(page.commit).toBe(firstCommit);
    // The newest graph is now the one indexed last.
    expect(graphhubJson<SymbolPage>(data, 'symbol', 'startContainer').commit).toBe(firstCommit);
    expect(graphhubJson<SymbolPage>(data, 'symbol', 'extra', '--commit', secondCommit).symbol.name).toBe('extra');
  });

  it('leaves a commit that is already the newest graph as it is, unless --force', () => {
    type IndexJson = { graphId: number; commit: string; upToDate?: boolean; stats: { symbols: number } };
    type Repos = Array<{ graphCount: number; newest: { commit: string } }>;
    const before = graphhubJson<Repos>(data, 'repos')[0]!;
    const first = graphhubJson<IndexJson>(data, 'index', repo.path, '--commit', before.newest.commit);
    const again = graphhubJson<IndexJson>(data, 'index', repo.path, '--commit', before.newest.commit);
    expect(again.upToDate).toBe(true);
    expect(again.graphId).toBe(first.graphId);
    expect(again.stats.symbols).toBeGreaterThan(0);
    const text = graphhub(data, 'index', repo.path, '--commit', before.newest.commit);
    expect(text.stdout).toContain('is already indexed');
    const forced = graphhubJson<IndexJson>(data, 'index', repo.path, '--commit', before.newest.commit, '--force');
    expect(forced.upToDate).toBeUndefined();
    expect(forced.graphId).not.toBe(first.graphId);
    expect(forced.stats.symbols).toBe(again.stats.symbols);
    // The forced graph replaced the one of the same commit.
    expect(graphhubJson<Repos>(data, 'repos')[0]!.graphCount).toBe(before.graphCount);
  });

  it('leaves a plain directory whose files did not change as it is', () => {
    type IndexJson = { graphId: number; commit: string; upToDate?: boolean };
    const directory = tempDir();
    writeFileSync(join(directory, 'main.go'), 'package main\n\nfunc main() { helper() }\n\nfunc helper() {}\n');
    const first = graphhubJson<IndexJson>(data, 'index', directory, '--repo', 'example.com/plain');
    const again = graphhubJson<IndexJson>(data, 'index', directory, '--repo', 'example.com/plain');
    expect(again.upToDate).toBe(true);
    expect(again.graphId).toBe(first.graphId);
    writeFileSync(join(directory, 'main.go'), 'package main\n\nfunc main() { helper() }\n\nfunc helper() { other() }\n\nfunc other() {}\n');
    const changed = graphhubJson<IndexJson>(data, 'index', directory, '--repo', 'example.com/plain');
    expect(changed.upToDate).toBeUndefined();
    expect(changed.commit).not.toBe(first.commit);
    expect(graphhubJson<{ callers: Array<{ name: string }> }>(data, 'callers', 'other', '--repo', 'example.com/plain').callers.map((c) => c.name)).toEqual(['helper']);
  });

  it('exports edges as JSON lines in the documented format', () => {
    const result = graphhub(data, 'export', 'edges', '--repo', 'github.com/example/notifier', '--commit', secondCommit);
    expect(result.code, result.stderr).toBe(0);
    const edges = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(Object.keys(edges[0]).sort()).toEqual(['callee', 'caller', 'confidence', 'sites', 'strategy']);
    const fileCall = edges.find((e) => e.caller.name === 'main.go' && e.callee.name === 'startContainer');
    expect(fileCall).toEqual({
      caller: { file: 'main.go', name: 'main.go', line: 1 },
      callee: { file: 'run.go', name: 'startContainer', line: 6 },
      sites: [
        { file: 'main.go', line: 20, col: 13 },
        { file: 'main.go', line: 28, col: 13 },
      ],
      confidence: confidenceOf('go.same-package'),
      strategy: 'go.same-package',
    });
    const method = edges.find((e) => e.callee.name === 'DB.Put');
    expect(method.callee).toEqual({ file: 'internal/store/store.go', name: 'DB.Put', line: 11 });
  });

  it('reuses cached extractions when the same blobs are indexed again', () => {
    const result = graphhubJson<{ cachedFiles: number; stats: { files: number } }>(data, 'index', repo.path, '--repo', 'example.com/copy');
    expect(result.cachedFiles).toBeGreaterThanOrEqual(13);
  });

  it('verify finds a flipped byte and a missing blob, and the page shows the integrity error', () => {
    const own = tempDir();
    expect(graphhub(own, 'index', repo.path).code).toBe(0);
    expect(graphhub(own, 'verify').code).toBe(0);
    const page = graphhubJson<SymbolPage>(own, 'symbol', 'startContainer');
    const blob = page.source!.blob;
    tamperBlob(own, blob, (bytes) => {
      bytes[0] = bytes[0]! ^ 0x20;
      return bytes;
    });
    const verify = graphhub(own, 'verify');
    expect(verify.code).toBe(5);
    expect(verify.stdout).toContain(`corrupt ${blob}`);
    const broken = graphhubJson<SymbolPage>(own, 'symbol', 'startContainer');
    expect(broken.source?.verified).toBe(false);
    expect(broken.source?.lines).toEqual([]);
    expect(broken.source?.error).toContain(`integrity error: blob ${blob}`);
    expect(graphhub(own, 'symbol', 'startContainer').stdout).toContain('Source unavailable: integrity error');
  });

  it('reads the blob files of a data folder from before cas.sqlite, and verifies them', async () => {
    const own = tempDir();
    const older = TestRepo.create({}, { from: FIXTURE });
    older.commit('first');
    expect(graphhub(own, 'index', older.path).code).toBe(0);
    // The layout an earlier version left: every blob a file under cas/, none in cas.sqlite.
    const files = new FsContentStore(join(own, 'cas'));
    const db = new Database(join(own, 'cas.sqlite'));
    const rows = db.prepare('SELECT address, bytes FROM blobs').raw().all() as Array<[string, Buffer]>;
    for (const [, bytes] of rows) await files.put(bytes);
    db.prepare('DELETE FROM blobs').run();
    db.close();
    expect(rows.length).toBeGreaterThan(10);

    const page = graphhubJson<SymbolPage>(own, 'symbol', 'startContainer');
    expect(page.source?.verified).toBe(true);
    expect(page.source?.lines.join('\n')).toContain('func startContainer');
    const verify = graphhub(own, 'verify');
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toContain(`${rows.length} blobs`);
    // A new commit stores only the new blob, in cas.sqlite.
    older.write({ 'later.go': 'package main\n\nfunc later() {}\n' });
    older.commit('later');
    expect(graphhub(own, 'index', older.path).code).toBe(0);
    const after = new Database(join(own, 'cas.sqlite'), { readonly: true });
    expect(after.prepare('SELECT COUNT(*) FROM blobs').pluck().get()).toBe(1);
    after.close();
  });

  it('records symbolic links without following them, even to files outside the repository', () => {
    const linked = TestRepo.create({ 'main.go': 'package main\n\nfunc main() {}\n' });
    const secret = join(tempDir(), 'secret.go');
    writeFileSync(secret, 'package secret\n\nfunc Leaked() {}\n');
    symlinkSync(secret, join(linked.path, 'leak.go'));
    symlinkSync('/etc/passwd', join(linked.path, 'passwd.go'));
    linked.commit('links');
    for (const source of [linked.path]) {
      const own = tempDir();
      const index = graphhubJson<{ stats: { skipped: number; symbols: number } }>(own, 'index', source, '--repo', 'example.com/links');
      expect(index.stats.skipped).toBe(2);
      expect(graphhub(own, 'symbol', 'Leaked').code).toBe(3);
      const page = graphhubJson<SymbolPage>(own, 'symbol', 'main.go');
      expect(page.symbol.kind).toBe('file');
    }
    // Also as a plain directory (no git): links are listed, never read.
    const plain = tempDir();
    writeFileSync(join(plain, 'main.go'), 'package main\n\nfunc main() {}\n');
    symlinkSync(secret, join(plain, 'leak.go'));
    const own = tempDir();
    expect(graphhub(own, 'index', plain, '--repo', 'example.com/plain').code).toBe(0);
    expect(graphhub(own, 'symbol', 'Leaked').code).toBe(3);
    expect(existsSync(join(own, 'cas.sqlite'))).toBe(true);
  });

  it('rejects hostile arguments with one clear line', () => {
    const option = graphhub(data, 'index', repo.path, '--commit', '--output=/tmp/x');
    expect(option.code).not.toBe(0);
    const badName = graphhub(data, 'index', repo.path, '--repo', '../../etc');
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('not a valid repository name');
    const reserved = graphhub(data, 'index', repo.path, '--repo', 'api/things');
    expect(reserved.code).toBe(2);
    expect(reserved.stderr).toContain('the hub uses /api');
    const missing = graphhub(data, 'index', join(tempDir(), 'nope'));
    expect(missing.code).toBe(2);
    const unknownCommit = graphhub(data, 'index', repo.path, '--commit', 'deadbeef');
    expect(unknownCommit.code).toBe(3);
    expect(graphhub(data, 'symbol', 'x', '--repo', 'nope/nope').code).toBe(3);
  });

  it('has --help on every command', () => {
    for (const command of ['index', 'symbol', 'callers', 'callees', 'tests', 'impact', 'wild', 'search', 'repos', 'verify', 'export', 'start']) {
      const result = graphhub(data, command, '--help');
      expect(result.code, command).toBe(0);
      expect(result.stdout, command).toContain('Usage: graphhub');
    }
    const edges = graphhub(data, 'export', 'edges', '--help');
    expect(edges.stdout).toContain('--repo');
  });

  it('starts an embedded hub without loading the PostgreSQL client', () => {
    // Loading pg and the PostgreSQL stores cost every command ~60 ms of start-up; only a postgres:// hub needs them.
    const script = `
      import { createRequire } from 'node:module';
      const { openHub } = await import(${JSON.stringify(new URL('../dist/hub/hub.js', import.meta.url).href)});
      const hub = await openHub({ dataDir: ${JSON.stringify(join(tempDir(), 'hub'))} });
      await hub.close();
      const loaded = Object.keys(createRequire(import.meta.url).cache).filter((path) => path.includes('/node_modules/pg/'));
      console.log(JSON.stringify(loaded));`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  it('prints its version', () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const result = graphhub(data, '--version');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });
});
