/**
 * The same repository indexed into SQLite and into PostgreSQL gives the same
 * graph, read back through the same GraphStore calls: full indexes, and an
 * incremental index that reuses rows of the previous graph. The golden
 * fixture is the corpus, so every resolution strategy is on both sides.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openHub, type Hub } from '../../src/hub/hub.js';
import { indexRepository, type IndexResult } from '../../src/indexer/index-repository.js';
import { openGitSource } from '../../src/indexer/source.js';
import { TestRepo } from '../helpers/git-repo.js';
import { freshStoreUrl } from '../helpers/postgres.js';
import { renderGraph } from '../helpers/render-graph.js';
import { tempDir } from '../helpers/temp.js';

const FIXTURE = fileURLToPath(new URL('../../src/languages/go/fixtures/notifier', import.meta.url));

async function index(hub: Hub, repo: TestRepo, revision: string): Promise<IndexResult> {
  const source = await openGitSource(repo.path, revision);
  try {
    return await indexRepository({ source, repository: { name: 'example.com/notifier' }, store: hub.store, cas: hub.cas });
  } finally {
    source.close();
  }
}

describe('SQLite and PostgreSQL agree', () => {
  it('on full and incremental graphs of the same commits, and on the source they serve', async () => {
    const repo = TestRepo.create({}, { from: FIXTURE });
    repo.commit('v1');
    repo.write({
      'pkg/alpha/helper.go': 'package alpha\n\n// Helper changed.\nfunc Helper() string { return helper2() }\n\nfunc helper2() string { return "2" }\n',
      'close.go': 'package main\n\nfunc (r *runner) Close() {}\n',
    });
    repo.commit('v2');
    const sqlite = await openHub({ dataDir: tempDir() });
    const postgres = await openHub({ dataDir: tempDir(), store: freshStoreUrl().url });
    try {
      for (const revision of ['HEAD~1', 'HEAD']) {
        const [a, b] = [await index(sqlite, repo, revision), await index(postgres, repo, revision)];
        expect(b.stats).toMatchObject({ symbols: a.stats.symbols, edges: a.stats.edges, unresolved: a.stats.unresolved, externalRefs: a.stats.externalRefs });
        expect(Boolean(b.incremental)).toBe(revision === 'HEAD');
        expect(Boolean(a.incremental)).toBe(revision === 'HEAD');
        expect(b.incremental?.reusedFiles).toBe(a.incremental?.reusedFiles);
        const text = await renderGraph(sqlite.store, a.graph);
        if (revision === 'HEAD') expect(text).toContain('main.(*runner).run → main.(*runner).Close');
        expect(await renderGraph(postgres.store, b.graph)).toBe(text);
      }
      const [a, b] = [await sqlite.store.findGraph('example.com/notifier'), await postgres.store.findGraph('example.com/notifier')];
      const compact = async (hub: Hub, id: number) => {
        const graph = await hub.store.compactGraph(id);
        return [...graph.callers].map((caller, j) => `${graph.ids[caller]}->${graph.ids[graph.callees[j]!]}`).sort();
      };
      expect(await compact(postgres, b!.id)).toEqual(await compact(sqlite, a!.id));
      // The used-in-the-wild counts and their fingerprints (which recognise forks) are the same bytes.
      for (const target of [
        { module: 'github.com/acme/cli', packagePath: 'github.com/acme/cli', symbol: 'Context.String' },
        { module: 'std', symbol: 'T.Run' },
      ]) {
        const [fromSqlite, fromPostgres] = [await sqlite.store.wildCounts(target, 'nobody'), await postgres.store.wildCounts(target, 'nobody')];
        expect(fromSqlite.length).toBe(1);
        expect(fromPostgres.map(({ graphId: _, ...rest }) => rest)).toEqual(fromSqlite.map(({ graphId: _, ...rest }) => rest));
      }
      const file = (await postgres.store.getFile(b!.id, 'run.go'))!;
      expect((await postgres.cas.get(file.blob)).equals(await sqlite.cas.get(file.blob))).toBe(true);
    } finally {
      await sqlite.close();
      await postgres.close();
    }
  });
});
