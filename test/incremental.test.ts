/**
 * Incremental indexing: indexing a new commit reuses what the changes cannot
 * affect, and the result equals a full index of the same commit.
 */
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openHub, type Hub } from '../src/hub/hub.js';
import { indexRepository, type IndexResult } from '../src/indexer/index-repository.js';
import { openGitSource } from '../src/indexer/source.js';
import { graphhub, graphhubJson } from './helpers/cli.js';
import { TestRepo } from './helpers/git-repo.js';
import { renderGraph } from './helpers/render-graph.js';
import { tempDir } from './helpers/temp.js';

const FIXTURE = fileURLToPath(new URL('../src/languages/go/fixtures/notifier', import.meta.url));

const EXTRA_V1 = {
  'uses.go': `package main

import (
	"example.com/notifier/pkg/afactory"
	"example.com/notifier/pkg/gamma"
)

func useFactory() { afactory.F().M() }

func useGamma() { gamma.Make() }
`,
  'pkg/ptype/t.go': 'package ptype\n\ntype T struct{}\n\nfunc (t *T) M() {}\n',
  'pkg/afactory/f.go': 'package afactory\n\nimport "example.com/notifier/pkg/ptype"\n\nfunc F() *ptype.T { return &ptype.T{} }\n',
};

/** The second commit: edits that reach unchanged files in every way the resolver looks across files. */
function applyV2(repo: TestRepo): void {
  repo.write({
    // A method removed: setup's call to bind no longer resolves.
    'notifier.go': 'package main\n\ntype notifier struct {\n\tsocket string\n\tid     string\n}\n\nfunc newNotifier(socket, id string) *notifier {\n\tif socket == "" {\n\t\treturn nil\n\t}\n\treturn &notifier{socket: socket, id: id}\n}\n\nfunc (n *notifier) setup() {\n\tn.bind()\n}\n',
    // A declared method now shadows the promoted base.Close in the unchanged runner.go.
    'close.go': 'package main\n\nfunc (r *runner) Close() {}\n',
    // A package appears that an unchanged file already imported.
    'pkg/gamma/gamma.go': 'package gamma\n\nfunc Make() int { return 1 }\n',
    // A method renamed two packages away from its unchanged caller.
    'pkg/ptype/t.go': 'package ptype\n\ntype T struct{}\n\nfunc (t *T) N() {}\n',
    // A method renamed in an imported package.
    'internal/store/store.go': 'package store\n\ntype DB struct{ path string }\n\nfunc Open(path string) (*DB, error) { return &DB{path: path}, nil }\n\nfunc (d *DB) Store(key string) error { return nil }\n',
  });
  // A package removed: its import becomes external.
  repo.remove('pkg/beta');
}

/** Indexes `rev` of `repo` into `hub`: on the repository's previous graph, or from scratch when `incremental` is false. */
async function indexAt(repo: TestRepo, repository: { name: string }, hub: Hub, rev: string, incremental: boolean): Promise<IndexResult> {
  const source = await openGitSource(repo.path, rev);
  try {
    return await indexRepository({ source, repository, store: hub.store, cas: hub.cas, incremental });
  } finally {
    source.close();
  }
}

