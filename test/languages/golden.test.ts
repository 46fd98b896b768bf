/**
 * Every fixture repository under src/languages/<lang>/fixtures/<name>/ is
 * indexed through the real pipeline and rendered; the rendering must equal
 * <name>.golden next to it. Adding a fixture is adding a folder.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openHub } from '../../src/hub/hub.js';
import { indexRepository } from '../../src/indexer/index-repository.js';
import { openDirectorySource, openGitSource } from '../../src/indexer/source.js';
import { expectGolden } from '../helpers/golden.js';
import { TestRepo } from '../helpers/git-repo.js';
import { renderGraph } from '../helpers/render-graph.js';
import { tempDir } from '../helpers/temp.js';

const LANGUAGES = fileURLToPath(new URL('../../src/languages/', import.meta.url));

function fixtures(): Array<{ language: string; name: string; path: string }> {
  const found: Array<{ language: string; name: string; path: string }> = [];
  for (const language of readdirSync(LANGUAGES)) {
    const directory = join(LANGUAGES, language, 'fixtures');
    if (!existsSync(directory)) continue;
    for (const name of readdirSync(directory)) {
      const path = join(directory, name);
      if (statSync(path).isDirectory()) found.push({ language, name, path });
    }
  }
  return found;
}

describe('golden fixture repositories', () => {
  for (const fixture of fixtures()) {
    it(`${fixture.language}/${fixture.name}`, async () => {
      const hub = await openHub({ dataDir: tempDir() });
      try {
        const repository = { name: `example.com/${fixture.name}` };
        const fromDirectory = await indexRepository({ source: await openDirectorySource(fixture.path), repository, store: hub.store, cas: hub.cas });
        const rendered = await renderGraph(hub.store, fromDirectory.graph);
        expectGolden(rendered, `${fixture.path}.golden`);

        // Facts shared across runs in memory (as watch does) must come back unchanged by resolution.
        const memo = new Map();
        for (const name of ['memo-1', 'memo-2']) {
          const run = await indexRepository({ source: await openDirectorySource(fixture.path), repository: { name: `${repository.name}-${name}` }, store: hub.store, cas: hub.cas, memo });
          expect(await renderGraph(hub.store, run.graph)).toBe(rendered);
        }

        // Extraction in worker threads gives the same graph as extraction in this thread.
        const other = await openHub({ dataDir: tempDir() });
        try {
          const threaded = await indexRepository({
            source: await openDirectorySource(fixture.path),
            repository,
            store: other.store,
            cas: other.cas,
            threads: 2,
          });
          expect(threaded.cachedFiles).toBe(0);
          expect(await renderGraph(other.store, threaded.graph)).toBe(rendered);
        } finally {
          await other.close();
        }

        // The same files read from a real git commit give the same graph.
        const repo = TestRepo.create({}, { from: fixture.path });
        const commit = repo.commit('fixture');
        const source = await openGitSource(repo.path, 'HEAD');
        try {
          const fromGit = await indexRepository({ source, repository: { name: `${repository.name}-git` }, store: hub.store, cas: hub.cas });
          expect(fromGit.graph.commit).toBe(commit);
          // Every parsed file's facts come from the extraction cache the first run filled.
          const parsedFiles = (await hub.store.listFiles(fromDirectory.graph.id)).filter((file) => file.language && !file.skipReason);
          expect(fromGit.cachedFiles).toBe(parsedFiles.length);
          expect(await renderGraph(hub.store, fromGit.graph)).toBe(rendered);
        } finally {
          source.close();
        }
      } finally {
        await hub.close();
      }
    });
  }
});
