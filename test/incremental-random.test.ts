/**
 * Incremental indexing against random edits: every language's fixtures go
 * through a seeded sequence of edits that reach across files (random-edits.ts);
 * after each one, the graph built on the previous one (a new commit, and a
 * working tree updated in place) must equal a full index of the same files.
 *
 * GRAPHHUB_RANDOM_EDITS_REPO=/path/to/a/checkout runs the same over a real
 * repository.
 */
import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openHub, type Hub } from '../src/hub/hub.js';
import { indexRepository, type IndexResult } from '../src/indexer/index-repository.js';
import type { FactsMemo } from '../src/indexer/read-files.js';
import { openGitSource, openWorktreeSource, type RepositorySource } from '../src/indexer/source.js';
import { git, TestRepo } from './helpers/git-repo.js';
import { randomEdit, seededRandom } from './helpers/random-edits.js';
import { renderGraph } from './helpers/render-graph.js';
import { tempDir } from './helpers/temp.js';

const fixture = (path: string): string => fileURLToPath(new URL(`../src/languages/${path}`, import.meta.url));

const FIXTURES = [
  { name: 'go/fixtures/notifier', seed: 1 },
  { name: 'go/fixtures/dispatch', seed: 2 },
  { name: 'typescript/fixtures/ts-modules', seed: 3 },
  { name: 'typescript/fixtures/ts-workspaces', seed: 4 },
  { name: 'typescript/fixtures/ts-classes', seed: 5 },
  { name: 'python/fixtures/py-packages', seed: 6 },
  { name: 'python/fixtures/py-classes', seed: 7 },
  { name: 'go/fixtures/oddities', seed: 8 },
  { name: 'typescript/fixtures/js-commonjs', seed: 9 },
];

/** Edits per fixture; GRAPHHUB_RANDOM_EDITS_STEPS and _SEED (added to each fixture's) explore further. */
const STEPS = Number(process.env.GRAPHHUB_RANDOM_EDITS_STEPS ?? 8);
const SEED = Number(process.env.GRAPHHUB_RANDOM_EDITS_SEED ?? 0);

async function indexInto(hub: Hub, source: RepositorySource, options: { worktree?: true; incremental?: false; memo?: FactsMemo }): Promise<IndexResult> {
  try {
    return await indexRepository({ source, repository: { name: 'example.com/random' }, store: hub.store, cas: hub.cas, ...options });
  } finally {
    source.close();
  }
}

/**
 * Edits `repo` `steps` times; after each edit, commits and indexes the commit
 * on top of the previous graph, updates the working tree's graph in place
 * (once as `index --worktree` does, once as `watch` does, its facts kept in
 * memory from run to run in a hub of its own), and compares each with a full
 * index. Returns the edits made.
 */
async function editAndCompare(repo: TestRepo, seed: number, steps: number): Promise<{ edits: string[]; incremental: number }> {
  const random = seededRandom(seed);
  const hub = await openHub({ dataDir: tempDir() });
  const fullHub = await openHub({ dataDir: tempDir() });
  const watchHub = await openHub({ dataDir: tempDir() });
  const memo: FactsMemo = new Map();
  const edits: string[] = [];
  let incremental = 0;
  try {
    repo.commit('start');
    await indexInto(hub, await openGitSource(repo.path, 'HEAD'), {});
    await indexInto(hub, await openWorktreeSource(repo.path), { worktree: true });
    await indexInto(watchHub, await openWorktreeSource(repo.path), { worktree: true, memo });
    for (let step = 0; step < steps; step++) {
      edits.push(randomEdit(repo.path, random));
      const commit = repo.commit(`edit ${step}`);
      const next = await indexInto(hub, await openGitSource(repo.path, commit), {});
      const updated = await indexInto(hub, await openWorktreeSource(repo.path), { worktree: true });
      const watched = await indexInto(watchHub, await openWorktreeSource(repo.path), { worktree: true, memo });
      const full = await indexInto(fullHub, await openGitSource(repo.path, commit), { incremental: false });
      const fullText = await renderGraph(fullHub.store, full.graph);
      const context = `seed ${seed}, after: ${edits.join('; ')}`;
      expect(await renderGraph(hub.store, next.graph), `new commit, ${context}`).toBe(fullText);
      expect(await renderGraph(hub.store, updated.graph), `working tree, ${context}`).toBe(fullText);
      expect(await renderGraph(watchHub.store, watched.graph), `watch, ${context}`).toBe(fullText);
      if (next.incremental) incremental++;
    }
  } finally {
    await hub.close();
    await fullHub.close();
    await watchHub.close();
  }
  return { edits, incremental };
}

describe('incremental indexing under random edits', () => {
  for (const { name, seed } of FIXTURES) {
    it(`equals a full index after each of ${STEPS} edits of ${name}`, async () => {
      const repo = TestRepo.create({}, { from: fixture(name) });
      const { edits, incremental } = await editAndCompare(repo, seed + SEED, STEPS);
      // The sequence did edit, and the indexes did build on the previous graph (or the comparison proves little).
      expect(new Set(edits).size, edits.join("; ")).toBeGreaterThan(STEPS / 2);
      expect(incremental).toBe(STEPS);
    });
  }

  const real = process.env.GRAPHHUB_RANDOM_EDITS_REPO;
  it.skipIf(!real)('equals a full index after each random edit of a real repository', async () => {
    const repo = TestRepo.create();
    cpSync(real!, repo.path, { recursive: true, filter: (path) => !path.endsWith('/.git') });
    git(repo.path, 'add', '-A');
    const { edits } = await editAndCompare(repo, SEED + 1, STEPS);
    console.log(edits.join('\n'));
  }, 3_600_000);
});