describe('incremental indexing', () => {
  it('reuses unaffected files and equals a full index of the new commit', async () => {
    const repo = TestRepo.create(EXTRA_V1, { from: FIXTURE });
    repo.commit('v1');
    applyV2(repo);
    const v2 = repo.commit('v2');
    const repository = { name: 'example.com/notifier' };

    const incrementalHub = await openHub({ dataDir: tempDir() });
    const fullHub = await openHub({ dataDir: tempDir() });
    try {
      const first = await openGitSource(repo.path, 'HEAD~1');
      await indexRepository({ source: first, repository, store: incrementalHub.store, cas: incrementalHub.cas });
      first.close();
      const second = await openGitSource(repo.path, v2);
      const incremental = await indexRepository({ source: second, repository, store: incrementalHub.store, cas: incrementalHub.cas });
      second.close();
      expect(incremental.incremental).toBeDefined();
      expect(incremental.incremental!.changedFiles).toBe(6);
      expect(incremental.incremental!.reusedFiles).toBeGreaterThan(0);
      // pkg/alpha, the vendored cli package and the other package files are untouched.
      expect(incremental.incremental!.resolvedFiles).toBeLessThan(incremental.stats.files - incremental.stats.skipped);
      // Local facts (Go's calls, bindings, docs) waited on disk; the cached ones were never parsed for the reused files.
      expect(incremental.spilledBytes).toBeGreaterThan(0);

      const fresh = await openGitSource(repo.path, v2);
      const full = await indexRepository({ source: fresh, repository, store: fullHub.store, cas: fullHub.cas, incremental: false });
      fresh.close();
      expect(full.incremental).toBeUndefined();
      // The reused files' local facts stayed in the extraction cache; only the changed files' were spilled.
      expect(incremental.spilledBytes).toBeLessThan(full.spilledBytes / 2);

      const incrementalText = await renderGraph(incrementalHub.store, incremental.graph);
      expect(incrementalText).toBe(await renderGraph(fullHub.store, full.graph));
      expect(incremental.stats).toMatchObject({ symbols: full.stats.symbols, edges: full.stats.edges, unresolved: full.stats.unresolved, externalRefs: full.stats.externalRefs });

      // The changes really changed the answers (so equality above is not vacuous).
      expect(incrementalText).toContain('main.(*runner).run → main.(*runner).Close');
      expect(incrementalText).toContain('main.useGamma → gamma.Make');
      expect(incrementalText).not.toContain('main.useFactory → ptype.(*T).M');
      expect(incrementalText).toContain('main.main: db.Put');
    } finally {
      await incrementalHub.close();
      await fullHub.close();
    }
  });

  it('stores again the blob of an unchanged file that the content store no longer holds', async () => {
    const repo = TestRepo.create(EXTRA_V1, { from: FIXTURE });
    repo.commit('v1');
    const repository = { name: 'example.com/notifier' };
    const dataDir = tempDir();
    const hub = await openHub({ dataDir });
    try {
      const first = await indexAt(repo, repository, hub, 'HEAD', true);
      const kept = (await hub.store.getFile(first.graph.id, 'pkg/ptype/t.go'))!.blob;
      const other = (await hub.store.getFile(first.graph.id, 'uses.go'))!.blob;
      // The blob is lost from the store (a damaged or partly restored data folder), the file itself unchanged.
      const cas = new Database(join(dataDir, 'cas.sqlite'));
      expect(cas.prepare('DELETE FROM blobs WHERE address = ?').run(kept).changes).toBe(1);
      cas.close();
      expect(await hub.cas.has(kept)).toBe(false);
      repo.write({ 'uses.go': `${readFileSync(join(repo.path, 'uses.go'), 'utf8')}\n// changed\n` });
      const second = await indexAt(repo, repository, hub, repo.commit('v2'), true);
      expect(second.incremental).toBeDefined();
      // Read from the repository again and stored: the new graph's source can be served.
      expect((await hub.store.getFile(second.graph.id, 'pkg/ptype/t.go'))!.blob).toBe(kept);
      expect((await hub.cas.get(kept)).toString()).toContain('type T struct{}');
      expect(await hub.cas.has(other)).toBe(true);
    } finally {
      await hub.close();
    }
  });

  it('resolves only the edited file when what other files can see of it is unchanged, and still equals a full index', async () => {
    const repo = TestRepo.create(EXTRA_V1, { from: FIXTURE });
    repo.commit('v1');
    const repository = { name: 'example.com/notifier' };
    const hub = await openHub({ dataDir: tempDir() });
    const fullHub = await openHub({ dataDir: tempDir() });
    const index = (target: Hub, rev: string, incremental = true) => indexAt(repo, repository, target, rev, incremental);
    try {
      await index(hub, 'HEAD');
      // A body edited and every declaration below it moved down two lines: its callers elsewhere keep their rows.
      repo.write({
        'pkg/afactory/f.go':
          'package afactory\n\nimport "example.com/notifier/pkg/ptype"\n\n// F makes a T.\n// (Two lines more.)\nfunc F() *ptype.T {\n\tt := &ptype.T{}\n\tt.M()\n\treturn t\n}\n',
      });
      const bodies = repo.commit('bodies');
      const local = await index(hub, bodies);
      expect(local.incremental).toMatchObject({ changedFiles: 1, resolvedFiles: 1 });
      const full = await index(fullHub, bodies, false);
      const text = await renderGraph(hub.store, local.graph);
      expect(text).toBe(await renderGraph(fullHub.store, full.graph));
      // The new call in the body and the unchanged caller in another file are both there.
      expect(text).toContain('afactory.F → ptype.(*T).M');
      expect(text).toContain('main.useFactory → afactory.F');

      // A declaration that other files read changes (F's result type): its importers are resolved again.
      repo.write({ 'pkg/afactory/f.go': 'package afactory\n\nimport "example.com/notifier/pkg/ptype"\n\nfunc F() ptype.T { return ptype.T{} }\n' });
      const signature = repo.commit('signature');
      const wider = await index(hub, signature);
      expect(wider.incremental!.changedFiles).toBe(1);
      expect(wider.incremental!.resolvedFiles).toBeGreaterThan(1);
      const fullAgain = await index(fullHub, signature, false);
      expect(await renderGraph(hub.store, wider.graph)).toBe(await renderGraph(fullHub.store, fullAgain.graph));
    } finally {
      await hub.close();
      await fullHub.close();
    }
  });

  it('narrows a change of declarations to the files that mention a name it changes, and still equals a full index', async () => {
    const lib = (extra: string, make = '*T'): Record<string, string> => ({
      'pkg/lib/lib.go': `package lib\n\ntype T struct{ f int }\n\nfunc (t *T) M() {}\n\ntype U struct{}\n\nfunc (u *U) M() {}\n\nfunc Make() ${make} { return nil }\n\nfunc Other() {}\n${extra}`,
    });
    const repo = TestRepo.create(
      {
        ...EXTRA_V1,
        ...lib(''),
        'pkg/ifaces/iface.go': 'package ifaces\n\ntype I interface {\n\tM()\n\tN()\n}\n\nfunc UseIface(i I) { i.M() }\n',
        'pkg/users/later.go': 'package users\n\nimport "example.com/notifier/pkg/lib"\n\nfunc UseLater() {\n\tlib.Later()\n\tlib.Later2()\n}\n',
        'pkg/users/made.go': 'package users\n\nimport "example.com/notifier/pkg/lib"\n\nvar Made = lib.Make()\n',
        'pkg/users/other.go': 'package users\n\nimport "example.com/notifier/pkg/lib"\n\nfunc UseOther() { lib.Other() }\n',
        'pkg/far/far.go': 'package far\n\nimport "example.com/notifier/pkg/users"\n\nfunc UseMade() { users.Made.M() }\n',
        'pkg/users/fresh.go': 'package users\n\nimport "example.com/notifier/pkg/fresh"\n\nfunc UseFresh() { fresh.Missing() }\n',
        'pkg/lib/embedded.go': 'package lib\n\ntype Embedded interface{ Z() }\n',
        'pkg/outer/j.go': 'package outer\n\nimport "example.com/notifier/pkg/lib"\n\ntype J interface {\n\tlib.Embedded\n\tY()\n}\n',
        'pkg/outer/use.go': 'package outer\n\nfunc UseJ(j J) { j.Y() }\n',
        'pkg/impl/s.go': 'package impl\n\ntype S struct{}\n\nfunc (s *S) Y() {}\n\nfunc (s *S) Z() {}\n',
        'pkg/lib/v.go': 'package lib\n\ntype V struct{}\n',
        'pkg/lib/v_methods.go': 'package lib\n\nfunc (v *V) Orphan() {}\n',
        'pkg/guess/guess.go': 'package guess\n\nfunc Guess() { mystery().Orphan() }\n',
        'pkg/lib/builder.go': 'package lib\n\nimport sb "strings"\n\nfunc Builder() *sb.Builder { return nil }\n',
        // A generator beside the package it imports (as Go's own sources have): no import cycle.
        'pkg/lib/gen.go': '//go:build ignore\n\npackage main\n\nimport "example.com/notifier/pkg/lib"\n\nfunc main() { lib.Other() }\n',
        'pkg/users/builder.go': 'package users\n\nimport "example.com/notifier/pkg/lib"\n\nfunc UseBuilder() { lib.Builder().WriteString("x") }\n',
      },
      { from: FIXTURE },
    );
    repo.commit('v1');
    const repository = { name: 'example.com/notifier' };
    const hub = await openHub({ dataDir: tempDir() });
    const fullHub = await openHub({ dataDir: tempDir() });
    const index = (target: Hub, rev: string, incremental = true) => indexAt(repo, repository, target, rev, incremental);
    /** Commits `files`, indexes the commit on the previous graph and from scratch; the graphs must be the same. */
    const step = async (message: string, files: Record<string, string>) => {
      repo.write(files);
      const commit = repo.commit(message);
      const result = await index(hub, commit);
      const text = await renderGraph(hub.store, result.graph);
      expect(text).toBe(await renderGraph(fullHub.store, (await index(fullHub, commit, false)).graph));
      return { resolved: result.incremental!.resolvedFiles, text };
    };
    try {
      await index(hub, 'HEAD');
      // A function added: only its file and the one file calling it by name.
      const later = await step('later', lib('\nfunc Later() {}\n'));
      expect(later.resolved).toBe(2);
      expect(later.text).toContain('users.UseLater → lib.Later');
      // A method added: T now satisfies I of a package that does not import lib, whose call through I names M, one of T's methods.
      const method = await step('method', lib('\nfunc Later() {}\n\nfunc (t *T) N() {}\n'));
      expect(method.text).toContain('ifaces.UseIface → lib.(*T).M');
      expect(later.text).not.toContain('ifaces.UseIface → lib.(*T).M');
      expect(method.resolved).toBeGreaterThan(2);
      expect(method.resolved).toBeLessThan(later.resolved + 8);
      // A method no interface has: only the files that name it.
      const solo = await step('solo', lib('\nfunc Later() {}\n\nfunc (t *T) N() {}\n\nfunc (t *T) Solo() {}\n'));
      expect(solo.resolved).toBe(1);
      // A type removed: its methods in another file lose their owner, and a guess by one's name elsewhere with it.
      expect(solo.text).toContain('guess.Guess → lib.(*V).Orphan');
      const orphaned = await step('orphaned', { 'pkg/lib/v.go': 'package lib\n\ntype W struct{}\n' });
      expect(orphaned.text).not.toContain('guess.Guess → lib.(*V).Orphan');
      // A result type changed: users.Made's type follows, and far.go, which names Made (never Make), is resolved again.
      const made = await step('made', lib('\nfunc Later() {}\n\nfunc (t *T) N() {}\n\nfunc (t *T) Solo() {}\n', '*U'));
      expect(made.text).toContain('far.UseMade → lib.(*U).M');
      expect(made.text).not.toContain('far.UseMade → lib.(*T).M');
      // A file added to a package that has others: its declarations are added names.
      const added = await step('added', { 'pkg/lib/later2.go': 'package lib\n\nfunc Later2() {}\n' });
      expect(added.resolved).toBe(2);
      expect(added.text).toContain('users.UseLater → lib.Later2');
      repo.remove('pkg/lib/later2.go');
      const removed = await step('removed', {});
      expect(removed.resolved).toBe(1);
      expect(removed.text).not.toContain('users.UseLater → lib.Later2');
      // A package that appears takes its importers' calls into the repository, even to a name it does not declare.
      const appeared = await step('appeared', { 'pkg/fresh/fresh.go': 'package fresh\n\nfunc Other() {}\n' });
      expect(appeared.resolved).toBeGreaterThan(1);
      // An interface changed: S no longer implements J, which embeds it, and a call through J names nothing of it.
      expect(appeared.text).toContain('outer.UseJ → impl.(*S).Y');
      const iface = await step('interface', { 'pkg/lib/embedded.go': 'package lib\n\ntype Embedded interface{ W() }\n' });
      expect(iface.text).not.toContain('outer.UseJ → impl.(*S).Y');
      // A field added: nothing mentions it.
      repo.write({ 'pkg/lib/lib.go': readFileSync(join(repo.path, 'pkg/lib/lib.go'), 'utf8').replace('type T struct{ f int }', 'type T struct {\n\tf int\n\tg string\n}') });
      const field = await step('field', {});
      expect(field.resolved).toBe(1);
      // An import added that only a body uses: no declaration means anything else.
      const body = readFileSync(join(repo.path, 'pkg/lib/lib.go'), 'utf8');
      repo.write({ 'pkg/lib/lib.go': body.replace('package lib\n', 'package lib\n\nimport "strings"\n').replace('func Other() {}', 'func Other() { _ = strings.ToUpper("x") }') });
      const imported = await step('imported', {});
      expect(imported.resolved).toBe(1);
      // An import that a declaration's type qualifies with now names another package: its callers elsewhere follow.
      const requalified = await step('requalified', { 'pkg/lib/builder.go': 'package lib\n\nimport sb "bytes"\n\nfunc Builder() *sb.Builder { return nil }\n' });
      expect(requalified.resolved).toBe(2);
    } finally {
      await hub.close();
      await fullHub.close();
    }
  });

  it('skips reading files whose fingerprint (size, mtime, inode) did not change, and trusts no fresh timestamp', async () => {
    const directory = tempDir();
    const path = join(directory, 'main.go');
    const hourAgo = new Date(Date.now() - 3600_000);
    writeFileSync(path, 'package main\n\nfunc alpha() {}\n');
    utimesSync(path, hourAgo, hourAgo);
    const data = tempDir();
    expect(graphhub(data, 'index', directory, '--repo', 'example.com/plain').code).toBe(0);
    // Same size, same mtime, same inode: the index trusts the fingerprint and does not read the file.
    writeFileSync(path, 'package main\n\nfunc bravo() {}\n');
    utimesSync(path, hourAgo, hourAgo);
    expect(graphhub(data, 'index', directory, '--repo', 'example.com/plain').code).toBe(0);
    expect(graphhub(data, 'symbol', 'alpha').code).toBe(0);
    // A timestamp of now is within the racy margin: the file is read and the change seen.
    utimesSync(path, new Date(), new Date());
    expect(graphhub(data, 'index', directory, '--repo', 'example.com/plain').code).toBe(0);
    expect(graphhub(data, 'symbol', 'bravo').code).toBe(0);
    expect(graphhub(data, 'symbol', 'alpha').code).toBe(3);
  });

  it('reports the reuse through the CLI and answers from the new graph', () => {
    const data = tempDir();
    const repo = TestRepo.create(EXTRA_V1, { from: FIXTURE });
    repo.commit('v1');
    expect(graphhubJson<{ incremental?: unknown }>(data, 'index', repo.path, '--repo', 'example.com/notifier').incremental).toBeUndefined();
    repo.write({ 'pkg/alpha/helper.go': 'package alpha\n\n// Helper changed.\nfunc Helper() string { return "alpha2" }\n' });
    repo.commit('v2');
    const second = graphhubJson<{ incremental: { changedFiles: number; resolvedFiles: number; reusedFiles: number } }>(
      data,
      'index',
      repo.path,
      '--repo',
      'example.com/notifier',
    );
    expect(second.incremental.changedFiles).toBe(1);
    // alpha's file and the files of package main (which imports alpha) are resolved again; the rest reused.
    expect(second.incremental.reusedFiles).toBeGreaterThanOrEqual(4);
    const page = graphhubJson<{ symbol: { doc: string }; callers: Array<{ name: string }> }>(data, 'symbol', 'alpha.Helper');
    expect(page.symbol.doc).toBe('Helper changed.');
    expect(page.callers.map((caller) => caller.name)).toEqual(['main']);
  });
});
