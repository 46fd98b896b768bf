/**
 * A failed or interrupted index leaves the previous graph of the repository
 * untouched: the index process is killed with SIGKILL while it writes, and the
 * old graph must still answer, whole; the next index cleans up and publishes.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ContentStore } from '../src/cas/content-store.js';
import { openHub } from '../src/hub/hub.js';
import { indexRepository } from '../src/indexer/index-repository.js';
import { locateSource } from '../src/indexer/locate.js';
import { BIN, graphhub, graphhubJson } from './helpers/cli.js';
import { TestRepo } from './helpers/git-repo.js';
import { tempDir } from './helpers/temp.js';

/** A Go package big enough that writing its graph takes a noticeable moment. */
function bigPackage(files: number, functionsPerFile: number, marker: string): Record<string, string> {
  const out: Record<string, string> = { 'go.mod': 'module example.com/big\n\ngo 1.21\n' };
  for (let f = 0; f < files; f++) {
    const lines = ['package big', ''];
    for (let i = 0; i < functionsPerFile; i++) {
      const next = `F${f}_${(i + 1) % functionsPerFile}`;
      lines.push(`func F${f}_${i}() { ${next}(); helper${marker}() }`);
    }
    out[`f${f}.go`] = `${lines.join('\n')}\n`;
  }
  out['helper.go'] = `package big\n\nfunc helper${marker}() {}\n`;
  return out;
}

function graphRows(dataDir: string): Array<{ id: number; status: string }> {
  const db = new Database(join(dataDir, 'graph.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT id, status FROM graphs ORDER BY id').all() as Array<{ id: number; status: string }>;
  } finally {
    db.close();
  }
}

describe('atomic publishing', () => {
  it('keeps the old graph whole when an index is killed mid-write, and the next index recovers', async () => {
    const data = tempDir();
    const repo = TestRepo.create(bigPackage(200, 60, 'Old'));
    const oldCommit = repo.commit('old');
    const first = graphhub(data, 'index', repo.path, '--repo', 'example.com/big');
    expect(first.code, `${first.signal} ${first.stderr}`).toBe(0);
    const before = graphhubJson<{ callers: unknown[] }>(data, 'callers', 'helperOld');
    expect(before.callers).toHaveLength(12000);

    repo.remove('helper.go').write(bigPackage(200, 60, 'New'));
    repo.commit('new');

    // Kill the writer as soon as its graph row appears (status 'building').
    const child = spawn(process.execPath, [BIN, '--data', data, 'index', repo.path, '--repo', 'example.com/big'], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    let killedWhileBuilding = false;
    for (let i = 0; i < 2000 && child.exitCode === null; i++) {
      if (graphRows(data).some((row) => row.status === 'building')) {
        child.kill('SIGKILL');
        killedWhileBuilding = true;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await exited;
    expect(killedWhileBuilding).toBe(true);

    // Readers see the old graph, whole.
    const repos = graphhubJson<Array<{ newest: { commit: string } }>>(data, 'repos');
    expect(repos[0]!.newest.commit).toBe(oldCommit);
    expect(graphhubJson<{ callers: unknown[] }>(data, 'callers', 'helperOld').callers).toHaveLength(12000);
    expect(graphhub(data, 'symbol', 'helperNew').code).toBe(3);
    expect(graphRows(data).filter((row) => row.status === 'building')).toHaveLength(1);

    // The next index removes the abandoned rows and publishes.
    const next = graphhub(data, 'index', repo.path, '--repo', 'example.com/big');
    expect(next.code, `${next.signal} ${next.stderr}`).toBe(0);
    expect(graphhubJson<{ callers: unknown[] }>(data, 'callers', 'helperNew').callers).toHaveLength(12000);
    expect(graphRows(data).map((row) => row.status)).toEqual(['ready', 'ready']);
  });

  it('publishes nothing when the blobs it stored cannot be made durable', async () => {
    const hub = await openHub({ dataDir: tempDir() });
    const repo = TestRepo.create({ 'go.mod': 'module example.com/durable\n\ngo 1.21\n', 'a.go': 'package a\n\nfunc A() { B() }\n\nfunc B() {}\n' });
    const name = 'example.com/durable';
    try {
      const first = repo.commit('first');
      const located = await locateSource({ target: repo.path, name, revision: first, mirrorsDir: join(hub.dataDir, 'mirrors') });
      await indexRepository({ source: located.source, repository: { name }, store: hub.store, cas: hub.cas });
      located.source.close();
      const before = await hub.store.findGraph(name);

      // The real store, whose sync fails (a full disk, an I/O error): the index must fail before publishing.
      const failing: ContentStore = Object.assign(Object.create(hub.cas) as ContentStore, {
        sync: async () => {
          throw new Error('fsync failed: input/output error');
        },
      });
      repo.write({ 'b.go': 'package a\n\nfunc C() { A() }\n' });
      const second = repo.commit('second');
      const again = await locateSource({ target: repo.path, name, revision: second, mirrorsDir: join(hub.dataDir, 'mirrors') });
      await expect(indexRepository({ source: again.source, repository: { name }, store: hub.store, cas: failing })).rejects.toThrow(/fsync failed/);
      again.source.close();
      const after = await hub.store.findGraph(name);
      expect(after?.id).toBe(before?.id);
      expect(after?.commit).toBe(first);
    } finally {
      await hub.close();
    }
  });
});
